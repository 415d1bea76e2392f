"""The default templates ship prebuilt (a build never makes them again); they are exactly what the code makes."""
from doctools.writers.default_templates import make_template_bytes, make_xlsx_template_bytes, template_bytes, xlsx_template_bytes


def test_the_shipped_plan_template_is_what_the_code_makes():
    assert template_bytes() == make_template_bytes()


def test_the_shipped_workbook_template_is_what_the_code_makes():
    assert xlsx_template_bytes() == make_xlsx_template_bytes()
