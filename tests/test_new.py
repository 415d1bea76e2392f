"""`doctools new`: a package that builds at once, that check says still needs its content, and that never
overwrites anything."""
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT
from docx import Document

from doctools.cli import main

OFFICE = "喀左县人民政府办公室"
ANSWERS = ["--yes", "--office", OFFICE, "--type", "工作方案", "--subject", "开展政务公开标准化工作",
           "--date", "2024年3月5日", "--header", "--notice", "--unit", "县政务服务中心", "--unit", "县发改局"]
TITLE = "喀左县开展政务公开标准化工作工作方案"
ZH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}


def run(*args, env=None, input=None):
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], input=input)
    return result.exit_code, result.output


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def warnings(output: str):
    return [line for line in output.splitlines() if ": warning: " in line]


@pytest.fixture
def package(tmp_path):
    folder = tmp_path / "plan"
    code, output = run("new", folder, *ANSWERS)
    assert code == 0, output
    return folder


def test_new_package_builds_into_a_plan_with_the_office_and_title(package, tmp_path):
    code, output = run("build", package, "--out", tmp_path / "out")
    assert code == 0, output
    plan = tmp_path / "out" / "plan" / f"{TITLE}.docx"
    text = docx_text(plan)
    assert TITLE in text.replace("\n", "")
    assert OFFICE in text
    assert f"{OFFICE}关于印发{TITLE}的通知" in text.replace("\n", "")      # the 印发通知 asked for, by its office
    assert "喀左县人民政府办公室文件" in text                      # the red 版头 asked for
    assert "牵头单位：县政务服务中心；配合单位：县发改局" in text     # the units asked for, in the duty line
    assert "2024年3月5日" in text
    with zipfile.ZipFile(plan) as z:
        assert "word/document.xml" in z.namelist()


@pytest.mark.parametrize("frame", [[], ["--header", "--notice"]], ids=["plain", "header and notice"])
def test_new_then_build_gives_a_plan_that_audit_passes(tmp_path, frame):
    """The plan `new` starts, built as it is, is a conformant GB/T 9704 document (measured by audit on the
    LibreOffice render), with or without the red 版头 and the 印发通知."""
    answers = [a for a in ANSWERS if a not in ("--header", "--notice")] + frame
    code, output = run("new", tmp_path / "plan", *answers)
    assert code == 0, output
    code, output = run("build", tmp_path / "plan", "--out", tmp_path / "out")
    assert code == 0, output
    code, output = run("--lang", "en", "audit", *sorted((tmp_path / "out" / "plan").glob("*.docx")))
    assert code == 0, output
    assert ", 0 failed" in output


def test_check_passes_but_warns_at_every_placeholder(package):
    code, output = run("check", package)
    assert code == 0, output
    found = warnings(output)
    assert len(found) >= 10
    assert all(line.endswith("placeholder still to be filled in: replace it with the text") for line in found)
    files = {line.split(":")[0].rsplit("/", 1)[-1] for line in found}
    assert files == {"body.yaml", "document.yaml", "schedule.yaml", "tasks.yaml"}
    for line in found:       # each warning points at a 【待填写, or at the body's use of a task whose title is one
        name, row, col = line.split(":")[:3]
        text = (package / Path(name).name).read_text(encoding="utf-8").splitlines()[int(row) - 1][int(col) - 1:]
        assert text.startswith("【待填写") or text.startswith("task: renwu"), line


def test_placeholder_warnings_are_chinese_under_a_chinese_locale(package):
    code, output = run("check", package, env=ZH)
    assert code == 0
    assert all(line.endswith("warning: 此处是待填写的占位内容，请换成实际文字") for line in warnings(output))


def test_once_the_placeholders_are_filled_check_is_clean(package):
    for path in package.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("【待填写：主送机关，如各乡镇人民政府，县政府各部门】", "各乡镇人民政府，县政府各部门")
        path.write_text(re.sub(r"【待填写[^】]*】", "做好有关工作", text), encoding="utf-8")
    code, output = run("check", package)
    assert code == 0
    assert warnings(output) == []


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    code, output = run("new", folder, *ANSWERS)
    assert code == 2
    assert "is not empty" in output and "Traceback" not in output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_an_empty_folder_is_fine(tmp_path):
    (tmp_path / "plan").mkdir()
    assert run("new", tmp_path / "plan", *ANSWERS)[0] == 0


