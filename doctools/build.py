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
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from .errors import Diagnostics, InputError, Pos
from .model import Package
from .readers.package import read_package

DEFAULT_TEMPLATE = Path("templates") / "docx" / "plan.docx"
DEFAULT_XLSX_TEMPLATE = Path("templates") / "xlsx" / "tables.xlsx"
TASK_WORKBOOK = "任务分工表.xlsx"
SCHEDULE_WORKBOOK = "进度安排.xlsx"
UNIT_LISTS = "各单位任务清单"
CATALOG_WORKBOOK = "政务公开事项标准目录.xlsx"
CHART_FOLDER = "流程图"
MANIFEST = ".doctools-manifest.json"
_FORBIDDEN = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, fallback: str = "document") -> str:
    """A file name from user text: no path separators, no '..', nothing Windows forbids."""
    name = _FORBIDDEN.sub("", name.replace("\n", "")).strip().strip(".")
    if name.upper() in _RESERVED:
        name = "_" + name
    return name[:120] or fallback


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
        return f"{redrawn} chart(s) redrawn, {unchanged} unchanged"


def find_template(explicit: Optional[Path], default: Path = DEFAULT_TEMPLATE) -> Optional[Path]:
    """The template to use: the one named, else the project's, else the built-in one (None)."""
    if explicit is not None:
        return explicit
    candidate = Path.cwd() / default
    return candidate if candidate.is_file() else None


def read_all(folders: Sequence[Path], diags: Diagnostics, fixes: Optional[list] = None) -> List[Package]:
    """Read every package, collecting every problem; raise InputError at the end."""
    packages: List[Package] = []
    for folder in folders:
        try:
            package = read_package(Path(folder), diags=diags, fixes=fixes)
        except InputError:
            continue
        if any(p.name == package.name for p in packages):
            diags.error(Pos(str(folder)), f"two packages are named '{package.name}'; their outputs would overwrite each other")
        packages.append(package)
    diags.raise_if_errors()
    return packages


def draw_charts(output: PackageOutput, force: bool) -> None:
    """Render the package's flowcharts that changed; fill each chart's PNG for the plan."""
    from . import __version__
    from .render import FORMATS, graphviz_version, render as render_dots
    from .writers.dot_chart import chart_dot

    package = output.package
    old = output.previous.get("charts", {})
    old = old if isinstance(old, dict) else {}
    version = f"doctools {__version__} {code_digest()[:16]}; {graphviz_version()}"
    dots, current = {}, {}
    for chart in package.charts:
        dot = chart_dot(chart)
        digest = hashlib.sha256(f"{version}\n{','.join(FORMATS)}\n{dot}".encode("utf-8")).hexdigest()
        files = [f"{CHART_FOLDER}/{chart.stem}.{fmt}" for fmt in FORMATS]
        current[chart.stem] = {"hash": digest, "files": files}
        png = output.folder / files[-1]
        if not force and old.get(chart.stem, {}).get("hash") == digest and all((output.folder / f).is_file() for f in files):
            chart.png = png.read_bytes()
            output.unchanged += 1
        else:
            dots[chart.stem] = dot
    for stem, formats in render_dots(dots).items():
        for fmt, data in formats.items():
            output.files[f"{CHART_FOLDER}/{stem}.{fmt}"] = data
        next(c for c in package.charts if c.stem == stem).png = formats["png"]
        output.redrawn += 1
    for stem, entry in old.items():
        if stem not in current and isinstance(entry, dict):
            output.deletes += [f for f in entry.get("files", []) if isinstance(f, str)]
    output.charts, output.chart_version = current, version


def _digest(*parts) -> str:
    """A hash of model parts: dataclass reprs are deterministic and complete."""
    from . import __version__
    return hashlib.sha256(repr((__version__, code_digest()) + parts).encode("utf-8")).hexdigest()


