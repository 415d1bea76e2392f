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

This is the one module that writes SpreadsheetML.  The sheets are written as SpreadsheetML directly.  openpyxl is used once per
process and template, to turn the template's named styles into ``styles.xml``
and learn which cell format each style is; writing the sheets through openpyxl
cost 18–33 ms a workbook, mostly in its serialiser (benchmarks/README.md).
Reading workbooks back stays with openpyxl.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..typeset.gbt9704 import char_width, display_width
from ..model import Table
from ..names import column_letters, sheet_name
from ..typeset.widths import share
from .default_templates import XLSX_STYLES, xlsx_template_bytes
from .xmlescape import escape, quoteattr
from .ziparchive import write_zip

ID_HEADER = "编号"
UNITS_PER_CHAR = 2.3          # Excel width units taken by one CJK character of 12 pt 仿宋 (Excel: 7 px a unit)
UNIT_PADDING = 2              # units of a column its text cannot use
LINE_HEIGHT = 16.5            # points per wrapped line of 12 pt text
FORMULA_START = ("=", "+", "-", "@")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Printing: A4 landscape, 0.75-inch margins, fitted to the page width.  LibreOffice gives a width unit of this
# template 7 pt (measured; Excel about 5.3), so a sheet of TARGET_WIDTH units prints at LEAST_SCALE of its size
# at least: 12 pt text stays 9.8 pt or more.  A wider month grid is printed across pages, its label column
# repeated on each, instead of shrinking.
PRINT_WIDTH = 733.9           # points across the page inside the margins
POINTS_PER_UNIT = 7.0         # LibreOffice, measured on renders of these workbooks
LEAST_SCALE = 0.82
TARGET_WIDTH = int(PRINT_WIDTH / POINTS_PER_UNIT / LEAST_SCALE)       # 127 units



def _units(text: str) -> float:
    return display_width(text) * UNITS_PER_CHAR


def excel_widths(table: Table) -> List[float]:
    """Each column's width in Excel units.  A column that does not wrap is as wide as its longest cell (at most
    30); the text columns share the rest of :data:`TARGET_WIDTH` by their content (:mod:`doctools.typeset.widths`)."""
    body = [[display_width(r.cells[i]) for r in table.rows if not r.group] for i in range(len(table.header))]
    widths = []
    for i, head in enumerate(table.header):
        longest = max([_units(head) / (2 if table.wrap[i] else 1)] + [_units(r.cells[i]) for r in table.rows if not r.group])
        widths.append(round(min(longest + UNIT_PADDING, 30), 1))
    flexible = [i for i in range(len(table.header)) if table.wrap[i]]
    if not flexible:
        return widths
    room = max(TARGET_WIDTH - sum(w for i, w in enumerate(widths) if i not in flexible), 40)
    chars = lambda units: (units - UNIT_PADDING) / UNITS_PER_CHAR
    least = [max(display_width(table.header[i]) / 2, min(3, max(body[i], default=0)), chars(8)) for i in flexible]
    most = [max(l, max(body[i], default=0) + 1) for l, i in zip(least, flexible)]
    if any(body[i] for i in flexible):
        shares = share([body[i] for i in flexible], least, most, chars(room / len(flexible)) * len(flexible))
    else:                                        # nothing to fill them yet: by weight
        weight = sum(table.weights[i] for i in flexible) or 1
        shares = [chars(room * table.weights[i] / weight) for i in flexible]
    for i, c in zip(flexible, shares):
        widths[i] = round(min(c * UNITS_PER_CHAR + UNIT_PADDING, room), 1)
    for i in flexible:
        spare = TARGET_WIDTH - sum(widths)
        widths[i] = calc_width(widths[i], [r.cells[i] for r in table.rows if not r.group], max(spare, 0))
    return widths


