"""What a paragraph looks like according to the .docx, whoever wrote it.

Word resolves a property from the document defaults (``w:docDefaults``), then
the paragraph style and the styles it is based on (root first), then a run
style, then the direct formatting on the paragraph or run.  A check that
looked only at direct formatting would miss most of a real document: in a
file made from a template nearly everything comes from styles.  This module
does that resolution (:class:`doctools.safeio.wordml.Styles`, shared with the
importer) for the few properties GB/T 9704 cares about: the East Asian font,
size, bold, colour, alignment, indents, keep-with-next.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List

from lxml import etree

from ..safeio.untrusted import DOCX, check_package
from ..safeio.wordml import Props, Styles, attributes, parse, q, whole_number


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
    width = whole_number(size.get(q("w")), 11906, 1, 31680 * 2) if size is not None else 11906
    height = whole_number(size.get(q("h")), 16838, 1, 31680 * 2) if size is not None else 16838
    margins = {k: whole_number(mar.get(q(k)), 0, -31680, 31680)
               for k in ("top", "right", "bottom", "left", "footer", "header")} if mar is not None else {}
    return Section(width, height, margins, attributes(grid) if grid is not None else {}, width > height)


def read_docx(data: bytes) -> DocxModel:
    """The body paragraphs and sections of a .docx, styles resolved."""
    package = check_package(data, DOCX)
    names = package.names()
    styles = Styles(package.read("word/styles.xml") if "word/styles.xml" in names else None)
    root = parse(package.read("word/document.xml"))
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
