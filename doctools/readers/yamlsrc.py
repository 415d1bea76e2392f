"""YAML loading that remembers where every value came from.

PyYAML's composer gives nodes with line and column marks; we turn them into
plain Python values ourselves instead of using ``yaml.safe_load``, for three
reasons:

* every mapping and sequence keeps the :class:`~doctools.errors.Pos` of its
  items, so a reader can say "document.yaml:12:5: field 'date' …";
* every plain scalar stays a *string* (``no`` is not ``False``,
  ``2018-01-25`` is not a date, ``1.10`` is not ``1.1``); the readers convert
  what the schema says is a number or a flag;
* a key written twice in one mapping is an error instead of a silent
  overwrite.

The values are built from PyYAML's *event* stream, not its composer: the
composer recurses once per nesting level (a file nested 1,000 deep ends in a
RecursionError, 100,000 deep crashes libyaml's composer), and it hands aliases
over as shared nodes that a naive conversion expands without end ("billion
laughs": nine levels of ten aliases are a thousand million values).  Building
from events needs no recursion, stops at :data:`~doctools.limits.MAX_YAML_DEPTH`
levels, and counts every value an alias brings in against
:data:`~doctools.limits.MAX_YAML_ALIAS_NODES`.  A file larger than
:data:`~doctools.limits.MAX_YAML_BYTES` is not read at all, and building stops at
:data:`~doctools.limits.MAX_YAML_NODES` values: each costs a few hundred bytes
with its positions, so a file of small flow mappings (``- {a: 1, b: 2}``) of
20 MB took 5 GB.  Both limits are for a package's files together (a
:class:`Budget`), since nine files each just under a limit would hold nine times
as much.
"""
from __future__ import annotations

import gc
from pathlib import Path
import re
from typing import Any, Dict, List, Optional

import yaml

from ..errors import Diagnostics, Pos
from ..i18n import N_, _
from ..limits import MAX_YAML_ALIAS_NODES, MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, MAX_YAML_PROBLEMS


# libyaml's composer when PyYAML has it (about five times faster), with the same marks
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Map(dict):
    """A YAML mapping: a dict with the position of itself and of each key."""

    __slots__ = ("pos", "key_pos", "value_pos")
    pos: Pos
    key_pos: Dict[str, Pos]
    value_pos: Dict[str, Pos]

    def at(self, key: str) -> Pos:
        return self.value_pos.get(key) or self.key_pos.get(key) or self.pos


class Seq(list):
    """A YAML sequence: a list with the position of itself and of each item."""

    __slots__ = ("pos", "item_pos")
    pos: Pos
    item_pos: List[Pos]

    def at(self, index: int) -> Pos:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


class Text(str):
    """A scalar string with its position."""

    pos: Pos


# XML 1.0 cannot hold these; a YAML escape ("\x0b", "\u001f") can still put them into a value
BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NULL_WORDS = ("", "~", "null", "Null", "NULL")
EMPTY_FILE = N_("the file is empty; an editor crash or a sync conflict may have emptied it "
                "(restore it, or delete it if it is not needed)")
LINK_OUTSIDE = N_("the file is a link to a place outside the package folder; copy the file into the package instead")
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_YAML_TAGS = "tag:yaml.org,2002:"


def _pos(path: str, mark) -> Pos:
    return Pos(path, mark.line + 1, mark.column + 1)


class Budget:
    """What the YAML files of one package may still hold: bytes and values (keys, texts, lists, mappings)."""

    def __init__(self) -> None:
        self.bytes, self.nodes = MAX_YAML_BYTES, MAX_YAML_NODES


class _Stop(Exception):
    """The file goes over a limit: composing stops with this diagnostic (a message id and its fields)."""

    def __init__(self, pos: Pos, message: str, keep: bool = False, **fields: object):
        super().__init__(message)
        self.pos, self.message, self.fields = pos, message, fields
        self.keep = keep           # report the problems found before it too


class _Frame:
    """A mapping or list being built, with the number of values inside it."""

    __slots__ = ("value", "anchor", "size", "key", "key_state")

    def __init__(self, value, anchor):
        self.value, self.anchor, self.size = value, anchor, 1
        self.key: Optional[str] = None
        self.key_state = "key"          # mapping: "key" expects a key, "value" its value, "skip" a value to drop


