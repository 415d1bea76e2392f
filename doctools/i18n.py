"""Chinese or English: doctools speaks the language of the user's locale.

The people who use doctools are Chinese office staff on Chinese-locale machines, so every message can be shown in
Chinese.  The machinery is plain GNU gettext: English is the source language (a message id *is* the English text,
so English needs no catalog) and ``doctools/locale/zh/LC_MESSAGES/doctools.po`` holds the Chinese, compiled to the
``doctools.mo`` next to it.  The .mo is committed, so a checkout or an install needs no build step;
``tests/test_i18n.py`` checks that it equals a fresh compile of the .po and that every message has a translation.

The language is read the way gettext reads it: the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
that is set decides (``zh_CN.UTF-8``, ``zh_TW``, ``zh`` give Chinese; ``C.UTF-8``, ``en_US.UTF-8`` English).
``doctools --lang zh|en`` sets ``LANGUAGE`` for the run, the variable gettext reserves for exactly this override;
worker processes and the messages of click inherit it.

click marks its own strings ("Usage:", "Options", "Show this message and exit.", "No such command …") with
``gettext.gettext``, which looks in Python's global text domain.  :func:`install` makes that domain doctools', and
the catalog carries click's strings too (they are extracted from the installed click).

Marking messages:

* ``_("text")`` translates now; ``ngettext(singular, plural, n)`` for counted words.
* ``N_("text")`` only marks text for extraction, for text translated later: help strings of commands and options
  (click shows them after ``--lang`` is read), and diagnostics (see :mod:`doctools.errors`).
* Values go in as named placeholders, ``_("unit '{unit}' …").format(unit=name)``, so a translation may put them
  where Chinese word order needs them.

Updating the catalog after messages changed (needs Babel, which the ``test`` extra installs)::

    .venv/bin/python -m doctools.i18n      # extract, merge into the .po, compile the .mo

then fill in every empty ``msgstr`` in the .po and run it again.
"""
from __future__ import annotations

import gettext
import inspect
import os
import sys
from pathlib import Path
from typing import Iterator, Optional, Tuple

import click

DOMAIN = "doctools"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

gettext.bindtextdomain(DOMAIN, str(LOCALEDIR))


_CATALOGS: dict = {}
_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _catalog() -> gettext.NullTranslations:
    """The catalog of the active language, found once per setting of the language variables:
    ``gettext.dgettext`` looks for the .mo file again on every call (a dozen ``stat`` calls), which made
    a file with 200,000 problems take 20 s just to word them."""
    key = tuple(os.environ.get(name) for name in _LANGUAGE_VARIABLES)
    catalog = _CATALOGS.get(key)
    if catalog is None:
        catalog = _CATALOGS[key] = gettext.translation(DOMAIN, str(LOCALEDIR), fallback=True)
    return catalog


