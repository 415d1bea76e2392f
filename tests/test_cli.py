"""The doctools command as a user runs it: outputs, messages, exit status."""
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, run


KAZUO = ROOT / "inputs" / "kazuo"
KAZUO_DOCX = "喀左县开展基层政务公开标准化规范化试点工作实施方案.docx"


def snapshot(folder: Path):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def package(tmp_path):
    """A writable copy of the kazuo package."""
    copy = tmp_path / "kazuo"
    shutil.copytree(KAZUO, copy)
    return copy


@pytest.fixture
def built(tmp_path, package):
    out = tmp_path / "out"
    code, text = run("build", package, "--out", out)
    assert code == 0, text
    return out


def test_build_writes_the_plan_named_by_its_title(built):
    assert (built / "kazuo" / KAZUO_DOCX).is_file()


def test_same_input_gives_identical_bytes(tmp_path, package):
    import time
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", package, "--out", a)[0] == 0
    time.sleep(1.1)                                   # a clock tick apart: no file may carry the time of building
    assert run("build", package, "--out", b)[0] == 0
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) >= 3                            # the plan, the task workbook, the unit lists
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_several_packages_in_one_run(tmp_path, package):
    code, text = run("build", package, ROOT / "tests" / "packages" / "full", "--out", tmp_path / "out")
    assert code == 0, text
    assert (tmp_path / "out" / "full" / "某县政务公开工作实施方案.docx").is_file()
    assert (tmp_path / "out" / "kazuo" / KAZUO_DOCX).is_file()


BAD_INPUTS = [
    # (file, text to find, replacement, the message the user must see)
    ("document.yaml", "  office: 喀左县人民政府办公室", "  office: [喀左县人民政府办公室",
     "document.yaml:7:7: error: YAML syntax error: expected ',' or ']', but got ':'"),
    ("document.yaml", "  title: |-", "  titel: |-",
     "document.yaml:3:3: error: unknown field 'titel' in document (did you mean 'title'"),
    ("document.yaml", "  title: |-", "  titel: |-",
     "document.yaml:3:3: error: document lacks the required field 'title'"),
    ("tasks.yaml", "responsible: [县民政局, 各乡镇街区]", "responsible: [县民证局, 各乡镇街区]",
     "tasks.yaml:32:18: error: task 'jiuzai': unit '县民证局' is not in the unit registry (did you mean '县民政局'"),
    ("schedule.yaml", "period: 2018年11月", "period: 2018年13月",
     "schedule.yaml:16:13: error: field 'period' of phase 4: '2018年13月': there is no month 13"),
    ("body.yaml", "      - task: fupin", "      - task: fupinn",
     "body.yaml:60:15: error: there is no task with id 'fupinn' (did you mean 'fupin'?)"),
    ("document.yaml", "    date: 2018年1月25日", "    date: 2018年2月30日",
     "document.yaml:24:11: error: field 'date' of imprint (版记): '2018年2月30日': 2018年2月 has no day 30"),
    ("units.yaml", "  - name: 县交通局", "  - name: 县规划局",
     "units.yaml:7:5: error: unit name or id '县规划局' is already used by the unit at line 5"),
]


@pytest.mark.parametrize("filename, old, new, message", BAD_INPUTS)
def test_bad_input_is_reported_with_place_and_leaves_outputs_alone(built, package, filename, old, new, message):
    path = package / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(built)
    code, output = run("build", package, "--out", built)
    assert code == 2
    assert message in output
    assert output.count(message) == 1
    assert "Traceback" not in output
    assert snapshot(built) == before                       # nothing rewritten, nothing left behind


def test_every_problem_is_reported_at_once(package):
    (package / "schedule.yaml").write_text((package / "schedule.yaml").read_text(encoding="utf-8")
                                           .replace("2018年11月", "2018年13月").replace("2018年12月", "明年"), encoding="utf-8")
    code, output = run("check", package)
    assert code == 2
    assert "2018年13月" in output and "明年" in output


def test_internal_failure_exits_1_with_a_log_and_keeps_outputs(built, package, monkeypatch):
    import doctools.writers.docx_plan as plan

    def broken(*args, **kwargs):
        raise RuntimeError("simulated writer failure")

    monkeypatch.setattr(plan, "write_plan", broken)
    before = snapshot(built)
    code, output = run("build", package, "--out", built, "--force")     # the outputs are current: force a rebuild
    assert code == 1
    assert "internal error: simulated writer failure" in output and "doctools-error.log" in output
    assert snapshot(built) == before


