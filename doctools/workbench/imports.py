"""导入核对 (import review): a Word plan read by ``doctools import``'s code, shown beside its source paragraphs.

The adapter is thin on purpose: :func:`review` turns the importer's :class:`~doctools.readers.docx.Draft` and
its summary notes into what the page shows; the recognising itself is :func:`doctools.readers.docx.recognise`
and :func:`doctools.importing.settle`, as on the command line.  The clerk corrects the frame (title, office, date,
notice, recipients) here; the package is written as ``doctools import`` writes it (``package_bytes`` into
:func:`doctools.safeio.atomic.create_folder`).
"""
from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..i18n import N_, _
from . import plans

MAX_UPLOAD = 20 * 1024 * 1024
#: the frame fields the clerk may correct before saving: (key in draft.document, label)
REVIEW_FIELDS = [
    ("title", N_("Title")),
    ("office", N_("Issuing office (发文机关)")),
    ("date", N_("Date (成文日期)")),
]
NOTICE_FIELDS = [("title", N_("Notice title (印发通知)")), ("recipients", N_("Recipients (主送)"))]


def read_upload(path: Path, name: str) -> dict:
    """Import the .docx at *path* as ``doctools import`` does; the review's data."""
    from ..commands.import_docx import settle
    from ..readers.docx import recognise, summary
    from ..readers.docx_source import SourcePara, read_source

    draft = recognise(path, name)
    warnings = settle(draft)
    recognised, guessed, kept = summary(draft)
    marks: Dict[int, List[tuple]] = {}
    for note in draft.notes:
        for number in note.numbers:
            marks.setdefault(number, []).append((note.what, note.plain, note.guessed))
    paragraphs = []
    for item in read_source(path):
        text = item.text if isinstance(item, SourcePara) else "\n".join(" | ".join(r) for r in item.rows[:6])
        notes = marks.get(item.number, [])
        paragraphs.append({"number": item.number, "text": text, "table": not isinstance(item, SourcePara),
                           "notes": [w for w, _p, _g in notes], "plain": any(p for _w, p, _g in notes),
                           "doubt": any(g for _w, _p, g in notes),
                           "guessed": not notes})
    return {"draft": draft, "recognised": recognised, "guessed": guessed, "kept": kept, "paragraphs": paragraphs,
            "warnings": warnings, "name": name, "made": time.time()}


def section_titles(sections: List[dict], depth: int = 0) -> List[tuple]:
    out = []
    for s in sections or []:
        if isinstance(s, dict):
            title = s.get("title") or (f"→ {s['task']}" if s.get("task") else "")
            out.append((depth, str(title)))
            out += section_titles(s.get("sections", []), depth + 1)
    return out


async def import_upload(request: Request):
    from .views import message
    from ..errors import DoctoolsError

    wb = request.app.state.wb
    form = await request.form()
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        return message(request, _("choose a Word file (.docx) to import"))
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return message(request, _("the file is larger than {size} MB; import takes plans up to that size").format(
            size=MAX_UPLOAD // (1024 * 1024)))
    filename = Path(upload.filename).name
    from .uploads import BadUpload, check_docx

    try:
        check_docx(filename, data)          # the command line's limits on an untrusted .docx, on the bytes
    except BadUpload as exc:
        return message(request, str(exc))
    with tempfile.TemporaryDirectory(prefix="doctools-upload-") as tmp:
        path = Path(tmp) / "upload.docx"
        path.write_bytes(data)
        try:
            review = read_upload(path, filename)
        except DoctoolsError as exc:             # not a .docx, damaged, too large inside: one sentence says why
            return message(request, exc.message.replace(str(path), filename))
    stem = Path(filename).stem
    review["folder"] = stem if plans.valid_name(stem) else "imported"
    token = secrets.token_urlsafe(12)
    with wb.guard:
        for old in [t for t, r in wb.imports.items() if time.time() - r["made"] > 3600]:
            del wb.imports[old]
        wb.imports[token] = review
    return RedirectResponse(f"/import/{token}", status_code=303)


async def import_review(request: Request):
    from .views import message, page

    wb = request.app.state.wb
    review = wb.imports.get(request.path_params["token"])
    if review is None:
        return message(request, _("this import is no longer here; upload the file again"), 404)
    draft = review["draft"]
    return page(request, "import.html", review=review, token=request.path_params["token"], draft=draft,
                fields=REVIEW_FIELDS, notice_fields=NOTICE_FIELDS, sections=section_titles(draft.body))


async def import_save(request: Request):
    from .views import message
    from ..safeio.atomic import create_folder
    from ..writers.yaml_package import package_bytes

    wb = request.app.state.wb
    token = request.path_params["token"]
    review = wb.imports.get(token)
    if review is None:
        return message(request, _("this import is no longer here; upload the file again"), 404)
    form = await request.form()
    draft = review["draft"]
    name = str(form.get("folder", "")).strip()
    refused = plans.refusal(wb.workspace, name)
    if refused:
        return message(request, refused)
    folder = wb.workspace / name
    from .forms import normalise
    for key, _label in REVIEW_FIELDS:
        value = normalise(form.get(f"document.{key}", ""))
        if value:
            draft.document[key] = value
    notice = draft.document.get("notice")
    if isinstance(notice, dict):
        for key, _label in NOTICE_FIELDS:
            value = normalise(form.get(f"notice.{key}", ""))
            if value:
                notice[key] = value
    create_folder(folder, package_bytes(draft))          # as doctools import writes it: all files or none
    wb.history.save_version(name, {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")},
                            note="import")
    with wb.guard:
        wb.imports.pop(token, None)
    return RedirectResponse(f"/p/{name}", status_code=303)
