import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Messages are English unless a test asks for Chinese (tests/test_i18n.py), whatever the developer's locale.
os.environ["LANGUAGE"] = "en"
sys.path.insert(0, str(Path(__file__).resolve().parent))      # tests import their shared code: from helpers import …

from helpers import build_package, run  # noqa: E402 - after the path is set


@pytest.fixture
def cli():
    """doctools on the command line, in this process (:func:`helpers.run`)."""
    return run


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def kazuo():
    data, writer = build_package(ROOT / "inputs" / "kazuo")
    return data


@pytest.fixture(scope="session")
def pdf_of():
    """PDF bytes of docx bytes, through doctools' own LibreOffice path (cached)."""
    from doctools.convert import libreoffice as pdf

    if pdf.soffice() is None:
        pytest.fail("LibreOffice is not installed; run the install command of the README")
    cache = {}

    def convert(data: bytes) -> bytes:
        if data not in cache:
            cache[data] = pdf.convert({"doc": data})["doc"]
        return cache[data]

    return convert


# ---- the fast part: `pytest -m "not slow"` ----------------------------------------------------------------------
# A test is slow when it runs LibreOffice, Graphviz or poppler (or sets up an environment). Whole modules of such
# tests are marked here, single tests where they stand (@pytest.mark.slow); a test marked by neither that starts one
# of these programs fails, so the fast part stays free of them and the marks stay true.
TOOLS = {"dot": "Graphviz", "soffice": "LibreOffice", "libreoffice": "LibreOffice", "pdftoppm": "poppler",
         "pdftotext": "poppler", "pdfinfo": "poppler"}
SLOW_MODULES = {"test_packages_pdf", "test_pdf_layout", "test_readability", "test_audit", "test_faults",
                "test_guide", "test_charts", "test_flows", "test_install",
                # real browsers, LibreOffice previews, builds with charts, the load test
                "test_workbench_browser", "test_workbench_shared_browser", "test_workbench_load",
                "test_workbench_faults", "test_workbench_deploy", "test_clean_outputs", "test_word_wps",
                "test_audit_corpus", "test_import_cases", "test_hostile", "test_hostile_files"}
SLOW_FIXTURES = {"pdf_of"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__ in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def _tool_stand_ins(tmp_path_factory):
    """A folder of scripts named like the tools, put first on PATH: they note their name and fail, in the test's
    process and in any process it starts."""
    folder = tmp_path_factory.mktemp("no-tools")
    for name in TOOLS:
        (folder / name).write_text('#!/bin/sh\nbasename "$0" >> "$DOCTOOLS_TEST_TOOLS_LOG"\nexit 127\n')
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture(autouse=True)
def _tools_only_in_slow_tests(request, monkeypatch, tmp_path_factory):
    if request.node.get_closest_marker("slow"):
        yield
        return
    started = []
    stand_ins = request.getfixturevalue("_tool_stand_ins")
    log = tmp_path_factory.mktemp("tools-log") / "started"
    monkeypatch.setenv("PATH", f"{stand_ins}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DOCTOOLS_TEST_TOOLS_LOG", str(log))

    class Popen(subprocess.Popen):
        def __init__(self, args, *rest, **options):
            program = Path(str(args[0] if isinstance(args, (list, tuple)) else str(args).split()[0]))
            if program.name in TOOLS and program.parent != stand_ins:     # called by a full path
                started.append(program.name)
                raise OSError(f"{program} started by a test not marked slow")
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Popen)
    yield
    started += log.read_text().split() if log.exists() else []
    assert not started, f"this test runs {', '.join(sorted({TOOLS[p] for p in started}))}: mark it slow"
