"""Where a title breaks (GB/T 9704 7.3.1).

A title in 2号 小标宋 holds at most 20 characters a line across the 版心.  A
longer title is broken into lines "排列成梯形或菱形": each line a little shorter
(or longer) than the one above, never a full line over a short stub, and
never inside a word.  Words come from jieba, a maintained Chinese word
segmenter, so 试点工|作 or 基层政务|公开 cannot happen.  A line break the
author typed is kept as it is.

jieba keeps its dictionary, parsed, in a cache it reads back with ``marshal`` — by default ``jieba.cache`` in the
shared temporary folder, where any local user could plant one that changes every title's breaks or crashes every
build.  doctools points it at this user's private folder (mode 0700, owned by the user), or, when that folder
cannot be had, at a fresh folder of this process alone: no cache from anyone else is ever read.
"""
from __future__ import annotations

import functools
from typing import List, Optional, Sequence

from . import gbt9704 as G
from ..i18n import N_

TITLE_CHARS = int(G.TEXT_WIDTH / 20 / G.TITLE_PT)     # 20 characters of 22 pt in 442.2 pt
STUB = 0.4            # a line shorter than this share of the longest is a stub (20/6), not a 梯形 (17/8)


# digits and Latin letters in a 小标宋 title (and its stand-ins) measure about 0.56 em, not the ½ of display_width:
# 17 characters, 2022 and 年 (20 by halves) overflow the 版心 and leave 年 alone on a line
NARROW_EM = 0.56


def title_width(text: str) -> float:
    """Width of title text in characters: CJK and full-width 1, digits and Latin 0.56."""
    return sum(1.0 if G.display_width(ch) == 1 else NARROW_EM for ch in text)


def line_too_wide(line: str, size_pt: float = G.TITLE_PT) -> bool:
    """A typed title line that Word would wrap by itself (wider than the 版心)."""
    return title_width(line) * size_pt > G.TEXT_WIDTH / 20


# terms of the trade jieba's general dictionary splits (政务|公开); taught to it, not matched here
DOMAIN_WORDS = ("政务公开", "政务服务", "标准目录")


@functools.lru_cache(maxsize=1)
def _segmenter():
    import logging                  # only with jieba: a build whose titles fit one line never loads either

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = _cache_folder()
    jieba.dt.cache_file = "jieba.cache"
    jieba.dt.initialize()
    for word in DOMAIN_WORDS:
        jieba.add_word(word, freq=20000, tag="n")
    return jieba.posseg


def _cache_folder() -> str:
    import tempfile

    from ..resources import private_folder
    try:
        return str(private_folder())
    except OSError:
        return tempfile.mkdtemp(prefix="doctools-jieba-")


@functools.lru_cache(maxsize=256)
def word_bounds(text: str) -> dict:
    """{offset: cost} of each place between two words where a line may break:
    0 before a preposition or verb (…办公厅|关于印发…, …|开展…) or after 的, 1 elsewhere."""
    bounds, at, words = {}, 0, list(_segmenter().cut(text, HMM=False))
    for word, following in zip(words, words[1:]):
        at += len(word.word)
        if text[at] in "，。、；：）》”’" or text[at - 1] in "（《“‘":
            continue                       # never before closing or after opening punctuation
        if text[at - 1].isdigit() and text[at] in "年月日号个项":
            continue                       # 2022|年: a number and its unit are one word
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


MAX_EXHAUSTIVE = 20000     # ways to cut a title tried one by one; beyond that a bounded beam search
BEAM = 200                 # partial cuts a line of the beam search keeps


