"""Positions on the page: a LibreOffice render of the file as it is, read
back with pdfplumber the way one checks a printout with a ruler.

Lengths are in PDF points from the top-left corner of the page (1 mm =
2.835 pt).  Text is grouped into rows (characters sharing a top); rules are
the horizontal strokes pdfplumber reports as edges.  Where the ink matters
more than the character box (the dash of a page number), the page is
rasterised and the dark pixels are found.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

PT_PER_MM = 72 / 25.4
RED = re.compile(r"^\(?\[?1(\.0)?, 0(\.0)?, 0(\.0)?")


@dataclass
class Row:
    page: int                     # 1-based
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    chars: List[dict] = field(repr=False)

    @property
    def size(self) -> float:
        return max(c["size"] for c in self.chars)

    @property
    def red(self) -> bool:
        return all(is_red(c.get("non_stroking_color")) for c in self.chars)


@dataclass
class Rule:
    top: float
    bottom: float
    x0: float
    x1: float
    width: float                  # stroke thickness, pt
    red: bool

    @property
    def length(self) -> float:
        return self.x1 - self.x0


@dataclass
class Page:
    number: int
    width: float
    height: float
    rows: List[Row]               # upright text
    turned: List[dict]            # characters not upright (a page number on a landscape page)
    rules: List[Rule]
    vertical_edges: List[dict]
    plumber: Any = field(repr=False, default=None)      # the pdfplumber page (pdfplumber ships no types)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def is_red(color) -> bool:
    if color is None:
        return False
    values = list(color) if isinstance(color, (list, tuple)) else [color]
    return len(values) == 3 and values[0] > 0.8 and values[1] < 0.3 and values[2] < 0.3


def _rows(page_number: int, chars: List[dict]) -> List[Row]:
    groups: Dict[int, list] = {}
    for c in chars:
        if c["text"].strip():
            groups.setdefault(round(c["top"]), []).append(c)
    # characters of one line whose tops differ by a point (mixed sizes) belong together
    merged: List[list] = []
    for key in sorted(groups):
        if merged and key - round(merged[-1][0]["top"]) <= 1:
            merged[-1].extend(groups[key])
        else:
            merged.append(list(groups[key]))
    rows = []
    for cs in merged:
        cs.sort(key=lambda c: c["x0"])
        rows.append(Row(page_number, min(c["top"] for c in cs), max(c["bottom"] for c in cs), cs[0]["x0"], cs[-1]["x1"],
                        "".join(c["text"] for c in cs), cs))
    return rows


def read_pdf(data: bytes) -> List[Page]:
    import pdfplumber

    pdf = pdfplumber.open(io.BytesIO(data))
    pages = []
    for page in pdf.pages:
        upright = [c for c in page.chars if c.get("upright", True)]
        turned = [c for c in page.chars if not c.get("upright", True) and c["text"].strip()]
        rules = []
        for e in page.edges:
            if e["orientation"] != "h":
                continue
            width = e.get("linewidth") or (e["bottom"] - e["top"]) or 0
            if e.get("object_type") == "rect":
                width = e.get("height", width) or width
            rules.append(Rule(e["top"], e["bottom"], e["x0"], e["x1"], float(width),
                              is_red(e.get("stroking_color")) or is_red(e.get("non_stroking_color"))))
        pages.append(Page(page.page_number, float(page.width), float(page.height), _rows(page.page_number, upright),
                          turned, _merge_rules(rules), [e for e in page.edges if e["orientation"] == "v"], page))
    return pages


def _merge_rules(rules: List[Rule]) -> List[Rule]:
    """Table borders come as one edge per cell: join collinear pieces."""
    out: List[Rule] = []
    for r in sorted(rules, key=lambda r: (round(r.top, 1), r.x0)):
        last = out[-1] if out else None
        if last and abs(last.top - r.top) < 0.3 and r.x0 <= last.x1 + 0.5 and last.red == r.red:
            last.x1 = max(last.x1, r.x1)
            last.width = max(last.width, r.width)
        else:
            out.append(Rule(r.top, r.bottom, r.x0, r.x1, r.width, r.red))
    return out


def ink_box(page: Page, x0: float, top: float, x1: float, bottom: float, scale: float = 6.0) -> Optional[tuple]:
    """(x0, top, x1, bottom) of the dark pixels inside a box of the page, in pt."""
    import pypdfium2 as pdfium

    plumber_page = page.plumber
    document = pdfium.PdfDocument(plumber_page.pdf.stream)
    try:
        bitmap = document[page.number - 1].render(scale=scale, crop=(x0, page.height - bottom, page.width - x1, top))
        image = bitmap.to_pil().convert("L")
    finally:
        document.close()
    dark = [(x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) < 128]
    if not dark:
        return None
    xs, ys = [d[0] for d in dark], [d[1] for d in dark]
    return (x0 + min(xs) / scale, top + min(ys) / scale, x0 + (max(xs) + 1) / scale, top + (max(ys) + 1) / scale)
