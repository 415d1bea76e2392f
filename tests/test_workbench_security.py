"""Accounts and the guard around a shared workbench: password hashes, login, throttling, signed expiring cookies,
CSRF tokens, access lists, the activity log, security headers, and Chinese refusals instead of tracebacks.

The guard is tested around a small Starlette app standing for the workbench's pages (a plan page and a save), so
what is checked is the guard itself: the real pages are behind the same guard in tests/test_workbench_*."""
import re
import time

from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from argon2 import PasswordHasher

from doctools.cli import main
from doctools.workbench.accounts import Accounts, Throttle
from doctools.workbench.security import Security, secret_key, secure

# argon2 at its lowest cost: what is tested is the guard, not the hash's price (the default is checked below)
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ZH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}


def app_for(tmp_path, accounts=True):
    workspace = tmp_path / "ws"
    for name in ("kazuo", "dean"):
        (workspace / name).mkdir(parents=True, exist_ok=True)
    state = workspace / ".doctools"
    store = Accounts(state, hasher=FAST)
    if accounts:
        store.add("admin", "admin-pass-1")
        store.add("clerk", "clerk-pass-1")
        store.add("other", "other-pass-1")
        store.grant("dean", "other")

    async def plan(request):
        return HTMLResponse(f"<p>plan {request.path_params['name']}</p>")

    async def save(request):
        form = await request.form()
        request.scope["state"]["security"].accounts.record(
            request.scope["state"]["account"].name if request.scope["state"]["account"] else "", "save",
            request.path_params["name"], form.get("value", ""))
        return PlainTextResponse("saved " + form.get("value", ""))

    async def boom(request):
        raise RuntimeError("secret internals /etc/passwd")

    app = Starlette(routes=[Route("/plans/{name}", plan), Route("/plans/{name}/save", save, methods=["POST"]),
                            Route("/boom", boom), Route("/", lambda r: HTMLResponse("<p>list</p>"))])
    app.state.workspace = workspace
    security = Security(store, secret_key(state), log=state / "errors.log")
    secure(app, security)
    return app, store, security


def logged_in(app, name, password):
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                           follow_redirects=False)
    return client, response


def token_of(client):
    page = client.get("/activity")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def test_passwords_are_kept_as_argon2_hashes_in_a_private_file(tmp_path):
    store = Accounts(tmp_path / "state")
    store.add("clerk", "clerk-pass-1")
    row = store.db.execute("SELECT hash FROM accounts").fetchone()[0]
    assert row.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and "clerk-pass-1" not in row
    assert (tmp_path / "state" / "accounts.sqlite3").stat().st_mode & 0o077 == 0
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0
    assert store.verify("clerk", "clerk-pass-1").name == "clerk"
    assert store.verify("clerk", "wrong-pass-1") is None and store.verify("nobody", "clerk-pass-1") is None


def test_users_command_adds_lists_changes_and_removes_accounts_in_chinese(tmp_path):
    runner = CliRunner(env=ZH)
    ws = ["--workspace", str(tmp_path)]
    result = runner.invoke(main, ["users", "add", "张三", "--password-stdin", *ws], input="secret-123\n")
    assert result.exit_code == 0 and "管理员" in result.output
    result = runner.invoke(main, ["users", "add", "li", "--password-stdin", *ws], input="secret-123\n")
    assert result.exit_code == 0
    result = runner.invoke(main, ["users", "add", "li", "--password-stdin", *ws], input="secret-123\n")
    assert result.exit_code == 2 and "已存在" in result.output
    result = runner.invoke(main, ["users", "add", "wang", "--password-stdin", *ws], input="short\n")
    assert result.exit_code == 2 and "密码太短" in result.output
    result = runner.invoke(main, ["users", "add", "../x", "--password-stdin", *ws], input="secret-123\n")
    assert result.exit_code == 2
    runner.invoke(main, ["users", "grant", "li", "kazuo", *ws])
    result = runner.invoke(main, ["users", "list", *ws])
    assert result.output.splitlines() == ["li", "张三（管理员）", "kazuo：仅限 li"]
    result = runner.invoke(main, ["users", "passwd", "li", "--password-stdin", *ws], input="another-123\n")
    assert result.exit_code == 0
    assert Accounts(tmp_path / ".doctools").verify("li", "another-123")
    result = runner.invoke(main, ["users", "remove", "li", *ws])
    assert result.exit_code == 0
    result = runner.invoke(main, ["users", "remove", "li", *ws])
    assert result.exit_code == 2 and "没有账户" in result.output


