"""The default Word template: page setup, named styles and page-number footers.

``templates/docx/plan.docx`` is made by :func:`make_template_bytes` and shipped
(``doctools template`` copies it).  An office adjusts its house style by editing the
styles of that file in Word or WPS; the plan writer only *applies* style
names, so the edit carries into every document.  The writer falls back to the
bytes made here when no template file is found.

Style names (what Word shows; the id in brackets):

====================  ===========================================================
公文正文 (Normal)      3号仿宋, exact 28.95 pt, first line indented 2 characters
公文标题 (DocTitle)    2号小标宋, centred, outline level 1
heading 1–4           一、黑体 / （一）楷体 / 1. 仿宋 / （1）仿宋, outline levels 2–5
一级标题字符 …          character styles for run-in headings ("（一）加强组织领导。…")
发文机关标志 …          版头, 主送, 署名, 附件标识, 附件标题, 附件说明, 版记, 页码, 表格文字
====================  ===========================================================
"""
from __future__ import annotations

import functools
import io

from ..resources import templates


@functools.lru_cache(maxsize=None)
def template_bytes() -> bytes:
    """The default plan template: ``templates/docx/plan.docx`` as shipped, which is what
    :func:`make_template_bytes` makes (a test keeps the two equal), so a build never makes it again."""
    return templates("docx", "plan.docx").read_bytes()


def make_template_bytes() -> bytes:
    """The default plan template made anew as .docx bytes (deterministic); its
    WordprocessingML is made in :mod:`doctools.writers.oxml.style_parts`, imported
    here only when asked for (it needs python-docx, which the workbook writer does not)."""
    from .oxml.style_parts import template_bytes as make
    return make()


# ---- the Excel template ----------------------------------------------------------------

XLSX_STYLES = {
    # name: (font, size, bold, horizontal, fill)
    "表格标题": ("方正小标宋简体", 16, False, "center", None),
    "表头": ("黑体", 12, False, "center", "D9D9D9"),
    "分组行": ("黑体", 12, False, "left", "F2F2F2"),
    "表格正文": ("仿宋_GB2312", 12, False, "left", None),
    "表格正文居中": ("仿宋_GB2312", 12, False, "center", None),
}


@functools.lru_cache(maxsize=None)
def xlsx_template_bytes() -> bytes:
    """The default workbook template: ``templates/xlsx/tables.xlsx`` as shipped, which is what
    :func:`make_xlsx_template_bytes` makes (a test keeps the two equal).  Making it imports openpyxl and takes a
    tenth of a second, which a build no longer spends."""
    return templates("xlsx", "tables.xlsx").read_bytes()


def make_xlsx_template_bytes() -> bytes:
    """The default workbook template made anew: the named cell styles tables are drawn with.

    An office restyles its tables by editing these cell styles in Excel
    (开始 → 单元格样式) in ``templates/xlsx/tables.xlsx``."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    from .ziparchive import deterministic_zip

    wb = Workbook()
    thin = Side(style="thin", color="000000")
    for name, (font, size, bold, horizontal, fill) in XLSX_STYLES.items():
        style = NamedStyle(name=name)
        style.font = Font(name=font, size=size, bold=bold)
        style.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if name != "表格标题":
            style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if fill:
            style.fill = PatternFill("solid", fgColor=fill)
        wb.add_named_style(style)
    ws = wb.active
    ws.title = "样式"
    for row, name in enumerate(XLSX_STYLES, start=1):
        ws.cell(row=row, column=1, value=name).style = name
    ws.column_dimensions["A"].width = 24
    wb.properties.creator = "doctools"
    wb.properties.created = wb.properties.modified = datetime(2020, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return deterministic_zip(out.getvalue(), "2020-01-01T00:00:00Z")     # openpyxl stamps the time of saving
