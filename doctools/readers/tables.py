"""The ``tables:`` key: how the 任务分工表, 进度安排 and 各单位任务清单 are laid out.

A 任务分工表 column is named as it is printed.  The names of
``templates/tables.yaml`` (序号, 工作任务, 牵头单位 …) are known by their
field; any other name is declared with the field it shows, because real plans
head their columns as they like (工作要求, 配合/责任单位)::

    tables:
      tasks:
        columns: [序号, {name: 工作要求, field: text}, {name: 配合/责任单位, field: support}, 完成时限]
        group: {column: 类别}        # the groups in a first column, merged down beside their rows

``group: section`` keeps the group rows (一、…) that span the table.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from ..typeset import gbt9704 as G
from ..errors import Pos, suggest
from ..i18n import N_, _
from ..limits import MAX_BLANK_ROWS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from ..model import Table, TableRow
from ..names import column_letters
from ..resources import COLUMN_FIELDS
from .schema import Fields, kind_of, shorten
from .yamlsrc import Map, Seq

TASK_FIELDS = tuple(dict.fromkeys(COLUMN_FIELDS.values()))      # index, text, responsible, lead, support, deadline, note


def read_table_specs(reader, data, pos: Pos) -> None:
    """Fill *reader*'s task_spec, schedule_spec and docx flags from ``tables:``."""
    reader.task_spec.pos = pos
    if data is None:
        return
    f = Fields(data, pos, _("tables"), reader.diags)
    if f.has("tasks"):
        g = Fields(f.raw("tasks"), f.at("tasks"), _("tables.tasks"), reader.diags)
        spec = reader.task_spec
        spec.title = g.text("title", default=spec.title)
        read_columns(reader, g, spec)
        read_group(reader, g, spec)
        spec.order = reader.choice(g, "order", ("body", "deadline"), spec.order)
        spec.unit_sep = g.text("unit_sep")
        spec.source = g.text("source")
        spec.include = g.texts("include")
        reader.tables_docx = g.flag("docx", False)
        g.done()
    if f.has("schedule"):
        g = Fields(f.raw("schedule"), f.at("schedule"), _("tables.schedule"), reader.diags)
        reader.schedule_spec.title = g.text("title", default=reader.schedule_spec.title)
        reader.schedule_spec.gantt = reader.choice(g, "gantt", ("auto", "phases", "tasks", "both", "none"), "auto")
        g.done()
    if f.has("unit_lists"):
        g = Fields(f.raw("unit_lists"), f.at("unit_lists"), _("tables.unit_lists"), reader.diags)
        reader.unit_lists_docx = g.flag("docx", False)
        g.done()
    f.done()


def read_columns(reader, g: Fields, spec) -> None:
    """``columns``: a known name, or ``{name: …, field: …}`` for a name of the package's own."""
    diags = reader.diags
    spec.columns, spec.fields = [], {}
    for item, where in g.items("columns"):
        if isinstance(item, Map):
            c = Fields(item, where, _("a column of tables.tasks"), diags)
            name = c.text("name", required=True)
            field = c.text("field", required=True)
            c.done()
            if name is None or field is None:
                continue
            if field not in TASK_FIELDS + tuple(r.id for r in reader.roles):
                diags.error(c.at("field"), N_("column '{name}' of tables.tasks shows the field '{field}'; the fields are "
                                              "{fields}"), suggest(field, TASK_FIELDS), name=name, field=field,
                            fields=", ".join(TASK_FIELDS))
                continue
            spec.fields[name] = field
        elif item is None or isinstance(item, Seq):
            diags.error(where, N_("a column of tables.tasks must be a name or {{name: …, field: …}}, not {kind}"),
                        kind=kind_of(item))
            continue
        else:
            name = str(item).strip()
            labels = [r.label for r in reader.roles]          # a role the package declares, by its label
            if name not in COLUMN_FIELDS and name not in labels:
                own = _("or declare a name of your own with the field it shows: {{name: {name}, field: text}}").format(name=name)
                close = suggest(name, list(COLUMN_FIELDS) + labels)
                diags.error(where, N_("tables.tasks: unknown column '{name}'"), f"{close} {own}" if close else own, name=name)
                continue
        if name in spec.columns:
            diags.error(where, N_("tables.tasks: the column '{name}' is named twice"), name=name)
            continue
        spec.columns.append(name)
        spec.column_pos[name] = where


