"""Saves that never overwrite one another: field-by-field merging of a package's YAML files, and atomic writes.

A *field* is one value of a package's YAML: a task's deadline, the list of a task's lead units, the title.  When a
clerk saves a page made on version *base* and the package has moved on meanwhile (another clerk saved, or a file
was changed on disk by the command line), :func:`merge_file` applies each field the clerk changed onto the newest
version, unless the newest version changed that field too, to something else: those are returned as conflicting
:class:`Field` s with both values, and nothing is written until the clerk has chosen (:mod:`.conflicts`).  Fields
are set with :class:`~doctools.workbench.yamledit.YamlFile`, so the merged file keeps its comments and layout.
Files are written by :func:`doctools.safeio.atomic.commit_files` (staged, flushed, renamed into place).

:class:`~doctools.workbench.store.History` keeps the versions and does the saving.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

from ruamel.yaml.error import YAMLError

DISK = "disk"          # the "account" of versions found on disk

Path_ = Tuple[Any, ...]      # a field's place: keys and list indexes from the file's top


@dataclass(frozen=True)
class Field:
    """One value of a package: its file, its place in the file, and its value in each version."""

    file: str
    path: Path_
    base: Any = None
    mine: Any = None
    theirs: Any = None

    @property
    def key(self) -> str:
        return self.file + ":" + "/".join(str(p) for p in self.path)


@dataclass
class Conflict:
    """A save that met changes made meanwhile to the same fields: nothing was written."""

    package: str
    base: int              # the version the save was made on
    current: int           # the newest version
    fields: List[Field] = field(default_factory=list)
    merged: Dict[str, str] = field(default_factory=dict)     # the newest files with the save's other fields applied
    author: str = ""       # who made the newest version


@dataclass
class Saved:
    version: Any           # a doctools.workbench.store.Version (which imports this module)
    merged: bool = False   # whether it was merged onto a newer version than its base


class StoreError(Exception):
    """The store or the disk refused a save (full, read-only, …): nothing was written, nothing was lost.  The
    message says why in the user's language."""

    @classmethod
    def of(cls, exc: BaseException) -> "StoreError":
        import errno

        from ..i18n import _

        if not isinstance(exc, OSError) and isinstance(exc.__cause__, OSError):
            exc = exc.__cause__              # safeio's UnwritableOutput: its cause names the errno
        text = str(exc).lower()
        code = getattr(exc, "errno", None)
        if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or "no space" in text:
            reason = _("the disk is full")
        elif code == errno.EROFS or "readonly" in text or "read-only" in text:
            reason = _("the store or the plan's folder is read-only")
        elif code in (errno.EACCES, errno.EPERM):
            reason = _("the server may not write there")
        else:
            reason = getattr(exc, "strerror", None) or str(exc)
        return cls(reason)


# ---- YAML fields ---------------------------------------------------------------------------------------------
_MISSING = object()


def load(text: str):
    """The data of a YAML text (round-trip types), None for an empty one."""
    from .yamledit import YamlFile

    return YamlFile("", text).data


def plain(value):
    """A YAML value as plain Python (ruamel's comment-carrying types made dict, list, str)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _get(value, path: Path_):
    for step in path:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return _MISSING
    return value


def changes(base, mine) -> Dict[Path_, Any]:
    """The fields *mine* changed from *base*: {place: new value} (_MISSING for a removed one).  A list of texts
    (a task's units) is one field; so is a list or mapping that changed shape."""
    out: Dict[Path_, Any] = {}

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(a.keys()) + [k for k in b.keys() if k not in a]:
                walk(a.get(k, _MISSING), b.get(k, _MISSING), path + (str(k),))
        elif (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
              and any(isinstance(x, (dict, list)) for x in a + b)):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, path + (i,))
        elif a is _MISSING or b is _MISSING or plain(a) != plain(b) or type(plain(a)) is not type(plain(b)):
            out[path] = b
    walk(base, mine, ())
    return out


def _overlap(p: Path_, q: Path_) -> bool:
    return p[:len(q)] == q or q[:len(p)] == p


def merge_file(base: str, theirs: str, mine: str, name: str) -> Tuple[str, List[Field]]:
    """Three-way merge of one YAML file by fields: *theirs* with every field *mine* changed from *base*, unless
    *theirs* changed it too (to something else): those are returned as conflicts."""
    from .yamledit import YamlFile

    if mine == base:
        return theirs, []
    if theirs == base or theirs == mine:
        return mine, []
    try:
        b, t, m = load(base), load(theirs), load(mine)
    except (YAMLError, UnicodeDecodeError, ValueError):   # not YAML on one side: the whole file is the one field
        return theirs, [Field(name, (), base, mine, theirs)]
    mine_changes = changes(b, m)
    their_changes = changes(b, t)
    conflicts: List[Field] = []
    out = YamlFile(name, theirs)
    for path, value in mine_changes.items():
        clash = [p for p in their_changes if _overlap(p, path)]
        if clash and not all(_same(_get(m, p), _get(t, p)) for p in clash + [path]):
            conflicts.append(Field(name, path, _plain_or_none(_get(b, path)), _plain_or_none(value),
                                   _plain_or_none(_get(t, path))))
        elif not clash:
            out.set(path, None if value is _MISSING else plain(value))
    return out.output(), conflicts


def _same(a, b) -> bool:
    return _plain_or_none(a) == _plain_or_none(b)


def _plain_or_none(value):
    return None if value is _MISSING else plain(value)


def apply_fields(files: Dict[str, str], chosen: List[Tuple[str, Path_, Any]]) -> Dict[str, str]:
    """*files* with each (file, place, value) set: the clerk's choices after a conflict."""
    from .yamledit import YamlFile

    out = dict(files)
    for name, path, value in chosen:
        if not path:                        # the whole file was the field
            out[name] = value or ""
            continue
        edited = YamlFile(name, out.get(name, ""))
        edited.set(tuple(path), value)
        out[name] = edited.output()
    return out


# ---- files on disk ---------------------------------------------------------------------------------------------
def read_package(folder: Path) -> Dict[str, str]:
    """The YAML files of a package folder that the page edits (``*.yaml`` at its top), by name."""
    return {p.name: p.read_bytes().decode("utf-8", "replace") for p in sorted(Path(folder).glob("*.yaml"))
            if p.is_file() and not p.is_symlink()}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


