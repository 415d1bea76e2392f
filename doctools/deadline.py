"""Deadlines (完成时限) as official Chinese expressions.

Plans state time in a small set of fixed forms.  :func:`parse_deadline` reads
them into a :class:`Deadline` — an interval of dates that can be compared and
drawn on a month grid — and :meth:`Deadline.official` prints it back in its
canonical official form (Arabic numerals, no zero padding).

Forms understood (Y, M, D numbers; "-" may also be —, –, ～, ~, 至 or 到):

=====================  =========================  ==========================
form                   example                    meaning
=====================  =========================  ==========================
point                  2018年11月, 2020年,          that month / year / day
                       2020年8月30日, 2020-08-30
end of                 2021年3月底, 2020年底        that month / year, at its end
half / quarter         2021年上半年, 2021年第二季度  those months
by (…前)               2020年5月底前, 2020年底前,   not later than the end of
                       2020年8月30日之前             the point; no start
range                  2017年12月-2018年1月        from the first to the last
ongoing                持续推进, 长期坚持           starts now, never ends
=====================  =========================  ==========================
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional, Tuple

ONGOING_WORDS = ("持续推进", "长期坚持", "常态化推进", "长期推进")
RANGE_SEPARATORS = "-—–～~至到"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_POINT = re.compile(
    r"""^(?P<y>\d{4})\s*年\s*
        (?:
            (?P<yearend>年?底|末)
          | (?P<half>上|下)半年
          | 第?(?P<q>[一二三四1-4])季度
          | (?P<m>\d{1,2})\s*月\s*
            (?: (?P<monthend>底|末) | (?P<d>\d{1,2})\s*日 )?
        )?$""",
    re.X,
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_BY_SUFFIX = re.compile(r"(之前|以前|前)$")


class DeadlineError(ValueError):
    """The text is not a deadline form this module understands."""


@dataclass(frozen=True)
class Point:
    """One end of a deadline as written: a year, half, quarter, month or day."""

    year: int
    month: Optional[int] = None
    day: Optional[int] = None
    end_of: bool = False      # 底: "2021年3月底", "2020年底"
    half: Optional[int] = None     # 1 上半年, 2 下半年
    quarter: Optional[int] = None

    @property
    def first(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        if self.month:
            return date(self.year, self.month, 1)
        if self.half:
            return date(self.year, 1 if self.half == 1 else 7, 1)
        if self.quarter:
            return date(self.year, 3 * self.quarter - 2, 1)
        if self.end_of:
            return date(self.year, 12, 1)
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        if self.half:
            return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)
        if self.quarter:
            m = 3 * self.quarter
            return date(self.year, m, calendar.monthrange(self.year, m)[1])
        return date(self.year, 12, 31)

    def official(self) -> str:
        text = f"{self.year}年"
        if self.half:
            return text + ("上半年" if self.half == 1 else "下半年")
        if self.quarter:
            return text + f"第{'一二三四'[self.quarter - 1]}季度"
        if self.month:
            text += f"{self.month}月"
            if self.day:
                return text + f"{self.day}日"
        return text + ("底" if self.end_of else "")


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: ``start``/``end`` bound it (None = open on that side)."""

    kind: str                      # "point" | "by" | "range" | "ongoing"
    first: Optional[Point] = None
    second: Optional[Point] = None  # the end of a range

    @property
    def start(self) -> Optional[date]:
        if self.kind in ("point", "range"):
            return self.first.first
        return None

    @property
    def end(self) -> Optional[date]:
        if self.kind == "ongoing":
            return None
        if self.kind == "range":
            return self.second.last
        return self.first.last

    @property
    def sort_key(self) -> Tuple[date, date]:
        """Orders deadlines by when they end; ongoing ones last."""
        return (self.end or date.max, self.start or date.min)

    def official(self, range_sep: str = "—", ongoing_word: str = "持续推进") -> str:
        if self.kind == "ongoing":
            return ongoing_word
        if self.kind == "by":
            return self.first.official() + "前"
        if self.kind == "range":
            return self.first.official() + range_sep + self.second.official()
        return self.first.official()

    def __str__(self) -> str:
        return self.official()


def _parse_point(text: str) -> Point:
    iso = _ISO.match(text)
    if iso:
        y, m, d = int(iso["y"]), int(iso["m"]), int(iso["d"])
        _check_day(y, m, d, text)
        return Point(y, m, d)
    match = _POINT.match(text)
    if not match:
        raise DeadlineError(f"'{text}' is not a date such as 2020年5月, 2020年5月底 or 2020年5月30日")
    y = int(match["y"])
    if match["yearend"]:
        return Point(y, end_of=True)
    if match["half"]:
        return Point(y, half=1 if match["half"] == "上" else 2)
    if match["q"]:
        return Point(y, quarter=_CN_QUARTER[match["q"]])
    if match["m"] is None:
        return Point(y)
    m = int(match["m"])
    if not 1 <= m <= 12:
        raise DeadlineError(f"'{text}': there is no month {m}")
    if match["d"]:
        d = int(match["d"])
        _check_day(y, m, d, text)
        return Point(y, m, d)
    return Point(y, m, end_of=bool(match["monthend"]))


def _check_day(y: int, m: int, d: int, text: str) -> None:
    if not 1 <= m <= 12:
        raise DeadlineError(f"'{text}': there is no month {m}")
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise DeadlineError(f"'{text}': {y}年{m}月 has no day {d} (it has {last} days)")


def parse_deadline(text: str) -> Deadline:
    """Parse an official deadline expression; raise DeadlineError if it is none."""
    raw = str(text)
    clean = raw.translate(_FULLWIDTH_DIGITS).strip()
    clean = re.sub(r"\s+", "", clean)
    if not clean:
        raise DeadlineError("the deadline is empty")
    if clean in ONGOING_WORDS:
        return Deadline("ongoing")
    by = _BY_SUFFIX.search(clean)
    if by:
        return Deadline("by", _parse_point(clean[: by.start()]))
    # a range: split on a separator that is followed by a 4-digit year
    parts = re.split(r"[%s](?=\d{4})" % re.escape(RANGE_SEPARATORS), clean)
    if len(parts) == 2 and not _ISO.match(clean):
        first, second = _parse_point(parts[0]), _parse_point(parts[1])
        if second.last < first.first:
            raise DeadlineError(f"'{raw}': the range ends ({second.official()}) before it starts ({first.official()})")
        return Deadline("range", first, second)
    if len(parts) > 2:
        raise DeadlineError(f"'{raw}': a range has one start and one end")
    return Deadline("point", _parse_point(clean))


def parse_date(text: str) -> date:
    """Parse an exact calendar date (成文日期, 印发日期) such as 2018年1月25日."""
    point = _parse_point(re.sub(r"\s+", "", str(text).translate(_FULLWIDTH_DIGITS)))
    if not point.day:
        raise DeadlineError(f"'{text}' is not a full date such as 2018年1月25日")
    return point.first


def official_date(value: date) -> str:
    """2018年1月25日: full year, no zero padding (GB/T 9704 7.3.5)."""
    return f"{value.year}年{value.month}月{value.day}日"
