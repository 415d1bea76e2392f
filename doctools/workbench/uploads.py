"""A Word or Excel file sent from the page: limited in size while it arrives, named safely, and then read through
the same checks as a file given on the command line (:mod:`doctools.safeio.untrusted`: zip size, parts, XML
entities, depth of rows and cells).

The file's own name is never used as a path: it is shown to the clerk (cleaned of folders and control
characters) and nothing else; where the server keeps an upload, it makes the name itself.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Tuple

from ..i18n import _

MAX_UPLOAD_BYTES = 20_000_000         # one uploaded .docx or .xlsx, as sent (packed)
KINDS = {".docx": "docx", ".xlsx": "xlsx"}


class BadUpload(Exception):
    """An upload refused; the message is one sentence in the user's language."""


def shown_name(name: str) -> str:
    """The uploaded file's name as it may be shown: its last path part, no control characters, at most 80."""
    name = re.split(r"[\\/]", str(name or ""))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name[:80] or _("(no name)")


async def read_upload(upload, kinds=(".docx",), limit: int = MAX_UPLOAD_BYTES) -> Tuple[str, bytes]:
    """The shown name and bytes of the form field *upload* (a Starlette UploadFile), read 1 MB at a time and
    refused as soon as it passes *limit*; :class:`BadUpload` when it is missing, too large or of another kind."""
    if upload is None or isinstance(upload, str) or not hasattr(upload, "read"):
        raise BadUpload(_("choose a file to upload first"))
    name = shown_name(getattr(upload, "filename", ""))
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in kinds:
        raise BadUpload(_("{name}: upload a {kinds} file").format(name=name, kinds=" / ".join(kinds)))
    chunks, size = [], 0
    while True:
        chunk = await upload.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise BadUpload(_("{name} is larger than {size} MB; the workbench takes files up to {size} MB").format(
                name=name, size=limit // 1_000_000))
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise BadUpload(_("{name} is empty").format(name=name))
    check(name, data, KINDS[suffix])
    return name, data


def check(name: str, data: bytes, kind: str) -> None:
    """The command line's checks of an untrusted .docx or .xlsx, on bytes: :class:`BadUpload` naming *name*."""
    try:
        from ..safeio import untrusted
    except ImportError:        # the shared opener is not on this branch yet: the reader's own checks apply
        return
    from ..errors import UnreadableInput

    try:
        untrusted.check_package(data, untrusted.DOCX if kind == "docx" else untrusted.WORKBOOK)
    except UnreadableInput as exc:
        raise BadUpload(_("{name}: {reason}").format(name=name, reason=exc.reason)) from None
