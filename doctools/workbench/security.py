"""What makes the workbench safe to share: login, sessions, CSRF tokens, access lists, headers, error pages.

:func:`secure` wraps the workbench's Starlette app, in this order from the outside in:

1. **headers** on every response: a Content-Security-Policy allowing only the server itself (no inline script, no
   other host), ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (no page can frame it), ``nosniff``;
2. **body limit**: a request body over :data:`MAX_REQUEST_BYTES` is refused with a Chinese message (413), counted
   as it streams, whatever Content-Length says;
3. **session**: Starlette's SessionMiddleware, a cookie signed with the state folder's key (itsdangerous),
   HttpOnly, SameSite=Strict, Secure behind HTTPS, that expires :data:`SESSION_SECONDS` after login;
4. **guard**: when the server has accounts, every page but the login page needs a logged-in account whose password
   has not changed since; every request that changes something (POST, PUT, PATCH, DELETE) carries the session's
   CSRF token, in the ``X-CSRF-Token`` header (htmx, see ``static/security.js``) or a ``csrf_token`` form field; a
   request about a package passes only when the account may edit it (see :mod:`.accounts`).

A server without accounts (``doctools serve`` on 127.0.0.1 for one clerk) still gets 1, 2 and the CSRF check.
Every refusal is a page (or, for htmx, a fragment) in the user's language: never a traceback.
"""
from __future__ import annotations

import html
import os
import re
import secrets
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs

from ..i18n import N_, _
from .accounts import Accounts, Throttle
from .state import valid_package_id

MAX_REQUEST_BYTES = 25_000_000        # any request body; the upload pages take files of up to 20 MB
SESSION_SECONDS = 8 * 3600            # a session ends this long after login: one working day
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
OPEN_PATHS = ("/login", "/static/", "/favicon.ico")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass
class Security:
    """The security settings and state of one server."""

    accounts: Accounts
    secret: str
    https: bool = False
    throttle: Throttle = field(default_factory=Throttle)
    # the package a request is about, from its path: /plans/<id>/…, /packages/<id>/…, /p/<id>/…
    package_path: re.Pattern = re.compile(r"^/(?:plans|packages|package|plan|p|edit|preview|download|history)/([^/?]+)")
    log: Optional[Path] = None

    @property
    def required(self) -> bool:
        """Whether pages need a login: once any account exists."""
        return self.accounts.count() > 0


def secret_key(state: Path) -> str:
    """The key that signs session cookies: made once (mode 0600) in the state folder, kept across restarts."""
    path = Path(state) / "session.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(48)
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


def csrf_token(request) -> str:
    """The session's CSRF token, made on first use (for templates: ``{{ csrf_token(request) }}``); empty when
    the app runs without :func:`secure` (tests of the pages alone)."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


# ---- plain pages -------------------------------------------------------------------------------------------------
def page(title: str, body: str, status: int = 200, request=None):
    """A small page of its own (login, refusals, errors): nothing inline, the style from /static."""
    from starlette.responses import HTMLResponse

    token = ""
    if request is not None and "session" in request.scope:
        token = html.escape(csrf_token(request))
    text = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"csrf-token\" content=\"{token}\"><title>{html.escape(title)}</title>"
            "<link rel=\"stylesheet\" href=\"/static/security.css\">"
            "<script src=\"/static/security.js\" defer></script></head>"
            f"<body><main class=\"sec\"><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return HTMLResponse(text, status_code=status)


def refusal(request, status: int, message: str, title: Optional[str] = None):
    """A refusal in the user's language: a fragment for htmx (it swaps it in), else a page."""
    from starlette.responses import HTMLResponse

    body = f"<p class=\"problem\" role=\"alert\">{html.escape(message)}</p>"
    if request.headers.get("hx-request"):
        return HTMLResponse(body, status_code=status)
    back = html.escape(_("Back to the plans"))
    return page(title or _("Refused"), body + f"<p><a href=\"/\">{back}</a></p>", status, request)


