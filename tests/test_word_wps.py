"""Word and WPS open the documents as doctools means them (issue 24): a font table that leads to 仿宋 and 楷体
where the GB2312 fonts are missing, the run defaults in schema order, and ``style.fonts: windows``."""
import re
import zipfile

import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import copy_package

from doctools.cli import main

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(package, out):
    result = CliRunner().invoke(main, ["--lang", "en", "build", str(package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / package.name


def plan(folder):
    return next(p for p in folder.glob("*.docx") if not p.name.startswith(("任务分工表", "各单位任务清单")))


def part(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def kazuo_plan(tmp_path_factory):
    return plan(build(ROOT / "inputs" / "kazuo", tmp_path_factory.mktemp("wps")))


def fonts_of(xml: str):
    return {m.group(1): m.group(2) for m in re.finditer(r'<w:font w:name="([^"]+)">(.*?)</w:font>', xml)}


def test_the_font_table_gives_every_official_font_its_windows_alternate_and_family(kazuo_plan):
    with zipfile.ZipFile(kazuo_plan) as z:
        assert "word/fontTable.xml" in z.namelist()
        assert "fontTable" in z.read("word/_rels/document.xml.rels").decode() and \
            "/word/fontTable.xml" in z.read("[Content_Types].xml").decode()
    fonts = fonts_of(part(kazuo_plan, "word/fontTable.xml"))
    assert {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体"} <= set(fonts)
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")):
        assert f'<w:altName w:val="{alt}"/>' in fonts[name], name
        assert '<w:charset w:val="86"/>' in fonts[name] and "<w:panose1 " in fonts[name] and "<w:family " in fonts[name]
    # every font a run or style names is in the table
    used = {f for xml in (part(kazuo_plan, "word/styles.xml"), part(kazuo_plan, "word/document.xml"))
            for tag in re.findall(r"<w:rFonts\b[^>]*>", xml) for f in re.findall(r'w:eastAsia="([^"]+)"', tag)}
    assert used <= set(fonts)


def test_settings_and_run_defaults_are_in_schema_order(kazuo_plan):
    settings = part(kazuo_plan, "word/settings.xml")
    assert settings.index("<w:defaultTabStop") < settings.index("<w:evenAndOddHeaders")
    defaults = re.search(r"<w:rPrDefault><w:rPr>(.*?)</w:rPr>", part(kazuo_plan, "word/styles.xml")).group(1)
    assert defaults.index("<w:kern") < defaults.index("<w:sz ")


def test_style_fonts_windows_writes_the_windows_names(tmp_path):
    package = copy_package(ROOT / "inputs" / "kazuo", tmp_path / "kazuo",
                           {"document.yaml": ("style:\n", "style:\n  fonts: windows\n")})
    doc = plan(build(package, tmp_path / "out"))
    text = "".join(part(doc, n) for n in ("word/styles.xml", "word/document.xml", "word/fontTable.xml"))
    assert "_GB2312" not in text and "方正小标宋简体" not in text
    styles = part(doc, "word/styles.xml")
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="楷体"' in styles and 'w:eastAsia="黑体"' in styles
    assert set(fonts_of(part(doc, "word/fontTable.xml"))) >= {"仿宋", "楷体", "黑体", "宋体"}


def test_style_fonts_takes_official_or_windows_only(tmp_path):
    package = copy_package(ROOT / "inputs" / "kazuo", tmp_path / "kazuo",
                           {"document.yaml": ("style:\n", "style:\n  fonts: mac\n")})
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(package)])
    assert result.exit_code == 2
    assert "fonts" in result.output and "windows" in result.output
