"""The produced .docx, read back as XML: what Word and WPS will apply."""
import pytest
from conftest import ROOT, build_package
from helpers import NS, W, body_texts, xml

from doctools.typeset import gbt9704 as G


def q(name):
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def full():
    data, writer = build_package(ROOT / "tests" / "packages" / "full")
    return data


def style(styles, style_id):
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, f"style {style_id} missing"
    return found


def test_page_size_margins_and_grid(kazuo):
    sect = xml(kazuo).find(".//w:body/w:sectPr", NS)
    size, mar, grid = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS), sect.find("w:docGrid", NS)
    assert (size.get(q("w")), size.get(q("h"))) == ("11906", "16838")          # A4
    assert {k: mar.get(q(k)) for k in ("top", "left", "right", "bottom")} == \
        {"top": "2098", "left": "1587", "right": "1474", "bottom": "1984"}    # 37/28/26/35 mm
    # a line grid only: a character grid is read differently by Word and LibreOffice
    assert grid.get(q("type")) == "lines"
    assert grid.get(q("linePitch")) == "579"
    assert grid.get(q("charSpace")) is None
    # 28 characters of 16 pt condensed by 0.25 pt fill the 156 mm line, and not 29
    normal = style(xml(kazuo, "word/styles.xml"), "Normal")
    pitch = 16 + int(normal.find("w:rPr/w:spacing", NS).get(q("val"))) / 20
    width_pt = (11906 - 1587 - 1474) / 20
    assert int(width_pt / pitch) == 28


def test_body_style_fonts_sizes_and_spacing(kazuo):
    styles = xml(kazuo, "word/styles.xml")
    normal = style(styles, "Normal")
    fonts = normal.find("w:rPr/w:rFonts", NS)
    assert {fonts.get(q(k)) for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}
    assert normal.find("w:rPr/w:sz", NS).get(q("val")) == "32"               # 3号
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(q("line")), spacing.get(q("lineRule"))) == ("579", "exact")
    assert normal.find("w:pPr/w:widowControl", NS).get(q("val")) == "0"
    assert normal.find("w:pPr/w:ind", NS).get(q("firstLine")) == "640"       # 2 characters
    assert "eastAsiaTheme" not in ET_tostring(styles)


def ET_tostring(node):
    from lxml import etree
    return etree.tostring(node, encoding="unicode")


@pytest.mark.parametrize("style_id, font, size, outline", [
    ("DocTitle", "方正小标宋简体", "44", "0"),
    ("Heading1", "黑体", "32", "1"),
    ("Heading2", "楷体_GB2312", "32", "2"),
    ("Heading3", "仿宋_GB2312", "32", "3"),
    ("Heading4", "仿宋_GB2312", "32", "4"),
])
def test_title_and_heading_styles(kazuo, style_id, font, size, outline):
    s = style(xml(kazuo, "word/styles.xml"), style_id)
    fonts = s.find("w:rPr/w:rFonts", NS)
    assert fonts.get(q("eastAsia")) == font and fonts.get(q("ascii")) == font
    assert s.find("w:rPr/w:sz", NS).get(q("val")) == size
    assert s.find("w:pPr/w:outlineLvl", NS).get(q("val")) == outline


def test_headings_use_their_styles_and_generated_numbers(kazuo):
    root = xml(kazuo)
    by_style = {}
    for p in root.iter(q("p")):
        sid = p.find("w:pPr/w:pStyle", NS)
        text = "".join(t.text or "" for t in p.iter(q("t")))
        by_style.setdefault(sid.get(q("val")) if sid is not None else "Normal", []).append(text)
    assert by_style["Heading1"] == ["一、指导思想", "二、基本原则", "三、总体目标", "四、试点范围及责任单位",
                                    "五、工作任务", "六、进度安排（2017年12月-2018年12月）", "七、保障措施"]
    assert by_style["Heading2"][:2] == ["（一）突出需求导向，务求实效", "（二）注重规范引领，标准先行"]
    assert by_style["DocTitle"] == ["喀左县开展基层政务公开标准化规范化试点工作实施方案"]


