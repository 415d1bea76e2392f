"""Reading produced documents back the way a person checks them."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import docx
import pdfplumber
from lxml import etree

from doctools.typeset import gbt9704 as G

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PT_PER_MM = 72 / 25.4
TEXT_LEFT = G.MARGIN_LEFT / 20
TEXT_RIGHT = (G.PAGE_WIDTH - G.MARGIN_RIGHT) / 20
TEXT_TOP = G.MARGIN_TOP / 20
TEXT_BOTTOM = (G.PAGE_HEIGHT - G.MARGIN_BOTTOM) / 20
LINE = G.LINE_PITCH / 20
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"


def xml(data: bytes, part: str = "word/document.xml"):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def body_texts(data: bytes) -> List[str]:
    """Paragraph texts in document order, table cells included."""
    out = []
    root = xml(data)
    for p in root.iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}tab"))
        out.append(text)
    return out


def normalise(text: str) -> str:
    """Drop white space (ASCII and ideographic) and markdown marks, tables included:
    a row "| 1 | text |" becomes its cells' text, separator rows vanish."""
    text = re.sub(r"^\|[-\s|]*\|$", "", text, flags=re.M)
    text = re.sub(r"^\||\|$", "", text, flags=re.M).replace("|", "")
    text = re.sub(r"\*\*|^#+\s*|^-{3,}$", "", text, flags=re.M)
    return re.sub(r"[\s\u3000]+", "", text)


def seed_paragraphs(path: Path) -> List[str]:
    parts = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    return [n for n in (normalise(p) for p in parts) if n]


def corrections(package_readme: Path) -> Dict[str, str]:
    """The 'published | corrected' rows of a package README's corrections table."""
    rows = {}
    for line in package_readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[1].startswith("`"):
            rows[cells[0].strip("`")] = cells[1].strip("`")
    return rows


def first_missing(seed: List[str], produced_stream: str):
    """The first seed paragraph not found (in order) in the produced text, or None."""
    at = 0
    for i, para in enumerate(seed):
        found = produced_stream.find(para, at)
        if found < 0:
            # how far the paragraph does match, to show where it goes wrong
            lo, hi = 0, len(para)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if produced_stream.find(para[:mid], at) >= 0:
                    lo = mid
                else:
                    hi = mid - 1
            start = produced_stream.find(para[:lo], at) + lo if lo else at
            return i, f"…{para[max(0, lo - 30):lo]}⟦here⟧{para[lo:lo + 60]}…", produced_stream[start:start + 80]
        at = found + len(para)
    return None


@dataclass
class Row:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


def page_rows(page) -> List[Row]:
    """Text lines of a PDF page: characters grouped by their top."""
    rows: Dict[int, list] = {}
    for c in page.chars:
        if c["text"].strip() and c.get("upright", True):     # turned text (a landscape page's number) is no line
            rows.setdefault(round(c["top"]), []).append(c)
    out = []
    for _, cs in sorted(rows.items()):
        cs.sort(key=lambda c: c["x0"])
        out.append(Row(min(c["top"] for c in cs), max(c["bottom"] for c in cs), cs[0]["x0"], cs[-1]["x1"],
                       "".join(c["text"] for c in cs)))
    return out


def open_pdf(data: bytes):
    return pdfplumber.open(io.BytesIO(data))


def q(name: str) -> str:
    """A WordprocessingML element or attribute name."""
    return f"{{{W}}}{name}"


def build(package: Path, out: Path) -> Path:
    """Build *package* with the command line into *out*; the package's output folder."""
    from click.testing import CliRunner

    from doctools.cli import main
    result = CliRunner().invoke(main, ["build", str(package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / package.name


def sheet_rows(ws) -> List[list]:
    """A worksheet's values as a person sees them: an empty cell as "" (a cell holds exactly its text)."""
    return [[c if c is not None else "" for c in row]
            for row in ws.iter_rows(values_only=True)]


CLOSING = "，。、；：？！）》”’〕】」』"


def lines_starting_with_closing(pdf) -> List[tuple]:
    """(page, text) of each printed line that starts with closing punctuation: a character with nothing
    just left of it on its line, in any table cell or paragraph."""
    out = []
    for page in pdf.pages:
        chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
        for c in chars:
            if c["text"] in CLOSING and not any(
                    d is not c and abs(d["top"] - c["top"]) < 2 and c["x0"] - c["size"] * 1.2 < d["x1"] <= c["x0"] + 0.5
                    for d in chars):
                right = sorted((d for d in chars if abs(d["top"] - c["top"]) < 2 and c["x0"] <= d["x0"] < c["x0"] + 8 * c["size"]),
                               key=lambda d: d["x0"])
                out.append((page.page_number, "".join(d["text"] for d in right)))
    return out


def workbook_pdfs(paths: List[Path], folder: Path) -> Dict[Path, bytes]:
    """Each workbook printed by LibreOffice Calc (as its print setup says), with doctools' font stand-ins;
    all in one LibreOffice run."""
    import shutil
    import subprocess

    from doctools.convert.fonts import render_env
    from doctools.convert.libreoffice import soffice
    exe = soffice()
    assert exe, "LibreOffice is not installed; run the install command of the README"
    sources = folder / "src"
    sources.mkdir(parents=True)
    copies = {path: sources / f"w{n:03d}.xlsx" for n, path in enumerate(paths)}   # workbooks of one name apart
    for path, copy in copies.items():
        shutil.copy(path, copy)
    subprocess.run([exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, copies.values())],
                   capture_output=True, env=render_env(), timeout=600, check=True)
    return {path: (folder / "pdf" / (copy.stem + ".pdf")).read_bytes() for path, copy in copies.items()}


def copy_package(source: Path, folder: Path, change: Optional[Dict[str, Tuple[str, str]]] = None) -> Path:
    """A copy of the package *source* at *folder*, each named file's *old* text replaced by *new* (which must be
    there: an edit that changes nothing would test nothing)."""
    shutil.copytree(source, folder)
    for name, (old, new) in (change or {}).items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder
