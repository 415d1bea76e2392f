import os
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
