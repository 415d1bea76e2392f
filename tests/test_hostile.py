"""Hostile input, round 2 (issue 26): the newer doors — import, audit, new, workbooks, signals, locales — hold like
build does.  Each test is one case of the issue: what a user gets from doctools on it, never a crash (exit 1), a
hang or a file left behind.  Bounds such as "within 20 s" are hang guards, not speed goals (those are in
benchmarks/)."""
import os
import re
from datetime import date, timedelta
import subprocess
import sys
from pathlib import Path

import pytest
import helpers
from helpers import body_texts

ROOT = Path(__file__).resolve().parent.parent
BASE = (Path(__file__).parent / "bad_inputs" / "63-no-body" / "package.yaml").read_text(encoding="utf-8")


def run(*args, env=None):
    """The tests' one CLI runner (helpers.run), and never a traceback."""
    code, output = helpers.run(*args, env=env)
    assert "Traceback" not in output
    return code, output


def doctools(*args, timeout=60, env=None, **kwargs):
    """doctools in a process of its own, as a user runs it; the hang guard *timeout* fails the test."""
    return subprocess.run([sys.executable, "-m", "doctools", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=kwargs.pop("cwd", ROOT), env={**os.environ, **(env or {})}, **kwargs)


def package(folder: Path, tasks: int = 2, sections: int = 0, phases: int = 0) -> Path:
    """The small package of tests/bad_inputs/63-no-body with *tasks* tasks, one body section per task when
    *sections*, and *phases* phases."""
    text = BASE
    lines = [f"  - {{id: t{i}, text: 第{i}项任务。, responsible: [县民政局], deadline: 2021年9月}}" for i in range(1, tasks + 1)]
    text = text.replace(text[text.index("tasks:"):text.index("schedule:")], "tasks:\n" + "\n".join(lines) + "\n")
    text = text.replace("  - 县扶贫开发局\n", "")
    if phases:
        days = [date(2021, 3, 5) + timedelta(days=i) for i in range(phases)]
        rows = [f"  - {{title: 第{i}阶段, period: {d.year}年{d.month}月{d.day}日, text: 实施。}}" for i, d in enumerate(days, 1)]
        text = text.replace(text[text.index("schedule:"):text.index("attachments:")], "schedule:\n" + "\n".join(rows) + "\n")
    body = [f"  - title: 第{i}项\n    text: [{{task: t{i}}}]" for i in range(1, sections + 1)] or \
        ["  - title: 主要任务\n    text: [" + ", ".join(f"{{task: t{i}}}" for i in range(1, tasks + 1)) + "]"]
    if phases:
        body.append("  - title: 实施步骤\n    schedule: true")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.yaml").write_text(text.replace("attachments:", "body:\n" + "\n".join(body) + "\nattachments:"),
                                         encoding="utf-8")
    return folder


# ---- 13: a thousand sections or phases are numbered, not a crash --------------------------------------------------

def test_a_thousand_sections_and_phases_are_numbered_in_chinese(tmp_path):
    folder = package(tmp_path / "pkg", tasks=1000, sections=1000, phases=1000)
    code, output = run("check", folder)
    assert code == 0, output
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 0, output
    texts = body_texts((tmp_path / "out" / "pkg" / "某县政务公开实施方案.docx").read_bytes())
    assert "一千、第1000项" in texts
    assert "一千零一、实施步骤（2021年3月5日—2023年11月29日）" in texts
    assert "（一千）第1000阶段（2023年11月29日）。实施。" in texts


# ---- 14: gettext's _ is never rebound inside a function ---------------------------------------------------------

