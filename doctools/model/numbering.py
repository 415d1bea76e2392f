"""Section numbers of official documents, generated from depth.

GB/T 9704 7.3.3: the levels are 一、 / （一） / 1. / （1）.  Users never type
them; a section's number comes from its depth and position.
"""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 1000 → 一千, 10010 → 一万零一十.

    Numbers past 九千九百九十九万… (10^8 and more) are written in Arabic digits: no plan has that many sections,
    but a package that asks for them gets a number, not a crash."""
    if n <= 0:
        raise ValueError("section numbers start at 1")
    if n < 20:
        return _DIGITS[n] if n < 10 else "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n >= 100_000_000:
        return str(n)
    for unit, size in (("万", 10000), ("千", 1000), ("百", 100), ("十", 10)):
        if n >= size:
            high, rest = divmod(n, size)
            head = chinese_number(high) + unit if size == 10000 else _DIGITS[high] + unit
            if rest == 0:
                return head
            gap = "零" if rest < size // 10 else ""      # 一百零五, 一千零五十, 一万零一百
            return head + gap + _inner(rest)
    return _DIGITS[n]


def _inner(n: int) -> str:
    """*n* after a higher unit: 10–19 keep their 一 (一百一十八, not 一百十八)."""
    return "一" + chinese_number(n) if 10 <= n < 20 else chinese_number(n)


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
