"""Plans as their authors write them (issue 14, the text side): read from the produced files.

``tests/packages/written`` uses each feature once; the three packages in ``inputs/`` taken from published plans
(德安县, 威海市, 宿迁市) use them where their text needs them (tests/test_seed_fidelity.py).
"""
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import body_texts

from doctools.cli import main

WRITTEN = ROOT / "tests" / "packages" / "written"
PLAN = "某市数字政府建设2023年工作要点.docx"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def build(package, out):
    code, output = run("build", package, "--out", out)
    assert code == 0, output
    return out / package.name


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(WRITTEN, tmp_path_factory.mktemp("written"))


def texts(folder, name=PLAN):
    return [t for t in body_texts((folder / name).read_bytes()) if t.strip()]


def rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


def task_row(folder, task_id):
    return next(r for r in rows(folder / "任务分工表.xlsx", "任务分工表") if r[-1] == task_id)


def copy(tmp_path, change=None):
    folder = tmp_path / "written"
    shutil.copytree(WRITTEN, folder)
    if change:
        for name, (old, new) in change.items():
            path = folder / name
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


# ---- deadlines -------------------------------------------------------------------------------------------------

def test_deadlines_print_as_written_in_the_text_and_with_their_year_in_the_tables(built):
    body = texts(built)
    assert "深化“一次办好”改革，年底前基本实现群众企业在线办事“进一个网、办全市事”。（牵头单位：市行政审批服务局；完成时限：年底前）" in body
    assert "统筹安排数字政府建设资金。（牵头单位：市财政局；完成时限：长期坚持）" in body
    assert task_row(built, "wangban")[-2] == "2023年底前"            # the plan's year (document.date 2023年8月19日)
    assert task_row(built, "zhangshang")[-2] == "2024年4月底前"      # 2023年4月 is before the plan's date
    assert task_row(built, "baozhang")[-2] == "长期坚持"             # not 持续推进
    unit = rows(built / "各单位任务清单.xlsx", "市行政审批服务局")
    assert unit[2][-2] == "2023年底前"


def test_canonical_deadlines_when_the_package_asks(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  deadlines: canonical\n")})
    out = build(folder, tmp_path / "out")
    body = texts(out)
    assert any(t.endswith("（牵头单位：市行政审批服务局；完成时限：2023年底前）") for t in body)
    assert any(t.endswith("（牵头单位：市财政局；完成时限：持续推进）") for t in body)


def test_a_year_less_deadline_that_could_mean_two_years_is_a_warning_naming_the_year():
    code, output = run("check", WRITTEN)
    assert code == 0
    assert ("tasks.yaml:11:15: warning: task 'zhangshang': the deadline '4月底前' has no year, and more than one year "
            "could be meant; it is read as 2024年4月底前, from the plan's date 2023年8月19日 "
            "(write the year if another one is meant)") in output


def test_deadlines_style_is_checked(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  deadlines: canonnical\n")})
    code, output = run("check", folder)
    assert code == 2
    assert "field 'deadlines' of style must be one of written, canonical, not 'canonnical' (did you mean 'canonical'?)" in output
