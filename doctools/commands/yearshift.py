"""Reuse last year's plan: copy a package and move every date in it by whole years.

An office that repeats a plan each year (政务公开工作要点, 实施方案) copies last year's package and changes its
dates.  Done by hand, a deadline or two is always missed: a plan dated 2027年3月1日 went out with four deadlines
from 2020–21.  :func:`shift_texts` moves every year written in the package's YAML (2026年3月底前 -> 2027年3月底前,
2026-03-01 -> 2027-03-01) by the same number of years, keeping the files' comments and layout, and lists each date
it changed.  What is not a date of this plan keeps its year: the 依据 (``basis``, documents of past years), a
发文字号 (陕政办发〔2017〕70号 is a number, not a date) and the YAML keys.  :func:`copy_to_year` does it for a
package folder (``doctools new --from PACKAGE --year 2027``; the workbench's 沿用去年方案).  After the shift it also
lists each date still earlier than the new 成文日期 (a date the shift could not make right: "2026年以来" in a
background section, a deadline already past), for the clerk to read.
"""
from __future__ import annotations

import calendar
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import yaml

# a year that is part of a date: 2026年…, 2026-3-1, and the first year of a range written 2026—2027年
_YEAR = re.compile(r"(?<![\d〔\[［(（])((?:19|20|21)\d{2})(?=\s*年|-\d{1,2}-\d{1,2}(?!\d)|[-—–～~至到](?:19|20|21)\d{2}\s*年)")
# a whole date as written, for the list of what changed and the comparison with the 成文日期
_DATE = re.compile(r"(?:(?:19|20|21)\d{2}[-—–～~至到](?=(?:19|20|21)\d{2}\s*年))?((?:19|20|21)\d{2})(?:-(\d{1,2})-(\d{1,2})|\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"
                   r"|([上下])半年|第?([一二三四1-4])季度)?)")
_KEEP = ("basis", "number")     # keys whose values keep their years: documents of other years, 发文字号


@dataclass(frozen=True)
class DateChange:
    """One date the shift changed, or one still earlier than the new 成文日期."""

    file: str
    line: int          # 1-based, in the file as written
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.old} -> {self.new}" if self.old != self.new \
            else f"{self.file}:{self.line}: {self.new}"


@dataclass
class YearCopy:
    """What :func:`copy_to_year` did."""

    years: int                                  # how many years every date moved
    date: Optional[date]                        # the new 成文日期
    written: List[Path] = field(default_factory=list)
    changed: List[DateChange] = field(default_factory=list)
    earlier: List[DateChange] = field(default_factory=list)   # dates still before the new 成文日期


def _scalars(node, keep: bool = False) -> Iterator[Tuple[yaml.ScalarNode, bool]]:
    """Every value scalar of a composed YAML document, with whether its dates are kept as they are."""
    if isinstance(node, yaml.ScalarNode):
        yield node, keep
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, keep)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, keep or (isinstance(key, yaml.ScalarNode) and key.value in _KEEP))


def _date_spans(text: str) -> List[Tuple[int, int, bool]]:
    """(start, end, keep) of every value scalar in *text*, in order; [] when it is not YAML."""
    try:
        nodes = [n for doc in yaml.compose_all(text, Loader=yaml.SafeLoader) if doc is not None
                 for n in _scalars(doc)]
    except yaml.YAMLError:
        return []
    return sorted((n.start_mark.index, n.end_mark.index, keep) for n, keep in nodes)


def _moved(match: "re.Match", years: int) -> str:
    return str(int(match.group(1)) + years)


def _last_day(match: "re.Match") -> Optional[date]:
    """The last day of a written date (2027年3月 -> 2027-03-31), None when it is not one."""
    y, iso_m, iso_d, m, d, half, quarter = match.groups()
    year = int(y)
    try:
        if iso_m:
            return date(year, int(iso_m), int(iso_d))
        if m and d:
            return date(year, int(m), int(d))
        if m:
            return date(year, int(m), calendar.monthrange(year, int(m))[1])
        if half:
            return date(year, 6, 30) if half == "上" else date(year, 12, 31)
        if quarter:
            month = 3 * ("一二三四".find(quarter) + 1 if quarter in "一二三四" else int(quarter))
            return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None
    return date(year, 12, 31)


