"""The ``doctools`` command line.

Exit status: 0 done; 2 the input is wrong (every problem is printed as
``file:line:col: error: message``); 1 doctools itself failed (one line on the
terminal, the full report in a log file).  Heavy libraries are imported inside
the commands, so ``doctools --help`` stays fast.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errorlog import write_error_log
from .errors import EXIT_INPUT, EXIT_INTERNAL, DoctoolsError
from .i18n import N_, Group, _, install, lang_option

install()      # click's own words ("Usage:", "Options") come from doctools' catalog

class progress_bar:
    """A progress bar on stderr: packages of a multi-package build, or the
    steps of a single one; nothing when stderr is not a terminal (CI logs, pipes)."""

    def __init__(self, total: int):
        self.bar: Any = None        # click's ProgressBar, made at the first update
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


def _internal_error(exc: BaseException) -> None:
    import traceback

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
    _utf8_file_names()
    _stop_on_termination()


def _utf8_file_names() -> None:
    """Under a locale that is not UTF-8 (zh_CN.GBK), Python names files in the locale's encoding and cannot print
    what it cannot encode: doctools starts itself again, on the same command line as the kernel has it, in Python's
    UTF-8 mode, so file names are read and written in UTF-8 whatever the locale, while the terminal still gets its
    own encoding (what it lacks, such as ¶, shown as an escape).  Where that cannot be done, one line says what to
    set."""
    import locale

    if sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return
    try:
        argv = Path("/proc/self/cmdline").read_bytes().split(b"\0")[:-1]
    except OSError:
        argv = []
    if not argv or os.environ.get("PYTHONUTF8") == "1":
        click.echo("doctools: " + _("this locale is not UTF-8, and doctools names files in UTF-8: set "
                                    "LANG=zh_CN.UTF-8 (or PYTHONUTF8=1) and run it again"), err=True)
        sys.exit(EXIT_INPUT)
    encoding = locale.getpreferredencoding(False) or "ascii"
    os.execve(sys.executable, argv, {**os.environ, "PYTHONUTF8": "1",
                                     "PYTHONIOENCODING": f"{encoding}:backslashreplace"})


def _stop_on_termination() -> None:
    """SIGTERM (``kill``, a service manager) and SIGHUP (a closed terminal or SSH session) end doctools the way
    Ctrl-C does: as a KeyboardInterrupt, so LibreOffice's and Graphviz's process groups are killed, temporary
    folders removed and nothing half-written is left in outputs/."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, stop)


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
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help=N_("Output folder of the last build, to compare a task workbook's edits with."))
def check(packages, strict: bool, fix: bool, out_root: Path) -> None:
    """Check each PACKAGE folder and print every problem found; write nothing (unless --fix).

    Exit status: 0 clean, 1 only warnings with --strict, 2 errors."""
    from .commands.fix import check_command

    sys.exit(check_command(packages, strict, fix, echo=click.echo, out_root=out_root))


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
    from .commands.new import new_command

    new_command(folder, office, doc_type, subject, day, header, notice, units, source, year,
                ask=None if yes else _ask, echo=click.echo)


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
        raise click.BadParameter(_("{error}; write it as 2024年3月5日").format(error=exc)) from None
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
    from .audit import Report, as_json as to_json, as_table, audit_each

    results = audit_each(list(files))
    reports = [r for r in results if isinstance(r, Report)]
    if as_json:
        click.echo(to_json(reports))
    elif reports:
        click.echo("\n\n".join(as_table(r) for r in reports))
    failed = [r for r in results if not isinstance(r, Report)]
    for error in failed:
        error.show(lambda line: click.echo(line, err=True))
    sys.exit(2 if failed else 0 if all(r.passed for r in reports) else 1)


@main.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on; the default lets only this computer in."))
@click.option("--port", type=click.IntRange(1, 65535), default=8800, show_default=True, help=N_("Port to listen on."))
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help=N_("Folder for the outputs; each package gets a subfolder."))
@click.option("--no-browser", is_flag=True, help=N_("Do not open the browser."))
@click.option("--state", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=N_("The workbench's state folder (accounts, versions) [default: WORKSPACE/.doctools]."))
@click.option("--proxy", is_flag=True, help=N_("Reached through an HTTPS reverse proxy on this machine: login "
                                                "cookies only over HTTPS, accounts required."))
@click.option("--builds", type=click.IntRange(1, 16), default=2, show_default=True,
              help=N_("Preview builds at most at once."))
