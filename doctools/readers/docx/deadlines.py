"""The deadline rule: dates and deadlines in wording (2024年10月底前, 年底前), milestones of several dated
targets, and the order of deadlines.
"""
from __future__ import annotations

import datetime
import re
from typing import Dict, List, Optional

from ...model.deadline import DeadlineError, YearContext, parse_deadline


def _deadline_key(task: Dict):
    from datetime import date
    try:
        return parse_deadline(task["deadline"]).sort_key if task.get("deadline") else (date.max, date.max)
    except DeadlineError:
        return (date.max, date.max)


_ANY_YEAR = YearContext(datetime.date(2000, 1, 1))


def milestones(text: str) -> List[Dict[str, str]]:
    """"2025年6月底前完成梳理，9月底前完成公开" → [{deadline: 2025年6月底前, text: 完成梳理}, …]; [] unless
    every part is a deadline followed by what is due then, and there are two or more."""
    out = []
    for part in (p.strip() for p in re.split(r"[，；,;]", text.rstrip("。")) if p.strip()):
        # the longest deadline that starts the part
        found = next((k for k in range(len(part) - 1, 1, -1) if _is_deadline(part[:k])), None)
        if found is None:
            return []
        out.append({"deadline": part[:found], "text": part[found:]})
    return out if len(out) >= 2 else []


def _has_year(text: str) -> bool:
    try:
        parse_deadline(text)
        return True
    except DeadlineError:
        return False


def _is_deadline(text: str) -> bool:
    """Whether *text* is a deadline, its year left out (年底前) or not: the package reader gives it its year."""
    try:
        parse_deadline(text, _ANY_YEAR)
        return True
    except DeadlineError:
        return False


def _span(periods, range_sep: str) -> Optional[str]:
    """The whole schedule's period as the package reader prints it after the title."""
    if not periods:
        return None
    first = min(periods, key=lambda d: d.start).first
    last_period = max(periods, key=lambda d: d.end)
    last = last_period.second if last_period.kind == "range" else last_period.first
    return first.official() + (range_sep + last.official() if first != last else "")


# ---- 进度安排 -----------------------------------------------------------------------
def phase_of(title: str):
    """"制定实施方案（2017年12月-2018年1月）" → (title, period) when the period parses."""
    m = re.match(r"^(.*?)[（(]([^（）()]*\d{4}[^（）()]*)[）)]$", title)
    if not m:
        return None
    try:
        parse_deadline(m.group(2))
    except DeadlineError:
        return None
    return m.group(1), m.group(2)


# a deadline as plans write it in a task's text: 2024年10月底前, 5月底前, 年底前, 2024年上半年
_IN_TEXT = re.compile(r"(?<![\d年月])(?:\d{4}年(?:底|末)|(?:\d{4}年)?(?:\d{1,2}月(?:底|末|上旬|中旬|下旬|\d{1,2}日)?|上半年|下半年)"
                      r"|年底|年末)(?:前|以前)?")


def deadlines_in(text: str) -> List[str]:
    """The deadlines a task's text states (each as written), in order."""
    return [m.group(0) for m in _IN_TEXT.finditer(text) if _is_deadline(m.group(0))]


def paren_deadlines(text: str) -> List[str]:
    """The deadlines a text states in parentheses of their own: （5月底前完成）."""
    return [d for m in re.finditer(r"[（(]([^（）()]{2,20})[）)]", text) for d in deadlines_in(m.group(1))]


def stated_deadlines(text: str) -> List[str]:
    """The deadlines a task's text states as its own: one opening the text, and those in parentheses."""
    opening = _IN_TEXT.match(text)
    first = [opening.group(0)] if opening and _is_deadline(opening.group(0)) else []
    return first + paren_deadlines(text)
