"""requirements.lock read back: which version of each package was tested (see install.sh --relock)."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked() -> dict[str, list[tuple[Version, Marker | None]]]:
    """name -> [(version, marker)] (a universal lock may pin one package twice, for different Pythons)."""
    pins: dict[str, list[tuple[Version, Marker | None]]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            name, version, marker = m.groups()
            pins.setdefault(canonicalize_name(name), []).append(
                (Version(version), Marker(marker) if marker else None))
    return pins


def locked_version(name: str) -> Version | None:
    """The version the lock installs here (its marker holds for this Python), or None."""
    for version, marker in locked().get(canonicalize_name(name), []):
        if marker is None or marker.evaluate():
            return version
    return None


def declared() -> dict[str, list[Requirement]]:
    """setup.cfg's requirements: install_requires and each extra."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = {"install_requires": cfg["options"]["install_requires"]}
    lines.update(cfg["options.extras_require"])
    return {group: [Requirement(r) for r in text.splitlines() if r.strip() and not r.strip().startswith("#")]
            for group, text in lines.items()}