def test_no_function_rebinds_gettexts_underscore():
    """``for tmp, _ in staged`` in build.commit made ``_`` a local of the whole function, so the message
    'refusing to write outside' became an UnboundLocalError.  No function may bind ``_`` (loop, assignment,
    with, except): a comprehension has a scope of its own and is allowed."""
    import ast

    offenders = []
    for path in sorted((ROOT / "doctools").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                    continue
                targets = []
                if isinstance(node, (ast.For, ast.AsyncFor)):
                    targets = [node.target]
                elif isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, (ast.withitem,)) and node.optional_vars is not None:
                    targets = [node.optional_vars]
                names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
                if "_" in names or (isinstance(node, ast.ExceptHandler) and node.name == "_"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_a_chart_folder_linked_outside_the_output_is_refused_with_a_message(tmp_path):
    folder = tmp_path / "sanmenxia"
    import shutil
    shutil.copytree(ROOT / "inputs" / "sanmenxia", folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out" / "sanmenxia").mkdir(parents=True)
    (tmp_path / "out" / "sanmenxia" / "流程图").symlink_to(elsewhere)
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 2, output
    assert f"doctools: refusing to write outside {tmp_path / 'out' / 'sanmenxia'}: 流程图/" in output
    assert list(elsewhere.iterdir()) == []
    code, output = run("--lang", "zh", "build", folder, "--out", tmp_path / "out")
    assert code == 2 and "拒绝写到" in output, output


# ---- 15: an --out that cannot be a folder is the user's to fix ---------------------------------------------------

@pytest.mark.parametrize("out, reason", [("afile/sub", "Not a directory"), ("loop", "Too many levels of symbolic links"),
                                         ("a" * 300, "File name too long"), ("/dev/null", "Not a directory")])
def test_an_out_folder_that_cannot_be_made_is_refused_with_a_message(tmp_path, monkeypatch, out, reason):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "loop").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop")
    code, output = run("build", ROOT / "inputs" / "kazuo", "--out", out)
    assert code == 2, output
    assert output.startswith(f"doctools: cannot write to {out}") and f": {reason} (choose another --out)" in output
    code, output = run("--lang", "zh", "build", ROOT / "inputs" / "kazuo", "--out", out)
    assert code == 2 and "请用 --out 换一个输出文件夹" in output, output


# ---- 25: LibreOffice never outlives doctools ---------------------------------------------------------------------

def running_from(folder: Path):
    """Processes whose command line names *folder* (LibreOffice started by a doctools whose TMPDIR is in it)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(folder).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def wait_for(condition, seconds: float) -> bool:
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_libreoffice_dies_with_doctools_and_leaves_nothing(tmp_path, signal_name):
    """Killed during an audit's conversion, doctools takes LibreOffice with it (SIGTERM and SIGHUP like Ctrl-C;
    SIGKILL through the parent-death signal), and what a killed run left is removed by the next."""
    import signal
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    process = subprocess.Popen([sys.executable, "-m", "doctools", "audit", ROOT / "tests" / "import" / "typed_direct.docx"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert wait_for(lambda: any(b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()
                                    for pid in running_from(tmp) if Path(f"/proc/{pid}").exists()), 60)
        process.send_signal(getattr(signal, signal_name))
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
    assert wait_for(lambda: not running_from(tmp), 10), "LibreOffice outlived doctools"
    assert "Traceback" not in stderr
    private = tmp / f"doctools-{os.getuid()}"
    left = sorted(p.name for p in private.glob("doctools-pdf-*"))
    if signal_name == "SIGKILL":
        assert len(left) == 1                          # nothing could run in doctools: its folder stays ...
        result = doctools("audit", ROOT / "tests" / "import" / "typed_direct.docx", env={"TMPDIR": str(tmp)}, timeout=120)
        assert result.returncode in (0, 1), result.stderr
        left = sorted(p.name for p in private.glob("doctools-pdf-*"))
    else:
        assert process.returncode != 0 and "Aborted!" in stderr
    assert left == []                                  # ... until the next conversion removes it
    assert sorted(p.name for p in tmp.iterdir()) == [f"doctools-{os.getuid()}"]      # no lu*.tmp beside it


# ---- 23: jieba reads no cache another user could have written -----------------------------------------------------

@pytest.mark.parametrize("cache", [b"not marshal at all", "planted"])
def test_a_jieba_cache_planted_in_the_shared_temp_folder_is_never_read(tmp_path, cache):
    """A malformed cache crashed every build; a well-formed one that says 工作 is no word moved a title's line
    break.  The title must break as it does with no cache at all, and the planted file stays untouched."""
    import marshal
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    title = "关于进一步加强和改进基层政务公开标准化规范化工作的实施方案"
    script = ("from doctools.typeset.titles import break_line; import sys; "
              f"sys.stdout.write('|'.join(break_line({title!r})))")
    (tmp_path / "clean").mkdir()
    clean = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "TMPDIR": str(tmp_path / "clean")})
    assert clean.returncode == 0, clean.stderr
    if cache == "planted":
        import jieba
        jieba.dt.initialize()
        freq = {w: 1 for w in jieba.dt.FREQ}           # every word as rare as a single character: no words at all
        cache = marshal.dumps((freq, len(freq)))
    (tmp / "jieba.cache").write_bytes(cache)
    planted = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "TMPDIR": str(tmp)})
    assert planted.returncode == 0, planted.stderr
    assert planted.stdout == clean.stdout and "|" in clean.stdout
    assert (tmp / "jieba.cache").read_bytes() == cache
    assert (tmp / f"doctools-{os.getuid()}" / "jieba.cache").exists()       # the private cache, made and used


# ---- 17: a GBK locale works, and file names stay UTF-8 -----------------------------------------------------------

@pytest.fixture(scope="module")
def gbk(tmp_path_factory):
    """The environment of a zh_CN.GBK locale, compiled into a folder of the test's own (LOCPATH)."""
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK", str(folder / "zh_CN.GBK")], capture_output=True)
    assert made.returncode in (0, 1) and (folder / "zh_CN.GBK").exists(), made.stderr   # 1: warnings only
    env = {"LOCPATH": str(folder), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK", "LANGUAGE": ""}
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
                           capture_output=True, text=True, env={**os.environ, **env})
    assert probe.stdout.strip() == "gbk"
    return env


