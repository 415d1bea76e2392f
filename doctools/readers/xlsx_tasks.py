"""Read an edited 任务分工表.xlsx back as the package's task source.

Staff receive the task table as a workbook, change a deadline, add a unit,
add a row, and hand it back.  With ``tables: {tasks: {source: 任务分工表.xlsx}}``
the package reads its tasks from that file, so the plan's body, its tables
and every unit's list follow the edited table.

Rows are matched to tasks by the hidden 编号 column doctools writes; a row
without one is a new task.  Tasks of tasks.yaml that the workbook no longer
lists are dropped.  The header row is found by its column names, group rows
(一、…) and blank rows are skipped, and every cell that cannot be read is
reported as ``file[sheet]:row:col: error: cell C5 (责任单位): …``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, TYPE_CHECKING

from ..deadline import DeadlineError, parse_deadline
from ..errors import Pos
from ..model import Run, Task
from ..tables import COLUMN_FIELDS

if TYPE_CHECKING:  # pragma: no cover
    from .package import PackageReader

ID_HEADER = "编号"
_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
_SEPARATORS = "、，,；;/\n"


def split_units(text: str) -> List[str]:
    """Unit names from a cell: split on 、，,； but not inside brackets
    (各县（市、区）政府 is one name)."""
    names, current, depth = [], "", 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return [n.strip() for n in names if n.strip()]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_task_workbook(reader: "PackageReader", path: Path, spec_pos: Pos) -> None:
    from openpyxl import load_workbook

    display = reader.display(path)
    if not path.is_file():
        reader.diags.error(spec_pos, f"tables.tasks.source: no file '{path.name}' in the package folder")
        return
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged or non-Excel file
        reader.diags.error(Pos(display), f"cannot read the workbook: {exc}")
        return
    for ws in wb.worksheets:
        header_row, columns = _find_header(ws)
        if header_row:
            break
    else:
        reader.diags.error(Pos(display), "no sheet has a header row with 工作任务 (or 任务) and the other column names")
        return
    where = f"{display}[{ws.title}]"
    merged_rows = {rng.min_row for rng in ws.merged_cells.ranges if rng.max_col > rng.min_col}
    known: Dict[str, Task] = {t.id: t for t in reader.task_order}
    kept: List[Task] = []
    for r in range(header_row + 1, ws.max_row + 1):
        values = {field: _text(ws.cell(row=r, column=c).value) for field, c in columns.items()}
        if not any(values.values()) or (r in merged_rows and not values.get("id")):
            continue                                      # blank row or a group row (一、…)
        task = _row_task(reader, values, columns, r, where, known, len(kept))
        if task is not None:
            kept.append(task)
    reader.task_order[:] = kept
    reader.tasks.clear()
    reader.tasks.update({t.id: t for t in kept})


def _find_header(ws):
    for r in range(1, min(ws.max_row, 6) + 1):
        columns = {}
        for c in range(1, ws.max_column + 1):
            name = _text(ws.cell(row=r, column=c).value)
            if name == ID_HEADER and "index" in columns:
                columns["id"] = c
            elif name in COLUMN_FIELDS and COLUMN_FIELDS[name] not in columns:
                columns[COLUMN_FIELDS[name]] = c
        if "text" in columns:
            return r, columns
    return None, {}


def _row_task(reader, values, columns, r, where, known, count) -> Optional[Task]:
    from openpyxl.utils import get_column_letter

    def pos(field):
        return Pos(where, r, columns[field])

    def cell(field):
        return f"cell {get_column_letter(columns[field])}{r}"

    text = values.get("text", "")
    if not text:
        reader.diags.error(pos("text"), f"{cell('text')} (工作任务) is empty, but the row has other cells")
        return None
    task_id = values.get("id") or f"row{r}"
    task = known.get(task_id)
    if task is None:
        task = Task(id=task_id, title=None, paragraphs=[], pos=Pos(where, r, 1))
    if text != task.text:
        task.paragraphs = [[Run(text)]]
        task.title = task.title if task.title and task.title == text else task.title
    for field in ("responsible", "lead", "support"):
        if field in columns:
            units = reader.resolve_units(split_units(values.get(field, "")), pos(field), f"{cell(field)}")
            setattr(task, field, units)
    if "deadline" in columns:
        raw = values.get("deadline", "")
        if raw:
            try:
                task.deadline = parse_deadline(raw)
            except DeadlineError as exc:
                reader.diags.error(pos("deadline"), f"{cell('deadline')} (完成时限): {exc}")
        else:
            task.deadline = None
    if "note" in columns:
        task.note = values.get("note") or None
    return task
