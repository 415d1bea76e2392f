"""Rendering the workbench's pages: one Jinja2 environment whose ``_()`` is doctools' gettext (the Chinese
catalogue), and the message page every refused input gets."""
from __future__ import annotations

import time

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import i18n
from ..i18n import _, ngettext
from .forms import field_value
from .paths import HERE
from .security import csrf_token


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: _(s), ngettext=lambda s, p, n: ngettext(s, p, n), newstyle=True)
    env.globals["field_value"] = field_value
    env.globals["csrf_token"] = csrf_token
    env.filters["fmt_time"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else "—"
    return env


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    env = request.app.state.env
    context.setdefault("lang", i18n.language())
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def message(request: Request, text: str, status: int = 400) -> HTMLResponse:
    if request.headers.get("HX-Request"):
        return HTMLResponse(f'<div class="alert error" role="alert">{_escape(text)}</div>', status_code=200)
    return page(request, "message.html", status=status, text=text)


def _escape(text: str) -> str:
    from markupsafe import escape
    return str(escape(text))


