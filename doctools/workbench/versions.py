"""Every saved version of every package, and saves that never overwrite one another.

The store is one SQLite file, ``versions.sqlite3`` in the state folder.  A *version* is a snapshot of a package's
YAML files (each file's bytes kept once, by hash), numbered 1, 2, … per package, with when, who and how it came.

**Saves name their base.**  A page edits the version it was shown; :meth:`VersionStore.save` gets that number.
When the package moved on meanwhile (another clerk saved, or a file was changed on disk by the command line), the
save is merged *field by field* (a field is one value of the YAML: a task's deadline, one unit in a list): a field
only this save changed is applied onto the newest version, a field both changed to different values is a
:class:`Conflict` and nothing is written; the page shows both values and the clerk's choice is saved as a new
version on top of the newest.

**Write-ahead.**  A save first records the new version as *pending* in SQLite (committed, fsynced), then writes
each YAML file atomically (temporary file, fsync, rename), then marks the version *done*.  :meth:`reconcile`, run
when the server starts, finishes a pending version whose files were half written, or drops it when the files on
disk are neither the old nor the new ones (someone edited them meanwhile): after a crash or ``kill -9`` at any
moment the store and the YAML agree, and at most the save in flight (never acknowledged) is lost.

**Edits on disk.**  Before every save and every look at the newest version the files on disk are compared with the
newest version; when they differ (``doctools fix``, an editor, ``git pull``) they are recorded as a version of
their own, by "disk" — so a page opened before the edit gets a conflict or a merge, never an overwrite.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .state import connect, package_path

DISK = "disk"          # the "account" of versions found on disk

SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    package TEXT NOT NULL,
    number INTEGER NOT NULL,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    action TEXT NOT NULL,              -- save, merge, restore, disk, create
    files TEXT NOT NULL,               -- JSON {relative path: blob hash}
    state TEXT NOT NULL,               -- pending (written ahead), done, dropped
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (package, number)
);
"""

Path_ = Tuple[Any, ...]      # a field's place: keys and list indexes from the file's top


@dataclass(frozen=True)
class Version:
    package: str
    number: int
    at: float
    account: str
    action: str
    files: Dict[str, str]        # path -> blob hash
    state: str = "done"
    note: str = ""


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
    merged: Dict[str, bytes] = field(default_factory=dict)   # the newest files with the save's other fields applied


@dataclass
class Saved:
    version: Version
    merged: bool = False   # whether it was merged onto a newer version than its base


class StoreError(Exception):
    """The store could not record a save (disk full, read-only, …); the message says so, nothing was lost."""


# ---- YAML fields ---------------------------------------------------------------------------------------------
_MISSING = object()


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def load(data: bytes):
    if not data.strip():
        return None
    return _yaml().load(data.decode("utf-8-sig"))