def test_yes_without_office_and_a_bad_date_are_input_errors(tmp_path):
    code, output = run("new", tmp_path / "a", "--yes")
    assert code == 2 and "--office" in output
    code, output = run("new", tmp_path / "b", "--yes", "--office", OFFICE, "--date", "2024年3月")
    assert code == 2 and "not a full date" in output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_asks_when_there_is_no_yes(tmp_path):
    folder = tmp_path / "plan"
    answers = "某市人民政府办公室\n推进方案\n数字政府建设\n2024年5月1日\ny\nn\n市发改委、市财政局\n"
    code, output = run("new", folder, input=answers)
    assert code == 0, output
    document = yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8"))["document"]
    assert document["title"] == "某市数字政府建设推进方案"
    assert document["date"] == "2024年5月1日"
    assert "header" in document and "notice" not in document
    assert yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))["units"] == ["市发改委", "市财政局"]
    assert "结合我市实际" in document["preamble"]


def test_each_answer_is_checked_at_its_prompt_and_is_and_isnt_are_answers(tmp_path):
    """2027.2.10 is refused at the date prompt and asked again (the answers before it are kept); 是/否 answer
    a yes/no question under a Chinese locale, and an answer that is neither is asked again."""
    folder = tmp_path / "plan"
    answers = "某市人民政府办公室\n推进方案\n数字政府建设\n2027.2.10\n2027年2月10日\n也许\n是\n否\n市发改委\n"
    code, output = run("new", folder, input=answers, env=ZH)
    assert code == 0, output
    assert output.count("成文日期") == 2 and "2024年3月5日" in output      # asked again, with the form to write
    assert "请回答 是 或 否" in output
    document = yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8"))["document"]
    assert document["title"] == "某市数字政府建设推进方案"
    assert document["date"] == "2027年2月10日"
    assert "header" in document and "notice" not in document


def test_without_header_and_notice_none_is_written(tmp_path):
    folder = tmp_path / "plan"
    assert run("new", folder, "--yes", "--office", OFFICE, "--date", "2024年3月5日")[0] == 0
    document = yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8"))["document"]
    assert "header" not in document and "notice" not in document
    assert yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))["units"] == [OFFICE]


# ---- --from ---------------------------------------------------------------------------------------------------
def headings(sections):
    return [(s.get("title"), s.get("task"), headings(s.get("sections") or [])) for s in sections]


def texts(value):
    """Every text written under a 'text' key, with items and lead-ins."""
    if isinstance(value, list):
        for v in value:
            yield from texts(v)
    elif isinstance(value, dict):
        for key, v in value.items():
            if key in ("text", "items", "lead", "list"):
                yield from (texts(v) if not isinstance(v, str) else [v])
            elif key == "sections":
                yield from texts(v)
    elif isinstance(value, str):
        yield value


def load(folder: Path):
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))}


def test_from_copies_the_structure_of_kazuo(tmp_path):
    folder = tmp_path / "plan"
    code, output = run("new", folder, *ANSWERS, "--from", ROOT / "inputs" / "kazuo")
    assert code == 0, output
    source, copy = load(ROOT / "inputs" / "kazuo"), load(folder)
    assert copy.keys() == source.keys()
    assert headings(copy["body.yaml"]["body"]) == headings(source["body.yaml"]["body"])
    assert [t["id"] for t in copy["tasks.yaml"]["tasks"]] == [t["id"] for t in source["tasks.yaml"]["tasks"]]
    assert [p["title"] for p in copy["schedule.yaml"]["schedule"]] == \
        [p["title"] for p in source["schedule.yaml"]["schedule"]]
    assert copy["units.yaml"]["units"] == ["县政务服务中心", "县发改局"]
    assert copy["document.yaml"]["document"]["title"] == TITLE
    assert copy["document.yaml"]["style"] == source["document.yaml"]["style"]
    written = list(texts(copy["body.yaml"]["body"])) + [t["text"] for t in copy["tasks.yaml"]["tasks"]]
    assert len(written) > 20 and all(t.startswith("【待填写") for t in written)   # kazuo's own text stays there
    code, output = run("check", folder)
    assert code == 0 and warnings(output)
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 0, output
    assert (tmp_path / "out" / "plan" / f"{TITLE}.docx").is_file()


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "inputs").iterdir() if p.is_dir()))
def test_from_any_example_gives_a_package_without_errors(tmp_path, example):
    folder = tmp_path / "plan"
    assert run("new", folder, *ANSWERS, "--from", ROOT / "inputs" / example)[0] == 0
    code, output = run("check", folder)
    assert code == 0, output
    assert warnings(output)


