"""Section numbers of official documents, generated from depth.

GB/T 9704 7.3.3: the levels are 一、 / （一） / 1. / （1）.  Users never type
them; a section's number comes from its depth and position.
"""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n <= 0:
        raise ValueError("section numbers start at 1")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    return _DIGITS[hundreds] + "百" + ("零" if rest < 10 else "") + (chinese_number(rest) if rest >= 20 or rest < 10 else "一" + chinese_number(rest))


def section_label(level: int, index: int) -> str:
    """The printed number of the *index*-th (from 1) section at *level* (from 1)."""
    if level == 1:
        return chinese_number(index) + "、"
    if level == 2:
        return "（" + chinese_number(index) + "）"
    if level == 3:
        return f"{index}."
    if level == 4:
        return f"（{index}）"
    raise ValueError("official documents have four heading levels at most")


def ordinal_lead(index: int) -> str:
    """The lead word of the index-th item of a 一是…二是… paragraph."""
    return chinese_number(index) + "是"


MAX_LEVEL = 4
