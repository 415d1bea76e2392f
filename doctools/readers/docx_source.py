"""A .docx read into a flat, position-keeping list of paragraphs and tables.

The first stage of ``doctools import``: it knows Word's file format and
nothing about plans.  Each body element becomes a :class:`SourcePara` or a
:class:`SourceTable` carrying what the recognisers of
:mod:`doctools.readers.docx` need to tell a title from a heading or a
责任单位 line: the text (with the number Word's list numbering shows in front
of it, resolved through numbering.xml), bold runs, the style name, outline
level, alignment, font size, line breaks, page breaks and pictures.  Numbers
count body elements from 1, so the import summary can point at "¶12".

Files that are not a .docx get one clear sentence (:class:`NotADocx`), never
a traceback: a .doc or .wps is told how to convert, an encrypted file, a
file that is not a zip or has no body is named as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from ..errors import UnreadableInput
from ..i18n import _
from ..model.numbering import chinese_number
from ..safeio import untrusted

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class NotADocx(UnreadableInput):
    """The file cannot be imported; the message is the one line the user sees."""


@dataclass
class SourceRun:
    text: str
    bold: bool = False
    font: str = ""                    # the East Asian font typed on the run (黑体, 楷体_GB2312 …), if any


@dataclass
class SourcePara:
    number: int                       # body element number, from 1
    text: str                         # numbering label (if any) + typed text; line breaks as "\n"
    runs: List[SourceRun] = field(default_factory=list)
    style: str = ""                   # style name, e.g. "Heading 2", "公文标题"
    outline: Optional[int] = None     # 1-based outline level from the paragraph or its style
    label: str = ""                   # the number Word's list numbering prints, e.g. "（一）"
    align: Optional[str] = None       # center | left | right | both | None
    size: Optional[float] = None      # largest font size in pt
    page_break: bool = False          # starts a new page
    images: List[Tuple[str, bytes]] = field(default_factory=list)   # (file name, bytes)
    right_indent: int = 0             # twips

    @property
    def clean(self) -> str:
        return self.text.strip().replace("\u3000", "").strip()

    @property
    def lines(self) -> List[str]:
        return [line.strip() for line in self.text.split("\n") if line.strip()]


@dataclass
class SourceTable:
    number: int
    rows: List[List[str]]             # cell texts; a merged cell repeats its text in every grid column it spans
    merged: bool = False              # some cells span rows or columns
    spans: List[Tuple[int, int, int, int]] = field(default_factory=list)   # merged cells: first row, col, last row, col
    widths: List[int] = field(default_factory=list)          # each grid column's width in twips (w:tblGrid)
    heights: Dict[int, int] = field(default_factory=dict)    # row -> its height in twips, where one is set (w:trHeight)


Item = Union[SourcePara, SourceTable]


# ---- opening ------------------------------------------------------------------

def open_docx(path: Union[str, Path]):
    """python-docx Document of *path*, or NotADocx with the reason in one line (the file is checked by
    :func:`doctools.safeio.untrusted.open_docx` first: a regular file within the limits)."""
    import docx

    if path is None or str(path).strip() == "":
        raise NotADocx(_("no file given: name the .docx to import, e.g. doctools import 方案.docx"))
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".wpt", ".dot"):
        raise NotADocx(_("{path}: a {suffix} file cannot be imported; save it as .docx in Word or WPS "
                         "(另存为 → Word 文档 .docx), or convert it: soffice --headless --convert-to docx {name}")
                       .format(path=path, suffix=suffix, name=path.name))
    try:
        package = untrusted.open_docx(path)
    except UnreadableInput as exc:
        raise NotADocx(exc.message) from None
    try:
        return docx.Document(package.stream())
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged parts
        raise NotADocx(_("{path}: cannot read the Word body ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from None


# ---- numbering.xml ------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's numFmt values."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", n
        for v, s in vals:
            while rest >= v:
                out, rest = out + s, rest - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Word list numbering: which label each numbered paragraph shows.

    Counters are kept per list (numId) and level; using a level restarts the
    levels below it, as Word does."""

    def __init__(self, document):
        self.levels: Dict[str, Dict[int, Tuple[str, str, int]]] = {}   # numId -> ilvl -> (fmt, lvlText, start)
        self.counters: Dict[str, List[int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract = {}
        for a in root.findall(w("abstractNum")):
            abstract[a.get(w("abstractNumId"))] = self._levels(a)
        for num in root.findall(w("num")):
            ref = num.find(w("abstractNumId"))
            levels = dict(abstract.get(ref.get(w("val")) if ref is not None else None, {}))
            for override in num.findall(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels.update(self._levels(override))
                start = override.find(w("startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _start = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(w("val"), "1")))
            self.levels[num.get(w("numId"))] = levels

    @staticmethod
    def _levels(parent) -> Dict[int, Tuple[str, str, int]]:
        out = {}
        for lvl in parent.findall(w("lvl")):
            get = lambda tag: (lvl.find(w(tag)).get(w("val")) if lvl.find(w(tag)) is not None else None)
            out[int(lvl.get(w("ilvl"), "0"))] = (get("numFmt") or "decimal", get("lvlText") or "", int(get("start") or 1))
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][2]
        fmt, text, _start = levels[ilvl]
        if fmt == "bullet":
            return ""

        def level_value(m):
            k = int(m.group(1)) - 1
            f, _, start = levels.get(k, ("decimal", "", 1))
            return format_number(counters[k] or start, f)

        return re.sub(r"%(\d)", level_value, text)


# ---- styles ----------------------------------------------------------------------

def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _style_numpr(style):
    for s in _style_chain(style):
        ppr = s.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
    return None


def _style_outline(style) -> Optional[int]:
    for s in _style_chain(style):
        m = re.match(r"(?i)^(heading|标题)\s*(\d)$", s.name or "")
        if m:
            return int(m.group(2))
        ppr = s.element.pPr
        if ppr is not None:
            ol = ppr.find(w("outlineLvl"))
            if ol is not None and int(ol.get(w("val"), "9")) < 9:
                return int(ol.get(w("val"))) + 1
    return None


def _style_size(style) -> Optional[float]:
    for s in _style_chain(style):
        if s.font is not None and s.font.size is not None:
            return s.font.size.pt
    return None


def _style_bold(style) -> bool:
    for s in _style_chain(style):
        if s.font is not None and s.font.bold is not None:
            return bool(s.font.bold)
    return False


# ---- the body ---------------------------------------------------------------------

def read_source(path: Union[str, Path]) -> List[Item]:
    """Every body element of the .docx in order, numbered from 1."""
    document = open_docx(path)
    body = document.element.body
    numbering = Numbering(document)
    styles = {s.style_id: s for s in document.styles}
    default_style = document.styles.default(1) if hasattr(document.styles, "default") else None
    items: List[Item] = []

    def add(element) -> None:
        if element.tag == w("p"):
            items.append(_paragraph(element, len(items) + 1, document, styles, default_style, numbering))
            for box in _text_boxes(element):          # a text box's paragraphs and tables follow its anchor
                for child in box:
                    add(child)
        elif element.tag == w("tbl"):
            items.append(_table(element, len(items) + 1, document))
        elif element.tag == w("sdt"):
            content = element.find(w("sdtContent"))
            for child in (content if content is not None else []):
                add(child)

    for element in body.iterchildren():
        add(element)
    if not any(any(c.strip() for row in i.rows for c in row) if isinstance(i, SourceTable) else i.clean for i in items):
        raise NotADocx(_("{path}: the document has no text (an empty body)").format(path=path))
    return items


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inside_box(element, paragraph) -> bool:
    """True when *element* sits in a text box (or in the VML copy Word keeps for old readers) of *paragraph*."""
    node = element.getparent()
    while node is not None and node is not paragraph:
        if node.tag in (w("txbxContent"), MC_FALLBACK):
            return True
        node = node.getparent()
    return False


def _text_boxes(paragraph):
    """The w:txbxContent elements anchored in a paragraph, each once (not the VML fallback copy)."""
    return [box for box in paragraph.iter(w("txbxContent")) if not _inside_box(box, paragraph)]


def _paragraph(p, number: int, document, styles, default_style, numbering: Numbering) -> SourcePara:
    ppr = p.pPr
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
    style = styles.get(style_id) if style_id else default_style
    style_name = style.name if style is not None else ""
    style_bold = _style_bold(style) if style is not None else False
    runs: List[SourceRun] = []
    images: List[Tuple[str, bytes]] = []
    size = None
    page_break = ppr is not None and ppr.find(w("pageBreakBefore")) is not None and \
        ppr.find(w("pageBreakBefore")).get(w("val"), "true") not in ("0", "false")
    for r in p.iter(w("r")):
        if _inside_box(r, p):
            continue
        rpr = r.find(w("rPr"))
        bold = style_bold
        fonts = rpr.find(w("rFonts")) if rpr is not None else None
        font = (fonts.get(w("eastAsia")) or "") if fonts is not None else ""
        if rpr is not None:
            b = rpr.find(w("b"))
            if b is not None:
                bold = b.get(w("val"), "true") not in ("0", "false")
            sz = rpr.find(w("sz"))
            if sz is not None and sz.get(w("val"), "").isdigit():
                size = max(size or 0, int(sz.get(w("val"))) / 2)
        text = ""
        for child in r:
            if child.tag == w("t"):
                text += child.text or ""
            elif child.tag == w("tab"):
                text += "\t"
            elif child.tag == w("br"):
                if child.get(w("type")) == "page":
                    page_break = page_break or not runs
                else:
                    text += "\n"
            elif child.tag == w("cr"):
                text += "\n"
        for blip in r.iter(f"{{{A}}}blip"):
            rid = blip.get(f"{{{R}}}embed")
            part = document.part.related_parts.get(rid) if rid else None
            if part is not None:
                images.append((Path(str(part.partname)).name, part.blob))
        if text:
            if runs and runs[-1].bold == bold and runs[-1].font == font:
                runs[-1].text += text
            else:
                runs.append(SourceRun(text, bold, font))
    numpr = ppr.numPr if ppr is not None and ppr.numPr is not None else (_style_numpr(style) if style is not None else None)
    label = ""
    if numpr is not None and numpr.numId is not None:
        ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
        label = numbering.label(str(numpr.numId.val), int(ilvl))
    outline = None
    if ppr is not None and ppr.find(w("outlineLvl")) is not None:
        val = int(ppr.find(w("outlineLvl")).get(w("val"), "9"))
        outline = val + 1 if val < 9 else None
    if outline is None and style is not None:
        outline = _style_outline(style)
    align = None
    jc = ppr.find(w("jc")) if ppr is not None else None
    if jc is None and style is not None:
        for s in _style_chain(style):
            if s.element.pPr is not None and s.element.pPr.find(w("jc")) is not None:
                jc = s.element.pPr.find(w("jc"))
                break
    if jc is not None:
        align = {"start": "left", "end": "right", "distribute": "both"}.get(jc.get(w("val")), jc.get(w("val")))
    if size is None and style is not None:
        size = _style_size(style)
    right = 0
    ind = ppr.find(w("ind")) if ppr is not None else None
    if ind is not None:
        raw = ind.get(w("right")) or ind.get(w("end")) or "0"
        right = int(raw) if raw.lstrip("-").isdigit() else 0
    text = label + "".join(r.text for r in runs)
    if label:
        runs.insert(0, SourceRun(label, runs[0].bold if runs else False))
    return SourcePara(number=number, text=text, runs=runs, style=style_name, outline=outline, label=label,
                      align=align, size=size, page_break=page_break, images=images, right_indent=right)


def _table(tbl, number: int, document) -> SourceTable:
    from docx.table import Table

    table = Table(tbl, document)
    rows, merged = [], False
    places: Dict[object, List[Tuple[int, int]]] = {}       # each cell's grid places: a merged cell has several
    for r, row in enumerate(table.rows):
        cells = []
        seen = set()
        for c, cell in enumerate(row.cells):
            if id(cell._tc) in seen:
                merged = True
            seen.add(id(cell._tc))
            places.setdefault(cell._tc, []).append((r, c))     # the element itself: kept alive, so never confused
            cells.append("\n".join(p.text for p in cell.paragraphs).strip())
        if any(tc.vMerge is not None for tc in row._tr.tc_lst if tc.tcPr is not None):
            merged = True
        rows.append(cells)
    spans = sorted((min(r for r, _ in p), min(c for _, c in p), max(r for r, _ in p), max(c for _, c in p))
                   for p in places.values() if len(p) > 1)
    return SourceTable(number=number, rows=rows, merged=merged, spans=spans, widths=_grid_widths(tbl),
                       heights=_row_heights(tbl))


def _twips(value) -> Optional[int]:
    """A width or height attribute in twips; None when absent or not a whole number (a percentage, "auto")."""
    return int(value) if value is not None and str(value).isdigit() else None


def _grid_widths(tbl) -> List[int]:
    """The columns' widths as the table's grid gives them (w:gridCol/@w:w); empty if any is missing."""
    grid = tbl.find(w("tblGrid"))
    widths = [_twips(col.get(w("w"))) for col in (grid.findall(w("gridCol")) if grid is not None else [])]
    return [] if None in widths else widths


def _row_heights(tbl) -> Dict[int, int]:
    """Each row's least (or exact) height, where the row sets one (w:trPr/w:trHeight/@w:val)."""
    heights = {}
    for r, tr in enumerate(tbl.findall(w("tr"))):
        height = tr.find(f"{w('trPr')}/{w('trHeight')}")
        value = _twips(height.get(w("val"))) if height is not None else None
        if value:
            heights[r] = value
    return heights
