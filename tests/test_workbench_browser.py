"""A clerk's day in the workbench, in a real headless Chromium (Debian's, through Playwright) against the real server.

The server runs uvicorn in a thread on a loopback port over a copy of inputs/; every request the page makes is
recorded and must go to that server.
"""
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (install.sh)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from doctools.workbench import create_app

    from doctools import i18n

    earlier = i18n.set_language(None)      # the app sets the page language for its process; put it back after
    root = tmp_path_factory.mktemp("workbench")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    app = create_app(root / "inputs", out_root=root / "outputs", lang="zh")
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", root
    srv.should_exit = True
    thread.join(timeout=20)
    i18n.restore_language(earlier)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    base, _root = server
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    context.close()
    outside = [u for u in requests if not (u.startswith(base + "/") or u.startswith("data:") or u == base)]
    assert not outside, f"the page loaded something from outside its server: {outside}"


def pdf_text(data: bytes) -> str:
    import io

    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)   # no line breaks, no spaces


def saved_generation(page) -> int:
    page.wait_for_selector("#preview-body")
    return int(page.get_attribute("#preview-body", "data-generation"))


def test_a_clerks_day(page, server):
    import yaml

    base, root = server
    # 1. the list, a plan from kazuo's structure, the frame filled in
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "方案列表"
    assert page.locator("#plans tr[data-plan=kazuo]").count() == 1
    page.fill("#new-form [name=name]", "mine")
    page.fill("#new-form [name=office]", "喀左县人民政府办公室")
    page.fill("#new-form [name=date]", "2024年3月5日")
    page.select_option("#new-form [name=source]", "kazuo")
    page.click("#new-form button[type=submit]")
    page.wait_for_url(base + "/p/mine")
    page.fill("[name='t:document.note']", "此件公开发布")
    page.fill("[name='t:document.imprint.printer']", "喀左县人民政府办公室")
    page.click("#save")
    page.wait_for_selector("#status .alert")
    assert page.locator("#status .alert.ok").count() == 1, page.inner_text("#status")
    document = (root / "inputs" / "mine" / "document.yaml").read_text(encoding="utf-8")
    assert "note: 此件公开发布" in document

    # 2. three task rows pasted from a spreadsheet; one deadline changed; the preview shows the new date
    page.goto(base + "/p/mine?tab=tasks")
    first = page.locator("[name='t:tasks.0.title']")
    rows = "\n".join([
        "农村危房改造\t公开危房改造政策和补助对象，于{deadline}完成。\t\t\t喀左县人民政府办公室\t2024年6月底前",
        "扶贫\t公开扶贫项目和资金，于{deadline}完成。\t\t\t喀左县人民政府办公室\t2024年7月底前",
        "救灾\t公开救灾资金和物资，于{deadline}完成。\t\t\t喀左县人民政府办公室\t2024年8月底前"])
    first.focus()
    page.evaluate("""(text) => {
        const dt = new DataTransfer(); dt.setData('text/plain', text);
        document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""", rows)
    assert page.input_value("[name='t:tasks.2.title']") == "救灾"
    assert page.input_value("[name='t:tasks.1.deadline']") == "2024年7月底前"
    page.fill("[name='t:tasks.1.deadline']", "2024年9月底前")
    page.wait_for_function("document.querySelector(\"[name='t:tasks.1.deadline']\").parentElement"
                           ".querySelector('output.reading').textContent.includes('2024-09-30')")
    before = saved_generation(page)
    page.click("#save")
    page.wait_for_selector("#status .alert")
    assert page.locator("#status .alert.ok").count() == 1, page.inner_text("#status")
    page.wait_for_function(f"document.querySelector('#preview-body') && "
                           f"+document.querySelector('#preview-body').dataset.generation > {before}")
    generation = saved_generation(page)
    assert page.locator("#preview figure.page img").count() >= 1
    pdf = page.request.get(f"{base}/p/mine/page/{generation}/plan.pdf").body()
    text = pdf_text(pdf)
    assert "2024年9月底" in text and "2024年7月底" not in text

    # 3. a misspelt unit: the problem appears beside the cell; fixed, it goes
    cell = "[name='l:tasks.2.responsible']"
    page.fill(cell, "喀左县人民政府办公厅")
    message = page.locator(f"{cell} + .field-msg.error")
    message.wait_for()
    assert "喀左县人民政府办公厅" in message.inner_text()
    page.fill(cell, "喀左县人民政府办公室")
    message.wait_for(state="detached")
    assert page.locator("#problems li.problem.error").count() == 0

    # units are offered from the registry; a new one is added from the grid and named at once
    assert page.locator("#unit-names option[value='喀左县人民政府办公室']").count() == 1
    page.fill("#new-unit", "喀左县应急管理局")
    page.fill("[name='l:tasks.0.lead']", "喀左县应急管理局")
    earlier = page.get_attribute("#status .alert", "data-version")
    page.click("#save")
    page.wait_for_function(f"document.querySelector('#status .alert').dataset.version !== '{earlier}'")
    assert page.locator("#status .alert.ok").count() == 1, page.inner_text("#status")
    units = yaml.safe_load((root / "inputs" / "mine" / "units.yaml").read_text(encoding="utf-8"))["units"]
    assert "喀左县应急管理局" in units


