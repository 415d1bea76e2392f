"""Opening a workbook a package names (``source: 任务分工表.xlsx``) without trusting it.

A workbook is a zip of XML parts.  Before openpyxl sees it, its zip directory
is checked: the file must lie inside the package folder (a ``source:`` path or
a link may not leave it), and the sizes its parts unpack to must stay under
:data:`~doctools.limits.MAX_WORKBOOK_BYTES` (a "zip bomb" of a few kilobytes
would otherwise fill the memory).  After opening, the sheet read must stay
under the row and cell limits.  Cell text is cleaned here too: a control
character (which XML cannot hold) is reported with its cell and removed, so it
never reaches a produced file.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Optional

from ..errors import Diagnostics, Pos
from ..i18n import N_
from ..limits import MAX_WORKBOOK_BYTES, MAX_WORKBOOK_CELLS, MAX_WORKBOOK_RATIO, MAX_WORKBOOK_ROWS
from .yamlsrc import BAD_XML

_ESCAPED = re.compile(r"_x(00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]))_")
_RATIO_FLOOR = 10_000_000       # parts smaller than this unpacked are never a threat, whatever their ratio
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


def open_workbook(path: Path, folder: Path, shown: str, field: str, spec_pos: Pos, diags: Diagnostics,
                  formulas: bool = False):
    """The workbook at *path* opened by openpyxl (cached values; formulas too
    when *formulas*: then a pair), or None with the problem recorded."""
    from openpyxl import load_workbook

    written = _as_written(path, Path(folder))
    try:
        inside = path.resolve().is_relative_to(Path(folder).resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        diags.error(spec_pos, N_("{field}: '{file}' lies outside the package folder; copy the workbook into the package"),
                    field=field, file=written)
        return None
    if not path.is_file():
        diags.error(spec_pos, N_("{field}: no file '{file}' in the package folder"), field=field, file=written)
        return None
    problem = _zip_problem(path)
    if problem:
        diags.error(Pos(shown), problem[0], **problem[1])
        return None
    try:
        values = load_workbook(path, data_only=True)
        if not formulas:
            return values
        return values, load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged, encrypted or non-Excel file
        diags.error(Pos(shown), N_("cannot read the workbook: {reason}"), reason=str(exc)[:200])
        return None


def _as_written(path: Path, folder: Path) -> str:
    """The ``source:`` path as the package wrote it (*path* is the folder joined with it): an absolute path or
    one with '..' is shown whole, so the user sees which file was meant, not only its name."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _zip_problem(path: Path) -> Optional[tuple]:
    """Why the workbook's zip directory is refused (a message id and its fields), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None                  # not a zip: openpyxl says what it is instead
    total = sum(i.file_size for i in infos)
    if total > MAX_WORKBOOK_BYTES:
        return (N_("the workbook unpacks to {size} bytes; doctools reads workbooks of up to {limit} bytes unpacked"),
                dict(size=f"{total:,}", limit=f"{MAX_WORKBOOK_BYTES:,}"))
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_WORKBOOK_RATIO * max(info.compress_size, 1):
            return (N_("the workbook's part '{part}' unpacks to {ratio} times its packed size (at most {limit}); "
                       "it is not a workbook a spreadsheet program wrote"),
                    dict(part=info.filename[:60], ratio=f"{info.file_size // max(info.compress_size, 1):,}", limit=MAX_WORKBOOK_RATIO))
    try:
        with zipfile.ZipFile(path) as archive:
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    rows, cells = _count(archive, info)
                    if rows > MAX_WORKBOOK_ROWS or cells > MAX_WORKBOOK_CELLS:
                        return (N_("the sheet part '{sheet}' has {rows} rows and {cells} cells (a merged range counts "
                                   "every cell it covers); doctools reads sheets of up to {row_limit} rows and {cell_limit} cells"),
                                dict(sheet=info.filename[14:-4][:40], rows=f"{rows:,}", cells=f"{cells:,}",
                                     row_limit=f"{MAX_WORKBOOK_ROWS:,}", cell_limit=f"{MAX_WORKBOOK_CELLS:,}"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return None                  # openpyxl reports the damage
    return None


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple:
    """Rows and cells of a sheet part, counted while it streams (openpyxl would keep
    every cell in memory, some hundred bytes each, before doctools could see them).
    A merged range counts as all the cells it covers: ``A1:XFD1048576`` is 17
    thousand million cells to anything that visits them."""
    rows = cells = 0
    tail = b""

    def count(text: bytes) -> None:
        nonlocal rows, cells
        rows += len(_ROW.findall(text))
        cells += len(_CELL.findall(text))
        for c1, r1, c2, r2 in _MERGE.findall(text):
            cells += (abs(int(r2) - int(r1)) + 1) * (abs(_column(c2) - _column(c1)) + 1)

    with archive.open(info) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            text = tail + block
            cut = max(text.rfind(b"<"), 0)        # a tag cut off at the block's end is counted with the next one
            count(text[:cut])
            tail = text[cut:]
    count(tail)
    return rows, cells


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def sheet_too_big(ws, where: str, diags: Diagnostics) -> bool:
    """Record an error and say True when the sheet is over the row or cell limit."""
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if rows > MAX_WORKBOOK_ROWS or rows * columns > MAX_WORKBOOK_CELLS:
        diags.error(Pos(where), N_("the sheet has {rows} rows and {columns} columns; doctools reads sheets of up to "
                                   "{row_limit} rows and {cell_limit} cells"), rows=f"{rows:,}", columns=f"{columns:,}",
                    row_limit=f"{MAX_WORKBOOK_ROWS:,}", cell_limit=f"{MAX_WORKBOOK_CELLS:,}")
        return True
    return False


GLUE = "\ufeff"      # what workbooks written by doctools before 2026-12 held before closing marks; never written now


def clean_cell(text: str, where: str, row: int, column: int, diags: Diagnostics) -> str:
    """A cell's text without the characters XML cannot hold; each is reported with its cell.

    Excel stores such a character as ``_x000B_``, which openpyxl hands over
    as those seven characters: they count as the character they stand for.
    The zero-width no-break spaces (U+FEFF) that earlier versions of doctools wrote into a wrapped cell (to keep a
    closing punctuation mark on its line in LibreOffice Calc) are not part of the text, and go."""
    text = text.replace(GLUE, "")
    bad = BAD_XML.search(text) or _ESCAPED.search(text)
    if not bad:
        return text
    from openpyxl.utils import get_column_letter
    code = ord(bad.group()) if len(bad.group()) == 1 else int(bad.group(1), 16)
    diags.error(Pos(where, row, column), N_("cell {cell} holds character U+{code} (a control character) that cannot "
                                            "appear in a document; delete it"),
                cell=f"{get_column_letter(column)}{row}", code=f"{code:04X}")
    return _ESCAPED.sub("", BAD_XML.sub("", text))
