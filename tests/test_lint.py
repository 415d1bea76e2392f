"""Official-writing lint: warnings on the text, and safe fixes only when asked."""
import shutil

from click.testing import CliRunner
from conftest import ROOT

from doctools.cli import main
from doctools.readers.lint import heading_stops, lint_text


def found(text):
    return [(f.index, f.text, f.message, f.replacement) for f in lint_text(text)]


def test_half_width_punctuation_in_chinese_text():
    assert found("公开事项,依法公开") == [(4, ",", "half-width ',' in Chinese text", "，")]
    assert found("目录(试行)") == [(2, "(", "half-width '(' in Chinese text", "（"), (5, ")", "half-width ')' in Chinese text", "）")]
    assert found("网址http://zwgk.gov.cn/a?id=1") == []          # a web address keeps its colon
    assert found("Hello, world (ok)") == []                        # Latin text is left alone
    assert found("电子邮箱:smxzwgkb@163.com") == [(4, ":", "half-width ':' in Chinese text", "：")]


def test_doubled_and_unbalanced_punctuation():
    assert found("公开，，及时。。") == [(2, "，，", "doubled punctuation '，，'", "，"), (6, "。。", "doubled punctuation '。。'", "。")]
    assert found("根据《条例规定，") == [(2, "《", "'《' is never closed by '》'", None)]
    assert found("条例》规定") == [(2, "》", "'》' without its '《'", None)]
    assert found("“五公开”（以下简称《通知》）") == []


def test_heading_full_stops_that_differ_from_siblings():
    assert heading_stops(["加强领导", "强化监督。", "注重协同"]) == [1]
    assert heading_stops(["加强领导。", "强化监督。", "注重协同"]) == [2]
    assert heading_stops(["加强领导。", "强化监督。"]) == []


def make_sloppy(tmp_path):
    package = tmp_path / "kazuo"
    shutil.copytree(ROOT / "inputs" / "kazuo", package)
    body = package / "body.yaml"
    body.write_text(body.read_text(encoding="utf-8").replace("密切联系群众，", "密切联系群众,,")
                    .replace("      - title: 强化工作协同，形成合力\n", "      - title: 强化工作协同，形成合力。\n"), encoding="utf-8")
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("  date: 2018年1月25日", "  date: 2018年01月25日"), encoding="utf-8")
    return package


def test_check_reports_with_positions_and_exit_codes(tmp_path, monkeypatch):
    package = make_sloppy(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "kazuo"])
    assert result.exit_code == 2
    assert "kazuo/document.yaml:7:9: error: field 'date' of document: '2018年01月25日' has zero padding; write 2018年1月25日" in result.output
    assert "kazuo/body.yaml:6:58: warning: half-width ',' in Chinese text (write '，'; doctools check --fix does it)" in result.output
    assert "kazuo/body.yaml:6:59: warning: half-width ',' in Chinese text" in result.output
    assert "heading '（三）强化工作协同，形成合力。' ends with a full stop, unlike its sibling headings" in result.output


def test_fix_shows_a_diff_keeps_comments_and_leaves_a_clean_package(tmp_path, monkeypatch):
    package = make_sloppy(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = (package / "document.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--fix", "kazuo"])
    assert "-  date: 2018年01月25日" in result.output and "+  date: 2018年1月25日" in result.output
    assert "密切联系群众，\n" in (package / "body.yaml").read_text(encoding="utf-8")
    after = (package / "document.yaml").read_text(encoding="utf-8")
    assert after == before.replace("2018年01月25日", "2018年1月25日")      # only the fix; comments and order kept
    # the heading's full stop is a warning without a safe fix: it stays, and --strict says so
    strict = CliRunner().invoke(main, ["check", "--strict", "kazuo"])
    assert strict.exit_code == 1
    assert "0 errors, 1 warning" in strict.output
    assert CliRunner().invoke(main, ["check", "kazuo"]).exit_code == 0


def test_check_writes_nothing_without_fix(tmp_path, monkeypatch):
    package = make_sloppy(tmp_path)
    monkeypatch.chdir(tmp_path)
    snapshot = {p: p.read_bytes() for p in package.iterdir()}
    CliRunner().invoke(main, ["check", "kazuo"])
    assert {p: p.read_bytes() for p in package.iterdir()} == snapshot


def test_cc_entries_with_their_own_punctuation(tmp_path, monkeypatch):
    package = tmp_path / "kazuo"
    shutil.copytree(ROOT / "inputs" / "kazuo", package)
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("县政协办公室]", "县政协办公室。]"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "kazuo"])
    assert "kazuo/document.yaml:22:33: warning: 抄送 entry '县政协办公室。' ends with '。'" in result.output
    CliRunner().invoke(main, ["check", "--fix", "kazuo"])
    assert "县政协办公室]" in doc.read_text(encoding="utf-8")