# LibreOffice Calc wraps a cell without the rules of Chinese line breaking: a line may start with "。".  A cell
# holds exactly its text (no invisible characters), so the width is what can help.  A column of W units holds
# (W - CALC_OFFSET) / CALC_UNITS_PER_CHAR characters of 12 pt CJK text a line in Calc (measured on Calc's prints of
# a cell of 300 国 at widths 20-113: 48.4 units hold 28, 99.8 hold 58).  :func:`calc_width` picks, near the width
# asked for, a number of characters a line at which no line of the column's cells starts with a closing mark, and
# sets the width in the middle of that number's range, so a small difference in measure does not change it.
# Excel and WPS, where the tables are used, apply Chinese line breaking themselves.
CALC_UNITS_PER_CHAR = 1.713
CALC_OFFSET = 0.33
CLOSING_MARKS = "，。、；：？！）》”’〕】」』…"


def calc_bad_breaks(texts: List[str], chars: int) -> int:
    """How many lines of *texts* start with a closing mark when wrapped at *chars* CJK characters a line (a
    Latin letter or digit half of one), as LibreOffice Calc wraps: any character may start a line."""
    bad = 0
    for text in texts:
        for part in text.split("\n"):
            used = 0.0
            for ch in part:
                w = char_width(ch)
                if used and used + w > chars:
                    bad += ch in CLOSING_MARKS
                    used = 0.0
                used += w
    return bad


def calc_width(width: float, texts: List[str], spare: float = 0.0, reach: int = 4) -> float:
    """*width*, moved by at most *reach* characters (wider only by *spare* units at most, so the sheet still
    prints at its size) to the nearest width whose lines LibreOffice Calc starts with no closing mark; *width*
    itself when it has none or none near has."""
    chars = int((width - CALC_OFFSET) / CALC_UNITS_PER_CHAR)
    if chars < 4 or not calc_bad_breaks(texts, chars):
        return width
    for step in [d for k in range(1, reach + 1) for d in (-k, k)]:
        moved = round((chars + step + 0.5) * CALC_UNITS_PER_CHAR + CALC_OFFSET, 1)
        if chars + step >= 3 and moved - width <= spare and not calc_bad_breaks(texts, chars + step):
            return moved
    return width


def print_pages(table: Table, widths: List[float]) -> int:
    """Pages across a sheet is printed on: one, or a month grid too wide for one page at LEAST_SCALE in as
    many as it needs with its label column (printed on each) beside each page's months."""
    total = sum(widths)
    if total <= TARGET_WIDTH or "month" not in table.fields or table.fields[0] == "month":
        return 1
    label = widths[0]
    return math.ceil((total - label) / (TARGET_WIDTH - label))


def _lines(text: str, width: float) -> int:
    if not text:
        return 1
    return sum(max(1, math.ceil(_units(part) / max(width - 1.5, 1))) for part in text.split("\n"))


# ---- styles, from the template, once per process ------------------------------------------

_STYLES: Dict[str, Tuple[bytes, Dict[Tuple[str, bool], int]]] = {}


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "doctools"


def template_styles(template: bytes) -> Tuple[bytes, Dict[Tuple[str, bool], int]]:
    """(styles.xml, {(named style, quote prefix): cell format index}) of a template.

    openpyxl builds them: a scratch sheet gets one cell per named style, with
    and without the quote prefix that keeps "=…" text, and its saved
    styles.xml and cell formats are read back.  The result depends on the
    template's bytes alone, so it is kept in ~/.cache/doctools: most builds
    then never import openpyxl (0.1 s)."""
    key = hashlib.sha256(template).hexdigest()
    if key not in _STYLES:
        cached = _cache_dir() / f"xlsx-styles-{key[:32]}.json"
        try:
            data = json.loads(cached.read_text(encoding="utf-8"))
            _STYLES[key] = (data["styles"].encode("utf-8"),
                            {(name, bool(quote)): index for name, quote, index in data["indexes"]})
            if set(_STYLES[key][1]) == {(n, q) for n in XLSX_STYLES for q in (False, True)}:
                return _STYLES[key]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        from openpyxl import load_workbook
        from xml.etree import ElementTree

        wb = load_workbook(io.BytesIO(template))
        ws = wb.create_sheet("scratch")
        combos = [(name, quote) for name in XLSX_STYLES for quote in (False, True)]
        for row, (name, quote) in enumerate(combos, start=1):
            cell = ws.cell(row=row, column=1, value="x")
            cell.style = name
            cell.quotePrefix = quote
        out = io.BytesIO()
        wb.save(out)
        archive = zipfile.ZipFile(out)
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        scratch = max(sheets, key=lambda n: int("".join(ch for ch in n if ch.isdigit())))   # created last
        root = ElementTree.fromstring(archive.read(scratch))
        indexes = {}
        for c in root.iter(f"{{{MAIN_NS}}}c"):
            row = int("".join(ch for ch in c.get("r") if ch.isdigit()))
            indexes[combos[row - 1]] = int(c.get("s", "0"))
        _STYLES[key] = (archive.read("xl/styles.xml"), indexes)
        try:
            from ..errors import UnwritableOutput
            from ..safeio.atomic import commit_files
            payload = {"styles": _STYLES[key][0].decode("utf-8"), "indexes": [[n, q, i] for (n, q), i in sorted(indexes.items())]}
            commit_files([(cached, json.dumps(payload, ensure_ascii=False).encode("utf-8"))])
        except (OSError, UnwritableOutput):
            pass                      # no cache where the home folder is read-only: built again next time
    return _STYLES[key]


