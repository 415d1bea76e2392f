"""Where a title breaks (GB/T 9704 7.3.1).

A title in 2号 小标宋 holds at most 20 characters a line across the 版心.  A
longer title is broken into lines "排列成梯形或菱形": each line a little shorter
(or longer) than the one above, never a full line over a short stub, and
never inside a word.  Words come from jieba, a maintained Chinese word
segmenter, so 试点工|作 or 基层政务|公开 cannot happen.  A line break the
author typed is kept as it is.
"""
from __future__ import annotations

import functools
import logging
from typing import List, Optional, Sequence

from . import gbt9704 as G
from .i18n import N_

TITLE_CHARS = int(G.TEXT_WIDTH / 20 / G.TITLE_PT)     # 20 characters of 22 pt in 442.2 pt
STUB = 0.4            # a line shorter than this share of the longest is a stub (20/6), not a 梯形 (17/8)


def line_too_wide(line: str, size_pt: float = G.TITLE_PT) -> bool:
    """A typed title line that Word would wrap by itself (wider than the 版心)."""
    return G.display_width(line) * size_pt > G.TEXT_WIDTH / 20


# terms of the trade jieba's general dictionary splits (政务|公开); taught to it, not matched here
DOMAIN_WORDS = ("政务公开", "政务服务", "标准目录")


@functools.lru_cache(maxsize=1)
def _segmenter():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for word in DOMAIN_WORDS:
        jieba.add_word(word, freq=20000, tag="n")
    return jieba.posseg


@functools.lru_cache(maxsize=256)
def word_bounds(text: str) -> dict:
    """{offset: cost} of each place between two words where a line may break:
    0 before a preposition or verb (…办公厅|关于印发…, …|开展…) or after 的, 1 elsewhere."""
    bounds, at, words = {}, 0, list(_segmenter().cut(text, HMM=False))
    for word, following in zip(words, words[1:]):
        at += len(word.word)
        if text[at] in "，。、；：）》”’" or text[at - 1] in "（《“‘":
            continue                       # never before closing or after opening punctuation
        bounds[at] = 0 if following.flag[:1] in ("p", "v") or word.word == "的" else 1
    return bounds


def shape_ok(widths: Sequence[float]) -> bool:
    """梯形 (each line longer, or each shorter, than the one above) or 菱形
    (longer to a longest middle line, then shorter), with no stub line."""
    if len(widths) < 2:
        return True
    longest = max(widths)
    if min(widths) < STUB * longest:
        return False
    diffs = [b - a for a, b in zip(widths, widths[1:])]
    if all(d > 0 for d in diffs) or all(d < 0 for d in diffs):
        return True
    top = widths.index(longest)
    return (0 < top < len(widths) - 1 and all(d > 0 for d in diffs[:top]) and all(d < 0 for d in diffs[top:])
            and widths.count(longest) == 1)


def _shape_cost(widths: Sequence[float]) -> float:
    """Lower is better: a good shape (:func:`shape_ok`) first, then lines of
    similar length."""
    longest = max(widths)
    cost = sum((longest - w) ** 2 for w in widths) * 0.1
    return cost if shape_ok(widths) else cost + 100


def break_line(text: str, per_line: int = TITLE_CHARS) -> List[str]:
    """*text* in as few lines of at most *per_line* characters as it needs,
    broken between words into the best 梯形 or 菱形."""
    if G.display_width(text) <= per_line:
        return [text]
    costs = word_bounds(text)
    bounds = sorted(costs)
    count = int(-(-G.display_width(text) // per_line))
    best: Optional[tuple] = None
    for n in (count, count + 1):
        for cut in _cuts(text, bounds, n, per_line):
            lines = [text[a:b] for a, b in zip((0,) + cut, cut + (len(text),))]
            cost = _shape_cost([G.display_width(line) for line in lines]) + (n - count) * 20 + 3 * sum(costs[c] for c in cut)
            if best is None or cost < best[0]:
                best = (cost, lines)
    return best[1] if best else [text]


def _cuts(text: str, bounds: List[int], n: int, per_line: int, start: int = 0):
    """Every way to cut text[start:] into *n* lines at word bounds, each fitting."""
    if n == 1:
        if G.display_width(text[start:]) <= per_line:
            yield ()
        return
    for b in bounds:
        if b <= start:
            continue
        if G.display_width(text[start:b]) > per_line:
            break
        for rest in _cuts(text, bounds, n - 1, per_line, b):
            yield (b,) + rest


def title_lines(lines: Sequence[str]) -> List[str]:
    """Typed lines kept; a line too wide for the 版心 broken between words."""
    out: List[str] = []
    for line in lines:
        out.extend(break_line(line) if line_too_wide(line) else [line])
    return out


def warn_wide_lines(lines: Sequence[str], pos, diags) -> None:
    """``check``: a typed title line wider than the 版心 would be wrapped by
    Word wherever it runs out of room, not between words."""
    for line in lines:
        if line_too_wide(line):
            diags.warning(pos, N_("title line '{line}' is {width} characters, wider than the {limit} a line of 2号 type "
                                  "holds; break it where it should wrap, or leave the break out and doctools breaks it "
                                  "between words"), line=line, width=f"{G.display_width(line):g}", limit=TITLE_CHARS)
