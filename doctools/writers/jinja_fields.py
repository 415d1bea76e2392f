"""Jinja fields an office puts into its Word template, filled by docxtpl.

A house template may carry fields such as ``{{ office }}`` in a header, or
``{{ number }}`` and ``{{ date }}`` in a footer line.  They are rendered with
docxtpl in a *sandboxed* Jinja environment (no attribute access to Python
internals) with strict undefined variables: a field the model does not provide
is an input error naming it, never a silent blank.  The plan writer then
fills the body with python-docx.

A template may come from anywhere, and a field's value is the user's text, so
rendering is guarded three ways:

* a field shows text, a number or a date and nothing else: ``{{ title.format }}`` would print a
  Python function with its memory address (different on every run), so it is refused naming the field;
* values are escaped as XML text, always (``autoescape``; the ``safe`` filter
  and ``{% autoescape false %}`` are refused): a title holding
  ``</w:t></w:r><w:r><w:fldChar …`` stays text and can never add a field that
  makes Word fetch a remote address;
* the environment has no globals (no ``range``, ``lipsum``, ``cycler`` …) and
  no loader (``{% include %}`` is an error, not a file read);
* the rendering runs in a forked child process with
  :data:`~doctools.limits.MAX_TEMPLATE_SECONDS` of time and
  :data:`~doctools.limits.MAX_TEMPLATE_MEMORY` bytes of extra memory, and its
  rendered parts may not exceed :data:`~doctools.limits.MAX_TEMPLATE_OUTPUT`
  bytes each: a nested loop or ``'x' * 10**10`` ends as an input error.
"""
from __future__ import annotations

import datetime
import io
import os
import re
from typing import Dict, Optional

from ..model.deadline import official_date
from ..errors import Diagnostic, InputError, Pos, translate
from ..i18n import N_
from ..limits import MAX_TEMPLATE_MEMORY, MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_SECONDS
from ..i18n import _
from ..model import Package


def template_context(package: Package) -> Dict[str, str]:
    d = package.document
    return {
        "title": d.title,
        "office": d.office or "",
        "date": official_date(d.date) if d.date else "",
        "number": d.header.number if d.header and d.header.number else "",
        "mark": d.header.mark if d.header else "",
        "recipients": d.recipients or "",
        "package": package.name,
    }


_UNESCAPING = re.compile(rb"\{%-?\s*autoescape|\|\s*safe\b")
_FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
_TAG = re.compile(r"<[^>]+>")


class _NotText(Exception):
    """A field gave something other than text, a number or a date (a function, a list …)."""

    def __init__(self, value: object):
        super().__init__(type(value).__name__)
        self.value = value


def _shown(value: object):
    """What a field prints: text, a number or a date, else :class:`_NotText` is raised."""
    if isinstance(value, (str, int, float, datetime.date)) and not isinstance(value, bool):
        return value
    raise _NotText(value)


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_shown)
    env.globals.clear()                     # no range, lipsum, dict, cycler, joiner, namespace
    env.filters.pop("safe", None)
    return env


def fill_template_fields(source: bytes, package: Package, template_name: str) -> bytes:
    """The template with its Jinja fields filled; unchanged when it has none."""
    if not _has_fields(source):
        return source

    def refuse(message: str):
        return InputError([Diagnostic(Pos(template_name), message)])

    if _unescaping(source):
        raise refuse(_("template field error: the template turns off escaping ('safe' or 'autoescape'); "
                       "fields are always filled in as plain text"))
    status, result = _render_bounded(source, template_context(package))
    if status != "ok":
        raise refuse(result)
    return result


