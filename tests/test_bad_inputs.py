"""Each broken package in tests/bad_inputs gets exactly its expected messages,
and a build of it exits 2 without touching what the output folder held."""
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from doctools.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())


def test_there_are_at_least_90_cases():
    assert len(CASES) >= 90


def messages(output: str):
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_prints_exactly_the_expected_messages(case, monkeypatch):
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert messages(result.output) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_build_exits_2_and_leaves_outputs_untouched(case, tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / case.name).mkdir(parents=True)
    earlier = out / case.name / "某县政务公开实施方案.docx"
    earlier.write_bytes(b"the previous build's document")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["build", ".", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "nothing was written" in result.output
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()} == before


# ---- problems that are warnings: the package builds, and the user is told -----------------------------------------

BASE = (Path(__file__).parent / "bad_inputs" / "78-workbook-formula-without-value" / "package.yaml").read_text(encoding="utf-8")
HEADER = ["序号", "工作任务", "责任单位", "完成时限", "编号"]
ROWS = [[1, "编制政务公开事项标准目录。", "县扶贫开发局", "2021年6月底前", "t1"], [2, "建立动态调整机制。", "县民政局", "2021年9月", "t2"]]


def workbook_package(tmp_path, make):
    import openpyxl
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "package.yaml").write_text(BASE, encoding="utf-8")
    wb = openpyxl.Workbook()
    make(wb)
    wb.save(folder / "任务分工表.xlsx")
    return folder


def check(folder, monkeypatch):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(main, ["check", "."])


def test_a_hidden_sheet_before_the_visible_one_is_reported_not_read(tmp_path, monkeypatch):
    def make(wb):
        old = wb.active
        old.title = "旧表"
        for row in [HEADER, [1, "旧的任务。", "县民政局", "2020年1月", "t1"]]:
            old.append(row)
        old.sheet_state = "hidden"
        new = wb.create_sheet("任务分工表")
        for row in [HEADER, *ROWS]:
            new.append(row)

    result = check(workbook_package(tmp_path, make), monkeypatch)
    assert result.exit_code == 0, result.output
    assert messages(result.output) == ["任务分工表.xlsx[旧表]: warning: sheet '旧表' is hidden and is not read; the tasks come "
                                       "from the visible sheet '任务分工表' (delete the hidden sheet if it is old)"]


def test_a_row_added_with_merged_cells_and_no_id_is_read_and_reported(tmp_path, monkeypatch):
    from doctools.commands.build import load_package as read_package

    def make(wb):
        ws = wb.active
        ws.title = "任务分工表"
        for row in [HEADER, *ROWS, [3, "新增的任务。", None, None, None]]:
            ws.append(row)
        ws.merge_cells("C3:C4")          # the new row shares 责任单位 and 完成时限 with the one above
        ws.merge_cells("D3:D4")

    folder = workbook_package(tmp_path, make)
    result = check(folder, monkeypatch)
    assert result.exit_code == 0, result.output
    assert messages(result.output) == ["任务分工表.xlsx[任务分工表]:4:1: warning: row 4 has no 编号 and merged cells; it is read "
                                       "as a new task, with each merged cell's text (check its units and deadline)"]
    task = read_package(folder).tasks[-1]
    assert task.text == "新增的任务。" and [u.name for u in task.responsible] == ["县民政局"]
    assert task.deadline is not None


def test_an_empty_responsible_is_warned(tmp_path, monkeypatch):
    folder = tmp_path / "pkg"
    folder.mkdir()
    text = (Path(__file__).parent / "bad_inputs" / "63-no-body" / "package.yaml").read_text(encoding="utf-8")
    text = text.replace("responsible: [县民政局]", "responsible: ").replace(
        "attachments:", "body:\n  - title: 主要任务\n    text: [{task: t1}, {task: t2}]\nattachments:")
    (folder / "package.yaml").write_text(text, encoding="utf-8")
    result = check(folder, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "package.yaml:15:5: warning: task 't2' has no responsible to print, so its duty wording '（责任单位：）' is left " \
           "with nothing after it (name its units or its deadline)" in messages(result.output)


def test_the_readme_states_every_limit_as_it_is():
    """The README's limits table names each constant of doctools/limits.py with its value."""
    import re

    from doctools import limits
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    stated = {name: int(value.replace(",", "")) for value, name in
              re.findall(r"^\| [^|]+ \| ([\d,]+)[^|]*\| `(MAX_\w+)` \|$", readme, re.M)}
    constants = {name: value for name, value in vars(limits).items() if name.startswith("MAX_")}
    assert stated == constants


def test_a_hidden_catalog_sheet_is_reported_not_read(tmp_path):
    import openpyxl
    from test_catalog import national_workbook, read

    path = national_workbook(tmp_path / "目录.xlsx")
    wb = openpyxl.load_workbook(path)
    hidden = wb.copy_worksheet(wb.worksheets[0])
    hidden.title = "旧目录"
    hidden.sheet_state = "hidden"
    wb.save(path)
    items, diags = read(path)
    assert len(items) == 3                                     # the visible sheet's rows only
    assert [str(d) for d in diags.items] == ["目录.xlsx[旧目录]: warning: sheet '旧目录' is hidden and is not read "
                                             "(make it visible in Excel or WPS if its rows belong to the catalog)"]


def test_a_folder_that_does_not_exist_is_a_bad_input_not_a_crash(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nosuch")])
    assert result.exit_code == 2, result.output
    assert messages(result.output) == [f"{tmp_path / 'nosuch'}: error: not a package folder (no such directory)"]
