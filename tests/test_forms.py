"""Tables and forms as other counties print them (tests/packages/forms), read back from the .xlsx, .docx and PDF."""
import shutil

import openpyxl
import pytest
from conftest import ROOT
from click.testing import CliRunner
from helpers import NS, PT_PER_MM, TEXT_LEFT, TEXT_RIGHT, body_texts, build, open_pdf, page_rows, q, sheet_rows, xml

from doctools.cli import main

FORMS = ROOT / "tests" / "packages" / "forms"
PLAN = "某区政务公开重点工作任务分工方案.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(FORMS, tmp_path_factory.mktemp("forms"))


def word_tables(data):
    """Each table (not the 版记) as rows of (text, vMerge) per cell."""
    out = []
    for tbl in xml(data).iter(q("tbl")):
        if tbl.find("w:tblPr/w:tblCaption", NS) is not None:
            continue
        rows = []
        for tr in tbl.findall("w:tr", NS):
            cells = []
            for tc in tr.findall("w:tc", NS):
                merge = tc.find("w:tcPr/w:vMerge", NS)
                span = tc.find("w:tcPr/w:gridSpan", NS)
                cells.append(("".join(t.text or "" if t.tag == q("t") else "\n" for t in tc.iter(q("t"), q("br"))),
                              None if merge is None else (merge.get(q("val")) or "continue"),
                              int(span.get(q("val"))) if span is not None else 1))
            rows.append(cells)
        out.append((tbl, rows))
    return out


# ---- columns the package names, a group column merged down ------------------------------------------------------

def test_declared_columns_and_group_column_in_excel(built):
    ws = openpyxl.load_workbook(built / "任务分工表.xlsx")["任务分工表"]
    rows = sheet_rows(ws)
    assert rows[1] == ["类别", "序号", "工作要求", "牵头单位", "配合/责任单位", "完成时限", "编号"]
    assert rows[2][:6] == ["强化政策发布解读", "1", "围绕稳就业、稳物价等群众关切，及时发布政策文件并同步做好解读。", "区政府办公室",
                           "区财政局", "2024年6月底前"]
    assert [r[0] for r in rows[2:]] == ["强化政策发布解读", "", "加强民生领域信息公开", "", "提升公开平台水平"]
    assert [r[1] for r in rows[2:]] == ["1", "2", "3", "4", "5"]            # 序号 runs on across the groups
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:F1", "A3:A4", "A5:A6"}
    assert ws["A3"].alignment.horizontal == "center" and ws["A3"].alignment.vertical == "center"


def test_group_column_merged_down_in_word(built):
    (_, rows) = word_tables((built / PLAN).read_bytes())[0]
    assert [c[0] for c in rows[0]] == ["类别", "序号", "工作要求", "牵头单位", "配合/责任单位", "完成时限"]
    assert [(c[0], c[1]) for c in (r[0] for r in rows[1:])] == [
        ("强化政策发布解读", "restart"), ("", "continue"), ("加强民生领域信息公开", "restart"), ("", "continue"),
        ("提升公开平台水平", None)]
    assert all(len(r) == 6 for r in rows)                                   # no group row spans the table


def test_declared_names_are_read_back_from_an_edited_workbook(tmp_path):
    package = tmp_path / "forms"
    shutil.copytree(FORMS, package)
    first = build(package, tmp_path / "out1")
    shutil.copy(first / "任务分工表.xlsx", package / "任务分工表.xlsx")
    wb = openpyxl.load_workbook(package / "任务分工表.xlsx")
    ws = wb["任务分工表"]
    assert ws["C6"].value == "公开医保目录、定点医药机构名单和报销政策。"
    ws["C6"] = "公开医保目录、定点医药机构名单、报销政策和经办流程。"          # 工作要求, a name the package declared
    ws["E6"] = "区财政局"                                                 # 配合/责任单位
    wb.save(package / "任务分工表.xlsx")
    spec = package / "package.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("    docx: true\n", "    docx: true\n    source: 任务分工表.xlsx\n"),
                    encoding="utf-8")
    second = build(package, tmp_path / "out2")
    body = "".join(body_texts((second / PLAN).read_bytes()))
    assert "公开医保目录、定点医药机构名单、报销政策和经办流程。" in body
    lists = openpyxl.load_workbook(second / "各单位任务清单.xlsx")
    assert ["公开医保目录、定点医药机构名单、报销政策和经办流程。", "配合"] in [r[1:3] for r in sheet_rows(lists["区财政局"])]


# ---- a form given cell by cell: merges, widths, heights, text after it; its 附件说明 name ---------------------------

FORM = ["填报单位（盖章）", "", "", "填报日期", ""]


