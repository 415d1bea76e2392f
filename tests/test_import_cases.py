"""The import cases (tests/import/cases/EXPECTED.md): small invented drafts typed as other places type plans, each
of which ``doctools import`` once read wrongly.  Each test imports its case and checks what EXPECTED.md says a
correct import gives: the package's frame, tasks and units, and where it matters what the build prints.

The typed drafts are made again by tests/import/cases/make_cases.py (python-docx, style Normal with direct
formatting, real tables with merged cells); the three made with pandoc (heading styles) are stored, as pandoc is
not needed to test.
"""
from __future__ import annotations

import datetime
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_import import paragraphs, plan_of, run, task_rows

from doctools.commands.build import load_package as read_package

CASES = ROOT / "tests" / "import" / "cases"
PANDOC = {"r2_headings", "r2b_headings_docno", "n10_pandoc_annex"}
NOTICE_TITLE = "某县人民政府办公室关于印发《某县政务公开工作方案》的通知"
ISSUE = "现将《某县政务公开工作方案》印发给你们，请遵照执行。"
MARCH_1 = datetime.date(2024, 3, 1)


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """Every case's .docx: the typed ones made now by make_cases.py, the pandoc ones as stored."""
    folder = tmp_path_factory.mktemp("cases")
    sys.path.insert(0, str(CASES))
    try:
        spec = importlib.util.spec_from_file_location("make_cases", CASES / "make_cases.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(CASES))
    for _cid, make, _draft, needs_pandoc in module.CASES:
        if not needs_pandoc:
            make(folder)
    for cid in PANDOC:
        (folder / f"{cid}.docx").write_bytes((CASES / f"{cid}.docx").read_bytes())
    return folder


def imported(drafts, tmp_path, cid, *more):
    code, summary = run("import", drafts / f"{cid}.docx", "--out", tmp_path / cid, *more)
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    return read_package(tmp_path / cid), summary


def built(tmp_path, cid):
    code, text = run("build", tmp_path / cid, "--out", tmp_path / "out")
    assert code == 0, text
    return tmp_path / "out" / cid


def printed_of(out: Path):
    """The plan's paragraphs as printed, a title's typed line breaks and the tab that lines a wrapped 附件说明 name
    up with its hanging indent (附件：1.⇥名称) left out."""
    return [p.replace("\n", "").replace("\t", "") for p in paragraphs(plan_of(out))]


def names(units):
    return [u.name for u in units]


def test_every_case_of_expected_md_has_a_test():
    listed = [line.split("|")[1].strip() for line in (CASES / "EXPECTED.md").read_text(encoding="utf-8").splitlines()
              if line.startswith("| ") and not line.startswith(("| case id", "|---"))]
    tests = {name for name in globals() if name.startswith("test_")}
    assert len(listed) == 21
    assert not [cid for cid in listed if not any(cid in t for t in tests)]


def frame_of_r1(package):
    doc = package.document
    assert doc.title == "某县政务公开工作方案"
    assert doc.notice is not None and doc.notice.title == NOTICE_TITLE
    assert [p[0].text for p in doc.notice.paragraphs] == [ISSUE]
    assert doc.office == "某县人民政府办公室" and doc.date == MARCH_1


def test_r1_docno_first_the_number_is_the_headers_and_the_notice_keeps_its_title(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "r1_docno_first")
    frame_of_r1(package)
    assert package.document.header.number == "某政办〔2024〕3号"
    assert "guessed (check these):" in summary and "发文机关标志 某县人民政府办公室文件 made from" in summary
    printed = printed_of(built(tmp_path, "r1_docno_first"))
    assert printed.count("某县政务公开工作方案") == 1 and NOTICE_TITLE in printed and ISSUE in printed
    assert "某政办〔2024〕3号" in printed and printed.index("某政办〔2024〕3号") < printed.index(NOTICE_TITLE)


def test_r1b_no_docno_duty_verbs_stay_out_of_unit_names(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "r1b_no_docno")
    frame_of_r1(package)
    assert names(package.units) == ["县政务服务中心", "县直各部门", "县司法局", "县财政局", "各乡镇人民政府"]
    assert [(names(t.lead), names(t.responsible)) for t in package.tasks] == [
        (["县政务服务中心"], ["县直各部门"]), (["县司法局", "县财政局"], ["各乡镇人民政府"])]
    out = built(tmp_path, "r1b_no_docno")
    rows = task_rows(out)
    assert rows[1] == ["序号", "工作任务", "牵头单位", "责任单位"]
    assert rows[3][2:] == ["县司法局、县财政局", "各乡镇人民政府"]
    printed = paragraphs(plan_of(out))
    assert "责任单位：县政务服务中心牵头，县直各部门按职责分工负责" in printed


@pytest.mark.parametrize("cid", ["r2_headings", "r2b_headings_docno"])
def test_r2_headings_and_r2b_headings_docno_read_the_titles_in_heading_styles(drafts, tmp_path, cid):
    package, summary = imported(drafts, tmp_path, cid)
    frame_of_r1(package)
    assert "no title found" not in summary
    doc = package.document
    assert doc.notice.signature is None or (doc.notice.signature.name, doc.notice.signature.date) == (
        "某县人民政府办公室", MARCH_1)
    assert [(s.label, s.title[0].text) for s in doc.sections] == [("一、", "工作目标"), ("二、", "主要任务")]
    if cid == "r2b_headings_docno":
        assert doc.header.number == "某政办〔2024〕3号"
    printed = printed_of(built(tmp_path, cid))
    assert "一、工作目标" in printed and "某县人民政府办公室" in printed and "2024年3月1日" in printed
    assert not any(p.startswith(("（一）某县", "一、某县")) for p in printed)


def test_r3_notice_task_table_keeps_the_attached_task_table(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "r3_notice_task_table")
    assert [(t.text, t.group, names(t.lead), names(t.support)) for t in package.tasks] == [
        ("1.及时公开涉企政策文件。", "一、加强政策公开", [], ["县直各有关单位", "各乡镇人民政府"]),
        ("2.做好政策解读工作。", "一、加强政策公开", ["县发改局"], ["县直各有关单位", "各乡镇人民政府"]),
        ("3.规范政府网站管理。", "二、加强平台建设", ["县政务服务中心"], ["县直各有关单位"])]
    assert "kept as plain text" not in summary
    rows = table_rows(built(tmp_path, "r3_notice_task_table"))
    assert rows == [["工作任务", "工作要求", "牵头单位", "配合/责任单位"],
                    ["加强政策公开", "1.及时公开涉企政策文件。", "", "县直各有关单位，各乡镇人民政府"],
                    ["加强政策公开", "2.做好政策解读工作。", "县发改局", "县直各有关单位，各乡镇人民政府"],
                    ["加强平台建设", "3.规范政府网站管理。", "县政务服务中心", "县直各有关单位"]]


def table_rows(out: Path, index: int = 0):
    """The cells of a table the plan prints (a merged cell's text in each row it spans), and how many merges."""
    import docx

    document = docx.Document(str(plan_of(out)))
    return [[c.text for c in r.cells] for r in document.tables[index].rows]


def merges(out: Path, index: int = 0) -> int:
    import docx

    return docx.Document(str(plan_of(out))).tables[index]._tbl.xml.count("<w:vMerge")


def test_r4_paren_duty_reads_every_item_and_its_groups(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "r4_paren_duty")
    tasks = package.tasks
    assert len(tasks) == 5
    assert [names(t.lead + t.support + t.responsible) for t in tasks[2:]] == [
        ["县生态环境局", "县农业农村局", "县市场监管局", "县海关"], ["县发改局", "县市场监管局", "县海关"],
        ["县发改局", "县生态环境局"]]
    assert names(tasks[2].lead) == ["县生态环境局"]
    assert not [u.name for u in package.units if "等" in u.name or "职责" in u.name or "负责" in u.name]
    # 以下均需各乡镇配合落实: a rule for the later items, said in the summary as a guess
    assert names(tasks[0].later.get("support", [])) == ["各乡镇"]
    assert "a rule for every later task" in summary.split("guessed (check these):")[1]
    out = built(tmp_path, "r4_paren_duty")
    printed = paragraphs(plan_of(out))
    assert "3.实施风险评估。分批开展评估。（县生态环境局牵头，县农业农村局、县市场监管局，县海关等按职责分工负责）" in printed
    assert "1.开展信息调查。年底前完成首轮调查。（县生态环境局牵头负责；各乡镇负责配合落实，以下均需各乡镇配合落实，不再列出）" \
        in printed


def test_r5_three_roles_each_in_its_column(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "r5_three_roles")
    assert [(names(t.lead), names(t.roles.get("chief", [])), names(t.responsible)) for t in package.tasks] == [
        (["农业农村办"], ["农业农村办", "规划建设办"], ["农业农村办", "规划建设办", "党政办", "各行政村"]),
        (["规划建设办"], ["规划建设办", "社会事务办"], ["社会事务办", "党政办", "各行政村"])]
    rows = task_rows(built(tmp_path, "r5_three_roles"))
    assert rows[1] == ["序号", "工作任务", "牵头单位", "主抓单位", "责任单位"]
    assert rows[2][2:] == ["农业农村办", "农业农村办、规划建设办", "农业农村办、规划建设办、党政办、各行政村"]


def test_r6_inline_deadlines_become_the_tasks_deadlines(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "r6_inline_deadlines")
    [task] = package.tasks
    assert task.deadline is not None and task.deadline.official() == "2024年10月底前"
    assert task.text.startswith("2024年10月底前实现“一网通办”") and names(task.responsible) == ["县政务服务中心"]
    guessed = summary.split("guessed (check these):")[1]
    assert "numbered item stating a deadline (5月底前) but no unit" in guessed        # item 1, said, not dropped
    assert "完成时限 from the task's text (2024年10月底前)" in guessed
    out = built(tmp_path, "r6_inline_deadlines")
    rows = task_rows(out)
    assert rows[1] == ["序号", "工作任务", "责任单位", "完成时限"]
    assert rows[2] == ["1", "2024年10月底前实现“一网通办”。整合各类办事系统。", "县政务服务中心", "2024年10月底前"]
    printed = printed_of(out)
    assert "1.梳理公开事项目录（5月底前完成）。逐项列明权力名称和依据。" in printed
    assert "2.2024年10月底前实现“一网通办”。整合各类办事系统。" in printed


def test_r7_title_stub_leaves_no_character_alone_on_a_line(drafts, tmp_path):
    """The title as LibreOffice renders it (doctools audit): digits measure wider than half a character, so
    …印发2022年 no longer fills a line by halves and then wraps its 年 onto a line of its own."""
    imported(drafts, tmp_path, "r7_title_stub")
    code, report = run("audit", "--json", plan_of(built(tmp_path, "r7_title_stub")))
    title = [c for c in json.loads(report)[0]["checks"] if c["clause"] == "7.3.1"]
    assert len(title) == 4 and all(c["pass"] for c in title), title        # 4: the title is a title, too
    shape = next(c for c in title if "梯形" in c["requirement"])
    widths = [float(w) for w in shape["measured"].split()[0].split("/")]
    assert len(widths) == 3 and min(widths) > 8


@pytest.mark.parametrize("cid", ["n1a_group_merged", "n1b_group_unmerged"])
def test_n1a_group_merged_and_n1b_group_unmerged_give_a_task_a_row(drafts, tmp_path, cid):
    package, summary = imported(drafts, tmp_path, cid)
    assert [(t.text, t.group, names(t.lead), names(t.support), t.deadline.official()) for t in package.tasks] == [
        ("召开全县动员会议。", "加强组织领导", ["县政府办公室"], ["各乡镇"], "2024年3月"),
        ("建立联席会议制度。", "加强组织领导", ["县政府办公室"], ["县司法局"], "2024年5月"),
        ("更新政府网站公开专栏。", "推进平台建设", ["县数据局"], ["各乡镇"], "2024年6月"),
        ("编制公开事项目录。", "推进平台建设", ["县司法局"], ["县直各单位"], "2024年9月")]
    assert "kept as plain text" not in summary and "guessed" not in summary
    out = built(tmp_path, cid)
    rows = table_rows(out)
    assert [r[2] for r in rows] == ["任务内容", "召开全县动员会议。", "建立联席会议制度。", "更新政府网站公开专栏。",
                                    "编制公开事项目录。"]
    assert [r[0] for r in rows[1:]] == ["加强组织领导"] * 2 + ["推进平台建设"] * 2 and merges(out) == 4


def test_n1c_group_first_blank_loses_no_row(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "n1c_group_first_blank")
    assert [(t.text, t.group, names(t.responsible)) for t in package.tasks] == [
        ("推进城北片区规划研究", None, ["县规划局", "县住建局"]), ("更新政府网站公开专栏", "平台建设", ["县数据局"]),
        ("编制公开事项目录", "平台建设", ["县司法局"])]
    rows = table_rows(built(tmp_path, "n1c_group_first_blank"))
    assert [r[2:] for r in rows] == [["工作任务", "推进单位"], ["推进城北片区规划研究", "县规划局、县住建局"],
                                     ["更新政府网站公开专栏", "县数据局"], ["编制公开事项目录", "县司法局"]]


def test_n2_body_table_stays_a_table(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "n2_body_table")
    assert "a table inside the body kept as a table (3 rows × 3 columns)" in summary
    out = built(tmp_path, "n2_body_table")
    assert table_rows(out) == [["年份", "区域", "面积（平方公里）"], ["2024年", "城东片区", "3.25"], ["2025年", "城西片区", "6.80"]]
    import docx

    body = docx.Document(str(plan_of(out))).element.body
    order = ["[table]" if el.tag.endswith("}tbl") else "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
             for el in body.iterchildren() if el.tag.endswith(("}tbl", "}p"))]
    order = [t for t in order if t.strip()]
    at = order.index("[table]")
    assert order[at - 1].startswith("表1") and order[at - 1].endswith("年度目标表") and order[at + 1] == "（二）加强队伍建设"
    assert not [t for t in order if t.startswith("2024年 城东片区")]           # no row printed as a paragraph


def test_n3_no_office_keeps_the_notice_text_and_prints_its_date(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "n3_no_office")
    notice = package.document.notice
    assert [p[0].text for p in notice.paragraphs] == [ISSUE]
    assert notice.signature.date == MARCH_1 and notice.signature.sealed
    assert "the notice's date has no 署名 line over it" in summary.split("guessed (check these):")[1]
    printed = paragraphs(plan_of(built(tmp_path, "n3_no_office")))
    assert ISSUE in printed and "2024年3月1日" in printed


def test_n4_joint_signoff_keeps_every_organ(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "n4_joint_signoff")
    signature = package.document.notice.signature
    assert signature.name.split("\n") == ["某县发展和改革局某县财政局", "某县住房和城乡建设局某县教育局", "某县商务局"]
    assert signature.date == MARCH_1
    assert "a joint 署名 of 3 lines" in summary.split("guessed (check these):")[1]
    printed = paragraphs(plan_of(built(tmp_path, "n4_joint_signoff")))
    sign_off = printed.index("2024年3月1日") - 1
    assert printed[sign_off] == signature.name and ISSUE == printed[sign_off - 1]
    assert not [p for p in printed if p in ("某县商务局", "某县发展和改革局某县财政局")]      # no office line as body text


def test_n5_duty_paragraph_belongs_to_the_task_above_it(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "n5_duty_paragraph")
    assert [names(t.responsible) for t in package.tasks] == [
        ["县发展改革局", "县住建局"], ["县住建局", "各乡镇"], ["县金融办"]]
    out = built(tmp_path, "n5_duty_paragraph")
    assert len(task_rows(out)) == 2 + 3
    printed = paragraphs(plan_of(out))
    assert "（责任单位：县发展改革局、县住建局）" in printed and "加大绿色信贷投放。（责任单位：县金融办）" in printed


def test_n6_support_role_is_its_own_part(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "n6_support_role")
    task = package.tasks[0]
    assert (names(task.lead), names(task.support)) == (["县住建局"], ["各乡镇"])
    assert not [u.name for u in package.units if "：" in u.name]
    out = built(tmp_path, "n6_support_role")
    rows = task_rows(out)
    assert rows[1][:4] == ["序号", "工作任务", "牵头单位", "配合单位"] and rows[2][2:4] == ["县住建局", "各乡镇"]
    assert "1.完成旧住房修缮10万平方米。（牵头单位：县住建局，支撑单位：各乡镇）" in paragraphs(plan_of(out))


def test_n7_form_blanks_keep_their_spaces(drafts, tmp_path):
    imported(drafts, tmp_path, "n7_form_blanks")
    import docx

    printed = [p.text for p in docx.Document(str(plan_of(built(tmp_path, "n7_form_blanks")))).paragraphs]
    assert {"位置：北起        街，西起        街", "会议时间：自      年    月    日", "申请单位（公章）：          电话："} \
        <= set(printed)


def test_n8_unnumbered_headings_are_headings(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "n8_unnumbered_headings")
    sections = package.document.sections
    assert [(s.label, s.title[0].text, s.level) for s in sections] == [("", "总体要求", 1), ("", "情况一：新办理备案", 1)]
    assert [(s.label, s.title[0].text) for s in sections[1].children] == [("（一）", "资料审查"), ("（二）", "现场评审")]
    out = built(tmp_path, "n8_unnumbered_headings")
    printed = printed_of(out)
    assert "总体要求" in printed and "一、总体要求" not in printed and "（一）资料审查" in printed
    code, report = run("audit", "--json", plan_of(out))
    body = [c for c in json.loads(report)[0]["checks"] if c["clause"] == "7.3.3"]
    assert all(c["pass"] for c in body), body
    assert {"level 1 headings in 黑体", "level 2 headings in 楷体"} <= {c["requirement"] for c in body}


def test_n9_annexlist_wrapped_is_one_list(drafts, tmp_path):
    package, summary = imported(drafts, tmp_path, "n9_annexlist_wrapped")
    assert [a.title for a in package.document.attachments] == [
        "2024年某县政务公开工作领导小组成员单位职责清单", "2024年某县政务公开工作指标"]
    assert "a name wrapped onto a line of its own joined back" in summary.split("guessed (check these):")[1]
    printed = printed_of(built(tmp_path, "n9_annexlist_wrapped"))
    assert printed.count("附件：1.2024年某县政务公开工作领导小组成员单位职责清单") == 1
    assert "组成员单位职责清单" not in printed and printed.count("2.2024年某县政务公开工作指标") == 1


def test_n10_pandoc_annex_prints_the_attached_plans_title_once(drafts, tmp_path):
    package, _summary = imported(drafts, tmp_path, "n10_pandoc_annex")
    attachment = package.document.attachments[0]
    assert attachment.title == "某县路长制实施方案"
    printed = printed_of(built(tmp_path, "n10_pandoc_annex"))
    assert printed.count("某县路长制实施方案") == 1 and "附件：某县路长制实施方案" in printed
    assert not any(p.startswith("（一）某县路长制") for p in printed)
    section = attachment.sections[0]
    assert section.title[0].text == "适用范围" and not section.children
    assert ["".join(r.text for r in b.runs) for b in section.blocks] == [
        "(一)本县乡道按本方案执行。", "(二)本县县道按原方案执行。", "(三)本方案所称乡镇指全县各乡镇。"]


def test_import_json_gives_the_summarys_account(drafts, tmp_path):
    code, out = run("import", drafts / "r1_docno_first.docx", "--out", tmp_path / "pkg", "--json")
    assert code == 0, out
    account = json.loads(out)
    assert account["check"] == {"errors": 0, "warnings": 0}
    assert "document.yaml" in account["files"]
    guessed = [r for r in account["recognitions"] if r["confidence"] == "guessed"]
    assert [(r["rule"], r["paragraphs"]) for r in guessed] == [("frame", [1])]
    assert {r["confidence"] for r in account["recognitions"]} == {"sure", "guessed"}
    assert all(r["rule"] for r in account["recognitions"])


# ---- drafts typed from published plans ---------------------------------------------------------------

XIANYANG = [  # 咸阳市2022年深化"放管服"改革优化营商环境工作要点 (a web copy), its first two points typed as a clerk does
    ("一、坚持系统集成，推动审批全链条优化", "HT"),
    ("1.全面实施行政许可事项清单管理。依据国家和省行政许可事项清单，2022年10月底前编制并公布市、县两级行政许可事项清单。"
     "（市政府办公室、市行政审批制度改革工作领导小组办公室牵头，市级各有关部门及各县市区政府按职责分工负责）", "FS"),
    ("2.持续深化相对集中行政许可权改革。依托行政许可事项清单，全面梳理规范改革事项划转目录。（市行政审批服务局牵头，"
     "市级各有关部门配合）", "FS"),
]


def test_a_typed_copy_of_a_published_plan_reads_its_duty_verbs(tmp_path):
    """Xianyang's 工作要点: each point closes with the units and their verbs in brackets (…牵头，…按职责分工负责);
    the lead and the others are told apart, and a date opening no sentence stays words."""
    sys.path.insert(0, str(CASES))
    try:
        import typed
    finally:
        sys.path.remove(str(CASES))
    import docx

    document = docx.Document()
    typed.para(document, [("咸阳市2022年深化“放管服”改革优化营商环境工作要点", typed.XBS, 22)], align=typed.C, first=0,
               exact=None)
    typed.blank(document)
    for text, font in XIANYANG:
        typed.para(document, [(text, getattr(typed, font), 16)])
    typed.blank(document, 2)
    typed.para(document, [("咸阳市人民政府办公室", typed.FS, 16)], align=typed.R, first=0)
    typed.para(document, [("2022年6月20日", typed.FS, 16)], align=typed.R, first=0)
    document.save(str(tmp_path / "xianyang.docx"))
    code, summary = run("import", tmp_path / "xianyang.docx", "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    assert [(names(t.lead), names(t.support), names(t.responsible)) for t in tasks] == [
        (["市政府办公室", "市行政审批制度改革工作领导小组办公室"], [], ["市级各有关部门及各县市区政府"]),
        (["市行政审批服务局"], ["市级各有关部门"], [])]
    assert all(t.deadline is None for t in tasks)
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    printed = printed_of(tmp_path / "out" / "pkg")
    assert [p for p in printed if p.startswith(("1.", "2."))] == [t for t, _f in XIANYANG[1:]]


def test_under_a_chinese_locale_the_guesses_and_the_json_account_are_chinese(drafts, tmp_path):
    from click.testing import CliRunner

    from doctools.cli import main

    env = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
    result = CliRunner(env=env).invoke(main, ["import", str(drafts / "r6_inline_deadlines.docx"), "--out",
                                              str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    guessed = lines[lines.index("推测（请核对）："):]
    assert "  完成时限取自任务正文（2024年10月底前）: ¶5-6" in guessed, lines
    result = CliRunner(env=env).invoke(main, ["import", str(drafts / "n3_no_office.docx"), "--out",
                                              str(tmp_path / "json"), "--json"])
    account = json.loads(result.output)["recognitions"]
    assert [r["what"] for r in account if r["confidence"] == "guessed"] == [
        "印发通知的日期上方没有署名行：署名交由印章（加盖印章），发文机关取通知标题中的机关；请核对"]
