"""Checks of a package that need the whole of it: the schedule's phases in
time order and without overlap, task and milestone deadlines inside the schedule (after an
edited task workbook is applied), units no task names."""
from __future__ import annotations

import dataclasses

from ..errors import Diagnostics
from ..i18n import N_
from ..model import Package
from .body import schedule_span
from .wording import period


def check_schedule(package: Package, diags: Diagnostics) -> None:
    """Phases in order without overlap; task deadlines inside the plan's schedule."""
    style = dataclasses.replace(package.style, deadlines="canonical")    # messages give the year of every date
    phases = package.phases
    for before, after in zip(phases, phases[1:]):
        if after.period is None or before.period is None:
            continue
        a, b = after.period, before.period
        if (a.start and b.start and a.start < b.start) or (a.end and b.end and a.end < b.end):
            diags.error(after.period_pos, N_("phase {n} ({period}) comes before the phase above it ({above}); list phases "
                                             "in time order"), n=after.number, period=period(a, style), above=period(b, style))
    if any(p.period is None for p in phases):
        return        # a phase without a readable period is reported already; its span would mislead
    for before, after in zip(phases, phases[1:]):
        if after.period.end and before.period.end and after.period.end < before.period.end:
            continue  # reported above: the phases go backwards
        if after.period.start and before.period.end and after.period.start <= before.period.end:
            diags.error(after.pos, N_("phase '{phase}' ({period}) overlaps phase '{other}' ({other_period})"),
                        phase=after.title, period=period(after.period, style), other=before.title,
                        other_period=period(before.period, style))
    span = schedule_span(package)
    if span is None:
        return
    first, last = span.start, span.end

    def outside(d) -> bool:
        return d is not None and d.kind != "ongoing" and (
            (d.end and d.end > last) or (d.start and d.start < first) or (d.end and d.end < first))

    for task in package.tasks:
        late = [(n, m) for n, m in enumerate(task.milestones, start=1) if outside(m.deadline)]
        if outside(task.deadline) and task.deadline not in [m.deadline for _n, m in late]:   # not the last milestone's
            diags.error(task.deadline_pos or task.pos, N_("task '{task}': its deadline {deadline} is outside the plan's schedule ({span})"),
                        task=task.id, deadline=period(task.deadline, style), span=period(span, style))
        for n, milestone in late:
            diags.error(milestone.pos, N_("task '{task}': the deadline {deadline} of its milestone {n} is outside the "
                                          "plan's schedule ({span})"), task=task.id, n=n,
                        deadline=period(milestone.deadline, style), span=period(span, style))


def check_unreferenced(package: Package, diags: Diagnostics) -> None:
    if "tasks" in package.lost:       # the tasks' file could not be read, not a unit left out
        return
    for unit in package.units:
        if not unit.named:
            diags.warning(unit.pos, N_("unit '{unit}' is not named by any task"), unit=unit.name)