def test_page_numbers_odd_right_even_left_with_page_field(kazuo):
    import io, zipfile
    z = zipfile.ZipFile(io.BytesIO(kazuo))
    settings = xml(kazuo, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    sect = xml(kazuo).find(".//w:body/w:sectPr", NS)
    rels = xml(kazuo, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {ref.get(q("type")): targets[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            for ref in sect.findall("w:footerReference", NS)}
    assert set(refs) == {"default", "even"}
    styles = xml(kazuo, "word/styles.xml")
    for kind, style_id, jc in (("default", "PageNumberOdd", "right"), ("even", "PageNumberEven", "left")):
        footer = xml(kazuo, "word/" + refs[kind])
        text = "".join(t.text or "" for t in footer.iter(q("t")))
        assert text == "— 1 —"                                    # cached field result between the dashes
        assert " PAGE " in "".join(t.text for t in footer.iter(q("instrText")))
        assert footer.find(".//w:pStyle", NS).get(q("val")) == style_id
        s = style(styles, style_id)
        assert s.find("w:pPr/w:jc", NS).get(q("val")) == jc
        ind = s.find("w:pPr/w:ind", NS)
        assert ind.get(q("right" if jc == "right" else "left")) == "280"   # 空一字 of 4号
    assert style(styles, "Footer").find("w:rPr/w:rFonts", NS).get(q("eastAsia")) == "宋体"
    assert style(styles, "Footer").find("w:rPr/w:sz", NS).get(q("val")) == "28"


def test_imprint_rules_and_text(kazuo):
    tables = xml(kazuo).findall(".//w:tbl", NS)
    imprint = tables[-1]
    borders = imprint.find("w:tblPr/w:tblBorders", NS)
    assert borders.find("w:top", NS).get(q("sz")) == "8"         # 0.35 mm
    assert borders.find("w:bottom", NS).get(q("sz")) == "8"
    assert borders.find("w:insideH", NS).get(q("sz")) == "6"     # 0.25 mm
    # in a text box aligned to the bottom of the margin, its text on the box's bottom edge
    WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    anchor = next(a for a in imprint.iterancestors() if a.tag == WP + "anchor")
    assert anchor.find(f"{WP}positionV", NS).get("relativeFrom") == "margin"
    assert anchor.find(f"{WP}positionV/{WP}align").text == "bottom"
    rows = ["".join(t.text or "" for t in tr.iter(q("t"))) for tr in imprint.findall("w:tr", NS)]
    assert rows == ["抄送：县委办公室，人大常委会办公室，县政协办公室。", "喀左县人民政府办公室2018年1月25日印发"]
    widths = [int(c.get(q("w"))) for c in imprint.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(widths) == G.TEXT_WIDTH


def test_red_header_number_and_signer(full):
    root = xml(full)
    paragraphs = root.findall(".//w:body/w:p", NS)
    mark = paragraphs[0]
    assert "".join(t.text for t in mark.iter(q("t"))) == "某县人民政府办公室文件"
    assert mark.find("w:pPr/w:pStyle", NS).get(q("val")) == "HeaderMark"
    assert all(c.get(q("val")) == "FF0000" for c in mark.iter(q("color")))     # no run turns it another colour
    styles = xml(full, "word/styles.xml")
    assert style(styles, "HeaderMark").find("w:rPr/w:color", NS).get(q("val")) == "FF0000"
    # its place (35 mm) and the red rule's (4 mm) are measured on the render: tests/test_audit.py
    number = next(p for p in paragraphs if "〔2021〕" in "".join(t.text or "" for t in p.iter(q("t"))))
    rule = number.find("w:pPr/w:pBdr/w:bottom", NS)
    assert rule.get(q("color")) == "FF0000"
    assert "签发人：" in "".join(t.text or "" for t in number.iter(q("t")))


def test_attachment_note_hangs_names_under_the_first_name(full):
    root = xml(full)
    notes = [p for p in root.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "AttachmentNote"]
    texts = ["".join(t.text for t in p.iter(q("t"))) for p in notes]
    assert texts == ["附件：1.政务公开工作任务清单", "2.国务院部门制定的试点领域标准汇总"]
    first, second = (p.find("w:pPr/w:ind", NS) for p in notes)
    # wrapped lines start where the name starts: 2 + 3 (附件：) + 1 (1.) characters
    assert int(first.get(q("left"))) == 6 * 320
    assert int(first.get(q("left"))) - int(first.get(q("hanging"))) == 2 * 320
    # the second number stands under the first number
    assert int(second.get(q("left"))) - int(second.get(q("hanging"))) == 5 * 320


def test_signoff_is_kept_with_the_text_before_it(full):
    """Where the sign-off lands is measured on the render (tests/test_audit.py);
    here: every line from the last text line to the date is kept with the next."""
    root = xml(full)
    paragraphs = list(root.iter(q("p")))
    sigs = [i for i, p in enumerate(paragraphs) if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "SignatureLine"]
    assert len(sigs) == 4                                   # sealed notice, unsealed plan: 署名 and date each
    for name in sigs[0::2]:
        kept = paragraphs[name - 3:name + 1] if paragraphs[name - 1].find(".//w:t", NS) is None and \
            paragraphs[name - 2].find(".//w:t", NS) is None else paragraphs[name - 2:name + 1]
        assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in kept)
    assert "（此件公开发布）" in body_texts(full)


def test_attachments_start_new_pages(full):
    root = xml(full)
    labels = [p for p in root.iter(q("p")) if "".join(t.text or "" for t in p.iter(q("t"))) in ("附件1", "附件2")]
    assert len(labels) == 2
    for p in labels:
        assert p.find("w:pPr/w:pageBreakBefore", NS) is not None
        assert p.find("w:pPr/w:pStyle", NS).get(q("val")) == "AttachmentLabel"


def test_core_properties_come_from_the_document(kazuo):
    core = xml(kazuo, "docProps/core.xml")
    text = ET_tostring(core)
    assert "2018-01-25T00:00:00Z" in text
    assert "喀左县人民政府办公室" in text


def title_package(tmp_path, title_yaml: str):
    folder = tmp_path / "title"
    folder.mkdir(exist_ok=True)
    (folder / "document.yaml").write_text(
        f"document:\n  title: {title_yaml}\n  office: 某县人民政府办公室\n  date: 2021年3月5日\n"
        "body:\n  - title: 正文\n    text: [正文。]\n", encoding="utf-8")
    return folder


def title_lines_of(data: bytes):
    title = xml(data).find(".//w:body/w:p", NS)
    out, line = [], ""
    for node in title.iter(q("t"), q("br")):
        if node.tag == q("br"):
            out.append(line)
            line = ""
        else:
            line += node.text or ""
    return out + [line]


def test_a_typed_title_break_is_kept(tmp_path):
    data, _ = build_package(title_package(tmp_path, "|-\n    某县开展基层政务公开\n    标准化规范化试点工作实施方案"))
    assert title_lines_of(data) == ["某县开展基层政务公开", "标准化规范化试点工作实施方案"]


@pytest.mark.parametrize("title, lines", [
    ("陕西省人民政府办公厅关于印发开展基层政务公开标准化规范化试点工作实施方案的通知",
     ["陕西省人民政府办公厅", "关于印发开展基层政务公开标准化", "规范化试点工作实施方案的通知"]),
    ("三门峡市开展基层政务公开标准化规范化工作实施方案", ["三门峡市开展基层政务公开标准化", "规范化工作实施方案"]),
])
def test_a_long_title_breaks_between_words_into_a_trapezoid(tmp_path, title, lines):
    data, _ = build_package(title_package(tmp_path, title))
    got = title_lines_of(data)
    assert got == lines
    from doctools.typeset.titles import shape_ok, word_bounds
    assert shape_ok([len(line) for line in got]) and max(len(line) for line in got) <= 20
    breaks = [sum(len(line) for line in got[:i + 1]) for i in range(len(got) - 1)]
    assert all(b in word_bounds(title) for b in breaks)                 # never inside a word (jieba)


def test_check_warns_about_a_typed_title_line_wider_than_the_type_area(tmp_path):
    from doctools.commands.build import read_all
    from doctools.errors import Diagnostics

    folder = title_package(tmp_path, "|-\n    某县开展基层政务公开标准化规范化试点工作实施方案的补充\n    通知")
    diags = Diagnostics()
    read_all([folder], diags, [])
    assert [d.message for d in diags.warnings if "title line" in d.message] == [
        "title line '某县开展基层政务公开标准化规范化试点工作实施方案的补充' is 27 characters, wider than the 20 a line of 2号 "
        "type holds; break it where it should wrap, or leave the break out and doctools breaks it between words"]