def read_group(reader, g: Fields, spec) -> None:
    """``group``: none | section (group rows) | ``{column: 类别}`` (a first column merged down)."""
    value = g.raw("group")
    if not isinstance(value, Map):
        spec.group = reader.choice(g, "group", ("none", "section"), spec.group)
        return
    c = Fields(value, g.at("group"), _("tables.tasks.group"), reader.diags)
    spec.group_column = c.text("column", required=True)
    c.done()
    if spec.group_column is None:
        return
    if spec.group_column in spec.columns:
        reader.diags.error(c.at("column"), N_("tables.tasks: the group column '{name}' is also one of the columns"),
                           N_("the group column comes first by itself; leave it out of 'columns'"), name=spec.group_column)
        spec.group_column = None
        return
    spec.group = "column"


def header_fields(spec) -> Dict[str, str]:
    """Printed name -> field, for reading an edited workbook's header: the standard names and the package's own."""
    return {**COLUMN_FIELDS, **spec.fields}


# ---- forms: attachment tables given cell by cell -------------------------------------------------

_RANGE = re.compile(r"^([A-Z]{1,2})([1-9][0-9]*):([A-Z]{1,2})([1-9][0-9]*)$")
MIN_COLUMN_MM = 8.0                            # one 小四 character (4.2 mm) and the cell margins (2 × 1.9 mm)
FORM_WIDTH_MM = round(G.TEXT_WIDTH / G.TWIPS_PER_MM, 1)     # the 版心, 156 mm
FORM_HEIGHT_MM = round(G.TEXT_HEIGHT / G.TWIPS_PER_MM, 1)   # 225 mm


def read_form(reader, f: Fields, attachment) -> Table:
    """A table given cell by cell (or left empty for filling in by hand), with
    the form's merged cells, column widths and row heights.  Cells are named as
    in a spreadsheet: columns A, B, C …, row 1 the ``columns`` row."""
    diags = reader.diags
    columns = f.texts("columns")
    if len(columns) > MAX_TABLE_COLUMNS:
        diags.error(f.at("columns"), N_("the table of attachment {number} has {count} columns; a table may have "
                                        "{limit} at most"), number=attachment.number, count=len(columns),
                    limit=MAX_TABLE_COLUMNS)
        columns = columns[:MAX_TABLE_COLUMNS]
    rows = []
    given = f.items("rows")
    if len(given) > MAX_TABLE_ROWS:
        diags.error(f.at("rows"), N_("the table of attachment {number} has {count} rows; a table may have "
                                     "{limit} at most"), number=attachment.number, count=f"{len(given):,}",
                    limit=f"{MAX_TABLE_ROWS:,}")
        given = []
    cell_pos: Dict[Tuple[int, int], Pos] = {}
    if isinstance(f.raw("columns"), Seq):
        cell_pos.update({(0, j): f.raw("columns").at(j) for j in range(len(columns))})
    for n, (row, pos) in enumerate(given, start=1):
        if not isinstance(row, Seq) or len(row) != len(columns):
            diags.error(pos, N_("row {n} of attachment {number} must be a list of {count} cells"), n=n,
                        number=attachment.number, count=len(columns))
            continue
        for j in range(len(row)):
            cell_pos[(len(rows) + 1, j)] = row.at(j)
        rows.append(TableRow([reader.clean(str(c or ""), row.at(j)) for j, c in enumerate(row)]))
    blank = f.text("blank_rows", default="0")
    if not blank.isdigit():
        diags.error(f.at("blank_rows"), N_("blank_rows must be a whole number"))
        blank = "0"
    elif int(blank) > MAX_BLANK_ROWS:
        diags.error(f.at("blank_rows"), N_("blank_rows is {count}; a table left to fill in may have {limit} "
                                           "blank rows at most"), count=f"{int(blank):,}", limit=f"{MAX_BLANK_ROWS:,}")
        blank = "0"
    rows += [TableRow([""] * len(columns)) for _ in range(int(blank))]
    table = Table(key="fixed", title=attachment.title, header=columns, rows=rows, weights=[], wrap=[])
    table.spans = read_merges(diags, f, table, cell_pos)
    table.widths_mm = read_widths(diags, f, len(columns))
    table.heights_mm = read_heights(diags, f, len(rows) + 1)
    return table


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_merges(diags, f: Fields, table: Table, cell_pos) -> List[Tuple[int, int, int, int]]:
    """``merge: [A1:B1, A3:A5]``: rectangles of cells printed as one, its text the first cell's."""
    spans: List[Tuple[int, int, int, int]] = []
    taken: Dict[Tuple[int, int], str] = {}
    height, width = len(table.rows) + 1, len(table.header)
    for item, pos in f.items("merge"):
        text = str(item).strip().upper() if not isinstance(item, (Map, Seq)) and item is not None else ""
        m = _RANGE.match(text)
        if not m:
            diags.error(pos, N_("a merge is written as a range of cells such as A1:B1, not {value}"),
                        value=kind_of(item))
            continue
        c1, r1, c2, r2 = _column_number(m.group(1)), int(m.group(2)), _column_number(m.group(3)), int(m.group(4))
        if c1 > c2 or r1 > r2 or (c1, r1) == (c2, r2):
            diags.error(pos, N_("the merge {range} must run from its top-left cell to its bottom-right one, over two "
                                "cells or more"), range=text)
            continue
        if r2 > height or c2 > width:
            diags.error(pos, N_("the merge {range} reaches beyond the table ({rows} rows of {columns} columns, "
                                "row 1 being the columns row)"), range=text, rows=height, columns=width)
            continue
        if r1 == 1 and r2 > 1:
            diags.error(pos, N_("the merge {range} joins the columns row (row 1, repeated on every page) to the rows "
                                "below"), N_("merge within row 1, or within the rows below it"), range=text)
            continue
        cells = [(r, c) for r in range(r1 - 1, r2) for c in range(c1 - 1, c2)]
        clash = next((taken[cell] for cell in cells if cell in taken), None)
        if clash:
            diags.error(pos, N_("the merges {range} and {other} share cells"), range=text, other=clash)
            continue
        for cell in cells:
            taken[cell] = text
        for r, c in cells[1:]:
            value = table.header[c] if r == 0 else table.rows[r - 1].cells[c]
            if value:
                diags.warning(cell_pos.get((r, c), pos), N_("cell {cell} lies under the merge {range}, so its text "
                                                            "'{text}' is not printed"), N_("write \"\" there"),
                              cell=f"{column_letters(c + 1)}{r + 1}", range=text, text=shorten(value))
        spans.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
    return spans


