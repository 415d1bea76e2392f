"""Remake the workbench's screenshots in docs/ from the real server and Debian's headless chromium.

    .venv/bin/python docs/workbench_pictures.py

Writes docs/workbench-list.png (方案列表), docs/workbench-edit.png (基本信息 with the preview), docs/workbench-tasks.png
(任务 grid with a problem beside a cell) and docs/workbench-import.png (导入核对 of sanmenxia's plan).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from doctools.workbench import create_app

    tmp = Path(tempfile.mkdtemp(prefix="doctools-pictures-"))
    shutil.copytree(ROOT / "inputs", tmp / "inputs")
    subprocess.run([sys.executable, "-m", "doctools", "build", "--out", str(tmp / "word"),
                    str(ROOT / "inputs" / "sanmenxia")], check=True, capture_output=True)
    word = next((tmp / "word" / "sanmenxia").glob("*.docx"))
    app = create_app(tmp / "inputs", out_root=tmp / "outputs", lang="zh")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
            page.set_default_timeout(120_000)
            page.goto(base + "/")
            page.screenshot(path=str(DOCS / "workbench-list.png"))
            page.goto(base + "/p/kazuo")
            page.wait_for_selector("#preview figure.page img")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(DOCS / "workbench-edit.png"))
            page.goto(base + "/p/kazuo?tab=tasks")
            page.wait_for_selector("#preview figure.page img")
            page.fill("[name='l:tasks.0.responsible']", "县扶贫开发局、县规划居、各乡镇街区")
            page.wait_for_selector(".field-msg.error")
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "workbench-tasks.png"))
            page.goto(base + "/")
            page.set_input_files("#import-form [name=file]", str(word))
            page.click("#import-form button[type=submit]")
            page.wait_for_url(base + "/import/*")
            page.screenshot(path=str(DOCS / "workbench-import.png"))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    for name in ("list", "edit", "tasks", "import"):
        print(DOCS / f"workbench-{name}.png")


if __name__ == "__main__":
    main()