# ---- middleware --------------------------------------------------------------------------------------------------
class Headers:
    """Adds the security headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body over *limit* bytes, as declared or as it streams."""

    def __init__(self, app, limit: int = MAX_REQUEST_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self._too_large(scope, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await self._too_large(scope, send)

    async def _too_large(self, scope, send):
        from starlette.requests import Request

        request = Request(scope)
        response = refusal(request, 413, _("The file or form sent is too large: at most {size} MB.").format(
            size=self.limit // 1_000_000))
        await response(scope, None, send)


class TooLarge(Exception):
    pass


class Guard:
    """Login, CSRF and access lists; sits inside the session middleware."""

    def __init__(self, app, security: Security):
        self.app = app
        self.security = security

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request
        from starlette.responses import RedirectResponse

        request = Request(scope, receive)
        path = scope["path"]
        sec = self.security
        account = None
        scope.setdefault("state", {})
        if sec.required:
            account = self._account(request)
            if account is None and not path.startswith(OPEN_PATHS):
                if request.method in UNSAFE or request.headers.get("hx-request"):
                    response = refusal(request, 401, _("Please log in first."))
                    if request.headers.get("hx-request"):
                        response.headers["HX-Redirect"] = "/login"
                    return await response(scope, receive, send)
                return await RedirectResponse("/login", status_code=303)(scope, receive, send)
        scope["state"]["account"] = account
        scope["state"]["security"] = sec
        scope["state"]["admin"] = account is not None and account.admin

        body = None
        if request.method in UNSAFE:
            token, body = await self._sent_token(request, receive)
            expected = request.session.get("csrf")
            if not expected or not token or not secrets.compare_digest(str(token), str(expected)):
                response = refusal(request, 403, _("The form has expired or did not come from this server's "
                                                   "page: reload the page and try again. Nothing was changed."))
                return await response(scope, receive, send)

        match = sec.package_path.match(path)
        if match:
            from urllib.parse import unquote

            package = unquote(match.group(1))
            if not valid_package_id(package):
                return await refusal(request, 404, _("There is no plan with that name."))(scope, receive, send)
            if sec.required and not sec.accounts.may_edit(account, package):
                response = refusal(request, 403, _("The plan {package} is limited to other accounts; ask an "
                                                   "admin to add you.").format(package=package))
                return await response(scope, receive, send)

        if body is not None:
            receive = _replay(body)
        await self.app(scope, receive, send)

    def _account(self, request):
        session = request.session
        name = session.get("account")
        if not name:
            return None
        account = self.security.accounts.get(name)
        if (account is None or session.get("generation") != account.generation
                or time.time() - float(session.get("since", 0)) > SESSION_SECONDS):
            session.clear()
            return None
        return account

    @staticmethod
    async def _sent_token(request, receive):
        """The CSRF token sent with *request* (header, or form field) and the body read to find it."""
        token = request.headers.get(CSRF_HEADER)
        if token:
            return token, None
        kind = request.headers.get("content-type", "")
        if not kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return None, None
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if kind.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD, [None])
            return values[0], body
        from starlette.requests import Request

        from starlette.formparsers import MultiPartException

        try:
            form = await Request(request.scope, _replay(body)).form()
            return form.get(CSRF_FIELD), body
        except (MultiPartException, ValueError, KeyError):   # a broken multipart body: no token found, refused as such
            return None, body


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


# ---- routes: login, logout, activity, access ------------------------------------------------------------------
def _form(fields: str, request, action: str, button: str) -> str:
    return (f"<form method=\"post\" action=\"{action}\">"
            f"<input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{html.escape(csrf_token(request))}\">"
            f"{fields}<button type=\"submit\">{html.escape(button)}</button></form>")


def _login_page(request, message: str = "", status: int = 200):
    account, password = html.escape(_("Account")), html.escape(_("Password"))
    fields = (f"<label>{account} <input name=\"name\" autocomplete=\"username\" required></label>"
              f"<label>{password} <input name=\"password\" type=\"password\" "
              "autocomplete=\"current-password\" required></label>")
    problem = f"<p class=\"problem\" role=\"alert\">{html.escape(message)}</p>" if message else ""
    return page(_("Log in"), problem + _form(fields, request, "/login", _("Log in")), status, request)


async def login(request):
    from starlette.responses import RedirectResponse

    sec: Security = request.scope["state"]["security"]
    if request.method == "GET":
        return _login_page(request)
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    address = request.client.host if request.client else ""
    wait = sec.throttle.wait(name, address)
    if wait > 0:
        return _login_page(request, _("Too many failed logins: try again in {seconds} seconds.").format(
            seconds=int(wait + 0.999)), 429)
    account = sec.accounts.verify(name, password)
    if account is None:
        sec.throttle.failed(name, address)
        return _login_page(request, _("Wrong account name or password."), 401)
    sec.throttle.succeeded(name)
    request.session.clear()
    request.session.update({"account": account.name, "generation": account.generation, "since": time.time(),
                            "csrf": secrets.token_urlsafe(32)})
    sec.accounts.record(account.name, "login")
    return RedirectResponse("/", status_code=303)


async def logout(request):
    from starlette.responses import RedirectResponse

    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def record(request, action: str, package: str = "", detail: str = "") -> None:
    """Write an entry in the activity log, when the server keeps one (a server wrapped by :func:`secure`)."""
    sec = request.scope.get("state", {}).get("security")
    if sec is None:
        return
    account = request.scope["state"].get("account")
    sec.accounts.record(account.name if account is not None else "", action, package, detail)


def may_edit(request, package: str) -> bool:
    """Whether the request's account may see and edit *package* (always, on a server without accounts)."""
    sec = request.scope.get("state", {}).get("security")
    if sec is None or not sec.required:
        return True
    return sec.accounts.may_edit(request.scope["state"].get("account"), package)


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))


def action_words(action: str) -> str:
    """An activity's action in the user's language."""
    words = {
        "login": _("logged in"),
        "save": _("saved"),
        "merge": _("saved a merge"),
        "restore": _("restored a version"),
        "upload": _("uploaded"),
        "grant": _("granted access"),
        "revoke": _("took access away"),
        "create": _("created"),
    }
    return words.get(action, action)


async def activity(request):
    sec: Security = request.scope["state"]["security"]
    account = request.scope["state"].get("account")
    packages = None
    if account is not None and not account.admin:
        packages = [p for p in _workspace_packages(request) if sec.accounts.may_edit(account, p)]
    rows = "".join(
        f"<tr><td>{_when(at)}</td><td>{html.escape(who)}</td><td>{html.escape(package)}</td>"
        f"<td>{html.escape(action_words(action))}</td><td>{html.escape(detail)}</td></tr>"
        for at, who, package, action, detail in sec.accounts.activity(500, packages))
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (_("When"), _("Account"), _("Plan"), _("Action"),
                                                             _("Details")))
    return page(_("Activity"), f"<table class=\"activity\"><thead><tr>{head}</tr></thead><tbody>{rows}"
                               "</tbody></table>", request=request)


