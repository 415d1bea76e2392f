"""``doctools audit``: every example passes every clause, and each clause can fail.

The wrong documents are made here by editing a produced .docx the way a
person might in Word (a style's font, a margin, an indent); all of them are
rendered in one LibreOffice run.  Each must fail the clause it breaks, and
only through what the file says or where things land: no doctools style
name is looked at.
"""
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from conftest import ROOT, build_package

from doctools.audit import audit
from doctools.cli import main

EXAMPLES = sorted(p.name for p in (ROOT / "inputs").iterdir() if p.is_dir())


def edit(data: bytes, part: str, change) -> bytes:
    """*data* with one part's XML text changed by *change* (which must change it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                changed = change(content.decode("utf-8"))
                assert changed != content.decode("utf-8"), f"the edit of {part} changed nothing"
                content = changed.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def style_sub(style_id: str, old: str, new: str):
    """Replace *old* by *new* inside one style of styles.xml."""
    def change(xml: str) -> str:
        start = xml.index(f'w:styleId="{style_id}"')
        end = xml.index("</w:style>", start)
        return xml[:start] + xml[start:end].replace(old, new) + xml[end:]
    return change


def first_sub(pattern: str, repl: str):
    return lambda xml: re.sub(pattern, repl, xml, count=1)


def push_signoff_alone(xml: str) -> str:
    """A person's fix for a tight page: blank lines before the sign-off, keep-with-next taken off."""
    xml = xml.replace("<w:keepNext/>", "")
    name = xml.index('<w:p><w:pPr><w:pStyle w:val="SignatureLine"/>')
    return xml[:name] + "<w:p/>" * 22 + xml[name:]


