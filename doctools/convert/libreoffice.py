"""PDF through LibreOffice headless: the .docx as delivered, every document of
a build in one run.

The document is not patched for LibreOffice: its layout (a line grid, 16 pt
characters condensed by 0.25 pt, the 版记 placed by its own spacing) is chosen
so that Word, WPS and LibreOffice lay out the same lines, and what is measured
is what people open.  Fonts come from the fontconfig file doctools ships
(:mod:`doctools.convert.fonts`), named by ``FONTCONFIG_FILE``.

LibreOffice stamps each PDF with the time of converting, in the local time
zone (``D:20261124142255+08'00'`` or ``D:20261124062250Z'`` under UTC: even the
length differs), and with a random ``/ID`` and a ``/DocChecksum`` over all of
it.  It therefore runs with ``TZ=UTC``, and :func:`deterministic` puts the
document's own date in place of the stamp and a hash of the PDF's bytes in
place of the two others, each replaced by one of equal length, so the PDF's
cross-reference offsets stay right and equal documents give equal PDFs on any
clock and in any time zone.

LibreOffice runs in a process group of its own with a private profile, so a
stuck conversion can be killed as a whole (``soffice`` starts
``soffice.bin``), and a user's open LibreOffice window is never touched.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from ..errors import Timeout, ToolMissing
from .fonts import render_env
from ..i18n import _, ngettext

#: seconds for starting LibreOffice, and per megabyte of documents converted
START_SECONDS = 60
SECONDS_PER_DOCUMENT = 20
SECONDS_PER_MB = 30


_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\()(D:[0-9+\-Z']*)\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


class PdfUnavailable(ToolMissing):
    """LibreOffice is not installed."""


class PdfTimeout(Timeout):
    """LibreOffice took longer than the documents' size allows."""


def soffice() -> Optional[str]:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def timeout_for(documents: Dict[str, bytes]) -> float:
    """A time limit that grows with the work: documents and their size."""
    megabytes = sum(len(d) for d in documents.values()) / 1e6
    return START_SECONDS + SECONDS_PER_DOCUMENT * len(documents) + SECONDS_PER_MB * megabytes


def convert(documents: Dict[str, bytes], timeout: Optional[float] = None) -> Dict[str, bytes]:
    """PDF bytes for each named .docx, in one LibreOffice run ({} starts nothing)."""
    if not documents:
        return {}
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(_("LibreOffice (soffice) is not installed; install it with: apt-get install "
                               "libreoffice-writer-nogui"))
    limit = timeout if timeout is not None else timeout_for(documents)
    names = sorted(documents)
    with tempfile.TemporaryDirectory(prefix="doctools-pdf-") as tmp:
        tmp_path = Path(tmp)
        sources: List[str] = []
        for i, name in enumerate(names):
            path = tmp_path / f"doc{i:04d}.docx"
            path.write_bytes(documents[name])
            sources.append(str(path))
        profile = (tmp_path / "profile").as_uri()
        command = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), *sources]
        stderr = _run_in_group(command, limit, len(names))
        pdfs: Dict[str, bytes] = {}
        for i, name in enumerate(names):
            pdf = tmp_path / "out" / f"doc{i:04d}.pdf"
            if not pdf.exists():
                raise RuntimeError(_("LibreOffice did not convert {name}: {error}").format(name=name, error=stderr.strip()[-500:]))
            pdfs[name] = pdf.read_bytes()
        return pdfs


def deterministic(pdf: bytes, stamp: str) -> bytes:
    """The PDF with its creation and modification dates set to *stamp* (YYYYMMDDHHMMSS, the document's date)
    and its ``/ID`` and ``/DocChecksum`` made from a hash of the PDF itself, every replacement of the same
    length as what it replaces (a shorter date is followed by spaces, which PDF reads as nothing)."""
    def date(match: re.Match) -> bytes:
        old = match.group(2)
        for new in (f"D:{stamp}Z".encode("ascii"), f"D:{stamp}".encode("ascii")):
            if len(new) <= len(old):
                return match.group(1) + new + b")" + b" " * (len(old) - len(new))
        return match.group()        # no shorter form: left alone rather than break the offsets

    pdf = _DATE.sub(date, pdf)
    hexes = [(m.start(i), m.end(i)) for regex in (_ID, _CHECKSUM) for m in regex.finditer(pdf) for i in range(1, regex.groups + 1)]
    blank = bytearray(pdf)
    for start, end in hexes:
        blank[start:end] = b"0" * (end - start)
    digest = hashlib.sha256(bytes(blank)).hexdigest().upper().encode("ascii")
    for start, end in hexes:
        blank[start:end] = (digest * 2)[: end - start]
    return bytes(blank)


def _run_in_group(command: List[str], limit: float, count: int) -> str:
    """Run *command* in a new session; on timeout kill the whole group (no
    orphan soffice.bin) and say what to try.  Returns stderr."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**render_env(), "TZ": "UTC"}, start_new_session=True)
    try:
        _out, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfTimeout(ngettext(
            "LibreOffice did not finish converting {count} document in {seconds:.0f} s and was stopped. Close other "
            "LibreOffice conversions, or build fewer packages at once, then try again; the .docx files are complete "
            "without the PDFs",
            "LibreOffice did not finish converting {count} documents in {seconds:.0f} s and was stopped. Close other "
            "LibreOffice conversions, or build fewer packages at once, then try again; the .docx files are complete "
            "without the PDFs", count).format(count=count, seconds=limit)) from None
    except BaseException:
        _kill_group(process)
        raise
    return stderr or ""


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
