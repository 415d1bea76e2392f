"""The summary lines of build and check, word for word, under a Chinese and under the C locale.

Diagnostics have their expected output in tests/bad_inputs; these are the lines around them: what was written,
how many errors and warnings, what --fix changed.  English counts its nouns ("1 error", "2 errors"); Chinese
uses a measure word and has one form.
"""
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from doctools.commands.build import BuildReport
from doctools.cli import main

ZH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
C = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
UNIT_NOT_IN_REGISTRY = ROOT / "tests" / "bad_inputs" / "08-unit-not-in-registry"


def run(env, *args):
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], prog_name="doctools")
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def package(tmp_path):
    copy = tmp_path / "kazuo"
    shutil.copytree(ROOT / "inputs" / "kazuo", copy)
    return copy


@pytest.mark.parametrize("env, summary", [
    (C, "1 package checked: 1 error, 1 warning"),
    (ZH, "已检查 1 个材料包：1 个错误，1 个警告"),
], ids=["C", "zh_CN"])
def test_check_counts_errors_and_warnings(env, summary):
    code, lines = run(env, "check", UNIT_NOT_IN_REGISTRY)
    assert code == 2 and lines[-1] == summary


@pytest.mark.parametrize("env, summary", [
    (C, "doctools: 1 error; nothing was written"),
    (ZH, "doctools: 1 个错误，未生成任何文件"),
], ids=["C", "zh_CN"])
def test_a_failed_build_says_nothing_was_written(env, summary, tmp_path):
    code, lines = run(env, "build", UNIT_NOT_IN_REGISTRY, "--out", tmp_path / "out")
    assert code == 2 and lines[-1] == summary
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("env, before, after", [
    (C, "2 packages checked: 0 errors, 1 warning; 1 can be fixed with --fix", ["fixed 1 place in 1 file",
                                                                              "2 packages checked: 0 errors, 0 warnings"]),
    (ZH, "已检查 2 个材料包：0 个错误，1 个警告；其中 1 处可用 --fix 自动改正", ["已在 1 个文件中改正 1 处",
                                                                      "已检查 2 个材料包：0 个错误，0 个警告"]),
], ids=["C", "zh_CN"])
def test_check_and_fix_summaries(env, before, after, package):
    body = package / "body.yaml"
    body.write_text(body.read_text(encoding="utf-8").replace("。", "，，", 1), encoding="utf-8")   # "，，" -> "，"
    code, lines = run(env, "check", package, ROOT / "inputs" / "jixian")
    assert code == 0 and lines[-1] == before
    code, lines = run(env, "check", "--fix", package, ROOT / "inputs" / "jixian")
    assert code == 0 and lines[-2:] == after


@pytest.mark.parametrize("env, wrote, files, current", [
    (C, "wrote {path}", r"(\d+) files in \d+\.\d s", "{folder}: up to date"),
    (ZH, "已生成 {path}", r"生成 (\d+) 个文件，用时 \d+\.\d 秒", "{folder}：已是最新，无需重新生成"),
], ids=["C", "zh_CN"])
def test_build_summaries(env, wrote, files, current, package, tmp_path):
    out = tmp_path / "out"
    code, lines = run(env, "build", package, "--out", out)
    assert code == 0, lines
    written = sorted(p for p in (out / "kazuo").rglob("*") if p.is_file())
    assert sorted(lines[:-1]) == sorted(wrote.format(path=p) for p in written)
    assert re.fullmatch(files, lines[-1]) and int(re.fullmatch(files, lines[-1]).group(1)) == len(written)
    code, lines = run(env, "build", package, "--out", out)
    assert code == 0 and lines[0] == current.format(folder=package)
    assert re.fullmatch(files, lines[1]).group(1) == "0"


@pytest.mark.parametrize("lang, redrawn, one", [
    ("en", "7 charts redrawn, 0 unchanged", "1 chart redrawn, 6 unchanged"),
    ("zh", "重画流程图 7 张，0 张未变", "重画流程图 1 张，6 张未变"),
])
def test_the_chart_count(lang, redrawn, one, monkeypatch):
    class Output:
        def __init__(self, redrawn, unchanged):
            self.redrawn, self.unchanged = redrawn, unchanged

    monkeypatch.setenv("LANGUAGE", lang)
    assert BuildReport([], [Output(7, 0)]).charts == redrawn
    assert BuildReport([], [Output(1, 6)]).charts == one


def test_the_table_of_audit_is_chinese_under_a_chinese_locale(monkeypatch):
    from doctools.audit import Report, as_table
    from doctools.audit.clauses import Check

    report = Report(Path("a.docx"), [Check("5.1", "A4 纸 210 × 297 mm", "第 1 节：210 × 297 mm", None, True),
                                     Check("7.5", "页码", "第 3 页：没有页码 3", 3, False)])
    monkeypatch.setenv("LANGUAGE", "zh")
    assert as_table(report).splitlines() == [
        "a.docx",
        "条款  要求                实测                   页码  结果",
        "5.1   A4 纸 210 × 297 mm  第 1 节：210 × 297 mm        符合",
        "7.5   页码                第 3 页：没有页码 3    3     不符合",
        "共检查 2 项，1 项不符合",
    ]
    monkeypatch.setenv("LANGUAGE", "en")
    assert as_table(report).splitlines()[1].split() == ["clause", "requirement", "measured", "page", "result"]
    assert as_table(report).splitlines()[-1] == "2 checks, 1 failed"