def test_no_answers_without_a_terminal_is_an_input_error(tmp_path):
    code, output = run("new", tmp_path / "plan", input="")
    assert code == 2
    assert "--yes" in output and "Traceback" not in output
    assert not (tmp_path / "plan").exists()


# ---- --from PACKAGE --year: last year's plan for this year ---------------------------------------------------
def test_from_with_year_moves_every_date_and_lists_each_change(tmp_path):
    """A plan copied from last year keeps its text; every date of the plan moves to the new year (the 成文日期,
    the 版记 date, the phases), the 依据's 发文字号 keep theirs, and each moved date is listed by file and line."""
    folder = tmp_path / "plan2027"
    code, output = run("--lang", "en", "new", folder, "--from", ROOT / "inputs" / "kazuo", "--year", 2027)
    assert code == 0, output
    document = (folder / "document.yaml").read_text(encoding="utf-8")
    assert "date: 2027年1月25日" in document and "2018年1月25日" not in document
    assert "国办发〔2017〕42号" in document                     # a 依据 is a document of its own year
    assert "# 依据: printed in the preamble" in document          # comments and layout kept
    schedule = (folder / "schedule.yaml").read_text(encoding="utf-8")
    values = "".join(line for line in schedule.splitlines() if not line.lstrip().startswith("#"))
    assert "2026年12月-2027年1月" in values and "2017" not in values and "2018" not in values
    assert "document.yaml:7: 2018年1月25日 -> 2027年1月25日" in output
    assert "schedule.yaml:5: 2017年12月 -> 2026年12月" in output
    assert "moved 14 dates by 9 years:" in output
    # the phase that starts the month before the plan's date is still earlier than it: said, not hidden
    assert "still earlier than the new date 2027年1月25日" in output
    assert "  schedule.yaml:5: 2026年12月" in output
    code, output = run("check", folder)
    assert code == 0, output
    assert (folder / "README.md").exists()


def test_year_shift_is_a_library_function_that_keeps_basis_and_fixes_a_leap_day():
    """doctools.commands.yearshift.shift_text, which the workbench's 沿用去年方案 calls too: 2月29日 of a year without one
    becomes 2月28日; the years of a 依据's title and a 发文字号 stay."""
    from doctools.commands.yearshift import earlier_dates, shift_text

    text = ("document:\n  date: 2024年2月29日\n  basis:\n    - {title: 2023年工作要点, number: 国办发〔2023〕1号}\n"
            "  header: {number: 县政办〔2024〕3号}\ntasks:\n  - {id: a, deadline: 2024年6月底前}\n"
            "  - {id: b, deadline: 2024-2025年}\n")
    out, changes = shift_text(text, 1, "d.yaml")
    assert "date: 2025年2月28日" in out
    assert "2023年工作要点" in out and "国办发〔2023〕1号" in out and "县政办〔2024〕3号" in out
    assert "deadline: 2025年6月底前" in out and "2025-2026年" in out
    assert [str(c) for c in changes] == ["d.yaml:2: 2024年2月29日 -> 2025年2月28日", "d.yaml:7: 2024年6月 -> 2025年6月",
                                         "d.yaml:8: 2024-2025年 -> 2025-2026年"]
    from datetime import date
    assert [str(c) for c in earlier_dates({"d.yaml": out}, date(2025, 3, 1))] == ["d.yaml:2: 2025年2月28日"]


def test_year_needs_from(tmp_path):
    code, output = run("--lang", "en", "new", tmp_path / "x", "--year", 2027)
    assert code == 2 and "--year needs --from" in output
