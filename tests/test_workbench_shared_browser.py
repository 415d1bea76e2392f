"""Two clerks in two headless Chromium contexts (Debian's chromium through Playwright) against the real shared
server (`doctools serve` as a process, with accounts): edits of different tasks both kept; the same deadline
changed by both: the second clerk sees both values side by side, chooses, and nothing is lost; a wrong password, a
change without the CSRF token, a forged session cookie and another account's restricted plan all refused."""
import shutil
from pathlib import Path

import pytest

from doctools.workbench.accounts import Accounts
from doctools.workbench.versions import load, plain
from workbench_server import Server

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (install.sh)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("shared")
    workspace = root / "inputs"
    for name in ("kazuo", "dean"):
        shutil.copytree(ROOT / "inputs" / name, workspace / name)
    accounts = Accounts(root / "state")
    accounts.add("wang", "wang-password")                    # the admin
    accounts.add("li", "li-password", admin=False)
    accounts.add("zhao", "zhao-password", admin=False)
    accounts.grant("dean", "wang")                           # dean: the admin's only
    accounts.close()
    srv = Server(workspace, root / "state", root / "outputs", env={"LANGUAGE": "zh"}).start()
    yield srv, workspace
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def clerk(browser, server, name, password=None):
    srv, _ = server
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(srv.url + "/p/kazuo")
    assert page.url == srv.url + "/login"                   # no page without logging in
    page.fill("[name=name]", name)
    page.fill("[name=password]", password or f"{name}-password")
    page.click("button[type=submit]")
    page.requests = requests
    return context, page


def only_own_server(page, srv):
    outside = [u for u in page.requests if not (u.startswith(srv.url + "/") or u.startswith("data:"))]
    assert not outside, f"the page loaded something from outside its server: {outside}"


def tasks(workspace):
    return plain(load((workspace / "kazuo" / "tasks.yaml").read_text()))["tasks"]


def save(page):
    page.evaluate("document.querySelector('#status').innerHTML = ''")     # the last save's message gone
    page.click("#save")
    page.wait_for_selector("#status .alert")


def test_two_clerks_edit_one_plan_and_nothing_is_lost(browser, server):
    srv, workspace = server
    (ctx_li, li), (ctx_zhao, zhao) = clerk(browser, server, "li"), clerk(browser, server, "zhao")
    try:
        for page in (li, zhao):
            page.goto(srv.url + "/p/kazuo?tab=tasks")
        # one changes a deadline, the other a unit of another task: both kept
        li.fill("[name='t:tasks.0.deadline']", "2018年6月底前")
        save(li)
        assert li.locator("#status .alert.ok").count() == 1, li.inner_text("#status")
        zhao.fill("[name='l:tasks.2.responsible']", "县民政局、县扶贫开发局、各乡镇街区")
        with zhao.expect_navigation():                      # merged with li's save: the page shows the result
            zhao.click("#save")
        assert zhao.input_value("[name='t:tasks.0.deadline']") == "2018年6月底前"
        assert tasks(workspace)[0]["deadline"] == "2018年6月底前"
        assert tasks(workspace)[2]["responsible"] == ["县民政局", "县扶贫开发局", "各乡镇街区"]

        # both change the same deadline: the second sees both values, chooses, and nothing is lost
        li.fill("[name='t:tasks.1.deadline']", "2018年7月底前")
        zhao.fill("[name='t:tasks.1.deadline']", "2018年9月底前")
        with li.expect_navigation():                        # zhao saved since li's page was made: merged
            li.click("#save")
        assert li.input_value("[name='l:tasks.2.responsible']") == "县民政局、县扶贫开发局、各乡镇街区"
        save(zhao)
        row = zhao.locator("#status table.conflict tbody tr")
        assert row.count() == 1, zhao.inner_text("#status")
        assert "任务 2" in row.inner_text() and "完成时限" in row.inner_text()
        assert row.locator("td.mine .value").inner_text() == "2018年9月底前"
        assert row.locator("td.theirs .value").inner_text() == "2018年7月底前"
        assert tasks(workspace)[1]["deadline"] == "2018年7月底前"        # nothing written before the choice
        row.locator("td.mine input[type=radio]").check()
        zhao.click("#status form.conflict button[type=submit]")
        zhao.wait_for_url(srv.url + "/p/kazuo")
        assert tasks(workspace)[1]["deadline"] == "2018年9月底前"
        assert tasks(workspace)[0]["deadline"] == "2018年6月底前"          # the earlier edits are still there
        # li's value is kept in the history: the versions tab lists it
        li.goto(srv.url + "/p/kazuo?tab=history")
        assert li.locator("#versions tbody tr").count() >= 4
        li.goto(srv.url + "/activity")
        log = li.inner_text("table.activity")
        assert "zhao" in log and "保存了合并结果" in log
        only_own_server(li, srv)
        only_own_server(zhao, srv)
    finally:
        ctx_li.close()
        ctx_zhao.close()


def test_refusals(browser, server):
    srv, workspace = server
    # a wrong password
    context, page = clerk(browser, server, "li", "not-her-password")
    assert page.url == srv.url + "/login" and "账户名或密码不正确" in page.inner_text("main")
    context.close()
    context, page = clerk(browser, server, "li")
    try:
        # a change without the CSRF token (the same session's cookie, as a forged form would send it)
        before = (workspace / "kazuo" / "tasks.yaml").read_text()
        response = page.request.post(srv.url + "/p/kazuo/save", form={"t:tasks.0.note": "伪造的修改"})
        assert response.status == 403 and "没有做任何修改" in response.text()
        assert (workspace / "kazuo" / "tasks.yaml").read_text() == before
        # another account's restricted plan: not listed, and refused when asked for
        page.goto(srv.url + "/")
        assert page.locator("#plans tr[data-plan=kazuo]").count() == 1
        assert page.locator("#plans tr[data-plan=dean]").count() == 0
        response = page.goto(srv.url + "/p/dean")
        assert response.status == 403 and "仅限其他账户" in page.inner_text("main")
        # a forged session cookie: the signature does not match, so it is no login at all
        cookie = next(c for c in context.cookies() if c["name"] == "doctools_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        data, _, signature = cookie["value"].partition(".")
        import base64
        import json

        forged = json.loads(base64.b64decode(data))
        forged["account"] = "wang"                           # the admin
        cookie["value"] = base64.b64encode(json.dumps(forged).encode()).decode() + "." + signature
        context.clear_cookies()
        context.add_cookies([cookie])
        page.goto(srv.url + "/p/dean")
        assert page.url == srv.url + "/login"
    finally:
        context.close()
