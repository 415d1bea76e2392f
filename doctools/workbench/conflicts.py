"""The page a clerk sees when a save met changes made meanwhile to the same fields.

Both values of every clashing field stand side by side: what the clerk typed (我的修改) and what is in the plan now
(期间的修改, with who made it).  The clerk picks one per field; the choice, with every field that did not clash, is
saved as a new version on top of the newest.  While the clerk chooses, the conflict waits in the server's memory
under a random token (at most :data:`KEEP` of them, each for an hour); if the plan moves on again before the
choice is sent, the choice meets the newer version the same way.
"""
from __future__ import annotations

import html
import json
import secrets
import threading
import time
from typing import Callable, Dict, Optional, Tuple

from ..i18n import _
from .versions import Conflict, Field

KEEP = 500
SECONDS = 3600


class Pending:
    """Conflicts waiting for a clerk's choice."""

    def __init__(self):
        self.items: Dict[str, Tuple[float, str, Conflict]] = {}
        self.lock = threading.Lock()

    def put(self, account: str, conflict: Conflict) -> str:
        token = secrets.token_urlsafe(16)
        now = time.time()
        with self.lock:
            for old in [t for t, (at, _, _) in self.items.items() if now - at > SECONDS]:
                del self.items[old]
            while len(self.items) >= KEEP:
                self.items.pop(next(iter(self.items)))
            self.items[token] = (now, account, conflict)
        return token

    def take(self, token: str, account: str) -> Optional[Conflict]:
        """The conflict of *token* when it is *account*'s (it stays until the choice is saved)."""
        with self.lock:
            item = self.items.get(token)
        if item is None or item[1] != account or time.time() - item[0] > SECONDS:
            return None
        return item[2]

    def done(self, token: str) -> None:
        with self.lock:
            self.items.pop(token, None)


def shown(value) -> str:
    if value is None:
        return _("(empty)")
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "、".join(str(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def default_label(f: Field) -> str:
    """The field as the page names it: 基本信息's label, or 任务 3 › 完成时限; else its place in the file."""
    from .forms import FRAME_FIELDS, PHASE_COLUMNS, TASK_COLUMNS

    path = f.path
    dotted = ".".join(str(p) for p in path)
    for name, label, *_rest in FRAME_FIELDS:
        if name == dotted:
            return _(label)
    groups = {"tasks": (_("Task {n}"), TASK_COLUMNS), "schedule": (_("Phase {n}"), PHASE_COLUMNS)}
    if len(path) == 3 and path[0] in groups and isinstance(path[1], int):
        item, columns = groups[path[0]]
        for name, label, *_rest in columns:
            if name == path[2]:
                return item.format(n=path[1] + 1) + " › " + _(label)
    parts = [_("item {n}").format(n=step + 1) if isinstance(step, int) else str(step) for step in path]
    return " › ".join([f.file] + parts)


def conflict_table(conflict: Conflict, token: str, action: str, csrf: str, who: str,
                   label: Callable[[Field], str] = default_label) -> str:
    """The side-by-side form: one row per field, a choice per row (the clerk's own value chosen first)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (_("Field"), _("What you typed"),
                                                          _("What changed meanwhile")))
    rows = []
    for i, f in enumerate(conflict.fields):
        rows.append(
            f"<tr data-field=\"{html.escape(f.key)}\"><td>{html.escape(label(f))}</td>"
            f"<td class=\"mine\"><label><input type=\"radio\" name=\"choice-{i}\" value=\"mine\" checked> "
            f"<span class=\"value\">{html.escape(shown(f.mine))}</span></label></td>"
            f"<td class=\"theirs\"><label><input type=\"radio\" name=\"choice-{i}\" value=\"theirs\"> "
            f"<span class=\"value\">{html.escape(shown(f.theirs))}</span></label></td></tr>")
    intro = _("Someone else ({who}) saved this plan after you opened it, and changed the same fields. Your other "
              "changes are kept. Choose for each field which value to keep; the result is saved as a new "
              "version, and both earlier versions stay in the history.").format(who=who)
    save = _("Save my choice")      # outside the f-string: Python 3.11's tokenizer hides calls inside one from extraction
    return (f"<p class=\"problem\" role=\"alert\">{html.escape(intro)}</p>"
            f"<form method=\"post\" action=\"{html.escape(action)}\" class=\"conflict\">"
            f"<input type=\"hidden\" name=\"csrf_token\" value=\"{html.escape(csrf)}\">"
            f"<input type=\"hidden\" name=\"token\" value=\"{html.escape(token)}\">"
            f"<table class=\"conflict\"><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<button type=\"submit\">{html.escape(save)}</button></form>")


def chosen(conflict: Conflict, form) -> list:
    """The (file, place, value) to set on the newest files: every field where the clerk kept their own value."""
    out = []
    for i, f in enumerate(conflict.fields):
        if form.get(f"choice-{i}", "mine") == "mine":
            out.append((f.file, f.path, f.mine))
    return out


# ---- the routes ------------------------------------------------------------------------------------------------
def _pending(request) -> Pending:
    state = request.app.state
    if not hasattr(state, "pending_conflicts"):
        state.pending_conflicts = Pending()
    return state.pending_conflicts


def _account_name(request) -> str:
    account = getattr(request.state, "account", None)
    return account.name if account is not None else ""


def conflict_page(request, name: str, conflict: Conflict):
    """The side-by-side choice for *conflict* (a fragment where htmx asked, else a page); status 409."""
    from starlette.responses import HTMLResponse

    from .security import csrf_token, page

    token = _pending(request).put(_account_name(request), conflict)
    who = conflict.author or _("someone")
    body = conflict_table(conflict, token, f"/p/{name}/resolve", csrf_token(request) if "session" in request.scope
                          else "", who)
    if request.headers.get("hx-request"):
        response = HTMLResponse(f"<div class=\"alert error conflict\" role=\"alert\">{body}</div>", status_code=200)
        response.headers["HX-Trigger"] = json.dumps({"conflict": {"current": conflict.current}})
        return response
    return page(_("Changed meanwhile"), body, 409, request)


async def resolve(request):
    """The clerk's choices after a conflict, saved as a new version on top of the newest."""
    from starlette.responses import RedirectResponse

    from .security import record, refusal
    from .versions import StoreError, apply_fields

    wb = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    form = await request.form()
    token = str(form.get("token", ""))
    conflict = _pending(request).take(token, _account_name(request))
    if conflict is None or conflict.package != name:
        return refusal(request, 410, _("This choice has expired; open the plan again. Your saved versions are in "
                                       "its history."))
    files = apply_fields(conflict.merged, chosen(conflict, form))
    try:
        outcome = wb.history.commit(name, conflict.current, files, author=_account_name(request), note="merge")
    except StoreError as exc:
        return refusal(request, 503, _("The plan was not saved: {reason}. Nothing was lost: the plan is as it was "
                                       "after the last save. Keep this page open and save again when the "
                                       "server's administrator has fixed it.").format(reason=exc))
    if isinstance(outcome, Conflict):          # it moved on again while the clerk chose
        _pending(request).done(token)
        return conflict_page(request, name, outcome)
    _pending(request).done(token)
    record(request, "merge", name, _("version {number}").format(number=outcome.version.number))
    return RedirectResponse(f"/p/{name}", status_code=303)
