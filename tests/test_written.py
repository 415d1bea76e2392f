"""Plans as their authors write them (issue 14, the text side): read from the produced files.

``tests/packages/written`` uses each feature once; the three packages in ``inputs/`` taken from published plans
(德安县, 威海市, 宿迁市) use them where their text needs them (tests/test_seed_fidelity.py).
"""
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import body_texts, copy_package

from doctools.cli import main

WRITTEN = ROOT / "tests" / "packages" / "written"
PLAN = "某市数字政府建设2023年工作要点.docx"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def build(package, out):
    code, output = run("build", package, "--out", out)
    assert code == 0, output
    return out / package.name


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(WRITTEN, tmp_path_factory.mktemp("written"))


def texts(folder, name=PLAN):
    return [t for t in body_texts((folder / name).read_bytes()) if t.strip()]


def rows(path, sheet):
    """A sheet's cells, exactly as stored (a cell holds exactly the text it shows)."""
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c for c in row if c is not None]
            for row in ws.iter_rows(values_only=True)]


def task_row(folder, task_id):
    return next(r for r in rows(folder / "任务分工表.xlsx", "任务分工表") if r[-1] == task_id)


def where(name, text, folder=WRITTEN):
    """file:line:col of *text* in a file of the package: messages point there."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    line = next(i for i, l in enumerate(lines) if text in l)
    return f"{name}:{line + 1}:{lines[line].index(text) + 1}"


SOURCE = {"document.yaml": ("tables:\n  tasks:\n", "tables:\n  tasks:\n    source: 任务分工表.xlsx\n")}


def copy(tmp_path, change=None):
    return copy_package(WRITTEN, tmp_path / "written", change)


def refused(folder) -> str:
    """What check says of a package it refuses (exit 2)."""
    code, output = run("check", folder)
    assert code == 2, output
    return output


# ---- deadlines -------------------------------------------------------------------------------------------------

def test_deadlines_print_as_written_in_the_text_and_with_their_year_in_the_tables(built):
    body = texts(built)
    assert any(t.startswith("深化“一次办好”改革，年底前基本实现") and t.endswith("；完成时限：年底前）") for t in body)
    assert "完成时限：长期坚持" in body
    assert task_row(built, "wangban")[-2] == "2023年底前"            # the plan's year (document.date 2023年8月19日)
    assert task_row(built, "zhangshang")[-2] == "2024年4月底前"      # 2023年4月 is before the plan's date
    assert task_row(built, "baozhang")[-2] == "长期坚持"             # not 持续推进
    unit = rows(built / "各单位任务清单.xlsx", "市行政审批服务局")
    assert unit[2][-2] == "2023年底前"


def test_canonical_deadlines_when_the_package_asks(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  deadlines: canonical\n")})
    out = build(folder, tmp_path / "out")
    body = texts(out)
    assert any(t.endswith("开发区管委；完成时限：2023年底前）") for t in body)
    assert "完成时限：持续推进" in body


def test_a_year_less_deadline_that_could_mean_two_years_is_a_warning_naming_the_year():
    code, output = run("check", WRITTEN)
    assert code == 0
    assert (f"{where('tasks.yaml', '4月底前')}: warning: task 'zhangshang': the deadline '4月底前' has no year, and more than one year "
            "could be meant; it is read as 2024年4月底前, from the plan's date 2023年8月19日 "
            "(write the year if another one is meant)") in output


def test_deadlines_style_is_checked(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  deadlines: canonnical\n")})
    output = refused(folder)
    assert "field 'deadlines' of style must be one of written, canonical, not 'canonnical' (did you mean 'canonical'?)" in output


# ---- numbering that runs on across sections --------------------------------------------------------------------

def headings(folder):
    return [t for t in texts(folder) if t[:1] in "一二三（123456789" and len(t) < 30 and not t.endswith("日")]


def test_numbers_run_on_into_a_section_that_says_so(built):
    assert headings(built)[:8] == ["一、着力构建高效协同的数字政府", "（一）提升政务服务效能", "1.深化政务服务“网上办”",
                                   "2.优化“掌上办”功能", "（二）强化保障", "3.强化资金保障", "4.健全数据管理制度", "二、组织实施"]


def test_numbers_run_on_at_a_level_the_style_names(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  numbering: {continue: [（一）]}\n"),
                             "body.yaml": ("        numbering: continue           # its tasks go on 3. (not 1.)\n", "")})
    out = build(folder, tmp_path / "out")
    assert headings(out)[:10] == ["一、着力构建高效协同的数字政府", "（一）提升政务服务效能", "1.深化政务服务“网上办”",
                                  "2.优化“掌上办”功能", "（二）强化保障", "1.强化资金保障", "2.健全数据管理制度", "二、组织实施",
                                  "（三）加强组织领导", "（四）明确工作目标"]


def test_a_section_can_restart_what_the_style_runs_on(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("style:\n", "style:\n  numbering: continue\n"),
                             "body.yaml": ("  - title: 组织实施\n", "  - title: 组织实施\n    numbering: restart\n")})
    assert headings(build(folder, tmp_path / "out"))[7:10] == ["二、组织实施", "（一）加强组织领导", "（二）明确工作目标"]


def test_a_numbered_list_runs_on_too(tmp_path):
    body = """body:
  - title: 主要任务
    sections:
      - title: 提升政务服务效能
        text: [{list: [{task: wangban}, {task: zhangshang}]}]
      - title: 强化保障
        numbering: continue
        text: [{list: [{task: baozhang}]}]
