"""Reading WordprocessingML (the XML of a .docx), once for the importer and the audit.

- :data:`W` and :func:`q`: the main namespace, defined here and nowhere else in the readers and the audit.
- :func:`parse`: an XML part parsed by lxml without entities, network or huge-tree mode (libxml2 then stops at 256
  levels of nesting); the part came through :mod:`doctools.safeio.untrusted`, so it has no document type and its
  size is within the limits.
- :func:`inheritance`: a chain of "based on" links (a style and the styles it is based on) with a guard against
  cycles and a cap of :data:`~doctools.limits.MAX_STYLE_CHAIN` links.  A style based on itself, or two based on
  each other, hung ``import`` before (issue 26 item 6).
- :func:`whole_number`, :func:`decimal_number`, :func:`on_off`: every attribute value read from the XML, parsed
  tolerantly: a value Word would never write (``ilvl="x"``, ``w:sz="²"``, ``w:b="maybe"``, a ``start`` of 4,301
  digits) is the attribute's default, never an exception (issue 26 item 11).
- :class:`Styles`: Word's resolution of paragraph and run properties: document defaults, then the paragraph style
  and its bases (root first), then a run style, then direct formatting.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Hashable, List, Optional, TypeVar

from lxml import etree

from ..limits import MAX_STYLE_CHAIN

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
T = TypeVar("T")


def q(tag: str) -> str:
    """The Clark name of a ``w:`` element or attribute: ``q("p")`` is ``{…main}p``."""
    return f"{{{W}}}{tag}"


def parse(data: bytes) -> etree._Element:
    """An XML part of a checked .docx, parsed safely."""
    return etree.fromstring(data, _PARSER)


def inheritance(first: Optional[T], parent: Callable[[T], Optional[T]], key: Callable[[T], Hashable] = id) -> List[T]:
    """*first*, its parent, the parent's parent … (nearest first): stops at the root, at an item seen before (a
    cycle) or after :data:`MAX_STYLE_CHAIN` items."""
    chain: List[T] = []
    seen = set()
    item = first
    while item is not None and key(item) not in seen and len(chain) < MAX_STYLE_CHAIN:
        seen.add(key(item))
        chain.append(item)
        item = parent(item)
    return chain


def whole_number(text, default=None, low: int = 0, high: int = 2 ** 31 - 1):
    """An integer attribute of an untrusted XML file, or *default* when it is absent, not ASCII digits (``x``,
    ``²``, ``21.5``), longer than ten digits (4,301 digits would make ``int()`` refuse) or outside
    [*low*, *high*]."""
    if text is None:
        return default
    text = str(text).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 10 or not (digits.isascii() and digits.isdigit()):
        return default
    value = int(text)
    return value if low <= value <= high else default


def decimal_number(text, default=None, low: float = 0, high: float = 1e6):
    """A number attribute that may have a fraction (``21.5``), by the rules of :func:`whole_number`."""
    text = str(text).strip() if text is not None else ""
    if not text:
        return default
    whole, _dot, fraction = text.partition(".")
    if whole_number(whole or "0", None, 0, 10 ** 10) is None or (fraction and whole_number(fraction) is None):
        return default
    value = float(text)
    return value if low <= value <= high else default


def on_off(text, default=None):
    """A Word ON/OFF attribute (``w:b``): absent is on; ``0``/``false``/``off`` is off; anything else
    (``maybe``) is *default*."""
    if text is None:
        return True
    return {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}.get(str(text).strip().lower(),
                                                                                             default)


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
        return decimal_number(self.rpr.get("sz", {}).get("val"), 20, 1, 3276) / 2     # "abc", "²": Word's default

    @property
    def bold(self) -> bool:
        return bool(on_off(self.rpr["b"].get("val"), False)) if "b" in self.rpr else False

    @property
    def align(self) -> str:
        return self.ppr.get("jc", {}).get("val", "left")

    def indent(self, name: str) -> int:
        ind = self.ppr.get("ind", {})
        aliases = {"left": ("left", "start"), "right": ("right", "end")}.get(name, (name,))
        for a in aliases:
            if a in ind:
                return whole_number(ind[a], 0, -31680, 31680)
        return 0

    @property
    def keep_next(self) -> bool:
        return bool(on_off(self.ppr["keepNext"].get("val"), False)) if "keepNext" in self.ppr else False


def attributes(node) -> Dict[str, str]:
    return {etree.QName(k).localname: v for k, v in node.attrib.items()}


def _merge(target: Dict[str, Dict[str, str]], container, keys) -> None:
    if container is None:
        return
    for child in container:
        name = etree.QName(child).localname
        if name in keys:
            merged = dict(target.get(name, {}))
            merged.update(attributes(child))
            if name == "ind" and ("hanging" in merged and "firstLine" in attributes(child)):
                merged.pop("hanging")
            if name == "ind" and ("firstLine" in merged and "hanging" in attributes(child)):
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
        root = parse(styles_xml)
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
        """The style *sid* and the styles it is based on, root first (a cycle or an overlong chain cut short)."""
        def based_on(style):
            based = style.find(q("basedOn"))
            return self.by_id.get(based.get(q("val")) if based is not None else "")

        return list(reversed(inheritance(self.by_id.get(sid or ""), based_on, key=lambda s: s.get(q("styleId")))))

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
