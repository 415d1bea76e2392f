"""What a paragraph looks like according to the .docx, whoever wrote it.

Word resolves a property from the document defaults (``w:docDefaults``), then
the paragraph style and the styles it is based on (root first), then a run
style, then the direct formatting on the paragraph or run.  A check that
looked only at direct formatting would miss most of a real document: in a
file made from a template nearly everything comes from styles.  This module
does that resolution for the few properties GB/T 9704 cares about: the East
Asian font, size, bold, colour, alignment, indents, keep-with-next.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from lxml import etree

from ..safeio.untrusted import DOCX, check_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


PPR_KEYS = ("jc", "ind", "keepNext", "pageBreakBefore", "spacing", "framePr")
RPR_KEYS = ("rFonts", "sz", "b", "color", "spacing")


@dataclass
class Props:
    """Resolved properties: attribute dicts by element name (``ind`` → {left: …})."""

    ppr: Dict[str, Dict[str, str]] = field(default_factory=dict)
    rpr: Dict[str, Dict[str, str]] = field(default_factory=dict)

    @property
    def font(self) -> str:
        fonts = self.rpr.get("rFonts", {})
        return fonts.get("eastAsia") or fonts.get("ascii") or fonts.get("eastAsiaTheme", "")

    @property
    def size_pt(self) -> float:
        return int(self.rpr.get("sz", {}).get("val", "20")) / 2

    @property
    def bold(self) -> bool:
        return self.rpr.get("b", {}).get("val", "1") not in ("0", "false") if "b" in self.rpr else False

    @property
    def align(self) -> str:
        return self.ppr.get("jc", {}).get("val", "left")

    def indent(self, name: str) -> int:
        ind = self.ppr.get("ind", {})
        aliases = {"left": ("left", "start"), "right": ("right", "end")}.get(name, (name,))
        for a in aliases:
            if a in ind:
                return int(ind[a])
        return 0

    @property
    def keep_next(self) -> bool:
        return self.ppr.get("keepNext", {}).get("val", "1") not in ("0", "false") if "keepNext" in self.ppr else False


def _attrs(node) -> Dict[str, str]:
    return {etree.QName(k).localname: v for k, v in node.attrib.items()}


def _merge(target: Dict[str, Dict[str, str]], container, keys) -> None:
    if container is None:
        return
    for child in container:
        name = etree.QName(child).localname
        if name in keys:
            merged = dict(target.get(name, {}))
            merged.update(_attrs(child))
            if name == "ind" and ("hanging" in merged and "firstLine" in _attrs(child)):
                merged.pop("hanging")
            if name == "ind" and ("firstLine" in merged and "hanging" in _attrs(child)):
                merged.pop("firstLine")
            target[name] = merged


class Styles:
    """The styles part of one document, with inheritance."""

    def __init__(self, styles_xml: Optional[bytes]):
        self.by_id: Dict[str, etree._Element] = {}
        self.defaults = Props()
        self.default_paragraph = None
        if not styles_xml:
            return
        root = etree.fromstring(styles_xml)
        defaults = root.find(q("docDefaults"))
        if defaults is not None:
            _merge(self.defaults.rpr, defaults.find(f"{q('rPrDefault')}/{q('rPr')}"), RPR_KEYS)
            _merge(self.defaults.ppr, defaults.find(f"{q('pPrDefault')}/{q('pPr')}"), PPR_KEYS)
        for style in root.iter(q("style")):
            sid = style.get(q("styleId"))
            self.by_id[sid] = style
            if style.get(q("type")) == "paragraph" and style.get(q("default")) in ("1", "true"):
                self.default_paragraph = sid

    def chain(self, sid: Optional[str]) -> List[etree._Element]:
        out, seen = [], set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            based = style.find(q("basedOn"))
            sid = based.get(q("val")) if based is not None else None
        return list(reversed(out))

    def name(self, sid: Optional[str]) -> str:
        style = self.by_id.get(sid or "")
        node = style.find(q("name")) if style is not None else None
        return node.get(q("val")) if node is not None else (sid or "")

    def paragraph(self, p, run=None) -> Props:
        """Properties of paragraph *p* (and of *run* in it, or its first text run)."""
        props = Props({k: dict(v) for k, v in self.defaults.ppr.items()}, {k: dict(v) for k, v in self.defaults.rpr.items()})
        ppr = p.find(q("pPr"))
        style = ppr.find(q("pStyle")) if ppr is not None else None
        sid = style.get(q("val")) if style is not None else self.default_paragraph
        for s in self.chain(sid):
            _merge(props.ppr, s.find(q("pPr")), PPR_KEYS)
            _merge(props.rpr, s.find(q("rPr")), RPR_KEYS)
        _merge(props.ppr, ppr, PPR_KEYS)
        if run is None:
            run = next((r for r in p.iter(q("r")) if "".join(t.text or "" for t in r.iter(q("t"))).strip()), None)
        if run is not None:
            rpr = run.find(q("rPr"))
            rstyle = rpr.find(q("rStyle")) if rpr is not None else None
            if rstyle is not None:
                for s in self.chain(rstyle.get(q("val"))):
                    _merge(props.rpr, s.find(q("rPr")), RPR_KEYS)
            _merge(props.rpr, rpr, RPR_KEYS)
        return props


@dataclass
class Para:
    """A paragraph of the document body, in order, with what it resolves to."""

    index: int
    text: str
    style: str
    props: Props
    in_table: bool
    in_box: bool
    runs: List[tuple]            # (text, Props) of each run with text
    section: int                 # index of the section it belongs to


@dataclass
class Section:
    width: int
    height: int
    margins: Dict[str, int]
    grid: Dict[str, str]
    landscape: bool


def _own(p, node) -> bool:
    """*node* belongs to *p* itself, not to a paragraph of a text box inside it."""
    return next(node.iterancestors(q("p"))) is p


def paragraph_text(p) -> str:
    out = []
    for node in p.iter(q("t"), q("tab"), q("br"), q("cr")):
        if node.getparent().tag != q("r") or not _own(p, node):
            continue
        if node.tag == q("t"):
            out.append(node.text or "")
        elif node.tag == q("tab"):
            out.append("\t")
        elif node.get(q("type")) in (None, "textWrapping"):
            out.append("\n")
    return "".join(out)


@dataclass
class DocxModel:
    paragraphs: List[Para]
    sections: List[Section]
    styles: Styles


def _section(sect) -> Section:
    size = sect.find(q("pgSz"))
    mar = sect.find(q("pgMar"))
    grid = sect.find(q("docGrid"))
    width, height = int(size.get(q("w"), "11906")), int(size.get(q("h"), "16838"))
    margins = {k: int(mar.get(q(k), "0")) for k in ("top", "right", "bottom", "left", "footer", "header")} if mar is not None else {}
    return Section(width, height, margins, _attrs(grid) if grid is not None else {}, width > height)


def read_docx(data: bytes) -> DocxModel:
    """The body paragraphs and sections of a .docx, styles resolved."""
    package = check_package(data, DOCX)
    names = package.names()
    styles = Styles(package.read("word/styles.xml") if "word/styles.xml" in names else None)
    root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(q("body"))
    sections: List[Section] = []
    paragraphs: List[Para] = []
    for p in body.iter(q("p")):
        ancestors = {etree.QName(a).localname for a in p.iterancestors()}
        text = paragraph_text(p)
        props = styles.paragraph(p)
        runs = []
        for r in p.findall(q("r")):
            rt = "".join(t.text or "" for t in r.iter(q("t")) if _own(p, t))
            if rt:
                runs.append((rt, styles.paragraph(p, r)))
        ppr = p.find(q("pPr"))
        style = ppr.find(q("pStyle")) if ppr is not None else None
        paragraphs.append(Para(len(paragraphs), text, styles.name(style.get(q("val")) if style is not None else styles.default_paragraph),
                               props, "tbl" in ancestors, "txbxContent" in ancestors, runs, len(sections)))
        inner = ppr.find(q("sectPr")) if ppr is not None else None
        if inner is not None:
            sections.append(_section(inner))
    final = body.find(q("sectPr"))
    if final is not None:
        sections.append(_section(final))
    return DocxModel(paragraphs, sections, styles)
