"""Who may use a shared workbench, what each may edit, and who changed what.

An *account* (账户) is a clerk's name and password on the server.  Passwords are kept only as argon2id hashes
(argon2-cffi, a memory-hard hash: guessing a stolen hash costs 64 MiB of memory per try).  The first account made
is an *admin* (管理员): an admin sees every plan, grants access and reads the whole activity log.

*Access lists*: a package with no list is open to every account (the default, so a small office configures
nothing); once an admin names accounts for a package, only they (and admins) see and edit it.

The *activity log* (操作记录) records each change: when, which account, which package, what.

Everything lives in ``accounts.sqlite3`` in the state folder (mode 0600), so ``doctools users`` on the command
line and the running server share it.
"""
from __future__ import annotations

import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..errors import DoctoolsError
from ..i18n import _
from .state import connect

NAME = re.compile(r"^[\w\u4e00-\u9fff.\-]{1,32}$")
MIN_PASSWORD = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    generation TEXT NOT NULL,          -- changes with the password: sessions made before are void
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS access (
    package TEXT NOT NULL,
    account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    PRIMARY KEY (package, account)
);
CREATE TABLE IF NOT EXISTS activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    package TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


class AccountError(DoctoolsError):
    """A request about accounts that cannot be done; the message is in the user's language (exit status 2)."""


