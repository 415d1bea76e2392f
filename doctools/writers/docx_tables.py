"""A :class:`~doctools.model.Table` as a Word table.

仿宋 cell text in single spacing (not the 28.95 pt body grid), 黑体 header;
the header row repeats on every page (``w:tblHeader``); no row splits across
pages (``w:cantSplit``); column widths that add up to the type area, written
to ``w:gridCol``, every cell and ``w:tblW`` so WPS keeps them.  Rows are built
in order with references kept (python-docx's ``Table.cell`` is quadratic).
"""
from __future__ import annotations

import dataclasses
import math
from typing import Dict, List

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from . import oxml
from ..typeset import gbt9704 as G
from ..typeset.gbt9704 import display_width
from ..typeset.linebreak import narrowest
from ..model import Table
from ..typeset.widths import share

TICKS = {"", "√", "✓", "■", "□"}


CHAR = G.TABLE_PT * 20          # one character of 小四 table text, in twips
MARGINS = 2 * 108               # a cell's left and right margins (Word's default), in twips


def twips(chars: float) -> float:
    """A column width holding *chars* characters: room for wider stand-in digits, and the cell margins."""
    return chars * CHAR * 1.15 + 300


def chars_in(width: float) -> float:
    """Characters a column of *width* twips holds on one line (the inverse of :func:`twips`)."""
    return (width - 300) / (CHAR * 1.15)


def column_widths(table: Table, total: int) -> List[int]:
    """Twips per column, from the table's content, summing exactly to *total*.

    A narrow column is widened to hold its longest unbroken cell (a 序号, a
    date); its header may wrap onto two lines (依申请|公开).  The text columns
    share the rest by their content (:mod:`doctools.typeset.widths`: where a character
    saves the most lines), never less than three characters (or their longest
    cell, if shorter), so no text stacks one character a line.
    A form's widths are its own, as given in millimetres."""
    if table.widths_mm:
        return [G.mm(w) for w in table.widths_mm]
    body = [[display_width(r.cells[i]) for r in table.rows if not r.group] for i in range(len(table.header))]
    # a header wraps onto two lines; over a column of ticks (√, ■) it may stack a character a line, though
    # never so that a line starts with closing punctuation (乡、|村级, not 乡|、|村|级)
    ticks = tick_columns(table)
    head = [narrowest(h)[0] if ticks[i] else max(2.0, math.ceil(display_width(h) / 2)) for i, h in enumerate(table.header)]
    need = [twips(max(head[i], max(body[i], default=0))) for i in range(len(head))]
    least = [max(head[i], min(3, max(body[i], default=0))) for i in range(len(head))]
    widths = [float(need[i]) if not table.wrap[i] else 0.0 for i in range(len(head))]
    flexible = [i for i in range(len(head)) if table.wrap[i]]
    if flexible:
        room = max(total - sum(widths), 0)
        if any(body[i] for i in flexible):
            chars = share([body[i] for i in flexible], [least[i] for i in flexible],
                          [max(least[i], max(body[i], default=0) + 1) for i in flexible],
                          chars_in(room / len(flexible)) * len(flexible))
            for i, c in zip(flexible, chars):
                widths[i] = twips(c)
        else:                                     # a table left to fill in: by weight
            weight = sum(table.weights[i] for i in flexible) or 1
            for i in flexible:
                widths[i] = room * table.weights[i] / weight
        scale = room / sum(widths[i] for i in flexible)
        for i in flexible:
            widths[i] *= scale
    else:
        scale = total / sum(widths)
        widths = [w * scale for w in widths]
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def tick_columns(table: Table) -> List[bool]:
    """Columns of marks (√, ■) and nothing else: narrow, their header set in the lines :func:`narrowest` gives.
    A column of a form left empty to fill in is not one: its header keeps its width."""
    body = [r for r in table.rows if not r.group]
    return [not table.wrap[i] and all(r.cells[i] in TICKS for r in body) and any(r.cells[i] for r in body)
            for i in range(len(table.header))]


LABEL_CHARS = 10           # the least width of a month grid's label column, in characters


def table_parts(table: Table, total: int) -> List[Table]:
    """*table*, or a month grid too wide for the page in parts of as many months as fit, each with the
    label column again and its first month with its year: 32 months never shrink to unreadable columns."""
    months = [i for i, f in enumerate(table.fields) if f == "month"]
    if not months or months[0] != 1:
        return [table]
    need = [twips(narrowest(table.header[i])[0]) for i in months]
    room = total - twips(LABEL_CHARS)
    if sum(need) <= room:
        return [table]
    parts, start, used = [], 0, 0.0
    for k, width in enumerate(need):
        if used + width > room and k > start:
            parts.append((start, k))
            start, used = k, 0.0
        used += width
    parts.append((start, len(need)))
    year, years = "", []
    for i in months:                                  # the year each month's column is in
        year = table.header[i].split("年")[0] if "年" in table.header[i] else year
        years.append(year)
    out = []
    for first, last in parts:
        cols = [0] + months[first:last]
        header = [table.header[c] for c in cols]
        if "年" not in header[1] and years[first]:
            header[1] = f"{years[first]}年{header[1]}"
        pick = lambda values: [values[c] for c in cols]
        out.append(dataclasses.replace(table, header=header, rows=[dataclasses.replace(r, cells=pick(r.cells)) for r in table.rows],
                                       weights=pick(table.weights), wrap=pick(table.wrap), fields=pick(table.fields),
                                       align=pick(table.align), merges=[], merge_down=[]))
    return out


def row_heights(table: Table, widths: List[int]) -> List[float]:
    """Each row's height in twips (the header first): single-spaced 小四, wrapped per column; a form's least height."""
    out = []
    for r, cells in enumerate([table.header] + [row.cells for row in table.rows]):
        lines = max(max(1, math.ceil(display_width(text) * CHAR / max(w - MARGINS, 1))) for text, w in zip(cells, widths))
        out.append(max(lines * G.TABLE_PT * 1.3 * 20 + 60, G.mm(table.heights_mm.get(r, 0))))
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
    ticks = tick_columns(table)
    for i, text in enumerate(table.header):
        if (0, i) not in spanned:
            # a narrow column's header broken where its width was measured (2024年|3月), not where Word would
            _fill(header_cells[i], "\n".join(narrowest(text)[1]) if ticks[i] else text, styles["TableHeading"],
                  WD_ALIGN_PARAGRAPH.CENTER)
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
    # a row taller than half a page may split: kept whole it would leave the page before it half empty
    page = G.TEXT_WIDTH if total_width > G.TEXT_WIDTH else G.TEXT_HEIGHT
    tall = [h > page / 2 for h in row_heights(table, widths)[1:]]
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
        oxml.row_flags(row, cant_split=not tall[r])
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
