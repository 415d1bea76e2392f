"""Build: read packages, run the writers, put the files in place safely.

Every input is read and checked before anything is written; every output is
made in memory, staged as a temporary file in its destination folder, and only
when all of them are staged renamed into place.  A build that stops on bad
input or fails half-way leaves the output folder exactly as it was.

Flowcharts are the slow part, so the build knows what is stale: the manifest
``.doctools-manifest.json`` in each package's output folder records, for every
chart, a hash of exactly what it was drawn from — its DOT text (the item's
fields, the flow and the style turned into a drawing), the Graphviz version and
doctools' version.  A rebuild redraws only the charts whose hash changed,
removes the files of charts whose catalog item is gone, and says
"N charts redrawn, M unchanged"; ``--force`` redraws all.
"""
from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ContextManager, Dict, List, Optional, Sequence

from ..errors import Diagnostics, InputError, Pos, UnreadableInput, UnwritableOutput, shown
from ..i18n import N_, _, files_phrase, ngettext
from ..limits import MAX_FILENAME_BYTES
from ..model import Package
from ..names import file_stem
from ..readers.package import read_package
from ..safeio.atomic import STAGED, commit_files, writing
from ..safeio.untrusted import file_digest

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

DEFAULT_TEMPLATE = Path("templates") / "docx" / "plan.docx"
DEFAULT_XLSX_TEMPLATE = Path("templates") / "xlsx" / "tables.xlsx"
TASK_WORKBOOK = "任务分工表.xlsx"
SCHEDULE_WORKBOOK = "进度安排.xlsx"
UNIT_LISTS = "各单位任务清单"
CATALOG_WORKBOOK = "政务公开事项标准目录.xlsx"
CHART_FOLDER = "流程图"
MANIFEST = ".doctools-manifest.json"
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, fallback: str = "document") -> str:
    """A file name from user text: no path separators, no '..', nothing Windows forbids.

    A name longer than :data:`~doctools.limits.MAX_FILENAME_BYTES` in UTF-8 (a
    file system allows 255 bytes; 85 CJK characters) is cut and given a short
    hash of the whole text, so two long titles still give two names."""
    original = name
    name = file_stem(name.replace("\n", ""))
    if name.upper() in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_FILENAME_BYTES:
        tag = "-" + hashlib.sha256(original.encode("utf-8")).hexdigest()[:8]
        cut = name.encode("utf-8")[:MAX_FILENAME_BYTES - len(tag)].decode("utf-8", "ignore").rstrip(" .")
        name = cut + tag
    return name or fallback


def output_folder(out_root: Path, name: str) -> Path:
    """Where the outputs of the package *name* (its folder's name) go: a subfolder of *out_root*."""
    return Path(out_root) / safe_filename(name, "package")


@dataclass
class PackageOutput:
    package: Package
    folder: Path
    files: Dict[str, bytes] = field(default_factory=dict)  # path inside the folder -> content
    deletes: List[str] = field(default_factory=list)       # paths inside the folder to remove
    redrawn: int = 0
    unchanged: int = 0
    digest: str = ""
    digests: Dict[str, str] = field(default_factory=dict)   # output -> digest of what it was made from
    previous: dict = field(default_factory=dict)            # the manifest of the last build, read once
    charts: Optional[dict] = None                           # the manifest's chart entries, when charts were drawn
    chart_version: str = ""
    expected: set = field(default_factory=set)              # every output this build stands for, made or kept


@dataclass
class BuildReport:
    written: List[Path]
    outputs: List[PackageOutput]
    current: List[Path] = field(default_factory=list)      # packages whose outputs were already up to date
    pdf_seconds: float = 0.0

    @property
    def charts(self) -> str:
        redrawn = sum(o.redrawn for o in self.outputs)
        unchanged = sum(o.unchanged for o in self.outputs)
        return ngettext("{redrawn} chart redrawn, {unchanged} unchanged", "{redrawn} charts redrawn, {unchanged} unchanged",
                        redrawn).format(redrawn=redrawn, unchanged=unchanged)