def test_form_cells_and_merges_in_word(built):
    (_, rows) = word_tables((built / PLAN).read_bytes())[-1]
    # B1:C1 is one cell spanning two grid columns; A4:A5 merged down; B6:E6 one cell over four columns
    assert [(c[0], c[2]) for c in rows[0]] == [("填报单位（盖章）", 1), ("", 2), ("填报日期", 1), ("", 1)]
    assert [c[0] for c in rows[1]] == ["类别", "姓名", "职务", "办公电话", "手机号码"]
    assert [(r[0][0], r[0][1]) for r in rows[3:5]] == [("联络员", "restart"), ("", "continue")]
    assert [(c[0], c[2]) for c in rows[5]] == [("备注", 1), ("", 4)]


def form_grid(page):
    """The x of the form's vertical rules and the y of its horizontal ones, in points."""
    xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    ys = sorted({round(e["top"], 1) for e in page.edges if e["orientation"] == "h"})
    return xs, ys


def test_form_widths_heights_and_the_note_after_it_on_the_page(built, pdf_of):
    pdf = open_pdf(pdf_of((built / PLAN).read_bytes()))
    page = next(p for p in pdf.pages if "填报单位" in (p.extract_text() or ""))
    xs, ys = form_grid(page)
    widths = [round((b - a) / PT_PER_MM, 1) for a, b in zip(xs, xs[1:])]
    assert widths == [40.0, 26.0, 26.0, 30.0, 34.0]                       # as given, in millimetres
    assert abs(xs[0] - TEXT_LEFT) < 1 and abs(xs[-1] - TEXT_RIGHT) < 1    # 156 mm: the 版心
    heights = [round((b - a) / PT_PER_MM, 1) for a, b in zip(ys, ys[1:])]
    assert heights == [12.0, 10.0, 12.0, 12.0, 12.0, 30.0]
    rows = page_rows(page)
    note = next(r for r in rows if r.text.startswith("注："))
    assert note.top > ys[-1]                                              # the text follows the table
    assert "".join(r.text for r in rows).count("备注") == 1


def test_form_listed_by_another_name_is_warned_and_printed(built):
    texts = body_texts((built / PLAN).read_bytes())
    assert "附件：1.重点工作任务分工表" in texts and "3.联络员登记表" in texts
    assert "政务公开工作联络员登记表" in texts                              # the page keeps its title
    result = CliRunner().invoke(main, ["check", str(FORMS)])
    assert result.exit_code == 0
    assert ("package.yaml:49:16: warning: attachment 3 is listed in the 附件说明 as 《联络员登记表》 but its page is "
            "titled 《政务公开工作联络员登记表》; GB/T 9704 7.3.7 wants the same wording") in result.output


# ---- a month grid too wide for one page: in parts, the label column on each ---------------------------------------

def test_month_grid_too_wide_for_a_page_prints_in_parts_in_word(built, pdf_of):
    data = (built / PLAN).read_bytes()
    parts = [rows for _, rows in word_tables(data) if rows[0][0][0] == "阶段及任务"]
    assert len(parts) == 2
    months = [c[0] for part in parts for c in part[0][1:]]
    assert months[0] == "2024年\n3月" and parts[1][0][1][0].startswith("2025年")   # each part's first month with its year
    assert len(months) == 22                                                   # 2024年3月 to 2025年12月, none lost
    assert [r[0][0] for r in parts[0]] == [r[0][0] for r in parts[1]]           # the same label column in both
    pdf = open_pdf(pdf_of(data))
    pages = [p for p in pdf.pages if "阶段及任务" in (p.extract_text() or "")]
    assert len(pages) == 2 and all(p.width > p.height for p in pages)           # landscape, one part a page
    for page in pages:
        cells = [c for c in page.chars if c["text"] == "■"]
        assert cells and min(c["size"] for c in cells) == 12                   # not shrunk
        right = page.width - 37 * PT_PER_MM                                    # the turned 版心's right edge
        assert max(c["x1"] for c in page.chars if c.get("upright", True)) <= right + PT_PER_MM


def test_month_grid_too_wide_for_a_page_prints_in_parts_in_excel(built):
    ws = openpyxl.load_workbook(built / "任务分工表.xlsx")["进度安排（按月）"]
    assert ws.print_title_cols == "$A:$A" and ws.print_title_rows == "$2:$2"  # the label column on every page
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    assert sheet_rows(ws)[1][:3] == ["阶段及任务", "2024年3月", "4月"]


def test_the_tables_document_prints_the_wide_month_grid_in_parts_too(built):
    tables = word_tables((built / "任务分工表.docx").read_bytes())
    grids = [rows for _, rows in tables if rows[0][0][0] == "阶段及任务"]
    assert len(grids) == 2 and sum(len(rows[0]) - 1 for rows in grids) == 22
