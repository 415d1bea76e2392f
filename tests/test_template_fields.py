"""Jinja fields in an office's own Word template: filled by docxtpl, in a sandbox."""
import io
import zipfile

import pytest
from click.testing import CliRunner
from conftest import ROOT
from helpers import xml

from doctools.cli import main
from doctools.writers.default_templates import template_bytes

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


# ---- issue 11: a hostile template or a hostile title --------------------------------------------------------------

def package_titled(tmp_path, title: str):
    import shutil
    copy = tmp_path / "kazuo"
    shutil.copytree(KAZUO, copy)
    doc = copy / "document.yaml"
    text = doc.read_text(encoding="utf-8")
    start = text.index("  title: |-")
    end = text.index("  office:")
    doc.write_text(text[:start] + f"  title: '{title}'\n" + text[end:], encoding="utf-8")
    return copy


def footer_texts(data: bytes):
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer")]
    return [xml(data, n) for n in names]


def test_a_title_with_markup_stays_text_in_a_field(tmp_path):
    """With autoescape off, a title could close the run and add an INCLUDEPICTURE field fetching a remote address."""
    evil = '某县实施方案</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDEPICTURE "http://evil.example/x.png"</w:instrText></w:r><w:r><w:t>&amp;<'
    package = package_titled(tmp_path, evil)
    result = CliRunner().invoke(main, ["build", str(package), "--out", str(tmp_path / "out"),
                                       "--template", str(template_with_footer_text(tmp_path, "{{ title }}"))])
    assert result.exit_code == 0, result.output
    data = next(p for p in (tmp_path / "out" / "kazuo").glob("*.docx")).read_bytes()
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    footers = footer_texts(data)
    assert not any(f.iter(W + "fldChar") for f in footers if list(f.iter(W + "fldChar")) and
                   any("INCLUDEPICTURE" in (t.text or "") for t in f.iter(W + "instrText")))
    text = "".join(t.text or "" for f in footers for t in f.iter(W + "t"))
    assert 'INCLUDEPICTURE "http://evil.example/x.png"' in text and "&amp;<" in text     # printed, as typed


@pytest.mark.parametrize("field, message", [
    ("{% for a in title %}{% for b in title %}{% for c in title %}{% for d in title %}{% for e in title %}"
     "x{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}", "template field error: "),
    ("{{ 'x' * 10**10 }}", "template field error: filling the fields needs more than 512,000,000 bytes of memory"),
    ("{% include 'other.xml' %}", "template field error: TypeError: no loader for this environment specified"),
    ("{{ lipsum(99999) }}", "the template asks for 'lipsum', which the document does not have"),
    ("{{ range(10**9)|list }}", "the template asks for 'range', which the document does not have"),
    ("{{ title|safe }}", "template field error: the template turns off escaping"),
    ("{% autoescape false %}{{ title }}{% endautoescape %}", "template field error: the template turns off escaping"),
])
def test_hostile_fields_are_input_errors_in_bounded_time(tmp_path, field, message):
    """Loops, lipsum, huge products and includes ran until killed or ended in a traceback (exit 1)."""
    result = build(tmp_path, template_with_footer_text(tmp_path, field))
    assert result.exit_code == 2, result.output
    assert "house.docx: error: " + message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, message", [
    (b"not a docx", "not a zip package, as every .docx and .xlsx is"),
    ((ROOT / "templates" / "xlsx" / "tables.xlsx").read_bytes(),
     "the template has no word/document.xml; save it again from the office program"),
    ((ROOT / "tests" / "bad_inputs" / "77-workbook-zip-bomb" / "任务分工表.xlsx").read_bytes(),
     "the template's part 'xl/worksheets/sheet1.xml' unpacks to 1,004 times its packed size (at most 200)"),
])
def test_a_template_that_is_not_a_docx_is_an_input_error(tmp_path, content, message):
    """A text file or a workbook given as --template ended in an internal error (exit 1)."""
    path = tmp_path / "house.docx"
    path.write_bytes(content)
    result = build(tmp_path, path)
    assert result.exit_code == 2, result.output
    assert f"house.docx: error: {message}" in result.output


@pytest.mark.parametrize("field, kind", [("{{ title.format }}", "function"), ("{{ title.split() }}", "list"),
                                         ("{{ office == '' }}", "bool")])
def test_a_field_that_gives_no_text_is_refused_naming_it(tmp_path, field, kind):
    """`{{ title.format }}` put `<function str.format at 0x…>` into the footer: a memory address in the document,
    different on every run."""
    result = build(tmp_path, template_with_footer_text(tmp_path, field))
    assert result.exit_code == 2, result.output
    assert (f"house.docx: error: template field error: the field '{field}' gives a Python {kind}, not text; a field "
            "may show only the document's text, numbers and dates") in result.output
    assert not (tmp_path / "out").exists()
