"""Where a short text breaks into lines of a given width: flowchart labels, and
where a table cell's text may wrap.

Graphviz does not wrap, so a chart's labels are broken here.  Chinese
typesetting (and GB/T 15834 on punctuation) never starts a line with closing
punctuation (，。、；：）》” …) nor ends one with opening punctuation (（《“ …);
a reader also stumbles over a number cut from its measure word (20|个, 第二十九|条)
or a word cut in two (民|政局).  So a line ends, best, after punctuation, else
between two words (jieba, as for titles), else between two characters where
the rules allow, and it is filled as far as the width allows among the best
places.
"""
from __future__ import annotations

import functools
from typing import List, Tuple

from .gbt9704 import display_width

CLOSING = "，。、；：？！）》”’〕】」』…—%,.;:?!)]}"
OPENING = "（《“‘〔【「『([{"
AFTER_PUNCTUATION, BETWEEN_WORDS, BETWEEN_PARTS, INSIDE_WORD = 0, 1, 2, 3
NUMERALS = "零〇一二三四五六七八九十百千万两"
MEASURES = "条款项章节个次日月年号天份件"
FILL = 0.6                 # a line shorter than this share of the width is taken only when nothing else fits


def may_break(text: str, at: int) -> bool:
    """Whether a line may end before text[at]: not before closing or after opening punctuation, not inside a
    number, nor between a number and the word it counts (20个, 第29条)."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    if after in CLOSING or before in OPENING:
        return False
    if before.isdigit() or (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
        return False
    if before == "第" or (before in NUMERALS and (after in NUMERALS or after in MEASURES)):
        return False
    return True


@functools.lru_cache(maxsize=4096)
def break_costs(text: str) -> Tuple[int, ...]:
    """For each offset 0..len(text): the cost of ending a line there (-1: never)."""
    from .titles import _segmenter

    costs = [-1] * (len(text) + 1)
    for at in range(1, len(text)):
        if may_break(text, at):
            costs[at] = AFTER_PUNCTUATION if text[at - 1] in CLOSING else INSIDE_WORD
    at = 0
    for word in _segmenter().cut(text, HMM=False):
        for inner in _parts(word.word):               # 中华人民共和国|政府: a long word's own words
            if costs[at + inner] == INSIDE_WORD:
                costs[at + inner] = BETWEEN_PARTS
        at += len(word.word)
        if 0 < at < len(text) and costs[at] == INSIDE_WORD:
            costs[at] = BETWEEN_WORDS
    return tuple(costs)


def _parts(word: str) -> List[int]:
    """Offsets inside a long word where it parts into two words of the dictionary."""
    if len(word) < 4:
        return []
    import jieba

    known = jieba.dt.FREQ
    return [i for i in range(2, len(word) - 1) if known.get(word[:i]) and known.get(word[i:]) and may_break(word, i)]


def lines(text: str, width: float) -> List[str]:
    """*text* in lines of at most *width* display characters (a CJK character is 1, Latin ½)."""
    if not text:
        return [""]
    costs = break_costs(text)
    out, start = [], 0
    while display_width(text[start:]) > width:
        used, fits = 0.0, []
        for at in range(start + 1, len(text)):
            used += display_width(text[at - 1])
            if used > width:
                break
            fits.append((at, used))
        # the best kind of place among those filling the line well, else any place between words, else
        # inside a word, else (a long number) where the width ends
        words = [(at, used) for at, used in fits if 0 <= costs[at] <= BETWEEN_PARTS]
        full = [(at, used) for at, used in words if used >= FILL * width]
        if full:
            best = min(costs[at] for at, _ in full)
            end = max(at for at, _ in full if costs[at] == best)
        elif words or any(costs[at] >= 0 for at, _ in fits):
            end = max(at for at, _ in (words or fits) if costs[at] >= 0)
        else:
            end = fits[-1][0] if fits else start + 1
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def narrowest(text: str) -> Tuple[float, List[str]]:
    """The narrowest width (in steps of half a character) *text* can be set in, breaking only where
    :func:`may_break` allows, and its lines at that width: a narrow column's header, "2024年|3月", "乡、|村级"."""
    total = display_width(text)
    width = 1.0
    while width < total:
        parts = lines(text, width)
        ends = [sum(len(p) for p in parts[:k]) for k in range(1, len(parts))]
        if all(display_width(p) <= width for p in parts) and all(may_break(text, at) for at in ends):
            return max(display_width(p) for p in parts), parts
        width += 0.5
    return total, [text]


def starts_with_closing(line: str) -> bool:
    return bool(line) and line[0] in CLOSING
