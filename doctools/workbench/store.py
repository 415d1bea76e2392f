"""Every version of every package, in one SQLite file, and the one way the page saves (:meth:`History.commit`).

The file is ``history.sqlite`` in the state folder (SQLite rather than a git repository per workspace: one file
to back up, transactions, and no second tool the command line would have to agree with).  A version is a snapshot
of a package's YAML files (each text kept once, by its hash), numbered 1, 2, … per package, with when, who, the
version it was made on, and what it was: a save, a merge, a restore, a change found on disk, or a *draft* (a save
that check refused: kept here, never written into the package folder).

**Saves name their base.**  :meth:`History.commit` gets the version the page was made on.  When the package has
moved on meanwhile (another clerk, or the command line on disk), the save is merged field by field
(:mod:`.versions`); a field both sides changed differently is a :class:`~.versions.Conflict` and nothing is written.

**Write-ahead.**  A commit records the new version as *pending* (committed to SQLite, synced) before it writes the
YAML files (each atomically: temporary file, fsync, rename), then marks it *done*.  :meth:`History.reconcile`,
run when the server starts, finishes a pending version whose files were written in part, or drops it when the
files are neither the old nor the new ones: after a crash or ``kill -9`` at any moment the store and the YAML
agree, and at most the save in flight (never acknowledged) is lost.

**Edits on disk.**  Before every commit (and when a page asks for the newest version) the files on disk are
compared with the newest saved version; when they differ they are recorded as a version of their own, by "disk".
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Union

from .state import connect
from ..errors import DoctoolsError
from ..safeio.atomic import commit_files
from .versions import DISK, Conflict, Field, Saved, StoreError, digest, merge_file, read_package

SCHEMA = """
CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
    package TEXT NOT NULL,
    number INTEGER NOT NULL,
    files TEXT NOT NULL,               -- JSON {file name: text hash}
    author TEXT NOT NULL DEFAULT '',
    base INTEGER,                      -- the version this one was made on
    draft INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',     -- save, merge, restore N, disk, new, catalog, ...
    saved REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'done',   -- pending (written ahead), done, dropped
    PRIMARY KEY (package, number)
);
"""


@dataclass(frozen=True)
class Version:
    package: str
    number: int
    hashes: Dict[str, str]
    author: str
    base: Optional[int]
    draft: bool
    note: str
    saved: float
    state: str = "done"
    history: Optional["History"] = field(default=None, compare=False, repr=False)

    @property
    def files(self) -> Dict[str, str]:
        """The text of each file, by name."""
        return {name: self.history.text(h) for name, h in self.hashes.items()}

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved))


class History:
    def __init__(self, path: Path, workspace: Optional[Path] = None, pause=None):
        self.path = Path(path)
        self.workspace = Path(workspace) if workspace else None
        self.db = connect(self.path)
        self.db.executescript(SCHEMA)
        self.lock = threading.RLock()
        self._locks: Dict[str, threading.Lock] = {}
        self.pause = pause            # tests: called between the write-ahead record and the files

    # ---- reading -----------------------------------------------------------------------------------------------
    def text(self, h: str) -> str:
        with self.lock:
            return self.db.execute("SELECT text FROM texts WHERE hash = ?", (h,)).fetchone()[0]

    def _version(self, row) -> Version:
        package, number, files, author, base, draft, note, saved, state = row
        return Version(package, number, json.loads(files), author, base, bool(draft), note, saved, state, self)

    def _rows(self, sql: str, args: tuple) -> List[Version]:
        with self.lock:
            return [self._version(r) for r in self.db.execute(sql, args).fetchall()]

    def list(self, package: str) -> List[Version]:
        """Every version of *package* (drafts too), newest first."""
        return self._rows("SELECT * FROM history WHERE package = ? AND state = 'done' ORDER BY number DESC",
                          (package,))

    def get(self, package: str, number: int) -> Optional[Version]:
        found = self._rows("SELECT * FROM history WHERE package = ? AND number = ? AND state = 'done'",
                           (package, number))
        return found[0] if found else None

    def latest(self, package: str, draft: Optional[bool] = None) -> Optional[Version]:
        """The newest version (of the kind asked for), after recording a change found on disk."""
        if self.workspace is not None and draft is not True:
            self.current(package)
        for version in self.list(package):
            if draft is None or version.draft == draft:
                return version
        return None

    def _newest_saved(self, package: str) -> Optional[Version]:
        found = self._rows("SELECT * FROM history WHERE package = ? AND state = 'done' AND draft = 0 "
                           "ORDER BY number DESC LIMIT 1", (package,))
        return found[0] if found else None

    # ---- recording ---------------------------------------------------------------------------------------------
    def _record(self, package: str, files: Dict[str, str], author: str, base: Optional[int], draft: bool,
                note: str, state: str) -> Version:
        """Insert a version (the caller holds the lock and a transaction)."""
        hashes = {}
        for name, text in files.items():
            h = hashes[name] = digest(text)
            self.db.execute("INSERT OR IGNORE INTO texts VALUES (?, ?)", (h, text))
        number = (self.db.execute("SELECT max(number) FROM history WHERE package = ?",
                                  (package,)).fetchone()[0] or 0) + 1
        saved = time.time()
        self.db.execute("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (package, number, json.dumps(hashes, sort_keys=True), author, base, int(draft), note, saved,
                         state))
        return Version(package, number, hashes, author, base, draft, note, saved, state, self)

    def _transaction(self, work):
        with self.lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                result = work()
                self.db.execute("COMMIT")
                return result
            except sqlite3.Error as exc:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise StoreError.of(exc) from exc

    def save_version(self, package: str, files: Dict[str, str], author: str = "", base_version: Optional[int] = None,
                     draft: bool = False, note: str = "") -> int:
        """Keep *files* (name -> text) as the next version of *package* (written elsewhere, or a draft); its
        number."""
        return self._transaction(lambda: self._record(package, files, author, base_version, draft, note,
                                                      "done")).number

    def _folder(self, package: str) -> Path:
        from .state import package_path

        folder = package_path(self.workspace, package) if self.workspace else None
        if folder is None:
            raise KeyError(package)
        return folder

    def _sync(self, package: str) -> Optional[Version]:
        """The newest saved version, after recording the files on disk as a version when they differ from it."""
        folder = self._folder(package)
        if not folder.is_dir():
            return self._newest_saved(package)
        disk = read_package(folder)
        newest = self._newest_saved(package)
        if newest is not None and {n: digest(t) for n, t in disk.items()} == newest.hashes:
            return newest
        return self._transaction(lambda: self._record(package, disk, DISK if newest else "",
                                                      newest.number if newest else None, False,
                                                      "disk" if newest else "new", "done"))

    def current(self, package: str) -> Optional[Version]:
        """The newest saved version of *package*, a change on disk included."""
        with self._package_lock(package), self.lock:
            return self._sync(package)

    def _package_lock(self, package: str) -> threading.Lock:
        with self.lock:
            return self._locks.setdefault(package, threading.Lock())

    # ---- saving from the page ----------------------------------------------------------------------------------
    def commit(self, package: str, base: Optional[int], files: Dict[str, str], author: str = "",
               note: str = "save") -> Union[Saved, Conflict]:
        """Save *files* (the package's YAML texts as the page has them, made on version *base*) into the package
        folder and the store.  :class:`Saved`, or a :class:`Conflict` when a field changed meanwhile was changed
        differently here (nothing is written then).  :class:`StoreError` when the store or the disk refuses;
        nothing is lost then either."""
        with self._package_lock(package):
            with self.lock:
                newest = self._sync(package)
                origin = self._origin(package, base)
                merged = False
                if newest is not None and origin is not None and origin.number != newest.number:
                    base_files, their_files = origin.files, newest.files
                    result: Dict[str, str] = dict(their_files)
                    conflicts: List[Field] = []
                    for name in sorted(files):
                        text, clash = merge_file(base_files.get(name, ""), their_files.get(name, ""), files[name],
                                                 name)
                        result[name] = text
                        conflicts.extend(clash)
                    if conflicts:
                        return Conflict(package, base, newest.number, conflicts, result, newest.author)
                    files, merged = result, True
                files = {**(newest.files if newest else {}), **files}
                if newest is not None and {n: digest(t) for n, t in files.items()} == newest.hashes:
                    return Saved(newest, merged)
                version = self._transaction(lambda: self._record(
                    package, files, author, base, False, "merge" if merged else note, "pending"))
            if self.pause:
                self.pause(version)
            try:
                self._write(package, newest.hashes if newest else {}, files)
            except (OSError, DoctoolsError) as exc:
                self._undo(package, newest, version)
                raise StoreError.of(exc) from exc
            self._transaction(lambda: self.db.execute(
                "UPDATE history SET state = 'done' WHERE package = ? AND number = ?", (package, version.number)))
            return Saved(self.get(package, version.number), merged)

    def _origin(self, package: str, base: Optional[int]) -> Optional[Version]:
        """The saved version a page made on *base* started from: a draft counts from the version it was made on."""
        seen = set()
        while base is not None and base not in seen:
            seen.add(base)
            version = self.get(package, base)
            if version is None or not version.draft:
                return version
            base = version.base
        return None

    def _write(self, package: str, before: Dict[str, str], files: Dict[str, str]) -> None:
        """Write the files that changed, all staged first and then renamed (safeio), and remove those gone."""
        folder = self._folder(package)
        commit_files([(folder / name, text.encode("utf-8")) for name, text in files.items()
                      if before.get(name) != digest(text)])
        for name in set(before) - set(files):
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                pass

    def _undo(self, package: str, newest: Optional[Version], version: Version) -> None:
        """A write failed half-way: put back the files already replaced, drop *version* (reconcile finishes
        the job at the next start if even this fails)."""
        folder = self._folder(package)
        for name, h in (newest.hashes if newest else {}).items():
            path = folder / name
            try:
                if not path.exists() or digest(path.read_bytes().decode("utf-8", "replace")) != h:
                    commit_files([(path, self.text(h).encode("utf-8"))])
            except (OSError, DoctoolsError):
                pass
        try:
            self._transaction(lambda: self.db.execute(
                "UPDATE history SET state = 'dropped' WHERE package = ? AND number = ?", (package, version.number)))
        except StoreError:
            pass

    def restore(self, package: str, number: int, folder: Optional[Path] = None, author: str = "") -> Optional[int]:
        """Make version *number* the newest again, as a new version (nothing after it is lost); its number."""
        old = self.get(package, number)
        if old is None:
            return None
        if self.workspace is None and folder is not None:      # a store made without its workspace
            self.workspace = Path(folder).resolve().parent
        newest = self.current(package)
        result = self.commit(package, newest.number if newest else None, old.files, author, f"restore {number}")
        return result.version.number if isinstance(result, Saved) else None

    # ---- after a crash -----------------------------------------------------------------------------------------
    def reconcile(self) -> List[tuple]:
        """Settle every pending version (a save cut short by a crash): finish it when the files on disk are the
        old ones or a mix of old and new; drop it when they are something else.  (package, number, "finished" or
        "dropped") for each."""
        report = []
        pending = self._rows("SELECT * FROM history WHERE state = 'pending' ORDER BY package, number", ())
        for version in pending:
            older = self._rows("SELECT * FROM history WHERE package = ? AND state = 'done' AND draft = 0 AND "
                               "number < ? ORDER BY number DESC LIMIT 1", (version.package, version.number))
            before = older[0].hashes if older else {}
            try:
                folder = self._folder(version.package)
                disk = {n: digest(t) for n, t in read_package(folder).items()}
            except (KeyError, OSError):
                disk = None
            names = set(disk or {}) | set(version.hashes) | set(before)
            if disk is not None and all(disk.get(n) in (version.hashes.get(n), before.get(n)) for n in names):
                self._write(version.package, disk, version.files)
                state, what = "done", "finished"
            else:
                state, what = "dropped", "dropped"
            self._transaction(lambda: self.db.execute(
                "UPDATE history SET state = ? WHERE package = ? AND number = ?",
                (state, version.package, version.number)))
            report.append((version.package, version.number, what))
        return report

    def close(self) -> None:
        self.db.close()
