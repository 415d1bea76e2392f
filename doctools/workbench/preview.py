"""Pages as they will print: the built .docx -> PDF by a warm LibreOffice -> one PNG per page (pdftoppm).

One :class:`Converter` per server owns one long-lived worker process (:mod:`doctools.workbench.uno_worker`, run by
the system's Python, which has python3-uno) and through it one headless soffice.  A dead worker is started again
on the next request.  Where the system's Python has no ``uno`` module, each conversion falls back to
:func:`doctools.pdf.convert` (a cold LibreOffice run: slower, same pages).
"""
from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Dict, Optional, Tuple

from ..convert.fonts import render_env
from ..convert.libreoffice import soffice

SYSTEM_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("uno_worker.py")


def uno_available(python: str = SYSTEM_PYTHON) -> bool:
    if not Path(python).exists():
        return False
    return subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0


class Converter:
    """.docx -> PDF through one warm soffice, one request at a time."""

    def __init__(self, python: str = SYSTEM_PYTHON):
        self.python = python
        self.lock = threading.Lock()
        self.process: Optional[subprocess.Popen] = None
        self.soffice_pid: Optional[int] = None
        self.warm = uno_available(python) and soffice() is not None

    def start(self) -> None:
        self.process = subprocess.Popen([self.python, str(WORKER), soffice() or "soffice"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env={**render_env(), "TZ": "UTC"}, start_new_session=True)
        hello = json.loads(self.process.stdout.readline() or "{}")
        self.soffice_pid = hello.get("pid")
        if not hello.get("ready"):
            self.stop()
            raise RuntimeError(hello.get("error", "LibreOffice worker did not start"))

    def stop(self) -> None:
        if self.process is not None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, 9)
                except ProcessLookupError:
                    pass
            self.process = None

    def convert(self, docx: bytes) -> bytes:
        return self.convert_counted(docx)[0]

    def convert_counted(self, docx: bytes) -> Tuple[bytes, Optional[int]]:
        """The PDF and, from the warm LibreOffice's layout, its number of pages (None when it did not say)."""
        if not self.warm:
            from ..convert.libreoffice import convert
            return convert({"plan.docx": docx})["plan.docx"], None
        with self.lock, tempfile.TemporaryDirectory(prefix="doctools-preview-") as tmp:
            source, target = Path(tmp) / "plan.docx", Path(tmp) / "plan.pdf"
            source.write_bytes(docx)
            for _attempt in range(2):
                if self.process is None or self.process.poll() is not None:
                    self.start()
                try:
                    self.process.stdin.write(json.dumps({"docx": str(source), "pdf": str(target)}) + "\n")
                    self.process.stdin.flush()
                    answer = json.loads(self.process.stdout.readline() or "{}")
                except (OSError, ValueError):
                    answer = {}
                    self.stop()
                if answer.get("ok") and target.exists():
                    pages = answer.get("pages")
                    return target.read_bytes(), pages if isinstance(pages, int) and pages > 0 else None
            raise RuntimeError(answer.get("error", "LibreOffice did not convert the plan"))


def page_count(pdf: Path) -> int:
    """The number of pages of *pdf* (pdfinfo from poppler)."""
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


_render_lock = threading.Lock()
_rendering: Dict[Path, threading.Event] = {}


def render_page(pdf: Path, number: int, dpi: int = 60) -> Optional[Path]:
    """Page *number* of *pdf* as PNG beside it, made once: a request while it is being made waits for it (the
    server starts the first page as soon as the PDF is there, before the browser asks for it)."""
    png = pdf.parent / f"page-{number}.png"
    if png.is_file():
        return png
    if number < 1 or shutil.which("pdftoppm") is None:
        return None
    with _render_lock:
        running = _rendering.get(png)
        if running is None:
            _rendering[png] = threading.Event()
    if running is not None:
        running.wait(120)
        return png if png.is_file() else None
    try:
        return _render(pdf, number, dpi, png)
    finally:
        with _render_lock:
            _rendering.pop(png).set()


def _render(pdf: Path, number: int, dpi: int, png: Path) -> Optional[Path]:
    """pdftoppm writes the page as PPM (raw pixels); :func:`png_bytes` packs them.  pdftoppm's own ``-png`` spends
    three quarters of its time compressing at zlib's highest level (kazuo's first page: 95 ms against 21 + 9 ms,
    the same pixels, a smaller file)."""
    tmp = pdf.parent / f".page-{number}-{threading.get_ident()}"
    result = subprocess.run(["pdftoppm", "-r", str(dpi), "-singlefile", "-f", str(number), "-l", str(number),
                             str(pdf), str(tmp)], capture_output=True, timeout=120)
    made = Path(str(tmp) + ".ppm")
    if result.returncode != 0 or not made.is_file():
        return None
    try:
        data = png_bytes(made.read_bytes())
    finally:
        made.unlink()
    if data is None:
        return None
    from ..safeio.atomic import commit_files
    commit_files([(png, data)])
    return png


def png_bytes(ppm: bytes) -> Optional[bytes]:
    """A binary PPM (P6, 8 bits a sample, as pdftoppm writes it) as PNG: no row filters, zlib level 3."""
    import struct
    import zlib

    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    if header is None:
        return None
    width, height = int(header.group(1)), int(header.group(2))
    pixels, stride = ppm[header.end():], width * 3
    if len(pixels) < stride * height:
        return None
    rows = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 3)) + chunk(b"IEND", b""))