def read_manifest(folder: Path) -> dict:
    """The manifest the last build left in *folder* ({} when there is none or it is damaged)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def recorded_outputs(manifest: dict) -> Dict[str, dict]:
    """The manifest's outputs: path -> {"size", "digest"}."""
    outputs = manifest.get("outputs", {})
    return {k: v for k, v in outputs.items() if isinstance(v, dict)} if isinstance(outputs, dict) else {}


def render(package: Package, out_root: Path, template: Optional[Path], force: bool = False) -> PackageOutput:
    """Every file of one package, in memory: the plan, its workbooks, unit lists, catalog and charts.

    Each output records a digest of the model parts it is made from; an output
    whose digest and file are unchanged is not made again (a changed catalog row
    leaves the task workbook and the unit lists alone).  Charts are drawn in
    Graphviz processes while the other files are made."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import datetime

    from .tables import catalog_table
    from .writers.xlsx_tables import write_workbook

    output = PackageOutput(package, out_root / safe_filename(package.name))
    output.previous = read_manifest(output.folder)
    previous = recorded_outputs(output.previous)
    made: Dict[str, bytes] = {}

    def produce(name: str, digest: str, make) -> None:
        before = previous.get(name, {})
        target = output.folder / name
        if not force and before.get("digest") == digest and target.is_file() and target.stat().st_size == before.get("size"):
            return
        made[name] = make()
        output.digests[name] = digest

    doc = package.document
    day = doc.date or (doc.imprint.date if doc.imprint and doc.imprint.date else None)
    stamp = datetime.combine(day, datetime.min.time()) if day else datetime(2000, 1, 1)
    xlsx_template = find_template(None, DEFAULT_XLSX_TEMPLATE)
    frame = (doc.title, doc.office, day, str(template), str(xlsx_template))

    def workbook(tables):
        return lambda: write_workbook(tables, stamp, doc.office or "", xlsx_template)

    with ThreadPoolExecutor(max_workers=1) as pool:
        drawn_before = bool(output.previous.get("charts"))     # their files may need removing
        charts = pool.submit(draw_charts, output, force) if (package.charts or drawn_before) else None
        # python-docx is imported while Graphviz draws, not before (it is a tenth of a second)
        from .writers.docx_table_pages import write_table_pages
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
        if package.catalog is not None:
            table = catalog_table(package.catalog)
            produce(CATALOG_WORKBOOK, _digest(frame, table), workbook([table]))
        if charts is not None:
            charts.result()
    from .writers.docx_plan import write_plan
    title = safe_filename(package.document.title, package.name)
    chart_images = tuple(hashlib.sha256(c.png or b"").hexdigest() for c in package.charts)
    produce(f"{title}.docx", _digest(frame, package, chart_images), lambda: write_plan(package, template))
    output.files.update(made)
    return output


def add_pdfs(outputs: List[PackageOutput]) -> None:
    from .pdf import convert

    documents = {}
    for out in outputs:
        for name, data in out.files.items():
            if name.endswith(".docx"):
                documents[f"{out.folder}/{name}"] = data
    pdfs = convert(documents)
    for out in outputs:
        for name in list(out.files):
            key = f"{out.folder}/{name}"
            if key in pdfs:
                out.files[name[:-5] + ".pdf"] = pdfs[key]


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def commit(outputs: List[PackageOutput]) -> List[Path]:
    """Stage every file next to its destination, then rename all into place."""
    staged = []
    mode = _file_mode()
    try:
        for out in outputs:
            out.folder.mkdir(parents=True, exist_ok=True)
            for name, data in sorted(out.files.items()):
                target = out.folder / name
                if ".." in Path(name).parts or not target.resolve().is_relative_to(out.folder.resolve()):
                    raise ValueError(f"refusing to write outside {out.folder}: {name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, mode)
                staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    for out in outputs:
        for name in out.deletes:
            target = out.folder / name
            if ".." not in Path(name).parts and target.resolve().is_relative_to(out.folder.resolve()):
                target.unlink(missing_ok=True)
    return [target for _, target in staged]


_CODE_DIGEST: List[str] = []


def code_digest() -> str:
    """A hash of doctools' own source: outputs of other code are not current."""
    if not _CODE_DIGEST:
        h = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]


