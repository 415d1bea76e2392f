"""Data that ships with doctools, found through the installed package.

``templates/`` and ``flows/`` are installed as the packages
``doctools.templates`` and ``doctools.flows`` (``package_dir`` in setup.cfg),
so they are found the same way from a source checkout, an editable install
and a wheel — never through the working directory.  The wording defaults and
the table layout live there as YAML, not in the code.
"""
from __future__ import annotations

import functools
import os
import stat
import tempfile
from importlib import resources
from pathlib import Path
from typing import Dict, List, Tuple

import yaml


def data_path(package: str, *parts: str) -> Path:
    """A file or folder of ``doctools.templates`` or ``doctools.flows`` on disk."""
    return Path(str(resources.files(package).joinpath(*parts)))


def private_folder() -> Path:
    """This user's own folder for caches, scratch files and reports, ``$TMPDIR/doctools-<uid>``: made with mode
    0700, and used only when it is a real folder (not a link) that this user owns and nobody else can write to
    (else PermissionError: another user may have made it to plant files in it)."""
    from .i18n import _

    folder = Path(tempfile.gettempdir()) / f"doctools-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(_("{folder} is not a private folder of this user").format(folder=folder))
    return folder


def templates(*parts: str) -> Path:
    return data_path("doctools.templates", *parts)


def flows_folder() -> Path:
    """The standard disclosure flows (``flows/``)."""
    return data_path("doctools.flows")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    return yaml.load(templates(name).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_TABLES = _load("tables.yaml")
_WORDING = _load("wording.yaml")

COLUMN_FIELDS: Dict[str, str] = dict(_TABLES["columns"])          # printed column name -> field
WEIGHTS: Dict[str, float] = dict(_TABLES["weights"])              # field -> relative width
CENTRED: List[str] = list(_TABLES["centred"])                     # fields printed centred
TICKS: List[str] = list(_TABLES["ticks"])                         # fields of √ / ■ marks
ROLE_WORDS: Dict[str, str] = dict(_TABLES["roles"])
LAYOUTS: Dict[str, dict] = dict(_TABLES["layouts"])                # the fixed tables' columns
DEFAULT_DUTY_FORMATS: Dict[str, Tuple[str, str]] = {
    name: (spec["template"], spec["place"]) for name, spec in _WORDING["duty_formats"].items()}
DEFAULT_NOTICE: str = _WORDING["notice"]
