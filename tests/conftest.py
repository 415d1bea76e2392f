import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Messages are English unless a test asks for Chinese (tests/test_i18n.py), whatever the developer's locale.
os.environ["LANGUAGE"] = "en"
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def root():
    return ROOT


def build_package(folder: Path):
    from doctools.commands.build import load_package as read_package
    from doctools.writers.docx_plan import PlanWriter

    writer = PlanWriter(read_package(folder), ROOT / "templates" / "docx" / "plan.docx")
    return writer.write(), writer


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
