"""Names made from user text: file names and Excel sheet names; a spreadsheet's column letters.

A chart's file stem (composed from a catalog item), an output file named after
the plan's title (build) and a workbook's sheet names (composed tables,
checked again by the workbook writer) follow the same rules, stated here once.
"""
from __future__ import annotations

import re
from typing import Collection

# characters no file name may hold on Windows, macOS or Linux
FORBIDDEN = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
SHEET_FORBIDDEN = "[]:*?/\\"
SHEET_MAX = 31


def file_stem(text: str) -> str:
    """*text* without forbidden characters, surrounding spaces and dots."""
    return FORBIDDEN.sub("", text).strip().strip(".")


def sheet_name(name: str, taken: Collection[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(ch for ch in name if ch not in SHEET_FORBIDDEN)[:SHEET_MAX] or "Sheet"
    candidate, n = clean, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = clean[: SHEET_MAX - len(suffix)] + suffix, n + 1
    return candidate


def column_letters(n: int) -> str:
    """1 → A, 27 → AA: a column as a spreadsheet names it (also how a form's cells are named)."""
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name