def _render(source: bytes, context: Dict[str, str]):
    """("ok", the filled .docx) or ("error", why): runs in the child process.

    Even finding the template's variables compiles it, and Jinja's compiler
    folds constants (``'x' * 10**10`` is computed there), so that too happens
    here, under the limits."""
    import zipfile
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        missing = sorted(DocxTemplate(io.BytesIO(source)).get_undeclared_template_variables(_environment()) - set(context))
    except MemoryError:
        return "error", _memory_message()
    except TemplateError as exc:
        return "error", _("template field error: {error}").format(error=str(exc)[:200])
    if missing:
        return "error", _("the template asks for {missing}, which the document does not have (it has: {fields})").format(
            missing=", ".join(repr(m) for m in missing), fields=", ".join(sorted(context)))
    try:
        tpl = DocxTemplate(io.BytesIO(source))
        tpl.render(context, jinja_env=_environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except _NotText as exc:
        return "error", _not_text_message(source, context, exc.value)
    except MemoryError:
        return "error", _memory_message()
    except Exception as exc:  # noqa: BLE001 - whatever a template makes Jinja or docxtpl raise is the template's fault
        return "error", _("template field error: {error}").format(error=f"{type(exc).__name__}: {str(exc)[:200]}")
    data = out.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        if info.filename.endswith(".xml") and info.file_size > MAX_TEMPLATE_OUTPUT:
            return "error", _("template field error: the filled part '{part}' has {size} bytes; fields may fill a part "
                              "up to {limit} bytes").format(part=info.filename, size=f"{info.file_size:,}",
                                                             limit=f"{MAX_TEMPLATE_OUTPUT:,}")
    return "ok", data


def _not_text_message(source: bytes, context: Dict[str, str], value: object) -> str:
    """The error for a field that gives no text, naming the field when it can be found on its own."""
    kind = "function" if callable(value) else type(value).__name__
    field = _field_giving(source, context)
    if field is None:
        return translate(N_("template field error: a field gives a Python {kind}, not text; a field may show only "
                            "the document's text, numbers and dates"), dict(kind=kind))
    return translate(N_("template field error: the field '{field}' gives a Python {kind}, not text; a field may show "
                        "only the document's text, numbers and dates"), dict(field=field, kind=kind))


def _field_giving(source: bytes, context: Dict[str, str]) -> Optional[str]:
    """The first ``{{ … }}`` of the template whose value is not text, as typed (None when none is found alone,
    as inside a loop)."""
    import zipfile

    env = _environment()
    archive = zipfile.ZipFile(io.BytesIO(source))
    for name in sorted(n for n in archive.namelist() if n.endswith(".xml")):
        text = _TAG.sub("", archive.read(name).decode("utf-8", "replace"))
        for match in _FIELD.finditer(text):
            try:
                _shown(env.compile_expression(match.group(1).strip(), undefined_to_none=False)(**context))
            except _NotText:
                return "{{ " + match.group(1).strip()[:60] + " }}"
            except Exception:  # noqa: BLE001 - a field that fails differently is not the one
                continue
    return None


def _memory_message() -> str:
    return _("template field error: filling the fields needs more than {limit} bytes of memory").format(
        limit=f"{MAX_TEMPLATE_MEMORY:,}")


def _render_bounded(source: bytes, context: Dict[str, str]):
    """:func:`_render` in a forked child with a time and a memory limit."""
    import multiprocessing
    import resource

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child():
        try:
            limit = _memory_in_use() + MAX_TEMPLATE_MEMORY
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
        send.send(_render(source, context))

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()
    try:
        if receive.poll(MAX_TEMPLATE_SECONDS):
            try:
                return receive.recv()
            except EOFError:
                pass
        else:
            return "error", _("template field error: filling the fields took longer than {seconds} s").format(
                seconds=MAX_TEMPLATE_SECONDS)
        return "error", _("template field error: filling the fields ran out of memory")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()


def _memory_in_use() -> int:
    """The virtual memory size of this process, in bytes."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 2_000_000_000


def _unescaping(source: bytes) -> bool:
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO(source))
    return any(_UNESCAPING.search(archive.read(n)) for n in archive.namelist() if n.endswith(".xml"))


def _has_fields(source: bytes) -> bool:
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO(source))
    return any(b"{{" in archive.read(n) or b"{%" in archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
