"""Names made from user text: file names and Excel sheet names.

A chart's file stem (composed from a catalog item), an output file named after
the plan's title (build) and a workbook's sheet names (composed tables,
checked again by the workbook writer) follow the same rules, stated here once.
"""
from __future__ import annotations

import re
from typing import Sequence

# characters no file name may hold on Windows, macOS or Linux
FORBIDDEN = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
SHEET_FORBIDDEN = "[]:*?/\\"
SHEET_MAX = 31


def file_stem(text: str) -> str:
    """*text* without forbidden characters, surrounding spaces and dots."""
    return FORBIDDEN.sub("", text).strip().strip(".")


def sheet_name(name: str, taken: Sequence[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(ch for ch in name if ch not in SHEET_FORBIDDEN)[:SHEET_MAX] or "Sheet"
    candidate, n = clean, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = clean[: SHEET_MAX - len(suffix)] + suffix, n + 1
    return candidate
