"""Attachment tables read back from the produced .xlsx, .docx and PDF."""
import io
import shutil
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import (NS, copy_package, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, W, PT_PER_MM, body_texts, build, open_pdf, page_rows,
                     q, sheet_rows, xml)

from doctools.typeset import gbt9704 as G
from doctools.cli import main

TABLES = ROOT / "tests" / "packages" / "tables"
PLAN = "某县政务公开任务分工测试方案.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(TABLES, tmp_path_factory.mktemp("tables"))


def test_task_workbook_cells_groups_and_ids(built):
    wb = openpyxl.load_workbook(built / "任务分工表.xlsx")
    assert wb.sheetnames == ["任务分工表", "进度安排", "进度安排（按月）"]
    ws = wb["任务分工表"]
    assert sheet_rows(ws) == [
        ["任务分工表", "", "", "", "", "", ""],
        ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "备注", "编号"],
        ["一、主要任务", "", "", "", "", "", ""],
        ["1", "=SUM(A1:A2)不是公式，是任务文字。", "县政府办公室", "县财政局、各乡镇人民政府", "2021年6月底前", "", "t1"],
        ["2", "编制社会救助事项目录。", "县民政局", "", "2021年3月底", "", "t2"],
        ["二、保障措施", "", "", "", "", "", ""],
        ["3", "加强政务公开队伍建设。", "各乡镇人民政府", "", "持续推进", "", "t3"],
        ["4", "开展年度评估。", "县政府办公室", "", "2021年12月", "年底前报送", "t4"],
    ]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:F1", "A3:F3", "A6:F6"}
    assert ws.column_dimensions["G"].hidden                      # 编号, for reading the table back
    assert ws["A3"].style == "分组行" and ws["B2"].style == "表头" and ws["B4"].style == "表格正文"
    assert ws["B2"].font.name == "黑体" and ws["B4"].font.name == "仿宋_GB2312"


def test_task_workbook_page_setup(built):
    ws = openpyxl.load_workbook(built / "任务分工表.xlsx")["任务分工表"]
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"                       # header repeated on every printed page
    assert ws.print_area == "'任务分工表'!$A$1:$F$8"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"                   # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert "&P" in ws.oddFooter.center.text


def test_no_cell_is_a_formula(built):
    for name in ("任务分工表.xlsx", "各单位任务清单.xlsx"):
        data = (built / name).read_bytes()
        wb = openpyxl.load_workbook(io.BytesIO(data))
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate)
        archive = zipfile.ZipFile(io.BytesIO(data))
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(part) and b"<f " not in archive.read(part)
    cell = openpyxl.load_workbook(built / "任务分工表.xlsx")["任务分工表"]["B4"]
    assert cell.value.startswith("=") and cell.quotePrefix


def test_columns_and_rows_are_sized_for_chinese_text(built):
    from doctools.typeset.gbt9704 import display_width
    ws = openpyxl.load_workbook(built / "任务分工表.xlsx")["任务分工表"]
    # a column that does not wrap is wide enough for its longest cell (about 2 units a CJK character)
    for col in "ACE":
        longest = max(display_width(str(ws[f"{col}{r}"].value or "")) for r in range(4, 9) if r != 6)
        assert ws.column_dimensions[col].width >= longest * 2
    # every data row has a height, tall enough for its wrapped lines
    for r in range(2, 9):
        assert ws.row_dimensions[r].height and ws.row_dimensions[r].height >= 16


def test_month_grid_marks_each_month(built):
    ws = openpyxl.load_workbook(built / "任务分工表.xlsx")["进度安排（按月）"]
    rows = sheet_rows(ws)
    assert rows[1] == ["阶段及任务", "2021年1月"] + [f"{m}月" for m in range(2, 13)]
    marks = {row[0]: "".join("■" if c == "■" else "." for c in row[1:]) for row in rows[2:]}
    assert marks["部署阶段"] == "■■■........."
    assert marks["实施阶段"] == "...■■■■■■■■■"
    assert marks["编制社会救助事项目录。"] == "..■........."
    assert marks["加强政务公开队伍建设。"] == "■■■■■■■■■■■■"          # 持续推进 runs to the end
    assert marks["=SUM(A1:A2)不是公式，是任务文字。"] == "■■■■■■......"  # 6月底前: from the start


