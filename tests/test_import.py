"""doctools import: a Word plan read back into a package that builds again.

Round trip: every example package is built, its plan .docx imported, and the
imported package built again; the plan's paragraphs, the tasks (text, units,
deadline) and the rows of 任务分工表.xlsx must come out the same.  Then .docx
files typed the way people type them (tests/import/): each must build with at
least 95 % of its sentences and every task found.  And the one-line messages
for files that are not a .docx.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import ROOT
from openpyxl import load_workbook

from doctools.cli import main
from doctools.readers.package import read_package

PACKAGES = sorted(p for p in (ROOT / "inputs").iterdir() if p.is_dir()) + \
    sorted(p for p in (ROOT / "tests" / "packages").iterdir() if p.is_dir())
IMPORT = ROOT / "tests" / "import"
PLACEHOLDER = re.compile(r"^〔图片：.*〕$")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def plan_of(folder: Path) -> Path:
    docs = [p for p in folder.glob("*.docx") if not p.name.startswith(("任务分工表", "各单位任务清单"))]
    assert len(docs) == 1, docs
    return docs[0]


def paragraphs(path: Path):
    """The plan's non-empty paragraphs outside tables, as a reader sees them (pictures' placeholders aside)."""
    document = docx.Document(str(path))
    texts = [p.text.replace("\u3000", "").strip() for p in document.paragraphs]
    return [t for t in texts if t and not PLACEHOLDER.match(t)]


def tasks_of(folder: Path):
    package = read_package(folder)
    sep = package.style.range_sep
    # a 牵头单位 line cannot tell a lead from a task's only responsible unit: compare what is printed
    return sorted((t.text, tuple(u.name for u in t.lead or t.responsible), tuple(u.name for u in t.support),
                   t.deadline.official(sep) if t.deadline else None)
                  for t in package.tasks)


def task_rows(out: Path):
    path = out / "任务分工表.xlsx"
    if not path.exists():
        return []
    rows = list(load_workbook(path)["任务分工表"].iter_rows(values_only=True))
    hidden = next((i for row in rows for i, c in enumerate(row) if c == "编号"), None)   # task ids, not printed
    return [[c for i, c in enumerate(row) if c is not None and i != hidden] for row in rows]


# plans that print no units in their text: the task workbook built beside them says who does what
NEEDS_WORKBOOK = {"kangbashi", "shaanxi"}


def round_trip(tmp_path: Path, package: Path):
    first = tmp_path / "first"
    code, text = run("build", package, "--out", first)
    assert code == 0, text
    imported = tmp_path / "imported" / package.name
    extra = ["--tasks", first / package.name / "任务分工表.xlsx"] if package.name in NEEDS_WORKBOOK else []
    code, text = run("import", plan_of(first / package.name), "--out", imported, *extra)
    assert code == 0, text
    second = tmp_path / "second"
    code, built = run("build", imported, "--out", second)
    assert code == 0, built + text
    return first / package.name, imported, second / package.name, text


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_round_trip_gives_the_same_plan_tasks_and_task_table(tmp_path, package):
    first, imported, second, summary = round_trip(tmp_path, package)
    assert paragraphs(plan_of(second)) == paragraphs(plan_of(first))
    assert tasks_of(imported) == tasks_of(package), summary
    assert task_rows(second) == task_rows(first)
