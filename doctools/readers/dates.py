"""Dates of a plan earlier than its 成文日期 (date of the document): a warning.

A plan copied from an earlier year keeps that year's deadlines: one dated 2027年3月1日 went out with four
deadlines from 2020-21, and check said nothing.  A task's deadline or milestone, or a phase of the 进度安排, that
ends before the plan's date is told, unless the task stands in a section about the past (工作背景, 基本情况,
工作回顾, 前期工作, 取得的成效 …), where earlier dates are what the text is about.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Iterable, Set

from ..errors import Diagnostics
from ..i18n import N_, _
from ..model import Section, TaskRef, plain
from ..model.deadline import official_date

PAST = re.compile(r"背景|回顾|基本情况|现状|前期|已(?:经)?(?:开展|完成|取得)|取得的?成[效绩果]|工作成效|主要成效|进展情况|总结")


def _refs(value) -> Iterable[str]:
    """The ids of every task a block (or anything inside it) names."""
    if isinstance(value, TaskRef):
        yield value.task_id
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _refs(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type) and not isinstance(value, Section):
        for f in dataclasses.fields(value):
            yield from _refs(getattr(value, f.name))


def past_tasks(sections: Iterable[Section], past: bool = False) -> Set[str]:
    """Ids of the tasks standing in a section (or under one) whose title is about the past."""
    out: Set[str] = set()
    for s in sections:
        here = past or bool(PAST.search(plain(s.title) if isinstance(s.title, list) else str(s.title or "")))
        if here:
            out |= set(_refs(s.blocks))
            if s.task_ref is not None:
                out.add(s.task_ref.task_id)
        out |= past_tasks(s.children, here)
    return out


def warn_dates_before(day: date, sections, tasks, phases, diags: Diagnostics) -> None:
    """Warn at each deadline, milestone and phase that ends before *day*, the plan's 成文日期."""
    if day is None:
        return
    skip = past_tasks(sections)
    hint = _("a plan copied from an earlier year? change the date, or doctools new --from … --year moves them all")
    for task in tasks:
        if task.id in skip:
            continue
        dated = [(task.deadline, task.deadline_pos or task.pos)] if task.deadline and not task.milestones else []
        dated += [(m.deadline, m.pos) for m in task.milestones]
        for deadline, pos in dated:
            if deadline is not None and deadline.end is not None and deadline.end < day:
                diags.warning(pos, N_("task '{task}': the deadline {deadline} is earlier than the plan's date {date}"),
                              hint, task=task.id, deadline=deadline.as_written(), date=official_date(day))
    for phase in phases:
        if phase.period is not None and phase.period.end is not None and phase.period.end < day:
            diags.warning(phase.period_pos, N_("phase {number}: its period {period} ends before the plan's date {date}"),
                          hint, number=phase.number, period=phase.period.as_written(), date=official_date(day))