def _workspace_packages(request) -> list:
    state = request.app.state
    workspace = state.wb.workspace if hasattr(state, "wb") else getattr(state, "workspace", None)
    if workspace is None:
        return []
    return sorted(p.name for p in Path(workspace).iterdir() if p.is_dir() and valid_package_id(p.name))


async def access(request):
    """The admin's page: which accounts may edit which plan; grant and take away."""
    sec: Security = request.scope["state"]["security"]
    account = request.scope["state"].get("account")
    if account is None or not account.admin:
        return refusal(request, 403, _("Only an admin may change who edits which plan."))
    if request.method == "POST":
        form = await request.form()
        package, name, what = str(form.get("package", "")), str(form.get("account", "")), form.get("what")
        if not valid_package_id(package) or package not in _workspace_packages(request):
            return refusal(request, 400, _("There is no plan with that name."))
        from .accounts import AccountError

        try:
            if what == "grant":
                sec.accounts.grant(package, name)
            else:
                sec.accounts.revoke(package, name)
        except AccountError as exc:
            return refusal(request, 400, str(exc))
        sec.accounts.record(account.name, "grant" if what == "grant" else "revoke", package, name)
    lists = sec.accounts.access_lists()
    names = [a.name for a in sec.accounts.list()]
    rows = []
    for package in _workspace_packages(request):
        who = "、".join(lists.get(package, [])) or _("every account")
        rows.append(f"<tr><td>{html.escape(package)}</td><td>{html.escape(who)}</td></tr>")
    options = "".join(f"<option>{html.escape(n)}</option>" for n in names)
    plans = "".join(f"<option>{html.escape(p)}</option>" for p in _workspace_packages(request))
    words = {k: html.escape(v) for k, v in (("plan", _("Plan")), ("account", _("Account")), ("grant", _("grant")),
                                            ("revoke", _("take away")), ("who", _("Who may edit it")))}
    fields = (f"<label>{words['plan']} <select name=\"package\">{plans}</select></label>"
              f"<label>{words['account']} <select name=\"account\">{options}</select></label>"
              f"<label><input type=\"radio\" name=\"what\" value=\"grant\" checked> {words['grant']}</label>"
              f"<label><input type=\"radio\" name=\"what\" value=\"revoke\"> {words['revoke']}</label>")
    head = f"<tr><th>{words['plan']}</th><th>{words['who']}</th></tr>"
    return page(_("Access"), f"<table>{head}{''.join(rows)}</table>" + _form(fields, request, "/access",
                                                                              _("Apply")), request=request)