def utf8_names(folder: Path):
    return sorted(n.decode("utf-8") for n in os.listdir(bytes(folder)))


def test_import_under_a_gbk_locale_prints_its_summary_and_writes_utf8_names(tmp_path, gbk):
    result = subprocess.run([sys.executable, "-m", "doctools", "import", ROOT / "tests" / "import" / "typed_direct.docx",
                             "--out", tmp_path / "导入"], capture_output=True, env={**os.environ, **gbk}, timeout=120)
    stdout, stderr = result.stdout.decode("gbk"), result.stderr.decode("gbk")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stdout + stderr
    assert "\\xb6" in stdout                    # ¶ is not in GBK: shown as its escape
    assert "已在" in stdout                     # the Chinese summary, in the terminal's own encoding
    assert "导入" in utf8_names(tmp_path)
    assert "document.yaml" in utf8_names(tmp_path / "导入")


def test_a_utf8_path_under_a_gbk_locale_checks_and_builds_into_utf8_names(tmp_path, gbk):
    import shutil
    shutil.copytree(ROOT / "inputs" / "kazuo", tmp_path / "开" / "kazuo")
    for command in (["check", "开/kazuo"], ["build", "开/kazuo", "--out", "输出"]):
        result = subprocess.run([sys.executable, "-m", "doctools", *command], capture_output=True, cwd=tmp_path,
                                env={**os.environ, **gbk}, timeout=120)
        assert result.returncode == 0, result.stderr.decode("gbk")
        assert b"Traceback" not in result.stderr
    assert "喀左县开展基层政务公开标准化规范化试点工作实施方案.docx" in utf8_names(tmp_path / "输出" / "kazuo")


def test_a_package_folder_named_in_gbk_bytes_is_refused_by_check_and_build(tmp_path, gbk):
    import shutil
    folder = bytes(tmp_path) + b"/gbk_" + "县".encode("gbk")
    shutil.copytree(ROOT / "inputs" / "kazuo", os.fsdecode(folder))
    for command in (["check"], ["build", "--out", "out"]):
        result = subprocess.run([sys.executable.encode(), b"-m", b"doctools", command[0], folder, *map(str.encode, command[1:])],
                                capture_output=True, cwd=tmp_path, env={**os.environ, **gbk}, timeout=120)
        assert result.returncode == 2, result.stderr.decode("gbk")
        assert "gbk_\\xcf\\xd8: error: 文件夹名里有不是文字的字符（名字不是 UTF-8 编码，或含控制字符）；请给文件夹改名" \
            in result.stderr.decode("gbk")
    assert not (tmp_path / "out").exists()
    code, output = run("--lang", "en", "check", os.fsdecode(folder))
    assert code == 2 and "gbk_\\xcf\\xd8: error: the folder's name has characters that are not text (a name in another " \
                         "encoding than UTF-8, or control characters); rename the folder" in output


# ---- 24: names that reach the terminal are escaped --------------------------------------------------------------

def test_terminal_escapes_in_file_and_folder_names_are_shown_escaped(tmp_path):
    name = "a\x1b[2J\x1b]0;owned\x07\u202eb"
    code, output = run("audit", tmp_path / f"{name}.docx")
    assert code == 2
    assert "\x1b" not in output and "\u202e" not in output
    assert "a\\x1b[2J\\x1b]0;owned\\x07\\u202eb.docx: no such file" in output
    code, output = run("build", package(tmp_path / name), "--out", tmp_path / "out")
    assert code == 2 and "\x1b" not in output
    assert "a\\x1b[2J\\x1b]0;owned\\x07\\u202eb: error: the folder's name has characters that are not text" in output
    assert not (tmp_path / "out").exists()


