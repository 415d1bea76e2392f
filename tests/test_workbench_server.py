"""The workbench server without a browser: its language, refused edits, the version store, `doctools serve`."""
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from doctools import i18n
from doctools.cli import main
from doctools.workbench.store import History

ROOT = Path(__file__).resolve().parent.parent


def running(tmp_path, lang, packages):
    import uvicorn

    from doctools.workbench import create_app

    earlier = i18n.set_language(None)
    for name in packages:
        shutil.copytree(ROOT / "inputs" / name, tmp_path / "inputs" / name)
    app = create_app(tmp_path / "inputs", out_root=tmp_path / "outputs", lang=lang, preview=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tmp_path
    server.should_exit = True
    thread.join(timeout=20)
    i18n.restore_language(earlier)


@pytest.fixture
def english_server(tmp_path):
    yield from running(tmp_path, "en", ["kazuo"])


PACKAGES = sorted(p.name for p in (ROOT / "inputs").iterdir() if any(p.glob("*.yaml")))
TABS = ("frame", "body", "tasks", "units", "schedule", "attachments", "catalog", "history", "downloads")


def test_every_tab_of_every_example_opens_in_chinese(tmp_path):
    server = running(tmp_path, "zh", PACKAGES)
    base, _root = next(server)
    try:
        status, html = get(base + "/")
        assert status == 200 and all(f'data-plan="{name}"' in html for name in PACKAGES)
        for name in PACKAGES:
            for tab in TABS:
                status, html = get(f"{base}/p/{name}?tab={tab}")
                assert status == 200 and 'class="alert error"' not in html, (name, tab)
                assert "方案列表" in html and "问题" in html
    finally:
        next(server, None)


def get(url, data=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_lang_en_gives_english_pages_and_a_broken_file_is_not_edited(english_server):
    base, root = english_server
    status, html = get(base + "/")
    assert status == 200 and "<h1>Plans</h1>" in html and "方案列表" not in html
    document = root / "inputs" / "kazuo" / "document.yaml"
    broken = document.read_text(encoding="utf-8").replace("  office: 喀左县人民政府办公室", "  office: [喀左县人民政府办公室")
    document.write_text(broken, encoding="utf-8")
    status, html = get(base + "/p/kazuo")
    assert status == 200 and "YAML" in html                       # the problem is listed, the page opens
    status, html = get(base + "/p/kazuo/save", urllib.parse.urlencode({"t:document.date": "2019年1月1日"}).encode())
    assert status == 400 and "document.yaml cannot be read as YAML" in html
    assert document.read_text(encoding="utf-8") == broken         # nothing written over the clerk's file


def test_versions_are_numbered_per_package_and_restored(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "document.yaml").write_text("document: {title: 一}\n", encoding="utf-8")
    store = History(tmp_path / ".doctools" / "history.sqlite")
    one = store.save_version("plan", {"document.yaml": "document: {title: 一}\n"}, author="clerk")
    two = store.save_version("plan", {"document.yaml": "document: {title: 二}\n"}, base_version=one)
    draft = store.save_version("plan", {"document.yaml": "document: {title: [\n"}, base_version=two, draft=True)
    assert (one, two, draft) == (1, 2, 3) and store.save_version("other", {}) == 1
    assert [v.number for v in store.list("plan")] == [3, 2, 1] and store.get("plan", 2).base == 1
    assert store.latest("plan", draft=False).number == 2
    assert store.restore("plan", 1, folder) == 4
    assert (folder / "document.yaml").read_text(encoding="utf-8") == "document: {title: 一}\n"
    assert store.get("plan", 99) is None


def test_serve_refuses_a_workspace_that_is_not_a_folder(tmp_path):
    result = CliRunner(env={"LANG": "zh_CN.UTF-8", "LANGUAGE": None, "LC_ALL": None}).invoke(
        main, ["serve", str(tmp_path / "missing"), "--no-browser"])
    assert result.exit_code == 2 and "不是存放方案的文件夹" in result.output


def test_serve_listens_on_loopback_unless_told(monkeypatch, tmp_path):
    import doctools.workbench as workbench

    seen = {}
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setattr(workbench, "serve", lambda folder, **options: seen.update(options, folder=folder))
    (tmp_path / "inputs").mkdir()
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "inputs"), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8800 and seen["lang"] == "zh"
    CliRunner().invoke(main, ["serve", str(tmp_path / "inputs"), "--no-browser", "--lang", "en"])
    assert seen["lang"] == "en"


@pytest.mark.slow
def test_the_warm_libreoffice_is_started_again_when_it_dies(tmp_path):
    import os
    import signal

    from docx import Document

    from doctools.workbench.preview import Converter

    converter = Converter()
    if not converter.warm:
        pytest.skip("python3-uno or LibreOffice is not installed (install.sh)")
    path = tmp_path / "plan.docx"
    document = Document()
    document.add_paragraph("喀左县政务公开工作实施方案")
    document.save(path)
    try:
        assert converter.convert(path.read_bytes()).startswith(b"%PDF")
        worker = converter.process.pid
        os.killpg(converter.soffice_pid, signal.SIGKILL)            # LibreOffice dies under the server
        assert converter.convert(path.read_bytes()).startswith(b"%PDF")
        assert converter.process.pid == worker                      # the same worker started a new one
    finally:
        converter.stop()


@pytest.mark.slow
def test_the_preview_counts_the_pages_and_shows_each_as_the_pdf_draws_it(tmp_path):
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    from docx import Document
    from docx.enum.text import WD_BREAK
    from PIL import Image

    from doctools.workbench.preview import Converter, page_count, render_page

    converter = Converter()
    if not converter.warm:
        pytest.skip("python3-uno or LibreOffice is not installed (install.sh)")
    document = Document()
    document.add_paragraph("喀左县政务公开工作实施方案").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("二、工作任务")
    path = tmp_path / "plan.docx"
    document.save(path)
    try:
        pdf, pages = converter.convert_counted(path.read_bytes())
    finally:
        converter.stop()
    (tmp_path / "plan.pdf").write_bytes(pdf)
    assert pages == page_count(tmp_path / "plan.pdf") == 2
    with ThreadPoolExecutor(3) as pool:      # the server's own first-page render and the browser's request at once
        made = list(pool.map(lambda n: render_page(tmp_path / "plan.pdf", n), [1, 1, 2]))
    assert made == [tmp_path / "page-1.png", tmp_path / "page-1.png", tmp_path / "page-2.png"]
    for number in (1, 2):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(tmp_path / "plan.pdf"), str(tmp_path / f"poppler-{number}")], check=True)
        ours, poppler = Image.open(tmp_path / f"page-{number}.png"), Image.open(tmp_path / f"poppler-{number}.png")
        assert ours.format == "PNG" and ours.tobytes() == poppler.convert(ours.mode).tobytes()
    assert Image.open(tmp_path / "page-1.png").tobytes() != Image.open(tmp_path / "page-2.png").tobytes()
