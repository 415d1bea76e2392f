"""Looking back: one version of a plan as it was saved, and two versions compared field by field.

``/p/<plan>/version/<n>`` shows the YAML files of version *n*; ``/p/<plan>/compare/<a>/<b>`` lists every field
that differs between versions *a* and *b* (named as the page names it, see :func:`.conflicts.default_label`), with
both values.  The versions tab links each version to both, and to 恢复 (restore).
"""
from __future__ import annotations

import html

from ruamel.yaml.error import YAMLError

from ..i18n import _
from .conflicts import default_label, shown
from .versions import Field, changes, load


def _version_or_refusal(request, number: int):
    from .security import refusal

    version = request.app.state.wb.history.get(request.path_params["name"], number)
    if version is None:
        return None, refusal(request, 404, _("there is no such version"))
    return version, None


def differences(old_files, new_files) -> list:
    """The fields that differ: [Field(file, place, base=old value, mine=new value)]."""
    out = []
    for name in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(name, ""), new_files.get(name, "")
        if before == after:
            continue
        try:
            found = changes(load(before), load(after))
        except (YAMLError, UnicodeDecodeError, ValueError):   # a file that is not YAML: compared as one text
            out.append(Field(name, (), before, None, after))
            continue
        a, b = load(before), load(after)
        for path in found:
            out.append(Field(name, path, _value(a, path), None, _value(b, path)))
    return out


def _value(data, path):
    from .versions import _get, _plain_or_none

    return _plain_or_none(_get(data, path))


async def view(request):
    from .security import page

    name = request.path_params["name"]
    request.app.state.wb.folder(name)
    version, refused = _version_or_refusal(request, request.path_params["number"])
    if refused:
        return refused
    files = "".join(f"<h2>{html.escape(fname)}</h2><pre class=\"yaml\">{html.escape(text)}</pre>"
                    for fname, text in sorted(version.files.items()))
    back = html.escape(_("Back to the versions"))
    title = _("{plan}, version {number} ({when}, {who})").format(plan=name, number=version.number,
                                                                when=version.when, who=version.author or "—")
    return page(title, f"<p><a href=\"/p/{html.escape(name)}?tab=history\">{back}</a></p>{files}", request=request)


async def compare(request):
    from .security import page

    name = request.path_params["name"]
    request.app.state.wb.folder(name)
    old, refused = _version_or_refusal(request, request.path_params["a"])
    if refused:
        return refused
    new, refused = _version_or_refusal(request, request.path_params["b"])
    if refused:
        return refused
    rows = "".join(
        f"<tr data-field=\"{html.escape(f.key)}\"><td>{html.escape(default_label(f))}</td>"
        f"<td class=\"old\">{html.escape(shown(f.base))}</td><td class=\"new\">{html.escape(shown(f.theirs))}</td></tr>"
        for f in differences(old.files, new.files))
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (
        _("Field"), _("Version {number}").format(number=old.number), _("Version {number}").format(number=new.number)))
    same = html.escape(_("The two versions are the same."))
    body = (f"<table class=\"compare\"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>" if rows
            else f"<p>{same}</p>")
    back = html.escape(_("Back to the versions"))
    title = _("{plan}: version {a} and version {b}").format(plan=name, a=old.number, b=new.number)
    return page(title, f"<p><a href=\"/p/{html.escape(name)}?tab=history\">{back}</a></p>{body}", request=request)


def routes() -> list:
    from starlette.routing import Route

    return [Route("/p/{name}/version/{number:int}", view), Route("/p/{name}/compare/{a:int}/{b:int}", compare)]