def test_console_script_reports_without_traceback(tmp_path, package):
    (package / "units.yaml").write_text("units:\n  - name: 县扶贫开发局\n    aliases: [县扶贫办\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "doctools", "build", str(package), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "units.yaml:" in result.stderr and "YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "o").exists()


def test_output_names_cannot_leave_the_output_folder(tmp_path, package):
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("喀左县开展基层政务公开标准化规范化", "../../evil/喀左"), encoding="utf-8")
    code, text = run("build", package, "--out", tmp_path / "out")
    assert code == 0, text
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert {p.parent for p in files} == {tmp_path / "out" / "kazuo"}
    assert "evil喀左试点工作实施方案.docx" in {p.name for p in files}


@pytest.mark.slow
def test_all_examples_build_in_one_run_with_their_tables(tmp_path):
    packages = sorted(p for p in (ROOT / "inputs").iterdir() if p.is_dir())
    assert [p.name for p in packages] == ["dean", "jixian", "kangbashi", "kazuo", "sanmenxia", "shaanxi", "suqian",
                                          "weihai"]
    undated, unitless = {"dean"}, {"suqian"}      # the part of their plans in reach has no deadline / no unit
    code, text = run("build", *packages, "--out", tmp_path)
    assert code == 0, text
    import openpyxl
    for package in packages:
        out = tmp_path / package.name
        plans = [p for p in out.glob("*.docx") if not p.name.startswith(("各单位", "任务分工"))]
        assert len(plans) == 1, package.name
        sheets = openpyxl.load_workbook(out / "任务分工表.xlsx").sheetnames
        assert sheets[0] == "任务分工表", (package.name, sheets)
        assert any(s.startswith("进度安排") for s in sheets) == (package.name not in undated), (package.name, sheets)
        assert (out / "各单位任务清单.xlsx").exists() == (package.name not in unitless), package.name
        if package.name not in unitless:
            assert openpyxl.load_workbook(out / "各单位任务清单.xlsx").sheetnames, package.name


def test_a_build_failing_half_way_leaves_the_previous_outputs_byte_identical(built, package, monkeypatch):
    import doctools.writers.xlsx as xlsx

    calls = []

    def fail_on_second_workbook(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return original(*args, **kwargs)

    original = xlsx.write_workbook
    monkeypatch.setattr(xlsx, "write_workbook", fail_on_second_workbook)
    before = snapshot(built)
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("县政协办公室", "县纪委办公室"), encoding="utf-8")
    code, output = run("build", package, "--out", built, "--force")    # every writer runs
    assert code == 1 and "disk full (simulated)" in output
    assert len(calls) == 2                                   # the plan and one workbook were already made
    assert snapshot(built) == before                         # and none of it reached the output folder


def test_parallel_build_gives_the_same_files_and_no_progress_bar_off_a_terminal(tmp_path):
    packages = [ROOT / "inputs" / "kazuo", ROOT / "inputs" / "jixian", ROOT / "inputs" / "shaanxi"]
    code1, out1 = run("build", "-j", "1", *packages, "--out", tmp_path / "one")
    code2, out2 = run("build", "-j", "2", *packages, "--out", tmp_path / "two")
    assert code1 == code2 == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one.keys() == two.keys() and len(one) >= 9
    for name in one:
        if name.name != ".doctools-manifest.json":
            assert one[name] == two[name], name
    assert "building" not in out2 and "%" not in out2          # CliRunner's output is not a terminal: no bar


def test_parallel_build_reports_bad_input_like_a_serial_one(tmp_path, package):
    (package / "tasks.yaml").write_text("tasks: [", encoding="utf-8")
    code, output = run("build", "-j", "2", package, ROOT / "inputs" / "jixian", "--out", tmp_path / "out")
    assert code == 2
    assert "tasks.yaml:1:" in output and "YAML syntax error" in output
    assert not (tmp_path / "out").exists()


# ---- issue 11: outputs that collide, trust, leftovers, logs -------------------------------------------------------

FULL = ROOT / "tests" / "packages" / "full"


