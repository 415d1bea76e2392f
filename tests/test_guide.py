"""docs/使用说明.md says what a user types and what they will see; this runs it, so the guide cannot drift.

Every ```sh block of the guide that starts with ``doctools new``, ``doctools build`` or ``doctools check`` runs
in order, in a fresh folder holding a copy of inputs/, under a Chinese locale, as the office staff run it.  Every
message the guide quotes in a ```text block is one doctools really prints: a line of a tests/bad_inputs
expected file or of the output of the guide's own commands.  The steps the guide gives in words (the Excel round
trip, redrawing flowcharts) are followed here too.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from helpers import ROOT
from docx import Document

GUIDE = ROOT / "docs" / "使用说明.md"
FENCE = re.compile(r"^(?P<indent>[ ]*)```(?P<lang>\w*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)
RUN = re.compile(r"doctools (new|build|check)\b")
PLAN = "某县开展政务公开标准化规范化工作实施方案.docx"


def blocks(lang: str):
    text = GUIDE.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        if m.group("lang") == lang:
            indent = len(m.group("indent"))
            yield "\n".join(line[indent:] for line in m.group("body").splitlines())


def guide_commands():
    return [b for b in blocks("sh") if RUN.match(b)]


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="zh_CN.UTF-8", PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """The guide's commands, run one after the other as a user would; their combined output."""
    folder = tmp_path_factory.mktemp("guide")
    shutil.copytree(ROOT / "inputs", folder / "inputs")
    output = []
    for command in guide_commands():
        result = shell(command, folder)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        output += (result.stdout + result.stderr).splitlines()
    return folder, output


def test_the_guide_has_the_commands_it_should():
    commands = "\n".join(guide_commands())
    for expected in ("doctools new 我的方案 --yes", "doctools check 我的方案", "doctools build 我的方案",
                     "--from inputs/kazuo", "doctools build inputs/sanmenxia", "doctools check --fix"):
        assert expected in commands


def test_every_command_of_the_guide_runs_and_makes_what_it_says(session):
    folder, output = session
    assert (folder / "outputs" / "我的方案" / PLAN).is_file()
    for name in ("任务分工表.xlsx", "各单位任务清单.xlsx"):
        assert (folder / "outputs" / "我的方案" / name).is_file()
    assert {p.name for p in (folder / "新方案").iterdir()} == {p.name for p in (ROOT / "inputs" / "kazuo").glob("*.yaml")}
    charts = folder / "outputs" / "sanmenxia" / "流程图"
    assert {p.suffix for p in charts.iterdir()} == {".svg", ".pdf", ".png"}


def test_every_message_the_guide_quotes_is_real(session):
    _, output = session
    known = set(output)
    for expected in (ROOT / "tests" / "bad_inputs").glob("*/expected*.txt"):
        known |= set(expected.read_text(encoding="utf-8").splitlines())
    quoted = [line for b in blocks("text") for line in b.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(quoted) >= 25
    assert [line for line in quoted if line not in known] == []


def test_the_excel_round_trip_as_the_guide_tells_it(session, tmp_path):
    folder, _ = session
    package = tmp_path / "我的方案"
    shutil.copytree(folder / "我的方案", package)
    assert shell("doctools build 我的方案", tmp_path).returncode == 0
    workbook = package / "任务分工表.xlsx"                                     # step 2: copy it into the package
    shutil.copy(tmp_path / "outputs" / "我的方案" / "任务分工表.xlsx", workbook)
    wb = openpyxl.load_workbook(workbook)
    sheet = wb["任务分工表"]
    header = [c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "序号")]
    assert "编号" in header and sheet.column_dimensions[openpyxl.utils.get_column_letter(header.index("编号") + 1)].hidden
    deadline = header.index("完成时限") + 1
    sheet.cell(row=3, column=deadline).value = "2024年10月底前"                  # staff change a deadline
    wb.save(workbook)
    document = package / "document.yaml"                                      # step 3: drop the "# "
    text = document.read_text(encoding="utf-8")
    assert "    # source: 任务分工表.xlsx" in text
    document.write_text(text.replace("    # source: 任务分工表.xlsx", "    source: 任务分工表.xlsx"), encoding="utf-8")
    result = shell("doctools build 我的方案", tmp_path)                         # step 4
    assert result.returncode == 0, result.stderr
    body = [p.text for p in Document(str(tmp_path / "outputs" / "我的方案" / PLAN)).paragraphs]
    assert any("完成时限：2024年10月底前" in p for p in body)


def test_a_changed_catalog_row_redraws_its_chart_only(session, tmp_path):
    folder, _ = session
    shutil.copytree(folder / "inputs" / "sanmenxia", tmp_path / "inputs" / "sanmenxia")
    shutil.copytree(folder / "outputs" / "sanmenxia", tmp_path / "outputs" / "sanmenxia")
    catalog = tmp_path / "inputs" / "sanmenxia" / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("制定或获取信息之日起10个工作日内", "制定或获取信息之日起5个工作日内", 1),
                       encoding="utf-8")
    result = shell("doctools build inputs/sanmenxia", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "重画流程图 1 张，6 张未变" in result.stdout
    result = shell("doctools build --force inputs/sanmenxia", tmp_path)
    assert "重画流程图 7 张，0 张未变" in result.stdout
