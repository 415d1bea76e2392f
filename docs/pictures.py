"""Make the README's pictures from the example packages: one page of each.

    .venv/bin/python docs/pictures.py      (needs LibreOffice and poppler's pdftoppm)
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
# package -> which page to show (1-based; negative counts from the end)
PAGES = {"kazuo": 1, "kangbashi": 1, "jixian": 1, "shaanxi": 1, "sanmenxia": -2}
HERO = [("shaanxi", 1), ("kazuo", 2), ("kazuo", -1)]


def render(out: Path):
    subprocess.run([sys.executable, "-m", "doctools", "build", "--pdf", "--out", str(out),
                    *(str(ROOT / "inputs" / name) for name in PAGES)], check=True, cwd=ROOT)


def page_png(out: Path, name: str, page: int, tmp: Path) -> Image.Image:
    pdf = next((out / name).glob("*实施方案.pdf"), None) or next(p for p in (out / name).glob("*.pdf") if "清单" not in p.name)
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    number = page if page > 0 else count + 1 + page
    stem = tmp / f"{name}-{number}"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(pdf), str(stem)], check=True)
    return ImageOps.expand(Image.open(f"{stem}.png").convert("RGB"), border=1, fill="#888888")


def strip(images, path: Path):
    gap = 12
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    sheet = Image.new("RGB", (width, max(i.height for i in images) + 2 * gap), "#eeeeee")
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    sheet.quantize(colors=64).save(path, optimize=True)


def import_pages(tmp: Path):
    """docs/import.png: page 1 of a plan typed in Word beside page 1 of what import + build make of it."""
    draft = ROOT / "tests" / "import" / "typed_direct.docx"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "typed"), str(draft)],
                   check=True, capture_output=True, cwd=ROOT)
    package = tmp / "imported" / "typed_direct"
    subprocess.run([sys.executable, "-m", "doctools", "import", str(draft), "--out", str(package)], check=True, cwd=ROOT,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "doctools", "build", "--pdf", "--out", str(tmp / "official"), str(package)],
                   check=True, cwd=ROOT, capture_output=True)
    strip([page_png(tmp, "typed", 1, tmp), page_png(tmp / "official", "typed_direct", 1, tmp)], ROOT / "docs" / "import.png")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        render(tmp / "out")
        strip([page_png(tmp / "out", n, p, tmp) for n, p in HERO], ROOT / "docs" / "pages.png")
        strip([page_png(tmp / "out", n, p, tmp) for n, p in PAGES.items()], ROOT / "docs" / "examples.png")
        import_pages(tmp)


if __name__ == "__main__":
    main()