def find_template(explicit: Optional[Path], default: Path = DEFAULT_TEMPLATE) -> Optional[Path]:
    """The template to use: the one named, else the project's, else the built-in one (None)."""
    if explicit is not None:
        return explicit
    return default if default.is_file() else None      # relative: messages name it as the user sees it


def load_package(folder: Path, diags: Optional[Diagnostics] = None, fixes: Optional[list] = None,
                 out_root: Path = Path("outputs")) -> Package:
    """Read a package and compose it (:func:`doctools.compose.compose`); raise
    InputError listing every problem of both stages.  With a task workbook, the task values the last build
    into *out_root* recorded tell a tasks.yaml edit the workbook hides (:func:`doctools.compose.edits.warn_drift`)."""
    from ..compose import compose
    from ..compose.edits import warn_drift

    diags = diags if diags is not None else Diagnostics()
    before = len(diags.errors)
    package = compose(read_package(Path(folder), diags, fixes), diags)
    if package.task_values and package.task_spec.source:
        previous = read_manifest(output_folder(out_root, package.name)).get("tasks")
        warn_drift(package, previous, package.task_spec.source, diags)
    if len(diags.errors) > before:
        raise InputError(diags.sorted())
    return package


def read_all(folders: Sequence[Path], diags: Diagnostics, fixes: Optional[list] = None,
             out_root: Path = Path("outputs")) -> List[Package]:
    """Read every package, collecting every problem; raise InputError at the end."""
    packages: List[Package] = []
    for folder in folders:
        try:
            package = load_package(Path(folder), diags=diags, fixes=fixes, out_root=out_root)
        except InputError:
            continue
        packages.append(package)
    diags.raise_if_errors()
    return packages


def draw_charts(output: PackageOutput, force: bool) -> None:
    """Render the package's flowcharts that changed; fill each chart's PNG for the plan."""
    from .. import __version__
    from ..convert.graphviz import FORMATS, graphviz_version, render as render_dots
    from ..writers.dot_chart import chart_dot

    package = output.package
    old = output.previous.get("charts", {})
    old = old if isinstance(old, dict) else {}
    stamp = pdf_stamp(package)
    version = f"doctools {__version__} {code_digest()[:16]}; {graphviz_version()}; {stamp}"
    dots, current = {}, {}
    for chart in package.charts:
        dot = chart_dot(chart)
        digest = hashlib.sha256(f"{version}\n{','.join(FORMATS)}\n{dot}".encode("utf-8")).hexdigest()
        files = [f"{CHART_FOLDER}/{chart.stem}.{fmt}" for fmt in FORMATS]
        current[chart.stem] = {"hash": digest, "files": files}
        png = output.folder / files[-1]
        output.expected.update(files)
        if not force and old.get(chart.stem, {}).get("hash") == digest and all(intact(output, f) for f in files):
            chart.png = png.read_bytes()
            output.unchanged += 1
        else:
            dots[chart.stem] = dot
    for stem, formats in render_dots(dots, stamp=stamp).items():
        for fmt, data in formats.items():
            output.files[f"{CHART_FOLDER}/{stem}.{fmt}"] = data
        next(c for c in package.charts if c.stem == stem).png = formats["png"]
        output.redrawn += 1
    for stem, entry in old.items():
        if stem not in current and isinstance(entry, dict):
            output.deletes += [f for f in entry.get("files", []) if isinstance(f, str)]
    output.charts, output.chart_version = current, version


def pdf_stamp(package: Package) -> str:
    """The creation date every PDF of the package carries (YYYYMMDDHHMMSS): the document's date, else its
    版记's, else 2000-01-01 — never the clock, so equal inputs give equal PDFs."""
    doc = package.document
    day = doc.date or (doc.imprint.date if doc.imprint else None)
    return day.strftime("%Y%m%d000000") if day else "20000101000000"


