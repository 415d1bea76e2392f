"""Build: read packages, run the writers, put the files in place safely.

Every input is read and checked before anything is written; every output is
made in memory, staged as a temporary file in its destination folder, and only
when all of them are staged renamed into place.  A build that stops on bad
input or fails half-way leaves the output folder exactly as it was.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from .errors import Diagnostics, InputError, Pos
from .model import Package
from .readers.package import read_package

DEFAULT_TEMPLATE = Path("templates") / "docx" / "plan.docx"
DEFAULT_XLSX_TEMPLATE = Path("templates") / "xlsx" / "tables.xlsx"
TASK_WORKBOOK = "任务分工表.xlsx"
SCHEDULE_WORKBOOK = "进度安排.xlsx"
UNIT_LISTS = "各单位任务清单"
_FORBIDDEN = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, fallback: str = "document") -> str:
    """A file name from user text: no path separators, no '..', nothing Windows forbids."""
    name = _FORBIDDEN.sub("", name.replace("\n", "")).strip().strip(".")
    if name.upper() in _RESERVED:
        name = "_" + name
    return name[:120] or fallback


@dataclass
class PackageOutput:
    package: Package
    folder: Path
    files: Dict[str, bytes] = field(default_factory=dict)  # file name -> content


def find_template(explicit: Optional[Path], default: Path = DEFAULT_TEMPLATE) -> Optional[Path]:
    """The template to use: the one named, else the project's, else the built-in one (None)."""
    if explicit is not None:
        return explicit
    candidate = Path.cwd() / default
    return candidate if candidate.is_file() else None


def read_all(folders: Sequence[Path], diags: Diagnostics, fixes: Optional[list] = None) -> List[Package]:
    """Read every package, collecting every problem; raise InputError at the end."""
    packages: List[Package] = []
    for folder in folders:
        try:
            package = read_package(Path(folder), diags=diags, fixes=fixes)
        except InputError:
            continue
        if any(p.name == package.name for p in packages):
            diags.error(Pos(str(folder)), f"two packages are named '{package.name}'; their outputs would overwrite each other")
        packages.append(package)
    diags.raise_if_errors()
    return packages


def render(package: Package, out_root: Path, template: Optional[Path]) -> PackageOutput:
    """Every file of one package, in memory: the plan, its workbooks, the unit lists."""
    from datetime import datetime

    from .writers.docx_plan import write_plan
    from .writers.docx_table_pages import write_table_pages
    from .writers.xlsx_tables import write_workbook

    output = PackageOutput(package, out_root / safe_filename(package.name))
    title = safe_filename(package.document.title, package.name)
    output.files[f"{title}.docx"] = write_plan(package, template)
    doc = package.document
    day = doc.date or (doc.imprint.date if doc.imprint and doc.imprint.date else None)
    stamp = datetime.combine(day, datetime.min.time()) if day else datetime(2000, 1, 1)
    xlsx_template = find_template(None, DEFAULT_XLSX_TEMPLATE)
    if package.tables:
        name = TASK_WORKBOOK if package.tasks else SCHEDULE_WORKBOOK
        output.files[name] = write_workbook(package.tables, stamp, doc.office or "", xlsx_template)
        if package.tables_docx:
            output.files[name[:-5] + ".docx"] = write_table_pages(package, package.tables, template)
    if package.unit_tables:
        output.files[f"{UNIT_LISTS}.xlsx"] = write_workbook(package.unit_tables, stamp, doc.office or "", xlsx_template)
        if package.unit_lists_docx:
            output.files[f"{UNIT_LISTS}.docx"] = write_table_pages(package, package.unit_tables, template)
    return output


def add_pdfs(outputs: List[PackageOutput]) -> None:
    from .pdf import convert

    documents = {}
    for out in outputs:
        for name, data in out.files.items():
            if name.endswith(".docx"):
                documents[f"{out.folder}/{name}"] = data
    pdfs = convert(documents)
    for out in outputs:
        for name in list(out.files):
            key = f"{out.folder}/{name}"
            if key in pdfs:
                out.files[name[:-5] + ".pdf"] = pdfs[key]


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def commit(outputs: List[PackageOutput]) -> List[Path]:
    """Stage every file next to its destination, then rename all into place."""
    staged = []
    mode = _file_mode()
    try:
        for out in outputs:
            out.folder.mkdir(parents=True, exist_ok=True)
            for name, data in sorted(out.files.items()):
                target = out.folder / name
                if target.resolve().parent != out.folder.resolve():
                    raise ValueError(f"refusing to write outside {out.folder}: {name}")
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out.folder)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, mode)
                staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def build(folders: Sequence[Path], out_root: Path, pdf: bool = False, template: Optional[Path] = None,
          diags: Optional[Diagnostics] = None, progress: Callable[[str], None] = lambda s: None) -> List[Path]:
    """Build the packages in *folders* into *out_root*; return the files written."""
    diags = diags if diags is not None else Diagnostics()
    packages = read_all(folders, diags)
    template = find_template(template)
    outputs = []
    for package in packages:
        progress(f"{package.name}: writing")
        outputs.append(render(package, out_root, template))
    if pdf:
        progress("converting to PDF with LibreOffice")
        add_pdfs(outputs)
    return commit(outputs)
