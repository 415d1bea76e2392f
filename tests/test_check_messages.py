"""Messages that lead to the fix, and plans check no longer refuses (issue 24): each case is a package a clerk
writes, and the test reads what check or build says about it, or what the built document holds."""
import textwrap

import pytest
from click.testing import CliRunner
from conftest import ROOT
from docx import Document

from doctools.cli import main

FRAME = """\
document:
  title: 某县政务公开实施方案
  office: 某县人民政府办公室
  date: 2021年3月5日
  preamble: 现将有关事项通知如下。
units:
  - 县扶贫开发局
  - 县民政局
"""
TASKS = """\
tasks:
  - {id: t1, text: 编制政务公开事项标准目录。, responsible: [县扶贫开发局], deadline: 2021年6月底前}
  - {id: t2, text: 建立动态调整机制。, responsible: [县民政局], deadline: 2021年9月}
"""


def package(tmp_path, text: str, name: str = "package.yaml"):
    folder = tmp_path / "pkg"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def run(*args, lang="en"):
    result = CliRunner().invoke(main, ["--lang", lang, *map(str, args)])
    return result.exit_code, result.output


def paragraphs(path):
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs if p.text.strip()] + \
        [c.text for t in doc.tables for row in t.rows for c in row.cells]


# ---- a plan without numbered sections ----------------------------------------------------------------------------
def test_a_notice_whose_only_content_is_its_task_table_builds_with_an_empty_body(tmp_path):
    folder = package(tmp_path, FRAME + TASKS + "body: []\nattachments:\n  - {title: 任务分工表, table: tasks}\n")
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 0, output
    texts = paragraphs(tmp_path / "out" / "pkg" / "某县政务公开实施方案.docx")
    assert "附件：任务分工表" in texts and "编制政务公开事项标准目录。" in texts


def test_a_catalog_package_without_sections_builds_with_an_empty_body(tmp_path):
    folder = package(tmp_path, FRAME + textwrap.dedent("""\
        body: []
        catalog:
          title: 社会救助领域政务公开事项标准目录
          items:
            - {level1: 最低生活保障, level2: 审核信息, content: 初审对象名单, basis: 实施细则, time_limit: 10个工作日内,
               subjects: 县民政局, channels: ■政府网站}
        """))
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 0, output
    assert (tmp_path / "out" / "pkg" / "政务公开事项标准目录.xlsx").is_file()


def test_an_emptied_body_is_told_how_to_write_a_plan_without_sections(tmp_path):
    folder = package(tmp_path, FRAME + TASKS + "body: []\n")
    code, output = run("check", folder)
    assert code == 2
    assert "a plan without numbered sections writes 'body: []' and has attachments" in output