def test_unit_lists_one_sheet_per_unit(built):
    wb = openpyxl.load_workbook(built / "各单位任务清单.xlsx")
    assert wb.sheetnames == ["县政府办公室", "县财政局", "县民政局", "各乡镇人民政府"]
    assert sheet_rows(wb["县财政局"])[1:] == [["序号", "工作任务", "职责", "完成时限", "编号"],
                                          ["1", "=SUM(A1:A2)不是公式，是任务文字。", "配合", "2021年6月底前", "t1"]]
    office = [r[1:4] for r in sheet_rows(wb["县政府办公室"])[2:]]
    assert office == [["=SUM(A1:A2)不是公式，是任务文字。", "牵头", "2021年6月底前"], ["开展年度评估。", "牵头", "2021年12月"]]
    towns = [r[1:3] for r in sheet_rows(wb["各乡镇人民政府"])[2:]]
    assert towns == [["=SUM(A1:A2)不是公式，是任务文字。", "配合"], ["加强政务公开队伍建设。", "负责"]]


def test_unit_lists_docx_one_page_per_unit(built):
    data = (built / "各单位任务清单.docx").read_bytes()
    root = xml(data)
    titles = [p for p in root.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "DocTitle"]
    assert ["".join(t.text for t in p.iter(q("t"))) for p in titles] == \
        ["县政府办公室任务清单", "县财政局任务清单", "县民政局任务清单", "各乡镇人民政府任务清单"]
    assert [p.find("w:pPr/w:pageBreakBefore", NS) is not None for p in titles] == [False, True, True, True]
    assert len(root.findall(".//w:tbl", NS)) == 4