def _millimetres(diags, value, pos: Pos, what: str, least: float, most: float) -> Optional[float]:
    try:
        number = float(str(value).strip().removesuffix("mm").strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, (Map, Seq)) or not least <= number <= most:
        diags.error(pos, N_("{what} must be a number of millimetres from {least} to {most}, not {value}"),
                    what=what, least=f"{least:g}", most=f"{most:g}", value=kind_of(value))
        return None
    return number


def read_widths(diags, f: Fields, count: int) -> List[float]:
    """``widths: [20, 50, 40, 46]``: each column's width in millimetres, at most the 版心's 156 together."""
    given = f.items("widths")
    if not given:
        return []
    if len(given) != count:
        diags.error(f.at("widths"), N_("widths gives {given} widths for {count} columns"), given=len(given), count=count)
        return []
    widths = [_millimetres(diags, v, pos, _("a column width"), MIN_COLUMN_MM, FORM_WIDTH_MM) for v, pos in given]
    if None in widths:
        return []
    if sum(widths) > FORM_WIDTH_MM + 0.05:
        diags.error(f.at("widths"), N_("the columns are {total} mm wide together, wider than the {limit} mm of the "
                                       "type area"), N_("narrow some columns"), total=f"{sum(widths):g}",
                    limit=f"{FORM_WIDTH_MM:g}")
        return []
    return widths


def read_heights(diags, f: Fields, count: int) -> Dict[int, float]:
    """``heights: 12`` (every row) or ``{1: 10, 4: 40}`` (by row number): the least height of a row, in millimetres.
    A row grows with its text; it is never cut."""
    value = f.raw("heights")
    if value is None:
        return {}
    what = _("a row height")
    if not isinstance(value, Map):
        height = _millimetres(diags, value, f.at("heights"), what, 1, FORM_HEIGHT_MM)
        return {r: height for r in range(count)} if height else {}
    heights = {}
    for key, height in value.items():
        row = str(key).strip()
        if not row.isdigit() or not 1 <= int(row) <= count:
            diags.error(value.key_pos.get(key, value.pos), N_("heights: there is no row {row}; the table has rows 1 to "
                                                               "{count}"), row=shorten(row), count=count)
            continue
        mm = _millimetres(diags, height, value.at(key), what, 1, FORM_HEIGHT_MM)
        if mm:
            heights[int(row) - 1] = mm
    return heights


def read_listed_as(reader, f: Fields, attachment) -> Optional[str]:
    """``listed_as``: the attachment's name in the 附件说明 when it is not its page title.  GB/T 9704 7.3.7 wants
    the two worded alike, so a difference is allowed but warned about; the same wording is no difference."""
    name = reader.clean(f.name("listed_as") or "", f.at("listed_as"))
    if not name or name == attachment.title:
        return None
    reader.diags.warning(f.at("listed_as"), N_("attachment {number} is listed in the 附件说明 as 《{listed}》 but its "
                                               "page is titled 《{title}》; GB/T 9704 7.3.7 wants the same wording"),
                         N_("drop listed_as to use the title in both places"), number=attachment.number,
                         listed=shorten(name), title=shorten(attachment.title))
    return name
