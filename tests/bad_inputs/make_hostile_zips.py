"""Make the bad_inputs cases 221-226 (hostile workbooks and templates, issue 26 items 2 and 4); run once from the
repository root: .venv/bin/python tests/bad_inputs/make_hostile_zips.py tests/bad_inputs (the files are committed)."""
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path
import openpyxl

ROOT = Path(sys.argv[1])
BASE = ROOT / "77-workbook-zip-bomb"


def workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工表"
    for row in [["序号", "工作任务", "责任单位", "完成时限", "编号"],
                [1, "编制政务公开事项标准目录。", "县扶贫开发局", "2021年6月底前", "t1"],
                [2, "建立动态调整机制。", "县民政局", "2021年9月", "t2"]]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def patched(data: bytes, part: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


def merge(cell: bytes):
    return lambda xml: xml.replace(b"</sheetData>", b"</sheetData><mergeCells count=\"1\">" + cell + b"</mergeCells>")


def case(name: str, readme: str, files: dict):
    folder = ROOT / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    yaml = (BASE / "package.yaml").read_text(encoding="utf-8")
    if "任务分工表.xlsx" not in files:
        yaml = yaml.replace("tables:\n  tasks: {source: 任务分工表.xlsx}\n", "")
    (folder / "package.yaml").write_text(yaml, encoding="utf-8")
    (folder / "README.md").write_text(readme + "\n", encoding="utf-8")
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


SHEET = "xl/worksheets/sheet1.xml"
good = workbook()
case("221-workbook-merged-range-with-dollars",
     "A merged range over the whole sheet written `$A$7:$XFD$1048576` (issue 26 item 2): the pre-check counted only "
     "`A7:XFD1048576` and openpyxl then made 17 thousand million cells.",
     {"任务分工表.xlsx": patched(good, SHEET, merge(b'<mergeCell ref="$A$7:$XFD$1048576"/>'))})
case("222-workbook-merged-range-lower-case",
     "A merged range over the whole sheet in lower case, `a7:xfd1048576` (issue 26 item 2).",
     {"任务分工表.xlsx": patched(good, SHEET, merge(b'<mergeCell ref="a7:xfd1048576"/>'))})
case("223-workbook-merged-range-attribute-first",
     "A merged range whose `ref` comes after another attribute (issue 26 item 2).",
     {"任务分工表.xlsx": patched(good, SHEET, merge(b'<mergeCell xml:space="preserve" ref="A7:XFD1048576"/>'))})
case("224-workbook-doctype-entity",
     "A sheet that declares a DTD with an entity (the way to entity expansion and external entities): refused "
     "before any parser sees it.",
     {"任务分工表.xlsx": patched(good, SHEET, lambda xml: re.sub(
         rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', xml, count=1))})
case("225-template-in-current-folder-not-a-zip",
     "`./templates/xlsx/tables.xlsx` in the current folder is not a workbook (issue 26 item 4): exit 1 before.",
     {"templates/xlsx/tables.xlsx": "这不是工作簿\n".encode("utf-8")})
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", b"<Types/>")
    z.writestr("xl/workbook.xml", b"<workbook/>")
    z.writestr("xl/styles.xml", b" " * 40_000_000)
case("226-template-in-current-folder-zip-bomb",
     "`./templates/xlsx/tables.xlsx` in the current folder unpacks to 40 MB from 40 KB (issue 26 item 4): 2.4 GB "
     "before, on a bigger one.",
     {"templates/xlsx/tables.xlsx": bomb.getvalue()})