def _refuse_tag(event, path: str, diags: Diagnostics) -> bool:
    """An explicit tag (``!!timestamp``, ``!!binary``, ``!custom``) would change what a value means, and the
    readers take every value as written: a tag is refused where it is written, not silently dropped.
    Whether the event had one."""
    if event.tag is None or event.tag == _MERGE_TAG:
        return False
    shown = "!!" + event.tag[len(_YAML_TAGS):] if event.tag.startswith(_YAML_TAGS) else event.tag
    diags.error(_pos(path, event.start_mark), N_("YAML tags ('{tag}') are not supported"),
                N_("write the value without the tag; doctools reads every value as plain text"), tag=shown)
    return True


def _scalar(event, where: Pos, diags: Diagnostics, spans: Optional[dict]):
    plain = event.implicit[0] and not event.style
    if event.tag == _NULL_TAG or (plain and event.tag is None and event.value in _NULL_WORDS):
        return None
    value = event.value
    if spans is not None:     # where the scalar is written, for check --fix
        spans[where] = (event.start_mark.index, event.end_mark.index, value)
    bad = BAD_XML.search(value)
    if bad:
        diags.error(where, N_("character U+{code} (a control character, character {index} of the "
                                                     "text) cannot appear in a document; delete it"),
                    code=f"{ord(bad.group()):04X}", index=bad.start() + 1)
        value = BAD_XML.sub("", value)
    lone = _SURROGATE.search(value)
    if lone:                  # "\uD800" in double quotes: no character at all, and no UTF-8 file can hold it
        diags.error(where, N_("character U+{code} (half of a surrogate pair, no character on its own, "
                                                     "character {index} of the text) cannot appear in a document; delete it"),
                    code=f"{ord(lone.group()):04X}", index=lone.start() + 1)
        value = _SURROGATE.sub("", value)
    text = Text(value)
    text.pos = where
    return text


def _add(stack: List[_Frame], value, size: int, where: Pos, diags: Diagnostics, merge: bool = False):
    """Put a finished value into the container being built; return it when it is the document's root."""
    if not stack:
        return value
    frame = stack[-1]
    frame.size += size
    if isinstance(frame.value, Seq):
        frame.value.append(value)
        frame.value.item_pos.append(where)
        return None
    mapping: Map = frame.value
    if frame.key_state == "key":
        frame.key_state = "skip"
        if merge:
            diags.error(where, N_("YAML merge keys ('<<') are not supported"))
        elif not isinstance(value, str):
            diags.error(where, N_("a mapping key must be plain text"))
        elif value in mapping or value in mapping.key_pos:
            diags.error(where, N_("key '{key}' appears twice in this mapping"),
                        _("first at line {line}").format(line=mapping.key_pos[value].line), key=value)
        else:
            frame.key, frame.key_state = str(value), "value"
            mapping.key_pos[frame.key] = where
        return None
    if frame.key_state == "value":
        mapping.value_pos[frame.key] = where
        mapping[frame.key] = value
    frame.key_state = "key"
    return None


