"""Problems found in a user's input, reported as ``file:line:col: error: message``.

Readers never raise on the first problem they meet: they add a
:class:`Diagnostic` to a :class:`Diagnostics` collector and go on, so a user
sees every problem of a package at once.  When reading is over the caller
asks :meth:`Diagnostics.raise_if_errors`, which raises :class:`InputError`.
The CLI turns that into the printed list and exit status 2; nothing else in
the package prints or exits.

Messages are translated (see :mod:`doctools.i18n`) when a diagnostic is made.  A reader passes the English
message as a message id marked with ``N_`` and its values as named fields::

    diags.error(pos, N_("unit '{unit}' is not named by any task"), unit=unit.name)

The collector looks the id up in the catalog of the active language and fills the fields in, so a translation
may put them where its word order needs them (``单位“{unit}”没有被任何任务列为责任单位``).  Literal braces in such an
id are doubled (``{{basis}}``).  A message without fields is only looked up, so text not yet marked passes through
unchanged.  A hint is looked up too; one that needs values is made by the caller with ``_(…).format(…)``, as
:func:`suggest` does.

What stays the same in every language is the part tools read: ``file:line:col: error: `` or ``warning: ``, with
ASCII colons and the English words ``error`` and ``warning``.  Editors (Emacs compilation mode, Vim's errorformat,
VS Code problem matchers), CI annotations and scripts that grep for ``: error:`` match those words; a Chinese
``错误：`` would silently break them.  The message after them is in the user's language.
"""
from __future__ import annotations

import difflib
import errno
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from .i18n import N_, _, errors_phrase


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in an input file; line and column count from 1 (0 = unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    pos: Pos
    message: str
    severity: str = "error"  # "error" | "warning"
    hint: Optional[str] = None

    def __str__(self) -> str:
        message = _("{message} ({hint})").format(message=self.message, hint=self.hint) if self.hint else self.message
        return f"{self.pos}: {self.severity}: {message}"


@dataclass
class Diagnostics:
    items: List[Diagnostic] = field(default_factory=list)

    def error(self, pos: Pos, message: str, hint: Optional[str] = None, **fields: object) -> None:
        """Record an error; *message* is a message id with ``{name}`` placeholders filled from *fields*."""
        self.items.append(Diagnostic(pos, translate(message, fields), "error", _(hint) if hint else None))

    def warning(self, pos: Pos, message: str, hint: Optional[str] = None, **fields: object) -> None:
        self.items.append(Diagnostic(pos, translate(message, fields), "warning", _(hint) if hint else None))

    @property
    def errors(self) -> List[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "error"]

    @property
    def warnings(self) -> List[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.sorted())

    def sorted(self) -> List[Diagnostic]:
        unique = list(dict.fromkeys(self.items))
        return sorted(unique, key=lambda d: (d.pos.file, d.pos.line, d.pos.col))


def translate(message: str, fields: dict) -> str:
    """*message* in the active language, its ``{name}`` placeholders filled from *fields* (when there are any)."""
    text = _(message) if message else message     # gettext gives the catalog's header for ""
    return text.format(**fields) if fields else text


# ---- failures the user can act on --------------------------------------------------------------------------------
#
# As click's ClickException: one base class that knows its exit status and how to show itself, and one handler
# (:func:`doctools.cli.main`) that calls :meth:`DoctoolsError.show` and exits with :attr:`DoctoolsError.exit_code`.
# Library code raises these and never prints or exits; anything else that escapes a command is doctools' own fault
# (exit status 1 with a report).  The message is worded in the user's language when the error is made.

EXIT_INPUT = 2          # the input, the output folder or the machine needs the user's action
EXIT_INTERNAL = 1       # doctools itself failed


class DoctoolsError(Exception):
    """A failure the user can fix; *message* is one line in the user's language (no 'doctools: ' in front)."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def lines(self) -> List[str]:
        """What the user sees on the error stream, line by line."""
        return [f"doctools: {self.message}"]

    def show(self, echo=None) -> None:
        """Print :meth:`lines` to the error stream (or hand each to *echo*)."""
        import sys
        for line in self.lines():
            if echo is not None:
                echo(line)
            else:
                print(line, file=sys.stderr)


class InputError(DoctoolsError):
    """The user's input is wrong; carries every diagnostic found (``file:line:col: error: message`` each)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
        self.args = (self.diagnostics,)         # what pickling (a build's worker processes) rebuilds it from

    def lines(self) -> List[str]:
        count = sum(d.severity == "error" for d in self.diagnostics)
        return [str(d) for d in self.diagnostics] + ["doctools: " + _("{errors}; nothing was written").format(
            errors=errors_phrase(count))]


class UnreadableInput(DoctoolsError):
    """A file given to doctools cannot be read as what it should be: missing, a folder or a device, not a .docx,
    encrypted, damaged, or over one of the limits of :mod:`doctools.limits`.  *reason* is the sentence without the
    file's name, for a caller that names the file its own way (a diagnostic of a package's workbook)."""

    def __init__(self, reason: str, path=None):
        super().__init__(_("{path}: {reason}").format(path=path, reason=reason) if path is not None else reason)
        self.reason, self.path = reason, path
        self.args = (reason, path)


class UnwritableOutput(DoctoolsError):
    """The output folder cannot be written: read-only, full, no permission, over quota, or not a folder."""

    ADVICE = {errno.EROFS: N_("the disk is mounted read-only; choose another --out"),
              errno.ENOSPC: N_("the disk is full; free some space or choose another --out"),
              errno.EDQUOT: N_("your disk quota is used up; free some space or choose another --out"),
              errno.EACCES: N_("you may not write there; choose another --out"),
              errno.EPERM: N_("you may not write there; choose another --out")}

    @classmethod
    def from_os_error(cls, folder, cause: OSError) -> "UnwritableOutput":
        """The error for *cause*, with advice when its errno has one."""
        reason = cause.strerror or str(cause)
        advice = cls.ADVICE.get(cause.errno)
        if advice is None:
            return cls(_("cannot write to {folder}: {reason}").format(folder=folder, reason=reason))
        return cls(_("cannot write to {folder}: {reason} ({advice})").format(folder=folder, reason=reason,
                                                                             advice=_(advice)))


class ToolMissing(DoctoolsError):
    """A program doctools runs is not installed or cannot do its work here: Graphviz, a CJK font, LibreOffice."""


class Timeout(DoctoolsError):
    """A program doctools runs (Graphviz, LibreOffice) or a template took longer than its limit."""


def suggest(word: str, choices: Iterable[str]) -> Optional[str]:
    """A 'did you mean …' hint naming the closest of *choices*, or None."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if not close:
        return None
    quoted = [_("'{name}'").format(name=c) for c in close]
    return _("did you mean {names}?").format(names=_(" or ").join(quoted))
