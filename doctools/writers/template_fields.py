"""Jinja fields an office puts into its Word template, filled by docxtpl.

A house template may carry fields such as ``{{ office }}`` in a header, or
``{{ number }}`` and ``{{ date }}`` in a footer line.  They are rendered with
docxtpl in a *sandboxed* Jinja environment (no attribute access to Python
internals) with strict undefined variables: a field the model does not provide
is an input error naming it, never a silent blank.  The plan writer then
fills the body with python-docx.
"""
from __future__ import annotations

import io
from typing import Dict

from ..deadline import official_date
from ..errors import Diagnostic, InputError, Pos
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


def fill_template_fields(source: bytes, package: Package, template_name: str) -> bytes:
    """The template with its Jinja fields filled; unchanged when it has none."""
    if not _has_fields(source):
        return source
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    tpl = DocxTemplate(io.BytesIO(source))
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    context = template_context(package)
    try:
        missing = sorted(tpl.get_undeclared_template_variables(env) - set(context))
        if missing:
            raise InputError([Diagnostic(Pos(template_name), f"the template asks for {', '.join(repr(m) for m in missing)}, "
                                         f"which the document does not have (it has: {', '.join(sorted(context))})")])
        tpl.render(context, jinja_env=env)
    except (TemplateSyntaxError, UndefinedError, SecurityError) as exc:
        raise InputError([Diagnostic(Pos(template_name), f"template field error: {exc}")]) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _has_fields(source: bytes) -> bool:
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO(source))
    return any(b"{{" in archive.read(n) or b"{%" in archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