def test_import_review_catalog_and_downloads(page, server):
    import openpyxl
    from docx import Document

    base, root = server
    # 4. a Word plan uploaded, its title corrected in the import review, saved
    subprocess.run([sys.executable, "-m", "doctools", "build", "--out", str(root / "word"), str(root / "inputs" / "jixian")],
                   check=True, capture_output=True)
    word = next((root / "word" / "jixian").glob("*.docx"))
    upload = root / "集贤县方案.docx"
    shutil.copyfile(word, upload)
    page.goto(base + "/")
    page.set_input_files("#import-form [name=file]", str(upload))
    page.click("#import-form button[type=submit]")
    page.wait_for_url(base + "/import/*")
    assert page.locator("li.para").count() > 10
    page.fill("#import-save [name=folder]", "jixian2")
    page.fill("#import-save [name='document.title']", "集贤县全面落实基层政务公开标准化规范化工作推进方案")
    page.click("#import-save button[type=submit]")
    page.wait_for_url(base + "/p/jixian2")
    import yaml
    saved = yaml.safe_load((root / "inputs" / "jixian2" / "document.yaml").read_text(encoding="utf-8"))
    assert saved["document"]["title"] == "集贤县全面落实基层政务公开标准化规范化工作推进方案"

    # 5. a catalog workbook uploaded, then a changed one: exactly one chart redrawn
    def workbook(path, third):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["一级事项", "二级事项", "公开内容", "公开时限", "公开主体"])
        ws.append(["最低生活保障", "政策法规文件", "低保政策文件", "信息形成之日起20个工作日内", "县民政局"])
        ws.append(["特困人员救助供养", "办事指南", "申请条件、办理流程", "信息形成之日起20个工作日内", "县民政局"])
        ws.append(["临时救助", "救助结果", "临时救助对象", third, "县民政局"])
        wb.save(path)

    shutil.copytree(root / "inputs" / "sanmenxia", root / "inputs" / "catalogue")
    for third, name in (("信息形成之日起20个工作日内", "a.xlsx"), ("信息形成之日起5个工作日内", "b.xlsx")):
        workbook(root / name, third)
        page.goto(base + "/p/catalogue?tab=catalog")
        page.set_input_files("#catalog-form [name=file]", str(root / name))
        page.click("#catalog-form button[type=submit]")
        page.wait_for_url(base + "/p/catalogue?tab=catalog&built=1")
    assert page.locator("figure.chart").count() >= 3          # the three rows; sanmenxia also draws its own flow
    rows = page.locator("table.catalog-rows tbody tr")
    assert rows.count() == 3 and "临时救助" in rows.nth(2).inner_text()
    assert page.locator("figure.chart.redrawn").count() == 1

    # 6. the .docx and the task workbook downloaded and opened
    page.goto(base + "/p/catalogue?tab=downloads")
    links = page.locator("ul.downloads a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    docx_name = next(n for n in names if n.endswith(".docx") and "/" not in n and "实施方案" in n)
    with page.expect_download() as got:
        page.click(f"ul.downloads a:text-is('{docx_name}')")
    text = "\n".join(p.text for p in Document(got.value.path()).paragraphs)
    assert "三门峡市" in text
    with page.expect_download() as got:
        page.click("ul.downloads a:text-is('任务分工表.xlsx')")
    import io
    book = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows()
             for c in row if c.value]
    assert any("政务公开" in c for c in cells)