@pytest.mark.slow
def test_pdf_on_an_up_to_date_package_makes_only_the_missing_pdfs(tmp_path):
    """`build --pdf` after a build without it made no PDFs and hung 300 s in LibreOffice; a second --pdf
    build must do nothing."""
    package = tmp_path / "full"
    shutil.copytree(FULL, package)
    out = tmp_path / "out"
    assert run("build", package, "--out", out)[0] == 0
    code, text = run("build", "--pdf", package, "--out", out)
    assert code == 0, text
    pdfs = sorted(p.name for p in (out / "full").glob("*.pdf"))
    assert pdfs == ["某县政务公开工作实施方案.pdf"], text
    before = snapshot(out)
    code, text = run("build", "--pdf", package, "--out", out)
    assert code == 0 and "up to date" in text
    assert snapshot(out) == before


@pytest.mark.slow
def test_a_damaged_or_deleted_pdf_is_made_again_and_kept_in_the_manifest(built, package):
    """A PDF with junk appended was accepted (the build wrote only the manifest and dropped the PDF's entry);
    a deleted one was never made again ("up to date")."""
    import json
    assert run("build", "--pdf", package, "--out", built)[0] == 0
    pdf = built / "kazuo" / KAZUO_DOCX.replace(".docx", ".pdf")
    good = pdf.read_bytes()
    with open(pdf, "ab") as handle:
        handle.write(b"junk\n")
    code, text = run("build", "--pdf", package, "--out", built)
    assert code == 0 and f"wrote {pdf}" in text, text
    assert pdf.read_bytes() == good
    manifest = json.loads((built / "kazuo" / ".doctools-manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"][pdf.name]["sha256"] == hashlib.sha256(good).hexdigest()
    pdf.unlink()
    code, text = run("build", "--pdf", package, "--out", built)
    assert code == 0 and "up to date" not in text and f"wrote {pdf}" in text, text
    assert pdf.read_bytes() == good


@pytest.mark.slow
def test_pdfs_do_not_depend_on_the_clock_or_the_time_zone(tmp_path, package):
    """LibreOffice wrote the time of converting (its length depending on the time zone) and a random /ID."""
    import os
    import time
    pdfs = {}
    for zone in ("UTC", "Asia/Shanghai"):
        out = tmp_path / zone.replace("/", "-")
        result = subprocess.run([sys.executable, "-m", "doctools", "build", "--pdf", str(package), "--out", str(out)],
                                capture_output=True, text=True, env=dict(os.environ, TZ=zone))
        assert result.returncode == 0, result.stderr
        pdfs[zone] = (out / "kazuo" / KAZUO_DOCX.replace(".docx", ".pdf")).read_bytes()
        time.sleep(1.1)
    assert pdfs["UTC"] == pdfs["Asia/Shanghai"]
    assert b"/CreationDate(D:20180125000000Z)" in pdfs["UTC"]        # the document's date, 2018年1月25日


def test_packages_whose_names_give_one_output_folder_are_refused(tmp_path):
    shutil.copytree(FULL, tmp_path / "ab")
    shutil.copytree(FULL, tmp_path / "a:b")
    code, text = run("build", tmp_path / "ab", tmp_path / "a:b", "--out", tmp_path / "out")
    assert code == 2
    assert f"a:b: error: the packages 'ab' and 'a:b' would both be built into '{tmp_path / 'out' / 'ab'}'; rename one" in text
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_is_the_package_folder_is_refused(package):
    """--out set to the package's parent overwrote the staff-edited 任务分工表.xlsx the package reads."""
    (package / "任务分工表.xlsx").write_bytes(b"staff's edited workbook")
    before = snapshot(package)
    code, text = run("build", package, "--out", package.parent)
    assert code == 2
    assert "is the package folder or overlaps it, so the build would overwrite its inputs; choose another --out" in text
    assert snapshot(package) == before


def test_a_plan_titled_like_a_table_gets_its_own_file_name(tmp_path):
    package = tmp_path / "full"
    shutil.copytree(FULL, package)
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("  title: 某县政务公开工作实施方案", "  title: 任务分工表"), encoding="utf-8")
    (package / "tables.yaml").write_text("tables:\n  tasks: {docx: true}\n", encoding="utf-8")   # 任务分工表.docx too
    code, text = run("build", package, "--out", tmp_path / "out")
    assert code == 0, text
    names = {p.name for p in (tmp_path / "out" / "full").iterdir()}
    assert {"任务分工表.docx", "任务分工表（正文）.docx"} <= names
    from docx import Document
    plan = Document(str(tmp_path / "out" / "full" / "任务分工表（正文）.docx"))
    assert any(p.text == "任务分工表" for p in plan.paragraphs)          # the plan, under its own name


