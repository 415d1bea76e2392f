"""Read an edited 任务分工表.xlsx back as the package's task source.

Staff receive the task table as a workbook, change a deadline, add a unit,
add a row, and hand it back.  With ``tables: {tasks: {source: 任务分工表.xlsx}}``
the package reads its tasks from that file, so the plan's body, its tables
and every unit's list follow the edited table.  This module only reads: each
row becomes a :class:`~doctools.model.TaskEdit`, which
:mod:`doctools.compose.edits` applies to the tasks.

Rows are matched to tasks by the hidden 编号 column doctools writes; a row
without one is a new task.  Tasks of tasks.yaml that the workbook no longer
lists are dropped.  The header row is found by its column names, group rows
(一、…) and blank rows are skipped, and every cell that cannot be read is
reported as ``file[sheet]:row:col: error: cell C5 (责任单位): …``.

The workbook is read the way staff see it in Excel: the first *visible*
sheet with the header (a hidden one before it is reported), a merged cell's
text in every cell it covers, a typed date as 2021年6月30日.  A formula with no
saved result (a workbook written by a program, never opened in Excel) or a
cell showing ``#REF!`` is an error, never an empty 责任单位 printed as
"责任单位：" with nothing after it.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from ..model.deadline import DeadlineError, YearContext, parse_deadline, parse_milestones
from ..errors import Diagnostics, Pos
from ..i18n import N_, _
from ..model import Milestone, TaskEdit, UnitCell
from ..resources import COLUMN_FIELDS

ID_HEADER = "编号"
_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
_SEPARATORS = "、，,；;/\n"
_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
_GROUP = re.compile(r"^[一二三四五六七八九十]+、")


def split_units(text: str, known: Iterable[str] = ()) -> List[str]:
    """Unit names from a cell: split on 、，,； but not inside brackets
    (各县（市、区）政府 is one name), and not inside a *known* name (the
    registry's): 县委、县政府督查室 is one unit, the longest known name first."""
    known = sorted({k for k in known if k and any(ch in _SEPARATORS for ch in k)}, key=len, reverse=True)
    names, current, depth, i = [], "", 0, 0
    while i < len(text):
        if not current.strip() and depth == 0:
            whole = next((k for k in known if text.startswith(k, i) and
                          (i + len(k) == len(text) or text[i + len(k)] in _SEPARATORS + " \t\u3000")), None)
            if whole:
                names.append(whole)
                current, i = "", i + len(whole)
                continue
        ch = text[i]
        i += 1
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
    return _join_generic([n.strip() for n in names if n.strip()], text)


# words that name no unit alone: "市直有关部门、单位" is one unit (the departments and bodies of the city), not two
GENERIC = ("单位", "部门", "机构", "企业", "组织", "团体", "各单位", "各部门")


# a party committee or government alone (县委) before 、 and a name of theirs ending in an office word
# (县政府督查室): 县委、县政府督查室 is the office the two share, one unit; 县委办公室、县政府办公室 are two
BODIES = ("县委", "市委", "区委", "省委", "县政府", "市政府", "区政府", "省政府")
_JOINT_OFFICE = re.compile("^(" + "|".join(BODIES) + r")\S*(督查室|督查局|督查办|办公室)$")


def _join_generic(names: List[str], text: str) -> List[str]:
    """*names* with a bare generic word joined to the name before it, with the separator the text has between,
    and a bare 县委 joined by 、 to the office it shares (县委、县政府督查室)."""
    out: List[str] = []
    for name in names:
        if out and out[-1] in BODIES and _JOINT_OFFICE.match(name) and out[-1] + "、" + name in text:
            out[-1] = out[-1] + "、" + name
            continue
        if out and name in GENERIC:
            joined = next((out[-1] + sep + name for sep in "、，,/" if out[-1] + sep + name in text), None)
            if joined:
                out[-1] = joined
                continue
        out.append(name)
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):     # a date typed into Excel: as staff see it
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_task_workbook(path: Path, folder: Path, display: str, spec_pos: Pos, diags: Diagnostics,
                       known: Sequence[str] = (), context: Optional[YearContext] = None,
                       names: Optional[Dict[str, str]] = None) -> Optional[List[TaskEdit]]:
    """The rows of the edited task table, in order; None when it cannot be read (reported).
    *known* are the registry's unit names, which a cell's names are matched against before it is split;
    *context* gives a 完成时限 typed without its year (6月底前) the plan's year; *names* maps printed column
    names to fields (default: those of templates/tables.yaml; a package may declare its own)."""
    from .workbook import open_workbook, sheet_too_big

    opened = open_workbook(path, folder, display, "tables.tasks.source", spec_pos, diags, formulas=True)
    if opened is None:
        return None
    wb, formulas = opened
    ws, header_row, columns = _choose_sheet(diags, wb, display, names or COLUMN_FIELDS)
    if ws is None:
        return None
    where = f"{display}[{ws.title}]"
    if sheet_too_big(ws, where, diags):
        return None
    formula_sheet = formulas[ws.title]
    merged = _merged_values(ws)
    wide_rows = {rng.min_row for rng in ws.merged_cells.ranges if rng.max_col > rng.min_col}
    edits: List[TaskEdit] = []
    for r in range(header_row + 1, ws.max_row + 1):
        values = {field: _cell(diags, ws, formula_sheet, merged, r, c, where) for field, c in columns.items()}
        own = [f for f, c in columns.items() if (r, c) not in merged and values[f]]
        if not own:
            continue                                      # blank row, or the rest of cells merged from above
        if len(own) == 1 and (r in wide_rows or _GROUP.match(values[own[0]])) and not values.get("id"):
            continue                                      # a group row (一、…)
        if not values.get("id") and any((r, c) in merged for c in columns.values()):
            diags.warning(Pos(where, r, 1), N_("row {row} has no 编号 and merged cells; it is read as a new task, "
                                               "with each merged cell's text"), N_("check its units and deadline"), row=r)
        edit = _row_edit(diags, values, columns, r, where, known, context)
        if edit is not None:
            edits.append(edit)
    return edits


