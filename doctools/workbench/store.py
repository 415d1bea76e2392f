"""Earlier versions of each package: a small SQLite file in the workspace (``.doctools/history.sqlite``).

Every save through the page is one numbered version of its package (1, 2, 3 … per package) holding the text of
each YAML file as saved, who saved it and the version it was made on.  A save that check refuses is kept too, as
a *draft*: its text is not written into the package folder, so the command line and git still see the last good
version, and the page shows the draft with its problems until it is fixed or dropped.

The API is small on purpose: :meth:`History.save_version`, :meth:`History.list`, :meth:`History.get`,
:meth:`History.restore`.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

SCHEMA = """
create table if not exists versions (
    package text not null,
    number integer not null,
    files text not null,          -- JSON: file name -> text
    author text not null default '',
    base integer,                 -- the version this one was made on
    draft integer not null default 0,
    note text not null default '',
    saved real not null,
    primary key (package, number)
);
"""


@dataclass
class Version:
    package: str
    number: int
    files: Dict[str, str]
    author: str
    base: Optional[int]
    draft: bool
    note: str
    saved: float

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved))


class History:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("pragma journal_mode=wal")
        return db

    def save_version(self, package: str, files: Dict[str, str], author: str = "", base_version: Optional[int] = None,
                     draft: bool = False, note: str = "") -> int:
        """Keep *files* (name -> text) as the next version of *package*; return its number."""
        with self.lock, self._connect() as db:
            number = (db.execute("select max(number) from versions where package=?", (package,)).fetchone()[0] or 0) + 1
            db.execute("insert into versions values (?,?,?,?,?,?,?,?)",
                       (package, number, json.dumps(files, ensure_ascii=False), author, base_version, int(draft), note,
                        time.time()))
            return number

    def list(self, package: str) -> List[Version]:
        """Every version of *package*, newest first."""
        with self._connect() as db:
            rows = db.execute("select * from versions where package=? order by number desc", (package,)).fetchall()
        return [self._version(r) for r in rows]

    def get(self, package: str, number: int) -> Optional[Version]:
        with self._connect() as db:
            row = db.execute("select * from versions where package=? and number=?", (package, number)).fetchone()
        return self._version(row) if row else None

    def latest(self, package: str, draft: Optional[bool] = None) -> Optional[Version]:
        for version in self.list(package):
            if draft is None or version.draft == draft:
                return version
        return None

    def restore(self, package: str, number: int, folder: Path, author: str = "") -> Optional[int]:
        """Write version *number*'s files back into *folder* and keep that as a new version; return its number."""
        from .plans import write_files

        version = self.get(package, number)
        if version is None:
            return None
        write_files(folder, version.files)
        return self.save_version(package, version.files, author, base_version=number, note=f"restore {number}")

    @staticmethod
    def _version(row) -> Version:
        package, number, files, author, base, draft, note, saved = row
        return Version(package, number, json.loads(files), author, base, bool(draft), note, saved)
