"""A :class:`~doctools.model.Table` as a Word table.

仿宋 cell text in single spacing (not the 28.95 pt body grid), 黑体 header;
the header row repeats on every page (``w:tblHeader``); no row splits across
pages (``w:cantSplit``); column widths that add up to the type area, written
to ``w:gridCol``, every cell and ``w:tblW`` so WPS keeps them.  Rows are built
in order with references kept (python-docx's ``Table.cell`` is quadratic).
"""
from __future__ import annotations

from typing import Dict, List

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .. import oxml
from ..gbt9704 import display_width
from ..model import Table

CENTRED_HEADERS = {"序号", "编号", "完成时限", "时间进度", "时间安排", "职责", "时限"}


def column_widths(table: Table, total: int) -> List[int]:
    """Twips per column, from the table's weights, summing exactly to *total*.

    A narrow column is widened to hold its longest unbroken cell (a 序号, a
    date), taking the room from the text columns."""
    weights = list(table.weights)
    char = 12 * 20  # one character of 小四 table text, in twips
    need = []
    for i, _ in enumerate(table.header):
        longest = max([display_width(table.header[i]) / (2 if table.wrap[i] else 1)]
                      + [display_width(r.cells[i]) for r in table.rows if not r.group and not table.wrap[i]])
        need.append(longest * char * 1.15 + 300)   # room for wider stand-in digits, and the cell margins
    scale = total / sum(weights)
    widths = [w * scale for w in weights]
    for i, w in enumerate(widths):
        if not table.wrap[i] and w < need[i]:
            widths[i] = need[i]
    fixed = sum(w for i, w in enumerate(widths) if not table.wrap[i])
    flexible = sum(weights[i] for i in range(len(widths)) if table.wrap[i])
    if flexible:
        room = max(total - fixed, 0)
        widths = [w if not table.wrap[i] else room * weights[i] / flexible for i, w in enumerate(widths)]
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def add_table(doc, styles: Dict[str, object], table: Table, total_width: int):
    """Append *table* to the python-docx Document *doc*; return the docx table."""
    cols = len(table.header)
    heads = 2 if table.header_groups else 1
    result = doc.add_table(rows=heads + len(table.rows), cols=cols)
    result._tbl.tblPr.style = "TableGrid"
    widths = column_widths(table, total_width)
    rows = result.rows
    centred = [h in CENTRED_HEADERS for h in table.header]
    header_cells = rows[heads - 1].cells
    for i, text in enumerate(table.header):
        _fill(header_cells[i], text, styles["TableHeading"], WD_ALIGN_PARAGRAPH.CENTER)
    if table.header_groups:
        top = rows[0].cells
        col = 0
        for label, span in table.header_groups:
            if span == 1 and label == table.header[col]:
                header_cells[col].paragraphs[0].runs[0].text = ""      # one label over both header rows
                _fill(top[col], label, styles["TableHeading"], WD_ALIGN_PARAGRAPH.CENTER)
                top[col].merge(header_cells[col])
            else:
                _fill(top[col], label, styles["TableHeading"], WD_ALIGN_PARAGRAPH.CENTER)
                if span > 1:
                    top[col].merge(top[col + span - 1])
            col += span
    for r in range(heads):
        oxml.row_flags(rows[r], header=True, cant_split=True)
    body_cells = []
    for row, data in zip(rows[heads:], table.rows):
        cells = row.cells
        if data.group:
            merged = cells[0].merge(cells[-1])
            _fill(merged, data.cells[0], styles["TableHeading"], WD_ALIGN_PARAGRAPH.LEFT)
        else:
            for i, text in enumerate(data.cells):
                if i in table.merge_down and body_cells and body_cells[-1][1] is not None and body_cells[-1][1].cells[i] == text:
                    continue                                          # merged into the cell above, filled there
                _fill(cells[i], text, styles["TableText"], WD_ALIGN_PARAGRAPH.CENTER if centred[i] or text in ("■", "√") else None)
        body_cells.append((cells, None if data.group else data))
        oxml.row_flags(row, cant_split=True)
    for col in table.merge_down:
        start = 0
        for end in range(1, len(body_cells) + 1):
            same = end < len(body_cells) and body_cells[end][1] is not None and body_cells[start][1] is not None \
                and body_cells[end][1].cells[col] == body_cells[start][1].cells[col] and body_cells[start][1].cells[col]
            if not same:
                if end - 1 > start:
                    body_cells[start][0][col].merge(body_cells[end - 1][0][col])
                start = end
    oxml.table_grid(result, widths)
    return result


def _fill(cell, text: str, style, align) -> None:
    p = cell.paragraphs[0]
    oxml.set_paragraph_style(p, style.style_id)
    if align is not None:
        p.alignment = align
    if text:
        p.add_run(text)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