def test_long_titles_get_short_unique_file_names(tmp_path):
    """A title of 80 CJK characters failed with [Errno 36] File name too long."""
    names = []
    for n, ending in enumerate(("甲", "乙")):
        package = tmp_path / f"p{n}"
        shutil.copytree(FULL, package)
        doc = package / "document.yaml"
        title = "某县政务公开标准化规范化试点" * 6 + ending
        doc.write_text(doc.read_text(encoding="utf-8").replace("  title: 某县政务公开工作实施方案", f"  title: {title}"), encoding="utf-8")
        code, text = run("build", package, "--out", tmp_path / "out")
        assert code == 0, text
        plan = [p for p in (tmp_path / "out" / package.name).glob("*.docx") if not p.name.startswith(("任务分工", "各单位"))]
        assert len(plan) == 1 and len(plan[0].name.encode("utf-8")) < 255
        names.append(plan[0].name)
    assert names[0] != names[1]


def test_outputs_of_an_earlier_build_are_removed_with_their_manifest_entries(built, package):
    import json
    old = built / "kazuo" / KAZUO_DOCX
    assert old.is_file()
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("试点工作实施方案", "试点工作方案"), encoding="utf-8")
    code, text = run("build", package, "--out", built)
    assert code == 0, text
    assert not old.exists()
    assert (built / "kazuo" / KAZUO_DOCX.replace("试点工作实施方案", "试点工作方案")).is_file()
    manifest = json.loads((built / "kazuo" / ".doctools-manifest.json").read_text(encoding="utf-8"))
    assert KAZUO_DOCX not in manifest["outputs"]
    assert set(manifest["outputs"]) == {p.name for p in (built / "kazuo").iterdir() if p.name != ".doctools-manifest.json"}


def test_an_output_changed_on_disk_is_made_again_not_trusted(built, package):
    """The manifest trusted a file's name and size; a file of the same size but other bytes is not current."""
    plan = built / "kazuo" / KAZUO_DOCX
    good = plan.read_bytes()
    plan.write_bytes(bytes(len(good)))                 # same size, wrong content
    code, text = run("build", package, "--out", built)
    assert code == 0 and f"wrote {plan}" in text, text
    assert plan.read_bytes() == good


def test_the_error_log_never_follows_a_link_and_is_named(tmp_path, monkeypatch):
    import os
    import tempfile

    from doctools.cli import write_error_log
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    private = tmp_path / f"doctools-{os.getuid()}"
    private.mkdir(mode=0o700)
    (private / "doctools-error.log").symlink_to(victim)
    where = write_error_log("report")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert Path(where).read_text(encoding="utf-8") == "report" and Path(where).parent == tmp_path


def test_an_error_log_path_taken_by_a_folder_gives_one_line_not_a_traceback(tmp_path, monkeypatch, package):
    import os
    import tempfile

    import doctools.writers.docx_plan as plan
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / f"doctools-{os.getuid()}" / "doctools-error.log").mkdir(parents=True)
    os.chmod(tmp_path / f"doctools-{os.getuid()}", 0o700)
    monkeypatch.setattr(plan, "write_plan", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("simulated")))
    code, text = run("build", package, "--out", tmp_path / "out")
    assert code == 1
    assert "Traceback" not in text
    line = [t for t in text.splitlines() if "internal error" in t][0]
    log = line.split("full report in ")[1].rstrip(")")
    assert "RuntimeError: simulated" in Path(log).read_text(encoding="utf-8")


@pytest.mark.slow
def test_chart_pdfs_do_not_depend_on_the_time_zone(tmp_path):
    outs = {}
    for zone in ("UTC", "Asia/Shanghai"):
        env = dict(__import__("os").environ, TZ=zone)
        result = subprocess.run([sys.executable, "-m", "doctools", "build", str(ROOT / "inputs" / "sanmenxia"),
                                 "--out", str(tmp_path / zone.replace("/", "-"))], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        outs[zone] = snapshot(tmp_path / zone.replace("/", "-"))
    assert outs["UTC"] == outs["Asia/Shanghai"]
    pdf = next((tmp_path / "UTC" / "sanmenxia" / "流程图").glob("*.pdf")).read_bytes()
    assert b"/CreationDate (D:20000101000000Z)" in pdf          # the package has no date: doctools' fallback


def test_leftover_temporary_files_of_a_killed_build_are_removed(built, package):
    leftover = built / "kazuo" / f".{KAZUO_DOCX}.abcd1234.tmp"
    leftover.write_bytes(b"half a document")
    code, text = run("build", package, "--out", built)
    assert code == 0, text
    assert not list((built / "kazuo").rglob(".*.tmp"))


def test_a_planted_manifest_cannot_make_a_build_delete_outside_its_folder(built, package, tmp_path):
    import json
    victims = [tmp_path / "victim.txt", built / "victim.txt"]
    for victim in victims:
        victim.write_text("keep me", encoding="utf-8")
    path = built / "kazuo" / ".doctools-manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["outputs"].update({str(victims[0]): {"size": 7}, "../victim.txt": {"size": 7}})
    path.write_text(json.dumps(manifest), encoding="utf-8")
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("县政协办公室", "县纪委办公室"), encoding="utf-8")
    code, text = run("build", package, "--out", built)
    assert code == 0, text
    assert all(v.read_text(encoding="utf-8") == "keep me" for v in victims)


