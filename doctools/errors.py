"""Problems found in a user's input, reported as ``file:line:col: error: message``.

Readers never raise on the first problem they meet: they add a
:class:`Diagnostic` to a :class:`Diagnostics` collector and go on, so a user
sees every problem of a package at once.  When reading is over the caller
asks :meth:`Diagnostics.raise_if_errors`, which raises :class:`InputError`.
The CLI turns that into the printed list and exit status 2; nothing else in
the package prints or exits.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, List, Optional


@dataclass(frozen=True)
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
        text = f"{self.pos}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Diagnostics:
    items: List[Diagnostic] = field(default_factory=list)

    def error(self, pos: Pos, message: str, hint: Optional[str] = None) -> None:
        self.items.append(Diagnostic(pos, message, "error", hint))

    def warning(self, pos: Pos, message: str, hint: Optional[str] = None) -> None:
        self.items.append(Diagnostic(pos, message, "warning", hint))

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
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
