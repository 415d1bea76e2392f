"""沿用去年方案: copy a plan with every date moved to a new year, by :func:`doctools.yearshift.copy_to_year`
(the code of ``doctools new --from PKG --year YYYY``), and list each date changed and each still earlier."""
from __future__ import annotations

from starlette.requests import Request

from ..i18n import _
from . import plans


async def copy_year(request: Request):
    from .views import message, page
    from ..commands.yearshift import copy_to_year

    wb = request.app.state.wb
    form = await request.form()
    source = wb.folder(str(form.get("source", "")))
    name = str(form.get("name", "")).strip()
    year = str(form.get("year", "")).strip()
    refused = plans.refusal(wb.workspace, name)
    if refused:
        return message(request, refused)
    folder = wb.workspace / name
    if not year.isdigit() or not 1900 <= int(year) <= 2199:
        return message(request, _("the year '{year}' is not a year such as 2025").format(year=year))
    folder = wb.workspace / name
    result = copy_to_year(source, folder, int(year))
    wb.history.save_version(name, {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")},
                            note=f"copy of {source.name} for {year}")
    return page(request, "copied.html", name=name, source=source.name, result=result)