def _compose(source: str, path: str, diags: Diagnostics, loader, spans: Optional[dict], budget: Budget) -> Optional[Any]:
    """The document's value, built from the parser's events without recursion.

    Python's cycle collector is paused meanwhile: the values form a tree (no
    cycles to find), and scanning the hundreds of thousands of objects a big
    catalog makes, again and again while they are made, took a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(source, path, diags, loader, spans, budget)
    finally:
        if enabled:
            gc.enable()


def _build(source: str, path: str, diags: Diagnostics, loader, spans: Optional[dict], budget: Budget) -> Optional[Any]:
    stack: List[_Frame] = []
    anchors: Dict[str, tuple] = {}            # anchor -> (value, number of values in it)
    expanded = 0
    root, documents = None, 0
    tagged = False        # a file with a refused tag is not read: its values would only give follow-on errors
    nodes = budget.nodes
    for event in yaml.parse(source, Loader=loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            nodes -= 1
            if nodes < 0:
                raise _Stop(_pos(path, event.start_mark), N_("the package's YAML files hold more than {limit} values "
                                                             "(keys, texts, lists and mappings) together; a package "
                                                             "never needs that many"), limit=f"{MAX_YAML_NODES:,}")
            if len(diags.items) >= MAX_YAML_PROBLEMS:    # each costs memory and a line: enough to see what is wrong
                raise _Stop(_pos(path, event.start_mark), N_("more than {limit} problems in this file; doctools "
                                                             "stops reading it here (correct these first)"),
                            keep=True, limit=f"{MAX_YAML_PROBLEMS:,}")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Stop(_pos(path, event.start_mark), N_("YAML syntax error: the file holds a second document ('---'); "
                                                             "a package file holds one"))
        elif isinstance(event, yaml.ScalarEvent):
            tagged = _refuse_tag(event, path, diags) or tagged
            where = _pos(path, event.start_mark)       # one Pos for the value, its place in its container and its span
            value = _scalar(event, where, diags, spans)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            merge = bool(stack) and (event.tag == _MERGE_TAG or (event.value == "<<" and event.tag is None and not event.style))
            root = _add(stack, value, 1, where, diags, merge) if stack else value
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_YAML_DEPTH:
                raise _Stop(_pos(path, event.start_mark), N_("mappings and lists nest more than {limit} levels deep here; "
                                                             "a package never needs that many"), limit=MAX_YAML_DEPTH)
            tagged = _refuse_tag(event, path, diags) or tagged
            container = Map() if isinstance(event, yaml.MappingStartEvent) else Seq()
            container.pos = _pos(path, event.start_mark)
            if isinstance(container, Map):
                container.key_pos, container.value_pos = {}, {}
            else:
                container.item_pos = []
            stack.append(_Frame(container, event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            if frame.anchor:
                anchors[frame.anchor] = (frame.value, frame.size)
            root = _add(stack, frame.value, frame.size, frame.value.pos, diags) if stack else frame.value
        elif isinstance(event, yaml.AliasEvent):
            where = _pos(path, event.start_mark)
            if event.anchor not in anchors:
                raise _Stop(where, N_("YAML syntax error: found undefined alias '{alias}'"), alias=event.anchor)
            value, size = anchors[event.anchor]
            expanded += size
            if expanded > MAX_YAML_ALIAS_NODES:
                raise _Stop(where, N_("the aliases (*name) of this file expand to more than {limit} values; "
                                      "write the values out or use fewer aliases"), limit=f"{MAX_YAML_ALIAS_NODES:,}")
            root = _add(stack, value, size, where, diags) if stack else value
    budget.nodes = nodes
    return None if tagged else root


def read_source(path: Path) -> str:
    """A YAML file's text exactly as stored: line ends (CRLF too) are kept, so
    the parser's character offsets are offsets into the file."""
    return path.read_bytes().decode("utf-8")


