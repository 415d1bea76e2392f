"""A plan's own process flows without a catalog (tests/packages/flows), charts that name no channel they were not
given (tests/packages/channels), and where chart labels break — read from the SVG, the .docx and its PDF."""
import re

import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import NS, build, open_pdf, page_rows, q, xml
from lxml import etree

from doctools.cli import main
from doctools.typeset.linebreak import CLOSING, OPENING

FLOWS = ROOT / "tests" / "packages" / "flows"
CHANNELS = ROOT / "tests" / "packages" / "channels"
SVG = "{http://www.w3.org/2000/svg}"
PLAN = "某县政策文件解读和依申请公开办理工作规程.docx"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flows")
    for package in (FLOWS, CHANNELS, ROOT / "inputs" / "sanmenxia"):
        build(package, folder)
    return folder


def nodes(path):
    """(kind, lines) of each node of a chart's SVG: its shape's kind as drawn, and its text lines."""
    out = []
    for g in etree.fromstring(path.read_bytes()).iter(f"{SVG}g"):
        if g.get("class") == "node":
            lines = [t.text or "" for t in g.iter(f"{SVG}text")]
            shape = next(c for c in g if c.tag in (f"{SVG}polygon", f"{SVG}path"))
            points = (shape.get("points") or "").split()
            diamond = len(points) == 5 and len({p.split(",")[0] for p in points}) == 3
            kind = "rounded" if shape.tag == f"{SVG}path" else "diamond" if diamond else "note" if len(points) == 6 else "box"
            if lines:
                out.append((kind, lines))
    return out


def edge_labels(path):
    root = etree.fromstring(path.read_bytes())
    return sorted("".join(t.text or "" for t in g.iter(f"{SVG}text")) for g in root.iter(f"{SVG}g") if g.get("class") == "edge"
                  and any(t.text for t in g.iter(f"{SVG}text")))


def test_own_flows_are_drawn_without_a_catalog_or_its_workbook(out):
    folder = out / "flows"
    assert not (folder / "政务公开事项标准目录.xlsx").exists()
    assert sorted(p.name for p in (folder / "流程图").iterdir()) == sorted(
        f"流程-{name}.{ext}" for name in ("政策文件解读工作流程", "依申请公开办理流程") for ext in ("pdf", "png", "svg"))
    five = nodes(folder / "流程图" / "流程-政策文件解读工作流程.svg")
    assert sorted("".join(lines) for _, lines in five) == sorted([
        "起草政策文件，同步起草解读材料", "解读材料随文件一并报审", "审核文件和解读材料",
        "在政府网站同步发布文件和解读材料（文件印发之日起3个工作日内）", "跟踪社会反响，回应公众关切"])
    seven = folder / "流程图" / "流程-依申请公开办理流程.svg"
    kinds = [kind for kind, _ in nodes(seven)]
    assert len(kinds) == 8 and kinds.count("diamond") == 1                   # seven steps and the 补正 notice
    assert edge_labels(seven) == ["否", "是", "补正后重新提交"]                  # the branch and the way back


def test_own_flows_print_as_a_figure_in_the_text_and_as_an_attachment(out, pdf_of):
    data = (out / "flows" / PLAN).read_bytes()
    root = xml(data)
    paragraphs = ["".join(t.text or "" for t in p.iter(q("t"))) + ("[图]" if p.find(".//" + q("drawing")) is not None else "")
                  for p in root.iter(q("p"))]
    figure = paragraphs.index("[图]")
    assert paragraphs[figure - 1] == "政策解读按以下流程办理：" and paragraphs[figure + 1] == "政策文件解读工作流程"
    assert paragraphs.index("二、依申请公开办理") > figure                       # in its section, where it was put
    assert paragraphs.count("[图]") == 2
    last = len(paragraphs) - 1 - paragraphs[::-1].index("[图]")
    assert paragraphs.index("依申请公开办理流程图") < last                   # on the attachment's page, after its title
    assert paragraphs[last + 1] == "依申请公开办理流程"                       # the chart's title below it
    pdf = open_pdf(pdf_of(data))
    first = [r.text for r in page_rows(pdf.pages[0])]
    assert "政策文件解读工作流程" in first
    images = [img for page in pdf.pages for img in page.images]
    assert len(images) == 2


def test_a_row_that_ticks_no_channel_ends_without_inventing_one(out):
    charts = out / "channels" / "流程图"
    unticked = nodes(charts / "依申请公开—年度报告.svg")
    texts = ["".join(lines) for _, lines in unticked]
    assert not any("政府网站" in t or "公开查阅点" in t for t in texts)       # only offered (□): named nowhere
    ends = [t for kind, lines in unticked if kind == "rounded" for t in ["".join(lines)]]
    assert "县政府办公室发布（每年1月31日前）依据：《中华人民共和国政府信息公开条例》第四十九条、第五十条" in ends
    ticked = ["".join(lines) for _, lines in nodes(charts / "依申请公开—申请渠道.svg")]
    assert "政府网站" in ticked and "政府公报" not in ticked
    result = CliRunner().invoke(main, ["check", str(CHANNELS)])
    assert ("package.yaml:30:17: warning: catalog row 2 《依申请公开—年度报告》 ticks no channel (■), so its chart ends at "
            "publishing without naming one (tick the channel it is published through, such as ■政府网站)") in result.output


def test_a_packages_own_proactive_flow_gives_every_row_chart_its_first_steps(out):
    """tests/packages/channels/flows/proactive.yaml rewords the review and the decision every row's chart starts
    with: the charts say what the package says, not words fixed in the code."""
    for name in ("依申请公开—申请渠道.svg", "依申请公开—年度报告.svg"):
        drawn = {kind: [] for kind in ("box", "diamond", "rounded", "note")}
        for kind, lines in nodes(out / "channels" / "流程图" / name):
            drawn[kind].append("".join(lines))
        assert any(t.startswith("保密审查和合法性审查") for t in drawn["box"]), drawn
        assert drawn["diamond"] == ["能否主动公开"]
        assert not any("可否主动公开" in t for ts in drawn.values() for t in ts)
    sanmenxia = ["".join(lines) for _, lines in nodes(next((out / "sanmenxia" / "流程图").glob("*—*.svg")))]
    assert "可否主动公开" in sanmenxia and not any("合法性审查" in t for t in sanmenxia)   # the standard flow elsewhere


def test_label_lines_break_where_chinese_typesetting_allows(out):
    """No line of any chart starts with closing punctuation or ends with opening punctuation, and an article
    (第二十九条) or a number with its measure word (20个) is never cut."""
    svgs = [p for name in ("flows", "channels", "sanmenxia") for p in sorted((out / name / "流程图").glob("*.svg"))]
    assert len(svgs) == 2 + 3 + 7
    articles = 0
    for path in svgs:
        for _, lines in nodes(path):
            for line in lines:
                assert not line.startswith(tuple(CLOSING)), (path.name, lines)
                assert not line.endswith(tuple(OPENING)), (path.name, lines)
                assert not re.search(r"(第[一二三四五六七八九十百]*|\d)$", line) or line == lines[-1], (path.name, lines)
            whole = "".join(lines)
            for article in re.findall(r"第[一二三四五六七八九十百]+条", whole):
                articles += 1
                assert any(article in line for line in lines), (path.name, lines)
    assert articles >= 10
