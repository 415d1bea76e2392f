"""The workbench shared by several clerks, over HTTP through the real app (doctools.workbench.server): edits of
different fields made on the same version are both kept; the same field changed twice is a conflict shown side by
side and resolved by the clerk's choice; refusals; and `doctools serve`'s configuration check."""
import re
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from starlette.testclient import TestClient

from doctools.cli import main
from doctools.workbench.accounts import Accounts
from doctools.workbench.server import secured_app
from doctools.workbench.versions import load, plain
from workbench_client import csrf, login, save

ROOT = Path(__file__).resolve().parent.parent
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ZH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}


@pytest.fixture
def server(tmp_path):
    workspace = tmp_path / "inputs"
    for name in ("kazuo", "dean"):
        shutil.copytree(ROOT / "inputs" / name, workspace / name)
    accounts = Accounts(workspace / ".doctools", hasher=FAST)
    accounts.add("wang", "wang-password")
    accounts.add("li", "li-password", admin=False)
    accounts.add("zhao", "zhao-password", admin=False)
    accounts.grant("dean", "zhao")
    app, _ = secured_app(workspace, out_root=tmp_path / "outputs", preview=False)
    app.state.security.accounts.hasher = FAST
    return app, workspace


def clerk(app, name):
    client = TestClient(app, raise_server_exceptions=False)
    assert login(client, name, f"{name}-password").status_code == 303
    return client


def task(workspace, n, key):
    data = plain(load((workspace / "kazuo" / "tasks.yaml").read_text()))
    return data["tasks"][n].get(key)


def test_two_clerks_change_different_tasks_of_one_plan_and_both_changes_are_kept(server):
    app, workspace = server
    li, zhao = clerk(app, "li"), clerk(app, "zhao")
    page_li, page_zhao = li.get("/p/kazuo?tab=tasks").text, zhao.get("/p/kazuo?tab=tasks").text   # both on v1
    first = save(li, "kazuo", "tasks", {"t:tasks.0.deadline": "2018年6月底前"}, page_li)
    second = save(zhao, "kazuo", "tasks", {"l:tasks.2.responsible": "县民政局、县扶贫开发局、各乡镇街区"}, page_zhao)
    assert "Saved (version 2)" in first.text and "Saved (version 3)" in second.text
    # the page saved on version 1 does not show li's deadline: it is reloaded, never left to save on version 3
    assert second.headers.get("HX-Refresh") == "true" and "HX-Refresh" not in first.headers
    assert task(workspace, 0, "deadline") == "2018年6月底前"
    assert task(workspace, 2, "responsible") == ["县民政局", "县扶贫开发局", "各乡镇街区"]
    assert (workspace / "kazuo" / "tasks.yaml").read_text().startswith("# 试点范围")       # comments kept


