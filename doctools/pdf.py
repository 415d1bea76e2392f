"""PDF through LibreOffice headless: the .docx as delivered, every document of
a build in one run.

The document is not patched for LibreOffice: its layout (a line grid, 16 pt
characters condensed by 0.25 pt, the 版记 placed by its own spacing) is chosen
so that Word, WPS and LibreOffice lay out the same lines, and what is measured
is what people open.  Fonts come from the fontconfig file doctools ships
(:mod:`doctools.fonts`), named by ``FONTCONFIG_FILE``.

LibreOffice runs in a process group of its own with a private profile, so a
stuck conversion can be killed as a whole (``soffice`` starts
``soffice.bin``), and a user's open LibreOffice window is never touched.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from .fonts import render_env
from .i18n import _, ngettext

#: seconds for starting LibreOffice, and per megabyte of documents converted
START_SECONDS = 60
SECONDS_PER_DOCUMENT = 20
SECONDS_PER_MB = 30


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed."""


class PdfTimeout(RuntimeError):
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


def _run_in_group(command: List[str], limit: float, count: int) -> str:
    """Run *command* in a new session; on timeout kill the whole group (no
    orphan soffice.bin) and say what to try.  Returns stderr."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=render_env(), start_new_session=True)
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
