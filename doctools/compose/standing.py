"""A standing rule: units one task's duty wording names for every task after it.

A plan may say once what holds for all the tasks that follow ("以下任务均需各区市政府、开发区管委落实，不再一一列出",
the 威海 plan's first task).  The task says so with ``later_tasks`` (:attr:`~doctools.model.Task.later`): per
role, the units every later task takes on.  The plan prints the rule once, where its author wrote it (that
task's duty wording), and the later tasks' own wording stays as written; the 任务分工表 and each unit's 任务清单
list the units on every later task (:attr:`~doctools.model.Task.standing`).

"Later" is the order the body prints the tasks in; a task the body never prints, and a row staff add to the task
workbook, come after them all.  Reading the 任务分工表 back, a unit a rule gave a task is not taken as one the task
names itself (:func:`ruled_out`), so an unedited workbook changes nothing.
"""
from __future__ import annotations

from typing import Dict, List, Sequence

from ..model import Package, ScheduleRef, Section, Task, TaskRef, Unit

Standing = Dict[str, List[Unit]]      # role -> units


def reading_order(package: Package) -> List[str]:
    """Task ids in the order the body first prints them (as :class:`~doctools.compose.body.BodyComposer` places
    them), then the tasks it does not print, in file order."""
    ids: List[str] = []

    def blocks(items: Sequence) -> None:
        ids.extend(b.task_id for b in items if isinstance(b, TaskRef))

    def section(s: Section) -> None:
        if s.task_ref is not None:
            ids.append(s.task_ref.task_id)
        blocks(s.blocks)
        for _ref in (b for b in s.blocks if isinstance(b, ScheduleRef)):
            for phase in package.phases:
                blocks(phase.tasks)
        for child in s.children:
            section(child)

    doc = package.document
    for s in doc.sections:
        section(s)
    for attachment in doc.attachments:
        blocks(attachment.blocks)
        blocks(attachment.after)
        for s in attachment.sections:
            section(s)
    ids += [t.id for t in package.tasks]
    return list(dict.fromkeys(ids))


def standing_rules(package: Package):
    """A function giving, for a task id, the units the rules of the tasks before it add (an id the package did
    not have, a new workbook row, comes after every rule)."""
    order = {task_id: i for i, task_id in enumerate(reading_order(package))}
    rules = sorted((t for t in package.tasks if t.later), key=lambda t: order[t.id])

    def standing(task_id: str) -> Standing:
        out: Standing = {}
        at = order.get(task_id, len(order))
        for rule in rules:
            if order[rule.id] < at:
                for role, units in rule.later.items():
                    have = out.setdefault(role, [])
                    have += [u for u in units if all(u.id != h.id for h in have)]
        return out
    return standing


def ruled_out(task: Task, role: str, units: List[Unit], standing: Standing) -> List[Unit]:
    """A role's units as read from a workbook cell, less those a rule gave the task (the cell shows them too)
    that the task did not name itself."""
    own = {u.id for u in task.role(role)}
    given = {u.id for u in standing.get(role, [])}
    return [u for u in units if u.id in own or u.id not in given]


def apply_standing(package: Package, standing) -> None:
    for task in package.tasks:
        task.standing = standing(task.id)
