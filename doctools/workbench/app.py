"""The workbench's web application: :func:`create_app` makes one Starlette app over a workspace of packages.

Starlette (on uvicorn) because it is small, well kept and lets the issue-25 work add middleware (sessions, CSRF,
a Content-Security-Policy) around the same routes; Jinja2 renders the pages; htmx (served from ``static/``, as is
every script and style: offices have no internet) swaps the fragments.  Every route is a thin function that calls
:mod:`doctools.workbench.plans` and friends, which call the same library as the command line.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..i18n import _
from . import plans
from .forms import FRAME_FIELDS, PHASE_COLUMNS, TASK_COLUMNS, apply_form
from .compare import routes as compare_routes
from .conflicts import conflict_page, resolve
from .security import may_edit, record
from .store import History
from .versions import Conflict, StoreError
from .yamledit import PackageFiles, parse_path

HERE = Path(__file__).resolve().parent
log = logging.getLogger("doctools.workbench")


class BadInput(Exception):
    """Input from the page that cannot be used; its message (in the user's language) is shown as it is."""


@dataclass
class Preview:
    generation: int = 0
    pages: int = 0
    folder: Optional[Path] = None
    audit: list = field(default_factory=list)
    error: str = ""
    built: float = 0.0
    digest: str = ""
    redrawn: List[str] = field(default_factory=list)


class Workbench:
    """The state of one server: its workspace, the history store, the warm LibreOffice, previews, imports."""

    def __init__(self, workspace: Path, out_root: Optional[Path] = None, state: Optional[Path] = None,
                 preview: bool = True):
        self.workspace = Path(workspace).resolve()
        self.out_root = Path(out_root).resolve() if out_root else self.workspace.parent / "outputs"
        self.state = Path(state) if state else self.workspace / ".doctools"
        self.state.mkdir(parents=True, exist_ok=True)
        self.history = History(self.state / "history.sqlite", self.workspace)
        self.preview_on = preview
        self._converter = None
        self.locks: Dict[str, threading.Lock] = {}
        self.previews: Dict[str, Preview] = {}
        self.imports: Dict[str, dict] = {}
        self.checked: Dict[str, tuple] = {}
        self.guard = threading.Lock()

    def problems(self, folder: Path) -> tuple:
        """(check's result, the plan's title) for a package, made again only when one of its files changed."""
        stamps = repr(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()))
        cached = self.checked.get(folder.name)
        if cached and cached[0] == stamps:
            return cached[1], cached[2]
        result, title = plans.check_folder(folder), _title(folder)
        self.checked[folder.name] = (stamps, result, title)
        return result, title

    @property
    def converter(self):
        if self._converter is None:
            from .preview import Converter
            self._converter = Converter()
        return self._converter

    def close(self) -> None:
        if self._converter is not None:
            self._converter.stop()

    def folder(self, name: str) -> Path:
        if not plans.valid_name(name):
            raise HTTPException(404)
        folder = self.workspace / name
        if not folder.is_dir():
            raise HTTPException(404)
        return folder

    def lock(self, name: str, kind: str = "write") -> threading.Lock:
        """The lock for writing a package's files ("write") or for building it ("build"): one at a time each."""
        with self.guard:
            return self.locks.setdefault(f"{kind}:{name}", threading.Lock())

    def output_folder(self, name: str) -> Path:
        from ..commands.build import output_folder
        return output_folder(self.out_root, name)

    # -- build and preview --------------------------------------------------------------------------------------
    def build(self, name: str) -> Preview:
        """Build the package as ``doctools build`` does, then make its pages; once per change of its files."""
        from ..commands.build import build, input_digest
        from ..errors import Diagnostics, DoctoolsError, InputError

        folder = self.folder(name)
        with self.lock(name, "build"):
            preview = self.previews.setdefault(name, Preview())
            stamps = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file())
            digest = input_digest(folder, None, False) + repr(stamps)
            if preview.digest == digest and (preview.pages or preview.error):
                return preview
            preview.error, preview.audit = "", []
            charts_before = self.chart_hashes(name)
            try:
                report = build([folder], self.out_root, diags=Diagnostics())
            except InputError as exc:
                errors = [d for d in exc.diagnostics if d.severity == "error"]
                preview.error = _("the plan has {count} errors; the preview shows the last version that built").format(
                    count=len(errors))
                preview.digest = digest
                return preview
            except DoctoolsError as exc:          # an output folder that cannot be written, a tool missing
                preview.error = exc.message
                preview.digest = digest
                return preview
            after = self.chart_hashes(name)
            preview.redrawn = sorted(stem for stem, digest in after.items() if charts_before.get(stem) != digest)
            preview.built = time.time()
            preview.digest = digest
            if self.preview_on:
                titles = [o.package.document.title for o in report.outputs]
                self.make_pages(name, preview, titles[0] if titles else None)
            return preview

    def chart_hashes(self, name: str) -> Dict[str, str]:
        """chart -> the hash of what it was drawn from, as the last build's manifest records it."""
        from ..commands.build import read_manifest
        charts = read_manifest(self.output_folder(name)).get("charts", {})
        return {k: str(v.get("hash")) for k, v in charts.items() if isinstance(v, dict)} if isinstance(charts, dict) else {}

    def make_pages(self, name: str, preview: Preview, title: Optional[str] = None) -> None:
        from ..commands.build import load_package
        from .preview import page_count

        try:
            title = title if title is not None else load_package(self.folder(name)).document.title
            docx = plans.plan_docx(self.output_folder(name), title)
            if docx is None:
                return
            data = docx.read_bytes()
            pdf, pages = self.converter.convert_counted(data)
        except Exception as exc:  # noqa: BLE001 - a preview that fails is said, the edit is kept
            log.exception("preview failed")
            preview.error = _("the preview could not be made: {error}").format(error=exc)
            return
        preview.generation += 1
        folder = self.state / "preview" / name / str(preview.generation)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.pdf").write_bytes(pdf)
        (folder / "plan.docx").write_bytes(data)
        preview.folder = folder
        preview.pages = pages or page_count(folder / "plan.pdf")
        if preview.pages:       # the page in view first, while the fragment goes out and the browser asks for it
            from .preview import render_page
            threading.Thread(target=render_page, args=(folder / "plan.pdf", 1), daemon=True,
                             name=f"page-{name}").start()
        preview.audit = []
        old = self.state / "preview" / name / str(preview.generation - 2)
        if old.is_dir():
            import shutil
            shutil.rmtree(old, ignore_errors=True)

    def audit(self, name: str, generation: int) -> list:
        """The GB/T 9704 audit (doctools audit's clauses) of the previewed pages; made after the pages are shown,
        as reading the PDF's layout takes longer than the pages themselves."""
        from ..audit.clauses import audit_pages
        from ..audit.measure import read_pdf
        from ..audit.styles import read_docx

        preview = self.previews.get(name)
        if preview is None or preview.generation != generation or preview.folder is None:
            return []
        with self.lock(name, "audit"):
            if not preview.audit:
                try:
                    preview.audit = audit_pages(read_docx((preview.folder / "plan.docx").read_bytes()),
                                                read_pdf((preview.folder / "plan.pdf").read_bytes()))
                except Exception:  # noqa: BLE001 - the audit is extra; the pages stand without it
                    log.exception("audit failed")
            return preview.audit


