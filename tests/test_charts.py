"""Flowcharts: built from catalog rows, drawn by Graphviz, embedded in the plan,
and redrawn only when what they are made from changes."""
import hashlib
import io
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import NS, W, copy_package, xml
from lxml import etree

from doctools.typeset import gbt9704 as G
from doctools.cli import main

SANMENXIA = ROOT / "inputs" / "sanmenxia"
SVG = "{http://www.w3.org/2000/svg}"
STEMS = ["综合业务—政策法规文件", "综合业务—监督检查", "最低生活保障—政策法规文件", "最低生活保障—办事指南",
         "最低生活保障—审核信息", "最低生活保障—审批信息", "流程-主动公开工作流程"]


def build(package, out, *extra):
    result = CliRunner().invoke(main, ["build", str(package), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    build(SANMENXIA, out)
    return out / "sanmenxia"


def svg(built, stem):
    return etree.fromstring((built / "流程图" / f"{stem}.svg").read_bytes())


def clusters(root):
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "cluster":
            label = "".join(t.text or "" for t in g.iter(f"{SVG}text"))
            points = g.find(f"{SVG}path") if g.find(f"{SVG}path") is not None else g.find(f"{SVG}polygon")
            coords = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", points.get("d") or points.get("points"))]
            xs, ys = coords[0::2], coords[1::2]
            out.append((label, min(xs), min(ys), max(ys)))
    return out


def nodes(root):
    """label text -> the shape element of each node."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = "".join(t.text or "" for t in g.iter(f"{SVG}text"))
            shape = next((c for c in g if c.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse")), None)
            out[text] = shape
    return out


def test_one_chart_per_item_in_three_formats(built):
    files = sorted(p.name for p in (built / "流程图").iterdir())
    assert files == sorted(f"{s}.{ext}" for s in STEMS for ext in ("svg", "pdf", "png"))
    for stem in STEMS:
        assert (built / "流程图" / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        assert (built / "流程图" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_subjects_become_ordered_lanes_of_equal_height(built):
    lanes = clusters(svg(built, "综合业务—政策法规文件"))
    assert [l[0] for l in lanes] == ["县民政局", "乡镇政府(街道办事处)"]
    assert lanes[0][1] < lanes[1][1]                                        # left to right, in the order written
    assert abs(lanes[0][2] - lanes[1][2]) < 0.5 and abs(lanes[0][3] - lanes[1][3]) < 0.5   # equal top and bottom


def test_steps_limits_publicity_and_channels_come_from_the_item(built):
    found = nodes(svg(built, "最低生活保障—审核信息"))
    texts = list(found)
    assert any(t.startswith("公示7个工作日") for t in texts)                    # its own 公示 step
    publish = next(t for t in texts if t.startswith("乡镇政府(街道办事处)发布"))
    assert "制定或获取信息之日起10个工作日内" in publish and "公示" not in publish  # the publishing limit, without 公示
    assert "依据：《晋城市最低生活保障对象审核确认实施细则》" in publish
    assert "政府网站" in texts                                                 # the chosen channel as an end node
    assert found["政府网站"].tag == f"{SVG}path"                               # rounded box (drawn as a path)
    decision = found["可否主动公开"]
    assert decision.tag == f"{SVG}polygon" and len(decision.get("points").split()) == 5   # a diamond (closed: 5 points)


def test_charts_fit_the_type_area_and_png_is_300_dpi(built):
    for stem in STEMS:
        root = svg(built, stem)
        width, height = (float(root.get(k).rstrip("pt")) for k in ("width", "height"))
        assert width <= 6.1 * 72 + 1 and height <= 8.8 * 72 + 1, stem
        png = (built / "流程图" / f"{stem}.png").read_bytes()
        px = int.from_bytes(png[16:20], "big")
        assert abs(px - width * 300 / 72) / px < 0.08, stem


def test_flowchart_attachment_embeds_each_chart_with_its_title_below(built):
    data = next(built.glob("三门峡市*.docx")).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len([n for n in archive.namelist() if n.startswith("word/media/")]) == len(STEMS)   # every chart differs
    root = xml(data)
    paragraphs = list(root.iter(f"{{{W}}}p"))
    captions = []
    for i, p in enumerate(paragraphs):
        if p.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline") is not None:
            extent = p.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
            assert int(extent.get("cx")) <= G.TEXT_WIDTH * 635                 # at most the 版心 width
            captions.append("".join(t.text or "" for t in paragraphs[i + 1].iter(f"{{{W}}}t")))
    assert captions == [f"{s}公开流程图" if not s.startswith("流程-") else "主动公开工作流程" for s in STEMS]


def test_text_from_the_catalog_cannot_change_the_dot(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SANMENXIA, package)
    catalog = package / "catalog.yaml"
    nasty = '\'"引号"\\N<b>粗</b>{a|b}\''
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("level2: 监督检查", f"level2: {nasty}"), encoding="utf-8")
    build(package, tmp_path / "out")
    chart = next((tmp_path / "out" / "pkg" / "流程图").glob("综合业务—*引号*.svg"))
    text = "".join(etree.fromstring(chart.read_bytes()).itertext())
    assert '"引号"\\N<b>粗</b>{a|b}' in text                                  # every character literal
    assert "<b>" not in chart.read_text(encoding="utf-8")                     # not markup: escaped as &lt;b&gt;


def test_missing_cjk_font_is_a_clear_message(tmp_path, monkeypatch):
    import doctools.convert.graphviz as render
    monkeypatch.setattr(render, "FONT", "不存在的字体")
    monkeypatch.setattr(render, "STAND_INS", {})
    result = CliRunner().invoke(main, ["build", str(SANMENXIA), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no CJK font for '不存在的字体' was found" in result.output and "fonts-noto-cjk" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "sanmenxia").exists()


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_rebuild_redraws_only_what_changed(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SANMENXIA, package)
    out = tmp_path / "out"
    assert f"{len(STEMS)} charts redrawn, 0 unchanged" in build(package, out)
    first = digests(out / "pkg")
    assert f"{package}: up to date" in build(package, out)               # nothing changed: nothing is redone
    assert digests(out / "pkg") == first
    catalog = package / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("公示7个工作日", "公示5个工作日"), encoding="utf-8")
    assert f"1 chart redrawn, {len(STEMS) - 1} unchanged" in build(package, out)
    second = digests(out / "pkg")
    changed = {name for name in first if first[name] != second.get(name)}
    assert {n for n in changed if n.startswith("流程图/")} == {f"流程图/最低生活保障—审核信息.{e}" for e in ("svg", "pdf", "png")}
    assert any(n.endswith("实施方案.docx") for n in changed)                  # the plan shows the new chart
    assert "公示5个工作日" in "".join(etree.fromstring((out / "pkg" / "流程图" / "最低生活保障—审核信息.svg").read_bytes()).itertext())
    assert f"{len(STEMS)} charts redrawn, 0 unchanged" in build(package, out, "--force")


def test_deleting_an_item_removes_its_chart(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SANMENXIA, package)
    out = tmp_path / "out"
    build(package, out)
    catalog = package / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("    - level1: 综合业务\n      level2: 监督检查")
    end = text.index("    - level1: 最低生活保障\n      level2: 政策法规文件")
    catalog.write_text(text[:start] + text[end:], encoding="utf-8")
    assert f"0 charts redrawn, {len(STEMS) - 1} unchanged" in build(package, out)
    assert not list((out / "pkg" / "流程图").glob("综合业务—监督检查.*"))
    assert len(list((out / "pkg" / "流程图").iterdir())) == 3 * (len(STEMS) - 1)


def test_same_input_same_bytes_charts_included(tmp_path):
    import time
    build(SANMENXIA, tmp_path / "a")
    time.sleep(1.1)
    build(SANMENXIA, tmp_path / "b")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_on_request_items_join_the_apply_flow_and_packages_can_override_flows(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SANMENXIA, package)
    catalog = package / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8").replace("      level2: 审批信息\n", "      level2: 审批信息\n      mode: 依申请公开\n")
    text = text.replace("  charts: item\n", "  charts: item\n  flows: [proactive, apply, local]\n")
    catalog.write_text(text, encoding="utf-8")
    (package / "flows").mkdir()
    (package / "flows" / "proactive.yaml").write_text((ROOT / "flows" / "proactive.yaml").read_text(encoding="utf-8")
                                                      .replace("title: 主动公开工作流程", "title: 本县主动公开工作流程"), encoding="utf-8")
    (package / "flows" / "local.yaml").write_text(
        "flow:\n  id: local\n  title: 本县公开查阅点工作流程\n  lanes: [县政务服务中心]\n  nodes:\n"
        "    - {id: s, kind: start, lane: 县政务服务中心, label: 群众到查阅点}\n"
        "    - {id: e, kind: end, lane: 县政务服务中心, label: 提供查阅}\n  edges:\n    - [s, e]\n", encoding="utf-8")
    build(package, tmp_path / "out")
    charts = tmp_path / "out" / "pkg" / "流程图"
    lanes = [l[0] for l in clusters(etree.fromstring((charts / "最低生活保障—审批信息.svg").read_bytes()))]
    assert lanes == ["申请人", "政务公开工作机构", "县民政局、乡镇政府(街道办事处)", "第三方"]   # the subjects act as 承办单位
    texts = re.sub(r"\s", "", "".join(etree.fromstring((charts / "最低生活保障—审批信息.svg").read_bytes()).itertext()))
    assert "一次性告知补正" in texts and "20个工作日内，延长不超过20个工作日" in texts
    assert (charts / "流程-本县主动公开工作流程.svg").is_file()                # the package's version replaces the standard one
    assert (charts / "流程-本县公开查阅点工作流程.png").is_file()              # and its own flow is drawn too
    assert (charts / "流程-依申请公开工作流程.pdf").is_file()


def test_a_package_flow_rewords_the_common_steps_of_every_item_chart(tmp_path):
    package = copy_package(SANMENXIA, tmp_path / "pkg",
                           {"catalog.yaml": ("      level2: 审批信息\n", "      level2: 审批信息\n      mode: 依申请公开\n")})
    (package / "flows").mkdir()
    (package / "flows" / "proactive.yaml").write_text(
        (ROOT / "flows" / "proactive.yaml").read_text(encoding="utf-8").replace("label: 保密审查,", "label: 保密审查和合法性审查,"),
        encoding="utf-8")
    (package / "flows" / "apply.yaml").write_text(
        (ROOT / "flows" / "apply.yaml").read_text(encoding="utf-8").replace("承办单位", "业务科室"), encoding="utf-8")
    build(package, tmp_path / "out")
    charts = tmp_path / "out" / "pkg" / "流程图"
    item = re.sub(r"\s", "", "".join(etree.fromstring((charts / "最低生活保障—审核信息.svg").read_bytes()).itertext()))
    assert "保密审查和合法性审查" in item
    lanes = [l[0] for l in clusters(etree.fromstring((charts / "最低生活保障—审批信息.svg").read_bytes()))]
    assert "县民政局、乡镇政府(街道办事处)" in lanes and "业务科室" not in lanes   # the subjects take the renamed lane


def test_one_chart_per_first_level_item_when_asked(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SANMENXIA, package)
    catalog = package / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("  charts: item", "  charts: level1"), encoding="utf-8")
    build(package, tmp_path / "out")
    charts = tmp_path / "out" / "pkg" / "流程图"
    assert sorted(p.stem for p in charts.glob("*.svg")) == ["最低生活保障", "流程-主动公开工作流程", "综合业务"]
    texts = re.sub(r"\s", "", "".join(etree.fromstring((charts / "最低生活保障.svg").read_bytes()).itertext()))
    assert "公示7个工作日" in texts                         # the group's chart carries its members' 公示
