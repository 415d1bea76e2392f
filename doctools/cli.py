"""The ``doctools`` command line.

Exit status: 0 done; 2 the input is wrong (every problem is printed as
``file:line:col: error: message``); 1 doctools itself failed (one line on the
terminal, the full report in a log file).  Heavy libraries are imported inside
the commands, so ``doctools --help`` stays fast.
"""
from __future__ import annotations

import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from . import __version__

EXIT_INPUT = 2
EXIT_INTERNAL = 1


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
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _internal_error(exc: BaseException) -> None:
    log = Path(tempfile.gettempdir()) / "doctools-error.log"
    log.write_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), encoding="utf-8")
    click.echo(f"doctools: internal error: {exc} (full report in {log})", err=True)
    sys.exit(EXIT_INTERNAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="doctools")
def main() -> None:
    """Official-format plans (实施方案), attachment tables and flowcharts from structured inputs."""


@main.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the outputs; each package gets a subfolder.")
@click.option("--pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Word template to use instead of templates/docx/plan.docx.")
@click.option("--force", is_flag=True, help="Rebuild everything: every output and every flowchart, changed or not.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Build packages in this many worker processes.")
def build(packages, out_root: Path, pdf: bool, template, force: bool, jobs: int) -> None:
    """Build the documents of each PACKAGE folder (e.g. inputs/kazuo)."""
    from .build import build as run_build
    from .errors import Diagnostics, InputError
    from .render import RenderUnavailable

    diags = Diagnostics()
    start = time.perf_counter()
    try:
        if pdf:
            from .pdf import soffice
            if soffice() is None:
                click.echo("doctools: --pdf needs LibreOffice, which is not installed "
                           "(apt-get install libreoffice-writer-nogui)", err=True)
                sys.exit(EXIT_INPUT)
            from .fonts import missing_stand_ins
            for family in missing_stand_ins():
                click.echo(f"doctools: warning: font '{family}' is not installed; PDF text will use a fallback font "
                           "(apt-get install fonts-noto-cjk fonts-arphic-ukai)", err=True)
        with progress_bar(len(packages)) as progress:
            report = run_build(packages, out_root, pdf=pdf, template=template, diags=diags, force=force, jobs=jobs,
                               progress=progress)
        if pdf:
            click.echo(f"PDF conversion (one LibreOffice run): {report.pdf_seconds:.1f} s")
    except RenderUnavailable as exc:
        click.echo(f"doctools: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except InputError as exc:
        _print_diagnostics(exc.diagnostics)
        click.echo(f"doctools: {len([d for d in exc.diagnostics if d.severity == 'error'])} error(s); nothing was written", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # noqa: BLE001 - the one place that turns failures into exit 1
        _internal_error(exc)
    _print_diagnostics(diags.warnings)
    for folder in report.current:
        click.echo(f"{folder}: up to date")
    for path in report.written:
        click.echo(f"wrote {path}")
    charts = f"; {report.charts}" if any(o.package.charts or o.deletes for o in report.outputs) else ""
    click.echo(f"{len(report.written)} file(s) in {time.perf_counter() - start:.1f} s{charts}")


@main.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (and no errors).")
@click.option("--fix", is_flag=True, help="Rewrite the input files with the safe fixes, showing the diff first.")
def check(packages, strict: bool, fix: bool) -> None:
    """Check each PACKAGE folder and print every problem found; write nothing (unless --fix).

    Exit status: 0 clean, 1 only warnings with --strict, 2 errors."""
    from .build import read_all
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
            from .fix import apply_fixes
            total, files = 0, set()
            for _ in range(5):        # a fix can reveal another: ",," becomes "，，", then "，"
                applied = apply_fixes(fixes, lambda text: click.echo(text, nl=False)) if fixes else {}
                if not applied:
                    break
                total += sum(applied.values())
                files |= set(applied)
                diags, fixes = run()
            click.echo(f"fixed {total} place(s) in {len(files)} file(s)")
    except Exception as exc:  # noqa: BLE001
        _internal_error(exc)
    _print_diagnostics(diags.sorted())
    errors, warnings = len(diags.errors), len(diags.warnings)
    click.echo(f"{len(packages)} package(s) checked: {errors} error(s), {warnings} warning(s)"
               + (f"; {len(fixes)} can be fixed with --fix" if fixes and not fix else ""), err=bool(errors))
    if errors:
        sys.exit(EXIT_INPUT)
    if warnings and strict:
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("templates"))
def template(folder: Path) -> None:
    """Write the default templates into FOLDER (docx/plan.docx, xlsx/tables.xlsx)."""
    from .template import template_bytes, xlsx_template_bytes

    for relative, data in (("docx/plan.docx", template_bytes()), ("xlsx/tables.xlsx", xlsx_template_bytes())):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        click.echo(f"wrote {path}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of a table.")
def audit(files, as_json: bool) -> None:
    """Check each .docx FILE against GB/T 9704-2012, clause by clause, on a LibreOffice render of it.

    Exit status: 0 every clause passes; 1 a clause fails; 2 a file cannot be
    read (missing, not a .docx, encrypted) or LibreOffice is missing."""
    from .audit import UnreadableInput, as_json as to_json, as_table, audit as run_audit
    from .pdf import PdfUnavailable, PdfTimeout

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
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
def fonts(dry_run: bool) -> None:
    """Let LibreOffice on this machine show the official font names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312)
    with free stand-ins: writes ~/.config/fontconfig/conf.d/60-doctools.conf."""
    from .fonts import fontconfig_xml, install_user_config, user_config_path

    path = user_config_path()
    changed = install_user_config(path, dry_run=dry_run)
    if not changed:
        click.echo(f"{path}: already up to date")
    elif dry_run:
        click.echo(f"would write {path}:\n{fontconfig_xml(include_system=False)}", nl=False)
    else:
        click.echo(f"wrote {path}; restart LibreOffice to use it")


if __name__ == "__main__":  # pragma: no cover
    main()