"""
    folder = copy(tmp_path)
    (folder / "body.yaml").write_text(body, encoding="utf-8")
    out = build(folder, tmp_path / "out")
    body = texts(out)
    assert any(t.startswith("2.拓宽移动端服务范围") for t in body)
    assert any(t.startswith("3.统筹安排数字政府建设资金") for t in body)


@pytest.mark.parametrize("where, value, message", [
    ("section", "contine", "body.yaml:9:20: error: section （二）: numbering must be 'continue' (its subsections and "
                           "lists go on from the numbers before) or 'restart', not 'contine' (did you mean 'continue'?)"),
    ("style", "{continue: [一、]}", "document.yaml:10:26: error: style.numbering: '一、' is not a level whose numbers can "
                                    "run on; name it as （一）, 1. or （1）, or by its depth 2 to 4"),
    ("style", "{continue: [9.]}", "document.yaml:10:26: error: style.numbering: '9.' is not a level whose numbers can "
                                  "run on; name it as （一）, 1. or （1）, or by its depth 2 to 4"),
    ("style", "{continue: [（二）]}", "document.yaml:10:26: error: style.numbering: '（二）' is not a level whose numbers "
                                   "can run on; name it as （一）, 1. or （1）, or by its depth 2 to 4"),
])
def test_numbering_is_checked(tmp_path, where, value, message):
    change = ({"body.yaml": ("numbering: continue ", f"numbering: {value} ")} if where == "section" else
              {"document.yaml": ("style:\n", f"style:\n  numbering: {value}\n")})
    output = refused(copy(tmp_path, change))
    assert message in output


# ---- units as written -----------------------------------------------------------------------------------------

def test_units_print_as_written_while_the_tables_name_registry_units(built):
    body = texts(built)
    assert ("深化“一次办好”改革，年底前基本实现群众企业在线办事“进一个网、办全市事”。（牵头单位：市行政审批服务局；"
            "责任单位：市直有关部门、单位，各区市政府、开发区管委；完成时限：年底前）") in body
    assert "拓宽移动端服务范围，上线一批“一件事”集成服务。（牵头单位：市大数据局、财政局；完成时限：4月底前）" in body
    assert task_row(built, "wangban")[2:4] == ["市行政审批服务局", "市直有关部门、单位、各区市政府、开发区管委"]
    assert task_row(built, "zhangshang")[2] == "市大数据局、市财政局"
    lists = openpyxl.load_workbook(built / "各单位任务清单.xlsx").sheetnames
    assert {"市直有关部门、单位", "各区市政府", "开发区管委", "市财政局"} <= set(lists)
    assert [r[1] for r in rows(built / "各单位任务清单.xlsx", "市财政局")[2:]] == [
        "拓宽移动端服务范围，上线一批“一件事”集成服务。", "统筹安排数字政府建设资金。"]


def test_a_unit_name_with_a_dunhao_survives_the_unedited_task_workbook(built, tmp_path):
    folder = copy(tmp_path, SOURCE)
    shutil.copy(built / "任务分工表.xlsx", folder / "任务分工表.xlsx")
    code, output = run("check", folder)
    assert code == 0 and ": error:" not in output, output
    out = build(folder, tmp_path / "out")
    assert texts(out) == texts(built)                      # 市直有关部门、单位 is still one unit, printed as written
    assert rows(out / "任务分工表.xlsx", "任务分工表") == rows(built / "任务分工表.xlsx", "任务分工表")


def edited(built, folder, task_id, column, value):
    """The package at *folder* reading back the built 任务分工表.xlsx, one cell changed as staff would."""
    book = openpyxl.load_workbook(built / "任务分工表.xlsx")
    ws = book["任务分工表"]
    row = next(r for r in ws.iter_rows() if r[-1].value == task_id)
    row[[c.value for c in ws[2]].index(column)].value = value
    book.save(folder / "任务分工表.xlsx")
    return folder


def test_a_unit_the_workbook_adds_keeps_the_others_printed_forms(built, tmp_path):
    folder = edited(built, copy(tmp_path, SOURCE), "zhangshang", "牵头单位", "市大数据局、市财政局、开发区管委")
    out = build(folder, tmp_path / "out")
    assert "拓宽移动端服务范围，上线一批“一件事”集成服务。（牵头单位：市大数据局、财政局、开发区管委；完成时限：4月底前）" in texts(out)


@pytest.mark.parametrize("value, at, message", [
    ("[市大数据局, {unit: 市财政局, as: 财政局, short: 财政}]", "short",
     "error: unknown field 'short' in a unit of 'lead' in task 'zhangshang'"),
    ("[市大数据局, {unit: 市财政厅, as: 财政局}]", "市财政厅",
     "error: task 'zhangshang': unit '市财政厅' is not in the unit registry (did you mean '市财政局'?)"),
    ("[市大数据局, [市财政局, [开发区管委]]]", "[开发区管委]",
     "error: task 'zhangshang': a group in 'lead' lists units; it cannot hold a list"),
    ("[市大数据局, {as: 财政局}]", "{as",
     "error: a unit of 'lead' in task 'zhangshang' lacks the required field 'unit'"),
])
def test_units_as_written_are_checked(tmp_path, value, at, message):
    folder = copy(tmp_path, {"tasks.yaml": ("[市大数据局, {unit: 市财政局, as: 财政局}]", value)})
    output = refused(folder)
    assert f"{where('tasks.yaml', at, folder)}: {message}" in output, output


# ---- roles and duty blocks ---------------------------------------------------------------------------------------

def test_a_duty_block_prints_one_line_each_and_drops_an_empty_one(built):
    body = texts(built)
    start = body.index("统筹安排数字政府建设资金。")
    assert body[start:start + 4] == ["统筹安排数字政府建设资金。", "主抓单位：市大数据局", "牵头单位：市财政局", "完成时限：长期坚持"]


def test_a_declared_role_reaches_the_task_table_and_the_unit_lists(built):
    table = rows(built / "任务分工表.xlsx", "任务分工表")
    assert table[1] == ["序号", "工作任务", "主抓单位", "牵头单位", "责任单位", "完成时限", "编号"]
    assert task_row(built, "baozhang") == ["3", "统筹安排数字政府建设资金。", "市大数据局", "市财政局", "市财政局", "长期坚持",
                                           "baozhang"]
    parts = {r[1]: r[2] for r in rows(built / "各单位任务清单.xlsx", "市大数据局")[2:]}
    assert parts["统筹安排数字政府建设资金。"] == "主抓"


def test_a_unit_with_its_part_in_words_of_its_own(built):
    assert "制定公共数据管理办法。（市大数据局牵头，市司法局负责法制审查）" in texts(built)
    assert rows(built / "各单位任务清单.xlsx", "市司法局")[2][2] == "负责法制审查"


@pytest.mark.parametrize("change, at, message", [
    (("{id: chief, label: 主抓单位}", "{id: lead, label: 主抓单位}"), "lead, label",
     "error: role id 'lead' cannot be used: it must be a name of Latin letters, digits and _ that no task field has"),
    (("    chief: 市大数据局", "    chif: 市大数据局"), "chif", "error: unknown field 'chif' in task 'baozhang' "
                                                              "(did you mean 'chief'?)"),
    (("主抓单位：{chief}", "主抓单位：{cheif}"), "template:", "error: duty format 'block' uses unknown placeholder '{cheif}' "
                                                          "(did you mean 'chief'?)"),
])
def test_roles_are_checked(tmp_path, change, at, message):
    name = "tasks.yaml" if "chif" in change[1] else "document.yaml"
    folder = copy(tmp_path, {name: change})
    output = refused(folder)
    assert f"{where(name, at, folder)}: {message}" in output, output


# ---- phases with tasks, dash items, lead-ins after an intro -----------------------------------------------------

def test_a_phase_prints_its_tasks_and_gives_them_its_year(built):
    body = texts(built)
    start = body.index("（二）全面实施阶段（2023年10月-2024年6月）。各单位按照任务分工抓好落实。")
    assert body[start + 1] == "1.选取2个区市开展数据共享试点。总结形成可复制推广的经验。（牵头单位：市大数据局；完成时限：3月底前）"
    assert task_row(built, "shiyan")[-2] == "2024年3月底前"          # the phase's year, not the plan's (2023)


def test_phases_listing_tasks_are_checked(tmp_path):
    folder = copy(tmp_path, {"schedule.yaml": ("tasks: [shiyan]", "tasks: [shiyna]")})
    output = refused(folder)
    assert (f"{where('schedule.yaml', 'shiyna', folder)}: error: phase 2 lists task 'shiyna', but there is no task "
            "with that id (did you mean 'shiyan'?)") in output
    folder = copy(tmp_path / "b", {"schedule.yaml": ("制定工作方案，明确任务分工。}", "制定工作方案，明确任务分工。, tasks: [shiyan]}")})
    output = refused(folder)
    assert (f"{where('schedule.yaml', 'shiyan]      ', folder)}: error: phase 2 lists task 'shiyan', which phase 1 "
            "lists already; a task belongs to one phase") in output


def test_dash_items_print_a_paragraph_each_and_lead_ins_follow_an_intro(built):
    body = texts(built)
    assert "要完善推进机制。一是明确责任。主要负责同志亲自抓。二是强化督导。定期通报工作进展。" in body
    start = body.index("到2023年底，数据共享水平明显提升。")
    assert body[start + 1:start + 3] == ["——编制一个数据目录。全面梳理公共数据资源。",
                                         "——建成一个数据共享管理系统。年底前，数据共享管理系统完成开发并投入使用；"
                                         "2024年上半年，全市部门接入率达到100%。"]


# ---- milestones ------------------------------------------------------------------------------------------------

def test_milestones_print_in_the_text_and_reach_every_table(built):
    assert ("——建成一个数据共享管理系统。年底前，数据共享管理系统完成开发并投入使用；2024年上半年，全市部门接入率达到100%。"
            in texts(built))
    both = "2023年底前系统投入使用；2024年上半年部门接入率达到100%"
    assert task_row(built, "xitong")[-2] == both
    assert {r[1]: r[3] for r in rows(built / "各单位任务清单.xlsx", "市大数据局")[2:]}[
        "年底前，数据共享管理系统完成开发并投入使用；2024年上半年，全市部门接入率达到100%。"] == both
    grid = rows(built / "任务分工表.xlsx", "进度安排（按月）")
    months = grid[1]
    marked = {r[0]: [months[i] for i, c in enumerate(r) if c == "■"] for r in
              openpyxl.load_workbook(built / "任务分工表.xlsx")["进度安排（按月）"].iter_rows(values_only=True) if r[0]}
    assert marked["建成一个数据共享管理系统：系统投入使用"][-1] == "12月"                  # by 2023年底
    assert marked["建成一个数据共享管理系统：部门接入率达到100%"] == ["2024年1月", "2月", "3月", "4月", "5月", "6月"]


def test_milestones_survive_the_unedited_workbook_and_follow_an_edit(built, tmp_path):
    folder = copy(tmp_path, SOURCE)
    shutil.copy(built / "任务分工表.xlsx", folder / "任务分工表.xlsx")
    assert texts(build(folder, tmp_path / "same")) == texts(built)
    edited(built, folder, "xitong", "完成时限", "2023年11月底前系统投入使用；2024年5月底前部门接入率达到100%")
    out = build(folder, tmp_path / "edited")
    assert ("——建成一个数据共享管理系统。2023年11月底前，数据共享管理系统完成开发并投入使用；2024年5月底前，全市部门接入率达到"
            "100%。") in texts(out)
    assert task_row(out, "xitong")[-2] == "2023年11月底前系统投入使用；2024年5月底前部门接入率达到100%"


def test_a_text_naming_a_milestone_it_lacks_is_an_error(tmp_path):
    folder = copy(tmp_path, {"tasks.yaml": ("{deadline2}，全市部门", "{deadline3}，全市部门")})
    output = refused(folder)
    at = where("tasks.yaml", '"{deadline1}', folder)
    assert f"{at}: error: task 'xitong': its text prints {{deadline3}}, but the task has no milestone 3" in output, output


def test_a_deadline_staff_type_without_a_year_takes_the_plans(built, tmp_path):
    folder = edited(built, copy(tmp_path, SOURCE), "zhangshang", "完成时限", "5月底前")
    out = build(folder, tmp_path / "out")
    assert "拓宽移动端服务范围，上线一批“一件事”集成服务。（牵头单位：市大数据局、财政局；完成时限：5月底前）" in texts(out)
    assert task_row(out, "zhangshang")[-2] == "2024年5月底前"


def test_a_duty_formats_deadline_lists_every_milestone(tmp_path):
    folder = copy(tmp_path, {"tasks.yaml": ("      - {deadline: 2024年上半年, text: 部门接入率达到100%}\n    format: none",
                                            "      - {deadline: 2024年上半年, text: 部门接入率达到100%}\n    format: default")})
    body = texts(build(folder, tmp_path / "out"))
    assert any(t.endswith("（牵头单位：市大数据局；完成时限：年底前系统投入使用；2024年上半年部门接入率达到100%）") for t in body)


# ---- the month grid: a deadline with no start runs from the plan's date -----------------------------------------

def grid_marks(folder):
    """Each row of the month grid: its label -> the months marked ■."""
    table = rows(folder / "任务分工表.xlsx", "进度安排（按月）")
    ws = openpyxl.load_workbook(folder / "任务分工表.xlsx")["进度安排（按月）"]
    months = table[1]
    return {r[0]: [months[i] for i, c in enumerate(r) if c == "■"]
            for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}


def test_a_deadline_before_a_date_starts_at_the_plans_date_on_the_month_grid(tmp_path):
    # the first phase starts in June, the plan is dated 2023年8月19日: 年底前 and 长期坚持 run from August, not June
    folder = copy(tmp_path, {"schedule.yaml": ("period: 2023年8月-9月", "period: 2023年6月-9月")})
    marks = grid_marks(build(folder, tmp_path / "out"))
    assert marks["部署启动阶段"] == ["2023年6月", "7月", "8月", "9月"]
    assert marks["深化政务服务“网上办”"] == ["8月", "9月", "10月", "11月", "12月"]          # 年底前: 2023年8月-12月
    assert marks["强化资金保障"][:2] == ["8月", "9月"]                                        # 长期坚持: from the plan's date
    assert marks["强化资金保障"][-1] == "6月"                                                 # … to the grid's end (2024年6月)


def test_a_plan_dated_before_the_grid_starts_its_deadlines_at_the_grids_first_month(tmp_path):
    folder = copy(tmp_path, {"document.yaml": ("date: 2023年8月19日", "date: 2023年7月19日")})
    marks = grid_marks(build(folder, tmp_path / "out"))
    assert marks["深化政务服务“网上办”"][0] == "2023年8月"


# ---- a standing rule for the later tasks -------------------------------------------------------------------------

WEIHAI = ROOT / "inputs" / "weihai"
WEIHAI_PLAN = "数字威海建设2023年工作要点.docx"


@pytest.fixture(scope="module")
def weihai(tmp_path_factory):
    return build(WEIHAI, tmp_path_factory.mktemp("weihai"))


def test_a_rule_for_the_later_tasks_reaches_their_rows_and_unit_lists_but_is_printed_once(weihai):
    body = texts(weihai, WEIHAI_PLAN)
    assert body[-2].endswith("（牵头单位：市行政审批服务局；责任单位：市直有关部门、单位，各区市政府、开发区管委。"
                             "以下任务均需各区市政府、开发区管委落实，不再一一列出）")
    assert body[-1] == "2.优化“爱山东”“掌上办”功能。"                      # task 2 names no units of its own
    table = rows(weihai / "任务分工表.xlsx", "任务分工表")
    assert table[1] == ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "编号"]
    assert task_row(weihai, "aishandong") == ["2", "优化“爱山东”“掌上办”功能", "各区市政府、开发区管委", "aishandong"]
    for unit in ("各区市政府", "开发区管委"):
        assert [r[1:3] for r in rows(weihai / "各单位任务清单.xlsx", unit)[2:]][-1] == ["优化“爱山东”“掌上办”功能", "负责"]
    assert [r[-1] for r in rows(weihai / "各单位任务清单.xlsx", "市直有关部门、单位")[2:]] == ["wangshangban"]


def test_a_rule_for_the_later_tasks_survives_the_unedited_workbook(weihai, tmp_path):
    folder = copy_package(WEIHAI, tmp_path / "weihai", SOURCE)
    shutil.copy(weihai / "任务分工表.xlsx", folder / "任务分工表.xlsx")
    out = build(folder, tmp_path / "out")
    assert texts(out, WEIHAI_PLAN) == texts(weihai, WEIHAI_PLAN)   # task 2's wording does not take the rule's units
    for book, sheet in (("任务分工表.xlsx", "任务分工表"), ("各单位任务清单.xlsx", "各区市政府")):
        assert rows(out / book, sheet) == rows(weihai / book, sheet)


def WRITTEN_BUILT(tmp_path):
    plain = tmp_path / "plain" / WRITTEN.name
    return plain if plain.exists() else build(WRITTEN, tmp_path / "plain")


def test_a_rule_applies_to_the_tasks_printed_after_it_in_any_role(tmp_path):
    # zhangshang (task 2.) says 市司法局 supports every later task, and 市财政局 is 主抓单位 of each
    rule = "    deadline: 4月底前 "
    folder = copy(tmp_path, {"tasks.yaml": (rule, "    later_tasks: {support: [市司法局], chief: [市财政局]}\n" + rule)})
    out = build(folder, tmp_path / "out")
    assert texts(out) == texts(WRITTEN_BUILT(tmp_path))                           # the text is as written
    for before in ("wangban", "zhangshang"):                                       # the rule's own task too
        assert task_row(out, before) == task_row(WRITTEN_BUILT(tmp_path), before)
    assert task_row(out, "guifan")[2:5] == ["市财政局", "市大数据局", "市大数据局、市司法局"]
    assert task_row(out, "baozhang")[2:5] == ["市大数据局、市财政局", "市财政局", "市财政局、市司法局"]
    justice = {r[-1]: r[2] for r in rows(out / "各单位任务清单.xlsx", "市司法局")[2:]}
    assert justice == {"baozhang": "配合", "guifan": "负责法制审查", "shiyan": "配合", "xitong": "配合"}
    finance = {r[-1]: r[2] for r in rows(out / "各单位任务清单.xlsx", "市财政局")[2:]}
    assert finance["xitong"] == "主抓" and finance["baozhang"] == "牵头、主抓"


# ---- tests/packages/README.md: every gap's example and test exist -------------------------------------------------

def test_the_gap_table_names_examples_and_tests_that_exist():
    import re
    readme = (ROOT / "tests" / "packages" / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Issue 14", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| gap")]
    assert len(rows) >= 35
    for row in rows:
        gap, example, tests = [c.strip() for c in row.strip("|").split(" | ")]
        for part in re.findall(r"`([^`]+)`", example + " " + tests):
            if "::" in part:
                continue
            path = part.split(" ")[0]
            base = ROOT if path.startswith("inputs/") else ROOT / "tests" if path.startswith("bad_inputs/") \
                else ROOT / "tests" / "packages"
            if "/" in path:
                assert (base / path).exists(), (gap, path)
        module = None
        named = 0
        for part in re.findall(r"`([^`]*::[^`]+)`", tests):
            file, function = part.split("::")
            module = file or module
            assert f"def {function}(" in (ROOT / "tests" / module).read_text(encoding="utf-8"), (gap, module, function)
            named += 1
        assert named, gap
