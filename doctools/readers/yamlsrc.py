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
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from ..errors import Diagnostics, Pos
from ..i18n import N_


# libyaml's composer when PyYAML has it (about five times faster), with the same marks
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Map(dict):
    """A YAML mapping: a dict with the position of itself and of each key."""

    pos: Pos
    key_pos: Dict[str, Pos]
    value_pos: Dict[str, Pos]

    def at(self, key: str) -> Pos:
        return self.value_pos.get(key) or self.key_pos.get(key) or self.pos


class Seq(list):
    """A YAML sequence: a list with the position of itself and of each item."""

    pos: Pos
    item_pos: List[Pos]

    def at(self, index: int) -> Pos:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


class Text(str):
    """A scalar string with its position."""

    pos: Pos


def _pos(path: str, mark) -> Pos:
    return Pos(path, mark.line + 1, mark.column + 1)


def _convert(node, path: str, diags: Diagnostics):
    where = _pos(path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out = Map()
        out.pos, out.key_pos, out.value_pos = where, {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                diags.error(_pos(path, key_node.start_mark), "YAML merge keys ('<<') are not supported")
                continue
            key = _convert(key_node, path, diags)
            if not isinstance(key, str):
                diags.error(_pos(path, key_node.start_mark), "a mapping key must be plain text")
                continue
            key = str(key)
            if key in out:
                diags.error(_pos(path, key_node.start_mark), f"key '{key}' appears twice in this mapping",
                            f"first at line {out.key_pos[key].line}")
                continue
            out.key_pos[key] = _pos(path, key_node.start_mark)
            out.value_pos[key] = _pos(path, value_node.start_mark)
            out[key] = _convert(value_node, path, diags)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(item, path, diags) for item in node.value)
        seq.pos = where
        seq.item_pos = [_pos(path, item.start_mark) for item in node.value]
        return seq
    # scalar: keep as text; a null ('~', 'null' or nothing) becomes None
    if node.tag == "tag:yaml.org,2002:null" or (node.style is None and node.value in ("", "~", "null", "Null", "NULL")):
        return None
    text = Text(node.value)
    text.pos = where
    return text


def load_yaml(path: Path, display: str, diags: Diagnostics) -> Optional[Any]:
    """Load one YAML file; on a syntax error record it and return None."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        diags.error(Pos(display), f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return None
    except OSError as exc:
        diags.error(Pos(display), f"cannot read file: {exc.strerror}")
        return None
    try:
        try:
            node = yaml.compose(source, Loader=_LOADER)
        except yaml.YAMLError:
            node = yaml.compose(source, Loader=yaml.SafeLoader)   # the same error, worded the same on every machine
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(display, mark) if mark else Pos(display)
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(pos, N_("YAML syntax error: {problem}"), problem=problem)
        return None
    except yaml.reader.ReaderError as exc:  # a control character pasted into the text
        before = source[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        diags.error(Pos(display, line, col), f"character U+{code:04X} cannot appear in a document; delete it")
        return None
    except yaml.YAMLError as exc:
        diags.error(Pos(display), f"YAML error: {exc}")
        return None
    if node is None:
        return None
    return _convert(node, display, diags)