def _choose_sheet(diags: Diagnostics, wb, display, names: Dict[str, str]):
    """The first visible sheet with the task header; a hidden sheet before it is reported."""
    hidden = []
    for ws in wb.worksheets:
        header_row, columns = _find_header(ws, names)
        if not header_row:
            continue
        if ws.sheet_state != "visible":
            hidden.append(ws.title)
            continue
        for title in hidden:
            diags.warning(Pos(f"{display}[{title}]"), N_("sheet '{hidden}' is hidden and is not read; the tasks "
                                                          "come from the visible sheet '{visible}'"),
                          N_("delete the hidden sheet if it is old"), hidden=title, visible=ws.title)
        return ws, header_row, columns
    if hidden:
        diags.error(Pos(display), N_("only the hidden sheet '{sheet}' has the task header; make it visible in "
                                     "Excel or WPS if it is the one to read"), sheet=hidden[0])
    else:
        diags.error(Pos(display), N_("no sheet has a header row with 工作任务 (or 任务) and the other column names"))
    return None, 0, {}


def _merged_values(ws) -> Dict[tuple, object]:
    """(row, column) -> the value shown there by a merged range (all but its top-left cell)."""
    out = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(row=rng.min_row, column=rng.min_col).value
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                if (row, col) != (rng.min_row, rng.min_col):
                    out[(row, col)] = value
    return out


def _cell(diags: Diagnostics, ws, formula_sheet, merged, r: int, c: int, where: str) -> str:
    """A cell's text as staff see it: merged ranges give their value; a formula
    without a saved result is an error, never an empty cell."""
    from openpyxl.utils import get_column_letter
    from .workbook import clean_cell

    value = merged[(r, c)] if (r, c) in merged else ws.cell(row=r, column=c).value
    if isinstance(value, str) and value in _ERRORS:
        diags.error(Pos(where, r, c), N_("cell {cell} shows the spreadsheet error {error}"),
                    N_("correct its formula in Excel or WPS, or type the value"), cell=f"{get_column_letter(c)}{r}",
                    error=value)
        return ""
    if value is None and (r, c) not in merged:
        formula = formula_sheet.cell(row=r, column=c).value
        if isinstance(formula, str) and formula.startswith("="):
            diags.error(Pos(where, r, c), N_("cell {cell} holds a formula with no saved result"),
                        N_("open the workbook in Excel or WPS and save it, or type the value"),
                        cell=f"{get_column_letter(c)}{r}")
    return clean_cell(_text(value), where, r, c, diags)


def _find_header(ws, names: Dict[str, str]):
    for r in range(1, min(ws.max_row, 6) + 1):
        columns = {}
        for c in range(1, ws.max_column + 1):
            name = _text(ws.cell(row=r, column=c).value)
            if name == ID_HEADER and "index" in columns:
                columns["id"] = c
            elif name in names and names[name] not in columns:
                columns[names[name]] = c
        if "text" in columns:
            return r, columns
    return None, {}


def _row_edit(diags: Diagnostics, values, columns, r, where, known: Sequence[str] = (),
              context: Optional[YearContext] = None) -> Optional[TaskEdit]:
    from openpyxl.utils import get_column_letter

    def pos(field):
        return Pos(where, r, columns[field])

    def cell(field):
        return _("cell {cell}").format(cell=f"{get_column_letter(columns[field])}{r}")

    text = values.get("text", "")
    if not text:
        diags.error(pos("text"), N_("{cell} (工作任务) is empty, but the row has other cells"), cell=cell("text"))
        return None
    edit = TaskEdit(task_id=values.get("id") or None, row=r, pos=Pos(where, r, 1), text=text)
    for field in ("responsible", "lead", "support"):
        if field in columns:
            edit.units[field] = UnitCell(split_units(values.get(field, ""), known), pos(field), cell(field))
    if "deadline" in columns:
        edit.has_deadline, edit.deadline_pos = True, pos("deadline")
        raw = values.get("deadline", "")
        if raw:
            try:
                edit.deadline = parse_deadline(raw, context)
            except DeadlineError as exc:
                try:        # a task's milestones: 2023年底前完成梳理；2024年上半年……
                    edit.milestones = [Milestone(d, text, pos("deadline")) for d, text in parse_milestones(raw, context)]
                except DeadlineError:
                    diags.error(pos("deadline"), N_("{cell} (完成时限): {problem}"), cell=cell("deadline"), problem=str(exc))
                    edit.has_deadline = False      # as before: an unreadable deadline leaves the task's own
    if "note" in columns:
        edit.has_note = True
        edit.note = values.get("note") or None
    return edit
