"""The report of a failure of doctools itself, written where only this user can read it (the command line and
the workbench both use it)."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .i18n import _


def _private_folder() -> Path:
    """This user's own folder for reports, ``$TMPDIR/doctools-<uid>``: made with
    mode 0700, and used only when it is a real folder (not a link) that this
    user owns and nobody else can write to."""
    folder = Path(tempfile.gettempdir()) / f"doctools-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(_("{folder} is not a private folder of this user").format(folder=folder))
    return folder


def write_error_log(report: str) -> str:
    """Write the report safely; return where it went (or why it could not be written).

    The log never follows a link: it is opened with O_NOFOLLOW in the private
    folder, and when that fails (a link or a folder placed at its name, a folder
    that is not ours) a new file with a unique name is made instead."""
    data = report.encode("utf-8")
    try:
        path = _private_folder() / "doctools-error.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError:
        try:
            fd, name = tempfile.mkstemp(prefix="doctools-error-", suffix=".log")
            path = Path(name)
        except OSError as exc:
            return _("no report written: {reason}").format(reason=exc.strerror)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return str(path)
