"""Apply the safe fixes found by ``doctools check`` to the input files.

A fix replaces characters at an exact offset of the raw file, so comments,
key order, quoting and line breaks stay as the user wrote them.  The offsets
come from the YAML parser's marks for the scalar a finding is in (see
:meth:`~doctools.readers.package.PackageReader.locate`), counted in the file as
stored: it is read and written without newline translation, so a CRLF file
stays CRLF.  The diff is shown first; each file is then written to a
temporary file beside it and renamed into place.
"""
from __future__ import annotations

import difflib
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List

from ..i18n import _
from ..readers.package import Fix
from ..readers.yamlsrc import read_source


def apply_fixes(fixes: List[Fix], show: Callable[[str], None]) -> Dict[Path, int]:
    """Rewrite each file with its fixes; return how many were applied per file."""
    by_file: Dict[Path, List[Fix]] = defaultdict(list)
    for fix in set(fixes):
        by_file[fix.path].append(fix)
    applied: Dict[Path, int] = {}
    for path in sorted(by_file):
        source = read_source(path)
        text = source
        count = 0
        for fix in sorted(by_file[path], key=lambda f: f.offset, reverse=True):
            if text[fix.offset:fix.offset + len(fix.old)] != fix.old:
                continue                      # the file changed since it was read
            text = text[:fix.offset] + fix.new + text[fix.offset + len(fix.old):]
            count += 1
        if not count:
            continue
        show("".join(difflib.unified_diff(source.splitlines(True), text.splitlines(True),
                                          fromfile=_("{path} (before)").format(path=path),
                                          tofile=_("{path} (fixed)").format(path=path))))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
        applied[path] = count
    return applied
