"""The workbench as the office's server: the pages of :mod:`.app` wrapped by accounts, sessions and CSRF
(:mod:`.security`), the history settled after a crash (:meth:`.store.History.reconcile`), and preview builds
coalesced (:mod:`.builds`).  ``doctools serve`` runs what :func:`secured_app` makes.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import List, Optional, Tuple

log = logging.getLogger("doctools.workbench")


def secured_app(workspace: Path, out_root: Optional[Path] = None, lang: Optional[str] = None,
                state: Optional[Path] = None, https: bool = False, builds: int = 2,
                preview: bool = True) -> Tuple[object, List[str]]:
    """The app, and what starting it found and settled (one line each, for the server's log)."""
    from .accounts import Accounts
    from .app import create_app
    from .builds import Builds
    from .security import Security, secret_key, secure
    from .state import state_folder, valid_package_id

    folder = state_folder(Path(workspace), state)
    app = create_app(Path(workspace), out_root=out_root, lang=lang, preview=preview, state=folder)
    wb = app.state.wb
    settled = [settled_message(*item) for item in wb.history.reconcile()]
    for package in sorted(p.name for p in Path(workspace).iterdir() if p.is_dir() and valid_package_id(p.name)):
        wb.history.current(package)         # what changed on disk while the server was down is a version too
    wb.builds = Builds(wb.build, parallel=builds)
    security = Security(Accounts(folder), secret_key(folder), https=https, log=folder / "errors.log",
                        package_path=re.compile(r"^/p/([^/?]+)"))
    secure(app, security, handlers=False)
    return app, settled


def settled_message(package: str, number: int, what: str) -> str:
    from ..i18n import _

    if what == "finished":
        return _("{package}: a save cut short when the server stopped (version {number}) was finished").format(
            package=package, number=number)
    return _("{package}: a save cut short when the server stopped (version {number}) was not kept: the files had "
             "been changed on disk since; they are kept as they are").format(package=package, number=number)
