"""The ``doctools`` command line.

Exit status: 0 done; 2 the input is wrong (every problem is printed as
``file:line:col: error: message``); 1 doctools itself failed (one line on the
terminal, the full report in a log file).  Heavy libraries are imported inside
the commands, so ``doctools --help`` stays fast.
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from . import __version__
from .i18n import N_, Group, _, install, lang_option, ngettext

install()      # click's own words ("Usage:", "Options") come from doctools' catalog

EXIT_INPUT = 2
EXIT_INTERNAL = 1


def _errors(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def _warnings(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def _files(count: int) -> str:
    return ngettext("{count} file", "{count} files", count).format(count=count)


def _print_diagnostics(diagnostics) -> None:
    for d in diagnostics:
        click.echo(str(d), err=True)


class progress_bar:
    """A progress bar on stderr: packages of a multi-package build, or the
    steps of a single one; nothing when stderr is not a terminal (CI logs, pipes)."""

    def __init__(self, total: int):
        self.bar = None
        self.on = sys.stderr.isatty()

    def __enter__(self):
        return self.update

    def update(self, done: int, total: int) -> None:
        if not self.on:
            return
        if self.bar is None or self.bar.length != total:
            if self.bar is not None:
                self.bar.__exit__(None, None, None)
            self.bar = click.progressbar(length=total, label=_("building"), file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _private_folder() -> Path:
    """This user's own folder for reports, ``$TMPDIR/doctools-<uid>``: made with
    mode 0700, and used only when it is a real folder (not a link) that this
    user owns and nobody else can write to."""
    folder = Path(tempfile.gettempdir()) / f"doctools-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(_("{folder} is not a private folder of this user").format(folder=folder))
    return folder


def write_error_log(report: str) -> str:
    """Write the report safely; return where it went (or why it could not be written).

    The log never follows a link: it is opened with O_NOFOLLOW in the private
    folder, and when that fails (a link or a folder placed at its name, a folder
    that is not ours) a new file with a unique name is made instead."""
    data = report.encode("utf-8")
    try:
        path = _private_folder() / "doctools-error.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError:
        try:
            fd, name = tempfile.mkstemp(prefix="doctools-error-", suffix=".log")
            path = Path(name)
        except OSError as exc:
            return _("no report written: {reason}").format(reason=exc.strerror)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return str(path)


def _internal_error(exc: BaseException) -> None:
    log = write_error_log("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    click.echo("doctools: " + _("internal error: {error} (full report in {log})").format(error=exc, log=log), err=True)
    sys.exit(EXIT_INTERNAL)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="doctools", help=N_("Show the version and exit."))
@lang_option
def main() -> None:
    """Official-format plans (实施方案), attachment tables and flowcharts from structured inputs."""


@main.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help=N_("Folder for the outputs; each package gets a subfolder."))
@click.option("--pdf", is_flag=True, help=N_("Also write a PDF of each document (needs LibreOffice)."))
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=N_("Word template to use instead of templates/docx/plan.docx."))
@click.option("--force", is_flag=True, help=N_("Rebuild everything: every output and every flowchart, changed or not."))
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help=N_("Build packages in this many worker processes."))
def build(packages, out_root: Path, pdf: bool, template, force: bool, jobs: int) -> None:
    """Build the documents of each PACKAGE folder (e.g. inputs/kazuo)."""
    from .commands.build import WriteError, build as run_build
    from .errors import Diagnostics, InputError
    from .convert.graphviz import RenderUnavailable

    diags = Diagnostics()
    start = time.perf_counter()
    try:
        if pdf:
            from .convert.libreoffice import soffice
            if soffice() is None:
                click.echo("doctools: " + _("--pdf needs LibreOffice, which is not installed "
                                            "(apt-get install libreoffice-writer-nogui)"), err=True)
                sys.exit(EXIT_INPUT)
            from .convert.fonts import missing_stand_ins
            for family in missing_stand_ins():
                click.echo("doctools: warning: " + _("font '{family}' is not installed; PDF text will use a fallback "
                                                     "font (apt-get install fonts-noto-cjk fonts-arphic-ukai)")
                           .format(family=family), err=True)
        with progress_bar(len(packages)) as progress:
            report = run_build(packages, out_root, pdf=pdf, template=template, diags=diags, force=force, jobs=jobs,
                               progress=progress, wait=lambda message: click.echo(f"doctools: {message}", err=True))
        if pdf:
            click.echo(_("PDF conversion (one LibreOffice run): {seconds:.1f} s").format(seconds=report.pdf_seconds))
    except (RenderUnavailable, WriteError) as exc:
        click.echo(f"doctools: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except InputError as exc:
        _print_diagnostics(exc.diagnostics)
        count = len([d for d in exc.diagnostics if d.severity == "error"])
        click.echo("doctools: " + _("{errors}; nothing was written").format(errors=_errors(count)), err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # noqa: BLE001 - the one place that turns failures into exit 1
        _internal_error(exc)
    _print_diagnostics(diags.warnings)
    for folder in report.current:
        click.echo(_("{folder}: up to date").format(folder=folder))
    for path in report.written:
        click.echo(_("wrote {path}").format(path=path))
    charts = _("; {charts}").format(charts=report.charts) if any(o.package.charts or o.charts for o in report.outputs) else ""
    click.echo(_("{files} in {seconds:.1f} s").format(files=_files(len(report.written)),
                                                       seconds=time.perf_counter() - start) + charts)


@main.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help=N_("Exit 1 when there are warnings (and no errors)."))
@click.option("--fix", is_flag=True, help=N_("Rewrite the input files with the safe fixes, showing the diff first."))
def check(packages, strict: bool, fix: bool) -> None:
    """Check each PACKAGE folder and print every problem found; write nothing (unless --fix).

    Exit status: 0 clean, 1 only warnings with --strict, 2 errors."""
    from .commands.build import read_all
    from .errors import Diagnostics, InputError

    def run():
        diags, fixes = Diagnostics(), []
        try:
            read_all(packages, diags, fixes)
        except InputError:
            pass
        return diags, fixes

    try:
        diags, fixes = run()
        if fix:
            from .commands.fix import apply_fixes
            total, files = 0, set()
            for _round in range(5):        # a fix can reveal another: ",," becomes "，，", then "，"
                applied = apply_fixes(fixes, lambda text: click.echo(text, nl=False)) if fixes else {}
                if not applied:
                    break
                total += sum(applied.values())
                files |= set(applied)
                diags, fixes = run()
            click.echo(_("fixed {places} in {files}").format(
                places=ngettext("{count} place", "{count} places", total).format(count=total),
                files=_files(len(files))))
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    _print_diagnostics(diags.sorted())
    errors, warnings = len(diags.errors), len(diags.warnings)
    summary = _("{packages} checked: {errors}, {warnings}").format(
        packages=ngettext("{count} package", "{count} packages", len(packages)).format(count=len(packages)),
        errors=_errors(errors), warnings=_warnings(warnings))
    if fixes and not fix:
        summary += _("; {count} can be fixed with --fix").format(count=len(fixes))
    click.echo(summary, err=bool(errors))
    if errors:
        sys.exit(EXIT_INPUT)
    if warnings and strict:
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("templates"))
def template(folder: Path) -> None:
    """Write the default templates into FOLDER (docx/plan.docx, xlsx/tables.xlsx)."""
    from .writers.default_templates import template_bytes, xlsx_template_bytes

    for relative, data in (("docx/plan.docx", template_bytes()), ("xlsx/tables.xlsx", xlsx_template_bytes())):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        click.echo(_("wrote {path}").format(path=path))


@main.command("import")
@click.argument("source", type=str)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("Package folder to write (default: inputs/<file name>); must be empty or new."))
@click.option("--tasks", "tasks_xlsx", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help=N_("A 任务分工表.xlsx naming the units and deadlines the plan's text leaves out."))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the account of what was recognised surely, guessed and kept as plain text as JSON."))
def import_(source: str, out, tasks_xlsx, as_json: bool) -> None:
    """Read a plan typed in Word (SOURCE.docx) into a package folder for check and build.

    Exit status: 0 written; 2 the file cannot be imported (one line says why)."""
    from .commands.import_docx import settle
    from .readers.docx import account, recognise, summary
    from .readers.docx_source import NotADocx
    from .writers.yaml_package import write_package

    if not source.strip():
        click.echo("doctools: " + _("no file given: name the .docx to import, e.g. doctools import 方案.docx"), err=True)
        sys.exit(EXIT_INPUT)
    out = out if out is not None else Path("inputs") / Path(source).stem
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        click.echo("doctools: " + _("{folder} is not empty; import writes a new package, choose another --out")
                   .format(folder=out), err=True)
        sys.exit(EXIT_INPUT)
    try:
        draft = recognise(source, Path(source).name, tasks_xlsx)
        warnings = settle(draft)            # what check would refuse goes back to plain text
    except NotADocx as exc:
        click.echo(f"doctools: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    try:
        written = write_package(draft, out)
    except OSError as exc:
        click.echo("doctools: " + _("cannot write {folder}: {reason}").format(folder=out, reason=exc.strerror or exc),
                   err=True)
        sys.exit(EXIT_INPUT)
    if not as_json:
        _import_summary(source, *summary(draft))
    errors = 0
    if warnings is None:                # settle's check of the same files found errors: name them in place
        from .commands.build import load_package
        from .errors import Diagnostics, InputError

        diags = Diagnostics()
        try:
            load_package(out, diags)
        except InputError:
            pass
        for d in diags.errors:
            click.echo(str(d), err=True)
        errors, warnings = len(diags.errors), len(diags.warnings)
    if as_json:
        import json

        click.echo(json.dumps({"source": source, "package": str(out),
                               "files": sorted(Path(w).relative_to(out).as_posix() for w in written),
                               "check": {"errors": errors, "warnings": warnings}, "recognitions": account(draft)},
                              ensure_ascii=False, indent=1))
        return
    click.echo(_("wrote {files} to {folder}; doctools check finds {errors}, {warnings}").format(
        files=_files(len(written)), folder=out, errors=_errors(errors),
        warnings=_warnings(warnings)) + (_("; fix the errors before building") if errors else ""))


def _import_summary(source: str, sure, guessed, kept) -> None:
    """What import recognised surely, what it guessed and what it kept as plain text, each with its paragraphs."""
    click.echo(_("recognised in {source}:").format(source=source))
    for line in sure:
        click.echo(f"  {line}")
    for heading, lines in ((_("guessed (check these):"), guessed), (_("kept as plain text (check these):"), kept)):
        if lines:
            click.echo(heading)
            for line in lines:
                click.echo(f"  {line}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--office", help=N_("Issuing office (发文机关), e.g. 喀左县人民政府办公室."))
@click.option("--type", "doc_type", type=click.Choice(["实施方案", "工作方案", "推进方案"]),
              help=N_("Document type [default: 实施方案]."))
@click.option("--subject", help=N_("What the plan is about, e.g. 开展政务公开标准化规范化工作; the title is "
                                   "place + subject + type [default: a placeholder]."))
@click.option("--date", "day", help=N_("Date of the document (成文日期), e.g. 2024年3月5日 [default: today]."))
@click.option("--header/--no-header", default=None, help=N_("With or without a red 版头 [default: without]."))
@click.option("--notice/--no-notice", default=None, help=N_("With or without an 印发通知 before the plan [default: without]."))
@click.option("--unit", "units", multiple=True, help=N_("A unit that does the work; repeat for each [default: the office]."))
@click.option("--from", "source", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help=N_("Copy the structure of this package (e.g. inputs/kazuo): its files, headings, tasks, phases "
                      "and attachments, with placeholders for the text."))
@click.option("-y", "--yes", is_flag=True, help=N_("Ask nothing: use the options given and the defaults (for scripts)."))
def new(folder: Path, office, doc_type, subject, day, header, notice, units, source, yes: bool) -> None:
    """Start a new package in FOLDER: a commented plan with placeholders that builds at once."""
    from datetime import date

    from .model.deadline import DeadlineError, parse_date
    from .commands.new import DOC_TYPES, SUBJECT, Answers, copy_structure, write_new

    def fail(message: str) -> None:
        click.echo(f"doctools: {message}", err=True)
        sys.exit(EXIT_INPUT)

    if folder.exists() and any(folder.iterdir()):
        fail(_("{folder} is not empty; doctools new writes only into a new or empty folder").format(folder=folder))
    if not yes:
        try:
            office, doc_type, subject, day, header, notice, units = _ask(office, doc_type, subject, day, header,
                                                                         notice, units)
        except click.Abort:
            fail(_("no answer to the questions; without a terminal, give the options with --yes"))
    if not office:
        fail(_("--office is needed with --yes"))
    try:
        when = parse_date(day) if day else date.today()
    except DeadlineError as exc:
        fail(_("--date: {error}").format(error=exc))
    answers = Answers(office=office.strip(), doc_type=doc_type or DOC_TYPES[0], day=when, header=bool(header),
                      notice=bool(notice), units=list(units), subject=subject or SUBJECT)
    try:
        written = copy_structure(source, folder, answers) if source else write_new(folder, answers)
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
    click.echo(_("Next: replace every 【待填写】 (doctools check {folder} lists them), then doctools build {folder}")
               .format(folder=folder))


def _ask(office, doc_type, subject, day, header, notice, units):
    """The questions of ``doctools new`` that its options have not answered."""
    from datetime import date

    from .model.deadline import official_date
    from .commands.new import DOC_TYPES, SUBJECT

    office = office or click.prompt(_("Issuing office (发文机关)"))
    doc_type = doc_type or click.prompt(_("Document type"), type=click.Choice(DOC_TYPES), default=DOC_TYPES[0])
    subject = subject or click.prompt(_("What the plan is about (the title is place + this + type)"),
                                      default=SUBJECT)
    day = day or click.prompt(_("Date of the document (成文日期)"), default=official_date(date.today()))
    header = click.confirm(_("With a red 版头?"), default=False) if header is None else header
    notice = click.confirm(_("With an 印发通知 before the plan?"), default=False) if notice is None else notice
    if not units:
        answer = click.prompt(_("Units that do the work, separated by 、"), default=office)
        units = tuple(u.strip() for u in answer.replace("，", "、").split("、") if u.strip())
    return office, doc_type, subject, day, header, notice, units


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the results as JSON instead of a table."))
def audit(files, as_json: bool) -> None:
    """Check each .docx FILE against GB/T 9704-2012, clause by clause, on a LibreOffice render of it.

    Exit status: 0 every clause passes; 1 a clause fails; 2 a file cannot be
    read (missing, not a .docx, encrypted) or LibreOffice is missing."""
    from .audit import UnreadableInput, as_json as to_json, as_table, audit as run_audit
    from .convert.libreoffice import PdfUnavailable, PdfTimeout

    try:
        reports = run_audit(list(files))
    except UnreadableInput as exc:
        click.echo(f"doctools: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except (PdfUnavailable, PdfTimeout) as exc:
        click.echo(f"doctools: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    if as_json:
        click.echo(to_json(reports))
    else:
        click.echo("\n\n".join(as_table(r) for r in reports))
    sys.exit(0 if all(r.passed for r in reports) else 1)


@main.command()
@click.option("--dry-run", is_flag=True, help=N_("Show what would be written; write nothing."))
def fonts(dry_run: bool) -> None:
    """Let LibreOffice on this machine show the official font names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312)
    with free stand-ins: writes ~/.config/fontconfig/conf.d/60-doctools.conf."""
    from .convert.fonts import fontconfig_xml, install_user_config, user_config_path

    path = user_config_path()
    changed = install_user_config(path, dry_run=dry_run)
    if not changed:
        click.echo(_("{path}: already up to date").format(path=path))
    elif dry_run:
        click.echo(_("would write {path}:").format(path=path) + f"\n{fontconfig_xml(include_system=False)}", nl=False)
    else:
        click.echo(_("wrote {path}; restart LibreOffice to use it").format(path=path))


if __name__ == "__main__":  # pragma: no cover
    main()
