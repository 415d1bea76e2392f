"""The plan and its tables never drift apart without a word (issue 24): a row added to the task workbook is
printed in the body where its group says, or check says where it is and what to write; a task both the YAML
and the workbook changed since the last build is named with both values and which one wins."""
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from docx import Document
from helpers import copy_package

from doctools.cli import main


def run(*args):
    result = CliRunner().invoke(main, ["--lang", "en", *map(str, args)])
    return result.exit_code, result.output


def plan_paragraphs(folder):
    path = next(p for p in folder.glob("*.docx") if not p.name.startswith(("任务分工表", "各单位任务清单")))
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def with_workbook(tmp_path, name, spec_old, spec_new):
    """The example *name* built once, its 任务分工表.xlsx copied into a copy of the package and named as the
    tasks' source."""
    code, output = run("build", ROOT / "inputs" / name, "--out", tmp_path / "first")
    assert code == 0, output
    package = copy_package(ROOT / "inputs" / name, tmp_path / name, {"document.yaml": (spec_old, spec_new)})
    shutil.copy(tmp_path / "first" / name / "任务分工表.xlsx", package / "任务分工表.xlsx")
    return package


def add_row(path, cells):
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工表"]
    ws.append(cells)
    wb.save(path)


NEW = "建立信用修复机制，明确修复条件和程序。"


def test_a_row_added_under_a_group_is_printed_in_the_body_after_that_groups_last_task(tmp_path):
    package = with_workbook(tmp_path, "dean", "    group: section\n", "    group: section\n    source: 任务分工表.xlsx\n")
    add_row(package / "任务分工表.xlsx", [None, NEW, "县发改委", None])
    code, output = run("build", package, "--out", tmp_path / "out")
    assert code == 0, output
    texts = plan_paragraphs(tmp_path / "out" / "dean")
    at = next(i for i, t in enumerate(texts) if NEW in t)
    assert texts[at] == f"6.{NEW}（县发改委负责）"                 # numbered on, with its duty wording
    assert texts[at - 1].startswith("5.加快信用信息标准体系建设")   # after the last task of its group
    assert [t for t in texts[:at] if t.startswith("一、")] == ["一、信用法规制度和标准规范"]


def test_a_row_added_to_a_table_without_groups_is_named_with_what_to_write(tmp_path):
    package = with_workbook(tmp_path, "kazuo", "style:\n", "tables:\n  tasks: {source: 任务分工表.xlsx}\nstyle:\n")
    wb = openpyxl.load_workbook(package / "任务分工表.xlsx")
    rows = wb["任务分工表"].max_row
    add_row(package / "任务分工表.xlsx", [None, NEW, "县民政局", None])
    code, output = run("check", package)
    assert code == 0, output
    row = rows + 1
    assert (f"任务分工表.xlsx[任务分工表]:{row}:1: warning: row {row} is a new task, printed in the task table but not in "
            f"the body: no section of the body is its group (to print it in the body, type an id such as t{row} in "
            f"its 编号 cell and add '- task: t{row}' to body.yaml where it belongs)") in output


def change(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_cell(path, task_id, column, value):
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分工表"]
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[header.index("编号")].value == task_id)
    row[header.index(column)].value = value
    wb.save(path)


@pytest.fixture
def jixian_with_workbook(tmp_path):
    """jixian with its task table as the tasks' source, built once so the manifest records both sides."""
    package = with_workbook(tmp_path, "jixian", "  tasks:\n", "  tasks:\n    source: 任务分工表.xlsx\n")
    code, output = run("build", package, "--out", tmp_path / "out")
    assert code == 0, output
    return package


def deadline_task(package):
    import yaml
    tasks = yaml.safe_load((package / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    return next(t for t in tasks if t.get("deadline"))


def test_a_yaml_edit_the_workbook_hides_is_named_with_both_values(jixian_with_workbook, tmp_path):
    """Once tables.tasks.source names a workbook, a 完成时限 changed in tasks.yaml still printed the old one, with
    0 warnings."""
    package = jixian_with_workbook
    task = deadline_task(package)
    change(package / "tasks.yaml", f"deadline: {task['deadline']}", "deadline: 2019年5月底前")
    code, output = run("check", package, "--out", tmp_path / "out")
    assert (f"task '{task['id']}': its 完成时限 was changed in tasks.yaml to '2019年5月底前' since the last build, but "
            f"任务分工表.xlsx still says '{task['deadline']}', and that is printed") in output, output


def test_both_sides_changed_names_both_values_and_which_wins(jixian_with_workbook, tmp_path):
    package = jixian_with_workbook
    task = deadline_task(package)
    change(package / "tasks.yaml", f"deadline: {task['deadline']}", "deadline: 2019年5月底前")
    set_cell(package / "任务分工表.xlsx", task["id"], "完成时限", "2019年7月底前")
    code, output = run("check", package, "--out", tmp_path / "out")
    assert (f"task '{task['id']}': its 完成时限 was changed both in tasks.yaml (to '2019年5月底前') and in 任务分工表.xlsx "
            f"(to '2019年7月底前') since the last build; the workbook's '2019年7月底前' is printed") in output, output
    code, output = run("build", package, "--out", tmp_path / "out")
    assert code == 0 and "2019年7月底前" in "".join(plan_paragraphs(tmp_path / "out" / "jixian"))
    code, output = run("check", package, "--out", tmp_path / "out")        # said once: the build recorded both
    assert "since the last build" not in output