# ---- 6 and 11: malformed attribute values in a .docx -------------------------------------------------------------

from hostile_docx import VARIANTS, docx_bytes  # noqa: E402


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_import_takes_a_malformed_attribute_value_as_its_default(tmp_path, variant):
    """A value Word would never write (ilvl 20, start of 4,301 digits, w:b="maybe", a style based on itself) is
    read as the attribute's default: the import ends, in bounded time, with its package."""
    source = tmp_path / "方案.docx"
    source.write_bytes(docx_bytes(**VARIANTS[variant]))
    result = doctools("import", source, "--out", tmp_path / "pkg", timeout=20)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "某县政务公开工作实施方案" in (tmp_path / "pkg" / "document.yaml").read_text(encoding="utf-8")


def test_audit_reads_every_malformed_attribute_value_in_one_run(tmp_path):
    """The same files, audited together (one LibreOffice run): each gets its report, none an internal error."""
    files = []
    for variant in sorted(set(VARIANTS) - {"style-based-on-cycle"}):
        files.append(tmp_path / f"{variant}.docx")
        files[-1].write_bytes(docx_bytes(**VARIANTS[variant]))
    result = doctools("audit", "--json", *files, timeout=120, env={"TMPDIR": str(tmp_path)})
    assert result.returncode == 1, result.stderr          # each fails a clause of GB/T 9704: none is a real plan
    import json
    assert [r["file"] for r in json.loads(result.stdout)] == [str(f) for f in files]
    assert not list(tmp_path.glob("lu*.tmp"))


def test_audit_of_a_file_libreoffice_cannot_load_is_exit_2_and_leaves_nothing(tmp_path):
    """Two styles based on each other: LibreOffice gives up on the file.  The user is told, and LibreOffice's
    lu*.tmp files and doctools' folder are gone with it."""
    source = tmp_path / "循环.docx"
    source.write_bytes(docx_bytes(**VARIANTS["style-based-on-cycle"]))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = doctools("audit", source, timeout=120, env={"TMPDIR": str(tmp), "LANGUAGE": "en"})
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"doctools: LibreOffice did not convert {source}: it could not load the file\n"
    assert sorted(p.name for p in tmp.rglob("*")) == [f"doctools-{os.getuid()}"]
    result = doctools("audit", source, timeout=120, env={"TMPDIR": str(tmp), "LANGUAGE": "zh"})
    assert result.stderr == f"doctools: LibreOffice 没有转换 {source}：LibreOffice 无法打开这个文件\n"


@pytest.mark.slow
def test_a_file_libreoffice_cannot_load_does_not_cost_the_others_of_a_batch_their_reports(tmp_path):
    """audit a.docx bad.docx c.docx: a and c get their reports on the output, bad.docx its one line on the
    error stream, and the exit status is 2 (a file could not be read)."""
    files = [tmp_path / "a.docx", tmp_path / "bad.docx", tmp_path / "c.docx"]
    for f in files:
        f.write_bytes(docx_bytes(**VARIANTS["style-based-on-cycle"]) if f.name == "bad.docx" else docx_bytes())
    result = doctools("audit", *files, timeout=120, env={"TMPDIR": str(tmp_path), "LANGUAGE": "en"})
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"doctools: LibreOffice did not convert {files[1]}: it could not load the file\n"
    reports = result.stdout.split("\n\n")
    assert [r.splitlines()[0] for r in reports] == [str(files[0]), str(files[2])]
    assert all(re.search(r"\d+ checks, \d+ failed$", r.strip()) for r in reports)
    result = doctools("audit", "--json", *files, timeout=120, env={"TMPDIR": str(tmp_path), "LANGUAGE": "zh"})
    assert result.returncode == 2
    assert result.stderr == f"doctools: LibreOffice 没有转换 {files[1]}：LibreOffice 无法打开这个文件\n"
    import json
    assert [r["file"] for r in json.loads(result.stdout)] == [str(files[0]), str(files[2])]
    assert not list(tmp_path.glob("lu*.tmp"))


