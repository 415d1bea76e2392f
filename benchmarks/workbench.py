"""Workbench speed, measured as a browser would see it: the real server on a loopback port, plain HTTP requests.

    .venv/bin/python benchmarks/workbench.py            # about two minutes on 2 cores

It copies inputs/ into a temporary folder, starts the server (uvicorn in a thread), warms it (the first preview
starts LibreOffice), then takes the median of several runs of:
- a page opens: GET of the plan list and of kazuo's editor;
- problems after a keystroke: POST of the form with one changed value to /check (what the page sends, debounced);
- save -> refreshed preview of kazuo: POST /save, GET of the preview fragment, GET of the first page's picture;
- import review of sanmenxia: POST of its built .docx to /import and GET of the review page.
Bounded: a fixed number of requests, loopback only; the server stops at the end.
"""
from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, data=None, headers=None, follow=True):
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=300) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:       # a 303 when not following
        return exc.code, dict(exc.headers), exc.read()


def form(fields):
    return urllib.parse.urlencode(fields).encode("utf-8")


def multipart(name, filename, data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def timed(action, runs):
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main():
    import uvicorn

    from doctools.workbench import create_app

    tmp = Path(tempfile.mkdtemp(prefix="doctools-bench-"))
    shutil.copytree(ROOT / "inputs", tmp / "inputs")
    subprocess.run([sys.executable, "-m", "doctools", "build", "--out", str(tmp / "word"), str(ROOT / "inputs" / "sanmenxia")],
                   check=True, capture_output=True)
    sanmenxia = next((tmp / "word" / "sanmenxia").glob("*.docx")).read_bytes()
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
    results = []
    try:
        request(base + "/")
        request(base + "/p/kazuo")
        request(base + "/p/kazuo/preview")                       # warm: LibreOffice starts once

        generations = []

        def save_and_preview(i):
            # the 版记's date is printed on the plan's last page, so every save changes the pages
            request(base + "/p/kazuo/save", form({"t:document.imprint.date": f"2018年1月{10 + i}日"}))
            _s, _h, html = request(base + "/p/kazuo/preview")
            generation = html.decode("utf-8").split('data-generation="')[1].split('"')[0]
            status, _h, _b = request(f"{base}/p/kazuo/page/{generation}/1.png")
            assert status == 200
            generations.append((generation, f"2018年1月{10 + i}日"))

        def keystroke(i):
            status, _h, body = request(base + "/p/kazuo/check", form({"l:tasks.0.responsible": "县扶贫开发局、县规划居"[: 8 + i % 3]}))
            assert status == 200 and b"problems" in body

        def import_review(i):
            body, headers = multipart("file", "sanmenxia.docx", sanmenxia)
            status, head, _b = request(base + "/import", body, headers, follow=False)
            location = head.get("location") or head.get("Location")
            status, _h, page = request(base + location)
            assert status == 200 and "导入核对".encode() in page

        cases = [
            ("a page opens: plan list", lambda i: request(base + "/"), 10, 0.3),
            ("a page opens: kazuo's editor", lambda i: request(base + "/p/kazuo"), 10, 0.3),
            ("a page opens: kazuo's task grid", lambda i: request(base + "/p/kazuo?tab=tasks"), 10, 0.3),
            ("problems after a keystroke (kazuo)", keystroke, 10, 0.2),
            ("save -> refreshed preview of kazuo (warm)", save_and_preview, 7, 1.0),
            ("import review of sanmenxia", import_review, 5, 1.5),
        ]
        for label, action, runs, target in cases:
            median, times = timed(action, runs)
            results.append((label, median, max(times), target))
            print(f"{label}: median {median:.2f} s (max {max(times):.2f} s; target {target} s)", flush=True)
        # outside the timing: each save made a new preview, and the last one prints the last date saved
        assert len({g for g, _d in generations}) == len(generations), generations
        last, date = generations[-1]
        _s, _h, pdf = request(f"{base}/p/kazuo/page/{last}/plan.pdf")
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode("utf-8")
        assert date in "".join(text.split()), f"the preview does not show the saved date {date}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n| case | median | max | target | |\n|---|---|---|---|---|")
    for label, median, worst, target in results:
        print(f"| {label} | {median:.2f} s | {worst:.2f} s | ≤ {target} s | {'met' if median <= target else 'not met'} |")


if __name__ == "__main__":
    main()