# ---- sheets -----------------------------------------------------------------------------------

def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class Sheet:
    def __init__(self, table: Table, styles: Dict[Tuple[str, bool], int]):
        self.table = table
        self.styles = styles
        self.rows: Dict[int, Dict[int, Tuple[str, str]]] = {}   # row -> column -> (text, style)
        self.heights: Dict[int, float] = {}
        self.merges: List[str] = []

    def put(self, row: int, col: int, text: str, style: str) -> None:
        self.rows.setdefault(row, {})[col] = (text, style)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append(f"{column_letters(c1)}{r1}:{column_letters(c2)}{r2}")

    def cell_xml(self, row: int, col: int, text: str, style: str) -> str:
        index = self.styles[(style, text.startswith(FORMULA_START))]
        ref = f"{column_letters(col)}{row}"
        if not text:
            return f'<c r="{ref}" s="{index}"/>'
        return f'<c r="{ref}" s="{index}" t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'


# characters XML 1.0 cannot hold: the readers report and remove them; this is the last guard,
# so a workbook can never come out unreadable ("not well-formed (invalid token)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def sheet_xml(table: Table, styles: Dict[Tuple[str, bool], int], first: bool) -> Tuple[str, str, str]:
    """(worksheet XML, print area, print titles) of one table."""
    s = Sheet(table, styles)
    cols = len(table.header)
    widths = excel_widths(table)
    head = 3 if table.header_groups else 2       # the header row; a group row above it when there is one
    s.put(1, 1, table.title, "表格标题")
    for c in range(2, cols + 1):
        s.put(1, c, "", "表格标题")
    s.merge(1, 1, 1, cols)
    s.heights[1] = 32
    for c, label in enumerate(table.header, start=1):
        s.put(head, c, label, "表头")
    s.heights[head] = max(_lines(h, w) for h, w in zip(table.header, widths)) * LINE_HEIGHT + 6
    if table.header_groups:
        col = 1
        for label, span in table.header_groups:
            for c in range(col, col + span):
                s.put(2, c, label if c == col else "", "表头")
            if span == 1 and label == table.header[col - 1]:
                s.put(3, col, "", "表头")
                s.merge(2, col, 3, col)
            elif span > 1:
                s.merge(2, col, 2, col + span - 1)
            col += span
        s.heights[2] = LINE_HEIGHT + 8
    centred = [a != "left" for a in table.align]
    covered = {(r, col) for col, first, last in table.merges for r in range(first + 1, last + 1)}
    for r, row in enumerate(table.rows, start=head + 1):
        if row.group:
            for c in range(1, cols + 1):
                s.put(r, c, row.cells[0] if c == 1 else "", "分组行")
            s.merge(r, 1, r, cols)
            s.heights[r] = LINE_HEIGHT + 6
            continue
        for c, text in enumerate(row.cells, start=1):
            shown = "" if (r - head - 1, c - 1) in covered else text
            s.put(r, c, shown, "表格正文居中" if centred[c - 1] else "表格正文")
        s.heights[r] = max(_lines(t, w) for t, w in zip(row.cells, widths)) * LINE_HEIGHT + 6
    last_row = head + len(table.rows)
    for col, first, last in table.merges:
        s.merge(head + 1 + first, col + 1, head + 1 + last, col + 1)
    ids = any(r.task_id for r in table.rows)
    selected = ' tabSelected="1"' if first else ""
    pages = print_pages(table, widths)
    name = _quote_sheet(table.sheet or table.title[:31])
    col_xml = [f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in enumerate(widths, start=1)]
    if ids:
        id_col = cols + 1
        s.put(head, id_col, ID_HEADER, "表头")
        for r, row in enumerate(table.rows, start=head + 1):
            if row.task_id:
                s.put(r, id_col, row.task_id, "表格正文")
        col_xml.append(f'<col min="{id_col}" max="{id_col}" width="10" customWidth="1" hidden="1"/>')
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
           '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
           f'<dimension ref="A1:{column_letters(cols + (1 if ids else 0))}{last_row}"/>',
           f'<sheetViews><sheetView{selected} workbookViewId="0">'
           f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft"/></sheetView></sheetViews>',
           '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
           "<cols>" + "".join(col_xml) + "</cols>", "<sheetData>"]
    for r in sorted(s.rows):
        height = s.heights.get(r)
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        out.append(f'<row r="{r}"{attrs}>' + "".join(s.cell_xml(r, c, *s.rows[r][c]) for c in sorted(s.rows[r])) + "</row>")
    out.append("</sheetData>")
    if s.merges:
        out.append(f'<mergeCells count="{len(s.merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in s.merges) + "</mergeCells>")
    out += ['<printOptions horizontalCentered="1"/>',
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>',
            f'<pageSetup paperSize="9" orientation="landscape" fitToWidth="{pages}" fitToHeight="0"/>',
            "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>",
            "</worksheet>"]
    titles = f"{name}!$2:${head}" + (f",{name}!$A:$A" if pages > 1 else "")
    return "".join(out), f"{name}!$A$1:${column_letters(cols)}${last_row}", titles


# ---- workbook ----------------------------------------------------------------------------------

def write_workbook(tables: List[Table], stamp: datetime, author: str = "", template: Optional[Path] = None) -> bytes:
    styles_xml, styles = template_styles(template.read_bytes() if template else xlsx_template_bytes())
    names: List[str] = []
    for table in tables:
        names.append(sheet_name(table.sheet or table.title, names))
    parts: Dict[str, str] = {}
    defined = []
    for i, (table, name) in enumerate(zip(tables, names)):
        xml, area, titles = sheet_xml(table if table.sheet == name else _renamed(table, name), styles, i == 0)
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = xml
        defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(titles)}</definedName>')
        defined.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">{escape(area)}</definedName>')
    sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, name in enumerate(names))
    parts["xl/workbook.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                                f'<definedNames>{"".join(defined)}</definedNames><calcPr calcId="124519"/></workbook>')
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(tables)))
    rels += (f'<Relationship Id="rId{len(tables) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
             'Target="styles.xml"/>')
    parts["xl/_rels/workbook.xml.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                           f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(tables)))
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f'{overrides}'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>')
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    who = xml_text(author or "doctools")
    title = xml_text(tables[0].title if tables else "")
    parts["docProps/core.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{title}</dc:title><dc:creator>{who}</dc:creator><cp:lastModifiedBy>{who}</cp:lastModifiedBy>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>')
    parts["docProps/app.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
                                 'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                                 '<Application>doctools</Application></Properties>')
    entries = [("[Content_Types].xml", parts.pop("[Content_Types].xml").encode("utf-8")),
               ("_rels/.rels", parts.pop("_rels/.rels").encode("utf-8")),
               ("xl/styles.xml", styles_xml)] + [(name, text.encode("utf-8")) for name, text in sorted(parts.items())]
    return write_zip(entries)


def _renamed(table: Table, name: str) -> Table:
    import dataclasses
    return dataclasses.replace(table, sheet=name)
