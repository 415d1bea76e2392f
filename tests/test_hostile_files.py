"""Hostile files at every door that opens a .docx or .xlsx (issue 26 items 1, 3, 5, 10): each gets exit 2 and one
line naming the file, in both languages, before it is read whole; a process of its own shows the memory it took."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from helpers import ROOT, run_process

PEAK_MB = 100          # a build of kazuo takes 35 MB; reading any of these files whole would take gigabytes


def doctools(*args, cwd=None, lang="en"):
    return run_process("--lang", lang, *args, cwd=cwd)


def docx_with(document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document)
    return out.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BOMB = docx_with(b"<w:document " + W + b"><w:body>" + b"<w:p/>" * 20_000_000 + b"</w:body></w:document>")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    path.write_bytes(BOMB)
    return path


BOMB_EN = ("the Word document's XML parts unpack to 120,000,274 bytes; doctools reads a Word document of up to "
           "30,000,000 bytes of XML")
BOMB_ZH = "Word 文档的 XML 部件解压后有 120,000,274 字节；doctools 只读取 XML 不超过 30,000,000 字节的Word 文档"


@pytest.mark.parametrize("command", ["import", "audit"])
@pytest.mark.parametrize("lang, message", [("en", f"bomb.docx: {BOMB_EN}"), ("zh", f"bomb.docx：{BOMB_ZH}")])
def test_a_docx_zip_bomb_is_refused_by_import_and_audit(bomb, tmp_path, command, lang, message):
    assert len(BOMB) < 400_000
    args = [command, "bomb.docx"] + (["--out", tmp_path / "pkg"] if command == "import" else [])
    code, text, peak = doctools(*args, cwd=bomb.parent, lang=lang)
    assert (code, text) == (2, f"doctools: {message}\n")
    assert peak < PEAK_MB
    assert not (tmp_path / "pkg").exists()


@pytest.mark.parametrize("command", ["import", "audit"])
def test_a_device_is_refused_before_it_is_read(tmp_path, command):
    args = [command, "/dev/zero"] + (["--out", tmp_path / "pkg"] if command == "import" else [])
    code, text, peak = doctools(*args)
    assert (code, text) == (2, "doctools: /dev/zero: not a regular file (a device, a pipe or a socket); doctools "
                               "reads only files\n")
    assert peak < PEAK_MB
    code, text, _ = doctools(*args, lang="zh")
    assert (code, text) == (2, "doctools: /dev/zero：不是普通文件（是设备、管道或套接字）；doctools 只读取文件\n")


@pytest.mark.parametrize("command", ["import", "audit"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path, command):
    os.mkfifo(tmp_path / "plan.docx")
    args = [command, "plan.docx"] + (["--out", tmp_path / "pkg"] if command == "import" else [])
    code, text, _ = doctools(*args, cwd=tmp_path)
    assert (code, text) == (2, "doctools: plan.docx: not a regular file (a device, a pipe or a socket); doctools "
                               "reads only files\n")


def test_a_docx_with_a_document_type_is_refused(tmp_path):
    (tmp_path / "dtd.docx").write_bytes(docx_with(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "x">]>'
                                                  b"<w:document " + W + b"><w:body><w:p/></w:body></w:document>"))
    code, text, _ = doctools("import", "dtd.docx", "--out", tmp_path / "pkg", cwd=tmp_path)
    assert (code, text) == (2, "doctools: dtd.docx: the part 'word/document.xml' declares a document type "
                               "(<!DOCTYPE>), which no office program writes\n")


def test_import_tasks_gets_the_checks_of_a_package_workbook(tmp_path):
    """issue 26 item 3: --tasks skipped every workbook check; its merged-range bomb is refused like build's."""
    case = ROOT / "tests" / "bad_inputs" / "221-workbook-merged-range-with-dollars"
    (tmp_path / "tasks.xlsx").write_bytes((case / "任务分工表.xlsx").read_bytes())
    plan = ROOT / "tests" / "import" / "typed_direct.docx"
    code, text, peak = doctools("import", plan, "--tasks", "tasks.xlsx", "--out", tmp_path / "pkg", cwd=tmp_path)
    assert (code, text) == (2, "doctools: tasks.xlsx: the sheet part 'sheet1' has 3 rows and 17,179,770,895 cells (a "
                               "merged range counts every cell it covers); doctools reads sheets of up to 100,000 "
                               "rows and 2,000,000 cells\n")
    assert peak < PEAK_MB
    os.mkfifo(tmp_path / "pipe.xlsx")
    code, text, _ = doctools("import", plan, "--tasks", "pipe.xlsx", "--out", tmp_path / "pkg", cwd=tmp_path)
    assert (code, text) == (2, "doctools: pipe.xlsx: not a regular file (a device, a pipe or a socket); doctools "
                               "reads only files\n")


def test_a_huge_file_or_a_pipe_beside_the_yaml_is_not_read_whole(tmp_path):
    """issue 26 item 10: the input digest read every file of the package whole (5 GB: MemoryError)."""
    package = tmp_path / "kazuo"
    package.mkdir()
    for path in (ROOT / "inputs" / "kazuo").iterdir():
        if path.is_file():
            (package / path.name).write_bytes(path.read_bytes())
    with open(package / "video.mp4", "wb") as handle:        # sparse: 5 GB that take no disk
        handle.truncate(5_000_000_000)
    os.mkfifo(package / "pipe")
    code, text, peak = doctools("build", package, "--out", tmp_path / "out")
    assert code == 0, text
    assert peak < PEAK_MB
    assert (tmp_path / "out" / "kazuo" / "任务分工表.xlsx").is_file()


def test_a_style_based_on_itself_or_on_each_other_does_not_hang_import(tmp_path):
    """issue 26 item 6: import followed basedOn for ever (the audit had a guard; now both share one)."""
    import docx
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("白石乡政务公开工作实施方案", style="Title")
    document.add_paragraph("一、总体要求", style="Heading 1")
    document.add_paragraph("按照上级部署，推进政务公开标准化规范化。")
    source = io.BytesIO()
    document.save(source)
    archive = zipfile.ZipFile(io.BytesIO(source.getvalue()))
    styles = etree.fromstring(archive.read("word/styles.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style_id, based_on in (("Title", "Heading1"), ("Heading1", "Title"), ("Normal", "Normal")):
        style = styles.find(f"{w}style[@{w}styleId='{style_id}']")
        for old in style.findall(f"{w}basedOn"):
            style.remove(old)
        etree.SubElement(style, f"{w}basedOn").set(f"{w}val", based_on)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in archive.infolist():
            z.writestr(info.filename, etree.tostring(styles) if info.filename == "word/styles.xml"
                       else archive.read(info.filename))
    (tmp_path / "cycle.docx").write_bytes(out.getvalue())
    code, text, _ = doctools("import", "cycle.docx", "--out", tmp_path / "pkg", cwd=tmp_path)
    assert code == 0, text
    assert "按照上级部署" in (tmp_path / "pkg" / "body.yaml").read_text(encoding="utf-8")
