"""目录与流程图: upload the catalog workbook (政务公开事项标准目录), see its rows and charts, and which were redrawn.

The workbook is read by the package's own ``catalog.source`` (:func:`doctools.readers.catalog.read_catalog_workbook`),
and the charts are drawn by the build, which redraws only the charts whose rows changed and names them.
"""
from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse

from ..i18n import _
from . import plans
from .yamledit import PackageFiles

MAX_UPLOAD = 20 * 1024 * 1024
DEFAULT_NAME = "目录.xlsx"


async def catalog_upload(request: Request):
    from .views import message

    wb = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    form = await request.form()
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        return message(request, _("choose the catalog workbook (.xlsx) to upload"))
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD or data[:2] != b"PK":
        return message(request, _("{file} is not an Excel workbook (.xlsx) of at most {size} MB").format(
            file=Path(upload.filename).name, size=MAX_UPLOAD // (1024 * 1024)))
    from .uploads import BadUpload, check_workbook

    try:
        check_workbook(upload.filename, data)      # the command line's checks, before it lands in the package
    except BadUpload as exc:
        return message(request, str(exc))
    files = PackageFiles.read(folder)
    source = files.get(("catalog", "source"), None)
    target = str(source) if isinstance(source, str) and Path(source).name == source else DEFAULT_NAME
    with wb.lock(name):
        from ..safeio.atomic import commit_files
        commit_files([(folder / target, data)])
        if source != target:
            files.set(("catalog", "source"), target)
            if files.get(("catalog", "items"), None) is not None:
                files.set(("catalog", "items"), None)
            if files.get(("catalog", "title"), None) is None:
                files.set(("catalog", "title"), "政务公开事项标准目录")
            plans.write_files(folder, files.changed())
        wb.history.save_version(name, files.texts(), note="catalog")
    return RedirectResponse(f"/p/{name}?tab=catalog&built=1", status_code=303)


async def chart_image(request: Request):
    wb = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    charts = (wb.output_folder(name) / "流程图").resolve()
    target = (charts / f"{request.path_params['stem']}.png").resolve()
    if target.parent != charts or not target.is_file():
        raise HTTPException(404)
    return FileResponse(target, media_type="image/png")
