"""Apply the rows of an edited 任务分工表.xlsx to the package's tasks.

:mod:`doctools.readers.xlsx_tasks` reads the workbook into
:class:`~doctools.model.TaskEdit` rows; here they become the task list: a row
with a known 编号 changes that task (its text, units, deadline, note), a row
without one is a new task, and a task the workbook no longer lists is dropped.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from ..errors import Diagnostics
from ..i18n import N_, _
from ..model import Package, Run, Section, Task, TaskRef, Unit, UnitRef, plain
from ..model.unit_registry import registry_index, resolve_units
from .standing import ruled_out
from .tables import group_name
from .wording import fill_dates, filled_text


def apply_edits(package: Package, diags: Diagnostics, standing=lambda task_id: {}) -> None:
    """*standing* gives a task's units from earlier tasks' rules (:mod:`.standing`): its cells show them, but
    the task does not name them itself."""
    if package.task_edits is None:
        return
    index = registry_index(package.units)
    known: Dict[str, Task] = {t.id: t for t in package.tasks}
    kept: List[Task] = []
    new_rows = []
    for edit in package.task_edits:
        task_id = edit.task_id or f"row{edit.row}"
        task = known.get(task_id)
        if task is not None:
            package.task_values[task_id] = {"yaml": yaml_values(task, package.style), "workbook": edit_values(edit)}
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
        if task_id not in known and not edit.task_id:
            new_rows.append((task, edit))
    package.tasks[:] = kept
    for task, edit in new_rows:
        place_new_row(package, task, edit, diags)


def _task_refs(blocks: list) -> List[Tuple[list, int, TaskRef]]:
    """(the list, index, ref) of every task reference among *blocks*, in reading order (lists inside too)."""
    out = []
    for i, block in enumerate(blocks):
        if isinstance(block, TaskRef):
            out.append((blocks, i, block))
        for inner in (getattr(block, "items", None), getattr(block, "blocks", None)):
            if isinstance(inner, list):
                out += _task_refs(inner)
    return out


def _section_refs(section: Section) -> List[Tuple[list, int, TaskRef]]:
    out = _task_refs(section.blocks)
    for child in section.children:
        out += _section_refs(child)
    return out


def place_new_row(package: Package, task: Task, edit, diags: Diagnostics) -> None:
    """A row added to the workbook without 编号: printed in the body after the last task of the section its
    group row names (一、主要任务); where the workbook has no group, or no section has that title, check says
    where the row is and what to write, instead of printing it in the table only."""
    wanted = group_name(edit.group) if edit.group else None
    section = next((s for s in package.document.sections if wanted and plain(s.title).strip() == wanted), None)
    if section is None:
        diags.warning(edit.pos, N_("row {row} is a new task, printed in the task table but not in the body: "
                                   "no section of the body is its group{group}"),
                      _("to print it in the body, type an id such as t{row} in its 编号 cell and add "
                        "'- task: t{row}' to body.yaml where it belongs").format(row=edit.row),
                      row=edit.row, group=f" '{edit.group}'" if edit.group else "")
        return
    refs = _section_refs(section)
    ref = TaskRef(task.id, edit.pos)
    if refs:
        blocks, index, last = refs[-1]
        ref.number = last.number + 1 if last.number is not None else None
        ref.marker = last.marker
        blocks.insert(index + 1, ref)
    else:
        section.blocks.append(ref)


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


# ---- drift: the YAML and the workbook both changed since the last build ------------------------------------------
FIELD_WORDS = {"text": N_("工作任务"), "deadline": N_("完成时限"), "responsible": N_("责任单位"), "lead": N_("牵头单位"),
               "support": N_("配合单位")}


def yaml_values(task: Task, style) -> Dict[str, str]:
    """What tasks.yaml says of a task, field by field, as the workbook would show it."""
    out = {"text": filled_text(task, style), "deadline": task.deadline.as_written() if task.deadline else ""}
    for role in ("responsible", "lead", "support"):
        out[role] = "、".join(u.name for u in getattr(task, role))
    return out


def edit_values(edit) -> Dict[str, str]:
    """What the workbook's row says, for the fields it has a column for."""
    out = {"text": edit.text}
    if edit.has_deadline:
        out["deadline"] = edit.deadline.as_written() if edit.deadline else ""
    for role, cell in edit.units.items():
        out[role] = "、".join(cell.names)
    return out


def warn_drift(package: Package, previous: Dict, source: str, diags: Diagnostics) -> None:
    """*previous*: the task values the last build recorded (its manifest's "tasks").  A field tasks.yaml changed
    since then is not printed when the workbook named by tables.tasks.source wins: say so, with both values, and
    whether the workbook changed it too."""
    if not isinstance(previous, dict):
        return
    tasks = {t.id: t for t in package.tasks}
    for task_id, now in package.task_values.items():
        before = previous.get(task_id)
        if not isinstance(before, dict) or task_id not in tasks:
            continue
        for key, yaml_now in now["yaml"].items():
            yaml_then = (before.get("yaml") or {}).get(key)
            book_now, book_then = now["workbook"].get(key), (before.get("workbook") or {}).get(key)
            if yaml_then is None or book_now is None or yaml_now == yaml_then or yaml_now == book_now:
                continue
            what = _(FIELD_WORDS[key])
            if book_now != book_then:
                diags.warning(tasks[task_id].pos, N_("task '{task}': its {field} was changed both in tasks.yaml (to "
                                                     "'{yaml}') and in {source} (to '{book}') since the last build; "
                                                     "the workbook's '{book}' is printed"),
                              _("tables.tasks.source names the workbook; make the two agree"),
                              task=task_id, field=what, yaml=yaml_now, book=book_now, source=source)
            else:
                diags.warning(tasks[task_id].pos, N_("task '{task}': its {field} was changed in tasks.yaml to '{yaml}' "
                                                     "since the last build, but {source} still says '{book}', and that "
                                                     "is printed"),
                              _("tables.tasks.source names the workbook: change it there too, or remove 'source' to "
                                "take the tasks from tasks.yaml"),
                              task=task_id, field=what, yaml=yaml_now, book=book_now, source=source)
