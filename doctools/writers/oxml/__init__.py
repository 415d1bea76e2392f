"""Raw WordprocessingML helpers: everything python-docx has no API for.

As python-docx keeps its ``oxml`` layer apart from its document API, doctools
keeps every direct XML edit in this package: run fonts (``w:eastAsia``), page
grid (``w:docGrid``), fields (PAGE), borders, table rows (``w:tblHeader``,
``w:cantSplit``), grid columns, floating tables; and the parts of the default
template (:mod:`.template`).  Writers call these functions and never build
``w:`` elements themselves.  The schema's order of an element's children is
stated once, in :data:`CHILD_ORDER`, and :func:`child` inserts by it.

Units: twips (1/20 pt) for lengths, eighths of a point for border sizes,
half-points for font sizes — as in the XML.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...typeset.gbt9704 import mm

__all__ = ["mm"]

# The children of each properties element in schema order (ECMA-376 Part 1, CT_PPr, CT_RPr, CT_TblPr,
# CT_SectPr): a new child goes before the first of its successors that is present.
CHILD_ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
              "w:sectPr", "w:pPrChange"),
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
              "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
              "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
              "w:specVanish", "w:oMath"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
                "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
                "w:tblLook", "w:tblCaption", "w:tblDescription"),
    "w:sectPr": ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
                 "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
                 "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                 "w:sectPrChange"),
}
_TAGS = {qn(parent): parent for parent in CHILD_ORDER}
SECT_PR = qn("w:sectPr")
PARAGRAPH = qn("w:p")


def el(tag: str, **attrs) -> "OxmlElement":
    """A new ``w:`` element; keyword ``val='x'`` becomes ``w:val="x"``."""
    node = OxmlElement(tag)
    for key, value in attrs.items():
        node.set(qn("w:" + key), str(value))
    return node


def successors(parent, tag: str) -> Sequence[str]:
    order = CHILD_ORDER[_TAGS[parent.tag]]
    return order[order.index(tag) + 1:]


def child(parent, tag: str):
    """The first *tag* child of *parent*, created in its schema place (:data:`CHILD_ORDER`) if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        present = {c.tag for c in parent}
        anchor = next((parent.find(qn(name)) for name in successors(parent, tag) if qn(name) in present), None)
        if anchor is not None:
            anchor.addprevious(found)
        else:
            parent.append(found)
    return found


# ---- run and paragraph properties ------------------------------------------------

def set_fonts(rpr, name: str) -> None:
    """Set one font for all four script slots (ascii, hAnsi, eastAsia, cs).

    python-docx's ``font.name`` writes only the Latin slots, so Chinese text
    would fall back to the theme's East Asian font; theme attributes are
    removed for the same reason.
    """
    fonts = child(rpr, "w:rFonts")
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn("w:" + slot), name)
    fonts.set(qn("w:hint"), "eastAsia")


def run_props(run):
    """The ``w:rPr`` of a python-docx Run (created if needed)."""
    return run._r.get_or_add_rPr()


def set_run_font(run, name: str, size_pt: Optional[float] = None, color: Optional[str] = None) -> None:
    rpr = run_props(run)
    set_fonts(rpr, name)
    if color:
        child(rpr, "w:color").set(qn("w:val"), color)
    if size_pt:
        half = str(round(size_pt * 2))
        child(rpr, "w:sz").set(qn("w:val"), half)
        child(rpr, "w:szCs").set(qn("w:val"), half)


def set_paragraph_style(paragraph, style_id: str) -> None:
    """Apply a paragraph style by id.  python-docx's ``paragraph.style = …``
    looks the style up by name on every call, the slowest step of big tables."""
    paragraph._p.get_or_add_pPr().style = style_id


def set_run_style(run, style_id: str) -> None:
    run._r.get_or_add_rPr().style = style_id


def paragraph_props(paragraph):
    return paragraph._p.get_or_add_pPr()


def set_indent(paragraph, left: int = 0, right: int = 0, first_line: Optional[int] = None, hanging: Optional[int] = None) -> None:
    """Indents in twips; overrides the style's (also its first-line indent)."""
    ppr = paragraph_props(paragraph)
    ind = child(ppr, "w:ind")
    ind.attrib.clear()
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:right"), str(right))
    if hanging is not None:
        ind.set(qn("w:hanging"), str(hanging))
    else:
        ind.set(qn("w:firstLine"), str(first_line or 0))


