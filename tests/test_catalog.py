"""The disclosure catalog: read from county Excel files with their quirks,
written back in the national layout, and checked."""
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT

from doctools.cli import main
from doctools.errors import Diagnostics, Pos
from doctools.typeset.gbt9704 import TEXT_HEIGHT as G_TEXT_HEIGHT
from doctools.readers.catalog import parse_channels, read_catalog_workbook

ROWS = [  # as in shared/data/catalog-sample.md (社会救助, 泽州县民政局)
    ("1", "综合业务", "政策法规文件", "《社会救助暂行办法》；各地配套政策法规文件", "《信息公开条例》及相关规定",
     "制定或获取信息之日起10个工作日内", "县民政局、乡镇政府(街道办事处)", "■政府网站 □政府公报 ■公开查阅点", "√", "", "√", "", "√", "√"),
    ("2", None, "监督检查", "社会救助信访通讯地址；社会救助投诉举报电话", "《信息公开条例》及相关规定",
     "制定或获取信息之日起10个工作日内", "县民政局、乡镇政府(街道办事处)", "■政府网站", "√", "", "√", "", "县级", ""),
    ("3", "最低生活保障", "审核信息", "初审对象名单及相关信息", "《晋城市最低生活保障对象审核确认实施细则》",
     "制定或获取信息之日起10个工作日内,公示7个工作日", "乡镇政府(街道办事处)", "■政府网站 □两微一端 ■社区/企事业单位/村公示栏(电子屏)",
     "", "√", "", "√", "", "√"),
]