def _(message: str) -> str:
    """*message* in the active language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog().ngettext(singular, plural, n)


def errors_phrase(count: int) -> str:
    """"3 errors" in the active language."""
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def warnings_phrase(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def files_phrase(count: int) -> str:
    return ngettext("{count} file", "{count} files", count).format(count=count)


def N_(message: str) -> str:
    """Mark *message* for extraction only; it is translated where it is shown."""
    return message


def language() -> str:
    """The active language: "zh" when the environment asks for Chinese, else "en"."""
    mo = gettext.find(DOMAIN, str(LOCALEDIR))
    return "zh" if mo and Path(mo).parent.parent.name.startswith("zh") else "en"


def set_language(lang: Optional[str]) -> Optional[str]:
    """Make *lang* ("zh" or "en") the language of this process; return the earlier LANGUAGE to restore."""
    earlier = os.environ.get("LANGUAGE")
    if lang is not None:
        os.environ["LANGUAGE"] = lang
    return earlier


def restore_language(earlier: Optional[str]) -> None:
    if earlier is None:
        os.environ.pop("LANGUAGE", None)
    else:
        os.environ["LANGUAGE"] = earlier


def install() -> None:
    """Let click's own strings come from doctools' catalog too (the command line calls this once)."""
    gettext.textdomain(DOMAIN)


# ---- the command line ------------------------------------------------------------------------------------------
def _translate_help(obj) -> None:
    """Show *obj*'s help (a command's docstring, an option's help=) in the active language; the English text
    stays as the message id, so a later run in the other language translates it afresh."""
    msgid = obj.__dict__.setdefault("_help_msgid", obj.help)
    if msgid:
        obj.help = _(inspect.cleandoc(msgid).partition("\f")[0])


class _TranslatedHelp:
    """Help texts are message ids, translated when shown, i.e. after ``--lang`` has been read."""

    def get_help(self, ctx: click.Context) -> str:
        for obj in (self, *self.get_params(ctx)):  # type: ignore[attr-defined]
            _translate_help(obj)
        return super().get_help(ctx)  # type: ignore[misc]

    def get_help_option(self, ctx: click.Context) -> Optional[click.Option]:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:     # click words it once, in the language of that moment; keep its id instead
            option.__dict__.setdefault("_help_msgid", N_("Show this message and exit."))
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        _translate_help(self)
        return super().get_short_help_str(limit)  # type: ignore[misc]


def _lang_callback(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> None:
    if value:
        earlier = set_language(value)
        ctx.call_on_close(lambda: restore_language(earlier))


_LANG = dict(type=click.Choice(LANGUAGES), is_eager=True, expose_value=False, callback=_lang_callback,
             help=N_("Language of messages and help (default: the locale's; LANG=zh_CN.UTF-8 gives zh). "
                     "Put it before --help."))
lang_option = click.option("--lang", **_LANG)


class Command(_TranslatedHelp, click.Command):
    """A subcommand; it takes ``--lang`` too, so ``doctools check 包 --lang zh`` works as the guide says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(click.Option(["--lang"], **_LANG))


class Group(_TranslatedHelp, click.Group):
    command_class = Command


# ---- keeping the catalog (developers only; needs Babel) --------------------------------------------------------
PO = LOCALEDIR / "zh" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def _command_docstrings(fileobj, keywords, comment_tags, options) -> Iterator[Tuple[int, str, str, list]]:
    """Babel extractor: the usual Python messages plus the docstrings click shows as command help."""
    import ast

    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    for node in ast.walk(ast.parse(fileobj.read())):
        if isinstance(node, ast.FunctionDef) and any(_is_click_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, "", inspect.cleandoc(doc).partition("\f")[0], []


def _is_click_command(decorator) -> bool:
    import ast

    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(func, ast.Attribute) and func.attr in ("command", "group")


def extract():
    """A Babel catalog of every message: doctools' code (with command docstrings) and the installed click's."""
    import click
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="doctools", domain=DOMAIN, fuzzy=False)
    method = f"{__name__}:_command_docstrings"
    for root, prefix in ((Path(__file__).parent, "doctools"), (Path(click.__file__).parent, "click")):
        for filename, lineno, message, comments, context in extract_from_dir(str(root), [("**.py", method)]):
            if message:
                template.add(message, locations=[(f"{prefix}/{filename}", lineno)], auto_comments=comments,
                             context=context)
    return template


def compile_po(po_bytes: bytes) -> bytes:
    """The .mo of a .po, as ``pybabel compile`` makes it."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = BytesIO()
    write_mo(out, read_po(BytesIO(po_bytes), locale="zh_CN", domain=DOMAIN))
    return out.getvalue()


def update() -> int:
    """Merge newly extracted messages into the .po (new ones untranslated, gone ones dropped); compile the .mo.
    Return how many messages still lack a translation."""
    from io import BytesIO

    from babel.messages.pofile import read_po, write_po

    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN", domain=DOMAIN)
    catalog.update(extract(), no_fuzzy_matching=True, update_creation_date=False)
    out = BytesIO()
    write_po(out, catalog, width=120, ignore_obsolete=True, include_previous=False, include_lineno=False)
    PO.write_bytes(out.getvalue())
    MO.write_bytes(compile_po(out.getvalue()))
    return sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))


if __name__ == "__main__":  # pragma: no cover
    missing = update()
    print(f"{PO}: {missing} message(s) without a translation")
    sys.exit(1 if missing else 0)
