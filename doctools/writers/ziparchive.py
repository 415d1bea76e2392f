"""The one zip writer of doctools: Office files (.docx, .xlsx, the templates)
with fixed entry times and modes, so equal input gives equal bytes.

Pictures are stored, not deflated again: they are compressed already, and
deflating them costs time and saves nothing.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable, Optional, Tuple

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STORED = (".png", ".jpg", ".jpeg", ".gif")


def write_zip(entries: Iterable[Tuple[str, bytes]]) -> bytes:
    """A zip of (name, content) entries, in the order given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return out.getvalue()


def deterministic_zip(data: bytes, stamp: Optional[str] = None) -> bytes:
    """Re-zip an Office file (as python-docx or openpyxl saved it) with fixed entry times.

    *stamp* (W3CDTF, e.g. 2018-01-25T00:00:00Z) replaces the created and
    modified dates of docProps/core.xml, which openpyxl sets to the time of
    saving whatever the workbook says."""
    source = zipfile.ZipFile(io.BytesIO(data))

    def entries():
        for info in source.infolist():
            content = source.read(info.filename)
            if stamp and info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode() + rb"\g<3>", content)
            yield info.filename, content

    return write_zip(entries())
