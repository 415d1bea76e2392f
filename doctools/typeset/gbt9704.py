"""The layout numbers of GB/T 9704-2012 《党政机关公文格式》, in one place.

Lengths in twips (1/20 pt).  The 版心 (type area) is 156 × 225 mm holding 22
lines of 28 characters in 3号 (16 pt).  ``../shared/reference/gbt9704.md``
explains each number.
"""
from __future__ import annotations

import functools
import unicodedata

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)


PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838          # A4, 210 × 297 mm
MARGIN_TOP, MARGIN_LEFT = 2098, 1587            # 天头 37 mm, 订口 28 mm
MARGIN_RIGHT, MARGIN_BOTTOM = 1474, 1984        # 26 mm, 35 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT    # 8845 twips ≈ 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips = 225 mm
FOOTER_DISTANCE = mm(25.1)    # puts the dashes of "— N —" 7 mm below the 版心 (ink measured in LibreOffice)
HEADER_DISTANCE = mm(15)

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = 579              # 28.95 pt exact: 22 lines fill 225 mm
BODY_PT = 16                  # 3号
TITLE_PT = 22                 # 2号
IMPRINT_PT = 14               # 4号 (版记, page numbers)
TABLE_PT = 12                 # 小四, attachment tables
# No character grid: Word compresses characters to its pitch, LibreOffice gives
# each character two cells.  16 pt type condensed by 0.25 pt, set in the
# styles, gives 28 × 15.75 = 441 pt < 442.2 pt: 28 characters a line in both.
BODY_CONDENSE = -5            # w:spacing, twentieths of a point
CHAR = BODY_PT * 20           # one body character, for indents (320 twips)

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
RED = "FF0000"

# 版记 rules: outer 0.35 mm, inner 0.25 mm (border sizes in 1/8 pt)
RULE_OUTER = 8
RULE_INNER = 6


# Quotation marks are "ambiguous" in Unicode's widths; set in the CJK body font they take a full cell
# (measured on the LibreOffice render: a line of 26 characters and two “” fills the 版心).
FULL_AMBIGUOUS = "“”‘’"


@functools.lru_cache(maxsize=None)
def char_width(ch: str) -> float:
    """Width of one character in body characters (cached: a table's widths look at every character)."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" or ch in FULL_AMBIGUOUS else 0.5


def display_width(text: str) -> float:
    """Width of *text* in body characters: CJK and full-width count 1, others ½."""
    return sum(map(char_width, text))