@dataclass(frozen=True)
class Account:
    name: str
    admin: bool
    generation: str
    created: float


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class Accounts:
    """The accounts, access lists and activity log of one state folder."""

    FILE = "accounts.sqlite3"

    def __init__(self, state: Path, hasher=None):
        self.path = Path(state) / self.FILE
        self.db = connect(self.path)
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.hasher = hasher or _hasher()
        self._dummy: Optional[str] = None

    # ---- accounts ----------------------------------------------------------------------------------------------
    def _query(self, sql: str, args: tuple = ()) -> list:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def list(self) -> List[Account]:
        return [Account(n, bool(a), g, c) for n, a, g, c in
                self._query("SELECT name, admin, generation, created FROM accounts ORDER BY name")]

    def get(self, name: str) -> Optional[Account]:
        rows = self._query("SELECT name, admin, generation, created FROM accounts WHERE name = ?", (name,))
        return Account(rows[0][0], bool(rows[0][1]), rows[0][2], rows[0][3]) if rows else None

    def count(self) -> int:
        return self._query("SELECT count(*) FROM accounts")[0][0]

    @staticmethod
    def check_name(name: str) -> None:
        if not NAME.match(name or ""):
            raise AccountError(_("'{name}' cannot be an account name: use 1 to 32 letters, digits, Chinese "
                                 "characters, '.', '-' or '_'").format(name=name))

    @staticmethod
    def check_password(password: str) -> None:
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(_("the password is too short: use at least {count} characters").format(
                count=MIN_PASSWORD))

    def add(self, name: str, password: str, admin: Optional[bool] = None) -> Account:
        """Make an account; the first one is an admin unless *admin* says otherwise."""
        self.check_name(name)
        self.check_password(password)
        digest = self.hasher.hash(password)
        with self.lock:
            if admin is None:
                admin = self.db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0
            try:
                self.db.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
                                (name, digest, int(admin), secrets.token_hex(8), time.time()))
            except sqlite3.IntegrityError:
                raise AccountError(_("the account '{name}' already exists").format(name=name)) from None
        return self.get(name)

    def remove(self, name: str) -> None:
        with self.lock:
            if not self.db.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount:
                raise AccountError(_("there is no account '{name}'").format(name=name))

    def passwd(self, name: str, password: str) -> None:
        """Set a new password; sessions logged in with the old one end."""
        self.check_password(password)
        digest = self.hasher.hash(password)
        with self.lock:
            if not self.db.execute("UPDATE accounts SET hash = ?, generation = ? WHERE name = ?",
                                   (digest, secrets.token_hex(8), name)).rowcount:
                raise AccountError(_("there is no account '{name}'").format(name=name))

    def set_admin(self, name: str, admin: bool) -> None:
        with self.lock:
            if not self.db.execute("UPDATE accounts SET admin = ? WHERE name = ?", (int(admin), name)).rowcount:
                raise AccountError(_("there is no account '{name}'").format(name=name))

    def verify(self, name: str, password: str) -> Optional[Account]:
        """The account when *password* is its password, else None (in the same time either way)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        rows = self._query("SELECT hash FROM accounts WHERE name = ?", (name,))
        try:
            if not rows and self._dummy is None:
                # a hash to check against when the name is unknown: a wrong name takes as long as a wrong password
                self._dummy = self.hasher.hash(secrets.token_hex(16))
            self.hasher.verify(rows[0][0] if rows else self._dummy, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return self.get(name) if rows else None

    # ---- access lists ------------------------------------------------------------------------------------------
    def grant(self, package: str, name: str) -> None:
        if self.get(name) is None:
            raise AccountError(_("there is no account '{name}'").format(name=name))
        with self.lock:
            self.db.execute("INSERT OR IGNORE INTO access VALUES (?, ?)", (package, name))

    def revoke(self, package: str, name: str) -> None:
        with self.lock:
            self.db.execute("DELETE FROM access WHERE package = ? AND account = ?", (package, name))

    def access_list(self, package: str) -> List[str]:
        """The accounts named for *package*; empty when it is open to all."""
        return [r[0] for r in self._query("SELECT account FROM access WHERE package = ? ORDER BY account",
                                          (package,))]

    def access_lists(self) -> Dict[str, List[str]]:
        lists: Dict[str, List[str]] = {}
        for package, account in self._query("SELECT package, account FROM access ORDER BY package, account"):
            lists.setdefault(package, []).append(account)
        return lists

    def may_edit(self, account: Optional[Account], package: str) -> bool:
        if account is None:
            return False
        if account.admin:
            return True
        names = self.access_list(package)
        return not names or account.name in names

    # ---- activity log ------------------------------------------------------------------------------------------
    def record(self, account: str, action: str, package: str = "", detail: str = "") -> None:
        with self.lock:
            self.db.execute("INSERT INTO activity (at, account, package, action, detail) VALUES (?, ?, ?, ?, ?)",
                            (time.time(), account, package, action, detail))

    def activity(self, limit: int = 200, packages: Optional[List[str]] = None) -> List[Tuple]:
        """The latest entries, newest first: (at, account, package, action, detail)."""
        rows = self._query("SELECT at, account, package, action, detail FROM activity ORDER BY id DESC LIMIT ?",
                           (limit * 5 if packages is not None else limit,))
        if packages is not None:
            rows = [r for r in rows if r[2] in packages or not r[2]]
        return rows[:limit]

    def close(self) -> None:
        self.db.close()


class Throttle:
    """Slows down guessing: after FREE failed logins within WINDOW seconds, by an account name or from one
    source address, each next try must wait twice as long as the one before (2 s, 4 s, … at most MAX_WAIT).
    A good login clears its account's count (not the address's)."""

    FREE = 5
    WINDOW = 15 * 60
    MAX_WAIT = 15 * 60

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.failures: Dict[Tuple[str, str], List[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: Tuple[str, str], now: float) -> List[float]:
        times = [t for t in self.failures.get(key, []) if now - t < self.WINDOW]
        if times:
            self.failures[key] = times
        else:
            self.failures.pop(key, None)
        return times

    def wait(self, account: str, address: str) -> float:
        """Seconds before another try by *account* from *address* is heard; 0 when it may go ahead."""
        now = self.clock()
        longest = 0.0
        with self.lock:
            for key in (("account", account), ("address", address)):
                times = self._recent(key, now)
                if len(times) >= self.FREE:
                    delay = min(2.0 ** (len(times) - self.FREE + 1), self.MAX_WAIT)
                    longest = max(longest, times[-1] + delay - now)
        return max(0.0, longest)

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self.lock:
            for key in (("account", account), ("address", address)):
                self.failures.setdefault(key, []).append(now)
                if len(self.failures) > 100_000:        # bounded: a flood of names forgets the oldest
                    self.failures.pop(next(iter(self.failures)))

    def succeeded(self, account: str) -> None:
        with self.lock:
            self.failures.pop(("account", account), None)
