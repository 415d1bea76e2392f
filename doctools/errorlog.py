"""The report of a failure of doctools itself, written where only this user can read it (the command line and
the workbench both use it)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .i18n import _
from .resources import private_folder


def write_error_log(report: str) -> str:
    """Write the report safely; return where it went (or why it could not be written).

    The log never follows a link: it is opened with O_NOFOLLOW in the private
    folder, and when that fails (a link or a folder placed at its name, a folder
    that is not ours) a new file with a unique name is made instead."""
    data = report.encode("utf-8")
    try:
        path = private_folder() / "doctools-error.log"
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