class _Cutter:
    """The ways to cut one title into lines at word bounds, each line fitting.

    Line widths come from prefix sums of the characters' widths, and the number
    of ways to finish from a bound is counted once (memoised), so no search
    walks into a dead end."""

    def __init__(self, text: str, bounds: Sequence[int], per_line: int):
        self.text, self.bounds, self.per_line = text, list(bounds), per_line
        self.prefix = [0.0]
        for ch in text:
            self.prefix.append(self.prefix[-1] + title_width(ch))
        self.ways = functools.lru_cache(maxsize=None)(self._ways)

    def width(self, a: int, b: int) -> float:
        return self.prefix[b] - self.prefix[a]

    def fitting(self, start: int):
        """The bounds after *start* that end a line that fits."""
        for b in self.bounds:
            if b <= start:
                continue
            if self.width(start, b) > self.per_line:
                break
            yield b

    def _ways(self, start: int, left: int) -> int:
        """How many ways text[start:] cuts into *left* lines (counting stops past MAX_EXHAUSTIVE)."""
        if left == 1:
            return 1 if self.width(start, len(self.text)) <= self.per_line else 0
        total = 0
        for b in self.fitting(start):
            total += self.ways(b, left - 1)
            if total > MAX_EXHAUSTIVE:
                break
        return total

    def every(self, n: int, start: int = 0):
        """Every cut of text[start:] into *n* lines."""
        if n == 1:
            if self.ways(start, 1):
                yield ()
            return
        for b in self.fitting(start):
            if self.ways(b, n - 1):
                for rest in self.every(n - 1, b):
                    yield (b,) + rest

    def beam(self, n: int, costs: dict):
        """Cuts into *n* lines made line by line, keeping the BEAM best partial cuts:
        full lines, cheap breaks, and widths that can still make a 梯形 or 菱形."""
        def partial(entry) -> float:
            cut, widths = entry
            diffs = [b - a for a, b in zip(widths, widths[1:])]
            falling = next((i for i, d in enumerate(diffs) if d < 0), len(diffs))
            shaped = all(d > 0 for d in diffs[:falling]) and all(d < 0 for d in diffs[falling:])
            return sum((self.per_line - w) ** 2 for w in widths) * 0.1 + 3 * sum(costs[c] for c in cut) + (0 if shaped else 100)

        beam = [((), ())]
        for line in range(n - 1):
            grown = {}
            for cut, widths in beam:
                start = cut[-1] if cut else 0
                for b in self.fitting(start):
                    if not self.ways(b, n - 1 - line):
                        continue
                    entry = (cut + (b,), widths + (self.width(start, b),))
                    key = (b, entry[1][-1])
                    if key not in grown or partial(entry) < partial(grown[key]):
                        grown[key] = entry
            beam = sorted(grown.values(), key=partial)[:BEAM]
        return [cut for cut, _ in beam]


def break_line(text: str, per_line: int = TITLE_CHARS) -> List[str]:
    """*text* in as few lines of at most *per_line* characters as it needs,
    broken between words into the best 梯形 or 菱形.

    Every way to cut is tried while there are few (any title of up to three
    lines); a longer title is cut by a beam search, so the time grows with its
    length and not with the number of ways to cut it."""
    if title_width(text) <= per_line:
        return [text]
    costs = word_bounds(text)
    cutter = _Cutter(text, sorted(costs), per_line)
    count = int(-(-cutter.width(0, len(text)) // per_line))
    best: Optional[tuple] = None
    for n in (count, count + 1):
        cuts = cutter.every(n) if cutter.ways(0, n) <= MAX_EXHAUSTIVE else cutter.beam(n, costs)
        for cut in cuts:
            edges = (0,) + cut + (len(text),)
            widths = [cutter.width(a, b) for a, b in zip(edges, edges[1:])]
            # the shape holds whether digits are counted as rendered or by halves (as a reader counts them)
            halves = [G.display_width(text[a:b]) for a, b in zip(edges, edges[1:])]
            cost = _shape_cost(widths) + (0 if shape_ok(halves) else 100) + (n - count) * 20 + \
                3 * sum(costs[c] for c in cut)
            if best is None or cost < best[0]:
                best = (cost, [text[a:b] for a, b in zip(edges, edges[1:])])
    return best[1] if best else _greedy(cutter)


def _greedy(cutter: _Cutter) -> List[str]:
    """Lines as full as they go, broken at word bounds (or anywhere, for a word longer than a line)."""
    text, lines, start = cutter.text, [], 0
    while cutter.width(start, len(text)) > cutter.per_line:
        fitting = list(cutter.fitting(start))
        end = fitting[-1] if fitting else start + max(1, int(cutter.per_line))
        lines.append(text[start:end])
        start = end
    return lines + [text[start:]]


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