WRONG = {
    # clause: (package, part, change)
    "5.2.1": ("kazuo", "word/document.xml", first_sub(r'w:top="2098"', 'w:top="2500"')),
    "5.2.3": ("kazuo", "word/document.xml", first_sub(r'<w:docGrid w:type="lines" w:linePitch="579"/>',
                                                      '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-848"/>')),
    "7.2.4": ("shaanxi", "word/document.xml", first_sub(r'(<w:pStyle w:val="HeaderMark"/><w:spacing w:before=")(\d+)', r"\g<1>2500")),
    "7.2.7": ("shaanxi", "word/document.xml", first_sub(r'w:space="3" w:color="FF0000"', 'w:space="12" w:color="FF0000"')),
    "7.2.6": ("full", "word/styles.xml", style_sub("Heading2Char", "楷体_GB2312", "宋体")),
    "7.3.1": ("kazuo", "word/styles.xml", style_sub("DocTitle", "方正小标宋简体", "黑体")),
    "7.3.2": ("full", "word/styles.xml", style_sub("Recipients", '<w:ind w:firstLine="0"/>', '<w:ind w:firstLine="640"/>')),
    "7.3.3": ("kazuo", "word/styles.xml", style_sub("Heading1", "黑体", "仿宋_GB2312")),
    # the whole body in 4号: a clause that finds no 3号 text must fail, not pass as 'not applicable'
    "7.3.3 body in 4号": ("kazuo", "word/styles.xml", lambda xml: re.sub(r'(<w:szC?s? w:val=")32("/>)', r"\g<1>28\g<2>", xml)),
    "7.3.4": ("full", "word/document.xml", first_sub(r'(<w:pStyle w:val="AttachmentNote"/><w:ind w:left=")\d+', r"\g<1>1280")),
    "7.3.5": ("full", "word/document.xml", push_signoff_alone),
    "7.3.5.1": ("full", "word/document.xml", first_sub(r'(<w:pStyle w:val="SignatureLine"/><w:keepNext/><w:ind w:left=")\d+', r"\g<1>3000")),
    "7.3.5.2": ("kangbashi", "word/document.xml", first_sub(r'(<w:pStyle w:val="SignatureLine"/><w:ind w:left=")\d+', r"\g<1>3000")),
    "7.3.6": ("full", "word/document.xml", first_sub(r"(<w:p>)(<w:r><w:t>（此件公开发布）)", r'\g<1><w:pPr><w:ind w:firstLine="0"/></w:pPr>\g<2>')),
    "7.3.7": ("sanmenxia", "word/styles.xml", style_sub("AttachmentLabel", "黑体", "宋体")),
    # the 版记: its outer rules as thin as the inner one
    "7.4.1": ("kazuo", "word/document.xml", lambda xml: xml.replace('w:sz="8" w:space="0" w:color="000000"', 'w:sz="4" w:space="0" w:color="000000"')),
    "7.5": ("kazuo", "word/document.xml", first_sub(r'w:footer="\d+"', 'w:footer="1000"')),
    "8": ("sanmenxia", "word/document.xml", lambda xml: re.sub(r'<w:footerReference w:type="(default|even)" r:id="rId\d+"/>', "",
                                                                 xml[:xml.index('w:orient="landscape"')], count=0)
          + xml[xml.index('w:orient="landscape"'):]),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    built = {name: build_package(ROOT / "inputs" / name)[0] for name in EXAMPLES}
    built["full"] = build_package(ROOT / "tests" / "packages" / "full")[0]
    paths = {}
    for name, data in built.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(data)
    for clause, (name, part, change) in WRONG.items():
        paths["wrong " + clause] = folder / f"wrong-{clause}.docx"
        paths["wrong " + clause].write_bytes(edit(built[name], part, change))
    reports = audit(list(paths.values()))
    return paths, {key: report for key, report in zip(paths, reports)}


@pytest.mark.parametrize("name", EXAMPLES + ["full"])
def test_every_clause_passes_on_the_raw_docx_of_the_examples(documents, name):
    report = documents[1][name]
    failed = [(c.clause, c.requirement, c.measured, c.page) for c in report.checks if not c.passed]
    assert not failed
    clauses = {c.clause for c in report.checks}
    assert {"5.1", "5.2.1", "5.2.3", "7.2.4", "7.3.1", "7.3.3", "7.3.5", "7.4.1", "7.5", "8"} <= clauses


def test_the_examples_exercise_every_part(documents):
    """Each clause is measured (not 'not applicable') on at least one example."""
    measured = {c.clause for key, r in documents[1].items() if not key.startswith("wrong")
                for c in r.checks if not c.measured.startswith("no ")}
    assert {key.split()[0] for key in WRONG} <= measured


@pytest.mark.parametrize("clause", sorted(WRONG))
def test_each_clause_can_fail(documents, clause):
    report = documents[1]["wrong " + clause]
    failed = {c.clause for c in report.checks if not c.passed}
    number = clause.split()[0]
    assert number in failed, [(c.clause, c.measured) for c in report.checks if c.clause == number]


def test_the_cli_prints_a_table_and_json_and_exits_1_on_a_failure(documents):
    paths = documents[0]
    runner = CliRunner()
    good = runner.invoke(main, ["audit", str(paths["kazuo"])])
    assert good.exit_code == 0, good.output
    assert "clause" in good.output and "7.5" in good.output and "FAIL" not in good.output
    bad = runner.invoke(main, ["audit", "--json", str(paths["wrong 7.3.1"])])
    assert bad.exit_code == 1
    import json
    result = json.loads(bad.output)
    assert result[0]["pass"] is False
    assert any(c["clause"] == "7.3.1" and not c["pass"] and "黑体" in c["measured"] for c in result[0]["checks"])


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"plain text", "not a .docx file (a .docx is a zip package; this file is not one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
     "encrypted (password-protected) or an old .doc/.wps file saved under another name; remove the password in Word "
     "or WPS and save as .docx, or convert it: soffice --headless --convert-to docx input.docx"),
    ("zip", "a zip file with no Word body (word/document.xml); is it a .docx?"),
])
def test_unreadable_input_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "input.docx"
    if content == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "x")
    elif content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"doctools: {path}: {message}"
