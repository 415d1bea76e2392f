"""doctools import: a Word plan read back into a package that builds again.

Round trip: every example package is built, its plan .docx imported, and the
imported package built again; the plan's paragraphs, the tasks (text, units,
deadline) and the rows of 任务分工表.xlsx must come out the same.  Then .docx
files typed the way people type them (tests/import/): each must build with at
least 95 % of its sentences and every task found.  And the one-line messages
for files that are not a .docx.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from helpers import ROOT, run
from openpyxl import load_workbook

from doctools.cli import main
from doctools.commands.build import load_package as read_package
from doctools.compose.wording import role_groups, written_list

PACKAGES = sorted(p for p in (ROOT / "inputs").iterdir() if p.is_dir()) + \
    sorted(p for p in (ROOT / "tests" / "packages").iterdir() if p.is_dir())
IMPORT = ROOT / "tests" / "import"
PLACEHOLDER = re.compile(r"^〔图片：.*〕$")


def plan_of(folder: Path) -> Path:
    docs = [p for p in folder.glob("*.docx") if not p.name.startswith(("任务分工表", "各单位任务清单"))]
    assert len(docs) == 1, docs
    return docs[0]


def paragraphs(path: Path):
    """The plan's non-empty paragraphs outside tables, as a reader sees them (pictures' placeholders aside)."""
    document = docx.Document(str(path))
    texts = [p.text.replace("\u3000", "").strip() for p in document.paragraphs]
    return [t for t in texts if t and not PLACEHOLDER.match(t)]


def tasks_of(folder: Path, printed: bool = False):
    """Each task's text, units and deadline.  With *printed*, the units as the plan prints them: a package that
    writes units otherwise than their registry names (财政局 for 市财政局) is imported with the printed names, as
    nothing in the .docx says which registry unit a printed name stands for.
    A task's units include those a rule of an earlier task gives it (``later_tasks``: 以下任务均需…落实): import
    reads them from the task workbook on each task, as the 任务分工表 and the unit lists show them."""
    package = read_package(folder)
    sep = package.style.range_sep

    def ruled(task, role):
        return [u.name for u in task.standing.get(role, [])]

    def units(task):
        if printed:      # in the order printed: a 责任单位 after a 牵头单位 is read back as a 配合单位
            roles = [r for r in ("lead", "support", "responsible") if getattr(task, r)]
            wording = "、".join(written_list(role_groups(task, r), package.style) for r in roles)
            names = re.split("[、，]", wording) if wording else []
            return (tuple(names + [n for r in ("lead", "support", "responsible") for n in ruled(task, r)
                                   if n not in names]),)
        # a 牵头单位 line cannot tell a lead from a task's only responsible unit: compare what is printed
        first = "lead" if task.lead else "responsible"
        return (tuple([u.name for u in task.role(first)] + ruled(task, first)),
                tuple([u.name for u in task.support] + ruled(task, "support")))

    return sorted((t.text, *units(t), t.deadline.official(sep) if t.deadline else None) for t in package.tasks)


def plan_tables(path: Path):
    """Each table of the plan as printed: its columns' widths, then per row its height (where it sets one) and
    each cell's text, the columns it spans and whether it continues a cell merged down."""
    from docx.oxml.ns import qn

    def widths(tbl):
        return [col.get(qn("w:w")) for col in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]

    def height(tr):
        h = tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        return None if h is None else (h.get(qn("w:val")), h.get(qn("w:hRule")))

    def cell(tc):
        pr = tc.tcPr
        span = pr.find(qn("w:gridSpan")) if pr is not None else None
        merged = pr.find(qn("w:vMerge")) if pr is not None else None
        return ("".join(t.text or "" for t in tc.iter(qn("w:t"))), span.get(qn("w:val")) if span is not None else "1",
                None if merged is None else merged.get(qn("w:val")) or "continue")

    return [[widths(table._tbl)] + [[height(tr)] + [cell(tc) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
            for table in docx.Document(str(path)).tables]


def attachments_of(folder: Path):
    return [(a.title, a.listed_as, len(a.after)) for a in read_package(folder).document.attachments]


def writes_units_as_written(folder: Path) -> bool:
    return any(t.written for t in read_package(folder).tasks)


def task_rows(out: Path, sheet: str = "任务分工表"):
    path = out / "任务分工表.xlsx"
    if not path.exists():
        return []
    book = load_workbook(path)
    if sheet not in book.sheetnames:
        return None
    rows = list(book[sheet].iter_rows(values_only=True))
    hidden = next((i for row in rows for i, c in enumerate(row) if c == "编号"), None)   # task ids, not printed
    return [[c for i, c in enumerate(row) if c is not None and i != hidden]
            for row in rows]


def rows_without_units(out: Path):
    rows = [["" if c is None else c for c in row] for row in load_workbook(out / "任务分工表.xlsx")["任务分工表"].iter_rows(values_only=True)]
    drop = {"牵头单位", "配合单位", "责任单位", "编号"}
    return [[c for c, h in zip(r, rows[1]) if h not in drop] for r in rows]


# packages whose plan prints a table import does not make again cell for cell (yet); the count of tables is checked
TABLES_NOT_READ_BACK = {
    "sanmenxia": "a catalog table with a header of two rows: a fixed table's header is one row, so the cells merged "
                 "down from it repeat their text",
    "channels": "the same catalog header of two rows",
}

# plans that print no units in their text: the task workbook built beside them says who does what
NEEDS_WORKBOOK = {"kangbashi", "shaanxi"}
# plans without their 任务分工表 among the attachments: its columns and group rows are only in the workbook, which
# staff pass along with the plan (the tasks' text, units and deadlines must still come from the plan, see below)
TABLE_IN_WORKBOOK = {"dean", "suqian", "weihai", "written"}


def round_trip(tmp_path: Path, package: Path):
    first = tmp_path / "first"
    code, text = run("build", package, "--out", first)
    assert code == 0, text
    imported = tmp_path / "imported" / package.name
    extra = ["--tasks", first / package.name / "任务分工表.xlsx"] if package.name in NEEDS_WORKBOOK | TABLE_IN_WORKBOOK \
        else []
    code, text = run("import", plan_of(first / package.name), "--out", imported, *extra)
    assert code == 0, text
    second = tmp_path / "second"
    code, built = run("build", imported, "--out", second)
    assert code == 0, built + text
    return first / package.name, imported, second / package.name, text


@pytest.mark.slow
@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_round_trip_gives_the_same_plan_tasks_and_task_table(tmp_path, package):
    first, imported, second, summary = round_trip(tmp_path, package)
    assert paragraphs(plan_of(second)) == paragraphs(plan_of(first))
    assert attachments_of(imported) == attachments_of(package), summary
    tables, again = plan_tables(plan_of(first)), plan_tables(plan_of(second))
    if package.name in TABLES_NOT_READ_BACK:
        assert len(again) == len(tables)
    else:
        assert again == tables, summary
    printed = writes_units_as_written(package)
    assert tasks_of(imported, printed) == tasks_of(package, printed), summary
    if package.name in TABLE_IN_WORKBOOK:
        # the workbook gives the table's layout, and the tasks the plan prints no duty wording for (found by their
        # text); every other task, its units and deadline wording, must come from the plan alone
        code, text = run("import", plan_of(first), "--out", tmp_path / "alone")
        assert code == 0, text
        m = re.search(r"^  task \(text of a row of the task workbook\)(?: ×(\d+))?:", summary, re.M)
        from_rows = int(m.group(1) or 1) if m else 0
        alone = [t[1:-1] for t in tasks_of(tmp_path / "alone", printed)]
        both = [t[1:-1] for t in tasks_of(imported, printed)]
        assert len(alone) == len(both) - from_rows and not [u for u in alone if u not in both], text
    if printed:       # the imported tables name the units as printed; the rest of each row is the same
        assert rows_without_units(second) == rows_without_units(first)
    else:
        assert task_rows(second) == task_rows(first)


def test_the_task_workbook_marks_the_dates_the_text_states(tmp_path):
    """suqian prints no duty wording: with its 任务分工表.xlsx the "——" items whose text is a row are tasks titled
    by their lead sentence, and each 完成时限 (milestones too) is marked where the text states it, so an edit of the
    date in the workbook reaches the text.  weihai: 年底前 in the text is its 2023年底前."""
    import yaml

    suqian = round_trip(tmp_path / "s", ROOT / "inputs" / "suqian")[1]
    tasks = yaml.safe_load((suqian / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert [(t.get("title"), t.get("deadline"), [m["deadline"] for m in t.get("milestones", [])]) for t in tasks] == [
        (None, "至2025年底", []), ("编制一个涉农信用信息归集目录", "2023年底前", []),
        ("建成一个农村信用管理系统", None, ["2023年底前", "2024年上半年"])]
    assert "，{deadline}，基本建成" in tasks[0]["text"] and "动态更新，{deadline}，完成" in tasks[1]["text"]
    assert tasks[2]["text"].startswith("{deadline1}，农村信用") and "；{deadline2}，涉农主体" in tasks[2]["text"]
    body = yaml.safe_load((suqian / "body.yaml").read_text(encoding="utf-8"))["body"]
    assert body[0]["text"][1]["dash"] == [{"task": tasks[1]["id"]}, {"task": tasks[2]["id"]},
                                          {"lead": "形成一套涉农信用评价与激励体系"}]
    weihai = round_trip(tmp_path / "w", ROOT / "inputs" / "weihai")[1]
    task, later = yaml.safe_load((weihai / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert task["deadline"] == "年底前" and "改革，{deadline}基本实现" in task["text"]
    # 市直有关部门、单位 is one unit: 单位 alone names none (it used to be read as a unit of its own)
    assert (task["lead"], task["responsible"]) == (["市行政审批服务局"], [["市直有关部门、单位"], ["各区市政府", "开发区管委"]]), task
    # 2.优化“爱山东”“掌上办”功能。 alone: a row of the workbook, its units those of task 1's rule
    assert (later["title"], later["responsible"]) == ("优化“爱山东”“掌上办”功能", ["各区市政府", "开发区管委"])


@pytest.mark.parametrize("package", [p for p in PACKAGES if p.name in ("kazuo", "kangbashi", "shaanxi")], ids=lambda p: p.name)
def test_round_trip_keeps_the_phases_of_the_schedule(tmp_path, package):
    first, imported, second, summary = round_trip(tmp_path, package)
    assert task_rows(first, "进度安排")
    assert task_rows(second, "进度安排") == task_rows(first, "进度安排")


# ---- documents doctools did not make ------------------------------------------------

TYPED = ["typed_direct", "multilevel", "converted"]
SENTENCE_END = re.compile(r"(?<=[。！？；])")


def sentences(texts):
    out = []
    for text in texts:
        flat = re.sub(r"[\s\u3000]+", "", text)
        out.extend(s for s in SENTENCE_END.split(flat) if len(s) > 1)
    return out


def all_texts(path: Path):
    """Every paragraph of a .docx, table cells included."""
    from docx.oxml.ns import qn

    root = docx.Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in root.iter(qn("w:p"))]


@pytest.mark.parametrize("name", TYPED)
def test_a_typed_plan_builds_with_its_sentences_and_every_task(tmp_path, name):
    import yaml

    source = IMPORT / f"{name}.docx"
    expected = yaml.safe_load((IMPORT / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    imported = tmp_path / name
    code, summary = run("import", source, "--out", imported)
    assert code == 0, summary
    package = read_package(imported)
    doc = package.document
    assert doc.title == expected["title"] and len(doc.title_lines) == expected["title_lines"]
    assert doc.office == expected["office"]
    assert [s.title[0].text if s.title else "" for s in doc.sections] == expected["sections"]
    assert [f"{p.title} {p.period.official(package.style.range_sep)}" for p in package.phases] == expected["phases"]
    assert (doc.imprint.cc if doc.imprint else []) == expected["imprint_cc"]
    found = [{"starts": t.text[:len(e["starts"])], "units": [u.name for u in t.lead or t.responsible],
              "support": [u.name for u in t.support], "deadline": t.deadline.official("-") if t.deadline else None}
             for t, e in zip(package.tasks, expected["tasks"])]
    want = [{"starts": e["starts"], "units": e["units"], "support": e.get("support", []), "deadline": e.get("deadline")}
            for e in expected["tasks"]]
    assert len(package.tasks) == len(expected["tasks"]) and found == want, summary

    code, text = run("build", imported, "--out", tmp_path / "out")
    assert code == 0, text
    produced = "".join(re.sub(r"[\s\u3000]+", "", t) for t in all_texts(plan_of(tmp_path / "out" / name)))
    wanted = sentences(all_texts(source))
    missing = [s for s in wanted if s not in produced]
    assert len(wanted) >= 30 and len(missing) <= 0.05 * len(wanted), missing


# ---- files that cannot be imported: one line, exit 2 ----------------------------------

def _zip(path: Path, entries) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def _empty_body_docx(path: Path) -> Path:
    document = docx.Document()
    document.save(str(path))
    return path


def _docx_of(add):
    def make(path: Path) -> Path:
        document = docx.Document()
        add(document)
        document.save(str(path))
        return path
    return make


BAD_FILES = [
    ("plan.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
     "plan.doc: a .doc file cannot be imported; save it as .docx in Word or WPS (另存为 → Word 文档 .docx), "
     "or convert it: soffice --headless --convert-to docx plan.doc"),
    ("plan.wps", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
     "plan.wps: a .wps file cannot be imported; save it as .docx in Word or WPS (另存为 → Word 文档 .docx), "
     "or convert it: soffice --headless --convert-to docx plan.wps"),
    ("locked.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
     "locked.docx: encrypted (password-protected) or an old .doc/.wps file saved under another name; remove the "
     "password in Word or WPS and save as .docx, or convert it: soffice --headless --convert-to docx locked.docx"),
    ("text.docx", lambda p: p.write_text("一、总体要求\n", encoding="utf-8"),
     "text.docx: not a .docx file (a .docx is a zip package; this file is not one)"),
    ("sheet.docx", lambda p: _zip(p, {"xl/workbook.xml": "<workbook/>"}),
     "sheet.docx: a zip file with no Word body (word/document.xml); is it a .docx?"),
    ("empty.docx", _empty_body_docx, "empty.docx: the document has no text (an empty body)"),
    ("blank-table.docx", _docx_of(lambda d: d.add_table(rows=2, cols=3)),
     "blank-table.docx: the document has no text (an empty body)"),
    ("title.docx", _docx_of(lambda d: d.add_paragraph("白石乡政务公开工作实施方案")),
     "title.docx: the document holds only a title (白石乡政务公开工作实施方案); there is no text to import"),
    ("missing.docx", lambda p: None, "missing.docx: no such file"),
]


@pytest.mark.parametrize("name,make,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_cannot_be_imported_gets_one_line_and_exit_2(tmp_path, monkeypatch, name, make, message):
    monkeypatch.chdir(tmp_path)
    make(tmp_path / name)
    code, text = run("import", name, "--out", tmp_path / "pkg")
    assert code == 2
    assert text == f"doctools: {message}\n"
    assert not (tmp_path / "pkg").exists()


def test_an_empty_path_gets_one_line_and_exit_2():
    code, text = run("import", "")
    assert (code, text) == (2, "doctools: no file given: name the .docx to import, e.g. doctools import 方案.docx\n")


def test_import_refuses_a_folder_that_has_files_and_leaves_it_alone(tmp_path):
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "document.yaml").write_text("document: {title: 旧}\n", encoding="utf-8")
    code, text = run("import", IMPORT / "multilevel.docx", "--out", out)
    assert (code, text) == (2, f"doctools: {out} is not empty; import writes a new package, choose another --out\n")
    assert (out / "document.yaml").read_text(encoding="utf-8") == "document: {title: 旧}\n"


def test_import_prints_what_it_recognised_and_what_it_kept_as_plain_text(tmp_path):
    code, text = run("import", IMPORT / "typed_direct.docx", "--out", tmp_path / "pkg")
    assert code == 0
    lines = text.splitlines()
    assert "  title 《青山镇2024年政务公开工作实施方案》 in 2 lines: ¶1-2" in lines
    assert "  task (duty wording in parentheses): ¶12" in lines
    assert "  进度安排: 3 phases with periods → schedule.yaml: ¶20-23" in lines
    assert "  task (a block of 3 duty lines): ¶14-17" in lines     # 牵头单位, 配合单位, 完成时限: one task
    assert "kept as plain text (check these):" not in lines


def test_the_same_docx_gives_byte_identical_packages(tmp_path):
    for name in ("a", "b"):
        assert run("import", IMPORT / "typed_direct.docx", "--out", tmp_path / name)[0] == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 6
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_sections_from_heading_styles_alone(tmp_path):
    """No numbers typed and no list numbering: Heading 1/2 give the levels."""
    document = docx.Document()
    document.add_paragraph("某县政务公开工作方案", style="Title")
    document.add_paragraph("为做好政务公开工作，制定本方案。")
    for text, style in [("工作目标", "Heading 1"), ("全面公开政务信息。", None), ("主要任务", "Heading 1"),
                        ("编制目录", "Heading 2"), ("编制政务公开事项目录。（责任单位：县政府办公室）", None),
                        ("规范平台", "Heading 2"), ("规范政府网站专栏。", None)]:
        document.add_paragraph(text, style=style)
    source = tmp_path / "styles.docx"
    document.save(str(source))
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0, summary
    package = read_package(tmp_path / "pkg")
    sections = package.document.sections
    assert [(s.label, s.title[0].text) for s in sections] == [("一、", "工作目标"), ("二、", "主要任务")]
    assert [(s.label, s.title[0].text) for s in sections[1].children] == [("（一）", "编制目录"), ("（二）", "规范平台")]
    assert [(t.text, [u.name for u in t.responsible]) for t in package.tasks] == [("编制政务公开事项目录。", ["县政府办公室"])]


@pytest.mark.slow
def test_round_trip_keeps_sealed_signatures_pictures_and_merged_tables(tmp_path):
    _, imported, _, summary = round_trip(tmp_path, ROOT / "tests" / "packages" / "full")
    document = read_package(imported).document
    assert document.notice.signature.sealed and not document.signature.sealed
    assert document.header.signer == "张三" and document.note == "此件公开发布"
    _, imported, _, summary = round_trip(tmp_path / "s", ROOT / "inputs" / "sanmenxia")
    assert len(list((imported / "images").glob("附件4-*.png"))) == 7
    assert "附件4: 7 pictures saved under images/" in summary
    # the catalog's merges come back as merges, but for those joining its two header rows (the format's header is one row)
    assert ("附件3: table kept as a fixed table (8 rows × 14 columns); 6 merged cell(s) joining the header row to the "
            "rows below repeat their text") in summary
    catalog = read_package(imported).document.attachments[2].table
    assert catalog.spans == [(0, 1, 0, 2), (0, 8, 0, 9), (0, 10, 0, 11), (0, 12, 0, 13), (2, 1, 3, 1), (4, 1, 7, 1)]


def test_a_forms_widths_and_row_heights_are_read_back_and_computed_widths_left_out(tmp_path):
    """forms: the 联络员登记表 is drawn to widths and row heights of its own; import reads them from the grid and
    the rows (twips back to millimetres) as the package gave them.  The same form without them is printed with the
    widths the build computes from its cells, and its import gives none: the package stays as it was."""
    import yaml

    package = ROOT / "tests" / "packages" / "forms"
    imported = round_trip(tmp_path / "given", package)[1]
    form = yaml.safe_load((imported / "attachments.yaml").read_text(encoding="utf-8"))["attachments"][2]
    assert (form["widths"], form["heights"]) == ([40, 26, 26, 30, 34], {1: 12, 2: 10, 3: 12, 4: 12, 5: 12, 6: 30})
    assert "  widths: [40, 26, 26, 30, 34]\n  heights: {1: 12, 2: 10, 3: 12, 4: 12, 5: 12, 6: 30}\n" in \
        (imported / "attachments.yaml").read_text(encoding="utf-8")
    plain = tmp_path / "plain" / "forms"
    plain.mkdir(parents=True)
    (plain / "package.yaml").write_text("".join(line for line in (package / "package.yaml").read_text(
        encoding="utf-8").splitlines(keepends=True) if not line.startswith(("    widths:", "    heights:"))), encoding="utf-8")
    first, imported, second, _ = round_trip(tmp_path / "plain", plain)
    form = yaml.safe_load((imported / "attachments.yaml").read_text(encoding="utf-8"))["attachments"][2]
    assert form["merge"] and "widths" not in form and "heights" not in form
    assert plan_tables(plan_of(second)) == plan_tables(plan_of(first))


def test_a_section_of_one_task_stays_a_section_when_the_month_grid_labels_the_task_by_its_text(tmp_path):
    """A section holding a single task prints as a task titled by the heading would (heading, then the text).
    The month grid labels a titled task's row with its title: a row labelled with the task's text says the
    heading is a section's, and the task has no title (forms: 三、提升公开平台水平; tables: 二、保障措施)."""
    import yaml

    imported = round_trip(tmp_path, ROOT / "tests" / "packages" / "forms")[1]
    body = yaml.safe_load((imported / "body.yaml").read_text(encoding="utf-8"))["body"]
    tasks = yaml.safe_load((imported / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert body[2] == {"title": "提升公开平台水平", "text": [{"task": tasks[4]["id"]}]}
    assert "title" not in tasks[4]


def test_phases_printed_only_in_the_month_grid_are_read_from_the_months_they_mark(tmp_path):
    """tables prints its phases in the month grid alone (no 进度安排 section): the rows the grid starts with that
    label no task are the phases, each period from its first marked month to its last; the tasks' rows follow."""
    import yaml

    _, imported, _, summary = round_trip(tmp_path, ROOT / "tests" / "packages" / "tables")
    schedule = yaml.safe_load((imported / "schedule.yaml").read_text(encoding="utf-8"))["schedule"]
    assert schedule == [{"title": "部署阶段", "period": "2021年1月—2021年3月"},
                        {"title": "实施阶段", "period": "2021年4月—2021年12月"}]
    assert "  附件2: 2 phases read from the month grid, their periods from the months they mark → schedule.yaml: " \
        "¶21" in summary.splitlines()


def test_units_joined_by_commas_print_as_written_and_listed_attachments_are_kept(tmp_path):
    """A unit list with ， between groups keeps its words; a 附件说明 naming files sent separately keeps its line."""
    import yaml

    document = docx.Document()
    title = document.add_paragraph("某县政务公开工作方案")
    title.alignment = 1
    title.runs[0].font.size = docx.shared.Pt(22)
    for text in ["一、主要任务", "（一）建设平台。建设政务公开专区。（责任单位：县政务服务中心、县政府办，各乡镇）",
                 "附件：1.试点单位名单.pdf", "2.任务清单.xlsx", "某县人民政府办公室", "2024年1月2日"]:
        document.add_paragraph(text)
    source = tmp_path / "commas.docx"
    document.save(str(source))
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "printed as written" not in summary      # the list is units as written: groups, no copy of the words
    tasks = yaml.safe_load((tmp_path / "pkg" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert tasks[0]["responsible"] == [["县政务服务中心", "县政府办"], ["各乡镇"]]
    package = read_package(tmp_path / "pkg")
    assert [[u.name for u in t.responsible] for t in package.tasks] == [["县政务服务中心", "县政府办", "各乡镇"]]
    assert [a.title for a in package.document.attachments] == ["试点单位名单", "任务清单"]
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    assert "（一）建设平台。建设政务公开专区。（责任单位：县政务服务中心、县政府办，各乡镇）" in paragraphs(plan_of(tmp_path / "out" / "pkg"))


def test_word_list_numbering_is_resolved_to_the_labels_word_shows():
    """numbering.xml: chineseCounting and decimal levels, deeper levels restart under a new parent."""
    from doctools.readers.docx_source import read_source

    labels = [p.label for p in read_source(IMPORT / "multilevel.docx") if getattr(p, "label", "")]
    assert labels == ["一、", "二、", "（一）", "（二）", "1.", "2.", "（三）", "三、", "（一）", "（二）"]


def test_text_in_a_text_box_is_read_once_after_its_anchor(tmp_path):
    """Word keeps a text box twice (DrawingML and a VML fallback); its paragraphs count once."""
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = ('<w:txbxContent><w:p><w:r><w:t>抄送：县委办公室。</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>某县人民政府办公室</w:t><w:tab/><w:t>2024年1月2日印发</w:t></w:r></w:p></w:txbxContent>')
    run_xml = (f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
               f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}'
               '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    document = docx.Document()
    document.add_paragraph("某县政务公开工作方案").alignment = 1
    document.add_paragraph("一、总体要求")
    document.add_paragraph("做好政务公开。")
    document.add_paragraph()._p.append(parse_xml(run_xml))
    source = tmp_path / "box.docx"
    document.save(str(source))
    from doctools.readers.docx_source import read_source

    assert [p.text for p in read_source(source)][-3:] == ["", "抄送：县委办公室。", "某县人民政府办公室\t2024年1月2日印发"]
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0, summary
    imprint = read_package(tmp_path / "pkg").document.imprint
    assert (imprint.cc, imprint.printer, str(imprint.date)) == (["县委办公室"], "某县人民政府办公室", "2024-01-02")


# ---- whatever was typed, import writes a package that checks and builds -----------------

def _typed(tmp_path: Path, name: str, lines) -> Path:
    """A draft typed with direct formatting: (text, alignment[, size]) tuples, the first line a title centred in
    22 pt, the others 16 pt unless said."""
    document = docx.Document()
    for k, line in enumerate(lines):
        text, align, *size = line if isinstance(line, tuple) else (line, None)
        p = document.add_paragraph()
        run = p.add_run(text)
        run.font.size = docx.shared.Pt(22 if k == 0 else size[0] if size else 16)
        p.alignment = 1 if k == 0 else align
    path = tmp_path / f"{name}.docx"
    document.save(str(path))
    return path


BAISHI = ["白石乡2025年政务公开工作实施方案", "为做好政务公开工作，结合我乡实际，制定本方案。", "一、主要任务",
          "（一）规范公开目录。梳理本乡政务公开事项。", "责任单位：乡党政办",
          "（二）加强村务公开。", "责任单位：乡党政办、各村民委员会", "完成时限：2025年6月底前"]


def test_duty_lines_right_under_a_heading_make_one_task_titled_by_the_heading(tmp_path):
    """The tester's draft: a heading, then 责任单位 and 完成时限 lines and no text.  It used to give a task
    with neither text nor title (build: "task 't02' needs a 'text' or a 'title'") and a 完成时限 line kept twice."""
    source = _typed(tmp_path, "baishi", BAISHI + ["白石乡人民政府", "2025年1月8日"])
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  task (a block of 2 duty lines): ¶7-8" in summary.splitlines()
    task = read_package(tmp_path / "pkg").tasks[1]
    assert (task.title, [u.name for u in task.responsible], str(task.deadline.official("-"))) == \
        ("加强村务公开。", ["乡党政办", "各村民委员会"], "2025年6月底前")
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    printed = paragraphs(plan_of(tmp_path / "out" / "pkg"))
    at = printed.index("（二）加强村务公开。")
    assert printed[at:at + 3] == ["（二）加强村务公开。", "责任单位：乡党政办、各村民委员会", "完成时限：2025年6月底前"]
    assert printed.count("完成时限：2025年6月底前") == 1
    import yaml

    formats = yaml.safe_load((tmp_path / "pkg" / "document.yaml").read_text(encoding="utf-8"))["style"]["duty_formats"]
    assert formats[read_package(tmp_path / "pkg").tasks[1].duty_format] == \
        {"template": ["责任单位：{responsible}", "完成时限：{deadline}"], "place": "line"}   # a block of two duty lines


def test_unit_verbs_closing_a_numbered_item_are_read_as_lead_and_support(tmp_path):
    """"乡党政办负责，各站所配合。" / "…牵头，…配合。" / "…牵头负责。" end an item: a task whose
    duty format prints the same verbs."""
    items = ["1.加强组织领导。乡党政办负责，各站所配合。", "2.规范公开平台。县发改局牵头，乡财政所、各站所配合。",
             "3.做好政策解读。乡综治中心牵头负责。", "4.及时更新信息。各村负责公开本村事务。",
             "5.更新村务信息。乡党政办负责，各村（社区）配合。"]
    source = _typed(tmp_path, "verbs", BAISHI[:3] + items + ["白石乡人民政府", "2025年1月8日"])
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    assert [(t.text, [u.name for u in t.lead], [u.name for u in t.support]) for t in tasks] == [
        ("加强组织领导。", ["乡党政办"], ["各站所"]), ("规范公开平台。", ["县发改局"], ["乡财政所", "各站所"]),
        ("做好政策解读。", ["乡综治中心"], []), ("更新村务信息。", ["乡党政办"], ["各村（社区）"])]
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    printed = paragraphs(plan_of(tmp_path / "out" / "pkg"))
    assert [p for p in printed if p[:2] in ("1.", "2.", "3.", "4.", "5.")] == items


def _cells(folder: Path):
    """Every text a built package holds: its .docx paragraphs and table cells, and its workbooks' cells."""
    texts = []
    for path in folder.rglob("*.docx"):
        texts.extend(all_texts(path))
    for path in folder.rglob("*.xlsx"):
        for sheet in load_workbook(path).worksheets:
            texts.extend(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    return "".join(re.sub(r"[\s\u3000]+", "", t) for t in texts)


@pytest.mark.parametrize("seed", range(40))
def test_any_typed_variation_imports_into_a_package_that_checks_and_builds(tmp_path, seed):
    """Drafts typed in many ways (tests/import/variations.py): import, check with no error, build, and
    keep the sentences: ≥ 95 % of them in the plan, every one of them somewhere in what the build wrote."""
    import sys

    sys.path.insert(0, str(IMPORT))
    from variations import make

    source = make(seed, tmp_path / f"v{seed}.docx")
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    code, text = run("check", tmp_path / "pkg")
    assert code == 0, text
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text + summary
    plan = "".join(re.sub(r"[\s\u3000]+", "", t) for t in all_texts(plan_of(tmp_path / "out" / "pkg")))
    everything = _cells(tmp_path / "out" / "pkg")
    # a 成文日期 typed in Chinese numerals is printed in Arabic ones (GB/T 9704-2012 7.3.5.2); the summary says so
    assert ("二〇二五年一月八日" in "".join(all_texts(source))) == \
        ("成文日期 二〇二五年一月八日 printed as 2025年1月8日 (Arabic numerals, GB/T 9704-2012 7.3.5.2)" in summary)
    wanted = sentences(t.replace("二〇二五年一月八日", "2025年1月8日") for t in all_texts(source))
    assert [s for s in wanted if s not in everything] == [], summary
    missing = [s for s in wanted if s not in plan]
    assert len(missing) <= 0.05 * len(wanted), missing


def test_a_task_check_would_refuse_goes_back_to_the_paragraphs_it_came_from(tmp_path, monkeypatch):
    """The guarantee behind the guesses: a task the recogniser got wrong (here: made wrong on purpose, a unit
    outside the registry, a duty format check refuses) is printed as the plain paragraphs it came from, the
    summary says so, and the package checks and builds into the same plan."""
    from doctools.readers.docx import ruler

    source = IMPORT / "typed_direct.docx"
    assert run("import", source, "--out", tmp_path / "good")[0] == 0
    assert run("build", tmp_path / "good", "--out", tmp_path / "out")[0] == 0
    recognise = ruler.run

    def wrong(state):
        draft = recognise(state)
        draft.tasks[0]["weight"] = 3
        name = draft.tasks[1].get("format", "default")
        spec = draft.style["duty_formats"][name]
        draft.style["duty_formats"][name] = {"template": spec, "place": "inline", "colour": "red"}
        return draft

    monkeypatch.setattr(ruler, "run", wrong)
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    plain = summary.splitlines()[summary.splitlines().index("kept as plain text (check these):") + 1:]
    assert any(line.startswith("  task t01 kept as plain text: doctools check found: ") and "weight" in line and
               line.endswith(": ¶9-10") for line in plain), plain
    assert any(line.startswith("  task t02 kept as plain text: doctools check found:") for line in plain), plain
    assert [t.id for t in read_package(tmp_path / "pkg").tasks] == ["t03", "t04", "t05"]
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == paragraphs(plan_of(tmp_path / "out" / "good"))


def test_an_attachment_the_text_names_but_the_file_lacks_gets_a_title_page(tmp_path):
    """"详见附件2" and "《X》附后" in a file without those pages: check refuses a reference to a missing
    attachment, so import adds a page with its title only and says so."""
    source = _typed(tmp_path, "refs", BAISHI[:3] + ["（一）规范目录。编制目录，格式详见附件2。", "责任单位：乡党政办",
                                                    "（二）公开名单。《试点村名单》附后。"])
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  the text names attachment(s) the file does not hold: a page with its title only for each " \
        "(试点村名单、附件2); add the attachment or change the reference: -" in summary.splitlines()
    assert [a.title for a in read_package(tmp_path / "pkg").document.attachments] == ["试点村名单", "附件2"]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0


SIGN_OFFS = {   # how the 署名 and 成文日期 were typed at the end of the body -> the date read
    "left": ([("白石乡人民政府", 0), ("2025年1月8日", 0)], "2025年1月8日"),
    "centred after a blank line": ([("", None), ("白石乡人民政府", 1), ("2025年1月8日", 1)], "2025年1月8日"),
    "right, in Chinese numerals": ([("白石乡人民政府", 2), ("二〇二五年一月八日", 2)], "2025年1月8日"),
    "one paragraph, a line break": ([("白石乡人民政府\n2025年1月8日", 0)], "2025年1月8日"),
}


@pytest.mark.parametrize("typed", SIGN_OFFS, ids=list(SIGN_OFFS))
def test_a_sign_off_is_read_by_its_content_and_place_whatever_its_alignment(tmp_path, typed):
    """An office name followed by a full date at the end of the body is the 署名 and 成文日期, aligned left,
    centred or right, with the date in Chinese numerals, or both in one paragraph; it is not body text."""
    lines, date = SIGN_OFFS[typed]
    source = _typed(tmp_path, "sig", BAISHI + lines)
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  署名, 成文日期: " in "\n".join(summary.splitlines())
    document = read_package(tmp_path / "pkg").document
    assert (document.office, document.date.strftime("%Y年%-m月%-d日")) == ("白石乡人民政府", date)
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    printed = paragraphs(plan_of(tmp_path / "out" / "pkg"))
    assert printed[-2:] == ["白石乡人民政府", date] and printed.count("白石乡人民政府") == 1


def test_the_summary_names_every_paragraph_it_did_not_place(tmp_path):
    """A second office line above the 署名 (a joint sign-off the format cannot print) stays body text and
    the summary says so; every paragraph number of the source is in the summary."""
    source = _typed(tmp_path, "joint", BAISHI + [("白石乡人民政府", 0), ("白石乡党委", 0), ("2025年1月8日", 0)])
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    lines = summary.splitlines()
    plain = lines[lines.index("kept as plain text (check these):") + 1:]
    assert "  a line like an office name just before the 署名 (a second 署名?) kept as body text: ¶9" in plain
    named = set()
    for line in lines:
        for a, b in re.findall(r"¶(\d+)(?:-(\d+))?", line):
            named.update(range(int(a), int(b or a) + 1))
    assert named == set(range(1, 12))


def test_under_a_chinese_locale_the_import_summary_is_chinese(tmp_path, monkeypatch):
    """LANG=zh_CN: every line import prints is in Chinese, the new ones too (the words quoted from the
    source, ¶ numbers and file names aside)."""
    source = _typed(tmp_path, "zh", BAISHI + [("白石乡人民政府", 0), ("白石乡党委", 0), ("2025年1月8日", 0)])
    env = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
    result = CliRunner(env=env).invoke(main, ["import", str(source), "--out", str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  任务（2 行责任表述）: ¶7-8" in lines, lines
    assert "  署名前一行像机关名称（联合署名？），按正文保留: ¶9" in lines, lines
    for line in lines:
        words = re.sub(r"[^A-Za-z]+", " ", re.sub(r"(/\S+|¶\d+)", "", line)).split()
        assert not [w for w in words if len(w) > 2 and w not in ("doctools", "check")], line


@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
def test_a_deadline_without_a_year_takes_the_plans_date(tmp_path, dated):
    """"完成时限：6月底前" in a plan dated 2025年1月8日 is the task's deadline 2025年6月底前: the plan prints it as
    written, the 任务分工表 with its year.  With no date in the plan it stays in the wording, and the task has none."""
    sign_off = ["白石乡人民政府", "2025年1月8日"] if dated else []
    source = _typed(tmp_path, "yearless", BAISHI[:5] + ["完成时限：6月底前",
                                                        "（二）更新网站。（牵头单位：乡财政所；完成时限：年底前）"] + sign_off)
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    if dated:
        assert [t.deadline.end.isoformat() for t in tasks] == ["2025-06-30", "2025-12-31"]
    else:
        assert [t.deadline for t in tasks] == [None, None]
        assert "  deadline '6月底前' printed as written: it is not a date the plan's date can complete (2024年4月底前, " \
            "4月底前 in a dated plan), so the task has none: ¶4-6" in summary.splitlines()
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    printed = paragraphs(plan_of(tmp_path / "out" / "pkg"))
    assert "完成时限：6月底前" in printed and "（二）更新网站。（牵头单位：乡财政所；完成时限：年底前）" in printed
    rows = task_rows(tmp_path / "out" / "pkg")
    assert [r[1] for r in rows[-2:]] == ["梳理本乡政务公开事项。", "更新网站。"]
    assert [r[-1] for r in rows[-2:]] == ["2025年6月底前", "2025年底前"] if dated else len(rows[-1]) == 3


def test_numbers_that_run_on_across_sections_are_sections_that_say_so(tmp_path):
    """（一）（二） under 一、, then （三）（四） under 二、, then （一） again under 三、: each heading a section (it was
    kept as a typed paragraph of the section before), 二、 marked numbering: continue, printed as typed."""
    lines = ["白石乡政务公开工作实施方案", "一、公开目录", "（一）编制目录", "编制目录。", "（二）更新目录", "更新目录。",
             "二、公开平台", "（三）建设专栏", "建设专栏。", "责任单位：乡党政办", "（四）维护专栏", "维护专栏。",
             "三、保障措施", "（一）加强领导", "加强领导。", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "runon", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "kept as typed" not in summary
    assert "  numbers running on from the section before (numbering: continue): ¶8" in summary.splitlines()
    sections = read_package(tmp_path / "pkg").document.sections
    assert [[c.label for c in s.children] for s in sections] == [["（一）", "（二）"], ["（三）", "（四）"], ["（一）"]]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines[:9] + ["责任单位：乡党政办"] + lines[10:]


def test_a_third_part_like_zhuzhua_becomes_a_declared_role(tmp_path):
    """主抓单位 next to 牵头单位 and 配合单位: the package declares the role (roles: chief, 主抓单位), the task names
    its units in that field, and the plan prints the same lines (it was read as a second 牵头单位)."""
    lines = BAISHI[:4] + ["主抓单位：乡党政办", "牵头单位：乡财政所", "配合单位：各站所",
                          "（二）加强培训。组织培训。（主抓单位：乡综治中心；牵头单位：乡党政办）", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "chief", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    package = read_package(tmp_path / "pkg")
    assert [(r.id, r.label) for r in package.roles] == [("chief", "主抓单位")]
    import yaml

    tasks = yaml.safe_load((tmp_path / "pkg" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert [(t["chief"], t["lead"], t.get("support")) for t in tasks] == [
        (["乡党政办"], ["乡财政所"], ["各站所"]), (["乡综治中心"], ["乡党政办"], None)]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines


def test_duty_lines_after_a_numbered_list_make_one_task_of_its_items(tmp_path):
    """1.… 2.… and then 牵头单位/配合单位 lines for them all: one task whose paragraphs are the items as
    numbered (they were duty lines kept as plain lines, the units out of the 任务分工表)."""
    items = ["1.梳理本乡职责范围内的政务公开事项，逐项明确公开内容、公开时限、公开渠道和公开主体，形成目录。",
             "2.按照目录及时更新公开内容，确保信息准确、完整、及时，方便群众查询和监督，提高公开质量。"]
    lines = BAISHI[:3] + ["（一）规范公开"] + items + ["牵头单位：乡党政办", "配合单位：各站所", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "list", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "kept as plain" not in summary
    [task] = read_package(tmp_path / "pkg").tasks
    assert ([p.text if hasattr(p, "text") else "".join(r.text for r in p) for p in task.paragraphs],
            [u.name for u in task.lead], [u.name for u in task.support]) == (items, ["乡党政办"], ["各站所"])
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines


def test_a_deadline_of_several_dated_targets_becomes_milestones(tmp_path):
    """"完成时限：2025年6月底前完成梳理，9月底前完成公开": the task's milestones (the 任务分工表 shows both), the plan
    prints the line as written (it used to be a wording with no deadline at all)."""
    lines = BAISHI[:5] + ["完成时限：2025年6月底前完成梳理，9月底前完成公开", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "ms", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  完成时限 with 2 dated targets → milestones: ¶4-6" in summary.splitlines()
    [task] = read_package(tmp_path / "pkg").tasks
    assert [(m.deadline.end.isoformat(), m.text) for m in task.milestones] == [("2025-06-30", "完成梳理"),
                                                                              ("2025-09-30", "完成公开")]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines
    row = task_rows(tmp_path / "out" / "pkg")[-1]
    assert "2025年6月底前完成梳理" in row[-1] and "9月底前完成公开" in row[-1].replace("2025年9月", "9月"), row


def test_a_web_copy_with_the_notice_title_over_its_number_keeps_the_title_as_the_notices(tmp_path):
    """A plan copied from a government website starts with the notice's title and its 发文字号: the red
    发文机关标志 above them is not on the page.  The title used to become the 发文机关标志, printed in red as
    the office's mark, and the notice had no title; now the title stays the notice's and the mark is made from
    the office it names, as GB/T 9704 7.2.3 makes it, and the summary says so."""
    lines = [("白石乡人民政府关于印发白石乡2025年政务公开工作实施方案的通知", 1), ("白政发〔2025〕3号", 1),
             "各村民委员会：", "现将《白石乡2025年政务公开工作实施方案》印发给你们，请认真贯彻执行。",
             ("白石乡人民政府", 2), ("2025年1月8日", 2)] + [(BAISHI[0], 1, 22)] + BAISHI[1:] + \
        [("白石乡人民政府", 2), ("2025年1月8日", 2)]
    code, summary = run("import", _typed(tmp_path, "web", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  发文机关标志 白石乡人民政府文件 made from the notice's title: the copy has none above its 发文字号; " \
           "check it: ¶1" in summary.splitlines(), summary
    document = read_package(tmp_path / "pkg").document
    assert (document.header.mark, document.header.number) == ("白石乡人民政府文件", "白政发〔2025〕3号")
    assert document.notice.title == lines[0][0] and document.notice.recipients == "各村民委员会："
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    printed = paragraphs(plan_of(tmp_path / "out" / "pkg"))
    assert [t.replace("\n", "") for t in printed[:3]] == ["白石乡人民政府文件", "白政发〔2025〕3号", lines[0][0]], printed


def test_phases_whose_periods_drop_the_repeated_year_are_read_as_the_schedule(tmp_path):
    """（二）组织实施阶段（2024年4月—10月）: the canonical form would repeat the year (2024年4月—2024年10月), so
    the phases used to stay plain sections; periods print as written now, so they are the schedule."""
    lines = BAISHI[:3] + ["二、实施步骤", "（一）动员部署阶段（2024年3月）。召开动员会。",
                          "（二）组织实施阶段（2024年4月—10月）。按照任务分工推进。",
                          "（三）总结提升阶段（2024年11月—12月）。总结经验。", ("白石乡人民政府", 2), ("2024年3月1日", 2)]
    code, summary = run("import", _typed(tmp_path, "phases", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "  进度安排: 3 phases with periods → schedule.yaml: ¶4-7" in summary.splitlines(), summary
    phases = read_package(tmp_path / "pkg").phases
    assert [(p.title, p.period.start.isoformat(), p.period.end.isoformat()) for p in phases] == [
        ("动员部署阶段", "2024-03-01", "2024-03-31"), ("组织实施阶段", "2024-04-01", "2024-10-31"),
        ("总结提升阶段", "2024-11-01", "2024-12-31")]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == [t if isinstance(t, str) else t[0] for t in lines]


def test_a_draft_with_no_numbered_sections_imports_as_paragraphs_and_builds(tmp_path):
    """A short 通知 or a draft of plain paragraphs has no 一、 sections.  Import used to write a package with no
    body, which check refused ("the plan has no body"); now its body.yaml says body: [] and it builds."""
    lines = [BAISHI[0], "为做好政务公开工作，结合我乡实际，制定本方案。", "各村要及时公开村务。", ("白石乡人民政府", 2),
             ("2025年1月8日", 2)]
    code, summary = run("import", _typed(tmp_path, "plain", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "body: []" in (tmp_path / "pkg" / "body.yaml").read_text(encoding="utf-8")
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == [t if isinstance(t, str) else t[0] for t in lines]


XINXIANG = ["新乡县2015年政务公开工作实施方案", "为提升我县政务公开工作质量，特制定本实施方案。", "一、主要任务", "（一）加强政策发布",
            "1.县发改委负责，做好国民经济和社会发展规划信息公开。", "2.全面公开财政预决算和“三公”经费。（县财政局牵头负责）",
            "3.公开重大建设项目批准和实施信息。（县发改委、人行新乡县支行牵头负责）", "（二）强化解读回应",
            "4.及时回应社会关切，做好舆情处置工作。县委宣传部牵头，县委、县政府督查室配合。",
            "5.做好规范性文件公开工作。（县政府办公室牵头，县司法局负责法制审查）", "6.完善政府信息公开目录。",
            "牵头单位：县档案局", "完成时限：2015年9月底前", "（三）推进平台建设", "7.优化政府网站。", "责任单位：县政府办公室",
            "新乡县人民政府办公室", "2015年3月20日"]


def test_numbered_items_with_duty_wording_are_tasks_numbered_on_across_sections(tmp_path):
    """The tester's draft: 1.–3. under （一） with the duty forms the README lists were a heading and run-in
    headings, 4.–7. running on under （二）（三） kept their typed numbers in the tasks' text ("5.做好…" in the
    任务分工表) and 6. after 5. was "numbered paragraph that does not continue the numbering".  Each is a task of
    its section's list now, numbered on (numbering: continue), and the plan prints as typed."""
    code, summary = run("import", _typed(tmp_path, "xinxiang", XINXIANG), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "does not continue" not in summary and "kept as plain" not in summary, summary
    lines = summary.splitlines()     # 6. and 7. are the tasks of the duty lines after them, not plain list items
    assert "  task (a block of 2 duty lines): ¶11-13" in lines and "  task (duty on a line of its own): ¶15-16" in lines
    assert "numbered list item" not in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    assert [(t.text, [u.name for u in t.lead + t.responsible]) for t in tasks] == [
        ("做好国民经济和社会发展规划信息公开。", ["县发改委"]), ("全面公开财政预决算和“三公”经费。", ["县财政局"]),
        ("公开重大建设项目批准和实施信息。", ["县发改委", "人行新乡县支行"]),
        ("及时回应社会关切，做好舆情处置工作。", ["县委宣传部"]), ("做好规范性文件公开工作。", ["县政府办公室"]),
        ("完善政府信息公开目录。", ["县档案局"]), ("优化政府网站。", ["县政府办公室"])]
    import yaml

    body = yaml.safe_load((tmp_path / "pkg" / "body.yaml").read_text(encoding="utf-8"))["body"]
    assert [s.get("numbering") for s in body[0]["sections"]] == [None, "continue", "continue"]
    code, text = run("build", tmp_path / "pkg", "--out", tmp_path / "out")
    assert code == 0, text
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == XINXIANG
    assert [r[1] for r in task_rows(tmp_path / "out" / "pkg")[-7:]] == [t.text for t in tasks]


def test_units_closing_a_paragraph_of_lead_ins_make_it_a_task(tmp_path):
    """"（四）强化平台建设。一是…。二是…。县数据局牵头，县政府办公室配合。": the units closing the run-in text make it
    a task (it was kept as 一是/二是 lead-ins, the units out of the 任务分工表), printed as typed."""
    lines = BAISHI[:3] + ["（一）强化平台建设。一是优化政府网站栏目设置，清理长期不更新栏目。二是加强政务新媒体管理，规范信息发布。"
                          "县数据局牵头，县政府办公室配合。", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "leadins", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    assert "  task (paragraph ending \"…牵头，…配合\"): ¶4" in summary.splitlines(), summary
    [task] = read_package(tmp_path / "pkg").tasks
    assert (task.text, [u.name for u in task.lead], [u.name for u in task.support]) == (
        "一是优化政府网站栏目设置，清理长期不更新栏目。二是加强政务新媒体管理，规范信息发布。", ["县数据局"], ["县政府办公室"])
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines
    assert task_rows(tmp_path / "out" / "pkg")[-1][1:] == [task.text, "县数据局", "县政府办公室"]


def test_a_row_of_the_task_table_repeating_a_body_task_completes_it(tmp_path):
    """The tester's draft: tasks printed in the body and again as rows of the 附件 task table, by their heading
    (推进决策公开) or their text, with the same units.  Each was imported twice, two unlinked tasks, so every unit's
    list showed it twice; the row now completes the body's task and only a row of its own makes a new one."""
    lines = BAISHI[:3] + ["（一）推进决策公开。", "严格落实重大行政决策预公开制度。（牵头单位：乡司法所；配合单位：乡党政办）",
                          "（二）规范依申请公开。", "进一步规范依申请公开办理流程，按时答复申请人。", "牵头单位：乡党政办",
                          "配合单位：乡司法所", "附件：白石乡政务公开重点任务分工表", ("白石乡人民政府", 2), ("2025年1月8日", 2)]
    source = _typed(tmp_path, "repeated", lines)
    document = docx.Document(str(source))
    document.add_page_break()
    document.add_paragraph("附件")
    document.add_paragraph("白石乡政务公开重点任务分工表").alignment = 1
    rows = [["序号", "工作任务", "牵头单位", "配合单位"], ["1", "推进决策公开", "乡司法所", "乡党政办"],
            ["2", "进一步规范依申请公开办理流程，按时答复申请人", "乡党政办", "乡司法所"], ["3", "开展政务公开培训", "乡党政办", ""]]
    table = document.add_table(rows=len(rows), cols=4)
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.save(str(source))
    code, summary = run("import", source, "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    assert [(t.title, t.text, [u.name for u in t.lead]) for t in tasks] == [
        ("推进决策公开。", "严格落实重大行政决策预公开制度。", ["乡司法所"]),
        ("规范依申请公开。", "进一步规范依申请公开办理流程，按时答复申请人。", ["乡党政办"]),
        (None, "开展政务公开培训", ["乡党政办"])]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    book = load_workbook(tmp_path / "out" / "pkg" / "各单位任务清单.xlsx")
    assert [r[1] for r in book["乡司法所"].iter_rows(min_row=3, values_only=True)] == \
        [t.text for t in tasks[:2]]


def test_a_joint_office_of_party_and_government_is_one_unit(tmp_path):
    """县委、县政府督查室 is the office 县委 and 县政府 share: one unit (it was split into 县委 and 县政府督查室, a unit
    called 县委 in the lists); 县委办公室、县政府办公室 are still two."""
    lines = BAISHI[:3] + ["1.及时回应社会关切。县委宣传部牵头，县委、县政府督查室配合。",
                          "2.做好信息公开。县委办公室、县政府办公室负责。", "白石乡人民政府", "2025年1月8日"]
    code, summary = run("import", _typed(tmp_path, "joint", lines), "--out", tmp_path / "pkg")
    assert code == 0 and "doctools check finds 0 errors" in summary, summary
    tasks = read_package(tmp_path / "pkg").tasks
    assert [[u.name for u in t.lead + t.support + t.responsible] for t in tasks] == [
        ["县委宣传部", "县委、县政府督查室"], ["县委办公室", "县政府办公室"]]
    assert run("build", tmp_path / "pkg", "--out", tmp_path / "out")[0] == 0
    assert paragraphs(plan_of(tmp_path / "out" / "pkg")) == lines
    assert load_workbook(tmp_path / "out" / "pkg" / "各单位任务清单.xlsx").sheetnames == [
        "县委宣传部", "县委、县政府督查室", "县委办公室", "县政府办公室"]


@pytest.mark.parametrize("lang, words", [("zh", ["公文框架，由 doctools import 从", "请核对标题的换行", "各项任务"]),
                                         ("en", ["The document frame, imported from", "Tasks found by"])])
def test_the_comments_import_writes_are_in_the_users_language(tmp_path, lang, words):
    """The YAML comments of an imported package are the clerk's to read: Chinese under a Chinese locale."""
    code, output = run("build", ROOT / "inputs" / "kazuo", "--out", tmp_path / "out")
    assert code == 0, output
    code, output = run("--lang", lang, "import", plan_of(tmp_path / "out" / "kazuo"), "--out", tmp_path / "pkg")
    assert code == 0, output
    comments = "\n".join(line for p in sorted((tmp_path / "pkg").glob("*.yaml"))
                         for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert all(w in comments for w in words), comments
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", comments.replace("doctools import", "")), comments
