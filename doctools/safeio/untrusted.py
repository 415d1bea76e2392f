"""Opening a file doctools did not write, without trusting it.

A .docx or .xlsx is a zip of XML parts.  Handed over by a colleague, downloaded or uploaded to the workbench, it may
be a "zip bomb" (kilobytes that unpack to gigabytes), hold thousands of parts, declare a DTD with entities that
expand without end, or not be a file at all: ``/dev/zero``, a named pipe that blocks the reader forever, a folder.
Every door (``import``, ``import --tasks``, ``audit``, a package's workbooks, ``--template``, the templates in
``./templates/``) opens such files through :func:`open_package`, which

1. refuses anything but a regular file before reading a byte (:func:`read_regular`: ``stat``, then ``fstat`` of
   what was opened, then a read capped at the limit, so neither a device nor a pipe is ever read whole);
2. checks the zip directory: at most :data:`~doctools.limits.MAX_ZIP_ENTRIES` parts, the unpacked sizes within the
   kind's limits, no part that unpacks to more than :data:`~doctools.limits.MAX_ZIP_RATIO` times its packed size;
   zipfile itself stops a part that unpacks to more than its directory entry says;
3. refuses an XML part that declares a document type (``<!DOCTYPE``): Word, WPS and Excel never write one, and it
   is how entity expansion and external entities get in;
4. for a workbook, counts the rows and cells of each sheet while it streams, a merged range as every cell it
   covers, before openpyxl keeps a Python object per cell.

What goes wrong is an :class:`~doctools.errors.UnreadableInput` whose ``reason`` is one sentence in the user's
language; the caller puts the file's name (and a place, for a package's workbook) in front.  Parsers then read the
bytes already checked (:attr:`Package.data`), never the path again.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from ..errors import UnreadableInput
from ..i18n import N_, _
from ..limits import (MAX_DOCX_BYTES, MAX_DOCX_XML_BYTES, MAX_INPUT_FILE_BYTES, MAX_TEMPLATE_BYTES, MAX_WORKBOOK_BYTES,
                      MAX_WORKBOOK_CELLS, MAX_WORKBOOK_ROWS, MAX_ZIP_ENTRIES, MAX_ZIP_RATIO)

RATIO_FLOOR = 10_000_000        # parts smaller than this unpacked are never a threat, whatever their ratio
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: .doc, .wps, .xls, or an encrypted .docx
_PROLOG_BYTES = 65_536          # where an XML part's document type declaration would have to be


@dataclass(frozen=True)
class Kind:
    """What a zip package is taken for, with its limits."""

    noun: str                   # message id: "workbook", "Word document", "template"
    max_bytes: int              # all parts unpacked
    max_xml_bytes: int          # its XML parts unpacked
    sheets: bool = False        # count the rows and cells of worksheets


DOCX = Kind(N_("Word document"), MAX_DOCX_BYTES, MAX_DOCX_XML_BYTES)
WORKBOOK = Kind(N_("workbook"), MAX_WORKBOOK_BYTES, MAX_WORKBOOK_BYTES, sheets=True)
TEMPLATE = Kind(N_("template"), MAX_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES)
XLSX_TEMPLATE = Kind(N_("template"), MAX_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES, sheets=True)


# ---- regular files, read with a cap ---------------------------------------------------------------------------

def regular_file_problem(path: Union[str, Path]) -> Optional[str]:
    """Why *path* is not a regular file to read (one sentence, no file name), or None."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return _("no such file")
    except OSError as exc:
        return _("cannot be read: {reason}").format(reason=exc.strerror or exc)
    if stat.S_ISDIR(info.st_mode):
        return _("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return _("not a regular file (a device, a pipe or a socket); doctools reads only files")
    return None


def read_regular(path: Union[str, Path], limit: int) -> bytes:
    """The bytes of the regular file at *path*, refused (:class:`UnreadableInput`) when it is anything else or
    longer than *limit* bytes.  Opened without blocking and checked again on the open file (a file swapped for a
    pipe in between is caught), then read with the cap: a device is never read whole."""
    problem = regular_file_problem(path)
    if problem:
        raise UnreadableInput(problem, path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableInput(_("cannot be read: {reason}").format(reason=exc.strerror or exc), path) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnreadableInput(_("not a regular file (a device, a pipe or a socket); doctools reads only files"), path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableInput(_("the file is over {limit} bytes").format(limit=f"{limit:,}"), path)
    return data


def file_digest(path: Path, limit: int = MAX_INPUT_FILE_BYTES) -> bytes:
    """A sha256 of the file at *path*, read in blocks: a file over *limit* bytes (a video beside the YAML) counts by
    its size and modification time, and anything but a regular file by its type alone; nothing is read whole."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return hashlib.sha256(f"type {stat.S_IFMT(info.st_mode)}".encode()).digest()
    if info.st_size > limit:
        return hashlib.sha256(f"size {info.st_size} time {info.st_mtime_ns}".encode()).digest()
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        left = limit
        for block in iter(lambda: handle.read(min(1 << 20, left + 1)), b""):
            h.update(block)
            left -= len(block)
            if left < 0:
                break
    return h.digest()


# ---- a .docx handed over (import, audit) --------------------------------------------------------------------------

def open_docx(path: Union[str, Path]) -> "Package":
    """The .docx at *path*, checked; :class:`UnreadableInput` saying in one line why it cannot be read, and for an
    old or encrypted file how to convert it."""
    path = Path(path)
    problem = regular_file_problem(path)
    if problem == _("is a folder, not a file"):
        raise UnreadableInput(_("is a folder, not a .docx file"), path)
    data = read_regular(path, DOCX.max_bytes)
    if data[:8] == OLE_MAGIC:
        raise UnreadableInput(_("encrypted (password-protected) or an old .doc/.wps file saved under another name; "
                                "remove the password in Word or WPS and save as .docx, or convert it: "
                                "soffice --headless --convert-to docx {name}").format(name=path.name), path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableInput(_("not a .docx file (a .docx is a zip package; this file is not one)"), path)
    package = check_package(data, DOCX, path)
    if "word/document.xml" not in package.names():
        raise UnreadableInput(_("a zip file with no Word body (word/document.xml); is it a .docx?"), path)
    return package


# ---- zip packages -----------------------------------------------------------------------------------------------

class Package:
    """An untrusted .docx or .xlsx whose zip directory passed its kind's checks; its parts read from memory."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile, path: Optional[Path]):
        self.data = data
        self.archive = archive
        self.path = path

    def names(self) -> set:
        return set(self.archive.namelist())

    def read(self, name: str) -> bytes:
        """The part *name* unpacked (its size is within the limits already); KeyError when there is none."""
        return self.archive.read(name)

    def stream(self) -> io.BytesIO:
        """The package's bytes as a file, for openpyxl or python-docx."""
        return io.BytesIO(self.data)


def open_package(path: Union[str, Path], kind: Kind) -> Package:
    """The zip package at *path*, checked as a *kind*; :class:`UnreadableInput` naming *path* when it is refused."""
    data = read_regular(path, kind.max_bytes)
    return check_package(data, kind, Path(path))


def check_package(data: bytes, kind: Kind, path: Optional[Path] = None) -> Package:
    """*data* (a zip package that came from outside: a file, an upload) checked as a *kind*."""
    if data[:8] == OLE_MAGIC:
        raise UnreadableInput(_("encrypted (password-protected) or saved in an old format (.doc, .xls, .wps); "
                                "save it again as .docx or .xlsx without a password"), path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise UnreadableInput(_("not a zip package, as every .docx and .xlsx is"), path) from None
    problem = _directory_problem(infos, kind)
    if problem is None:
        try:
            problem = _content_problem(archive, infos, kind)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, zlib.error, NotImplementedError, RuntimeError) as exc:
            problem = _("a damaged zip package ({error})").format(error=str(exc)[:120] or type(exc).__name__)
    if problem:
        raise UnreadableInput(problem, path)
    return Package(data, archive, path)


def _directory_problem(infos, kind: Kind) -> Optional[str]:
    noun = _(kind.noun)
    if len(infos) > MAX_ZIP_ENTRIES:
        return _("the {kind} has {count} parts; doctools reads packages of up to {limit} parts").format(
            kind=noun, count=f"{len(infos):,}", limit=f"{MAX_ZIP_ENTRIES:,}")
    total = sum(i.file_size for i in infos)
    if total > kind.max_bytes:
        return _("the {kind} unpacks to {size} bytes; doctools reads a {kind} of up to {limit} bytes unpacked").format(
            kind=noun, size=f"{total:,}", limit=f"{kind.max_bytes:,}")
    xml = sum(i.file_size for i in infos if _is_xml(i.filename))
    if xml > kind.max_xml_bytes:
        return _("the {kind}'s XML parts unpack to {size} bytes; doctools reads a {kind} of up to {limit} bytes of "
                 "XML").format(kind=noun, size=f"{xml:,}", limit=f"{kind.max_xml_bytes:,}")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            return _("the {kind}'s part '{part}' unpacks to {ratio} times its packed size (at most {limit}); it is "
                     "not a file an office program wrote").format(
                kind=noun, part=info.filename[:60], ratio=f"{info.file_size // max(info.compress_size, 1):,}",
                limit=MAX_ZIP_RATIO)
    return None


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _content_problem(archive: zipfile.ZipFile, infos, kind: Kind) -> Optional[str]:
    for info in infos:
        if not _is_xml(info.filename):
            continue
        with archive.open(info) as stream:
            if _declares_doctype(stream.read(_PROLOG_BYTES)):
                return _("the part '{part}' declares a document type (<!DOCTYPE>), which no office program "
                         "writes").format(part=info.filename[:60])
        if kind.sheets and info.filename.startswith("xl/worksheets/"):
            rows, cells = _count_cells(archive, info)
            if rows > MAX_WORKBOOK_ROWS or cells > MAX_WORKBOOK_CELLS:
                return _("the sheet part '{sheet}' has {rows} rows and {cells} cells (a merged range counts every "
                         "cell it covers); doctools reads sheets of up to {row_limit} rows and {cell_limit} cells"
                         ).format(sheet=info.filename[14:].rsplit(".", 1)[0][:40], rows=f"{rows:,}",
                                  cells=f"{cells:,}", row_limit=f"{MAX_WORKBOOK_ROWS:,}",
                                  cell_limit=f"{MAX_WORKBOOK_CELLS:,}")
    return None


_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"))


def _declares_doctype(head: bytes) -> bool:
    """Whether the start of an XML part holds a document type declaration (in any encoding XML allows)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            text = head[len(bom):].decode(encoding, "ignore")
            break
    else:
        text = head.decode("utf-16", "ignore") if b"\0" in head[:4] else head.decode("latin-1")
    return "<!doctype" in text.lower() or "<!entity" in text.lower()


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b([^>]*)>", re.I)
_REF = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?ref\s*=\s*(['\"])(.*?)\1", re.S)
_RANGE = re.compile(rb"\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?\s*")
_WHOLE_SHEET = 16_384 * 1_048_576     # cells of an .xlsx sheet: what a range that cannot be read is taken for


def _count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple:
    """Rows and cells of a sheet part, counted while it streams (openpyxl would keep every cell in memory, some
    hundred bytes each, before doctools could see them).  A merged range counts as all the cells it covers:
    ``A1:XFD1048576`` is 17 thousand million cells to anything that visits them, however it is written (``$A$1``,
    lower case, ``ref`` after other attributes); a range that cannot be read counts as the whole sheet."""
    rows = cells = 0
    tail = b""

    def count(text: bytes) -> None:
        nonlocal rows, cells
        rows += len(_ROW.findall(text))
        cells += len(_CELL.findall(text))
        for attributes in _MERGE_TAG.findall(text):
            cells += _merged_cells(attributes)

    with archive.open(info) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            text = tail + block
            cut = max(text.rfind(b"<"), 0)        # a tag cut off at the block's end is counted with the next one
            count(text[:cut])
            tail = text[cut:]
            if rows > MAX_WORKBOOK_ROWS or cells > MAX_WORKBOOK_CELLS:
                break
    count(tail)
    return rows, cells


def _merged_cells(attributes: bytes) -> int:
    ref = _REF.search(attributes)
    found = _RANGE.fullmatch(ref.group(2)) if ref else None
    if not found:
        return _WHOLE_SHEET
    c1, r1, c2, r2 = found.groups()
    c2, r2 = c2 or c1, r2 or r1
    return (abs(int(r2) - int(r1)) + 1) * (abs(_column(c2) - _column(c1)) + 1)


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number