# ---- 7: lint is linear -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("run_of", ["word", "commas", "placeholder", "addresses"])
def test_a_64000_character_paragraph_is_imported_and_linted_within_the_hang_guard(tmp_path, run_of):
    """lint._URL tried 100,000 word characters from each of their places (53 s); the paragraph's text is linted
    when the imported package is checked."""
    text = {"word": "a" * 64000, "commas": "中" + ", " * 32000, "placeholder": "【待填写" * 16000,
            "addresses": "a." * 32000 + "@"}[run_of]
    source = tmp_path / "长段.docx"
    source.write_bytes(docx_bytes(body=BODY_WITH(text)))
    result = doctools("import", source, "--out", tmp_path / "pkg", timeout=20)
    assert result.returncode == 0, result.stderr
    assert text[:1000] in "".join((tmp_path / "pkg" / n).read_text(encoding="utf-8") for n in os.listdir(tmp_path / "pkg"))
    result = doctools("check", tmp_path / "pkg", timeout=20)
    assert "Traceback" not in result.stderr


def BODY_WITH(text: str) -> str:
    from hostile_docx import BODY
    return BODY + f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# ---- 8: unit lists and paragraphs in linear time ------------------------------------------------------------------

def test_5000_units_with_5000_tasks_build_within_the_hang_guard(tmp_path):
    """Each unit's list looked at every task (and sorted them again): 5,000 of each took over five minutes."""
    folder = tmp_path / "pkg"
    text = BASE
    units = "units:\n" + "\n".join(f"  - 县第{i}局" for i in range(1, 5001)) + "\n"
    tasks = "\n".join(f"  - {{id: t{i}, text: 第{i}项任务。, responsible: [县第{i}局], deadline: 2021年9月}}"
                      for i in range(1, 5001))
    text = text.replace(text[text.index("units:"):text.index("schedule:")], units + "tasks:\n" + tasks + "\n")
    body = "body:\n  - title: 主要任务\n    text: [" + ", ".join(f"{{task: t{i}}}" for i in range(1, 5001)) + "]\n"
    folder.mkdir()
    (folder / "package.yaml").write_text(text.replace("attachments:", body + "attachments:"), encoding="utf-8")
    result = doctools("build", folder, "--out", tmp_path / "out", timeout=150)
    assert result.returncode == 0, result.stderr
    import openpyxl
    book = openpyxl.load_workbook(tmp_path / "out" / "pkg" / "各单位任务清单.xlsx", read_only=True)
    assert len(book.sheetnames) == 5000
    last = book[book.sheetnames[-1]]
    assert any("第5000项任务" in str(c) for row in last.iter_rows(values_only=True) for c in row)


def test_100000_paragraphs_are_written_in_order_within_the_hang_guard(tmp_path):
    """python-docx's add_paragraph looks for the body's w:sectPr among all its children each time: 40,000
    paragraphs took 150 s.  The plan writer puts each before the w:sectPr it holds."""
    script = (
        "import sys; from doctools.commands.build import load_package; from doctools.writers.docx_plan import PlanWriter\n"
        "w = PlanWriter(load_package(sys.argv[1]))\n"
        "for i in range(100000): w.add_paragraph().add_run(f'p{i}')\n"
        "import io; out = io.BytesIO(); w.doc.save(out); open(sys.argv[2], 'wb').write(out.getvalue())\n")
    folder = package(tmp_path / "pkg")
    result = subprocess.run([sys.executable, "-c", script, folder, tmp_path / "out.docx"], capture_output=True,
                            text=True, timeout=90, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    texts = [t for t in body_texts((tmp_path / "out.docx").read_bytes()) if t.startswith("p")]
    assert texts == [f"p{i}" for i in range(100000)]
    from helpers import W, xml
    assert xml((tmp_path / "out.docx").read_bytes()).find(f"{{{W}}}body")[-1].tag == f"{{{W}}}sectPr"


# ---- 22: nothing of a .docx's text dropped or passed on silently ---------------------------------------------------

def test_import_keeps_nested_table_text_drops_c1_controls_and_marks_an_altchunk(tmp_path):
    from hostile_docx import BODY, cell
    body = (BODY.replace("<w:t>全面推进政务公开标准化规范化工作。</w:t>", "<w:t>全面推进政务公开\u0085标准化\u2028规范化工作。</w:t>")
            + '<w:altChunk r:id="rIdX"/>'
            + '<w:tbl><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:tbl><w:tblGrid><w:gridCol w:w="2000"/>'
            '</w:tblGrid><w:tr>' + cell("嵌套表格里的文字") + '</w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl><w:p/>')
    source = tmp_path / "方案.docx"
    source.write_bytes(docx_bytes(body=body))
    result = doctools("import", source, "--out", tmp_path / "pkg", timeout=20)
    assert result.returncode == 0, result.stderr
    written = "".join((tmp_path / "pkg" / n).read_text(encoding="utf-8") for n in sorted(os.listdir(tmp_path / "pkg")))
    assert "全面推进政务公开标准化规范化工作。" in written           # without U+0085 and U+2028
    assert "嵌套表格里的文字" in written
    assert "【待填写：此处原为嵌入的外部内容（altChunk），未能导入，请从原文件复制】" in written
    check = doctools("check", tmp_path / "pkg", timeout=20)
    assert "placeholder still to be filled in" in check.stdout + check.stderr


def test_a_dtd_entity_in_the_body_is_refused_not_cut_off(tmp_path):
    """An entity reference cut off the rest of its run; the document type that declares it is now refused."""
    from hostile_docx import BODY, NS
    document = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY ent "">]><w:document {NS}>'
                f'<w:body>{BODY.replace("全面推进", "全面&ent;推进")}</w:body></w:document>')
    source = tmp_path / "方案.docx"
    source.write_bytes(docx_bytes(extra_parts={"word/document.xml": document}))
    result = doctools("import", source, "--out", tmp_path / "pkg", timeout=20, env={"LANGUAGE": "en"})
    assert result.returncode == 2
    assert result.stderr == (f"doctools: {source}: the part 'word/document.xml' declares a document type "
                             "(<!DOCTYPE>), which no office program writes\n")


