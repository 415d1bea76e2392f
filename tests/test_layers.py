"""The three stages go one way: readers → model → compose → writers.

The imports of every module under ``doctools/`` are read with :mod:`ast`
(those inside functions too: a late import is still a dependency), and the
rules of the developers' guide are checked on them."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, Optional, Set

ROOT = Path(__file__).resolve().parent.parent / "doctools"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> Dict[str, Set[str]]:
    """Module -> the doctools modules it imports."""
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph: Dict[str, Set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: Set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_the_import_reader_finds_the_imports():
    graph = imports()
    assert "doctools.model" in graph["doctools.readers.package"]
    assert "doctools.compose.tables" in graph["doctools.compose"]
    assert "doctools.typeset.gbt9704" in graph["doctools.writers.docx_plan"]        # from ..typeset import gbt9704 as G


# The stages, lowest first, and what each may import besides itself and the
# infrastructure at the top (errors, i18n, limits, names, resources).  A stage
# is a folder of doctools/; a module at the top that is not infrastructure fails.
INFRASTRUCTURE = {"doctools", "doctools.__main__", "doctools.cli", "doctools.errors", "doctools.i18n",
                  "doctools.limits", "doctools.names", "doctools.resources", "doctools.errorlog"}
MAY_IMPORT = {
    "safeio": set(),                                        # opening untrusted files, writing files atomically
    "model": set(),                                         # dataclasses, deadlines, numbering, the unit registry
    "typeset": {"model"},                                   # GB/T 9704 numbers, titles, line breaking, widths
    "readers": {"model", "typeset", "safeio"},              # files in, one model out
    "compose": {"model", "typeset"},                        # the model made into what is printed
    "writers": {"model", "typeset", "safeio"},              # bytes out; never a file (but xlsx's style cache)
    "convert": {"typeset"},                                 # Graphviz, LibreOffice, fonts
    "audit": {"typeset", "convert", "safeio"},              # reads a .docx as delivered
    "commands": {"model", "typeset", "readers", "compose", "writers", "convert", "audit", "safeio"},
    "workbench": {"model", "typeset", "readers", "compose", "writers", "convert", "audit", "commands", "safeio"},  # serve
}


def stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 and module not in INFRASTRUCTURE else ""


def test_every_module_is_in_a_stage_or_is_infrastructure():
    loose = sorted(m for m in imports() if m not in INFRASTRUCTURE and stage(m) not in MAY_IMPORT)
    assert not loose, "put each module into a stage folder (see MAY_IMPORT), or name it infrastructure"


def test_each_stage_imports_only_the_stages_below_it():
    bad = sorted((m, t) for m, targets in imports().items() if stage(m) in MAY_IMPORT
                 for t in targets if t not in INFRASTRUCTURE and stage(t) != stage(m)
                 and stage(t) not in MAY_IMPORT[stage(m)])
    assert not bad


def test_infrastructure_imports_no_stage_but_at_the_command_line():
    bad = sorted((m, t) for m in INFRASTRUCTURE - {"doctools.cli", "doctools.__main__"} for t in imports().get(m, ())
                 if t not in INFRASTRUCTURE)
    assert not bad


def test_the_layer_rules_would_catch_a_reader_importing_a_writer():
    graph = imports()
    graph["doctools.readers.package"] = graph["doctools.readers.package"] | {"doctools.writers.xlsx"}
    bad = [(m, t) for m, targets in graph.items() if stage(m) in MAY_IMPORT for t in targets
           if t not in INFRASTRUCTURE and stage(t) != stage(m) and stage(t) not in MAY_IMPORT[stage(m)]]
    assert bad == [("doctools.readers.package", "doctools.writers.xlsx")]


def test_there_is_no_import_cycle():
    graph = imports()
    cycles = []

    def visit(node, stack, done):
        for target in sorted(graph[node]):
            if target in stack:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in done:
                visit(target, stack + [target], done)
        done.add(node)

    done: Set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert not cycles


# WordprocessingML outside doctools/writers/oxml/, and why it is there
WML_ALLOWED = {
    "doctools/audit": "the audit READS a .docx (styles, paragraphs) to check it; it writes none",
    "doctools/readers/docx_source.py": "the importer READS a typed .docx into numbered paragraphs and tables",
}
_WML = re.compile(r"<w:[A-Za-z]|\bw:[a-z][A-Za-z]+\b")


def wml_strings():
    """(file, line, text) of every string in code (docstrings aside) that names a w: element or attribute."""
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            if isinstance(value, str) and id(node) not in docstrings and _WML.search(value):
                yield str(path.relative_to(ROOT.parent)), node.lineno, value


def test_wordprocessingml_is_written_in_one_layer():
    outside = [(f, line, text[:60]) for f, line, text in wml_strings()
               if not f.startswith("doctools/writers/oxml/") and not any(f.startswith(a) for a in WML_ALLOWED)]
    assert not outside


def test_the_wordprocessingml_finder_finds_it():
    found = {f for f, _, _ in wml_strings()}
    assert "doctools/writers/oxml/__init__.py" in found and "doctools/writers/oxml/style_parts.py" in found


# ---- the safe-I/O layer (doctools/safeio/) -----------------------------------------------------------------------
# A file is put in place only by doctools.safeio.atomic (staged, flushed, renamed, never through a link), and a zip
# package is opened only by doctools.safeio.untrusted (limits, regular files) or by a writer, which gets bytes that
# doctools made or that build checked through safeio first.
PUTS_IN_PLACE = re.compile(r"\bos\.(?:replace|rename)\(|\.(?:replace|rename)\(\s*(?:tmp|staging|target)\b")
OPENS_ZIP = re.compile(r"\bZipFile\(")


def sources() -> Dict[str, str]:
    return {str(p.relative_to(ROOT.parent)): p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py")}


def calls(pattern: re.Pattern, files: Optional[Dict[str, str]] = None) -> Set[str]:
    """The files (path -> code; all under doctools/ by default) whose code, comments aside, matches *pattern*."""
    files = sources() if files is None else files
    return {name for name, text in files.items()
            if pattern.search("\n".join(line.split("#")[0] for line in text.splitlines()))}


def test_only_the_safe_io_layer_puts_files_in_place():
    assert {f for f in calls(PUTS_IN_PLACE) if not f.startswith("doctools/safeio/")} == set()
    assert "doctools/safeio/atomic.py" in calls(PUTS_IN_PLACE)


def test_only_the_safe_io_layer_and_the_writers_open_a_zip():
    outside = {f for f in calls(OPENS_ZIP) if not f.startswith(("doctools/safeio/", "doctools/writers/"))}
    assert outside == set()
    assert "doctools/safeio/untrusted.py" in calls(OPENS_ZIP)


def test_the_rules_would_catch_a_reader_opening_a_zip_or_renaming_a_file():
    probe = {"doctools/readers/probe.py": "import zipfile\nz = zipfile.ZipFile(p)\nos.replace(tmp, path)  # x\n",
             "doctools/readers/clean.py": "# zipfile.ZipFile( in a comment\n"}
    assert calls(OPENS_ZIP, probe) == calls(PUTS_IN_PLACE, probe) == {"doctools/readers/probe.py"}


# ---- one error path: doctools.cli's handler, and the worker processes ----------------------------------------------
CATCHES_ALL = re.compile(r"except\s+Exception\b|except\s*:")     # BaseException blocks that clean up and re-raise pass
CATCH_ALL_ALLOWED = {
    "doctools/cli.py": "Main.invoke: the one handler that turns a failure into exit 1 and a report",
    "doctools/writers/jinja_fields.py": "the child process that fills a house template's fields: whatever the "
                                        "template makes Jinja raise is the template's fault",
    "doctools/workbench/app.py": "the server's handler: an unexpected failure is a Chinese page and a report, the "
                                 "clerk's edit is kept (never a traceback or a bare 500)",
    "doctools/workbench/uno_worker.py": "the LibreOffice worker process: whatever UNO raises is answered as an error "
                                        "and the office restarted",
}


def test_nothing_but_the_handler_and_the_workers_catches_every_exception():
    assert calls(CATCHES_ALL) - set(CATCH_ALL_ALLOWED) == set()
    assert calls(CATCHES_ALL, {"doctools/readers/x.py": "try:\n    f()\nexcept Exception:\n    pass\n"}) == {"doctools/readers/x.py"}
