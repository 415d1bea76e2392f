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

It never outlives doctools.  Ctrl-C, SIGTERM and SIGHUP (see the command line) unwind through :func:`convert`,
which kills the group and removes its folder.  A doctools killed outright (SIGKILL, the OOM killer) runs no code,
so the group's leader is a small shell that the kernel sends SIGTERM when doctools dies (``PR_SET_PDEATHSIG``, set
in the child before exec) and that then kills its whole group: ``oosplash`` and ``soffice.bin`` with it.  The
folder such a run leaves (``doctools-pdf-*`` in this user's private folder, naming its owner's process) is removed
by the next conversion, with any LibreOffice still running from it.  LibreOffice's own temporary files
(``lu*.tmp``) go to a ``tmp`` folder inside that folder (``TMPDIR``), never to the shared one.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Union

from ..errors import Timeout, ToolMissing, UnreadableInput
from .fonts import render_env
from ..i18n import _, ngettext
from ..resources import private_folder

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


class PdfFailed(UnreadableInput):
    """LibreOffice ran but made no PDF of a document (a file it cannot load)."""


#: the group leader: runs LibreOffice in the background and, on SIGTERM or SIGHUP (the parent-death signal),
#: kills its whole process group; otherwise exits with LibreOffice's status
_LEADER = 'trap "kill -KILL 0" TERM HUP INT; "$@" & wait $!'
_PR_SET_PDEATHSIG = 1


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
    """PDF bytes for each named .docx, in one LibreOffice run ({} starts nothing); PdfFailed for the first
    document LibreOffice made no PDF of."""
    results = convert_each(documents, timeout)
    for result in results.values():
        if isinstance(result, PdfFailed):
            raise result
    return {name: result for name, result in results.items() if isinstance(result, bytes)}


def convert_each(documents: Dict[str, bytes], timeout: Optional[float] = None) -> Dict[str, Union[bytes, PdfFailed]]:
    """PDF bytes for each named .docx, or the PdfFailed saying LibreOffice could not convert that one: a file it
    cannot load does not cost the others theirs.  One LibreOffice run, and one more for the files after each file
    it cannot load (LibreOffice stops there)."""
    if not documents:
        return {}
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(_("LibreOffice (soffice) is not installed; install it with: apt-get install "
                               "libreoffice-writer-nogui"))
    limit = timeout if timeout is not None else timeout_for(documents)
    names = sorted(documents)
    scratch = _scratch_root()
    remove_leftovers(scratch)
    with tempfile.TemporaryDirectory(prefix="doctools-pdf-", dir=scratch) as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "owner").write_text(str(os.getpid()), encoding="ascii")
        (tmp_path / "tmp").mkdir()
        sources: List[str] = []
        for i, name in enumerate(names):
            path = tmp_path / f"doc{i:04d}.docx"
            path.write_bytes(documents[name])
            sources.append(str(path))
        profile = (tmp_path / "profile").as_uri()
        pdfs: Dict[str, Union[bytes, PdfFailed]] = {}
        left = list(range(len(names)))
        while left:
            # LibreOffice stops at the first file it cannot load: that one failed, the rest go again without it
            command = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                       "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), *(sources[i] for i in left)]
            batch = {names[i]: documents[names[i]] for i in left}
            stderr = _run_in_group(command, limit if timeout is not None or len(left) == len(names)
                                   else timeout_for(batch), len(left), tmp_path / "tmp")
            missing = []
            for i in left:
                pdf = tmp_path / "out" / f"doc{i:04d}.pdf"
                if pdf.exists():
                    pdfs[names[i]] = pdf.read_bytes()
                elif not missing:
                    said = "\n".join(line for line in stderr.strip().splitlines() if "javaldx" not in line)
                    pdfs[names[i]] = PdfFailed(_("LibreOffice did not convert {name}: {error}").format(
                        name=names[i], error=said[-500:] or _("it could not load the file")))
                    missing.append(i)
                else:
                    missing.append(i)
            left = missing[1:]
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


def _scratch_root() -> Optional[str]:
    """This user's private folder, or (when someone else has taken its name) the temporary folder."""
    try:
        return str(private_folder())
    except OSError:
        return None


def remove_leftovers(scratch: Optional[str]) -> None:
    """Remove the folders of conversions whose doctools is gone (killed outright), and kill any LibreOffice still
    running from one of them (found by the folder's path on its command line)."""
    if scratch is None:
        return
    for folder in Path(scratch).glob("doctools-pdf-*"):
        try:
            owner = int((folder / "owner").read_text(encoding="ascii"))
            os.kill(owner, 0)
            continue                               # its doctools still runs
        except (OSError, ValueError):
            pass                                   # gone (or never wrote its name): a leftover
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if str(folder).encode() in (proc / "cmdline").read_bytes():
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        shutil.rmtree(folder, ignore_errors=True)


def _die_with_parent(parent: int):
    """A preexec_fn: the kernel sends this child SIGTERM when doctools dies (Linux; elsewhere nothing)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return lambda: None

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:                 # doctools died before the signal was armed
            os.kill(os.getpid(), signal.SIGKILL)
    return arm


def _run_in_group(command: List[str], limit: float, count: int, tmpdir: Optional[Path] = None) -> str:
    """Run *command* in a new session under a leader that dies with doctools; on timeout kill the whole group
    (no orphan soffice.bin) and say what to try.  Returns stderr."""
    env = {**render_env(), "TZ": "UTC", **({"TMPDIR": str(tmpdir)} if tmpdir else {})}
    process = subprocess.Popen(["/bin/sh", "-c", _LEADER, "doctools-soffice", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env,
                               start_new_session=True, preexec_fn=_die_with_parent(os.getpid()))
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
