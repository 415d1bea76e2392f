"""The 政务公开事项标准目录 (disclosure catalog), from YAML or from Excel.

In a package::

    catalog:
      title: 社会救助领域政务公开事项标准目录
      charts: item                 # one flowchart per row, or level1: one per 一级事项
      flows: [proactive, apply, interpret, opinion]   # standard or package flows drawn too
      source: 目录.xlsx             # rows from a county's Excel file, or:
      items:
        - level1: 最低生活保障
          level2: 审核信息
          content: 初审对象名单及相关信息
          basis: 《晋城市最低生活保障对象审核确认实施细则》
          time_limit: 制定或获取信息之日起10个工作日内，公示7个工作日
          subjects: 乡镇政府（街道办事处）          # "、"-separated text or a list
          channels: ■政府网站 □政府公报 ■公开查阅点    # ■ chosen, □ offered
          audience: 全社会                         # 全社会 / 特定群众
          mode: 主动                               # 主动 / 依申请公开
          level: [县级, 乡、村级]

The Excel reader takes the layout counties publish (national template) with
the quirks real files have: a two-row header (公开对象, 公开方式, 公开层级 over
their sub-columns), 一级事项 merged down its rows, ■/□ checkbox lists of
channels, √ or text ("县级") in the sub-columns, blank rows, a single
公开事项 column instead of 一级/二级, files without 公开方式 or 公开层级.  What it
cannot read is reported as ``file[sheet]:row:col: error: …``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..errors import Diagnostics, Pos, suggest
from ..i18n import N_, _
from ..limits import MAX_CHARTS
from ..model import Catalog, CatalogItem
from .schema import Fields
from .xlsx_tasks import split_units

_MARK = re.compile(r"([■□☑☐√✓])\s*([^■□☑☐√✓]+)")
_TICKS = {"√", "✓", "✔", "●", "■", "☑", "是", "1", "y", "Y", "yes"}
_TIME = re.compile(r"\d|[一二三四五六七八九十两]+个?(?:工作)?[日天月年]|小时|即时|实时|及时|随时|长期|常年|定期|每年|每季|每月|每周|当日|当天")

# header words -> field; sub-columns -> (group field, value)
HEADER_FIELDS = {
    "序号": "number", "编号": "number", "一级事项": "level1", "二级事项": "level2", "公开事项": "level1", "事项名称": "level1",
    "公开内容": "content", "公开内容（要素）": "content", "公开内容(要素)": "content", "公开依据": "basis",
    "公开时限": "time_limit", "公开主体": "subjects", "公开渠道和载体": "channels", "公开渠道": "channels",
}
GROUPS = {"公开对象": "audience", "公开方式": "mode", "公开层级": "level"}
SUB_VALUES = {"全社会": "audience", "特定群众": "audience", "特定群体": "audience", "主动": "mode", "依申请公开": "mode",
              "依申请": "mode", "县级": "level", "乡、村级": "level", "镇、村级": "level", "乡级": "level", "村级": "level",
              "州级": "level", "市级": "level", "乡镇级": "level"}


def parse_channels(text: str) -> Tuple[List[str], List[str]]:
    """(chosen, offered-but-not-chosen) from "■政府网站 □政府公报 …" or a plain list."""
    text = text.strip()
    marks = _MARK.findall(text)
    if not marks:
        return split_units(text), []
    chosen = [name.strip(" 、，,;；") for mark, name in marks if mark not in "□☐" and name.strip(" 、，,;；")]
    offered = [name.strip(" 、，,;；") for mark, name in marks if mark in "□☐" and name.strip(" 、，,;；")]
    return chosen, offered


def check_channels(item: CatalogItem, diags: Diagnostics, where: Pos) -> None:
    """A row that ticks no channel (■) gets a chart that names none: a chart never invents one."""
    if not item.channels:
        diags.warning(where, N_("catalog row {number} 《{name}》 ticks no channel (■), so its chart ends at "
                                "publishing without naming one"),
                      N_("tick the channel it is published through, such as ■政府网站") if item.offered else None,
                      number=item.number, name=item.name)


def check_item(item: CatalogItem, diags: Diagnostics, where: Pos, cell=lambda field: "") -> None:
    """An item needs 公开主体 and a 公开时限 that names a time."""
    if not item.subjects:
        diags.error(where, N_("catalog item '{name}'{cell}: 公开主体 is empty"), name=item.name, cell=cell("subjects"))
    if not item.time_limit:
        diags.error(where, N_("catalog item '{name}'{cell}: 公开时限 is empty"), name=item.name, cell=cell("time_limit"))
    elif not _TIME.search(item.time_limit):
        diags.error(where, N_("catalog item '{name}'{cell}: 公开时限 '{limit}' names no time"),
                    N_("say when, e.g. 信息形成或者变更之日起20个工作日内"), name=item.name, cell=cell("time_limit"),
                    limit=item.time_limit)


def read_catalog(reader, data, pos: Pos) -> Optional[Catalog]:
    diags: Diagnostics = reader.diags
    f = Fields(data, pos, _("catalog"), diags)
    if not f.ok:
        return None
    catalog = Catalog(title=f.text("title", default="政务公开事项标准目录"), items=[],
                      charts_per=reader.choice(f, "charts", ("item", "level1"), "item"))
    catalog.flows = f.texts("flows")
    for name in catalog.flows:
        if name not in reader.flows:
            diags.error(f.at("flows"), N_("catalog.flows: there is no flow '{name}'"), suggest(name, sorted(reader.flows)),
                        name=name)
    source = f.text("source")
    if source and f.has("items"):        # both: every row twice (12 rows, 13 charts, files ending in "-2")
        diags.error(f.at("items"), N_("catalog has both 'source' ({source}) and 'items', so its rows would be read "
                                      "twice; keep one"),
                    _("delete 'items' to take the rows from {source}, or 'source' to take the items written here")
                    .format(source=source), source=source)
        f.done()
        return None
    if source:
        catalog.items += read_catalog_workbook(reader.folder / source, reader.display(reader.folder / source), diags, f.at("source"),
                                               reader.folder)
    for n, (item, where) in enumerate(f.items("items"), start=1):
        g = Fields(item, where, _("catalog item {n}").format(n=n), diags)
        if not g.ok:
            continue
        chosen, offered = parse_channels(" ".join(g.texts("channels")))
        subjects = [u for text in g.texts("subjects") for u in split_units(text)]
        entry = CatalogItem(id=g.text("id", default=f"c{len(catalog.items) + 1}"), number=g.text("number", default=str(len(catalog.items) + 1)),
                            level1=reader.clean(g.text("level1", required=True) or "", g.at("level1")),
                            level2=g.text("level2"), content=g.text("content", default="") or "", basis=g.text("basis", default="") or "",
                            time_limit=g.text("time_limit", default="") or "", subjects=subjects, channels=chosen, offered=offered,
                            audience=g.texts("audience"), mode=g.texts("mode"), level=g.texts("level"), pos=where)
        g.done()
        check_item(entry, diags, where)
        check_channels(entry, diags, g.at("channels"))
        catalog.items.append(entry)
    f.done()
    ids = {}
    for item in catalog.items:
        if item.id in ids:
            diags.error(item.pos, N_("catalog item id '{id}' is used twice"), id=item.id)
        ids[item.id] = item
    check_chart_count(catalog, diags, f.at("source") if source else f.at("items"))
    return catalog


def check_chart_count(catalog: Catalog, diags: Diagnostics, where: Pos) -> None:
    """A build draws at most MAX_CHARTS flowcharts (each a Graphviz run of up to MAX_CHART_SECONDS): more is an
    error here, before any is drawn, rather than a build that runs for hours and writes nothing until the end."""
    if catalog.charts_per == "level1":
        count = len({item.level1 for item in catalog.items})
        message = N_("the catalog has {count} 一级事项, each drawn as a flowchart (charts: level1); a build draws "
                     "{limit} flowcharts at most")
        hint = N_("split the catalog into several packages")
    else:
        count = len(catalog.items)
        message = N_("the catalog has {count} rows, each drawn as a flowchart (charts: item); a build draws "
                     "{limit} flowcharts at most")
        hint = N_("set 'charts: level1' for one flowchart per 一级事项, or split the catalog into several packages")
    if count > MAX_CHARTS:
        diags.error(where, message, hint, count=f"{count:,}", limit=f"{MAX_CHARTS:,}")


# ---- Excel ----------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _merged_values(ws) -> Dict[Tuple[int, int], str]:
    """Every cell inside a merged range, with the value of its top-left cell."""
    values = {}
    for rng in ws.merged_cells.ranges:
        top = _text(ws.cell(row=rng.min_row, column=rng.min_col).value)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                values[(r, c)] = top
    return values


def _header(ws, merged) -> Tuple[int, Dict[int, Tuple[str, Optional[str]]]]:
    """(last header row, column -> (field, sub-value)) or (0, {})."""
    value = lambda r, c: merged.get((r, c), _text(ws.cell(row=r, column=c).value))
    for r in range(1, min(ws.max_row, 12) + 1):
        names = [value(r, c) for c in range(1, ws.max_column + 1)]
        if not any(n.startswith(("公开事项", "一级事项")) for n in names) or not any(n.startswith("公开内容") for n in names):
            continue
        columns: Dict[int, Tuple[str, Optional[str]]] = {}
        below = [value(r + 1, c) for c in range(1, ws.max_column + 1)] if r < ws.max_row else []
        two_rows = any(b in SUB_VALUES or b in ("一级事项", "二级事项") for b in below)
        for c, top in enumerate(names, start=1):
            sub = below[c - 1] if two_rows else ""
            key = top.replace(" ", "")
            if two_rows and sub and sub != top:
                if sub in ("一级事项", "二级事项"):
                    columns[c] = (HEADER_FIELDS[sub], None)
                elif sub in SUB_VALUES:
                    columns[c] = (SUB_VALUES[sub], sub)
                elif key in GROUPS:
                    columns[c] = (GROUPS[key], sub)
                continue
            field = HEADER_FIELDS.get(key) or next((v for k, v in HEADER_FIELDS.items() if key.startswith(k)), None)
            if field:
                columns[c] = (field, None)
        return (r + 1 if two_rows else r), columns
    return 0, {}


def read_catalog_workbook(path: Path, shown: str, diags: Diagnostics, spec_pos: Pos, folder: Optional[Path] = None) -> List[CatalogItem]:
    from openpyxl.utils import get_column_letter
    from .workbook import clean_cell, open_workbook, sheet_too_big, unsaved_formula

    opened = open_workbook(path, folder or path.parent, shown, "catalog.source", spec_pos, diags, formulas=True)
    if opened is None:
        return []
    wb, formulas = opened
    items: List[CatalogItem] = []
    found_header = False
    for ws in wb.worksheets:
        if sheet_too_big(ws, f"{shown}[{ws.title}]", diags):
            continue
        merged = _merged_values(ws)
        if ws.sheet_state != "visible":
            if _header(ws, merged)[0]:
                diags.warning(Pos(f"{shown}[{ws.title}]"), N_("sheet '{sheet}' is hidden and is not read"),
                              N_("make it visible in Excel or WPS if its rows belong to the catalog"), sheet=ws.title)
            continue
        last_header, columns = _header(ws, merged)
        if not last_header:
            continue
        found_header = True
        where = f"{shown}[{ws.title}]"
        by_field: Dict[str, List[int]] = {}
        for c, (field, _sub) in columns.items():
            by_field.setdefault(field, []).append(c)
        for field in ("level1", "content", "time_limit", "subjects"):
            if field not in by_field:
                diags.error(Pos(where, last_header, 1), N_("the header has no column for {field} ({name})"), field=field,
                            name={'level1': '公开事项', 'content': '公开内容', 'time_limit': '公开时限', 'subjects': '公开主体'}[field])
        if any(field not in by_field for field in ("level1", "content")):
            continue
        for r in range(last_header + 1, ws.max_row + 1):
            cell = lambda c: merged.get((r, c), _text(ws.cell(row=r, column=c).value))
            values = {c: clean_cell(cell(c), where, r, c, diags) for c in columns}
            own = {c: _text(ws.cell(row=r, column=c).value) for c in columns}
            for c in columns:
                if ws.cell(row=r, column=c).value is None and (r, c) not in merged:
                    unsaved_formula(formulas[ws.title], r, c, where, diags)
            if not any(own.values()):
                continue                                    # a blank row (merged cells alone do not make a row)
            first = lambda field: next((values[c] for c in by_field.get(field, []) if values[c]), "")
            if first("level1") in ("一级事项", "公开事项"):
                continue                                    # the header repeated on a later page
            flags = {"audience": [], "mode": [], "level": []}
            for c, (field, sub) in columns.items():
                if field in flags and sub:
                    mark = values[c]
                    if mark in _TICKS or mark == sub:
                        flags[field].append(sub)
                    elif mark and mark not in ("×", "否", "0", "-", "—", "?", "？"):
                        flags[field].append(mark)         # text where a tick would go: "县级", "州级"
            chosen, offered = parse_channels(first("channels"))
            item = CatalogItem(id=f"r{len(items) + 1}", number=first("number") or str(len(items) + 1), level1=first("level1"),
                               level2=first("level2") or None, content=first("content"), basis=first("basis"),
                               time_limit=first("time_limit"), subjects=split_units(first("subjects")),
                               channels=chosen, offered=offered, audience=flags["audience"], mode=flags["mode"],
                               level=flags["level"], pos=Pos(where, r, 1))
            cell_of = lambda field: (_(" (cell {cell})").format(cell=f"{get_column_letter(by_field[field][0])}{r}")
                                      if field in by_field else "")
            if not item.level1:
                diags.error(Pos(where, r, by_field["level1"][0]), N_("{cell} (公开事项) is empty, but the row has other cells"),
                            cell=_("cell {cell}").format(cell=f"{get_column_letter(by_field['level1'][0])}{r}"))
                continue
            check_item(item, diags, Pos(where, r, 1), cell_of)
            check_channels(item, diags, Pos(where, r, by_field["channels"][0]) if "channels" in by_field else Pos(where, r, 1))
            items.append(item)
    if not found_header:
        diags.error(Pos(shown), N_("no sheet has the catalog header (公开事项 or 一级事项, and 公开内容)"))
    return items
