"""Render DOT charts with Graphviz: SVG, PDF and 300-dpi PNG.

Each chart is rendered by its own ``dot`` processes (SVG and PDF in one, the
300-dpi PNG without the title — the plan prints it under the picture — in
another), run in parallel on the machine's cores.  One process for a whole
batch would start faster, but Graphviz carries state from graph to graph: the
same chart then comes out differently depending on what was drawn before it,
and output must be byte-identical for identical input.  Fonts come from doctools' font
stand-ins; before anything is drawn, the CJK font is checked, so a machine
without one gets a clear message instead of boxes.

Cairo stamps each PDF with the time of drawing, in the local time zone
(``D:20261124123239+08'00``, or ``…Z`` under UTC: even the length differs).
Graphviz therefore runs with ``TZ=UTC``, and the stamp is replaced by the
document's own date, so equal charts give equal bytes on any clock and in any
time zone.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict

from ..errors import Timeout, ToolMissing
from .fonts import STAND_INS, render_env
from ..i18n import _
from ..limits import MAX_CHART_SECONDS
from ..typeset.gbt9704 import FONT_HEI as FONT   # the charts' font (doctools.writers.dot_chart)

FORMATS = ("svg", "pdf", "png")
PNG_DPI = 300
_CREATION = re.compile(rb"/CreationDate \(D:[0-9+\-Z']+\)")


class RenderUnavailable(ToolMissing):
    """Graphviz or a CJK font is missing on this machine (a chart not drawn in time is a :class:`Timeout`)."""


def graphviz_version() -> str:
    exe = shutil.which("dot")
    if exe is None:
        return "none"
    result = subprocess.run([exe, "-V"], capture_output=True, text=True)
    return (result.stderr or result.stdout).strip()


def check_tools() -> str:
    """The dot executable; raise RenderUnavailable with what to install."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderUnavailable(_("Graphviz is not installed, so flowcharts cannot be drawn (apt-get install graphviz)"))
    if shutil.which("fc-match"):
        family = subprocess.run(["fc-match", "-f", "%{family}", FONT], capture_output=True, text=True, env=render_env()).stdout
        wanted = STAND_INS.get(FONT, (FONT, False))[0]
        if wanted.lower() not in family.lower() and FONT not in family:
            raise RenderUnavailable(_("no CJK font for '{font}' was found (fontconfig offers '{family}'); flowchart text "
                                      "would come out as boxes. Install one: apt-get install fonts-noto-cjk")
                                    .format(font=FONT, family=family))
    return exe


def _fixed_dates(pdf: bytes, stamp: str) -> bytes:
    """The PDF with its creation date set to *stamp* (YYYYMMDDHHMMSS, UTC).

    Under TZ=UTC cairo writes ``D:YYYYMMDDHHMMSSZ``, exactly the length of the
    replacement, so the PDF's cross-reference offsets stay right; a date of any
    other length is left alone rather than break the file."""
    wanted = f"/CreationDate (D:{stamp}Z)".encode("ascii")
    return _CREATION.sub(lambda m: wanted if len(m.group()) == len(wanted) else m.group(), pdf)


def _render_one(exe: str, folder: Path, name: str, text: str, env, timeout: int, stamp: str) -> Dict[str, bytes]:
    path = folder / f"{name}.dot"
    path.write_text(text, encoding="utf-8")
    # the vector formats and the PNG are independent: run both dot processes at once
    runs = [subprocess.Popen([exe, *args, "-O", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=folder)
            for args in (["-Tsvg", "-Tpdf"], ["-Tpng", f"-Gdpi={PNG_DPI}", "-Glabel="])]
    try:
        for run in runs:
            _out, err = run.communicate(timeout=timeout)
            if run.returncode != 0:
                raise RuntimeError(_("Graphviz failed on chart '{name}': {error}").format(
                    name=name, error=err.decode("utf-8", "replace").strip()[-300:]))
    except subprocess.TimeoutExpired:
        raise Timeout(_("Graphviz took longer than {seconds} s to draw the flowchart '{name}'; shorten the "
                                  "texts of its catalog row or flow").format(seconds=timeout, name=name)) from None
    finally:
        for run in runs:             # never leave a dot process behind
            if run.poll() is None:
                run.kill()
                run.wait()
    out = {fmt: Path(f"{path}.{fmt}").read_bytes() for fmt in FORMATS}
    out["pdf"] = _fixed_dates(out["pdf"], stamp)
    return out


def render(dots: Dict[str, str], timeout: int = MAX_CHART_SECONDS, stamp: str = "20000101000000") -> Dict[str, Dict[str, bytes]]:
    """{stem: {"svg": …, "pdf": …, "png": …}} for each DOT text; *stamp*
    (YYYYMMDDHHMMSS) is the PDFs' creation date."""
    if not dots:
        return {}
    exe = check_tools()
    env = dict(render_env(), TZ="UTC")
    with tempfile.TemporaryDirectory(prefix="doctools-dot-") as tmp, \
            ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        folder = Path(tmp)
        names = {stem: stem for stem in sorted(dots)}
        futures = {stem: pool.submit(_render_one, exe, folder, names[stem], dots[stem], env, timeout, stamp) for stem in sorted(dots)}
        return {stem: future.result() for stem, future in futures.items()}
