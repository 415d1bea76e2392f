"""Apply the safe fixes found by ``doctools check`` to the input files.

A fix replaces characters at an exact offset of the raw file, so comments,
key order, quoting and line breaks stay as the user wrote them.  The offsets
come from the YAML parser's marks for the scalar a finding is in (see
:meth:`~doctools.readers.package.PackageReader.locate`), counted in the file as
stored: it is read and written without newline translation, so a CRLF file
stays CRLF.  The diff is shown first; each file is then replaced at once
(:func:`doctools.safeio.atomic.replace_file`).
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Sequence

from ..errors import EXIT_INPUT, Diagnostics, InputError
from ..i18n import _, errors_phrase, files_phrase, ngettext, warnings_phrase
from ..readers.package import Fix
from ..readers.yamlsrc import read_source
from ..safeio.atomic import replace_file


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
        replace_file(path, text.encode("utf-8"))
        applied[path] = count
    return applied


def check_command(packages: Sequence[Path], strict: bool, fix: bool, echo: Callable[..., None]) -> int:
    """``doctools check [--fix]``: print every problem (after the fixes, with --fix) and the summary; return the
    exit status: 0 clean, 1 only warnings with *strict*, 2 errors."""
    diags, fixes = _check(packages)
    if fix:
        total, files = 0, set()
        for _round in range(5):        # a fix can reveal another: ",," becomes "，，", then "，"
            applied = apply_fixes(fixes, lambda text: echo(text, nl=False)) if fixes else {}
            if not applied:
                break
            total += sum(applied.values())
            files |= set(applied)
            diags, fixes = _check(packages)
        echo(_("fixed {places} in {files}").format(
            places=ngettext("{count} place", "{count} places", total).format(count=total),
            files=files_phrase(len(files))))
    for d in diags.sorted():
        echo(str(d), err=True)
    errors, warnings = len(diags.errors), len(diags.warnings)
    summary = _("{packages} checked: {errors}, {warnings}").format(
        packages=ngettext("{count} package", "{count} packages", len(packages)).format(count=len(packages)),
        errors=errors_phrase(errors), warnings=warnings_phrase(warnings))
    if fixes and not fix:
        summary += _("; {count} can be fixed with --fix").format(count=len(fixes))
    echo(summary, err=bool(errors))
    return EXIT_INPUT if errors else 1 if warnings and strict else 0


def _check(packages: Sequence[Path]):
    """Every problem of *packages* and the fixes found, as ``check`` reads them."""
    from .build import read_all

    diags, fixes = Diagnostics(), []
    try:
        read_all(packages, diags, fixes)
    except InputError:
        pass
    return diags, fixes