def test_last_years_plan_drafts_versions_outline_and_refusals(page, server):
    import yaml

    base, root = server
    # 沿用去年方案: every date moved a year, each listed
    page.goto(base + "/")
    page.select_option("#copy-form [name=source]", "kangbashi")
    page.fill("#copy-form [name=year]", "2026")
    page.fill("#copy-form [name=name]", "kangbashi2026")
    page.click("#copy-form button[type=submit]")
    page.wait_for_selector("ul.changed li")
    changed = page.locator("ul.changed li").all_inner_texts()
    assert changed and all("→" in line for line in changed)
    document = yaml.safe_load((root / "inputs" / "kangbashi2026" / "document.yaml").read_text(encoding="utf-8"))
    assert "2026年" in str(document["document"]["date"]) or "2027年" in str(document["document"]["date"])

    # a save check refuses is a draft: the files keep the last good version, the page shows the draft
    page.goto(base + "/p/kangbashi2026")
    tasks = root / "inputs" / "kangbashi2026" / "document.yaml"
    good = tasks.read_text(encoding="utf-8")
    page.fill("[name='t:document.date']", "2026年13月1日")
    page.click("#save")
    page.wait_for_selector("#status .alert.warn")
    assert tasks.read_text(encoding="utf-8") == good
    page.goto(base + "/p/kangbashi2026")
    assert page.input_value("[name='t:document.date']") == "2026年13月1日"       # nothing typed is lost
    assert page.locator("[name='t:document.date'] + .field-msg.error").count() == 1
    page.fill("[name='t:document.date']", "2026年3月1日")
    page.click("#save")
    page.wait_for_selector("#status .alert.ok")
    assert "2026年3月1日" in tasks.read_text(encoding="utf-8")

    # an earlier version restored from the page
    page.goto(base + "/p/kangbashi2026?tab=history")
    with page.expect_navigation():
        page.locator("button.restore").last.click()
    page.wait_for_selector("#versions")
    assert tasks.read_text(encoding="utf-8") == good

    # the outline: a section moved down keeps its text and comments, and the order changes in the file
    body = root / "inputs" / "kazuo" / "body.yaml"
    titles = [s["title"] for s in yaml.safe_load(body.read_text(encoding="utf-8"))["body"]]
    page.goto(base + "/p/kazuo?tab=body")
    with page.expect_navigation():
        page.click("button.move[data-path='body.0'][data-dir='down']")
    page.wait_for_selector("input.heading")
    moved = [s["title"] for s in yaml.safe_load(body.read_text(encoding="utf-8"))["body"]]
    assert moved == [titles[1], titles[0]] + titles[2:]
    assert "# The plan's sections." in body.read_text(encoding="utf-8")

    # the preview keeps the page being looked at after a save
    page.goto(base + "/p/kazuo")
    page.wait_for_selector("#preview figure.page img")
    page.evaluate("document.getElementById('page-3').scrollIntoView({block: 'start'})")
    generation = saved_generation(page)
    page.fill("[name='t:document.note']", "此件公开发布")
    page.click("#save")
    page.wait_for_function(f"+document.querySelector('#preview-body').dataset.generation > {generation}")
    top = page.evaluate("document.getElementById('page-3').getBoundingClientRect().top - "
                        "document.querySelector('.preview-pane').getBoundingClientRect().top")
    assert abs(top) < 60

    # refused input: a Chinese message, never a server error page
    page.goto(base + "/")
    bogus = root / "not-a-plan.docx"
    bogus.write_bytes(b"this is not a Word file")
    page.set_input_files("#import-form [name=file]", str(bogus))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector(".alert.error")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in page.inner_text(".alert.error"))
    response = page.goto(base + "/p/../../etc")
    assert response.status == 404 and "页面不存在" in page.inner_text(".alert.error")
    response = page.goto(base + "/p/kazuo/files/../../../../etc/passwd")
    assert response.status == 404
