"""What the user gets is clean (issue 24): no produced file holds an invisible character, in its text, its XML
parts or its name.

A workbook cell that shows 各县（市、区）政府 must hold exactly that: a clerk filters the 责任单位 column, searches,
uses VLOOKUP or copies the cell into another system, and an invisible U+FEFF makes it another string.  The scan
covers every file of every example build and of the test packages: .docx and .xlsx (every part of the zip), .svg,
.json, and every file and folder name (a chart's .png/.pdf are named after its title).
"""
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from doctools.cli import main

INVISIBLE = {"\ufeff": "U+FEFF", "\u200b": "U+200B", "\u2060": "U+2060", "\u00ad": "U+00AD"}
PACKAGES = sorted(p for p in (ROOT / "inputs").iterdir() if p.is_dir()) + \
    sorted(p for p in (ROOT / "tests" / "packages").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every example and test package built, as a user builds them (the docx versions of the tables too where a
    package asks for them)."""
    out = tmp_path_factory.mktemp("clean") / "out"
    result = CliRunner().invoke(main, ["build", "--out", str(out), *map(str, PACKAGES)])
    assert result.exit_code == 0, result.output
    return out


def texts(path: Path):
    """(where, text) of every textual piece of a produced file."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    yield f"{path.name}!{name}", z.read(name).decode("utf-8")
    elif path.suffix in (".svg", ".json", ".dot", ".txt", ".csv", ".yaml"):
        yield path.name, path.read_text(encoding="utf-8")


def test_no_produced_file_holds_an_invisible_character(outputs):
    files = sorted(p for p in outputs.rglob("*"))
    kinds = {p.suffix for p in files if p.is_file()}
    assert {".docx", ".xlsx", ".svg", ".png", ".json"} <= kinds          # the scan reached every kind of output
    found = []
    for path in files:
        for char, code in INVISIBLE.items():
            if char in path.name:
                found.append((str(path.relative_to(outputs)), code, "in its name"))
        if path.is_file():
            for where, text in texts(path):
                for char, code in INVISIBLE.items():
                    if char in text:
                        found.append((f"{path.parent.name}/{where}", code, text.count(char)))
    assert found == []


def test_a_workbook_cell_holds_exactly_the_text_it_shows(outputs):
    """The 责任单位 cell of sanmenxia's task table is the registered unit list, so a filter, a search or VLOOKUP
    for 各县（市、区）政府 finds it."""
    import openpyxl

    ws = openpyxl.load_workbook(outputs / "sanmenxia" / "任务分工表.xlsx")["任务分工表"]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "各县（市、区）政府" in "\n".join(cells)
    assert any(c.startswith("各县（市、区）政府") or "，各县（市、区）政府" in c for c in cells)
