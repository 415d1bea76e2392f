"""``doctools audit``: any .docx against GB/T 9704-2012, clause by clause.

The file is read twice: its XML for what it asks for (fonts, sizes, styles
resolved through inheritance, :mod:`.styles`), and a LibreOffice render of
the file as it is for where things land on the page (:mod:`.measure`).
:mod:`.clauses` holds the rules.  Exit status of the command: 0 every clause
passes, 1 at least one fails, 2 a file cannot be read.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Union

from ..errors import DoctoolsError, UnreadableInput
from ..i18n import _, ngettext
from ..safeio.untrusted import PARSER_ERRORS, open_docx
from .clauses import Check, audit_pages
from .measure import read_pdf
from .styles import read_docx


@dataclass
class Report:
    path: Path
    checks: List[Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def load(path: Path) -> bytes:
    """The bytes of a .docx, checked (:func:`doctools.safeio.untrusted.open_docx`: a regular file within the limits,
    a zip package with a Word body) and its styles readable; or UnreadableInput saying why not."""
    data = open_docx(path).data
    try:
        read_docx(data)
    except PARSER_ERRORS as exc:
        raise UnreadableInput(_("cannot be read as a .docx ({error})").format(
            error=f"{type(exc).__name__}: {exc}"), path) from None
    return data


def audit(paths: Sequence[Path]) -> List[Report]:
    """Check each file; all are rendered in one LibreOffice run.  The first file that cannot be read or rendered
    raises its error."""
    results = audit_each(paths)
    for result in results:
        if isinstance(result, DoctoolsError):
            raise result
    return [r for r in results if isinstance(r, Report)]


def audit_each(paths: Sequence[Path]) -> List[Union[Report, DoctoolsError]]:
    """Each file's report, in the order given, or the error saying why it has none (it cannot be read, or
    LibreOffice cannot load it): one bad file in a batch does not cost the others their reports.  All are
    rendered in one LibreOffice run."""
    from ..convert.libreoffice import convert_each

    documents: Dict[str, bytes] = {}
    errors: Dict[str, DoctoolsError] = {}
    for p in paths:
        try:
            documents[str(p)] = load(Path(p))
        except UnreadableInput as exc:
            errors[str(p)] = exc
    pdfs = convert_each(documents)
    results: List[Union[Report, DoctoolsError]] = []
    for p in paths:
        pdf = pdfs.get(str(p))
        if str(p) in errors or pdf is None:
            results.append(errors[str(p)])
        elif isinstance(pdf, DoctoolsError):
            results.append(pdf)
        else:
            results.append(Report(Path(p), audit_pages(read_docx(documents[str(p)]), read_pdf(pdf))))
    return results


def _columns(text: str) -> int:
    """Terminal columns *text* takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, limit: int) -> str:
    while _columns(text) > limit:
        text = text[:-1]
    return text


def as_table(report: Report) -> str:
    """The report for a person, in the active language (the checks were worded in it when made)."""
    rows = [(_("clause"), _("requirement"), _("measured"), _("page"), _("result"))]
    for c in report.checks:
        rows.append((c.clause, c.requirement, c.measured, str(c.page or ""), _("pass") if c.passed else _("FAIL")))
    limits = (8, 60, 90, 4)       # terminal columns a column shows; --json has everything
    cells = [[_cut(r[i], limits[i]) for i in range(4)] + [r[4]] for r in rows]
    widths = [max(_columns(r[i]) for r in cells) for i in range(4)]
    lines = [str(report.path)]
    for r in cells:
        lines.append("  ".join(r[i] + " " * (widths[i] - _columns(r[i])) for i in range(4)) + "  " + r[4])
    failed = sum(not c.passed for c in report.checks)
    lines.append(ngettext("{count} check, {failed} failed", "{count} checks, {failed} failed", len(report.checks))
                 .format(count=len(report.checks), failed=failed))
    return "\n".join(lines)


def as_json(reports: Sequence[Report]) -> str:
    """The report for a script.  The keys and the values it tests (file, pass, clause, page) are the same in every
    language; requirement and measured are prose for a person, worded in the active language like the table
    (``--lang en`` gives the English)."""
    return json.dumps([{"file": str(r.path), "pass": r.passed, "checks": [c.as_dict() for c in r.checks]} for r in reports],
                      ensure_ascii=False, indent=1)
