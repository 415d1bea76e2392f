"""The official font names, and free fonts that stand in for them when rendering.

Documents name the fonts GB/T 9704 asks for (仿宋_GB2312, 方正小标宋简体, 黑体,
楷体_GB2312, 宋体).  Word on an office PC has them; a Debian machine does not,
and fontconfig would silently fall back to a Latin font with CJK glyphs from
anywhere.  When doctools renders (LibreOffice for PDF, Graphviz for charts) it
points fontconfig at a file of its own that includes the system's
configuration and maps each official name to the closest free font:

==============  =========================  =======================
official        stands in                  Debian package
==============  =========================  =======================
仿宋_GB2312      Noto Serif CJK SC          fonts-noto-cjk
方正小标宋简体    Noto Serif CJK SC Bold     fonts-noto-cjk
黑体             Noto Sans CJK SC           fonts-noto-cjk
楷体_GB2312      AR PL UKai CN              fonts-arphic-ukai
宋体             Noto Serif CJK SC          fonts-noto-cjk
==============  =========================  =======================
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List
from xml.sax.saxutils import escape

# official name -> (stand-in family, bold?)
STAND_INS = {
    "仿宋_GB2312": ("Noto Serif CJK SC", False), "仿宋": ("Noto Serif CJK SC", False),
    "FangSong": ("Noto Serif CJK SC", False), "FangSong_GB2312": ("Noto Serif CJK SC", False),
    "方正小标宋简体": ("Noto Serif CJK SC", True), "方正小标宋_GBK": ("Noto Serif CJK SC", True),
    "小标宋": ("Noto Serif CJK SC", True),
    "黑体": ("Noto Sans CJK SC", False), "SimHei": ("Noto Sans CJK SC", False),
    "楷体_GB2312": ("AR PL UKai CN", False), "楷体": ("AR PL UKai CN", False), "KaiTi": ("AR PL UKai CN", False),
    "宋体": ("Noto Serif CJK SC", False), "SimSun": ("Noto Serif CJK SC", False),
}


def fontconfig_xml() -> str:
    rules = []
    for name, (family, bold) in STAND_INS.items():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(f'<match target="pattern"><test qual="any" name="family"><string>{escape(name)}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong"><string>{escape(family)}</string></edit>{weight}</match>')
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + "".join(rules) + "</fontconfig>\n")


_CONFIG_PATH: List[Path] = []


def render_env() -> Dict[str, str]:
    """The environment for a rendering subprocess: fontconfig with the stand-ins."""
    if not _CONFIG_PATH:
        folder = Path(tempfile.mkdtemp(prefix="doctools-fonts-"))
        path = folder / "fonts.conf"
        path.write_text(fontconfig_xml(), encoding="utf-8")
        _CONFIG_PATH.append(path)
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(_CONFIG_PATH[0])
    return env


def missing_stand_ins() -> List[str]:
    """Stand-in families fontconfig cannot find (empty when all are installed)."""
    if not shutil.which("fc-match"):
        return sorted({family for family, _ in STAND_INS.values()})
    missing = []
    for family in sorted({family for family, _ in STAND_INS.values()}):
        found = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True).stdout
        if family.lower() not in found.lower():
            missing.append(family)
    return missing
