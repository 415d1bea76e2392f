"""Apply the rows of an edited 任务分工表.xlsx to the package's tasks.

:mod:`doctools.readers.xlsx_tasks` reads the workbook into
:class:`~doctools.model.TaskEdit` rows; here they become the task list: a row
with a known 编号 changes that task (its text, units, deadline, note), a row
without one is a new task, and a task the workbook no longer lists is dropped.
"""
from __future__ import annotations

from typing import Dict, List

from ..errors import Diagnostics
from ..model import Package, Run, Task, Unit, UnitRef
from ..model.unit_registry import registry_index, resolve_units
from .standing import ruled_out
from .wording import fill_dates, filled_text


def apply_edits(package: Package, diags: Diagnostics, standing=lambda task_id: {}) -> None:
    """*standing* gives a task's units from earlier tasks' rules (:mod:`.standing`): its cells show them, but
    the task does not name them itself."""
    if package.task_edits is None:
        return
    index = registry_index(package.units)
    known: Dict[str, Task] = {t.id: t for t in package.tasks}
    kept: List[Task] = []
    for edit in package.task_edits:
        task_id = edit.task_id or f"row{edit.row}"
        task = known.get(task_id)
        if task is None:
            task = Task(id=task_id, title=None, paragraphs=[], pos=edit.pos)
        if edit.text != filled_text(task, package.style):      # the text as the workbook shows it, deadlines filled in
            task.paragraphs = [[Run(edit.text)]]
        for role, cell in edit.units.items():
            units = ruled_out(task, role, resolve_units(cell.names, index, package.units, cell.pos, cell.label, diags),
                              standing(task_id))
            if [u.id for u in units] != [u.id for u in getattr(task, role)]:
                keep_written_forms(task, role, units)
            setattr(task, role, units)
        if edit.milestones is not None:
            task.deadline_pos = edit.deadline_pos               # a problem with it points at the cell
            if edit.milestones != task.milestones:
                task.milestones = edit.milestones
                task.deadline = max((m.deadline for m in task.milestones), key=lambda d: d.sort_key)
        elif edit.has_deadline:
            task.deadline_pos = edit.deadline_pos               # a problem with it points at the cell
            if edit.deadline != task.deadline:                  # the same dates keep the text's wording (年底前)
                task.deadline = edit.deadline
                task.milestones = []
        if edit.has_note:
            task.note = edit.note
        kept.append(task)
    package.tasks[:] = kept


def keep_written_forms(task: Task, role: str, units: List[Unit]) -> None:
    """A role whose units the workbook changed: the units still named keep the name the text printed for them;
    the groups (which were the author's) are gone, so the list is one group again."""
    groups = task.written.pop(role, None)
    if groups is None:
        return
    forms = {ref.unit.id: ref.written for group in groups for ref in group if ref.written}
    if any(u.id in forms for u in units):
        task.written[role] = [[UnitRef(u, forms.get(u.id)) for u in units]]


def fill_task_dates(package: Package) -> None:
    """Print each task's ``{deadline}`` / ``{deadline1}`` … where its text has them (after the edits, which may
    have changed the dates)."""
    for task in package.tasks:
        for paragraph in task.paragraphs:
            for run in paragraph:
                run.text = fill_dates(run.text, task, package.style)
