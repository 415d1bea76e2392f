"""Whether a server's configuration can work, told before it starts (``doctools serve --check-config``).

Each problem is one line in the user's language; *errors* stop the server, *warnings* do not.  The same checks
run when ``doctools serve`` starts, so a server that would refuse says why at once instead of failing later.
"""
from __future__ import annotations

import ipaddress
import sqlite3
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from ..i18n import _


def loopback(host: str) -> bool:
    """Whether *host* lets only this computer in: 127.0.0.0/8, ::1 or "localhost"."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Report:
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _writable(folder: Path) -> bool:
    probe = folder / f".doctools-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def check(workspace: Path, host: str, port: int, state: Optional[Path] = None, out_root: Optional[Path] = None,
          shared: bool = False, probe_port: bool = True) -> Report:
    """What is wrong with serving *workspace* on *host*:*port* (see the module's docstring); *shared*: reached
    by others through a proxy even on a loopback address."""
    from .state import STATE_NAME, valid_package_id

    report = Report()
    workspace = Path(workspace)
    if not workspace.is_dir():
        report.errors.append(_("{folder} is not a folder of plans").format(folder=workspace))
        return report
    if not _writable(workspace):
        report.errors.append(_("the workspace {folder} cannot be written by this user; saves would fail").format(
            folder=workspace))
    plans = [p for p in workspace.iterdir() if p.is_dir() and valid_package_id(p.name)]
    report.notes.append(_("workspace {folder}: {count} plans").format(folder=workspace.resolve(), count=len(plans)))
    folder = Path(state) if state else workspace / STATE_NAME
    accounts = 0
    if folder.exists() and not folder.is_dir():
        report.errors.append(_("the state folder {folder} is not a folder").format(folder=folder))
    elif folder.exists():
        if not _writable(folder):
            report.errors.append(_("the state folder {folder} cannot be written by this user").format(folder=folder))
        if folder.stat().st_mode & 0o077:
            report.warnings.append(_("the state folder {folder} can be read by other users; it holds password "
                                     "hashes (chmod 700 it)").format(folder=folder))
        if (folder / "accounts.sqlite3").exists():
            from .accounts import Accounts

            try:
                accounts = Accounts(folder).count()
            except sqlite3.Error as exc:      # a broken file is a problem to tell, not a crash
                report.errors.append(_("the accounts file in {folder} cannot be read: {reason}").format(
                    folder=folder, reason=exc))
    else:
        parent = folder.parent
        if not parent.is_dir() or not _writable(parent):
            report.errors.append(_("the state folder {folder} cannot be made").format(folder=folder))
    report.notes.append(_("state folder {folder}: {count} accounts").format(folder=folder.resolve(), count=accounts))
    if (shared or not loopback(host)) and accounts == 0:
        report.errors.append(_("--host {host} lets other computers in, but there is no account yet: add one with "
                               "'doctools users add NAME' first").format(host=host))
    if not loopback(host) and not shared:
        report.warnings.append(_("the pages go over plain HTTP; across a network put an HTTPS reverse proxy in "
                                 "front (README: 在单位内网部署)"))
    if out_root is not None:
        out = Path(out_root)
        target = out if out.exists() else out.parent
        if not target.is_dir() or not _writable(target):
            report.errors.append(_("the outputs folder {folder} cannot be written by this user").format(folder=out))
    from ..convert.libreoffice import soffice

    if soffice() is None:
        report.warnings.append(_("LibreOffice is not installed: the pages work but show no preview"))
    if probe_port and not report.errors:       # bind only a configuration that could start
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            with socket.socket(family, socket.SOCK_STREAM) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((host.strip("[]"), port))
        except OSError as exc:
            report.errors.append(_("cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc.strerror or exc))
    return report
