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
import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from .i18n import _


#: what must not reach a terminal raw: C0 and C1 controls but tab and newline (ESC starts the sequences that clear
#: the screen or set the window title), DEL, the bidi controls that make ``图\u202eexe.png`` show as "图gnp.exe",
#: the line and paragraph separators, and lone surrogates (a name in another encoding than UTF-8)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(text: str) -> str:
    """*text* (a file or folder name) safe to print: each character of :data:`UNSAFE` as its escape (``\\x1b``,
    ``\\u202e``; the byte of a non-UTF-8 name as ``\\xbf``)."""
    def escape(match: re.Match) -> str:
        ch = match.group()
        if "\udc80" <= ch <= "\udcff":
            return f"\\x{ord(ch) - 0xdc00:02x}"
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii") if ord(ch) < 0xd800 else f"\\u{ord(ch):04x}"
    return UNSAFE.sub(escape, str(text))


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in an input file; line and column count from 1 (0 = unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{shown(self.file)}:{self.line}:{self.col or 1}"
        return shown(self.file)


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


class InputError(Exception):
    """The user's input is wrong; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def suggest(word: str, choices: Iterable[str]) -> Optional[str]:
    """A 'did you mean …' hint naming the closest of *choices*, or None."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if not close:
        return None
    quoted = [_("'{name}'").format(name=c) for c in close]
    return _("did you mean {names}?").format(names=_(" or ").join(quoted))