def test_the_same_deadline_changed_twice_shows_both_and_the_choice_is_saved_with_nothing_lost(server, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    app, workspace = server
    li, zhao = clerk(app, "li"), clerk(app, "zhao")
    page_li, page_zhao = li.get("/p/kazuo?tab=tasks").text, zhao.get("/p/kazuo?tab=tasks").text
    save(li, "kazuo", "tasks", {"t:tasks.1.deadline": "2018年6月底前"}, page_li)
    clash = save(zhao, "kazuo", "tasks", {"t:tasks.1.deadline": "2018年9月底前", "t:tasks.3.deadline": "2018年5月底前"},
                 page_zhao)
    assert "期间他人的修改" in clash.text and "li" in clash.text
    row = re.search(r"<tr data-field=[^>]*>(.*?)</tr>", clash.text).group(1)
    assert "任务 2 › 完成时限" in row and "2018年9月底前" in row and "2018年6月底前" in row
    assert task(workspace, 1, "deadline") == "2018年6月底前"           # nothing written yet
    assert task(workspace, 3, "deadline") is None
    token = re.search(r'name="token" value="([^"]+)"', clash.text).group(1)
    done = zhao.post("/p/kazuo/resolve", data={"token": token, "choice-0": "mine", "csrf_token": csrf(page_zhao)},
                     follow_redirects=False)
    assert done.status_code == 303
    assert task(workspace, 1, "deadline") == "2018年9月底前"
    assert task(workspace, 3, "deadline") == "2018年5月底前"         # the field that did not clash came along
    history = app.state.wb.history.list("kazuo")
    assert [(v.author, v.note) for v in history[:2]] == [("zhao", "merge"), ("li", "save")]
    assert "2018年6月底前" in history[1].files["tasks.yaml"]            # li's value is still in the history
    activity = li.get("/activity").text
    assert "保存了合并结果" in activity and "zhao" in activity


def test_an_edit_on_disk_while_the_page_is_open_is_merged_not_overwritten(server):
    app, workspace = server
    li = clerk(app, "li")
    page = li.get("/p/kazuo?tab=tasks").text
    path = workspace / "kazuo" / "tasks.yaml"
    path.write_text(path.read_text().replace("responsible: [县交通局]", "responsible: [县交通局, 各乡镇街区]"))
    assert "Saved" in save(li, "kazuo", "tasks", {"t:tasks.0.deadline": "2018年6月底前"}, page).text
    assert task(workspace, 3, "responsible") == ["县交通局", "各乡镇街区"]
    assert task(workspace, 0, "deadline") == "2018年6月底前"
    assert [v.author for v in app.state.wb.history.list("kazuo")[:2]] == ["li", "disk"]


def test_refusals_wrong_password_missing_token_restricted_plan(server):
    app, workspace = server
    stranger = TestClient(app, raise_server_exceptions=False)
    assert login(stranger, "li", "not-the-password").status_code == 401
    assert stranger.get("/p/kazuo", follow_redirects=False).status_code == 303
    li = clerk(app, "li")
    before = (workspace / "kazuo" / "tasks.yaml").read_text()
    page = li.get("/p/kazuo?tab=tasks").text
    response = li.post("/p/kazuo/save", data={"t:tasks.0.deadline": "2018年6月底前"})
    assert response.status_code == 403 and (workspace / "kazuo" / "tasks.yaml").read_text() == before
    assert li.get("/p/dean").status_code == 403                             # granted to zhao only
    assert "/p/dean" not in li.get("/").text and "/p/kazuo" in li.get("/").text
    assert clerk(app, "zhao").get("/p/dean").status_code == 200
    assert clerk(app, "wang").get("/p/dean").status_code == 200             # the admin
    assert "kazuo" in page


def test_every_page_carries_the_security_headers_and_the_csrf_token(server):
    app, _ = server
    li = clerk(app, "li")
    for path in ("/", "/p/kazuo", "/p/kazuo?tab=history", "/static/app.js", "/nowhere"):
        response = li.get(path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert response.headers["x-frame-options"] == "DENY"
    assert csrf(li.get("/p/kazuo").text)


def test_serve_refuses_another_address_without_an_account_and_check_config_says_why(tmp_path):
    """Nothing here listens on another address: a configuration with a problem is refused before any bind, and
    the one that passes is checked on 127.0.0.1 behind a (pretended) proxy, which needs accounts as well."""
    workspace = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "kazuo", workspace / "kazuo")
    runner = CliRunner(env=ZH)
    common = ["--port", "8899", "--no-browser", "--out", str(tmp_path / "outputs")]
    result = runner.invoke(main, ["serve", str(workspace), "--host", "0.0.0.0", *common])
    assert result.exit_code == 2 and "还没有任何账户" in result.output and "doctools users add" in result.output
    result = runner.invoke(main, ["serve", str(workspace), "--host", "0.0.0.0", *common, "--check-config"])
    assert result.exit_code == 2 and "工作区" in result.output and "0 个账户" in result.output
    result = runner.invoke(main, ["serve", str(workspace), "--host", "127.0.0.1", "--proxy", *common])
    assert result.exit_code == 2 and "还没有任何账户" in result.output
    runner.invoke(main, ["users", "add", "wang", "--password-stdin", "--workspace", str(workspace)],
                  input="wang-password\n")
    result = runner.invoke(main, ["serve", str(workspace), "--host", "127.0.0.1", "--proxy", *common,
                                  "--check-config"])
    assert result.exit_code == 0 and "1 个账户" in result.output and "可以启动" in result.output
    result = runner.invoke(main, ["serve", str(workspace / "missing"), "--check-config"])
    assert result.exit_code == 2 and "不是存放方案的文件夹" in result.output


def test_any_version_can_be_viewed_compared_and_restored(server):
    app, workspace = server
    li = clerk(app, "li")
    save(li, "kazuo", "tasks", {"t:tasks.0.deadline": "2018年6月底前"})
    save(li, "kazuo", "tasks", {"t:tasks.0.deadline": "2018年8月底前", "t:tasks.1.note": "备注"})
    history = li.get("/p/kazuo?tab=history").text
    assert 'href="/p/kazuo/compare/2/3"' in history and 'href="/p/kazuo/version/1"' in history
    assert "2018年6月底前" in li.get("/p/kazuo/version/2").text
    rows = re.findall(r"<tr data-field=[^>]*>(.*?)</tr>", li.get("/p/kazuo/compare/2/3").text)
    assert len(rows) == 2 and "2018年6月底前" in rows[0] and "2018年8月底前" in rows[0] and "备注" in rows[1]
    assert li.get("/p/kazuo/compare/2/99").status_code == 404
    token = csrf(li.get("/p/kazuo").text)
    assert li.post("/p/kazuo/restore/2", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303
    assert task(workspace, 0, "deadline") == "2018年6月底前" and task(workspace, 1, "note") is None
    assert len(app.state.wb.history.list("kazuo")) == 4                 # the restore is a new version