def _fix_leap_day(text: str) -> str:
    """2月29日 of a year that has none becomes 2月28日."""
    def fix(m):
        year = int(m.group(1))
        return m.group(0) if calendar.isleap(year) else m.group(0).replace("29", "28")
    return re.sub(r"((?:19|20|21)\d{2})\s*年\s*2\s*月\s*29\s*日", fix, re.sub(
        r"((?:19|20|21)\d{2})-0?2-29(?!\d)", fix, text))


def shift_text(text: str, years: int, name: str = "") -> Tuple[str, List[DateChange]]:
    """*text* (one YAML file) with every date of the plan moved by *years*; and the list of what changed."""
    if not years:
        return text, []
    out, changes, pos = [], [], 0
    for start, end, keep in _date_spans(text):
        if start < pos:
            continue
        out.append(text[pos:start])
        piece = text[start:end]
        if not keep:
            shifted = _fix_leap_day(_YEAR.sub(lambda m: _moved(m, years), piece))
            if shifted != piece:
                line = text.count("\n", 0, start) + 1
                changes.extend(_changed(piece, shifted, name, line))
                piece = shifted
        out.append(piece)
        pos = end
    out.append(text[pos:])
    return "".join(out), changes


def _changed(old: str, new: str, name: str, line: int) -> List[DateChange]:
    """The dates that differ between *old* and *new* (the same scalar before and after), each on its own line."""
    olds, news = list(_DATE.finditer(old)), list(_DATE.finditer(new))
    out = []
    for a, b in zip(olds, news):
        if a.group(0) != b.group(0):
            out.append(DateChange(name, line + old.count("\n", 0, a.start()), a.group(0).strip(), b.group(0).strip()))
    return out


def shift_texts(files: Dict[str, str], years: int) -> Tuple[Dict[str, str], List[DateChange]]:
    """The YAML files of a package (name -> text) with every date moved by *years*, and what changed."""
    out, changes = {}, []
    for name, text in files.items():
        out[name], changed = shift_text(text, years, name)
        changes.extend(changed)
    return out, changes


def plan_date(files: Dict[str, str]) -> Optional[date]:
    """The 成文日期 (``document.date``) of a package's YAML files, None when there is none."""
    from ..model.deadline import DeadlineError, parse_date

    for text in files.values():
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        document = data.get("document") if isinstance(data, dict) else None
        if isinstance(document, dict) and document.get("date"):
            value = document["date"]
            if isinstance(value, date):
                return value
            try:
                return parse_date(str(value))
            except DeadlineError:
                return None
    return None


def earlier_dates(files: Dict[str, str], day: date) -> List[DateChange]:
    """Every date of the plan (not its 依据 or 发文字号) that ends before *day*."""
    out = []
    for name, text in files.items():
        for start, end, keep in _date_spans(text):
            if keep:
                continue
            piece = text[start:end]
            for m in _DATE.finditer(piece):
                last = _last_day(m)
                if last is not None and last < day:
                    out.append(DateChange(name, text.count("\n", 0, start + m.start()) + 1, m.group(0).strip(),
                                          m.group(0).strip()))
    return out


def plan_year(files: Dict[str, str]) -> Optional[int]:
    """The year a plan is of: its 成文日期's, else the earliest year among its dates (not its 依据's)."""
    day = plan_date(files)
    if day is not None:
        return day.year
    years = [int(m.group(1)) for text in files.values() for start, end, keep in _date_spans(text) if not keep
             for m in _YEAR.finditer(text[start:end])]
    return min(years) if years else None


def copy_to_year(source: Path, folder: Path, year: int) -> YearCopy:
    """Copy the package in *source* into *folder* (new or empty) with every date moved by the years between the
    plan's year (:func:`plan_year`) and *year*; the files that are not YAML (workbooks, pictures, README) are
    copied as they are.  A package without any date is copied unchanged."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(source.glob("*.yaml"))}
    old = plan_year(texts)
    years = year - old if old is not None else 0
    shifted, changes = shift_texts(texts, years)
    new_date = plan_date(shifted)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        target = folder / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.parent == source and path.name in shifted:
            target.write_text(shifted[path.name], encoding="utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    earlier = earlier_dates(shifted, new_date) if new_date else []
    return YearCopy(years=years, date=new_date, written=written, changed=changes, earlier=earlier)
