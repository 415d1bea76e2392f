"""Make converted.docx: a published plan as LibreOffice saves a web page in Word format.

The text is the web copy of seed 000 (喀左县, tests/seeds/), headings and
bold as the web page marked them: heading levels that do not match the
numbers (## for both 一、 and （二）), bold run-in headings, a paragraph the
page broke in two, the 版记 as plain lines between rules.  It is written as
simple HTML and converted by LibreOffice (soffice --headless --convert-to
docx), the way staff turn a page they found into a .docx.
Run: python tests/import/make_converted.py   (needs LibreOffice)
"""
import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "000_fea73c9ac3b870fd.txt"


def inline(text: str) -> str:
    text = html.escape(text)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def to_html(seed: str) -> str:
    out = ["<html><head><meta charset='utf-8'></head><body>"]
    for block in re.split(r"\n\s*\n", seed):
        block = block.strip()
        if not block or block == "---":
            continue
        m = re.match(r"^(#{1,4})\s*(.*)$", block)
        if m:
            level = len(m.group(1))
            align = " align='center'" if level == 1 else ""
            out.append(f"<h{level}{align}>{inline(m.group(2))}</h{level}>")
        else:
            out.append(f"<p>{inline(' '.join(block.split()))}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def make(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "converted.html"
        page.write_text(to_html(SEED.read_text(encoding="utf-8")), encoding="utf-8")
        subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML",
                        "--outdir", tmp, str(page)], check=True, capture_output=True, timeout=120)
        shutil.copy(Path(tmp) / "converted.docx", target)


if __name__ == "__main__":
    make(HERE / "converted.docx")
