"""What the pages do to a package, through the same library the command line uses.

check = :func:`doctools.build.load_package` (the code of ``doctools check``), build = :func:`doctools.build.build`
(``doctools build``), new = :mod:`doctools.commands.new` (``doctools new``), import = :mod:`doctools.readers.docx`
and :func:`doctools.importing.settle` (``doctools import``), audit = :mod:`doctools.audit` (``doctools audit``).
Nothing here knows a rule of the plan; it only moves texts between the page, the folder and those functions.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..errors import Diagnostic, Diagnostics, InputError
from .yamledit import PackageFiles, path_name

NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.\-]{0,63}$")


def valid_name(name: str) -> bool:
    """A package folder name the page accepts: letters, digits, CJK, '-', '_', '.'; no path, no '..'."""
    return bool(NAME.match(name or "")) and ".." not in name


def refusal(workspace: Path, name: str) -> Optional[str]:
    """Why a new plan cannot be made in the folder *name* of *workspace* (None: it can)."""
    from ..i18n import _

    if not valid_name(name):
        return _("the plan's folder name '{name}' cannot be used: use letters, digits, Chinese characters, '-' or "
                 "'_'").format(name=name)
    if (workspace / name).exists():
        return _("a plan named '{name}' already exists; choose another name").format(name=name)
    return None


def packages(workspace: Path) -> List[Path]:
    """The package folders of *workspace*: folders holding at least one .yaml file."""
    if not workspace.is_dir():
        return []
    return sorted(p for p in workspace.iterdir() if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.yaml")))


@dataclass
class Problem:
    """One diagnostic of check, with the form field it is about."""

    diagnostic: Diagnostic
    field: str = ""

    @property
    def severity(self) -> str:
        return self.diagnostic.severity

    @property
    def message(self) -> str:
        d = self.diagnostic
        return f"{d.message}（{d.hint}）" if d.hint else d.message

    @property
    def where(self) -> str:
        pos = self.diagnostic.pos
        return f"{Path(pos.file).name}:{pos.line}" if pos.line else Path(pos.file).name


@dataclass
class CheckResult:
    problems: List[Problem] = field(default_factory=list)

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check_folder(folder: Path, files: Optional[PackageFiles] = None) -> CheckResult:
    """Every problem ``doctools check`` finds in *folder*, each with the field it is about."""
    from ..commands.build import load_package

    diags = Diagnostics()
    try:
        load_package(folder, diags)
    except InputError:
        pass
    files = files if files is not None else PackageFiles.read(folder)
    result = CheckResult()
    for d in diags.sorted():
        path = files.field_at(d.pos.file, d.pos.line, d.pos.col)
        result.problems.append(Problem(d, path_name(path) if path else ""))
    return result


def check_texts(folder: Path, files: PackageFiles) -> CheckResult:
    """The problems of the package in *folder* as it would be with *files*' texts: checked in a copy."""
    changed = files.changed()
    if not changed:
        return check_folder(folder, files)
    with tempfile.TemporaryDirectory(prefix="doctools-check-") as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy, symlinks=True, ignore=shutil.ignore_patterns(".*"))
        write_files(copy, changed)
        return check_folder(copy, files)


def write_files(folder: Path, files: Dict[str, str]) -> None:
    """Write each file (name -> text) into *folder* at once, as the command line writes (doctools.safeio.atomic:
    staged beside it, then renamed into place), keeping each file's permission bits."""
    from ..safeio.atomic import commit_files

    for name in files:
        if Path(name).name != name or not name.endswith(".yaml"):
            raise ValueError(name)
    existing = [(folder / name).stat().st_mode & 0o777 for name in files if (folder / name).is_file()]
    commit_files([(folder / name, text.encode("utf-8")) for name, text in files.items()],
                 mode=existing[0] if existing else None)


def last_edited(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.glob("*.yaml")), default=0.0)


def plan_docx(output_folder: Path, title: str) -> Optional[Path]:
    """The plan .docx a build wrote into *output_folder*."""
    from ..commands.build import safe_filename

    candidate = output_folder / f"{safe_filename(title)}.docx"
    if candidate.is_file():
        return candidate
    docs = sorted(output_folder.glob("*.docx"), key=lambda p: p.stat().st_size, reverse=True)
    return docs[0] if docs else None


def outputs(output_folder: Path) -> List[Path]:
    """Every file a build left in *output_folder*, the plan first."""
    if not output_folder.is_dir():
        return []
    files = [p for p in output_folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.parent != output_folder, p.suffix != ".docx", str(p)))


def deadline_reading(text: str, day=None) -> Tuple[str, str]:
    """(how doctools reads *text* as a deadline, error message): 2024年6月底前 -> 2024-06-30, by the parser
    ``check`` uses; a deadline without its year takes it from *day* (the plan's date)."""
    from ..model.deadline import DeadlineError, YearContext, parse_deadline

    if not text.strip():
        return "", ""
    try:
        d = parse_deadline(text, YearContext(day) if day else None)
    except DeadlineError as exc:
        return "", str(exc)
    if d.end is None:
        return d.official(), ""
    if d.start and d.start != d.end:
        return f"{d.start.isoformat()} – {d.end.isoformat()}", ""
    return d.end.isoformat(), ""