@pytest.mark.parametrize("char", ["\u0085", "\u009b", "\u2028", "\u202e"])
def test_a_c1_control_or_bidi_control_in_a_workbook_cell_is_refused_like_a_c0_one(tmp_path, monkeypatch, char):
    from test_bad_inputs import HEADER, ROWS, check, messages, workbook_package

    def make(wb):
        ws = wb.active
        ws.title = "任务分工表"
        for row in [HEADER, *ROWS]:
            ws.append(row)
        ws["B2"] = f"编制政务公开{char}事项标准目录。"

    result = check(workbook_package(tmp_path, make), monkeypatch)
    assert result.exit_code == 2, result.output
    assert f"任务分工表.xlsx[任务分工表]:2:2: error: cell B2 holds character U+{ord(char):04X} (a control character) " \
           "that cannot appear in a document; delete it" in messages(result.output)


# ---- 16: new --from reads the source's YAML as check does ---------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    ("document: [\n".encode(), "a.yaml:2:1: error: YAML syntax error: expected the node content, but found '<stream end>'"),
    ("document:\n  title: 某县\n".encode("gbk"), "a.yaml:2:11: error: the file is not UTF-8 text from byte 22 on (it may be "
                                                "saved as GBK (ANSI); save it again with the encoding UTF-8)"),
    (("x: " + "[" * 5000 + "]" * 5000 + "\n").encode(), "a.yaml:1:43: error: mappings and lists nest more than 40 levels "
                                                         "deep here; a package never needs that many"),
], ids=["syntax", "gbk", "deep"])
def test_new_from_a_package_check_refuses_gets_checks_message(tmp_path, monkeypatch, content, message):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.yaml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    code, output = run("new", "pkg", "--from", "src", "--yes", "--office", "某县人民政府办公室", env={"LANGUAGE": "en"})
    assert code == 2, output
    assert output.splitlines() == [f"src/{message}", "doctools: 1 error; nothing was written"]
    assert not (tmp_path / "pkg").exists()
    code, output = run("--lang", "zh", "new", "pkg", "--from", "src", "--yes", "--office", "某县人民政府办公室")
    assert code == 2 and output.splitlines()[-1] == "doctools: 1 个错误，未生成任何文件", output


# ---- 26: two imports to one --out --------------------------------------------------------------------------------

