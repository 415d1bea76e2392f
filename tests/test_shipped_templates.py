"""The default templates ship prebuilt (a build never makes them again); they are exactly what the code makes."""
import importlib.metadata
import io
import re
import zipfile

from lockfile import locked_version

from doctools.writers.default_templates import make_template_bytes, make_xlsx_template_bytes, template_bytes, xlsx_template_bytes


def test_the_shipped_plan_template_is_what_the_code_makes():
    assert template_bytes() == make_template_bytes()


def parts(xlsx: bytes) -> dict:
    """The parts of a workbook; openpyxl writes its own version into docProps/app.xml (<Application>), which
    says nothing about the template, so the lowest openpyxl setup.cfg allows makes the same template."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {name: re.sub(rb"<Application>[^<]*</Application>", b"", z.read(name)) for name in z.namelist()}


def test_the_shipped_workbook_template_is_what_the_code_makes():
    shipped, made = xlsx_template_bytes(), make_xlsx_template_bytes()
    assert parts(shipped) == parts(made)
    if importlib.metadata.version("openpyxl") == str(locked_version("openpyxl")):
        assert shipped == made