def set_spacing(paragraph, before: int = 0, after: int = 0, line: Optional[int] = None, rule: str = "exact") -> None:
    ppr = paragraph_props(paragraph)
    spacing = child(ppr, "w:spacing")
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    if line is not None:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), rule)


def no_grid(paragraph) -> None:
    """Take the paragraph off the document grid (its exact height is kept)."""
    ppr = paragraph_props(paragraph)
    child(ppr, "w:snapToGrid").set(qn("w:val"), "0")


def add_tab_stop(paragraph, position: int, align: str = "right") -> None:
    ppr = paragraph_props(paragraph)
    tabs = child(ppr, "w:tabs")
    tabs.append(el("w:tab", val=align, pos=position))


def set_bottom_border(paragraph, size_eighths: int, color: str = "000000", space_pt: int = 0) -> None:
    """A rule under the paragraph (the red line under the 发文字号)."""
    ppr = paragraph_props(paragraph)
    borders = child(ppr, "w:pBdr")
    borders.append(el("w:bottom", val="single", sz=size_eighths, space=space_pt, color=color))


def keep_with_next(p, on: bool = True) -> None:
    """w:keepNext on a paragraph element (or python-docx Paragraph); ``on=False``
    overrides a style's keep-with-next (a list item styled as a heading)."""
    p = getattr(p, "_p", p)
    ppr = p.get_or_add_pPr()
    node = child(ppr, "w:keepNext")
    if on:
        node.attrib.pop(qn("w:val"), None)
    else:
        node.set(qn("w:val"), "0")


def add_page_break_before(paragraph) -> None:
    ppr = paragraph_props(paragraph)
    child(ppr, "w:pageBreakBefore")




# ---- sections ------------------------------------------------------------------------

