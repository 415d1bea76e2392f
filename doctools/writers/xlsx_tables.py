"""Tables as an Excel workbook, one sheet each, ready to print and to edit.

Cells take the named styles of ``templates/xlsx/tables.xlsx`` (表格标题,
表头, 分组行, 表格正文, 表格正文居中).  Each sheet has a merged title row and
a header row; widths and heights are computed so Chinese text is never cut
(Excel never auto-fits merged cells, and fits wrapped rows only when their
height is unset); the header is frozen on screen and repeated on every printed
page; A4 landscape, fitted to the page width, page numbers in the footer.
Every text cell is data: a task that starts with "=" stays text.

Task rows carry their task id in a last, hidden column 编号, so a table edited
by staff can be read back (:mod:`doctools.readers.xlsx_tasks`).
"""
from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from typing import List, Optional

from openpyxl import load_workbook
from copy import copy

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from ..gbt9704 import display_width
from ..model import Table
from ..oxml import deterministic_zip
from ..template import xlsx_template_bytes

ID_HEADER = "编号"
UNITS_PER_CHAR = 2.3          # Excel width units taken by one CJK character of 12 pt 仿宋
LINE_HEIGHT = 16.5            # points per wrapped line of 12 pt text
TARGET_WIDTH = 150            # the printable width in Excel units (fitted to A4 landscape)
CENTRED_HEADERS = {"序号", "完成时限", "时间进度", "时间安排", "职责", "时限"}
FORMULA_START = ("=", "+", "-", "@")


def _units(text: str) -> float:
    return display_width(text) * UNITS_PER_CHAR


def excel_widths(table: Table) -> List[float]:
    fixed = []
    for i, head in enumerate(table.header):
        longest = max([_units(head) / (2 if table.wrap[i] else 1)] + [_units(r.cells[i]) for r in table.rows if not r.group])
        fixed.append(longest + 2)
    total_weight = sum(w for w, wrap in zip(table.weights, table.wrap) if wrap) or 1
    room = max(TARGET_WIDTH - sum(f for f, wrap in zip(fixed, table.wrap) if not wrap), 40)
    widths = []
    for i, f in enumerate(fixed):
        if table.wrap[i]:
            widths.append(round(min(f, max(room * table.weights[i] / total_weight, 8)), 1))
        else:
            widths.append(round(min(f, 30), 1))
    return widths


def _lines(text: str, width: float) -> int:
    if not text:
        return 1
    return sum(max(1, math.ceil(_units(part) / max(width - 1.5, 1))) for part in text.split("\n"))


class Styler:
    """Named styles applied fast: openpyxl looks a named style up by name on
    every assignment, so each is applied once and its style array copied."""

    def __init__(self, ws):
        self.ws = ws
        self.arrays = {}

    def __call__(self, cell, style: str) -> None:
        array = self.arrays.get(style)
        if array is None:
            cell.style = style
            self.arrays[style] = copy(cell._style)
        else:
            cell._style = copy(array)


def _put(cell, text: str, style: str, styler=None) -> None:
    cell.value = text
    cell.data_type = "s"              # never a formula, whatever it starts with
    if styler is not None:
        styler(cell, style)
    else:
        cell.style = style
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True       # Excel keeps it text when the cell is edited, too


def _merge(ws, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Register a merged range.  openpyxl's merge_cells also re-formats every
    cell of the range; ours carry their borders already."""
    ws.merged_cells.add(CellRange(min_row=first_row, min_col=first_col, max_row=last_row, max_col=last_col))


def add_sheet(wb, table: Table) -> None:
    ws = wb.create_sheet(table.sheet or table.title[:31])
    styler = Styler(ws)
    ids = any(r.task_id for r in table.rows)
    cols = len(table.header)
    widths = excel_widths(table)
    last = get_column_letter(cols)
    _merge(ws, 1, 1, 1, cols)
    _put(ws["A1"], table.title, "表格标题", styler)
    ws.row_dimensions[1].height = 32
    head = 3 if table.header_groups else 2       # the header row; a group row above it when there is one
    for c, label in enumerate(table.header, start=1):
        _put(ws.cell(row=head, column=c), label, "表头", styler)
    ws.row_dimensions[head].height = max(_lines(h, w) for h, w in zip(table.header, widths)) * LINE_HEIGHT + 6
    if table.header_groups:
        col = 1
        for label, span in table.header_groups:
            _put(ws.cell(row=2, column=col), label, "表头", styler)
            for c in range(col, col + span):
                styler(ws.cell(row=2, column=c), "表头")
            if span == 1 and label == table.header[col - 1]:
                _merge(ws, 2, col, 3, col)
            elif span > 1:
                _merge(ws, 2, col, 2, col + span - 1)
            col += span
        ws.row_dimensions[2].height = LINE_HEIGHT + 8
    centred = [h in CENTRED_HEADERS or not table.wrap[i] for i, h in enumerate(table.header)]
    for r, row in enumerate(table.rows, start=head + 1):
        if row.group:
            _merge(ws, r, 1, r, cols)
            _put(ws.cell(row=r, column=1), row.cells[0], "分组行", styler)
            for c in range(2, cols + 1):
                styler(ws.cell(row=r, column=c), "分组行")
            ws.row_dimensions[r].height = LINE_HEIGHT + 6
            continue
        for c, text in enumerate(row.cells, start=1):
            _put(ws.cell(row=r, column=c), text, "表格正文居中" if centred[c - 1] else "表格正文", styler)
        ws.row_dimensions[r].height = max(_lines(t, w) for t, w in zip(row.cells, widths)) * LINE_HEIGHT + 6
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last_row = head + len(table.rows)
    for col in table.merge_down:
        start = 0
        for end in range(1, len(table.rows) + 1):
            a = table.rows[start]
            same = end < len(table.rows) and not a.group and not table.rows[end].group \
                and a.cells[col] and table.rows[end].cells[col] == a.cells[col]
            if not same:
                if end - 1 > start:
                    _merge(ws, head + 1 + start, col + 1, head + end, col + 1)
                start = end
    if ids:
        id_col = cols + 1
        _put(ws.cell(row=head, column=id_col), ID_HEADER, "表头", styler)
        for r, row in enumerate(table.rows, start=head + 1):
            if row.task_id:
                _put(ws.cell(row=r, column=id_col), row.task_id, "表格正文", styler)
        ws.column_dimensions[get_column_letter(id_col)].hidden = True
    ws.freeze_panes = f"A{head + 1}"
    ws.print_title_rows = f"2:{head}"
    ws.print_area = f"A1:{last}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_workbook(tables: List[Table], stamp: datetime, author: str = "", template: Optional[Path] = None) -> bytes:
    source = template.read_bytes() if template else xlsx_template_bytes()
    wb = load_workbook(io.BytesIO(source))
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for table in tables:
        add_sheet(wb, table)
    wb.active = 0
    wb.properties.creator = author or "doctools"
    wb.properties.lastModifiedBy = author or "doctools"
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.title = tables[0].title if tables else ""
    out = io.BytesIO()
    wb.save(out)
    return deterministic_zip(out.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
