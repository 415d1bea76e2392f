"""PDF through LibreOffice headless, for every document of a build in one run.

LibreOffice honours the 28.95 pt line pitch but not Word's character grid:
where Word compresses 16 pt characters to the 15.79 pt pitch of a 28-character
line, LibreOffice gives each of them two grid cells (14 characters a line).
The copy handed to LibreOffice therefore has a 16 pt pitch (``charSpace`` 0);
the body style's 0.25 pt condensing then gives 28 characters a line there
too.  LibreOffice also reads ``w:overflowPunct`` inverted (``val="0"``, "no
punctuation past the margin" in Word, turns hanging punctuation *on*), so the
copy says ``val="1"`` where Word's file says ``"0"``.  The .docx that users
open in Word or WPS is left as it is.

LibreOffice 7 does not float a table to the foot of the page either, so the
版记 (a table Word anchors to the bottom margin) would stop under the last
line of text.  Conversion therefore runs twice: the first PDF shows how far
the 版记's bottom rule is above the bottom of the 版心; the second copy has a
spacer of exactly that height in front of the 版记.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, List, Optional

from . import gbt9704 as G
from .fonts import render_env
from .oxml import deterministic_zip

IMPRINT_MARK = b'<w:tblCaption w:val="\xe7\x89\x88\xe8\xae\xb0"/>'   # 版记
TEXT_BOTTOM_PT = (G.PAGE_HEIGHT - G.MARGIN_BOTTOM) / 20


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed."""


def soffice() -> Optional[str]:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def libreoffice_copy(docx: bytes, imprint_spacer: int = 0) -> bytes:
    """The document as LibreOffice lays it out like Word: its character grid,
    punctuation, and (*imprint_spacer* twips) the 版记 pushed to the page foot."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb'(<w:docGrid[^>]*w:charSpace=")-?\d+(")', rb"\g<1>0\g<2>", data)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                data = data.replace(b'<w:overflowPunct w:val="0"/>', b'<w:overflowPunct w:val="1"/>')
            if info.filename == "word/document.xml" and imprint_spacer > 0:
                data = _insert_spacer(data, imprint_spacer)
            target.writestr(info, data)
    return deterministic_zip(out.getvalue())


def _insert_spacer(document_xml: bytes, height: int) -> bytes:
    mark = document_xml.find(IMPRINT_MARK)
    if mark < 0:
        return document_xml
    start = document_xml.rfind(b"<w:tbl>", 0, mark)
    spacer = (b'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/>'
              b'<w:ind w:firstLine="0"/></w:pPr></w:p>' % height)
    return document_xml[:start] + spacer + document_xml[start:]


def imprint_gap(pdf: bytes) -> int:
    """Twips between the 版记's bottom rule and the bottom of the 版心 on the
    last page (0 when there is no 版记 or it already sits there)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[-1]
        rules = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > G.TEXT_WIDTH / 20 * 0.9]
        if not rules:
            return 0
        bottom = max(e["bottom"] for e in rules)
    gap = TEXT_BOTTOM_PT - bottom
    # 2.5 pt to spare: the rule's own thickness and the closing 1 pt paragraph
    return max(0, int(gap * 20) - 50) if gap > 1 else 0


def convert(documents: Dict[str, bytes], timeout: int = 300) -> Dict[str, bytes]:
    """PDF bytes for each named .docx; one LibreOffice run a pass, two passes."""
    first = _run_libreoffice({name: libreoffice_copy(data) for name, data in documents.items()}, timeout)
    second = {}
    for name, data in documents.items():
        gap = imprint_gap(first[name]) if IMPRINT_MARK in _document_xml(data) else 0
        if gap:
            second[name] = libreoffice_copy(data, gap)
    if second:
        first.update(_run_libreoffice(second, timeout))
    return first


def _document_xml(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


def _run_libreoffice(documents: Dict[str, bytes], timeout: int) -> Dict[str, bytes]:
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed; install it with: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="doctools-pdf-") as tmp:
        tmp_path = Path(tmp)
        sources: List[str] = []
        for i, (name, data) in enumerate(sorted(documents.items())):
            path = tmp_path / f"doc{i:04d}.docx"
            path.write_bytes(data)
            sources.append(str(path))
        profile = (tmp_path / "profile").as_uri()
        result = subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), *sources],
            capture_output=True, timeout=timeout, text=True, env=render_env())
        pdfs: Dict[str, bytes] = {}
        for i, name in enumerate(sorted(documents)):
            pdf = tmp_path / "out" / f"doc{i:04d}.pdf"
            if not pdf.exists():
                raise RuntimeError(f"LibreOffice did not convert {name}: {result.stderr.strip()[-500:]}")
            pdfs[name] = pdf.read_bytes()
        return pdfs
