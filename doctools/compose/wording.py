"""The printed wording of deadlines, unit lists and duty lines.

Every place that prints a 完成时限 or a list of 责任单位 — the plan's duty
wording after a task, a table cell, a 进度安排 period, a message about a
phase — asks this module, so a package's ``range_sep`` and ``unit_sep``
(its house style) apply the same way everywhere.

A *duty format* (``style.duty_formats``) is a wording with placeholders:
``（牵头单位：{lead}[；配合单位：{support}]）``; a ``[...]`` segment is left out
when one of its placeholders has nothing to print.  ``place`` says where the
wording goes: ``inline`` after the task's text, ``line`` on a line of its
own, ``before`` at the start of its first paragraph.  A wording of several lines (a *duty block*:
牵头单位：… / 责任单位：…) prints each line as a paragraph of its own.  Besides 牵头/配合/责任 a package may declare
its own roles (``roles:``, :class:`~doctools.model.Role`); each is a placeholder too (``{chief}``).
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..model.deadline import Deadline
from ..model import BUILTIN_ROLES, Style, Task, Unit, UnitGroups, UnitRef

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def period(deadline: Optional[Deadline], style: Style, cell: bool = False) -> str:
    """A deadline or period as printed; "" for none.

    As the package wrote it ("4月底前", "长期坚持"), unless the package asks for
    the canonical form (``style.deadlines: canonical``: "2020年4月底前",
    "持续推进").  A *cell* of a table stands apart from the text that gives
    its year, so there a deadline whose year was implied prints in full."""
    if deadline is None:
        return ""
    if style.deadlines == "canonical" or (cell and deadline.implied_year):
        return deadline.official(style.range_sep)
    return deadline.as_written(style.range_sep)


def deadline_wording(task: Task, style: Style, cell: bool = False) -> str:
    """A task's 完成时限: its milestones one after the other (2023年底前完成梳理；2024年上半年覆盖率达100%),
    or its deadline."""
    if task.milestones:
        return "；".join(period(m.deadline, style, cell) + m.text for m in task.milestones)
    return period(task.deadline, style, cell)


def task_dates(task: Task) -> List[Tuple[str, Deadline]]:
    """What a task puts on the month grid: each milestone (its text after the task's name), or its deadline."""
    name = task.title or task.text
    if task.milestones:
        return [(f"{name}：{m.text}" if m.text else name, m.deadline) for m in task.milestones]
    return [(name, task.deadline)] if task.deadline else []


_DATE_PLACEHOLDER = re.compile(r"\{deadline(\d*)\}")


def fill_dates(text: str, task: Task, style: Style) -> str:
    """A task's text with ``{deadline}`` and ``{deadline1}``, ``{deadline2}`` … printed where they stand."""
    def date(match):
        n = int(match.group(1) or 0)
        if n == 0:
            return period(task.deadline, style)
        return period(task.milestones[n - 1].deadline, style) if n <= len(task.milestones) else match.group()
    return _DATE_PLACEHOLDER.sub(date, text) if "{deadline" in text else text


def filled_text(task: Task, style: Style) -> str:
    """The task as one line of text as printed (工作任务 in tables), its deadlines filled in."""
    return fill_dates(task.text, task, style)


def unit_list(units: Sequence[Unit], sep: str) -> str:
    return sep.join(u.name for u in units)


def role_units(task: Task, role: str) -> List[Unit]:
    """The units printed for a role: 责任单位 falls back to lead + support,
    牵头单位 to the responsible units."""
    if role == "responsible":
        return task.responsible or task.lead + task.support
    if role == "lead":
        return task.lead or task.responsible
    if role == "support" or role in task.roles:
        return task.role(role)
    return task.units


def table_units(task: Task, role: str) -> List[Unit]:
    """The units a table lists for a role: those printed (:func:`role_units`), then those an earlier task's
    standing rule adds (:mod:`doctools.compose.standing`), which the plan's text names only once."""
    units = role_units(task, role) if role in BUILTIN_ROLES or role in task.roles else []
    extra = task.standing.get(role, [])
    if role == "responsible" and not task.responsible:          # 责任单位 shows 牵头 and 配合 then: theirs too
        extra = extra + task.standing.get("lead", []) + task.standing.get("support", [])
    seen = {u.id for u in units}
    return units + [u for u in extra if not (u.id in seen or seen.add(u.id))]


def _written(task: Task, role: str) -> UnitGroups:
    units = task.role(role)
    return task.written.get(role) or ([[UnitRef(u) for u in units]] if units else [])


def role_groups(task: Task, role: str) -> UnitGroups:
    """The units printed for a role as written (groups of :class:`UnitRef`), with the fallbacks of :func:`role_units`."""
    if role == "responsible" and not task.responsible:
        lead, support = _written(task, "lead"), _written(task, "support")
        if len(lead) <= 1 and len(support) <= 1:            # two plain lists read as one
            return [[ref for group in lead + support for ref in group]] if lead or support else []
        return lead + support
    if role == "lead" and not task.lead:
        return _written(task, "responsible")
    return _written(task, role)


def written_list(groups: UnitGroups, style: Style) -> str:
    """A unit list as the author wrote it: 市直有关部门、单位，各区市政府、开发区管委."""
    return style.unit_group_sep.join(style.unit_sep.join(ref.printed for ref in group) for group in groups)


def duty_values(task: Task, style: Style) -> Dict[str, str]:
    """What each placeholder of a duty format prints for *task*."""
    roles = ("responsible", "lead", "support", *task.roles)
    values = {role: written_list(role_groups(task, role), style) for role in roles}
    values["units"] = unit_list(task.units, style.unit_sep)
    values["deadline"] = deadline_wording(task, style)
    return values


def duty_line(template: str, values: Dict[str, str]) -> Tuple[str, List[str], str]:
    """(the wording, the placeholders left with nothing to print, the wording without them).  A wording of
    several lines (a duty block) keeps its line breaks; a line left empty by its ``[...]`` segments is dropped."""
    if "\n" in template:
        parts = [duty_line(line, values) for line in template.split("\n")]
        kept = [p for p in parts if p[0]]
        return "\n".join(p[0] for p in kept), [k for p in kept for k in p[1]], "\n".join(p[2] for p in kept)
    def segment(match):
        inner = match.group(1)
        return inner if all(values.get(k) for k in PLACEHOLDER.findall(inner)) else ""

    text = _SEGMENT.sub(segment, template)
    empty = [k for k in PLACEHOLDER.findall(text) if not values.get(k)]
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text), empty, PLACEHOLDER.sub("", text)
