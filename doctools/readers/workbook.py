"""Opening a workbook a package names (``source: 任务分工表.xlsx``) without trusting it.

A workbook is a zip of XML parts.  Before openpyxl sees it, the file must lie
inside the package folder (a ``source:`` path or a link may not leave it) and
pass :func:`doctools.safeio.untrusted.open_package` (a regular file, its sizes,
parts, rows and cells within the limits: a "zip bomb" of a few kilobytes would
otherwise fill the memory); openpyxl then reads the bytes checked.  After
opening, the sheet read must stay under the row and cell limits.  Cell text is cleaned here too: a control
character (which XML cannot hold) is reported with its cell and removed, so it
never reaches a produced file.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import Diagnostics, Pos, UnreadableInput
from ..i18n import N_
from ..limits import MAX_WORKBOOK_CELLS, MAX_WORKBOOK_ROWS
from ..safeio.untrusted import WORKBOOK, open_package
from .yamlsrc import BAD_XML

_ESCAPED = re.compile(r"_x(00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]))_")


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
    try:
        package = open_package(path, WORKBOOK)
    except UnreadableInput as exc:
        diags.error(Pos(shown), exc.reason)
        return None
    try:
        values = load_workbook(package.stream(), data_only=True)
        if not formulas:
            return values
        return values, load_workbook(package.stream(), data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or non-Excel package; openpyxl raises many kinds
        diags.error(Pos(shown), N_("cannot read the workbook: {reason}"), reason=str(exc)[:200] or type(exc).__name__)
        return None


def _as_written(path: Path, folder: Path) -> str:
    """The ``source:`` path as the package wrote it (*path* is the folder joined with it): an absolute path or
    one with '..' is shown whole, so the user sees which file was meant, not only its name."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


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
