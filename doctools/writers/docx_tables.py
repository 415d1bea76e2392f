"""A :class:`~doctools.model.Table` as a Word table.

仿宋 cell text in single spacing (not the 28.95 pt body grid), 黑体 header;
the header row repeats on every page (``w:tblHeader``); no row splits across
pages (``w:cantSplit``); column widths that add up to the type area, written
to ``w:gridCol``, every cell and ``w:tblW`` so WPS keeps them.  Rows are built
in order with references kept (python-docx's ``Table.cell`` is quadratic).
"""
from __future__ import annotations

import math
from typing import Dict, List

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from . import oxml
from .. import gbt9704 as G
from ..gbt9704 import display_width
from ..model import Table

TICKS = {"", "√", "✓", "■", "□"}


def column_widths(table: Table, total: int) -> List[int]:
    """Twips per column, from the table's weights and its content, summing exactly to *total*.

    A narrow column is widened to hold its longest unbroken cell (a 序号, a
    date); its header may wrap onto two lines (依申请|公开).  A text column
    gets its share of the rest by weight, but never less than three characters
    (or its longest cell, if shorter), so no text stacks one character a line.
    A form's widths are its own, as given in millimetres."""
    if table.widths_mm:
        return [G.mm(w) for w in table.widths_mm]
    weights = list(table.weights)
    char = 12 * 20  # one character of 小四 table text, in twips

    def twips(chars: float) -> float:
        return chars * char * 1.15 + 300      # room for wider stand-in digits, and the cell margins

    body = [[display_width(r.cells[i]) for r in table.rows if not r.group] for i in range(len(table.header))]
    # a header wraps onto two lines; over a column of ticks (√, ■) it may stack a character a line
    ticks = [all(r.cells[i] in TICKS for r in table.rows if not r.group) for i in range(len(table.header))]
    head = [1.0 if ticks[i] and not table.wrap[i] else max(2.0, math.ceil(display_width(h) / 2))
            for i, h in enumerate(table.header)]
    need = [twips(max(head[i], max(body[i], default=0))) for i in range(len(head))]
    least = [twips(max(head[i], min(3, max(body[i], default=0)))) for i in range(len(head))]
    widths = [float(need[i]) if not table.wrap[i] else 0.0 for i in range(len(head))]
    flexible = [i for i in range(len(head)) if table.wrap[i]]
    if flexible:
        room = max(total - sum(widths), 0)
        share = sum(weights[i] for i in flexible)
        fixed_up = set()
        while True:                               # columns below their least width get it; the rest share what is left
            left = room - sum(least[i] for i in fixed_up)
            free = [i for i in flexible if i not in fixed_up]
            weight = sum(weights[i] for i in free) or share
            short = [i for i in free if left * weights[i] / weight < least[i]]
            if not short:
                break
            fixed_up.update(short)
        for i in flexible:
            widths[i] = least[i] if i in fixed_up else left * weights[i] / weight
    else:
        scale = total / sum(widths)
        widths = [w * scale for w in widths]
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
    covered = {(r, col) for col, first, last in table.merges for r in range(first + 1, last + 1)}
    # a form's merged cells, row 0 its header: only a span's first cell is filled
    spanned = {(r, c) for r1, c1, r2, c2 in table.spans for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
               if (r, c) != (r1, c1)}
    covered |= {(r - 1, c) for r, c in spanned if r}
    header_cells = rows[heads - 1].cells
    for i, text in enumerate(table.header):
        if (0, i) not in spanned:
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
    for r, (row, data) in enumerate(zip(rows[heads:], table.rows)):
        cells = row.cells
        if data.group:
            merged = cells[0].merge(cells[-1])
            _fill(merged, data.cells[0], styles["TableHeading"], WD_ALIGN_PARAGRAPH.LEFT)
        else:
            for i, text in enumerate(data.cells):
                if (r, i) in covered:
                    continue                                          # merged into the cell above, filled there
                centred = table.align[i] == "centre" or (table.align[i] == "tick" and text)
                _fill(cells[i], text, styles["TableText"], WD_ALIGN_PARAGRAPH.CENTER if centred else None)
        body_cells.append(cells)
        oxml.row_flags(row, cant_split=True)
    for col, first, last in table.merges:
        body_cells[first][col].merge(body_cells[last][col])
    all_cells = [header_cells] + body_cells
    for r1, c1, r2, c2 in table.spans:
        all_cells[r1][c1].merge(all_cells[r2][c2])
    for r, height in table.heights_mm.items():
        rows[heads - 1 + r].height = G.mm(height) * 635             # EMU; at least this high, taller for its text
        rows[heads - 1 + r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    oxml.table_grid(result, widths)
    if sum(widths) < total_width:
        result.alignment = WD_TABLE_ALIGNMENT.CENTER                   # a form narrower than the 版心, centred
    return result


def _fill(cell, text: str, style, align) -> None:
    p = cell.paragraphs[0]
    oxml.set_paragraph_style(p, style.style_id)
    if align is not None:
        p.alignment = align
    if text:
        p.add_run(text)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