STATIC = Path(__file__).parent / "static"


def routes() -> list:
    from starlette.routing import Route

    return [Route("/login", login, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/activity", activity),
            Route("/access", access, methods=["GET", "POST"]),
            Route("/static/security.js", _static("security.js", "text/javascript")),
            Route("/static/security.css", _static("security.css", "text/css"))]


def _static(name: str, kind: str):
    from starlette.responses import Response

    data = (STATIC / name).read_bytes()

    async def serve(request):
        return Response(data, media_type=kind)

    return serve


# ---- errors --------------------------------------------------------------------------------------------------
HTTP_WORDS = {
    400: N_("The request could not be understood."),
    404: N_("There is no such page."),
    405: N_("That cannot be done on this page."),
    413: N_("The file or form sent is too large."),
}


def error_handlers(log: Optional[Path]) -> dict:
    """Starlette exception handlers: an HTTP error is a page in the user's language, any other exception a page
    saying nothing was lost (the traceback goes to *log*, never to the browser)."""
    from starlette.exceptions import HTTPException

    async def http_error(request, exc: HTTPException):
        message = _(HTTP_WORDS.get(exc.status_code, N_("The request could not be done.")))
        return refusal(request, exc.status_code, message)

    async def internal_error(request, exc: Exception):
        if log is not None:
            try:
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(time.strftime("%Y-%m-%d %H:%M:%S ") + request.url.path + "\n"
                                 + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) + "\n")
            except OSError:
                pass
        return refusal(request, 500, _("The server could not do this. Nothing saved before was lost; the "
                                       "details are in the server's error log."), _("Server problem"))

    return {HTTPException: http_error, Exception: internal_error}


def secure(app, security: Security, handlers: bool = True):
    """Wrap the Starlette *app*: add the login/activity/access routes, the middleware and (unless the app has its
    own, *handlers* false) the error pages."""
    from starlette.middleware.sessions import SessionMiddleware

    for route in reversed(routes()):
        app.router.routes.insert(0, route)
    if handlers:
        for kind, handler in error_handlers(security.log).items():
            app.add_exception_handler(kind, handler)
    # add_middleware puts each new one outside the ones before
    app.add_middleware(Guard, security=security)
    app.add_middleware(SessionMiddleware, secret_key=security.secret, session_cookie="doctools_session",
                       max_age=SESSION_SECONDS, same_site="strict", https_only=security.https)
    app.add_middleware(BodyLimit)
    app.add_middleware(Headers)
    app.state.security = security
    return app