def test_an_import_waits_for_the_lock_another_holds_on_its_out_folder(tmp_path):
    """Two imports to one --out: the later one deleted the first one's staging folder.  Imports take the lock
    builds take (flock on the folder): this one waits while it is held, then writes."""
    import fcntl
    import time
    out = tmp_path / "pkg"
    out.mkdir()
    lock = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)               # another doctools holds the folder
    try:
        second = subprocess.Popen([sys.executable, "-m", "doctools", "import", ROOT / "tests" / "import" / "typed_direct.docx",
                                   "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        time.sleep(3)
        assert second.poll() is None               # still waiting
        assert list(out.iterdir()) == []
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr
    assert f"is writing to {out}; waiting for it to finish" in stderr
    assert (out / "document.yaml").exists()
    again = doctools("import", ROOT / "tests" / "import" / "typed_direct.docx", "--out", out, timeout=60)
    assert again.returncode == 2
    assert again.stderr == f"doctools: {out} is not empty; import writes a new package, choose another --out\n"


# ---- 20: catalog rows "X", "X", "X-2" get three charts -----------------------------------------------------------

def test_catalog_rows_x_x_and_x_2_get_three_charts(tmp_path):
    import shutil
    package_folder = tmp_path / "sanmenxia"
    shutil.copytree(ROOT / "inputs" / "sanmenxia", package_folder)
    catalog = package_folder / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace("level1: 综合业务\n      level2: 监督检查", "level1: 综合业务\n      level2: 政策法规文件")
    text = text.replace("level1: 最低生活保障\n      level2: 政策法规文件", "level1: 综合业务\n      level2: 政策法规文件-2")
    catalog.write_text(text, encoding="utf-8")
    code, output = run("build", package_folder, "--out", tmp_path / "out")
    assert code == 0, output
    pngs = sorted(p.name for p in (tmp_path / "out" / "sanmenxia" / "流程图").glob("综合业务—政策法规文件*.png"))
    assert pngs == ["综合业务—政策法规文件-2-2.png", "综合业务—政策法规文件-2.png", "综合业务—政策法规文件.png"]
    titles = [t for t in body_texts((tmp_path / "out" / "sanmenxia" / next(
        p.name for p in (tmp_path / "out" / "sanmenxia").glob("*.docx"))).read_bytes()) if "政策法规文件" in t]
    assert len(titles) >= 3


# ---- 19: a catalog formula with no saved result ------------------------------------------------------------------

def test_a_catalog_formula_cell_with_no_saved_result_is_reported_like_in_the_task_workbook(tmp_path):
    import openpyxl
    from test_catalog import national_workbook, read

    path = national_workbook(tmp_path / "目录.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["F4"] = "=D4"                      # openpyxl saves a formula without its result, as a program would
    wb.save(path)
    items, diags = read(path)
    assert sorted(str(d) for d in diags.items) == sorted([
        "目录.xlsx[社会救助]:4:6: error: cell F4 holds a formula with no saved result (open the workbook in Excel or "
        "WPS and save it, or type the value)",
        "目录.xlsx[社会救助]:4:1: error: catalog item '综合业务—政策法规文件' (cell F4): 公开时限 is empty"])


# ---- 21: new quotes what it writes, and refuses what check would ---------------------------------------------------

@pytest.mark.parametrize("unit", ["a, b", "a]", "{x}", "#c", "'q", '"dq', "- x", "x: y", "2021", "true", "[", "&a *b"])
def test_new_writes_any_unit_so_that_it_reads_back_unchanged_and_checks_clean(tmp_path, monkeypatch, unit):
    from doctools.commands.build import load_package
    monkeypatch.chdir(tmp_path)
    code, output = run("new", "pkg", "--yes", "--office", "某县人民政府办公室", "--unit", unit, "--unit", "县民政局")
    assert code == 0, output
    code, output = run("check", "pkg")
    assert code == 0 and ": error: " not in output, output
    assert [u.name for u in load_package(tmp_path / "pkg").units] == [unit, "县民政局"]


@pytest.mark.parametrize("option, value, message", [
    ("--unit", "x\u2028y", "--unit: character U+2028 cannot appear in a document; delete it"),
    ("--unit", "x\u0085y", "--unit: character U+0085 cannot appear in a document; delete it"),
    ("--unit", "x\u009by", "--unit: character U+009B cannot appear in a document; delete it"),
    ("--office", "办" * 10000, "--office gives a text of 10000 characters; it may be 200 at most"),
], ids=["u2028", "u0085", "u009b", "long-office"])
def test_new_refuses_what_check_would_refuse_and_writes_nothing(tmp_path, monkeypatch, option, value, message):
    monkeypatch.chdir(tmp_path)
    args = ["new", "pkg", "--yes", "--office", "某县人民政府办公室", option, value]
    code, output = run(*args, env={"LANGUAGE": "en"})
    assert code == 2 and output == f"doctools: {message}\n"
    assert not (tmp_path / "pkg").exists()
    code, output = run("--lang", "zh", *args)
    assert code == 2 and "：字符 U+" in output or "最多 200 个" in output, output


def test_new_refuses_a_folder_name_check_would_refuse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run("new", "a\nb", "--yes", "--office", "某县人民政府办公室", env={"LANGUAGE": "en"})
    assert code == 2
    assert output == ("doctools: a\\nb: the folder's name has characters that are not text (a name in another encoding "
                      "than UTF-8, or control characters); choose another name\n")
    assert os.listdir(tmp_path) == []


# ---- 18: a picture in the body is kept, named safely, within a size limit ------------------------------------------

def png(extra: bytes = b"") -> bytes:
    """A 4×4 red PNG, with *extra* bytes in a text chunk to make it as big as a test needs."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + (chunk(b"tEXt", b"c\x00" + extra) if extra else b"") + chunk(b"IEND", b""))


def test_a_picture_in_the_body_is_kept_under_images_and_a_too_big_one_becomes_a_placeholder(tmp_path):
    """The README promises pictures under images/ with a placeholder line: they were dropped without a word.
    The name is doctools' own (the part's name and extension are the file's word, not to be trusted), and a
    picture over MAX_IMAGE_BYTES is not written: a placeholder to fill in stands there, and the summary says why."""
    import io
    import docx
    from doctools.limits import MAX_IMAGE_BYTES
    document = docx.Document()
    for text in ("某县政务公开工作实施方案", "为贯彻落实上级要求，结合我县实际，制定本方案。", "一、工作目标",
                 "全面推进政务公开标准化规范化工作。"):
        document.add_paragraph(text)
    document.add_picture(io.BytesIO(png()))
    document.add_paragraph("二、主要任务")
    document.add_picture(io.BytesIO(png(os.urandom(MAX_IMAGE_BYTES))))
    document.add_paragraph("做好公开工作。")
    source = tmp_path / "图片.docx"
    document.save(source)
    result = doctools("import", source, "--out", tmp_path / "pkg", timeout=60, env={"LANGUAGE": "en"})
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path / "pkg" / "images") == ["正文-1.png"]
    assert (tmp_path / "pkg" / "images" / "正文-1.png").read_bytes() == png()
    assert "picture saved as images/正文-1.png" in result.stdout
    big = len(png(os.urandom(MAX_IMAGE_BYTES)))
    assert f"a picture of {big:,} bytes not imported: over the limit of {MAX_IMAGE_BYTES:,} bytes" in result.stdout
    built = doctools("build", tmp_path / "pkg", "--out", tmp_path / "out", timeout=60)
    assert built.returncode == 0, built.stderr
    texts = body_texts(next((tmp_path / "out").rglob("*实施方案*.docx")).read_bytes())
    assert "〔图片：images/正文-1.png〕" in texts
    assert any(t.startswith("【待填写：此处原为图片") and "超过10,000,000字节的上限" in t for t in texts)


# ---- 9: a limit on the charts of one build --------------------------------------------------------------------------

@pytest.mark.parametrize("language, message", [
    ("en", "the catalog has 501 rows, each drawn as a flowchart (charts: item); a build draws 500 flowcharts "
           "at most (set 'charts: level1' for one flowchart per 一级事项, or split the catalog into several packages)"),
    ("zh", "目录有 501 行，每行画一张流程图（charts: item）；一次生成最多画 500 张流程图（设置“charts: level1”，每个"
           "一级事项画一张流程图；或把目录拆到几个材料包里）")])
def test_a_catalog_with_more_charts_than_the_limit_is_refused_before_any_is_drawn(tmp_path, language, message):
    """5,000 rows with a chart each ran for hours and wrote nothing until the end.  One row over MAX_CHARTS is an
    input error naming the count, from check and build alike, before Graphviz is started (nothing is written)."""
    import shutil
    from doctools.limits import MAX_CHARTS
    assert MAX_CHARTS == 500
    folder = tmp_path / "sanmenxia"
    shutil.copytree(ROOT / "inputs" / "sanmenxia", folder)
    catalog = folder / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    rows = "".join(f"    - {{level1: 事项{i}, level2: 政策法规文件, content: 文件, basis: 《信息公开条例》, time_limit: "
                   f"制定或获取信息之日起10个工作日内, subjects: 县民政局, channels: ■政府网站}}\n" for i in range(1, MAX_CHARTS + 2))
    catalog.write_text(text[:text.index("  items:\n")] + "  items:\n" + rows, encoding="utf-8")
    for command in (("check", folder), ("build", folder, "--out", tmp_path / "out")):
        result = doctools(*command, timeout=20, env={"LANGUAGE": language})
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{catalog}:8:5: error: {message}" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "sanmenxia").exists()