from .views import environment, message, page  # noqa: E402


# ---- pages ---------------------------------------------------------------------------------------------------
async def plan_list(request: Request):
    wb: Workbench = request.app.state.wb
    rows = []
    for folder in plans.packages(wb.workspace):
        if not may_edit(request, folder.name):        # a plan limited to other accounts is not listed
            continue
        result, title = wb.problems(folder)
        manifest = wb.output_folder(folder.name) / ".doctools-manifest.json"
        rows.append({"name": folder.name, "errors": len(result.errors), "warnings": len(result.warnings),
                     "edited": plans.last_edited(folder), "built": manifest.stat().st_mtime if manifest.exists() else 0,
                     "title": title})
    return page(request, "list.html", plans=rows)


def _title(folder: Path) -> str:
    files = PackageFiles.read(folder)
    try:
        title = files.get(("document", "title"), "")
    except Exception:  # noqa: BLE001
        title = ""
    return " ".join(str(title or "").split()) or folder.name


async def new_plan(request: Request):
    from datetime import date

    from ..model.deadline import DeadlineError, parse_date
    from ..commands.new import DOC_TYPES, SUBJECT, Answers, copy_structure, write_new

    wb: Workbench = request.app.state.wb
    form = await request.form()
    name = str(form.get("name", "")).strip()
    office = str(form.get("office", "")).strip()
    source = str(form.get("source", "")).strip()
    refused = plans.refusal(wb.workspace, name)
    if refused:
        return message(request, refused)
    folder = wb.workspace / name
    if not office:
        return message(request, _("name the issuing office (发文机关)"))
    try:
        day = parse_date(str(form.get("date", "")).strip()) if str(form.get("date", "")).strip() else date.today()
    except DeadlineError as exc:
        return message(request, _("the date: {error}").format(error=exc))
    answers = Answers(office=office, doc_type=str(form.get("doc_type") or DOC_TYPES[0]), day=day,
                      subject=str(form.get("subject", "")).strip() or SUBJECT)
    if source:
        copy_structure(wb.folder(source), folder, answers)
    else:
        write_new(folder, answers)
    wb.history.save_version(name, {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")},
                            note="new")
    return RedirectResponse(f"/p/{name}", status_code=303)


async def edit(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    tab = request.query_params.get("tab", "frame")
    draft = wb.history.latest(name)
    # the page shows exactly the version it names as its base (read after it, the files could be newer or older)
    files = PackageFiles(draft.files) if draft is not None else PackageFiles.read(folder)
    showing_draft = draft is not None and draft.draft
    if showing_draft:
        files = PackageFiles(draft.files)
        result = plans.check_texts(folder, _as_changed(folder, draft.files))
    else:
        result = plans.check_folder(folder, files)
    saved = wb.history.latest(name, draft=False)
    units = _unit_names(files)
    context = dict(name=name, tab=tab, files=files, result=result, frame_fields=FRAME_FIELDS, units=units,
                   task_columns=TASK_COLUMNS, phase_columns=PHASE_COLUMNS,
                   showing_draft=showing_draft, version=(draft.number if draft else 0),
                   saved_version=(saved.number if saved else 0), title=_title(folder))
    if tab == "history":
        context["versions"] = wb.history.list(name)
    if tab == "downloads":
        out = wb.output_folder(name)
        context["outputs"] = [(p.relative_to(out).as_posix(), p.stat().st_size) for p in plans.outputs(out)]
        context["preview"] = wb.previews.get(name)
    if tab == "catalog":
        if request.query_params.get("built"):
            import anyio
            await anyio.to_thread.run_sync(wb.build, name)
        out = wb.output_folder(name)
        context["charts"] = sorted(p.stem for p in (out / "流程图").glob("*.png")) if (out / "流程图").is_dir() else []
        preview = wb.previews.get(name)
        context["redrawn"] = preview.redrawn if preview else []
        context["catalog_rows"] = _catalog_rows(folder)
    return page(request, "edit.html", **context)


def _as_changed(folder: Path, texts: Dict[str, str]) -> PackageFiles:
    files = PackageFiles.read(folder)
    for fname, text in texts.items():
        from .yamledit import YamlFile
        files.files[fname] = YamlFile(fname, text)
    return files


def _unit_names(files: PackageFiles) -> List[str]:
    names = []
    for unit in files.get(("units",), []) or []:
        if isinstance(unit, str):
            names.append(unit)
        elif isinstance(unit, dict) and unit.get("name"):
            names.append(str(unit["name"]))
            names += [str(a) for a in unit.get("aliases", []) or []]
        elif isinstance(unit, dict):
            for group in unit.values():
                if isinstance(group, list):
                    names += [str(u) if not isinstance(u, dict) else str(u.get("name", "")) for u in group]
    return [n for n in names if n]


def _catalog_rows(folder: Path) -> List[dict]:
    """The catalog's rows as the reader made them (from catalog.yaml's items or the uploaded workbook)."""
    from ..commands.build import load_package
    from ..errors import DoctoolsError

    try:
        catalog = load_package(folder).catalog
    except DoctoolsError:
        return []
    return [{"level1": i.level1, "level2": i.level2 or "", "content": i.content, "subjects": "、".join(i.subjects)}
            for i in (catalog.items if catalog else [])]


async def check(request: Request):
    """The problems of the page's unsaved form, as check finds them (debounced as the clerk types)."""
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    files = await _form_files(request, folder)
    import anyio
    result = await anyio.to_thread.run_sync(plans.check_texts, folder, files)
    return page(request, "problems.html", result=result, name=name)


async def _form_files(request: Request, folder: Path) -> PackageFiles:
    form = await request.form()
    wb: Workbench = request.app.state.wb
    base = form.get("_base_draft")
    files = PackageFiles.read(folder)
    number = str(form.get("_version", ""))
    shown = wb.history.get(folder.name, int(number)) if number.isdigit() else None
    if shown is not None and not shown.draft:
        files = PackageFiles(shown.files)      # the form's edits are made on the version the page showed
    if base:
        version = wb.history.get(folder.name, int(base)) if str(base).isdigit() else None
        if version is not None and version.draft:
            files = _as_changed(folder, version.files)
            files.original = {p.name: p.read_bytes().decode("utf-8", "replace") for p in folder.glob("*.yaml")}
    broken = files.unreadable()
    if broken:
        raise BadInput(_("{file} cannot be read as YAML, so the page cannot edit it; the problems list says where. "
                         "Fix it in the file, then reload this page").format(file=broken[0]))
    try:
        apply_form(files, form.multi_items())
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    return files


async def save(request: Request):
    import anyio

    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    form = await request.form()
    files = await _form_files(request, folder)
    base = str(form.get("_version", "")) or None
    base_version = int(base) if base and base.isdigit() else None
    author = _author(request)

    def keep():
        with wb.lock(name):
            result = plans.check_texts(folder, files)
            changed = files.changed()
            if result.errors:
                number = wb.history.save_version(name, files.texts(), author=author, base_version=base_version,
                                                 draft=True)
                return result, changed, True, number
            # a save names its base: merged onto what changed meanwhile, or a conflict; written ahead (store.py)
            return result, changed, False, wb.history.commit(name, base_version, files.texts(), author=author)

    try:
        result, changed, draft, outcome = await anyio.to_thread.run_sync(keep)
    except StoreError as exc:
        return message(request, _("The plan was not saved: {reason}. Nothing was lost: the plan is as it was "
                                  "after the last save. Keep this page open and save again when the server's "
                                  "administrator has fixed it.").format(reason=exc))
    if isinstance(outcome, Conflict):
        return conflict_page(request, name, outcome)
    number = outcome if draft else outcome.version.number
    if not draft:
        record(request, "merge" if outcome.merged else "save", name, _("version {number}").format(number=number))
    response = page(request, "saved.html", result=result, name=name, draft=draft, number=number, changed=changed)
    response.headers["HX-Trigger"] = json.dumps({"checked" if draft else "saved": {"version": number}})
    if not draft and outcome.merged:
        # merged with what others saved meanwhile: the page shows it again, so its fields are that version's
        response.headers["HX-Refresh"] = "true"
    return response


def _author(request: Request) -> str:
    account = getattr(request.state, "account", None)
    return account.name if account is not None else ""


async def move(request: Request):
    """Move a section of the outline (or a task, phase, unit) up or down: a structural edit, checked and kept."""
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    form = await request.form()
    path = parse_path(str(form.get("path", "")))
    step = -1 if form.get("dir") == "up" else 1
    if not path or not isinstance(path[-1], int):
        return message(request, _("nothing to move"))
    files = PackageFiles.read(folder)
    with wb.lock(name):
        files.move(path, path[-1] + step)
        changed = files.changed()
        result = plans.check_texts(folder, files)
        draft = bool(result.errors)
        if not draft and changed:
            plans.write_files(folder, changed)
        wb.history.save_version(name, files.texts(), author=_author(request), draft=draft, note="move")
    return RedirectResponse(f"/p/{name}?tab={form.get('tab', 'body')}", status_code=303)


async def preview_fragment(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    import anyio
    builds = getattr(wb, "builds", None)      # a shared server coalesces builds (see .builds)
    if builds is None:
        state = await anyio.to_thread.run_sync(wb.build, name)
    else:
        ticket = builds.request(name)
        state = await anyio.to_thread.run_sync(builds.wait, name, ticket, 300) or wb.previews.get(name) or Preview()
    return page(request, "preview.html", name=name, preview=state)


async def audit_fragment(request: Request):
    import anyio

    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    checks = await anyio.to_thread.run_sync(wb.audit, name, request.path_params["gen"])
    return page(request, "audit.html", name=name, checks=checks)


async def page_image(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    generation, number = request.path_params["gen"], request.path_params["n"]
    folder = wb.state / "preview" / name / str(generation)
    pdf = folder / "plan.pdf"
    if not pdf.is_file():
        raise HTTPException(404)
    from .preview import render_page
    import anyio
    png = await anyio.to_thread.run_sync(render_page, pdf, number)
    if png is None:
        raise HTTPException(404)
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


async def preview_pdf(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    pdf = wb.state / "preview" / name / str(request.path_params["gen"]) / "plan.pdf"
    if not pdf.is_file():
        raise HTTPException(404)
    return FileResponse(pdf, media_type="application/pdf")


async def download(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    out = wb.output_folder(name).resolve()
    target = (out / request.path_params["file"]).resolve()
    if out not in target.parents or not target.is_file():
        raise HTTPException(404)
    return FileResponse(target, filename=target.name)


async def download_all(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    wb.folder(name)
    out = wb.output_folder(name)
    from ..writers.ziparchive import write_zip
    data = write_zip((path.relative_to(out).as_posix(), path.read_bytes()) for path in plans.outputs(out))
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}.zip"})


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text)


async def deadline(request: Request):
    from ..model.deadline import DeadlineError, parse_date

    text = request.query_params.get("text", "")
    day = None
    name = request.query_params.get("name", "")
    if plans.valid_name(name) and (request.app.state.wb.workspace / name).is_dir():
        raw = PackageFiles.read(request.app.state.wb.workspace / name).get(("document", "date"), "")
        try:
            day = parse_date(str(raw)) if raw else None
        except DeadlineError:
            day = None
    reading, error = plans.deadline_reading(text, day)
    return JSONResponse({"reading": reading, "error": error})


async def restore(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    with wb.lock(name):
        number = wb.history.restore(name, int(request.path_params["number"]), folder, author=_author(request))
    if number is None:
        return message(request, _("there is no such version"), 404)
    return RedirectResponse(f"/p/{name}?tab=history", status_code=303)


async def drop_draft(request: Request):
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    folder = wb.folder(name)
    wb.history.save_version(name, {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")},
                            author=_author(request), note="draft dropped")
    return RedirectResponse(f"/p/{name}", status_code=303)


# ---- errors --------------------------------------------------------------------------------------------------
async def http_error(request: Request, exc: HTTPException):
    text = {404: _("this page does not exist"), 405: _("this action is not allowed here")}.get(
        exc.status_code, _("the request cannot be handled"))
    return message(request, text, exc.status_code)


async def bad_input(request: Request, exc: BadInput):
    return message(request, str(exc), 400)


async def internal_error(request: Request, exc: Exception):
    from ..errorlog import write_error_log

    where = write_error_log("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    log.error("internal error, report in %s", where)
    return message(request, _("doctools could not do this: {error}. Nothing you typed was lost; the full report is "
                              "in {log}").format(error=type(exc).__name__, log=where), 500)


def create_app(workspace: Path, out_root: Optional[Path] = None, lang: Optional[str] = None, preview: bool = True,
               state: Optional[Path] = None, routes: Optional[list] = None, middleware: Optional[list] = None) -> Starlette:
    """The workbench over *workspace* (a folder of package folders).  *routes* and *middleware* are added to the
    app's own, so accounts and sessions can wrap the same pages."""
    from .imports import import_review, import_save, import_upload
    from .catalog import catalog_upload, chart_image
    from .copyyear import copy_year

    if lang:
        os.environ["LANGUAGE"] = lang
    wb = Workbench(Path(workspace), out_root, state, preview)
    own = [
        Route("/", plan_list),
        Route("/new", new_plan, methods=["POST"]),
        Route("/copy", copy_year, methods=["POST"]),
        Route("/import", import_upload, methods=["POST"]),
        Route("/import/{token}", import_review, methods=["GET"]),
        Route("/import/{token}", import_save, methods=["POST"]),
        Route("/api/deadline", deadline),
        Route("/p/{name}", edit),
        Route("/p/{name}/check", check, methods=["POST"]),
        Route("/p/{name}/save", save, methods=["POST"]),
        Route("/p/{name}/resolve", resolve, methods=["POST"]),
        *compare_routes(),
        Route("/p/{name}/move", move, methods=["POST"]),
        Route("/p/{name}/preview", preview_fragment),
        Route("/p/{name}/page/{gen:int}/{n:int}.png", page_image),
        Route("/p/{name}/page/{gen:int}/plan.pdf", preview_pdf),
        Route("/p/{name}/audit/{gen:int}", audit_fragment),
        Route("/p/{name}/files/{file:path}", download),
        Route("/p/{name}/all.zip", download_all),
        Route("/p/{name}/catalog", catalog_upload, methods=["POST"]),
        Route("/p/{name}/chart/{stem}.png", chart_image),
        Route("/p/{name}/restore/{number:int}", restore, methods=["POST"]),
        Route("/p/{name}/drop-draft", drop_draft, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        wb.close()

    handlers: Dict[Any, Any] = {HTTPException: http_error, BadInput: bad_input, Exception: internal_error}
    app = Starlette(routes=list(routes or []) + own, middleware=middleware, lifespan=lifespan,
                    exception_handlers=handlers)
    app.state.wb = wb
    app.state.env = environment()
    return app