def plain(value):
    """A YAML value as plain Python (ruamel's comment-carrying types made dict, list, str)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def leaves(value, path: Path_ = ()) -> Dict[Path_, Any]:
    """Every field of a parsed file.  A list's items are fields by index while it keeps its length; a list whose
    length changed is compared as one field (see :func:`changes`)."""
    out: Dict[Path_, Any] = {}
    if isinstance(value, dict) and value:
        for k, v in value.items():
            out.update(leaves(v, path + (str(k),)))
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            out.update(leaves(v, path + (i,)))
    else:
        out[path] = plain(value)
    return out


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
    """The fields *mine* changed from *base*: {place: new value}; a removed field's value is _MISSING.  A list
    (or mapping) that changed shape is one field."""
    out: Dict[Path_, Any] = {}

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(a.keys()) + [k for k in b.keys() if k not in a]:
                walk(a.get(k, _MISSING), b.get(k, _MISSING), path + (str(k),))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, path + (i,))
        elif a is _MISSING or b is _MISSING or plain(a) != plain(b) or type(plain(a)) != type(plain(b)):
            out[path] = b
    walk(base, mine, ())
    return out


def set_field(doc, path: Path_, value):
    """Set (or, with _MISSING, remove) the field at *path* of the round-trip document *doc*; return the document."""
    if not path:
        return None if value is _MISSING else value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if value is _MISSING:
        if isinstance(parent, dict):
            parent.pop(last, None)
        else:
            del parent[last]
    else:
        parent[last] = value
    return doc


def dump(doc, like: bytes) -> bytes:
    """*doc* as YAML bytes, with the line endings of *like*."""
    out = io.StringIO()
    _yaml().dump(doc, out)
    text = out.getvalue()
    if b"\r\n" in like:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode("utf-8")


def merge_file(base: bytes, theirs: bytes, mine: bytes, name: str) -> Tuple[bytes, List[Field]]:
    """Three-way merge of one YAML file by fields: *theirs* with every field *mine* changed from *base*, unless
    *theirs* changed it too (to something else): those are returned as conflicts."""
    if mine == base:
        return theirs, []
    if theirs == base or theirs == mine:
        return mine, []
    try:
        b, t, m = load(base), load(theirs), load(mine)
    except Exception:                       # not YAML any more on one side: the whole file is the one field
        return theirs, [Field(name, (), base.decode("utf-8", "replace"), mine.decode("utf-8", "replace"),
                              theirs.decode("utf-8", "replace"))]
    mine_changes = changes(b, m)
    their_changes = changes(b, t)
    conflicts: List[Field] = []
    doc = t
    for path, value in mine_changes.items():
        clash = [p for p in their_changes if p[:len(path)] == path or path[:len(p)] == p]
        if clash:
            if all(_same(_get(m, p), _get(t, p)) for p in clash + [path]):
                continue
            conflicts.append(Field(name, path, _plain_or_none(_get(b, path)), _plain_or_none(value),
                                   _plain_or_none(_get(t, path))))
            continue
        try:
            doc = set_field(doc, path, value)
        except (KeyError, IndexError, TypeError):
            conflicts.append(Field(name, path, _plain_or_none(_get(b, path)), _plain_or_none(value),
                                   _plain_or_none(_get(t, path))))
    return dump(doc, theirs), conflicts


def _same(a, b) -> bool:
    return _plain_or_none(a) == _plain_or_none(b)


def _plain_or_none(value):
    return None if value is _MISSING else plain(value)


def apply_fields(files: Dict[str, bytes], chosen: List[Tuple[str, Path_, Any]]) -> Dict[str, bytes]:
    """*files* with each (file, place, value) set: the clerk's choices after a conflict."""
    out = dict(files)
    by_file: Dict[str, list] = {}
    for name, path, value in chosen:
        by_file.setdefault(name, []).append((tuple(path), value))
    for name, edits in by_file.items():
        doc = load(out.get(name, b""))
        for path, value in edits:
            doc = set_field(doc, path, value)
        out[name] = dump(doc, out.get(name, b""))
    return out