def test_pages_need_a_login_and_a_wrong_password_is_refused(tmp_path):
    app, _, _ = app_for(tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/plans/kazuo", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    client, response = logged_in(app, "clerk", "wrong-password")
    assert response.status_code == 401 and "Wrong account name or password" in response.text
    assert client.get("/plans/kazuo", follow_redirects=False).status_code == 303
    client, response = logged_in(app, "clerk", "clerk-pass-1")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower() and "Max-Age=28800" in cookie
    assert client.get("/plans/kazuo").text == "<p>plan kazuo</p>"


def test_a_forged_or_expired_session_cookie_is_refused(tmp_path):
    app, store, security = app_for(tmp_path)
    client, _ = logged_in(app, "clerk", "clerk-pass-1")
    value = client.cookies["doctools_session"]
    # change the account in the signed data: the signature no longer matches
    import base64
    import json

    data, _, signature = value.partition(".")
    forged_data = base64.b64encode(json.dumps({"account": "admin", "generation": store.get("admin").generation,
                                                "since": time.time(), "csrf": "x"}).encode()).decode()
    forged = TestClient(app, raise_server_exceptions=False)
    forged.cookies.set("doctools_session", forged_data + "." + signature)
    assert forged.get("/plans/kazuo", follow_redirects=False).status_code == 303
    # a cookie signed with another key
    from itsdangerous import TimestampSigner

    other = TestClient(app, raise_server_exceptions=False)
    other.cookies.set("doctools_session", TimestampSigner("not the key").sign(forged_data).decode())
    assert other.get("/plans/kazuo", follow_redirects=False).status_code == 303
    # a session older than a working day
    from itsdangerous import TimestampSigner as Signer

    old = base64.b64encode(json.dumps({"account": "clerk", "generation": store.get("clerk").generation,
                                        "since": time.time() - 9 * 3600, "csrf": "x"}).encode())
    stale = TestClient(app, raise_server_exceptions=False)
    stale.cookies.set("doctools_session", Signer(security.secret).sign(old).decode())
    assert stale.get("/plans/kazuo", follow_redirects=False).status_code == 303
    # a new password ends the sessions made with the old one
    assert client.get("/plans/kazuo").status_code == 200
    store.passwd("clerk", "clerk-pass-2")
    assert client.get("/plans/kazuo", follow_redirects=False).status_code == 303


def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(tmp_path):
    app, store, _ = app_for(tmp_path)
    client, _ = logged_in(app, "clerk", "clerk-pass-1")
    response = client.post("/plans/kazuo/save", data={"value": "x"})
    assert response.status_code == 403 and "Nothing was changed" in response.text
    response = client.post("/plans/kazuo/save", data={"value": "x", "csrf_token": "guessed"})
    assert response.status_code == 403
    assert not [r for r in store.activity() if r[3] == "save"]
    token = token_of(client)
    assert client.post("/plans/kazuo/save", data={"value": "x", "csrf_token": token}).text == "saved x"
    assert client.post("/plans/kazuo/save", data={"value": "y"}, headers={"X-CSRF-Token": token}).text == "saved y"
    assert client.post("/plans/kazuo/save", files={"upload": ("a.txt", b"1")},
                       data={"value": "z", "csrf_token": token}).text == "saved z"
    assert [(r[1], r[2], r[3], r[4]) for r in store.activity() if r[3] == "save"] == [
        ("clerk", "kazuo", "save", "z"), ("clerk", "kazuo", "save", "y"), ("clerk", "kazuo", "save", "x")]


def test_a_restricted_plan_is_refused_to_other_accounts_and_open_to_admins(tmp_path):
    app, store, _ = app_for(tmp_path)
    clerk, _ = logged_in(app, "clerk", "clerk-pass-1")
    response = clerk.get("/plans/dean")
    assert response.status_code == 403 and "dean" in response.text
    assert clerk.post("/plans/dean/save", data={"value": "x"}, headers={"X-CSRF-Token": token_of(clerk)}
                      ).status_code == 403
    other, _ = logged_in(app, "other", "other-pass-1")
    assert other.get("/plans/dean").status_code == 200
    admin, _ = logged_in(app, "admin", "admin-pass-1")
    assert admin.get("/plans/dean").status_code == 200
    # only an admin grants; the grant is in the activity log
    assert clerk.post("/access", data={"package": "kazuo", "account": "clerk", "what": "grant",
                                       "csrf_token": token_of(clerk)}).status_code == 403
    response = admin.post("/access", data={"package": "kazuo", "account": "other", "what": "grant",
                                           "csrf_token": token_of(admin)})
    assert response.status_code == 200 and store.access_list("kazuo") == ["other"]
    assert clerk.get("/plans/kazuo").status_code == 403
    page = admin.get("/activity").text
    assert "granted access" in page and "kazuo" in page


def test_package_names_that_could_leave_the_workspace_are_refused(tmp_path):
    app, _, _ = app_for(tmp_path)
    admin, _ = logged_in(app, "admin", "admin-pass-1")
    for name in (".doctools", "a%2F..%2F..", "%2e%2e", "..%5Cx", ".."):
        response = admin.get(f"/plans/{name}")
        assert "<p>plan" not in response.text, name


def test_repeated_failed_logins_slow_down_the_account_and_the_address():
    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    for _ in range(5):
        assert throttle.wait("clerk", "10.0.0.5") == 0
        throttle.failed("clerk", "10.0.0.5")
    assert throttle.wait("clerk", "10.0.0.9") == 2          # the account, from another address
    assert throttle.wait("admin", "10.0.0.5") == 2          # another account, from the same address
    assert throttle.wait("admin", "10.0.0.9") == 0
    now[0] += 2
    throttle.failed("clerk", "10.0.0.5")
    assert throttle.wait("clerk", "10.0.0.9") == 4
    now[0] += 16 * 60                                       # failures older than the window are forgotten
    assert throttle.wait("clerk", "10.0.0.5") == 0


def test_the_login_page_says_when_to_try_again_after_too_many_failures(tmp_path):
    app, _, _ = app_for(tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    codes = [client.post("/login", data={"name": "clerk", "password": "nope", "csrf_token": token}).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]
    response = client.post("/login", data={"name": "clerk", "password": "clerk-pass-1", "csrf_token": token})
    assert response.status_code == 429 and "try again in" in response.text


def test_every_response_carries_the_security_headers(tmp_path):
    app, _, _ = app_for(tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    for response in (client.get("/login"), client.get("/nothing-here"), client.get("/static/security.js")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_errors_are_pages_in_chinese_never_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    app, _, _ = app_for(tmp_path)
    admin, _ = logged_in(app, "admin", "admin-pass-1")
    response = admin.get("/boom")
    assert "Traceback" not in response.text and "/etc/passwd" not in response.text
    assert "没有丢失" in response.text
    assert "secret internals" in (tmp_path / "ws" / ".doctools" / "errors.log").read_text()
    response = admin.get("/no/such/page")
    assert response.status_code == 404 and "没有这个页面" in response.text
    response = admin.post("/plans/kazuo/save", content=b"x" * 26_000_000, headers={
        "X-CSRF-Token": token_of(admin), "content-type": "application/octet-stream"})
    assert response.status_code == 413 and "太大" in response.text


def test_without_accounts_no_login_is_asked_but_changes_still_need_the_token(tmp_path):
    app, _, _ = app_for(tmp_path, accounts=False)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/plans/kazuo").status_code == 200
    assert client.post("/plans/kazuo/save", data={"value": "x"}).status_code == 403
    assert client.post("/plans/kazuo/save", data={"value": "x"},
                       headers={"X-CSRF-Token": token_of(client)}).text == "saved x"
