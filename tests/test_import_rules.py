"""The recogniser of ``doctools import`` is a table of small rules over one state (doctools/readers/docx/):
no function in it grows past a cyclomatic complexity of 25, as measured by mccabe (the measure flake8 and ruff
use)."""
from __future__ import annotations

import ast
from pathlib import Path

import mccabe

RULES_DIR = Path(__file__).resolve().parent.parent / "doctools" / "readers" / "docx"
LIMIT = 25


def complexities():
    for path in sorted(RULES_DIR.glob("*.py")):
        visitor = mccabe.PathGraphingAstVisitor()
        visitor.preorder(ast.parse(path.read_text(encoding="utf-8"), str(path)), visitor)
        for graph in visitor.graphs.values():
            yield f"{path.name}:{graph.lineno} {graph.entity}", graph.complexity()


def test_no_function_of_the_recogniser_is_over_a_complexity_of_25():
    measured = dict(complexities())
    assert len(measured) > 100                     # the measure reads every rule module, functions and methods
    over = {name: c for name, c in measured.items() if c > LIMIT}
    assert not over, over


def test_the_measure_sees_a_complex_function():
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(30))
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(ast.parse(f"def f(x):\n{branches}\n    return -1\n"), visitor)
    assert [g.complexity() for g in visitor.graphs.values()] == [31]


def test_the_rules_run_in_the_order_of_their_table():
    from doctools.readers.docx import RULES

    names = [name for name, _rule in RULES]
    assert names.index("imprint") < names.index("signoff") < names.index("frame") < names.index("notice") \
        < names.index("headings") < names.index("attachments", names.index("headings"))


# ---- the duty grammar (duties.read_duty) ------------------------------------------------------------

def duty(text):
    from doctools.readers.docx.duties import read_duty

    found = read_duty(text)
    return (found.fields, found.template) if found else None


def test_the_grammar_splits_units_from_their_verbs():
    assert duty("责任单位：县政务服务中心牵头，县直各部门按职责分工负责") == (
        {"lead": ["县政务服务中心"], "responsible": ["县直各部门"]}, "责任单位：{lead}牵头，{responsible}按职责分工负责")


def test_units_waiting_for_a_verb_are_a_group_of_the_part_after_them():
    assert duty("县生态环境局牵头，县农业农村局、县市场监管局，县海关等按职责分工负责") == (
        {"lead": ["县生态环境局"], "responsible": [["县农业农村局", "县市场监管局"], ["县海关"]]},
        "{lead}牵头，{responsible}等按职责分工负责")


def test_a_second_label_is_a_part_of_its_own():
    assert duty("牵头单位：县住建局，支撑单位：各乡镇") == (
        {"lead": ["县住建局"], "support": ["各乡镇"]}, "牵头单位：{lead}，支撑单位：{support}")


def test_a_rule_for_later_tasks_is_read_and_a_clause_it_cannot_read_is_kept_and_said():
    fields, template = duty("县生态环境局牵头负责；各乡镇负责配合落实，以下均需各乡镇配合落实，不再列出")
    assert fields == {"lead": ["县生态环境局"], "support": ["各乡镇"], "later": {"support": ["各乡镇"]}}
    assert template == "{lead}牵头负责；{support}负责配合落实，以下均需各乡镇配合落实，不再列出"
    fields, template = duty("县财政局负责，资金按季度拨付")
    assert fields == {"responsible": ["县财政局"], "unread": ["资金按季度拨付"]}
    assert template == "{responsible}负责，资金按季度拨付"


def test_words_that_name_no_unit_are_no_duty():
    assert duty("按照要求及时完成") is None and duty("全面推进政务公开") is None


def test_a_reading_that_put_verbs_in_a_name_is_read_again_by_the_grammar():
    from doctools.readers.docx.duties import line_duty, misread, parse_duty, trailing_duty

    assert misread(parse_duty("责任单位：县政务服务中心牵头，县直各部门按职责分工负责"))
    found = line_duty("责任单位：县政务服务中心牵头，县直各部门按职责分工负责")
    assert (found.fields["lead"], found.fields["responsible"]) == (["县政务服务中心"], ["县直各部门"])
    found = trailing_duty("推广替代技术。（县发改局、县生态环境局等按职责分工负责）")
    assert found.fields == {"responsible": ["县发改局", "县生态环境局"]}
    assert found.template == "（{responsible}等按职责分工负责）"


# ---- deadlines, titles, tables ------------------------------------------------------------------------

def test_deadlines_a_text_states_as_its_own():
    from doctools.readers.docx.deadlines import deadlines_in, stated_deadlines

    assert stated_deadlines("2024年10月底前实现“一网通办”。") == ["2024年10月底前"]
    assert stated_deadlines("梳理公开事项目录（5月底前完成）。") == ["5月底前"]
    assert stated_deadlines("力争在2020年10月底前完成。") == []           # in the middle of a sentence: words
    assert deadlines_in("2023年底前完成，2024年6月底前全面") == ["2023年底前", "2024年6月底前"]


def test_a_title_that_looks_wrong_is_doubtful():
    from doctools.readers.docx.notice import doubtful_title

    assert doubtful_title("某政办〔2024〕3号") and doubtful_title("各乡镇人民政府，县直各单位：")
    assert not doubtful_title("某县政务公开工作方案")


def test_a_column_that_repeats_or_continues_its_cells_holds_groups():
    from doctools.readers.docx.tables import groups_in, source_rows, task_header

    rows = [["任务名称", "任务内容", "牵头部门"], ["加强组织领导", "召开会议。", "县政府办"],
            ["加强组织领导", "建立制度。", "县司法局"], ["", "编制目录。", "县数据局"]]
    assert groups_in(rows[1:], 0) and not groups_in(rows[1:], 1)
    header, fields, _col = task_header(rows)
    assert fields == ["group", "text", "lead"]
    assert source_rows(rows + [["任务名称", "任务内容", "牵头部门"], ["二、平台建设", "", ""]]) == 3


def test_a_number_typed_in_the_task_cell_beside_its_index_is_the_index():
    from doctools.readers.docx.state import Draft, State
    from doctools.readers.docx.tables import task_rows

    state = State(items=[], draft=Draft())
    task_rows(state, [["序号", "工作任务", "责任单位"], ["1", "1.开展调查。", "县财政局"], ["2", "2.5亿元项目落地。", "县发改局"]], [1])
    assert [t["text"] for t in state.draft.tasks] == ["开展调查。", "2.5亿元项目落地。"]