def national_workbook(path, rows=ROWS, single_item_column=False, without_mode=False):
    """A catalog as counties publish it: title, two header rows, 一级事项 merged down, a blank row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社会救助"
    ws.append(["社会救助领域基层政务公开标准目录"])
    top = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
           "公开对象", "", "公开方式", "", "公开层级", ""]
    sub = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群众", "主动", "依申请公开", "县级", "乡、村级"]
    data = [list(r) for r in rows]
    if single_item_column:        # one 公开事项 column: the two item cells joined
        top = top[:2] + top[3:]
        sub = sub[:1] + [""] + sub[3:]
        data = [[r[0], (r[1] or "") + (r[2] or "")] + r[3:] for r in data]
    if without_mode:
        cut = top.index("公开方式")
        top, sub = top[:cut] + top[cut + 2:], sub[:cut] + sub[cut + 2:]
        data = [r[:cut] + r[cut + 2:] for r in data]
    ws.append(top)
    ws.append(sub)
    for i, row in enumerate(data):
        ws.append(row)
        if i == 1:
            ws.append([None] * len(row))          # a blank row
    for c, label in enumerate(top, start=1):
        if label and label != "公开事项" and label not in ("公开对象", "公开方式", "公开层级"):
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    for c, label in enumerate(top, start=1):
        if label in ("公开事项", "公开对象", "公开方式", "公开层级") and not (label == "公开事项" and single_item_column):
            ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1)
    if not single_item_column:
        ws.merge_cells("B4:B5")                  # 一级事项 merged down its rows
    wb.save(path)
    return path


def read(path):
    diags = Diagnostics()
    items = read_catalog_workbook(path, path.name, diags, Pos("package.yaml"))
    return items, diags


def test_channels_checkbox_lists():
    assert parse_channels("■政府网站 □政府公报 □两微一端 ■公开查阅点") == (["政府网站", "公开查阅点"], ["政府公报", "两微一端"])
    assert parse_channels("政府网站、公开查阅点") == (["政府网站", "公开查阅点"], [])


def test_national_layout_with_its_quirks(tmp_path):
    items, diags = read(national_workbook(tmp_path / "目录.xlsx"))
    assert not diags.items
    assert [(i.level1, i.level2) for i in items] == [("综合业务", "政策法规文件"), ("综合业务", "监督检查"), ("最低生活保障", "审核信息")]
    first, second, third = items
    assert first.subjects == ["县民政局", "乡镇政府(街道办事处)"]
    assert first.channels == ["政府网站", "公开查阅点"] and first.offered == ["政府公报"]
    assert (first.audience, first.mode, first.level) == (["全社会"], ["主动"], ["县级", "乡、村级"])
    assert second.level == ["县级"]                          # text where a tick would go
    assert (third.audience, third.mode) == (["特定群众"], ["依申请公开"])
    assert third.time_limit == "制定或获取信息之日起10个工作日内,公示7个工作日"


def test_variant_with_one_item_column_and_without_mode(tmp_path):
    items, diags = read(national_workbook(tmp_path / "目录.xlsx", single_item_column=True, without_mode=True))
    assert not diags.items
    assert [i.level1 for i in items] == ["综合业务政策法规文件", "监督检查", "最低生活保障审核信息"]
    assert all(i.mode == [] for i in items) and items[0].level == ["县级", "乡、村级"]


def test_unreadable_rows_are_reported_by_sheet_row_and_column(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][6] = ""                    # no 公开主体
    rows[0][5] = "按规定"               # a 公开时限 that names no time
    _, diags = read(national_workbook(tmp_path / "目录.xlsx", rows=[tuple(r) for r in rows]))
    text = [str(d) for d in diags.items]
    assert "目录.xlsx[社会救助]:4:1: error: catalog item '综合业务—政策法规文件' (cell F4): 公开时限 '按规定' names no time " \
           "(say when, e.g. 信息形成或者变更之日起20个工作日内)" in text
    assert "目录.xlsx[社会救助]:7:1: error: catalog item '最低生活保障—审核信息' (cell G7): 公开主体 is empty" in text


def test_catalog_written_back_in_the_national_layout(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ROOT / "inputs" / "sanmenxia"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "sanmenxia" / "政务公开事项标准目录.xlsx")["政务公开事项标准目录"]
    rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows[1][:9] == ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象"]
    assert rows[2][1:3] == ["一级事项", "二级事项"] and rows[2][8:] == ["全社会", "特定群众", "主动", "依申请公开", "县级", "乡、村级"]
    assert rows[7][:3] == ["5", "", "审核信息"]                   # 一级事项 merged down: only the first cell holds it
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B2:C2", "I2:J2", "K2:L2", "M2:N2", "A2:A3", "B4:B5", "B6:B9"} <= merged
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$2:$3"
    assert rows[3][7] == "■政府网站"


def test_catalog_attachment_in_the_plan_has_the_two_header_rows(tmp_path):
    from helpers import NS, W, xml
    CliRunner().invoke(main, ["build", str(ROOT / "inputs" / "sanmenxia"), "--out", str(tmp_path)])
    data = next((tmp_path / "sanmenxia").glob("三门峡市*.docx")).read_bytes()
    q = lambda n: f"{{{W}}}{n}"
    table = next(t for t in xml(data).iter(q("tbl")) if "公开渠道和载体" in "".join(x.text or "" for x in t.iter(q("t"))))
    rows = table.findall("w:tr", NS)
    cells = lambda tr: ["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.findall("w:tc", NS)]
    assert cells(rows[0])[:4] == ["序号", "公开事项", "公开内容（要素）", "公开依据"]        # 公开事项 spans two columns
    assert cells(rows[1])[1:3] == ["一级事项", "二级事项"]
    assert all(r.find("w:trPr/w:tblHeader", NS) is not None for r in rows[:2])
    spans = [tc.find("w:tcPr/w:gridSpan", NS) for tc in rows[0].findall("w:tc", NS)]
    assert [int(s.get(q("val"))) if s is not None else 1 for s in spans] == [1, 2, 1, 1, 1, 1, 1, 2, 2, 2]
    assert sum(int(c.get(q("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)) == G_TEXT_HEIGHT   # landscape 版心
