"""Where the server keeps what is not a package: accounts, sessions' key, the version store, the activity log.

The *state folder* is ``<workspace>/.doctools`` unless ``--state`` names another (a deployment puts it in
``/var/lib/doctools/state``, see the README's "在单位内网部署").  It is made with mode 0700 and every file in it
with 0600: it holds password hashes and the key that signs session cookies.
"""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Optional

from ..errors import DoctoolsError
from ..i18n import _

STATE_NAME = ".doctools"

# A package id is the name of its folder in the workspace: letters (Chinese too), digits, _ - and inner dots.
# Nothing that could climb out of the workspace (/, \, .., a leading dot) or name a device.
PACKAGE_ID = re.compile(r"^(?!\.)[\w\u4e00-\u9fff.\-]{1,80}$")


class StateError(DoctoolsError):
    """The state folder cannot be used; the message says why, in the user's language (exit status 2)."""


def state_folder(workspace: Path, state: Optional[Path] = None) -> Path:
    """The state folder of *workspace*, made (mode 0700) when missing."""
    folder = Path(state) if state else Path(workspace) / STATE_NAME
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(_("cannot make the state folder {folder}: {reason}").format(
            folder=folder, reason=exc.strerror)) from exc
    if not folder.is_dir():
        raise StateError(_("the state folder {folder} is not a folder").format(folder=folder))
    if folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


def connect(path: Path) -> sqlite3.Connection:
    """A connection to one of the state's SQLite files: write-ahead journal, full sync, file mode 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


def valid_package_id(name: str) -> bool:
    """Whether *name* may name a package folder: see :data:`PACKAGE_ID`; never ``.`` or ``..``."""
    return bool(PACKAGE_ID.match(name or "")) and name not in (".", "..") and ".." not in name


def package_path(workspace: Path, name: str) -> Optional[Path]:
    """The folder of package *name* in *workspace*, or None when the name is not a valid id or the folder
    (after resolving links) is not directly inside the workspace."""
    if not valid_package_id(name):
        return None
    root = Path(workspace).resolve()
    path = (root / name).resolve()
    if path.parent != root:
        return None
    return path
