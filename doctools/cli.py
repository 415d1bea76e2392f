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
from .errors import EXIT_INTERNAL, DoctoolsError
from .i18n import N_, Group, _, install, lang_option, ngettext

install()      # click's own words ("Usage:", "Options") come from doctools' catalog

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


class Main(Group):
    """The ``doctools`` group, with the one place that turns a failure into its exit status: a
    :class:`~doctools.errors.DoctoolsError` shows itself and exits with its code (2); click's own errors and exits
    pass to click; anything else is a bug in doctools (exit 1, the report in a log file)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DoctoolsError as exc:
            exc.show(lambda line: click.echo(line, err=True))
            sys.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that turns failures into exit 1
            _internal_error(exc)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
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
    from .commands.build import build_command

    with progress_bar(len(packages)) as progress:
        build_command(packages, out_root, pdf=pdf, template=template, force=force, jobs=jobs, progress=progress,
                      echo=click.echo, warn=lambda message: click.echo(f"doctools: {message}", err=True))


@main.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help=N_("Exit 1 when there are warnings (and no errors)."))
@click.option("--fix", is_flag=True, help=N_("Rewrite the input files with the safe fixes, showing the diff first."))
def check(packages, strict: bool, fix: bool) -> None:
    """Check each PACKAGE folder and print every problem found; write nothing (unless --fix).

    Exit status: 0 clean, 1 only warnings with --strict, 2 errors."""
    from .commands.fix import check_command

    sys.exit(check_command(packages, strict, fix, echo=click.echo))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("templates"))
def template(folder: Path) -> None:
    """Write the default templates into FOLDER (docx/plan.docx, xlsx/tables.xlsx)."""
    from .safeio.atomic import commit_files
    from .writers.default_templates import template_bytes, xlsx_template_bytes

    for path in commit_files([(folder / "docx" / "plan.docx", template_bytes()),
                              (folder / "xlsx" / "tables.xlsx", xlsx_template_bytes())]):
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
    from .commands.import_docx import import_command

    import_command(source, out, tasks_xlsx, echo=click.echo, as_json=as_json)


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
@click.option("--year", type=click.IntRange(1900, 2199),
              help=N_("With --from: copy that plan whole, its text kept, with every date moved to this year "
                      "(reuse last year's plan)."))
@click.option("-y", "--yes", is_flag=True, help=N_("Ask nothing: use the options given and the defaults (for scripts)."))
def new(folder: Path, office, doc_type, subject, day, header, notice, units, source, year, yes: bool) -> None:
    """Start a new package in FOLDER: a commented plan with placeholders that builds at once."""
    from datetime import date

    from .model.deadline import DeadlineError, parse_date
    from .commands.new import DOC_TYPES, SUBJECT, Answers, copy_structure, write_new

    def fail(message: str) -> None:
        raise DoctoolsError(message)

    if folder.exists() and any(folder.iterdir()):
        fail(_("{folder} is not empty; doctools new writes only into a new or empty folder").format(folder=folder))
    if year is not None:
        if source is None:
            fail(_("--year needs --from: the package whose dates are moved"))
        _new_for_year(source, folder, year)
        return
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
    written = copy_structure(source, folder, answers) if source else write_new(folder, answers)
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
    click.echo(_("Next: replace every 【待填写】 (doctools check {folder} lists them), then doctools build {folder}")
               .format(folder=folder))


def _new_for_year(source: Path, folder: Path, year: int) -> None:
    """``doctools new FOLDER --from PACKAGE --year 2027``: last year's plan, every date moved, each one listed."""
    from .model.deadline import official_date
    from .commands.yearshift import copy_to_year

    try:
        result = copy_to_year(source, folder, year)
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    for path in result.written:
        click.echo(_("wrote {path}").format(path=path))
    click.echo(ngettext("moved {count} date by {years} years:", "moved {count} dates by {years} years:",
                        len(result.changed)).format(count=len(result.changed), years=result.years))
    for change in result.changed:
        click.echo(f"  {change}")
    if result.earlier:
        click.echo(_("still earlier than the new date {date} (read each: a past event, or a deadline to change):")
                   .format(date=official_date(result.date)))
        for change in result.earlier:
            click.echo(f"  {change}")
    click.echo(_("Next: read the text for this year, then doctools check {folder} and doctools build {folder}")
               .format(folder=folder))


YES_WORDS = ("y", "yes", "是", "是的", "要", "对", "有")
NO_WORDS = ("n", "no", "否", "不", "不要", "没有", "无")


def _yes_no(answer: str) -> bool:
    """A y/n answer in either language: 是/否 as well as y/n."""
    word = answer.strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise click.BadParameter(_("answer 是 or 否 (y or n)"))


def _official_date(answer: str) -> str:
    """A 成文日期 checked at its prompt, so a wrong one is asked again instead of refused after every answer."""
    from .model.deadline import DeadlineError, parse_date

    try:
        parse_date(answer)
    except DeadlineError as exc:
        raise click.BadParameter(_("{error}; write it as 2024年3月5日").format(error=exc))
    return answer.strip()


def _ask(office, doc_type, subject, day, header, notice, units):
    """The questions of ``doctools new`` that its options have not answered.  Each answer is checked at its own
    prompt and asked again when wrong, so the answers before it are kept."""
    from datetime import date

    from .model.deadline import official_date
    from .commands.new import DOC_TYPES, SUBJECT

    def confirm(text: str) -> bool:
        return click.prompt(text, default=_("no"), value_proc=_yes_no)

    office = office or click.prompt(_("Issuing office (发文机关)"))
    doc_type = doc_type or click.prompt(_("Document type"), type=click.Choice(DOC_TYPES), default=DOC_TYPES[0])
    subject = subject or click.prompt(_("What the plan is about (the title is place + this + type)"),
                                      default=SUBJECT)
    day = day or click.prompt(_("Date of the document (成文日期)"), default=official_date(date.today()),
                              value_proc=_official_date)
    header = confirm(_("With a red 版头?")) if header is None else header
    notice = confirm(_("With an 印发通知 before the plan?")) if notice is None else notice
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
    from .audit import as_json as to_json, as_table, audit as run_audit

    reports = run_audit(list(files))
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