def _digest(*parts) -> str:
    """A hash of model parts: dataclass reprs are deterministic and complete."""
    from .. import __version__
    return hashlib.sha256(repr((__version__, code_digest()) + parts).encode("utf-8")).hexdigest()


def _file_hash(path: Optional[Path]) -> str:
    """The sha256 of a file's bytes ('' for None): a template edited in place makes its outputs stale."""
    return file_digest(path).hex() if path is not None else ""


def read_manifest(folder: Path) -> dict:
    """The manifest the last build left in *folder* ({} when there is none or it is damaged)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def recorded_outputs(manifest: dict) -> Dict[str, dict]:
    """The manifest's outputs: path inside the folder -> {"size", "digest", "sha256"}.
    A name that is absolute or climbs out (a damaged or planted manifest) is ignored,
    so a build never reads, trusts or deletes anything outside its folder."""
    outputs = manifest.get("outputs", {})
    if not isinstance(outputs, dict):
        return {}
    return {k: v for k, v in outputs.items()
            if isinstance(v, dict) and isinstance(k, str) and k and not Path(k).is_absolute() and ".." not in Path(k).parts}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def intact(output: PackageOutput, name: str) -> bool:
    """Whether the file *name* of the output folder holds exactly what the last
    build recorded for it: a file killed half-way, overwritten by an
    overlapping build or edited by hand is not trusted, however it is named."""
    entry = recorded_outputs(output.previous).get(name)
    target = output.folder / name
    if not entry or not isinstance(entry.get("sha256"), str) or not target.is_file() or target.is_symlink():
        return False
    if target.stat().st_size != entry.get("size"):
        return False
    return sha256_file(target) == entry["sha256"]


def _chart_pool(needed: bool) -> ContextManager[Optional["ThreadPoolExecutor"]]:
    """One thread to draw the charts in while the other files are made; none for a package without charts,
    which then does not import concurrent.futures (and the logging it brings) at all."""
    if not needed:
        return nullcontext()
    from concurrent.futures import ThreadPoolExecutor
    return ThreadPoolExecutor(max_workers=1)


def render(package: Package, out_root: Path, template: Optional[Path], force: bool = False) -> PackageOutput:
    """Every file of one package, in memory: the plan, its workbooks, unit lists, catalog and charts.

    Each output records a digest of the model parts it is made from; an output
    whose digest and file are unchanged is not made again (a changed catalog row
    leaves the task workbook and the unit lists alone).  Charts are drawn in
    Graphviz processes while the other files are made."""
    from datetime import datetime

    from ..writers.xlsx import write_workbook

    output = PackageOutput(package, output_folder(out_root, package.name))
    output.previous = read_manifest(output.folder)
    previous = recorded_outputs(output.previous)
    made: Dict[str, bytes] = {}

    def produce(name: str, digest: str, make) -> None:
        output.expected.add(name)
        output.digests[name] = digest
        if not force and previous.get(name, {}).get("digest") == digest and intact(output, name):
            return
        made[name] = make()

    doc = package.document
    day = doc.date or (doc.imprint.date if doc.imprint and doc.imprint.date else None)
    stamp = datetime.combine(day, datetime.min.time()) if day else datetime(2000, 1, 1)
    xlsx_template = find_template(None, DEFAULT_XLSX_TEMPLATE)
    frame = (doc.title, doc.office, day, _file_hash(template), _file_hash(xlsx_template))

    def workbook(tables):
        return lambda: write_workbook(tables, stamp, doc.office or "", xlsx_template)

    drawn_before = bool(output.previous.get("charts"))     # their files may need removing
    with _chart_pool(bool(package.charts) or drawn_before) as pool:
        charts = pool.submit(draw_charts, output, force) if pool is not None else None
        # python-docx is imported while Graphviz draws, not before (it is a tenth of a second)
        from ..writers.docx_table_pages import write_table_pages
        if package.tables:
            name = TASK_WORKBOOK if package.tasks else SCHEDULE_WORKBOOK
            produce(name, _digest(frame, package.tables), workbook(package.tables))
            if package.tables_docx:
                produce(name[:-5] + ".docx", _digest(frame, package.tables), lambda: write_table_pages(package, package.tables, template))
        if package.unit_tables:
            produce(f"{UNIT_LISTS}.xlsx", _digest(frame, package.unit_tables), workbook(package.unit_tables))
            if package.unit_lists_docx:
                produce(f"{UNIT_LISTS}.docx", _digest(frame, package.unit_tables),
                        lambda: write_table_pages(package, package.unit_tables, template))
        if package.catalog_table is not None:
            table = package.catalog_table
            produce(CATALOG_WORKBOOK, _digest(frame, table), workbook([table]))
        if charts is not None:
            charts.result()
    from ..writers.docx_plan import write_plan
    title = safe_filename(package.document.title, package.name)
    if f"{title}.docx" in output.expected:       # a plan titled 任务分工表 beside the task table's 任务分工表.docx
        title = safe_filename(f"{title}（正文）")
    chart_images = tuple(hashlib.sha256(c.png or b"").hexdigest() for c in package.charts)
    produce(f"{title}.docx", _digest(frame, package, chart_images), lambda: write_plan(package, template))
    output.files.update(made)
    return output


def add_pdfs(outputs: List[PackageOutput]) -> None:
    """A PDF of every document made now, and of every earlier document whose PDF
    is missing or not what the manifest recorded (deleted, damaged, edited);
    LibreOffice is not started when there is nothing to convert."""
    documents: Dict[str, bytes] = {}
    for out in outputs:
        for name, data in out.files.items():
            if name.endswith(".docx"):
                documents[f"{out.folder}/{name}"] = data
        for name in sorted(out.expected):
            if name.endswith(".docx") and name not in out.files and not intact(out, name[:-5] + ".pdf"):
                documents[f"{out.folder}/{name}"] = (out.folder / name).read_bytes()
    if not documents:
        return
    from ..convert.libreoffice import convert, deterministic
    pdfs = convert(documents)
    for out in outputs:
        for name in [k[len(f"{out.folder}/"):] for k in documents if k.startswith(f"{out.folder}/")]:
            key = f"{out.folder}/{name}"
            if key in pdfs:
                out.files[name[:-5] + ".pdf"] = deterministic(pdfs[key], pdf_stamp(out.package))


def clean_leftovers(folder: Path) -> None:
    """Remove the ``.*.tmp`` files a killed build left while staging (only
    called under the folder's lock, so no running build owns them)."""
    if folder.is_dir():
        for leftover in folder.rglob(STAGED):
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink(missing_ok=True)


def commit(outputs: List[PackageOutput]) -> List[Path]:
    """Put every output in place at once (:func:`doctools.safeio.atomic.commit_files`), then remove the outputs
    this build no longer makes.

    The manifest goes in last: until it does, the manifest in place still
    describes the files of the last build by their hashes, so a build killed
    while renaming leaves files that the next build sees are not what the
    manifest says, and makes again."""
    files = []
    for out in outputs:
        with writing(out.folder):
            out.folder.mkdir(parents=True, exist_ok=True)
            clean_leftovers(out.folder)
        for name, data in sorted(out.files.items(), key=lambda item: (item[0] == MANIFEST, item[0])):
            target = out.folder / name
            if ".." in Path(name).parts or not target.resolve().is_relative_to(out.folder.resolve()):
                raise UnwritableOutput(_("refusing to write outside {folder}: {name}").format(folder=shown(out.folder),
                                                                                               name=shown(name)))
            files.append((target, data))
    written = commit_files(files)
    for out in outputs:
        for name in out.deletes:
            target = out.folder / name
            if ".." not in Path(name).parts and target.parent.resolve().is_relative_to(out.folder.resolve()):
                target.unlink(missing_ok=True)
    return written


_CODE_DIGEST: List[str] = []


def code_digest() -> str:
    """A hash of doctools' own source and the data it ships (the wording and
    table layout of ``templates/*.yaml``): outputs of other code are not current."""
    if not _CODE_DIGEST:
        from ..resources import templates

        h = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")) + sorted(templates().glob("*.yaml")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]


def input_digest(folder: Path, template: Optional[Path], pdf: bool) -> str:
    """A hash of everything a package's outputs are made from: every file of the
    package folder, the templates, the standard flows, doctools' code and the
    build options.  Equal digests mean the previous outputs are current."""
    from .. import __version__
    from ..readers.flows import STANDARD_FLOWS

    h = hashlib.sha256(f"doctools {__version__} {code_digest()}; pdf={pdf}".encode())
    sources = [p for p in sorted(Path(folder).rglob("*")) if p.is_file()]
    xlsx = find_template(None, DEFAULT_XLSX_TEMPLATE)
    extra = [t for t in (template, xlsx) if t is not None] + sorted(STANDARD_FLOWS.glob("*.yaml"))
    inside = Path(folder).resolve()
    for path in sources + extra:
        h.update(str(path.relative_to(folder) if path in sources else path.name).encode() + b"\0")
        if path in sources and not path.resolve().is_relative_to(inside):
            h.update(os.readlink(path).encode() if path.is_symlink() else b"?")   # never read outside the package
        else:
            h.update(file_digest(path.resolve()))     # in blocks; a huge file or a pipe is never read whole
        h.update(b"\0")
    return h.hexdigest()


def up_to_date(folder: Path, out_root: Path, digest: str, pdf: bool = False) -> bool:
    """The package's outputs hold exactly what the last build wrote (by their
    hashes), and that build read the same inputs; with *pdf*, every document
    has its PDF among them."""
    out = output_folder(out_root, Path(folder).resolve().name)
    manifest = read_manifest(out)
    if manifest.get("inputs") != digest:
        return False
    outputs = manifest.get("outputs", {})
    if not isinstance(outputs, dict) or len(recorded_outputs(manifest)) != len(outputs):
        return False
    if pdf and any(name.endswith(".docx") and name[:-5] + ".pdf" not in outputs for name in outputs):
        return False
    check = PackageOutput(None, out, previous=manifest)  # type: ignore[arg-type]
    return bool(outputs) and all(intact(check, name) for name in outputs) and not any(out.rglob(STAGED))


def _read_and_render(folder: Path, out_root: Path, template: Optional[Path], force: bool):
    """One package in a worker process: (its diagnostics, its outputs or None)."""
    diags = Diagnostics()
    try:
        package = load_package(Path(folder), diags=diags, out_root=out_root)
    except InputError:
        return diags, None
    return diags, render(package, out_root, template, force)


def build(folders: Sequence[Path], out_root: Path, pdf: bool = False, template: Optional[Path] = None,
          diags: Optional[Diagnostics] = None, progress: Callable[[int, int], None] = lambda done, total: None,
          force: bool = False, jobs: int = 1, wait: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Build the packages in *folders* into *out_root*; report what was written.

    With *jobs* > 1 the packages are read and rendered in that many worker
    processes; every output is still committed only after all succeeded.
    Each output folder is locked for the whole build: a second build of the
    same folder calls *wait* with a message naming the holder, then waits."""
    diags = diags if diags is not None else Diagnostics()
    template = find_template(template)
    check_template(template, diags)
    check_destinations(folders, out_root, diags)
    with locked([output_folder(out_root, Path(f).resolve().name) for f in folders if _named_in_text(f)], wait):
        return _build_locked(folders, out_root, pdf, template, diags, progress, force, jobs)


def build_command(packages: Sequence[Path], out_root: Path, pdf: bool, template: Optional[Path], force: bool,
                  jobs: int, progress: Callable[[int, int], None], echo: Callable[..., None],
                  warn: Callable[[str], None]) -> BuildReport:
    """``doctools build``: build, then say what was written (and the warnings) through *echo*."""
    import time

    start = time.perf_counter()
    if pdf:
        pdf_prerequisites(warn)
    diags = Diagnostics()
    report = build(packages, out_root, pdf=pdf, template=template, diags=diags, force=force, jobs=jobs,
                   progress=progress, wait=warn)
    if pdf:
        echo(_("PDF conversion (one LibreOffice run): {seconds:.1f} s").format(seconds=report.pdf_seconds))
    for d in diags.warnings:
        echo(str(d), err=True)
    for folder in report.current:
        echo(_("{folder}: up to date").format(folder=folder))
    for path in report.written:
        echo(_("wrote {path}").format(path=path))
    charts = _("; {charts}").format(charts=report.charts) if any(o.package.charts or o.charts for o in report.outputs) else ""
    echo(_("{files} in {seconds:.1f} s").format(files=files_phrase(len(report.written)),
                                                 seconds=time.perf_counter() - start) + charts)
    return report


def pdf_prerequisites(warn: Callable[[str], None]) -> None:
    """Refuse ``--pdf`` without LibreOffice; warn of each official font without a stand-in."""
    from ..convert.fonts import missing_stand_ins
    from ..convert.libreoffice import PdfUnavailable, soffice

    if soffice() is None:
        raise PdfUnavailable(_("--pdf needs LibreOffice, which is not installed "
                               "(apt-get install libreoffice-writer-nogui)"))
    for family in missing_stand_ins():
        warn("warning: " + _("font '{family}' is not installed; PDF text will use a fallback "
                             "font (apt-get install fonts-noto-cjk fonts-arphic-ukai)").format(family=family))


def _build_locked(folders, out_root, pdf, template, diags, progress, force, jobs) -> BuildReport:
    digests = {Path(f): input_digest(Path(f), template, pdf) for f in folders if _named_in_text(f)}
    current = [] if force else [f for f in folders if Path(f) in digests and up_to_date(Path(f), out_root, digests[Path(f)], pdf)]
    stale = [f for f in folders if f not in current]
    outputs = []
    steps = len(stale) if jobs > 1 and len(stale) > 1 else len(stale) + 2
    if jobs > 1 and len(stale) > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_read_and_render, Path(f), out_root, template, force) for f in stale]
            for done, (folder, future) in enumerate(zip(stale, futures), start=1):
                found, output = future.result()
                diags.items.extend(found.items)
                if output is not None:
                    output.digest = digests.get(Path(folder), "")
                    outputs.append(output)
                progress(done, len(stale))
        diags.raise_if_errors()
    else:
        # one step to read, one per package rendered, one to write: a single
        # big package (a city's) also shows its progress
        progress(0, steps)
        packages = read_all(stale, diags, out_root=out_root)
        progress(1, steps)
        for done, (folder, package) in enumerate(zip(stale, packages), start=2):
            output = render(package, out_root, template, force)
            output.digest = digests.get(Path(folder), "")
            outputs.append(output)
            progress(done, steps)
    pdf_seconds = 0.0
    if pdf:
        import time
        started = time.perf_counter()
        add_pdfs(outputs)
        pdf_seconds = time.perf_counter() - started
    for output in outputs:
        record_manifest(output)
    written = commit(outputs)
    progress(steps, steps)
    return BuildReport(written, outputs, [Path(f) for f in current], pdf_seconds)


def check_template(template: Optional[Path], diags: Diagnostics) -> None:
    """Refuse a Word template, or a workbook template in ``./templates/xlsx/``, that is not a .docx or .xlsx (or is
    over the limits, :mod:`doctools.safeio.untrusted`) before any writer opens it: a wrong file is the user's input,
    not a bug."""
    from ..safeio.untrusted import TEMPLATE, XLSX_TEMPLATE, open_package

    for path, kind, part in ((template, TEMPLATE, "word/document.xml"),
                             (find_template(None, DEFAULT_XLSX_TEMPLATE), XLSX_TEMPLATE, "xl/workbook.xml")):
        if path is None:
            continue
        try:
            package = open_package(path, kind)
        except UnreadableInput as exc:
            diags.error(Pos(str(path)), exc.reason)
            continue
        if part not in package.names():
            diags.error(Pos(str(path)), N_("the template has no {part}; save it again from the office program"),
                        part=part)
    diags.raise_if_errors()


def check_destinations(folders: Sequence[Path], out_root: Path, diags: Diagnostics) -> None:
    """Refuse a build whose outputs would overwrite each other or an input:
    two package folders whose names give one output folder (``ab`` and
    ``a:b``), or an output folder that is a package folder, inside one or
    holding one (``--out`` set to the package's parent)."""
    seen: Dict[Path, Path] = {}
    for folder in folders:
        if not _named_in_text(folder):
            continue
        source = Path(folder).resolve()
        with writing(output_folder(out_root, source.name)):
            target = output_folder(out_root, source.name).resolve()
        if target in seen and seen[target] != source:
            diags.error(Pos(str(folder)), N_("the packages '{first}' and '{second}' would both be built into '{folder}'; "
                                             "rename one of the folders"), first=seen[target].name, second=source.name,
                        folder=target)
        seen.setdefault(target, source)
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            diags.error(Pos(str(folder)), N_("the output folder '{folder}' is the package folder or overlaps it, so the "
                                             "build would overwrite its inputs; choose another --out"), folder=target)
    diags.raise_if_errors()


def _named_in_text(folder: Path) -> bool:
    """A package folder whose outputs can have a folder: one that exists, named in text the output folder's name
    can keep (the reader refuses a name in another encoding than UTF-8, or with control characters)."""
    return Path(folder).is_dir() and shown(Path(folder).resolve().name) == Path(folder).resolve().name


@contextmanager
def locked(folders: List[Path], wait: Callable[[str], None]):
    """Hold an exclusive lock on each output folder (``flock`` on the folder
    itself, so no lock file is left behind) for the length of a build."""
    import fcntl

    handles = []
    try:
        for folder in sorted(set(folders)):
            with writing(folder):
                created = [f for f in [folder, *folder.parents] if not f.exists()]
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            handles.append((fd, folder, created))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _lock_holder(folder)
                wait((_("another doctools build (process {process}) is writing to {folder}; waiting for it to finish")
                      if holder else _("another doctools build is writing to {folder}; waiting for it to finish"))
                     .format(process=holder, folder=shown(folder)))
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd, _folder, created in reversed(handles):
            os.close(fd)
            for made in created:             # made for the lock, and the build wrote nothing into them
                try:
                    made.rmdir()
                except OSError:
                    break


def _lock_holder(folder: Path) -> Optional[int]:
    """The process holding the lock on *folder*, from /proc/locks (Linux), or None."""
    try:
        inode = os.stat(folder).st_ino
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
                return int(fields[4])
    except (OSError, ValueError):
        pass
    return None


def record_manifest(output: PackageOutput) -> None:
    """The manifest: the input digest, every output with its size, and each chart's hash.

    Outputs left as they were keep their entries from the last manifest."""
    manifest = {"inputs": output.digest}
    if output.package is not None and output.package.task_values:     # what tasks.yaml and the workbook said
        manifest["tasks"] = output.package.task_values
    if output.charts is not None:
        manifest.update(version=output.chart_version, charts=output.charts)
    previous = recorded_outputs(output.previous)
    wanted = output.expected | {n[:-5] + ".pdf" for n in output.expected if n.endswith(".docx")}
    for name in previous:
        if name not in wanted and name not in output.files and name not in output.deletes:
            output.deletes.append(name)          # an output of an earlier build this one no longer makes
        elif name.endswith(".pdf") and name[:-4] + ".docx" in output.files and name not in output.files:
            output.deletes.append(name)          # the PDF of a document made again without --pdf is stale
    kept = {k: v for k, v in previous.items() if k not in output.deletes and k not in output.files and intact(output, k)}
    kept.update({name: {"size": len(data), "digest": output.digests.get(name, ""), "sha256": hashlib.sha256(data).hexdigest()}
                 for name, data in output.files.items() if name != MANIFEST})
    manifest["outputs"] = dict(sorted(kept.items()))
    output.files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