# ---- files on disk ---------------------------------------------------------------------------------------------
def read_package(folder: Path) -> Dict[str, bytes]:
    """The YAML files of a package folder, by path relative to it (hidden folders skipped)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file() or path.is_symlink():
            continue
        if path.suffix.lower() in (".yaml", ".yml"):
            files[rel.as_posix()] = path.read_bytes()
    return files


def write_atomically(path: Path, data: bytes, writer=None) -> None:
    """Write *data* to *path* so that a crash leaves either the old or the new file: a temporary file beside it,
    fsynced, renamed over it, the folder fsynced.  *writer* (tests) replaces ``os.write``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = (writer or os.write)(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    os.close(fd)
    if path.exists():
        os.chmod(tmp, path.stat().st_mode & 0o777)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- the store -------------------------------------------------------------------------------------------------
class VersionStore:
    """The versions of the packages of one workspace."""

    FILE = "versions.sqlite3"

    def __init__(self, state: Path, workspace: Path, writer=None, pause=None):
        self.workspace = Path(workspace)
        self.db = connect(Path(state) / self.FILE)
        self.db.executescript(SCHEMA)
        self.lock = threading.RLock()
        self._locks: Dict[str, threading.Lock] = {}
        self.writer = writer          # tests: an os.write that fails (disk full)
        self.pause = pause            # tests: called between the write-ahead record and the files

    # -- low level
    def _package_lock(self, package: str) -> threading.Lock:
        with self.lock:
            return self._locks.setdefault(package, threading.Lock())

    def _folder(self, package: str) -> Path:
        folder = package_path(self.workspace, package)
        if folder is None:
            raise KeyError(package)
        return folder

    def _put_blobs(self, files: Dict[str, bytes]) -> Dict[str, str]:
        hashes = {}
        for name, data in files.items():
            h = hashes[name] = digest(data)
            self.db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (h, data))
        return hashes

    def blob(self, h: str) -> bytes:
        with self.lock:
            row = self.db.execute("SELECT data FROM blobs WHERE hash = ?", (h,)).fetchone()
        return bytes(row[0])

    def files(self, version: Version) -> Dict[str, bytes]:
        return {name: self.blob(h) for name, h in version.files.items()}

    def _row(self, row) -> Version:
        return Version(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7])

    def version(self, package: str, number: int) -> Optional[Version]:
        with self.lock:
            row = self.db.execute("SELECT * FROM versions WHERE package = ? AND number = ?",
                                  (package, number)).fetchone()
        return self._row(row) if row else None

    def history(self, package: str) -> List[Version]:
        """Every done version of *package*, newest first."""
        with self.lock:
            rows = self.db.execute("SELECT * FROM versions WHERE package = ? AND state = 'done' "
                                   "ORDER BY number DESC", (package,)).fetchall()
        return [self._row(r) for r in rows]

    def _newest(self, package: str) -> Optional[Version]:
        row = self.db.execute("SELECT * FROM versions WHERE package = ? AND state = 'done' "
                              "ORDER BY number DESC LIMIT 1", (package,)).fetchone()
        return self._row(row) if row else None

    def _next_number(self, package: str) -> int:
        row = self.db.execute("SELECT max(number) FROM versions WHERE package = ?", (package,)).fetchone()
        return (row[0] or 0) + 1

    def _record(self, package: str, files: Dict[str, bytes], account: str, action: str, state: str,
                note: str = "") -> Version:
        """Insert a version (inside the caller's transaction)."""
        hashes = self._put_blobs(files)
        number = self._next_number(package)
        at = time.time()
        self.db.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (package, number, at, account, action, json.dumps(hashes, sort_keys=True), state, note))
        return Version(package, number, at, account, action, hashes, state, note)

    def _sync(self, package: str) -> Version:
        """The newest version, after recording the files on disk as a version of their own when they differ."""
        disk = read_package(self._folder(package))
        newest = self._newest(package)
        if newest is not None and {n: digest(d) for n, d in disk.items()} == newest.files:
            return newest
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self._record(package, disk, DISK if newest else "", "disk" if newest else "create", "done")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return version

    def current(self, package: str) -> Version:
        """The newest version of *package*, the files on disk included."""
        with self._package_lock(package), self.lock:
            return self._sync(package)

    # -- saving
    def save(self, package: str, base: int, files: Dict[str, bytes], account: str, action: str = "save",
             note: str = ""):
        """Save *files* (the package's YAML files as the clerk's page has them, made on version *base*).

        Returns :class:`Saved`, or :class:`Conflict` when fields changed meanwhile were changed differently here
        (nothing is written then).  Raises :class:`StoreError` when the disk refuses; nothing is lost then either.
        """
        with self._package_lock(package):
            with self.lock:
                newest = self._sync(package)
                merged = False
                if base != newest.number:
                    old = self.version(package, base)
                    if old is None:
                        raise KeyError(base)
                    base_files, their_files = self.files(old), self.files(newest)
                    result: Dict[str, bytes] = dict(their_files)
                    conflicts: List[Field] = []
                    for name in sorted(set(files) | set(base_files)):
                        if name not in files:          # the page never drops a file; keep theirs
                            continue
                        b = base_files.get(name, b"")
                        t = their_files.get(name, b"")
                        text, clash = merge_file(b, t, files[name], name)
                        result[name] = text
                        conflicts.extend(clash)
                    if conflicts:
                        return Conflict(package, base, newest.number, conflicts, result)
                    files, merged = result, True
                if {n: digest(d) for n, d in files.items()} == newest.files:
                    return Saved(newest, merged)
                try:
                    self.db.execute("BEGIN IMMEDIATE")
                    version = self._record(package, files, account, "merge" if merged else action, "pending", note)
                    self.db.execute("COMMIT")
                except Exception as exc:
                    self._rollback()
                    raise StoreError(str(exc)) from exc
            if self.pause:
                self.pause(version)
            try:
                self._write(package, newest, files)
            except OSError as exc:
                self._undo(package, newest, version)
                raise StoreError(exc.strerror or str(exc)) from exc
            with self.lock:
                try:
                    self.db.execute("UPDATE versions SET state = 'done' WHERE package = ? AND number = ?",
                                    (package, version.number))
                except Exception as exc:
                    raise StoreError(str(exc)) from exc
            return Saved(Version(package, version.number, version.at, account, version.action, version.files),
                         merged)

    def _rollback(self) -> None:
        try:
            self.db.execute("ROLLBACK")
        except Exception:
            pass

    def _write(self, package: str, newest: Version, files: Dict[str, bytes]) -> None:
        folder = self._folder(package)
        for name, data in files.items():
            if newest.files.get(name) == digest(data):
                continue
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data, self.writer)
        for name in set(newest.files) - set(files):
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                pass

    def _undo(self, package: str, newest: Version, version: Version) -> None:
        """A write failed half-way: put back the files of *newest* that were already replaced, drop *version*."""
        folder = self._folder(package)
        for name, h in newest.files.items():
            path = folder / name
            try:
                if not path.exists() or digest(path.read_bytes()) != h:
                    write_atomically(path, self.blob(h))
            except OSError:
                pass             # reconcile sorts it out at the next start
        with self.lock:
            try:
                self.db.execute("UPDATE versions SET state = 'dropped' WHERE package = ? AND number = ?",
                                (package, version.number))
            except Exception:
                pass

    def restore(self, package: str, number: int, account: str) -> Saved:
        """Make version *number* the newest again, as a new version (nothing after it is lost)."""
        old = self.version(package, number)
        if old is None:
            raise KeyError(number)
        newest = self.current(package)
        return self.save(package, newest.number, self.files(old), account, "restore",
                         note=str(number))

    # -- after a crash
    def reconcile(self) -> List[str]:
        """Settle every pending version (a save cut short by a crash): finish it when the files on disk are the
        old ones or a mix of old and new; drop it when they are something else.  Returns what was done, one
        line per version, for the server's log."""
        report = []
        with self.lock:
            rows = self.db.execute("SELECT * FROM versions WHERE state = 'pending' ORDER BY package, number"
                                   ).fetchall()
        for row in rows:
            pending = self._row(row)
            with self.lock:
                older = self.db.execute("SELECT * FROM versions WHERE package = ? AND state = 'done' AND "
                                        "number < ? ORDER BY number DESC LIMIT 1",
                                        (pending.package, pending.number)).fetchone()
            older_files = self._row(older).files if older else {}
            try:
                disk = {n: digest(d) for n, d in read_package(self._folder(pending.package)).items()}
            except (KeyError, OSError):
                disk = None
            names = set(disk or {}) | set(pending.files) | set(older_files)
            if disk is not None and all(disk.get(n) in (pending.files.get(n), older_files.get(n)) for n in names):
                if disk != pending.files:
                    self._write(pending.package, Version(pending.package, 0, 0, "", "", disk),
                                self.files(pending))
                state, what = "done", "finished"
            else:
                state, what = "dropped", "dropped"
            with self.lock:
                self.db.execute("UPDATE versions SET state = ? WHERE package = ? AND number = ?",
                                (state, pending.package, pending.number))
            report.append(f"{pending.package} v{pending.number}: {what}")
        return report

    def close(self) -> None:
        self.db.close()