def _not_utf8(exc: UnicodeDecodeError, display: str, diags: Diagnostics) -> None:
    """Where a file stops being UTF-8 (the line and column of the first bad byte), and what it probably is."""
    data: bytes = exc.object
    before = data[: exc.start].decode("utf-8")          # valid up to the bad byte
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1    # in characters, as an editor counts them
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        hint = N_("it is saved as UTF-16 (Unicode); save it again with the encoding UTF-8")
    else:
        hint = N_("it may be saved as GBK (ANSI); save it again with the encoding UTF-8")
    diags.error(Pos(display, line, col), N_("the file is not UTF-8 text from byte {byte} on"), hint,
                byte=f"{exc.start + 1:,}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(lines: List[str], before: int) -> List[int]:
    """Indices of the lines before *before* that hold YAML (not blank, not only a comment), nearest first."""
    return [i for i in range(before - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _key_column(line: str) -> int:
    """Where the key of *line* starts: after a "- " that opens a list item."""
    column = _indent(line)
    rest = line[column:]
    while rest.startswith("- "):
        column += 2 + _indent(rest[2:])
        rest = line[column:]
    return column


def plain_words(source: str, exc: "yaml.MarkedYAMLError"):
    """A syntax error PyYAML words for parser writers, in plain words at the line that is wrong:
    (line, column, message id, hint id, fields), or None when it is none of these.

    * a quote opened and never closed: at the quote, not at the end of the file where PyYAML noticed;
    * a line indented to no level of the lines above (a key one space too far in or out, a list item out of
      line): that line, its indentation against the line above and the columns it may start at."""
    problem, context = exc.problem or "", exc.context or ""
    if context == "while scanning a quoted scalar" and exc.context_mark is not None:
        mark = exc.context_mark
        quote = source.splitlines()[mark.line][mark.column] if mark.line < len(source.splitlines()) else '"'
        return (mark.line + 1, mark.column + 1, N_("the quote {quote} opened here is never closed"),
                N_("end the text with {quote} on this line, or delete the quote"), {"quote": quote})
    indentation = problem.startswith("expected <block end>") or problem == "mapping values are not allowed here"
    if not indentation or exc.problem_mark is None:
        return None
    lines = source.splitlines()
    row = exc.problem_mark.line
    if row >= len(lines):
        return None
    wrong = lines[row]
    if problem.startswith("expected <block end>") and exc.problem_mark.column != _indent(wrong):
        return None                      # a token inside the line ("abc"def): not a matter of indentation
    above = _content_lines(lines, row)
    if not above:
        return None
    prev = above[0]
    if problem == "mapping values are not allowed here" and _indent(wrong) <= _key_column(lines[prev]):
        return None                      # a second ": " inside a value, not a line too far in
    levels = sorted({_key_column(lines[i]) for i in above if _key_column(lines[i]) <= _key_column(lines[prev])} |
                    {_indent(lines[i]) for i in above if _indent(lines[i]) <= _indent(lines[prev])})
    fits = [c for c in levels if c != _indent(wrong)]
    if not fits:
        return None
    best = min(fits, key=lambda c: (abs(c - _indent(wrong)), -c))
    return (row + 1, _indent(wrong) + 1,
            N_("YAML cannot read line {line} at its indentation: {spaces} spaces, against {above_spaces} of line "
               "{above} above it"),
            N_("a field of the same mapping starts in the same column as the one above it, a list item's '-' in the "
               "column of the other items; indent it by {best} spaces"),
            {"line": row + 1, "spaces": _indent(wrong), "above": prev + 1, "above_spaces": _indent(lines[prev]),
             "best": best})


def load_yaml(path: Path, display: str, diags: Diagnostics, spans: Optional[dict] = None,
              budget: Optional[Budget] = None) -> Optional[Any]:
    """Load one YAML file; on a syntax error or a limit gone over, record it and return None.

    With *spans*, record for each scalar's position its (start, end) offsets
    in the file and its value.  *budget* is what the package's files may still
    hold (a fresh one for a file on its own); the file's share is taken from it."""
    budget = budget if budget is not None else Budget()
    try:
        size = path.stat().st_size
        if size > budget.bytes:
            diags.error(Pos(display), N_("the file is {size} bytes; doctools reads up to {limit} bytes of YAML in a "
                                         "package, all its files together"), size=f"{size:,}", limit=f"{MAX_YAML_BYTES:,}")
            return None
        budget.bytes -= size
        source = read_source(path)
    except UnicodeDecodeError as exc:
        _not_utf8(exc, display, diags)
        return None
    except OSError as exc:
        diags.error(Pos(display), N_("cannot read file: {reason}"), reason=exc.strerror)
        return None
    found = Diagnostics()
    try:
        try:
            value = _compose(source, display, found, _LOADER, spans, budget)
        except yaml.YAMLError:
            found = Diagnostics()   # the same error, worded the same on every machine
            value = _compose(source, display, found, yaml.SafeLoader, spans, budget)
    except _Stop as stop:
        if stop.keep:
            diags.items.extend(found.items)
        diags.error(stop.pos, stop.message, **stop.fields)
        return None
    except yaml.MarkedYAMLError as exc:
        plain = plain_words(source, exc)
        if plain:
            line, col, message, hint, fields = plain
            diags.error(Pos(display, line, col), message, _(hint).format(**fields), **fields)
            return None
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(display, mark) if mark else Pos(display)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            hint = _("{context} that starts at line {line}, column {col}").format(
                context=exc.context, line=exc.context_mark.line + 1, col=exc.context_mark.column + 1)
        if "'\\t'" in problem:            # PyYAML's "found character '\t' that cannot start any token"
            hint = N_("YAML indents with spaces, not Tab; replace the Tab with spaces")
        diags.error(pos, N_("YAML syntax error: {problem}"), hint, problem=problem)
        return None
    except yaml.reader.ReaderError as exc:  # a control character pasted into the text
        before = source[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        diags.error(Pos(display, line, col), N_("character U+{code} cannot appear in a document; delete it"),
                    code=f"{code:04X}")
        return None
    except yaml.YAMLError as exc:
        diags.error(Pos(display), N_("YAML error: {problem}"), problem=str(exc)[:200])
        return None
    diags.items.extend(found.items)
    return value
