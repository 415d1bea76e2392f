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

Plans also leave the year out where the reader knows it: ``4月底前``,
``5月10日前``, ``年底前``, ``2015年4月-6月`` (the end takes the start's year),
``至2025年底`` (by), ``年内`` (by the end of the year).  Such a deadline needs a
:class:`YearContext` — the plan's date, or the period of the phase it sits in
— and takes the first year that puts it inside that context (not before the
plan's date; within the phase).  :attr:`Deadline.implied_year` says the year was
supplied, :attr:`Deadline.ambiguous` that more than one year would have fitted or
none did, so the reader can warn.  Every deadline keeps the text it was
written as (:attr:`Deadline.written`): a plan prints it as written unless the
package asks for the canonical form.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import List, Optional, Tuple

from ..i18n import _

ONGOING_WORDS = ("持续推进", "长期坚持", "常态化推进", "长期推进")
RANGE_SEPARATORS = "-—–～~至到"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_POINT = re.compile(
    r"""^(?P<y>\d{4})\s*年\s*
        (?:
            (?P<yearend>年?(?:底|末))
          | (?P<half>上|下)半年
          | 第?(?P<q>[一二三四1-4])季度
          | (?P<m>\d{1,2})\s*月\s*
            (?: (?P<monthend>底|末) | (?P<d>\d{1,2})\s*日 )?
        )?$""",
    re.X,
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_BY_SUFFIX = re.compile(r"(之前|以前|前)$")
_BY_PREFIX = re.compile(r"^(至|到|截至|截止到?)(?=\d{4}|\d{1,2}月|年)")
_YEAR = re.compile(r"^\d{4}\s*年")
# a point written without its year: 4月, 4月底, 5月10日, 年底, 上半年, 第三季度
_YEARLESS = re.compile(r"^(?:\d{1,2}月(?:底|末|\d{1,2}日)?|年?底|年末|[上下]半年|第?[一二三四1-4]季度)$")
IN_YEAR_WORDS = ("年内", "本年内", "当年内", "年度内")


class DeadlineError(ValueError):
    """The text is not a deadline form this module understands.  Its message is in the user's language: it is
    made with ``_()`` when raised, and a reader puts it into a diagnostic as a field."""


class NoYearError(DeadlineError):
    """The deadline is written without its year and no :class:`YearContext` was given."""


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
class YearContext:
    """Where a deadline written without a year takes it from: ``start`` is the
    plan's date or the start of the phase around it; ``end`` the phase's end."""

    start: date
    end: Optional[date] = None


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: ``start``/``end`` bound it (None = open on that side).

    ``written`` is the text as the package wrote it; it takes no part in
    comparisons, so 2020年5月底前 and 2020年5月31日前 written twice compare by
    their dates only."""

    kind: str                      # "point" | "by" | "range" | "ongoing"
    first: Optional[Point] = None
    second: Optional[Point] = None  # the end of a range
    written: str = field(default="", compare=False)
    implied_year: bool = field(default=False, compare=False)   # the year came from a YearContext
    ambiguous: bool = field(default=False, compare=False)      # …and more than one year fitted, or none did

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

    def as_written(self, range_sep: str = "—", ongoing_word: str = "持续推进") -> str:
        """The deadline as the package wrote it (white space removed), else its official form."""
        return re.sub(r"\s+", "", self.written) or self.official(range_sep, ongoing_word)

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
        raise DeadlineError(_("'{text}' is not a date such as 2020年5月, 2020年5月底 or 2020年5月30日").format(text=text))
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
        raise DeadlineError(_("'{text}': there is no month {month}").format(text=text, month=m))
    if match["d"]:
        d = int(match["d"])
        _check_day(y, m, d, text)
        return Point(y, m, d)
    return Point(y, m, end_of=bool(match["monthend"]))


def _check_day(y: int, m: int, d: int, text: str) -> None:
    if not 1 <= m <= 12:
        raise DeadlineError(_("'{text}': there is no month {month}").format(text=text, month=m))
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise DeadlineError(_("'{text}': {year}年{month}月 has no day {day} (it has {last} days)").format(
            text=text, year=y, month=m, day=d, last=last))


def parse_deadline(text: str, context: Optional[YearContext] = None) -> Deadline:
    """Parse an official deadline expression; raise DeadlineError if it is none.

    A deadline without a year (4月底前) needs *context*; without one it is an error."""
    raw = str(text)
    clean = raw.translate(_FULLWIDTH_DIGITS).strip()
    clean = re.sub(r"\s+", "", clean)
    if not clean:
        raise DeadlineError(_("the deadline is empty"))
    if clean in ONGOING_WORDS:
        return Deadline("ongoing", written=raw.strip())
    if clean in IN_YEAR_WORDS:
        clean = "年底前"
    deadline = _parse_clean(clean, raw, context)
    return replace(deadline, written=raw.strip())


def _parse_clean(clean: str, raw: str, context: Optional[YearContext]) -> Deadline:
    by = _BY_SUFFIX.search(clean)
    if by:
        return _with_year("by", clean[: by.start()], None, raw, context)
    prefix = _BY_PREFIX.match(clean)
    if prefix:
        return _with_year("by", clean[prefix.end():], None, raw, context)
    # a range: split on a separator followed by a 4-digit year, or by a month when the start has its year
    parts = re.split(r"[%s](?=\d{4})" % re.escape(RANGE_SEPARATORS), clean)
    if len(parts) == 1 and _YEAR.match(clean) and not _ISO.match(clean):
        parts = re.split(r"[%s](?=\d{1,2}月)" % re.escape(RANGE_SEPARATORS), clean)
    if len(parts) == 2 and not _ISO.match(clean):
        return _with_year("range", parts[0], parts[1], raw, context)
    if len(parts) > 2:
        raise DeadlineError(_("'{text}': a range has one start and one end").format(text=raw))
    return _with_year("point", clean, None, raw, context)


def _with_year(kind: str, first: str, second: Optional[str], raw: str, context: Optional[YearContext]) -> Deadline:
    """The deadline of *kind* from its point texts, a missing year taken from *context*."""
    implied = ambiguous = False
    if _YEAR.match(first) or _ISO.match(first):
        start = _parse_point(first)
    elif _YEARLESS.match(first):
        if context is None:
            raise NoYearError(_("'{text}' has no year; write it in full, e.g. 2020年{point}, or give the document "
                                "a date to take the year from").format(text=raw, point=first))
        start, ambiguous = _fit_year(first, context)
        implied = True
    else:
        start = _parse_point(first)      # raises with the usual message
    end = None
    if second is not None:
        if _YEAR.match(second) or _ISO.match(second):
            end = _parse_point(second)
        elif _YEARLESS.match(second):    # 2015年4月-6月: the end takes the start's year, or the next
            end = _parse_point(f"{start.year}年{second}")
            if end.last < start.first:
                end = _parse_point(f"{start.year + 1}年{second}")
        else:
            end = _parse_point(second)
        if end.last < start.first:
            raise DeadlineError(_("'{text}': the range ends ({end}) before it starts ({start})").format(
                text=raw, end=end.official(), start=start.official()))
    return Deadline(kind, start, end, implied_year=implied, ambiguous=ambiguous)


def _fit_year(text: str, context: YearContext) -> Tuple[Point, bool]:
    """The point *text* in the first year that ends it inside *context*; ambiguous when several years fit
    or none does (then the context's year, or the next one when that would end before the context starts)."""
    last_year = context.end.year if context.end else context.start.year
    fitting = []
    for year in range(context.start.year, last_year + 1):
        point = _point_in_year(year, text)
        if point and point.last >= context.start and (context.end is None or point.first <= context.end):
            fitting.append(point)
    if fitting:
        return fitting[0], len(fitting) > 1
    point = _point_in_year(context.start.year, text)
    if point is None or point.last < context.start:
        point = _parse_point(f"{context.start.year + 1}年{text}")   # raises when that year lacks the day too
    return point, True


def _point_in_year(year: int, text: str) -> Optional[Point]:
    """The year-less point *text* in *year*, or None when that year has not its day (2月29日 in 2023):
    the day is checked in the year the rule picks, not in every year it tries."""
    try:
        return _parse_point(f"{year}年{text}")
    except DeadlineError:
        return None


def parse_milestones(text: str, context: Optional[YearContext] = None) -> List[Tuple[Deadline, str]]:
    """Dated targets written one after the other, as a 完成时限 cell lists a task's milestones:
    "2023年底前完成梳理；2024年上半年覆盖率达100%" → each deadline (the longest that reads as one) and its text.
    Raise DeadlineError when a part does not start with a deadline."""
    out = []
    for part in (p.strip() for p in re.split(r"[；;\n]", text)):
        if not part:
            continue
        for end in range(len(part), 0, -1):
            if end < len(part) and re.match(r"[\d０-９年月日底末前后至到\-—–～~]", part[end]):
                continue      # not where a date ends: 2021年|13月 is a wrong month, not 2021年 and a text
            try:
                deadline = parse_deadline(part[:end], context)
            except DeadlineError:
                continue
            out.append((deadline, part[end:].lstrip("，,：: \u3000")))
            break
        else:
            raise DeadlineError(_("'{text}' does not start with a deadline such as 2023年底前").format(text=part))
    return out


def parse_date(text: str) -> date:
    """Parse an exact calendar date (成文日期, 印发日期) such as 2018年1月25日."""
    point = _parse_point(re.sub(r"\s+", "", str(text).translate(_FULLWIDTH_DIGITS)))
    if not point.day:
        raise DeadlineError(_("'{text}' is not a full date such as 2018年1月25日").format(text=text))
    return point.first


def official_date(value: date) -> str:
    """2018年1月25日: full year, no zero padding (GB/T 9704 7.3.5)."""
    return f"{value.year}年{value.month}月{value.day}日"
