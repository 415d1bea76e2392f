"""Edit a package's YAML files in place, as a person would: only the edited values change.

The page sends values by *path*: ``("document", "title")``, ``("tasks", 2, "deadline")``.  A value that already
stands in the file is replaced where it stands: ruamel.yaml's composer gives every node its exact span, and only
the characters of that value are rewritten, so comments, key order, quoting of other values, flow or block
style and line endings all stay as they were.  A value the file does not hold yet (a new key, a new list item, a
removed one, a moved section) is a change of structure: the file is then loaded and dumped again in ruamel.yaml's
round-trip mode, which keeps comments and key order (it may write a flow collection of that file in its own way).

ruamel.yaml is used rather than PyYAML because only it keeps comments and the position of every node.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.error import YAMLError

Key = Union[str, int]
Path_ = Tuple[Key, ...]

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`.+~][^\n]*$")
_NUMERIC = re.compile(r"^(?:[-+]?[0-9][0-9_.:eE+\-]*|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_AMBIGUOUS = re.compile(r"^(?:true|false|yes|no|on|off|null|~|y|n)$", re.I)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def scalar_text(value: str, flow: bool) -> str:
    """*value* as a one-line YAML scalar: plain where YAML reads it back as the same text, else double-quoted."""
    plain = (value and _PLAIN.match(value) and ": " not in value and " #" not in value and not value.endswith(":")
             and value == value.strip() and not _AMBIGUOUS.match(value) and not _NUMERIC.match(value) and not (flow and _FLOW_UNSAFE.search(value)))
    return value if plain else json.dumps(value, ensure_ascii=False)


def parse_path(name: str) -> Path_:
    """``tasks.2.deadline`` -> ("tasks", 2, "deadline")."""
    return tuple(int(part) if part.isdigit() else part for part in name.split("."))


def path_name(path: Sequence[Key]) -> str:
    return ".".join(str(p) for p in path)


class YamlFile:
    """One YAML file's text, with what is needed to edit it in place."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.crlf = "\r\n" in text
        self.text = text.replace("\r\n", "\n")
        self._node = None
        self._data = None

    # -- reading --------------------------------------------------------------------------------------------------
    @property
    def node(self):
        if self._node is None:
            self._node = YAML().compose(self.text)
        return self._node

    @property
    def data(self):
        if self._data is None:
            self._data = _yaml().load(self.text) if self.text.strip() else None
        return self._data

    def output(self) -> str:
        return self.text.replace("\n", "\r\n") if self.crlf else self.text

    def keys(self) -> List[str]:
        return [k.value for k, _v in self.node.value] if isinstance(self.node, MappingNode) else []

    def find(self, path: Path_):
        node = self.node
        for key in path:
            if isinstance(node, MappingNode) and isinstance(key, str):
                node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
            elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                node = node.value[key]
            else:
                return None
            if node is None:
                return None
        return node

    def get(self, path: Path_, default=None):
        data = self.data
        for key in path:
            try:
                data = data[key]
            except (KeyError, IndexError, TypeError):
                return default
        return data

    def places(self) -> List[Tuple[int, int, Path_]]:
        """(line, column, path) of every key and item, in the order of the text; lines and columns from 1."""
        out: List[Tuple[int, int, Path_]] = []

        def walk(node, path):
            out.append((node.start_mark.line + 1, node.start_mark.column + 1, path))
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if isinstance(k, ScalarNode):
                        out.append((k.start_mark.line + 1, k.start_mark.column + 1, path + (k.value,)))
                        walk(v, path + (k.value,))
            elif isinstance(node, SequenceNode):
                for i, item in enumerate(node.value):
                    walk(item, path + (i,))

        if self.node is not None:
            walk(self.node, ())
        return sorted(out, key=lambda p: (p[0], p[1]))

    # -- writing --------------------------------------------------------------------------------------------------
    def _replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        self._node = self._data = None

    def set(self, path: Path_, value: Any) -> None:
        """Make the value at *path* *value* (a text, a list of texts, or None to remove it)."""
        node = self.find(path)
        parent = self.find(path[:-1]) if path else None
        if node is not None and self._in_place(node, parent, value):
            return
        self._structural(path, value)

    def _in_place(self, node, parent, value) -> bool:
        flow = bool(parent is not None and parent.flow_style)
        if isinstance(value, str) and isinstance(node, ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style in ("|", ">"):
                header_end = self.text.index("\n", start)
                indent = " " * self._block_indent(node)
                lines = value.split("\n") if node.style == "|" else [" ".join(value.split("\n"))]
                body = "\n".join(indent + line if line else "" for line in lines)
                segment = self.text[header_end + 1:end]
                self._replace(header_end + 1, header_end + 1 + len(segment.rstrip()), body)
                return True
            if "\n" in value and not flow:
                indent = " " * (self._line_indent(start) + 2)
                body = "|-\n" + "\n".join(indent + line if line else "" for line in value.split("\n"))
                self._replace(start, end, body)
                return True
            if node.style in ("'", '"') or "\n" in value:
                self._replace(start, end, json.dumps(value, ensure_ascii=False))
            else:
                self._replace(start, end, scalar_text(value, flow))
            return True
        if isinstance(value, list) and isinstance(node, SequenceNode) and all(isinstance(v, str) for v in value):
            if node.flow_style:
                new = "[" + ", ".join(scalar_text(v, True) for v in value) + "]"
                self._replace(node.start_mark.index, node.end_mark.index, new)
                return True
            if len(value) == len(node.value) and all(isinstance(n, ScalarNode) for n in node.value):
                for i, v in reversed(list(enumerate(value))):
                    n = node.value[i]
                    if n.value != v:
                        self._replace(n.start_mark.index, n.end_mark.index, scalar_text(v, False))
                return True
        if isinstance(value, list) and isinstance(node, ScalarNode) and node.style is None:
            self._replace(node.start_mark.index, node.end_mark.index,
                          "[" + ", ".join(scalar_text(v, True) for v in value) + "]")
            return True
        return False

    def _line_indent(self, index: int) -> int:
        line_start = self.text.rfind("\n", 0, index) + 1
        line = self.text[line_start:index]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        return indent + (2 if stripped.startswith("- ") else 0)

    def _block_indent(self, node) -> int:
        header_end = self.text.index("\n", node.start_mark.index)
        for line in self.text[header_end + 1:node.end_mark.index].split("\n"):
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return self._line_indent(node.start_mark.index) + 2

    def _structural(self, path: Path_, value: Any) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.scalarstring import LiteralScalarString

        data = self.data if self.data is not None else CommentedMap()
        target = data
        for i, key in enumerate(path[:-1]):
            nxt = path[i + 1]
            try:
                child = target[key]
            except (KeyError, IndexError, TypeError):
                child = None
            if not isinstance(child, (dict, list)):
                child = CommentedSeq() if isinstance(nxt, int) else CommentedMap()
                if isinstance(target, list):
                    while len(target) <= int(key):
                        target.append(None)
                target[key] = child
            target = child
        last = path[-1]
        if isinstance(value, str) and "\n" in value:
            value = LiteralScalarString(value)
        if value is None:
            if isinstance(target, dict):
                target.pop(last, None)
            elif isinstance(target, list) and isinstance(last, int) and last < len(target):
                del target[last]
        elif isinstance(target, list):
            while len(target) <= int(last):
                target.append(None)
            target[last] = value
        else:
            target[last] = value
        self.dump(data)

    def dump(self, data) -> None:
        out = io.StringIO()
        _yaml().dump(data, out)
        self._replace(0, len(self.text), out.getvalue())

    def move(self, path: Path_, to: int) -> None:
        """Move the list item at *path* to place *to* of the same list (a structural edit)."""
        data = self.data
        seq = data
        for key in path[:-1]:
            seq = seq[key]
        item = seq.pop(path[-1])
        seq.insert(max(0, min(to, len(seq))), item)
        self.dump(data)


class PackageFiles:
    """The YAML files of one package folder, by file name; a top-level key is found in the file that holds it."""

    def __init__(self, texts: Dict[str, str]):
        self.files = {name: YamlFile(name, text) for name, text in sorted(texts.items())}
        self.original = dict(texts)

    @classmethod
    def read(cls, folder: Path) -> "PackageFiles":
        return cls({p.name: p.read_bytes().decode("utf-8", "replace") for p in sorted(Path(folder).glob("*.yaml"))
                    if p.is_file()})

    def file_of(self, key: str, create: str = "") -> Optional[YamlFile]:
        for f in self.files.values():
            try:
                if key in f.keys():
                    return f
            except (YAMLError, UnicodeDecodeError, ValueError):  # a file that does not parse holds no key we can edit
                continue
        if create:
            name = create if create not in self.files else f"{key}.yaml"
            self.files[name] = YamlFile(name, "")
            return self.files[name]
        return None

    def unreadable(self) -> List[str]:
        """The files that do not parse as YAML (the page does not edit those)."""
        broken = []
        for name, f in self.files.items():
            try:
                _node = f.node     # parsing it is the check
            except (YAMLError, UnicodeDecodeError, ValueError):  # any parser error: the file is not edited
                broken.append(name)
        return broken

    def get(self, path: Path_, default=None):
        f = self.file_of(str(path[0]))
        return f.get(path, default) if f else default

    def set(self, path: Path_, value: Any) -> None:
        f = self.file_of(str(path[0]), create=f"{path[0]}.yaml")
        f.set(path, value)

    def move(self, path: Path_, to: int) -> None:
        f = self.file_of(str(path[0]))
        if f is not None:
            f.move(path, to)

    def texts(self) -> Dict[str, str]:
        return {name: f.output() for name, f in self.files.items()}

    def changed(self) -> Dict[str, str]:
        return {name: text for name, text in self.texts().items() if self.original.get(name) != text}

    def field_at(self, file: str, line: int, col: int) -> Optional[Path_]:
        """The path of the key or item at or last before line:col of *file*."""
        f = self.files.get(Path(file).name)
        if f is None or not line:
            return None
        try:
            places = f.places()
        except (YAMLError, UnicodeDecodeError, ValueError):  # a file that does not parse has no fields to point at
            return None
        best = None
        for pl_line, pl_col, path in places:
            if (pl_line, pl_col) <= (line, col or 1):
                best = path
            else:
                break
        return best


def iter_paths(value, path: Path_ = ()) -> Iterator[Tuple[Path_, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from iter_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from iter_paths(v, path + (i,))
    else:
        yield path, value