def docx_tables(data):
    out = []
    for tbl in xml(data).iter(q("tbl")):
        if tbl.find("w:tblPr/w:tblCaption", NS) is not None:
            continue                                               # the 版记
        rows = [["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.findall("w:tc", NS)] for tr in tbl.findall("w:tr", NS)]
        out.append((tbl, rows))
    return out


def test_plan_attachment_tables_cells_and_flags(built):
    data = (built / PLAN).read_bytes()
    (task_tbl, rows), (gantt_tbl, gantt_rows) = docx_tables(data)
    assert rows[0] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "备注"]
    assert rows[1] == ["一、主要任务"]                                 # group row merged across
    assert rows[2] == ["1", "=SUM(A1:A2)不是公式，是任务文字。", "县政府办公室", "县财政局、各乡镇人民政府", "2021年6月底前", ""]
    assert rows[6] == ["4", "开展年度评估。", "县政府办公室", "", "2021年12月", "年底前报送"]
    for tbl, width in ((task_tbl, G.TEXT_WIDTH), (gantt_tbl, G.TEXT_HEIGHT)):
        trs = tbl.findall("w:tr", NS)
        assert trs[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(tr.find("w:trPr/w:tblHeader", NS) is None for tr in trs[1:])
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in trs)
        grid = [int(c.get(q("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) == width                                  # the 版心 width (landscape: its height)
        assert int(tbl.find("w:tblPr/w:tblW", NS).get(q("w"))) == width
        first_cells = [int(tc.find("w:tcPr/w:tcW", NS).get(q("w"))) for tc in trs[0].findall("w:tc", NS)]
        assert first_cells == grid
    assert gantt_rows[0][:2] == ["阶段及任务", "2021年1月"]
    # the cells use the table styles: 仿宋 single-spaced, 黑体 header
    styles = xml(data, "word/styles.xml")
    text = styles.find("w:style[@w:styleId='TableText']", NS)
    assert text.find("w:pPr/w:spacing", NS).get(q("lineRule")) == "auto"
    assert text.find("w:rPr/w:rFonts", NS).get(q("eastAsia")) == "仿宋_GB2312"


def test_wide_table_gets_a_landscape_section_and_numbering_runs_on(built):
    root = xml((built / PLAN).read_bytes())
    sections = [p.find("w:pPr/w:sectPr", NS) for p in root.iter(q("p")) if p.find("w:pPr/w:sectPr", NS) is not None]
    sections.append(root.find(".//w:body/w:sectPr", NS))
    orient = [s.find("w:pgSz", NS).get(q("orient")) for s in sections]
    assert "landscape" in orient
    landscape = sections[orient.index("landscape")]
    assert landscape.find("w:pgSz", NS).get(q("w")) == str(G.PAGE_HEIGHT)
    assert all(s.find("w:pgNumType", NS) is None for s in sections)   # no restart: numbers run on
    assert orient[-1] is None                                          # back to portrait for the 版记


def long_table_package(tmp_path):
    folder = tmp_path / "long"
    shutil.copytree(TABLES, folder)
    extra = "\n".join(f"  - {{id: x{i:02d}, text: 第{i}项补充任务，细化公开内容并按期报送工作进展情况。, lead: 县民政局, deadline: 2021年{i % 12 + 1}月}}"
                      for i in range(1, 41))
    text = (folder / "package.yaml").read_text(encoding="utf-8").replace("schedule:\n", extra + "\nschedule:\n", 1)
    (folder / "package.yaml").write_text(text, encoding="utf-8")
    return folder


def test_long_table_repeats_its_header_on_the_next_page_inside_the_type_area(tmp_path, pdf_of):
    out = build(long_table_package(tmp_path), tmp_path / "out")
    pdf = open_pdf(pdf_of((out / PLAN).read_bytes()))
    pages_with_rows = [p for p in pdf.pages if "补充任务" in (p.extract_text() or "")]
    assert len(pages_with_rows) >= 2
    for page in pages_with_rows:
        rows = page_rows(page)
        # the task table's header (序号…) or the month grid's (阶段及任务…) heads every page
        header = next(i for i, r in enumerate(rows) if "序号" in r.text or "阶段及任务" in r.text)
        assert all("补充任务" not in r.text for r in rows[:header])    # the header comes before the rows
        if page.width > page.height:   # landscape: the portrait margins turned with the page
            left, right = G.MARGIN_BOTTOM / 20, page.width - G.MARGIN_TOP / 20
            top, bottom = G.MARGIN_LEFT / 20, page.height - G.MARGIN_RIGHT / 20
        else:
            left, right, top, bottom = TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM
        for r in rows:
            if r.top >= bottom or r.x1 <= left:
                continue                     # the page number (on a landscape page turned, left of the 版心)
            assert left - PT_PER_MM <= r.x0 and r.x1 <= right + PT_PER_MM, (page.page_number, r.text)
            assert top - PT_PER_MM <= r.top and r.bottom <= bottom + PT_PER_MM, (page.page_number, r.text)


def edited_workbook_package(tmp_path, edit):
    """The tables package, its built 任务分工表.xlsx edited by *edit(sheet)* as staff would, and named as the task source."""
    package = tmp_path / "pkg"
    shutil.copytree(TABLES, package)
    first = build(package, tmp_path / "out1")
    shutil.copy(first / "任务分工表.xlsx", package / "任务分工表.xlsx")
    wb = openpyxl.load_workbook(package / "任务分工表.xlsx")
    edit(wb["任务分工表"])
    wb.save(package / "任务分工表.xlsx")
    yaml = package / "package.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("    group: section\n", "    group: section\n    source: 任务分工表.xlsx\n"),
                    encoding="utf-8")
    return package


def test_round_trip_edited_workbook_drives_body_and_unit_lists(tmp_path):
    def edit(ws):
        assert ws["E4"].value == "2021年6月底前"
        ws["E4"] = "2021年9月底前"                               # a deadline changed
        ws["D5"] = "县财政局"                                     # a unit added
        ws.append(["5", "新增：建立政务公开考核机制。", "县民政局", "", "2021年10月", ""])   # a row added

    second = build(edited_workbook_package(tmp_path, edit), tmp_path / "out2")
    body = "".join(body_texts((second / PLAN).read_bytes()))
    assert "（牵头单位：县政府办公室；配合单位：县财政局、各乡镇人民政府。完成时限：2021年9月底前）" in body
    assert "（牵头单位：县民政局；配合单位：县财政局。完成时限：2021年3月底）" in body
    lists = openpyxl.load_workbook(second / "各单位任务清单.xlsx")
    assert ["新增：建立政务公开考核机制。", "牵头", "2021年10月"] in [r[1:4] for r in sheet_rows(lists["县民政局"])]
    assert ["编制社会救助事项目录。", "配合", "2021年3月底"] in [r[1:4] for r in sheet_rows(lists["县财政局"])]
    table = openpyxl.load_workbook(second / "任务分工表.xlsx")["任务分工表"]
    assert "新增：建立政务公开考核机制。" in [r[1] for r in sheet_rows(table)]


def test_unreadable_cells_are_reported_by_sheet_row_and_column(tmp_path):
    def edit(ws):
        ws["C5"] = "县民证局"
        ws["E7"] = "2021年13月"

    package = edited_workbook_package(tmp_path, edit)
    result = CliRunner().invoke(main, ["build", str(package), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 2
    assert "任务分工表.xlsx[任务分工表]:5:3: error: cell C5: unit '县民证局' is not in the unit registry (did you mean '县民政局'" in result.output
    assert "任务分工表.xlsx[任务分工表]:7:5: error: cell E7 (完成时限): '2021年13月': there is no month 13" in result.output
    assert not (tmp_path / "out2").exists()


def test_tables_as_a_separate_document_on_request(built):
    data = (built / "任务分工表.docx").read_bytes()
    root = xml(data)
    titles = [p for p in root.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "DocTitle"]
    assert ["".join(t.text for t in p.iter(q("t"))) for p in titles] == ["任务分工表", "进度安排", "进度安排（按月）"]
    tables = root.findall(".//w:tbl", NS)
    assert len(tables) == 3
    sizes = [s.find("w:pgSz", NS).get(q("orient")) for s in root.iter(q("sectPr"))]
    assert "landscape" in sizes                                    # the month grid turns the page


def test_workbook_opens_in_libreoffice_calc(built, tmp_path):
    """The workbook as a spreadsheet program reads it, not only openpyxl."""
    import csv
    import subprocess

    from doctools.convert.libreoffice import soffice
    exe = soffice()
    assert exe, "LibreOffice is not installed; run the install command of the README"
    result = subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", str(tmp_path), str(built / "任务分工表.xlsx")], capture_output=True, text=True, timeout=120)
    sheet = tmp_path / "任务分工表-任务分工表.csv"
    assert sheet.is_file(), result.stdout + result.stderr
    rows = list(csv.reader(sheet.open(encoding="utf-8")))
    assert rows[1] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "备注", "编号"]
    assert rows[3] == ["1", "=SUM(A1:A2)不是公式，是任务文字。", "县政府办公室", "县财政局、各乡镇人民政府", "2021年6月底前", "", "t1"]
    assert rows[2][0] == "一、主要任务"
    assert (tmp_path / "任务分工表-进度安排（按月）.csv").is_file()


def test_a_deadline_column_is_centred_in_word_and_excel_whatever_its_header(tmp_path):
    package = copy_package(TABLES, tmp_path / "tables", {"package.yaml": ("配合单位, 完成时限, 备注]", "配合单位, 完成时间, 备注]")})
    out = build(package, tmp_path / "out")
    ws = openpyxl.load_workbook(out / "任务分工表.xlsx")["任务分工表"]
    header = [c.value for c in ws[2]]
    column = header.index("完成时间") + 1
    body = [ws.cell(row=r, column=column) for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=column).value]
    assert body and all(c.alignment.horizontal == "center" for c in body)
    assert ws.cell(row=3 + 1, column=header.index("工作任务") + 1).alignment.horizontal != "center"
    doc = xml((out / "任务分工表.docx").read_bytes())
    rows = doc.findall(f".//{q('tbl')}/{q('tr')}")
    cells = rows[0].findall(q("tc"))
    index = ["".join(c.itertext()) for c in cells].index("完成时间")
    jc = [r.findall(q("tc"))[index].find(f".//{q('jc')}") for r in rows[1:] if len(r.findall(q("tc"))) == len(cells)]
    assert jc and all(j is not None and j.get(q("val")) == "center" for j in jc)
