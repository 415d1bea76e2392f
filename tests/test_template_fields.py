"""Jinja fields in an office's own Word template: filled by docxtpl, in a sandbox."""
import io
import zipfile

import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import xml

from doctools.cli import main
from doctools.template import template_bytes

KAZUO = ROOT / "inputs" / "kazuo"


def template_with_footer_text(tmp_path, text: str):
    """The default template with *text* added to its odd-page footer, as an office would type it in Word."""
    source = zipfile.ZipFile(io.BytesIO(template_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/footer1.xml":
                data = data.replace(b"</w:ftr>", f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:ftr>".encode())
            target.writestr(info, data)
    path = tmp_path / "house.docx"
    path.write_bytes(out.getvalue())
    return path


def build(tmp_path, template):
    return CliRunner().invoke(main, ["build", str(KAZUO), "--out", str(tmp_path / "out"), "--template", str(template)])


def test_fields_are_filled_from_the_document(tmp_path):
    result = build(tmp_path, template_with_footer_text(tmp_path, "{{ office }} {{ date }}"))
    assert result.exit_code == 0, result.output
    data = next((tmp_path / "out" / "kazuo").glob("*实施方案.docx")).read_bytes()
    footers = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer")]
    text = "".join("".join(t.text or "" for t in xml(data, n).iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")) for n in footers)
    assert "喀左县人民政府办公室 2018年1月25日" in text
    assert "{{" not in text


def test_a_field_the_document_lacks_is_an_error_naming_it(tmp_path):
    result = build(tmp_path, template_with_footer_text(tmp_path, "{{ secretary_name }}"))
    assert result.exit_code == 2
    assert "house.docx: error: the template asks for 'secretary_name'" in result.output
    assert not (tmp_path / "out").exists()


def test_fields_cannot_reach_python_internals(tmp_path):
    result = build(tmp_path, template_with_footer_text(tmp_path, "{{ title.__class__.__mro__ }}"))
    assert result.exit_code == 2
    assert "template field error" in result.output and "unsafe" in result.output
    assert "Traceback" not in result.output