def page_setup(sect_pr, *, width: int, height: int, top: int, right: int, bottom: int, left: int,
               header: int, footer: int, line_pitch: int, landscape: bool = False) -> None:
    """Paper, margins and the line grid of one section (no character grid:
    28 characters a line come from the condensed body type)."""
    for tag in ("w:pgSz", "w:pgMar", "w:docGrid"):
        old = sect_pr.find(qn(tag))
        if old is not None:
            sect_pr.remove(old)
    size = el("w:pgSz", w=width, h=height)
    if landscape:
        size.set(qn("w:orient"), "landscape")
    margins = el("w:pgMar", top=top, right=right, bottom=bottom, left=left, header=header, footer=footer, gutter=0)
    grid = el("w:docGrid", type="lines", linePitch=line_pitch)
    # schema order: headerReference*, footerReference*, ..., pgSz, pgMar, ..., cols, ..., docGrid
    refs = [c for c in sect_pr if c.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:type"))]
    anchor = refs[-1] if refs else None
    if anchor is not None:
        anchor.addnext(size)
    else:
        sect_pr.insert(0, size)
    size.addnext(margins)
    sect_pr.append(grid)






# ---- tables ----------------------------------------------------------------------------

def table_grid(table, widths: Iterable[int]) -> None:
    """Column widths in twips, written to w:tblGrid, every cell and w:tblW (WPS reads gridCol)."""
    widths = list(widths)
    tbl = table._tbl
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        grid.append(el("w:gridCol", w=w))
    tbl_pr = tbl.tblPr
    tbl_w = child(tbl_pr, "w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = child(tbl_pr, "w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    for row in tbl.tr_lst:
        col = 0
        for tc in row.tc_lst:
            span = tc.grid_span
            tc_w = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_w.type, tc_w.w = "dxa", sum(widths[col:col + span])
            col += span


def table_borders(table, top: int = 0, bottom: int = 0, inside_h: int = 0, left: int = 0, right: int = 0, inside_v: int = 0) -> None:
    """Table borders in eighths of a point; 0 = none."""
    tbl_pr = table._tbl.tblPr
    borders = child(tbl_pr, "w:tblBorders")
    for c in list(borders):
        borders.remove(c)
    for name, size in (("top", top), ("left", left), ("bottom", bottom), ("right", right), ("insideH", inside_h), ("insideV", inside_v)):
        if size:
            borders.append(el(f"w:{name}", val="single", sz=size, space=0, color="000000"))
        else:
            borders.append(el(f"w:{name}", val="nil"))


def table_cell_margins(table, left: int = 0, right: int = 0, top: int = 0, bottom: int = 0) -> None:
    tbl_pr = table._tbl.tblPr
    mar = child(tbl_pr, "w:tblCellMar")
    for c in list(mar):
        mar.remove(c)
    for name, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        mar.append(el(f"w:{name}", w=value, type="dxa"))


_DRAWING_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
               'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')


def box_at_bottom(paragraph, table, width: int, height: int, name: str = "") -> None:
    """Move *table* into a text box anchored to *paragraph* whose bottom edge is
    the bottom of the text area (the 版记).

    A floating table (``w:tblpPr``) would do in Word, but LibreOffice 7 lays
    it inline under the last line, and a ``w:framePr`` frame loses its
    borders there.  A DrawingML text box aligned to the bottom of the margin,
    text anchored to its bottom (``anchor="b"``) and wrapped top and bottom,
    is placed the same in Word, WPS and LibreOffice, and body text never runs
    under it.  *width* and *height* in twips; *height* should leave room
    (the text sits on the box's bottom edge; it is not resized to fit)."""
    from docx.oxml import parse_xml

    cx, cy = width * 635, height * 635
    shape_id = paragraph.part.next_id        # drawing ids must be unique in the document (pictures have some)
    tail = ('<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:ind w:firstLine="0"/></w:pPr></w:p>')
    xml = (f'<w:r {_DRAWING_NS}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
           f'relativeHeight="{shape_id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
           '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
           '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
           f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
           f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
           '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
           '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
           f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
           f'<wps:txbx><w:txbxContent>{tail}</w:txbxContent></wps:txbx>'
           '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0">'
           '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
    run = parse_xml(xml)
    paragraph._p.append(run)
    content = run.find(".//" + qn("w:txbxContent"))
    content.insert(0, table._tbl)


def page_number_box(paragraph, *, left: int, top: int, width: int, height: int, style: str, shape_id: int) -> None:
    """A text box on the page, its text turned 90° clockwise ("— N —" with a
    PAGE field, paragraph style *style*): the page number of a landscape page,
    upright when the sheet is held like the portrait pages (GB/T 9704 §8).
    Position and size in twips from the page's top-left corner.

    The line is centred across the box (``anchor="ctr"``): where a turned
    line sits across its box differs between programs; along it, the
    paragraph style's alignment and indent apply as on a portrait page."""
    from docx.oxml import parse_xml

    cx, cy = width * 635, height * 635
    runs = ('<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r>')
    xml = (f'<w:r {_DRAWING_NS}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
           f'relativeHeight="{shape_id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
           '<wp:simplePos x="0" y="0"/>'
           f'<wp:positionH relativeFrom="page"><wp:posOffset>{left * 635}</wp:posOffset></wp:positionH>'
           f'<wp:positionV relativeFrom="page"><wp:posOffset>{top * 635}</wp:posOffset></wp:positionV>'
           f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
           f'<wp:docPr id="{shape_id}" name="页码"/><wp:cNvGraphicFramePr/>'
           '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
           '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
           f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
           f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p></w:txbxContent></wps:txbx>'
           '<wps:bodyPr rot="0" vert="vert" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0">'
           '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
    paragraph._p.append(parse_xml(xml))


def table_caption(table, text: str) -> None:
    """w:tblCaption: an accessible name, also how tools find the table again."""
    table._tbl.tblPr.append(el("w:tblCaption", val=text))


def row_flags(row, header: bool = False, cant_split: bool = True) -> None:
    """w:cantSplit (row stays on one page) and w:tblHeader (repeat on every page)."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        old = tr_pr.find(qn(tag))
        if old is not None:
            tr_pr.remove(old)
    if cant_split:
        tr_pr.insert(0, el("w:cantSplit"))
    if header:
        tr_pr.append(el("w:tblHeader"))
