"""The official font names, and free fonts that stand in for them when rendering.

Documents name the fonts GB/T 9704 asks for (仿宋_GB2312, 方正小标宋简体, 黑体,
楷体_GB2312, 宋体).  Word on an office PC has them; a Debian machine does not,
and fontconfig would silently fall back to one sans face for all of them.  The
names stay in the document; the substitutes live in a fontconfig file that
ships with doctools (``doctools/data/fonts.conf``).  doctools' own rendering
runs (LibreOffice for PDF, Graphviz for charts) point ``FONTCONFIG_FILE`` at
it; ``doctools fonts`` installs the same aliases for the user, so LibreOffice
opened by hand shows the same fonts:

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
from pathlib import Path
from typing import Dict, List, Optional
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

#: the file doctools' own LibreOffice and Graphviz runs read (FONTCONFIG_FILE)
CONFIG_FILE = Path(__file__).resolve().parent.parent / "data" / "fonts.conf"
#: the user's file written by ``doctools fonts`` (fontconfig reads conf.d/*.conf in name order)
USER_FILE_NAME = "60-doctools.conf"


def _rules() -> str:
    rules = []
    for name, (family, bold) in STAND_INS.items():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(f' <match target="pattern"><test qual="any" name="family"><string>{escape(name)}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong"><string>{escape(family)}</string></edit>{weight}</match>\n')
    return "".join(rules)


def fontconfig_xml(include_system: bool = True) -> str:
    """The aliases as a fontconfig file; *include_system* for a file that
    replaces the system's (FONTCONFIG_FILE), not for one in conf.d."""
    system = ' <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' if include_system else ""
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
            '<!-- doctools: free stand-ins for the font names of GB/T 9704 documents -->\n<fontconfig>\n'
            + system + _rules() + "</fontconfig>\n")


def render_env() -> Dict[str, str]:
    """The environment for a rendering subprocess: fontconfig with the stand-ins."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(CONFIG_FILE)
    return env


def user_config_path(home: Optional[Path] = None) -> Path:
    """``$XDG_CONFIG_HOME/fontconfig/conf.d/60-doctools.conf`` (~/.config by default)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    folder = Path(base) if base and home is None else (home or Path.home()) / ".config"
    return folder / "fontconfig" / "conf.d" / USER_FILE_NAME


def install_user_config(path: Path, dry_run: bool = False) -> bool:
    """Write the aliases to *path*; False when it already says exactly that."""
    text = fontconfig_xml(include_system=False)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return True


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