def input_digest(folder: Path, template: Optional[Path], pdf: bool) -> str:
    """A hash of everything a package's outputs are made from: every file of the
    package folder, the templates, the standard flows, doctools' code and the
    build options.  Equal digests mean the previous outputs are current."""
    from . import __version__
    from .readers.flows import STANDARD_FLOWS

    h = hashlib.sha256(f"doctools {__version__} {code_digest()}; pdf={pdf}".encode())
    sources = [p for p in sorted(Path(folder).rglob("*")) if p.is_file()]
    xlsx = find_template(None, DEFAULT_XLSX_TEMPLATE)
    extra = [t for t in (template, xlsx) if t is not None] + sorted(STANDARD_FLOWS.glob("*.yaml"))
    for path in sources + extra:
        h.update(str(path.relative_to(folder) if path in sources else path.name).encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def up_to_date(folder: Path, out_root: Path, digest: str) -> bool:
    """The package's outputs exist as the last build wrote them, from the same inputs."""
    out = out_root / safe_filename(Path(folder).resolve().name)
    manifest = read_manifest(out)
    if manifest.get("inputs") != digest:
        return False
    outputs = manifest.get("outputs", {})
    if not isinstance(outputs, dict) or len(recorded_outputs(manifest)) != len(outputs):
        return False
    for name, entry in outputs.items():
        target = out / name
        if not target.is_file() or target.stat().st_size != entry.get("size"):
            return False
    return bool(outputs)


def _read_and_render(folder: Path, out_root: Path, template: Optional[Path], force: bool):
    """One package in a worker process: (its diagnostics, its outputs or None)."""
    diags = Diagnostics()
    try:
        package = read_package(Path(folder), diags=diags)
    except InputError:
        return diags, None
    return diags, render(package, out_root, template, force)


def build(folders: Sequence[Path], out_root: Path, pdf: bool = False, template: Optional[Path] = None,
          diags: Optional[Diagnostics] = None, progress: Callable[[int, int], None] = lambda done, total: None,
          force: bool = False, jobs: int = 1) -> BuildReport:
    """Build the packages in *folders* into *out_root*; report what was written.

    With *jobs* > 1 the packages are read and rendered in that many worker
    processes; every output is still committed only after all succeeded."""
    diags = diags if diags is not None else Diagnostics()
    template = find_template(template)
    digests = {Path(f): input_digest(Path(f), template, pdf) for f in folders if Path(f).is_dir()}
    current = [] if force else [f for f in folders if Path(f) in digests and up_to_date(Path(f), out_root, digests[Path(f)])]
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
        names = [o.package.name for o in outputs]
        for name in {n for n in names if names.count(n) > 1}:
            diags.error(Pos(name), f"two packages are named '{name}'; their outputs would overwrite each other")
        diags.raise_if_errors()
    else:
        # one step to read, one per package rendered, one to write: a single
        # big package (a city's) also shows its progress
        progress(0, steps)
        packages = read_all(stale, diags)
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


def record_manifest(output: PackageOutput) -> None:
    """The manifest: the input digest, every output with its size, and each chart's hash.

    Outputs left as they were keep their entries from the last manifest."""
    manifest = {"inputs": output.digest}
    if output.charts is not None:
        manifest.update(version=output.chart_version, charts=output.charts)
    kept = {k: v for k, v in recorded_outputs(output.previous).items()
            if (output.folder / k).is_file() and k not in output.deletes}
    kept.update({name: {"size": len(data), "digest": output.digests.get(name, "")}
                 for name, data in output.files.items() if name != MANIFEST})
    manifest["outputs"] = dict(sorted(kept.items()))
    output.files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
