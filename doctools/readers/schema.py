"""Checking a YAML mapping against the fields a reader expects.

:class:`Fields` wraps one :class:`~doctools.readers.yamlsrc.Map` and a
:class:`~doctools.errors.Diagnostics`.  Asking it for a field both converts
the value and records a positioned diagnostic when the value is missing or of
the wrong kind; :meth:`Fields.done` reports keys nobody asked for, with the
nearest valid name.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Optional, Set

from ..errors import Diagnostics, Pos, suggest
from ..i18n import N_, _
from .yamlsrc import Map, Seq

_TRUE = {"true", "yes", "on", "是", "1"}
_FALSE = {"false", "no", "off", "否", "0"}
FLAG_WORDS = _TRUE | _FALSE      # what a yes/no field accepts


def kind_of(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, Map):
        return _("a mapping")
    if isinstance(value, Seq):
        return _("a list")
    return _("the text '{text}'").format(text=shorten(str(value)))


def shorten(text: str, limit: int = 40) -> str:
    """A text as quoted in a message: one line, at most *limit* characters, so a
    message never echoes a whole file (a link to /etc/passwd read as YAML)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def text_items(value: Seq, describe, diags: Diagnostics) -> List[tuple]:
    """(text, position) of each item of a YAML list that should hold texts;
    other items are reported with *describe(i)* naming them."""
    out = []
    for i, item in enumerate(value):
        if item is None or isinstance(item, (Map, Seq)):
            diags.error(value.at(i), N_("{what} must be text, not {kind}"), what=describe(i), kind=kind_of(item))
        else:
            out.append((item, value.at(i)))
    return out


class Fields:
    def __init__(self, data: Any, where: Pos, what: str, diags: Diagnostics):
        self.what = what
        self.diags = diags
        self.ok = isinstance(data, Map)
        if not self.ok and data is not None:
            diags.error(getattr(data, "pos", where), N_("{what} must be a mapping of fields, not {kind}"), what=what,
                        kind=kind_of(data))
        self.data: Map = data if self.ok else Map()
        if not self.ok:
            self.data.pos, self.data.key_pos, self.data.value_pos = where, {}, {}
        self.asked: Set[str] = set()

    @property
    def pos(self) -> Pos:
        return self.data.pos

    def at(self, key: str) -> Pos:
        return self.data.at(key)

    def has(self, key: str) -> bool:
        self.asked.add(key)
        return self.data.get(key) is not None

    def raw(self, key: str, required: bool = False) -> Any:
        self.asked.add(key)
        value = self.data.get(key)
        if value is None and required and self.ok:
            self.diags.error(self.pos, N_("{what} lacks the required field '{key}'"), what=self.what, key=key)
        return value

    def text(self, key: str, required: bool = False, default: Optional[str] = None) -> Optional[str]:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, (Map, Seq)):
            self.diags.error(self.at(key), N_("field '{key}' of {what} must be text, not {kind}"), key=key, what=self.what,
                            kind=kind_of(value))
            return default
        text = str(value).strip()
        if not text:
            if required:
                self.diags.error(self.at(key), N_("field '{key}' of {what} is empty"), key=key, what=self.what)
            return default
        return text

    def name(self, key: str) -> Optional[str]:
        """A name printed as it is (a unit's ``as``, an attachment's ``listed_as``): when given, one line of
        words, not empty, not a bare number."""
        value = self.raw(key)
        if value is None or isinstance(value, (Map, Seq)):
            return self.text(key)           # nothing, or reported as not text
        text = str(value).strip()
        if not text:
            self.diags.error(self.at(key), N_("field '{key}' of {what} is empty"), key=key, what=self.what)
            return None
        if "\n" in text or "\r" in text:
            self.diags.error(self.at(key), N_("field '{key}' of {what} must be one line; it holds a line break"), key=key,
                             what=self.what)
            return None
        if not self.words(key, text):
            return None
        return text

    def words(self, key: str, text: str) -> bool:
        """False, with an error, when *text* holds no letter or Chinese character (``after: 5``)."""
        if any(c.isalpha() for c in text):
            return True
        self.diags.error(self.at(key), N_("field '{key}' of {what} must be words, not '{text}' (it holds no letter or "
                                          "Chinese character)"), key=key, what=self.what, text=shorten(text))
        return False

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        word = str(value).strip().lower() if not isinstance(value, (Map, Seq)) else ""
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.diags.error(self.at(key), N_("field '{key}' of {what} must be true or false, not {kind}"), key=key,
                        what=self.what, kind=kind_of(value))
        return default

    def texts(self, key: str, required: bool = False) -> List[str]:
        """A list of texts; a single text is taken as a list of one."""
        value = self.raw(key, required)
        if value is None:
            return []
        if isinstance(value, Seq):
            return [str(item).strip() for item, _ in
                    text_items(value, lambda i: _("item {n} of '{key}' in {what}").format(n=i + 1, key=key, what=self.what), self.diags)]
        if isinstance(value, Map):
            self.diags.error(self.at(key), N_("field '{key}' of {what} must be text or a list of texts, not a mapping"),
                            key=key, what=self.what)
            return []
        return [str(value).strip()]

    def items(self, key: str, required: bool = False) -> Iterable[tuple]:
        """(item, position) pairs of a list field."""
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, Seq):
            self.diags.error(self.at(key), N_("field '{key}' of {what} must be a list, not {kind}"), key=key,
                            what=self.what, kind=kind_of(value))
            return []
        return [(item, value.at(i)) for i, item in enumerate(value)]

    def parsed(self, key: str, parse: Callable[[str], Any], required: bool = False) -> Any:
        """A text field converted by *parse*; a ValueError becomes a diagnostic."""
        text = self.text(key, required)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.diags.error(self.at(key), N_("field '{key}' of {what}: {problem}"), key=key, what=self.what,
                            problem=str(exc))
            return None

    def done(self) -> None:
        known = self.asked
        for key in self.data:
            if key not in known:
                self.diags.error(self.data.key_pos.get(key, self.pos), N_("unknown field '{key}' in {what}"),
                                 suggest(key, sorted(known)), key=key, what=self.what)
