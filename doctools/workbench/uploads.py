"""A workbook sent from the page is read with the command line's checks before it goes into a package.

``doctools build`` opens a package's workbooks through :func:`doctools.readers.workbook.open_workbook`: zip size,
parts, the ratio of a part's unpacked to packed size, rows and cells counted while the sheet streams.  An upload
is put through the same function from a private temporary folder, so a workbook the command line would refuse
never lands in the package folder, and the clerk reads the same message, in Chinese.  (A Word file sent to 导入
goes through ``doctools import``'s own reader in :mod:`.imports`.)  Sizes: the request as a whole is limited by
:data:`doctools.workbench.security.MAX_REQUEST_BYTES`, an upload by the page's own limit.
"""
from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path


class BadUpload(Exception):
    """An upload refused; the message is one sentence in the user's language."""


def shown_name(name: str) -> str:
    """The uploaded file's name as it may be shown: its last path part, no control characters, at most 80."""
    name = re.split(r"[\\/]", str(name or ""))[-1]
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:80]


def check_workbook(name: str, data: bytes) -> None:
    """Refuse (:class:`BadUpload`, the reader's own message) a workbook ``doctools build`` would refuse."""
    from ..errors import Diagnostics, Pos
    from ..readers.workbook import open_workbook

    shown = shown_name(name) or "upload.xlsx"
    with tempfile.TemporaryDirectory(prefix="doctools-upload-") as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(data)
        diags = Diagnostics()
        book = open_workbook(path, Path(tmp), shown, "catalog.source", Pos(shown), diags)
        if book is not None:
            book.close()
    if diags.errors:
        raise BadUpload("; ".join(f"{shown}: {d.message}" for d in diags.errors))


def check_docx(name: str, data: bytes) -> None:
    """Refuse a .docx over the command line's limits for untrusted files (zip size, parts, entities), where the
    shared opener :mod:`doctools.safeio.untrusted` is there; ``doctools import``'s reader checks the rest."""
    try:
        from ..safeio import untrusted
    except ImportError:
        return
    from ..errors import UnreadableInput

    try:
        untrusted.check_package(data, untrusted.DOCX)
    except UnreadableInput as exc:
        raise BadUpload(f"{shown_name(name)}: {exc.reason}") from None