def test_a_linked_yaml_file_is_named_by_the_link_not_by_its_target(tmp_path, package, monkeypatch):
    """A units.yaml linked to a file outside the package is reported as the package's units.yaml, the name
    the user sees in the folder, not as the file the link points to."""
    (tmp_path / "elsewhere").mkdir()
    (package / "units.yaml").rename(tmp_path / "elsewhere" / "units.yaml")
    (package / "units.yaml").symlink_to(Path("..") / "elsewhere" / "units.yaml")
    monkeypatch.chdir(tmp_path)
    code, text = run("check", "kazuo")
    assert code == 2
    assert "kazuo/units.yaml: error: the file is a link to a place outside the package folder" in text
    assert "elsewhere" not in text
    assert text.count(": error: ") == 1          # not followed by "unit … is not in the unit registry" per task


@pytest.mark.parametrize("name", ["tasks", "units", "document", "body", "attachments", "catalog"])
def test_a_file_that_cannot_be_read_is_the_one_error_not_buried_under_its_consequences(tmp_path, name):
    """A file saved as UTF-16 cannot be read; what refers to the keys it held (task ids, units, the tables and
    charts of attachments, duty formats) is not reported too, so the real cause is what the user sees."""
    package = tmp_path / "sanmenxia"
    shutil.copytree(ROOT / "inputs" / "sanmenxia", package)
    path = package / f"{name}.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    code, text = run("check", package)
    assert code == 2
    assert [line for line in text.splitlines() if ": error: " in line or ": warning: " in line] == [
        f"{package}/{name}.yaml:1:1: error: the file is not UTF-8 text from byte 1 on (it is saved as UTF-16 "
        "(Unicode); save it again with the encoding UTF-8)"]


@pytest.mark.parametrize("call, error, reason", [
    ("fsync", 28, "No space left on device (the disk is full; free some space or choose another --out)"),
    ("mkstemp", 30, "Read-only file system (the disk is mounted read-only; choose another --out)"),
    ("replace", 122, "Disk quota exceeded (your disk quota is used up; free some space or choose another --out)"),
    ("mkstemp", 13, "Permission denied (you may not write there; choose another --out)")])
def test_an_output_folder_that_cannot_be_written_is_one_line_and_leaves_no_temporary_file(
        built, package, monkeypatch, call, error, reason):
    """A full disk or a read-only folder gave 'internal error: [Errno 28] …' (exit 1) and left the build's own
    .tmp files. The second file fails: the first one's .tmp must go too, and the earlier outputs stay."""
    import os
    import tempfile
    owner = {"fsync": os, "mkstemp": tempfile, "replace": os}[call]
    original, calls = getattr(owner, call), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(error, os.strerror(error))
        return original(*args, **kwargs)

    before = snapshot(built)
    doc = package / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("县政协办公室", "县纪委办公室"), encoding="utf-8")
    monkeypatch.setattr(owner, call, failing)
    code, output = run("build", package, "--out", built)
    monkeypatch.undo()
    assert code == 2, output
    assert output.strip().splitlines()[-1] == f"doctools: cannot write to {built / 'kazuo'}: {reason}"
    assert "Traceback" not in output and "internal error" not in output
    assert not list(built.rglob(".*.tmp"))
    if call != "replace":
        assert snapshot(built) == before
    else:       # one file was renamed into place; the old manifest, renamed last, shows it differs: it is remade
        assert sum(before[name] != digest for name, digest in snapshot(built).items()) == 1
        code, output = run("build", package, "--out", built)
        assert code == 0 and "wrote" in output and len(snapshot(built)) == len(before)