@click.option("--check-config", is_flag=True, help=N_("Tell what is wrong with this configuration, and start nothing."))
def serve(workspace: Path, host: str, port: int, out_root: Path, no_browser: bool, state, proxy: bool,
          builds: int, check_config: bool) -> None:
    """Open the workbench: a web page over the plans in WORKSPACE (default inputs/), to edit, check, preview
    and download them; in Chinese, or in English with --lang en."""
    import os

    from .workbench.config import check as check_configuration

    report = check_configuration(workspace, host, port, state, out_root, shared=proxy)
    for line in (report.notes if check_config else []) + report.warnings:
        click.echo(line, err=not check_config)
    for line in report.errors:
        click.echo("doctools: " + line, err=True)
    if check_config or not report.ok:
        if check_config and report.ok:
            click.echo(_("the configuration can be served"))
        sys.exit(0 if report.ok else EXIT_INPUT)
    lang = "en" if os.environ.get("LANGUAGE") == "en" else "zh"       # --lang en sets LANGUAGE; else Chinese
    click.echo(_("doctools workbench: http://{host}:{port}/ (Ctrl+C stops it)").format(host=host, port=port))
    try:
        from .workbench import serve as run
        run(workspace, host=host, port=port, lang=lang, out_root=out_root, open_browser=not no_browser,
            state=state, proxy=proxy, builds=builds, say=click.echo)
    except OSError as exc:
        raise DoctoolsError(_("cannot listen on {host}:{port}: {reason}").format(
            host=host, port=port, reason=exc.strerror or exc)) from None


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



# ---- accounts of a shared workbench ----------------------------------------------------------------------------
_workspace_option = click.option("--workspace", type=click.Path(file_okay=False, path_type=Path),
                                 default=Path("inputs"), show_default=True,
                                 help=N_("The folder of packages the workbench serves."))
_state_option = click.option("--state", type=click.Path(file_okay=False, path_type=Path), default=None,
                             help=N_("The workbench's state folder (accounts, versions) [default: WORKSPACE/.doctools]."))


def _accounts(workspace: Path, state):
    """The accounts of the workbench's state folder; an AccountError or StateError is a message and exit 2."""
    from .workbench.accounts import Accounts
    from .workbench.state import state_folder

    return Accounts(state_folder(workspace, state))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=_("Repeat the password"))


@main.group(cls=Group)
def users() -> None:
    """Manage the accounts of a shared workbench (doctools serve --host): add, remove, passwd, list."""


@users.command("add")
@click.argument("name")
@click.option("--admin/--no-admin", default=None, help=N_("Make it an admin account [default: only the first account is]."))
@click.option("--password-stdin", is_flag=True, help=N_("Read the password from standard input (for scripts)."))
@_workspace_option
@_state_option
def users_add(name: str, admin, password_stdin: bool, workspace: Path, state) -> None:
    """Add the account NAME; asks for its password."""
    accounts = _accounts(workspace, state)
    accounts.check_name(name)
    accounts.add(name, _password(password_stdin), admin)
    kind = _("admin") if accounts.get(name).admin else _("account")
    click.echo(_("added {kind} {name}").format(kind=kind, name=name))


@users.command("remove")
@click.argument("name")
@_workspace_option
@_state_option
def users_remove(name: str, workspace: Path, state) -> None:
    """Remove the account NAME; its sessions end at once."""
    _accounts(workspace, state).remove(name)
    click.echo(_("removed account {name}").format(name=name))


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help=N_("Read the password from standard input (for scripts)."))
@_workspace_option
@_state_option
def users_passwd(name: str, password_stdin: bool, workspace: Path, state) -> None:
    """Set a new password for the account NAME; its sessions end."""
    accounts = _accounts(workspace, state)
    if accounts.get(name) is None:
        raise DoctoolsError(_("there is no account '{name}'").format(name=name))
    accounts.passwd(name, _password(password_stdin))
    click.echo(_("changed the password of {name}").format(name=name))


@users.command("list")
@_workspace_option
@_state_option
def users_list(workspace: Path, state) -> None:
    """List the accounts, admins marked, and the plans limited to named accounts."""
    accounts = _accounts(workspace, state)
    for account in accounts.list():
        click.echo(_("{name} (admin)").format(name=account.name) if account.admin else account.name)
    for package, names in accounts.access_lists().items():
        click.echo(_("{package}: only {names}").format(package=package, names=", ".join(names)))


@users.command("grant")
@click.argument("name")
@click.argument("package")
@_workspace_option
@_state_option
def users_grant(name: str, package: str, workspace: Path, state) -> None:
    """Let the account NAME edit PACKAGE; once a package names accounts, only they (and admins) see it."""
    _accounts(workspace, state).grant(package, name)
    click.echo(_("{name} may edit {package}").format(name=name, package=package))


@users.command("revoke")
@click.argument("name")
@click.argument("package")
@_workspace_option
@_state_option
def users_revoke(name: str, package: str, workspace: Path, state) -> None:
    """Take PACKAGE from the account NAME's access list."""
    _accounts(workspace, state).revoke(package, name)
    click.echo(_("{name} no longer named for {package}").format(name=name, package=package))


if __name__ == "__main__":  # pragma: no cover
    main()
