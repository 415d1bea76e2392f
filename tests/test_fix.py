"""`check --fix` edits only the characters the lint found.

A hit was placed by searching from the start of its row or section: it replaced the YAML separator in
`[1, 资金, "a,b"]`, changed a URL and a comment, and turned a CRLF file into LF.  Here --fix runs on every
example and on a package full of tables, URLs, comments and quoting, with LF and CRLF line ends; the package
must still read, to the same model apart from the fixed characters."""
import dataclasses
import re
import shutil
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import ROOT

from doctools.cli import main
from doctools.readers.lint import HALF_TO_FULL
from doctools.errors import Diagnostics
from doctools.compose import compose
from doctools.readers.package import read_package as read_model


def read_package(folder):
    """The model, errors or not (a zero-padded date is an error --fix repairs)."""
    diags = Diagnostics()
    return compose(read_model(folder, diags), diags)

HOSTILE = """\
# 一个满是表格、网址和注释的包,用来检验 --fix: 这里的逗号,冒号不能动
document:
  title: 某县政务公开实施方案   # 标题,不要改这里的逗号
  office: 某县人民政府办公室
  date: 2021年03月05日
  imprint: {cc: [县委办公室，, 县人大办公室]}
units: [县政务公开办, 县财政局]
tasks:
  - id: t1
    title: 公开目录,动态调整
    text: 编制目录,详见 http://www.gov.cn/a,b?c=1;d 和 http://x.cn/(y) 说明。
    responsible: [县政务公开办, 县财政局]
    deadline: 2021年6月底前
body:
  - title: 主要任务
    text: |   # 注释, 带逗号
      第一段,中文,,。

      第二段:中文;结束。
    sections:
      - task: t1
  - title: 附表说明
    text: "引号里,的文字和转义\\x2c逗号"
attachments:
  - title: 资金表
    columns: [序号, 项目, 说明]
    rows:
      - [1, 资金, "a,b"]
      - [2, '经费,拨付', 说明:待定]
      - [3, 平台, "http://a.cn/x,y"]
"""


def strings(value, out=None):
    """Every text of a model, in order (positions left out: a fix may move a column)."""
    out = [] if out is None else out
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            strings(item, out)
    elif isinstance(value, dict):
        for key, item in value.items():
            strings(key, out)
            strings(item, out)
    elif dataclasses.is_dataclass(value) and not type(value).__name__ == "Pos":
        for f in dataclasses.fields(value):
            strings(getattr(value, f.name), out)
    elif isinstance(value, date):
        out.append(value.isoformat())
    return out


def normal(texts):
    """Texts with the safe fixes applied: full-width punctuation, no doubled 。，、 etc."""
    table = str.maketrans(HALF_TO_FULL)
    return [re.sub(r"([，。、；：！？])\1+", r"\1", t.translate(table)) for t in texts]


def fix(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    return CliRunner().invoke(main, ["check", "--fix", folder.name])


def hostile_package(tmp_path, newline):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "package.yaml").write_bytes(HOSTILE.replace("\n", newline).encode("utf-8"))
    return folder


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_fix_changes_only_the_found_characters(tmp_path, monkeypatch, newline):
    folder = hostile_package(tmp_path, newline)
    monkeypatch.chdir(tmp_path)
    before = read_package(folder)
    result = fix(folder, monkeypatch)
    assert "Traceback" not in result.output
    after_bytes = (folder / "package.yaml").read_bytes()
    after = after_bytes.decode("utf-8")
    # line ends kept: every line still ends as it did
    assert after.count(newline) == HOSTILE.count("\n") and (newline == "\r\n") == ("\r\n" in after)
    # what must never change: comments, URLs, YAML syntax, the quoted cell, the escaped comma
    for kept in ("# 一个满是表格、网址和注释的包,用来检验 --fix: 这里的逗号,冒号不能动", "# 标题,不要改这里的逗号",
                 "# 注释, 带逗号", "http://www.gov.cn/a,b?c=1;d", "http://x.cn/(y)", '[1, 资金, "a,b"]',
                 '"http://a.cn/x,y"', "\\x2c", "columns: [序号, 项目, 说明]", "units: [县政务公开办, 县财政局]"):
        assert kept in after, kept
    # what must change
    for fixed in ("date: 2021年3月5日", "cc: [县委办公室, 县人大办公室]", "title: 公开目录，动态调整",
                  "第一段，中文，。", "第二段：中文；结束。", "'经费，拨付', 说明：待定"):
        assert fixed in after, fixed
    assert normal(strings(read_package(folder))) == normal(strings(before))


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "inputs").iterdir() if p.is_dir()))
def test_fix_on_every_example_keeps_the_model(tmp_path, monkeypatch, example):
    folder = tmp_path / example
    shutil.copytree(ROOT / "inputs" / example, folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    monkeypatch.chdir(tmp_path)
    model = strings(read_package(folder))
    result = fix(folder, monkeypatch)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert normal(strings(read_package(folder))) == normal(model)
    for name, data in before.items():        # every change is one of the safe fixes
        after = (folder / name).read_bytes().decode("utf-8")
        assert normal([after]) == normal([data.decode("utf-8")]) or "0" in data.decode("utf-8"), name


def test_fix_on_a_crlf_example_keeps_crlf(tmp_path, monkeypatch):
    folder = tmp_path / "kazuo"
    shutil.copytree(ROOT / "inputs" / "kazuo", folder)
    body = folder / "body.yaml"
    text = body.read_text(encoding="utf-8").replace("使行政机关", "使,行政机关", 1)
    body.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = fix(folder, monkeypatch)
    assert "fixed 1 place" in result.output, result.output
    after = body.read_bytes()
    assert after == text.replace("使,行政机关", "使，行政机关").replace("\n", "\r\n").encode("utf-8")
