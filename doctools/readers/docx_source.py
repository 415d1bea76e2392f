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

Every attribute is read from the XML as text and parsed by the tolerant helpers of :mod:`doctools.limits`
(:func:`~doctools.limits.whole_number`, :func:`~doctools.limits.on_off`), never through python-docx's typed
properties, which raise on a value Word would not write: ``ilvl="20"``, ``start`` of 4,301 digits, ``w:b="maybe"``,
``w:sz="²"``, a ``gridSpan`` in letters.  Such a value is read as the attribute's default.  Style chains stop at
a cycle or after :data:`~doctools.limits.MAX_STYLE_CHAIN` styles, list counters at
:data:`~doctools.limits.MAX_LIST_NUMBER`, and a table's merged cells are found from the XML, so a ``vMerge`` in
the first row is a cell of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from ..errors import UnreadableInput
from ..i18n import _
from ..limits import MAX_GRID_SPAN, MAX_LIST_NUMBER
from ..model.numbering import chinese_number
from ..safeio import untrusted
from ..safeio.wordml import A, R, decimal_number, inheritance, on_off, q, whole_number
from .yamlsrc import BAD_XML

w = q                                   # a w: name: w("p") is {…main}p


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
    except untrusted.PARSER_ERRORS as exc:
        raise NotADocx(_("{path}: cannot read the Word body ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from None


# ---- numbering.xml ------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's numFmt values."""
    if n <= 0:
        return str(n)
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
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
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
                ilvl = whole_number(override.get(w("ilvl")), 0, 0, 8)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels.update(self._levels(override))
                start = override.find(w("startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _start = levels[ilvl]
                    levels[ilvl] = (fmt, text, whole_number(start.get(w("val")), 1, 0, MAX_LIST_NUMBER))
            self.levels[num.get(w("numId"))] = levels

    @staticmethod
    def _levels(parent) -> Dict[int, Tuple[str, str, int]]:
        out = {}
        for lvl in parent.findall(w("lvl")):
            get = lambda tag: (lvl.find(w(tag)).get(w("val")) if lvl.find(w(tag)) is not None else None)
            ilvl = whole_number(lvl.get(w("ilvl")), 0, 0, 8)
            if ilvl is not None:
                out[ilvl] = (get("numFmt") or "decimal", get("lvlText") or "",
                             whole_number(get("start"), 1, 0, MAX_LIST_NUMBER))
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        counters[ilvl] = min(counters[ilvl] + 1, MAX_LIST_NUMBER) if counters[ilvl] else levels[ilvl][2]
        fmt, text, _start = levels[ilvl]
        if fmt == "bullet":
            return ""

        def level_value(m):
            k = int(m.group(1)) - 1
            if not 0 <= k < 9:
                return ""
            f, _text, start = levels.get(k, ("decimal", "", 1))
            return format_number(counters[k] or start, f)

        return re.sub(r"%(\d)", level_value, text)


# ---- styles ----------------------------------------------------------------------

def _style_chain(style):
    """*style* and the styles it is based on, nearest first; a cycle or an overlong chain is cut short."""
    return inheritance(style, lambda s: s.base_style, key=lambda s: s.style_id)


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
            level = _outline(ppr)
            if level is not None:
                return level
    return None


def _outline(ppr) -> Optional[int]:
    """The 1-based outline level a paragraph's properties set (w:outlineLvl 0–8; 9 is body text), or None."""
    ol = ppr.find(w("outlineLvl"))
    level = whole_number(ol.get(w("val")), None, 0, 8) if ol is not None else None
    return level + 1 if level is not None else None


def _run_property(rpr, tag: str):
    node = rpr.find(w(tag)) if rpr is not None else None
    return None if node is None else node.get(w("val"))


def _half_points(value) -> Optional[float]:
    """A w:sz value (half points) in points; None when it is not a size (``abc``, ``²``)."""
    half = decimal_number(value, None, 1, 3276)
    return half / 2 if half is not None else None


def _style_size(style) -> Optional[float]:
    for s in _style_chain(style):
        rpr = s.element.rPr
        if rpr is not None and rpr.find(w("sz")) is not None:
            size = _half_points(_run_property(rpr, "sz"))
            if size is not None:
                return size
    return None


def _style_bold(style) -> bool:
    for s in _style_chain(style):
        rpr = s.element.rPr
        if rpr is not None and rpr.find(w("b")) is not None:
            bold = on_off(_run_property(rpr, "b"))
            if bold is not None:
                return bold
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
        elif element.tag == w("altChunk"):
            items.append(SourcePara(number=len(items) + 1, text=ALT_CHUNK, runs=[SourceRun(ALT_CHUNK)]))
        elif element.tag == w("sdt"):
            content = element.find(w("sdtContent"))
            for child in (content if content is not None else []):
                add(child)

    for element in body.iterchildren():
        add(element)
    if not any(any(c.strip() for row in i.rows for c in row) if isinstance(i, SourceTable) else i.clean for i in items):
        raise NotADocx(_("{path}: the document has no text (an empty body)").format(path=path))
    return items


#: what stands where the body holds an altChunk (a whole HTML or RTF file Word merges in when it opens the
#: document): doctools cannot read it, and the placeholder makes check ask for the text
ALT_CHUNK = "【待填写：此处原为嵌入的外部内容（altChunk），未能导入，请从原文件复制】"

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
            if rpr.find(w("b")) is not None:
                bold = on_off(_run_property(rpr, "b"), bold)
            run_size = _half_points(_run_property(rpr, "sz"))
            if run_size is not None:
                size = max(size or 0, run_size)
        text = ""
        for child in r:
            if child.tag == w("t"):
                # an entity reference (&x;, never resolved) is a child node: the text after it is its tail
                text += (child.text or "") + "".join(node.tail or "" for node in child)
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
        text = BAD_XML.sub("", text)          # C1 controls, U+2028, bidi controls: as C0 ones, no XML can hold
        if text:
            if runs and runs[-1].bold == bold and runs[-1].font == font:
                runs[-1].text += text
            else:
                runs.append(SourceRun(text, bold, font))
    numpr = ppr.numPr if ppr is not None and ppr.numPr is not None else (_style_numpr(style) if style is not None else None)
    label = ""
    num_id = numpr.find(w("numId")) if numpr is not None else None
    if num_id is not None:
        ilvl = whole_number(_run_property(numpr, "ilvl"), 0, 0, 8)
        if ilvl is not None:
            label = numbering.label(str(num_id.get(w("val"))), ilvl)
    outline = _outline(ppr) if ppr is not None else None
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
        right = whole_number(ind.get(w("right")) or ind.get(w("end")), 0, -31680, 31680)
    text = label + "".join(r.text for r in runs)
    if label:
        runs.insert(0, SourceRun(label, runs[0].bold if runs else False))
    return SourcePara(number=number, text=text, runs=runs, style=style_name, outline=outline, label=label,
                      align=align, size=size, page_break=page_break, images=images, right_indent=right)


def _grid(tbl) -> List[List[object]]:
    """Each row's cells (w:tc) by grid column, as python-docx's ``row.cells`` gives them: a cell spanning columns
    is there once per column, a vertically merged one (``vMerge`` continued) is the cell above it.  Read from the
    XML with tolerant numbers: a ``gridSpan`` in letters is 1, one above MAX_GRID_SPAN is MAX_GRID_SPAN, a
    ``vMerge`` with no cell above (in the first row) starts a cell of its own."""
    grid: List[List[object]] = []
    for tr in tbl.findall(w("tr")):
        row: List[object] = []
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span = min(whole_number(_run_property(tcpr, "gridSpan"), 1, 1), MAX_GRID_SPAN)
            merge = tcpr.find(w("vMerge")) if tcpr is not None else None
            above = grid[-1][len(row)] if merge is not None and merge.get(w("val"), "continue") == "continue" \
                and grid and len(row) < len(grid[-1]) else None
            row.extend([above if above is not None else tc] * span)
        grid.append(row)
    return grid


def _table(tbl, number: int, document) -> SourceTable:
    from docx.text.paragraph import Paragraph

    rows, merged = [], False
    places: Dict[object, List[Tuple[int, int]]] = {}       # each cell's grid places: a merged cell has several
    for r, (tr, row) in enumerate(zip(tbl.findall(w("tr")), _grid(tbl))):
        cells = []
        seen = set()
        for c, tc in enumerate(row):
            if id(tc) in seen:
                merged = True
            seen.add(id(tc))
            places.setdefault(tc, []).append((r, c))     # the element itself: kept alive, so never confused
            paragraphs = tc.iter(w("p"))  # type: ignore[attr-defined]  # an lxml element; a nested table's paragraphs too: its text is kept
            cells.append(BAD_XML.sub("", "\n".join(Paragraph(p, None).text for p in paragraphs)).strip())
        if any(tc.find(f"{w('tcPr')}/{w('vMerge')}") is not None for tc in tr.findall(w("tc"))):
            merged = True
        rows.append(cells)
    spans = sorted((min(r for r, _ in p), min(c for _, c in p), max(r for r, _ in p), max(c for _, c in p))
                   for p in places.values() if len(p) > 1)
    return SourceTable(number=number, rows=rows, merged=merged, spans=spans, widths=_grid_widths(tbl),
                       heights=_row_heights(tbl))


def _twips(value) -> Optional[int]:
    """A width or height attribute in twips; None when absent or not a whole number (a percentage, "auto", "²")."""
    return whole_number(value, None, 0, 31680 * 20)


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
