"""Tables composed from tasks, phases, units and the catalog.

* 任务分工表 (task division): one row per task with the columns a package
  chooses by their printed names (序号, 工作任务, 责任单位, 牵头单位, 配合单位,
  完成时限 or 时间进度, 备注); optionally grouped under the body's sections
  (一、…) and ordered as in the body or by deadline; 序号 runs on across groups.
* 进度安排 (schedule): the phases with their periods, and a month grid — one
  column per month, "■" in each month a phase (or task) runs, so it prints in
  black and white; a "…前" deadline runs from the plan's date, 持续推进 from
  there to the grid's end.
* 各单位任务清单: the task table turned round, one table per unit listing
  every task it leads, supports or is responsible for.

These are :class:`~doctools.model.Table` values; writers print them as they
are.  Which column holds what (and so its width) comes from
``templates/tables.yaml`` (:mod:`doctools.resources`).
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Dict, List, Optional, Sequence

from ..errors import Diagnostics, suggest
from ..i18n import N_
from ..names import sheet_name
from ..model import BUILTIN_ROLES, Catalog, Package, ScheduleSpec, Table, TableRow, Task, TaskTableSpec
from ..resources import CENTRED, COLUMN_FIELDS, LAYOUTS, ROLE_WORDS, TICKS, WEIGHTS
from .wording import deadline_wording, period, table_units, task_dates, unit_list

GANTT_MAX_MONTHS = 60
MARK = "■"


def default_columns(tasks: Sequence[Task]) -> List[str]:
    if any(t.lead or t.support for t in tasks):
        return ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    return ["序号", "工作任务", "责任单位", "完成时限"]


def column_field(package: Package, spec: TaskTableSpec, name: str) -> str:
    """What a 任务分工表 column shows: the field the package declares for it, a field of templates/tables.yaml,
    or a role the package declares, by its label."""
    return spec.fields.get(name) or COLUMN_FIELDS.get(name) or next((r.id for r in package.roles if r.label == name), "note")


def group_name(group: Optional[str]) -> str:
    """A group as a 类别 cell: its title without the section number (一、)."""
    return _SECTION_NUMBER.sub("", group or "")


_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十百零]+、")


def task_cell(task: Task, what: str, index: int, package: Package, sep: str) -> str:
    if what == "index":
        return str(index)
    if what == "text":
        return task.text
    if what in BUILTIN_ROLES or what in task.roles or what in task.standing:
        return unit_list(table_units(task, what), sep)
    if any(r.id == what for r in package.roles):
        return ""
    if what == "deadline":
        return deadline_wording(task, package.style, cell=True)
    return task.note or ""


def ordered_tasks(package: Package, order: str) -> List[Task]:
    tasks = sorted(package.tasks, key=lambda t: t.order)
    if order == "deadline":
        tasks.sort(key=lambda t: t.deadline.sort_key if t.deadline else (date.max, date.max))
    return tasks


def selected(tasks: Sequence[Task], include: Sequence[str]) -> List[Task]:
    if not include:
        return list(tasks)
    return [t for t in tasks if t.id in include or (t.group and t.group in include)]


def task_table(package: Package, spec: TaskTableSpec) -> Table:
    tasks = selected(ordered_tasks(package, spec.order), spec.include)
    columns = spec.columns or default_columns(tasks)
    fields = [column_field(package, spec, c) for c in columns]
    sep = spec.unit_sep or package.style.unit_sep
    rows: List[TableRow] = []
    if spec.group == "column":
        # the groups in a first column, equal neighbours merged down; the tasks stay in their order
        for index, t in enumerate(tasks, start=1):
            rows.append(TableRow([group_name(t.group)] + [task_cell(t, f, index, package, sep) for f in fields],
                                 task_id=t.id))
        fields = ["group"] + fields
        return Table(key="tasks", title=spec.title, header=[spec.group_column] + list(columns), rows=rows,
                     weights=[WEIGHTS.get(f, WEIGHTS["support"]) for f in fields], wrap=[f not in ("index", "deadline") for f in fields],
                     sheet="任务分工表", fields=fields, merge_down=[0])
    if spec.group == "section":
        groups: Dict[Optional[str], List[Task]] = {}
        for t in tasks:
            groups.setdefault(t.group, []).append(t)
        sequence = [(g, ts) for g, ts in groups.items() if g] + [(None, groups.get(None, []))]
    else:
        sequence = [(None, tasks)]
    index = 0
    for group, members in sequence:
        if group and members:
            rows.append(TableRow([group] + [""] * (len(columns) - 1), group=True))
        for t in members:
            index += 1
            rows.append(TableRow([task_cell(t, f, index, package, sep) for f in fields], task_id=t.id))
    return Table(key="tasks", title=spec.title, header=list(columns), rows=rows,
                 weights=[WEIGHTS.get(f, WEIGHTS["support"]) for f in fields], wrap=[f not in ("index", "deadline") for f in fields],
                 sheet="任务分工表", fields=fields)


NEVER_DROPPED = ("index", "text", "group", "phase")


def drop_empty_columns(table: Table) -> List[str]:
    """Leave out the columns no row fills (kazuo's 完成时限: no task has a deadline): a printed column that
    is empty everywhere only makes a reader look for what is missing.  Returns the names left out."""
    body = [r for r in table.rows if not r.group]
    if not body:
        return []                                  # a table with no rows keeps its header as it is
    empty = [i for i, f in enumerate(table.fields) if f not in NEVER_DROPPED and not any(r.cells[i] for r in body)]
    if not empty:
        return []
    keep = [i for i in range(len(table.header)) if i not in empty]
    dropped = [table.header[i] for i in empty]
    pick = lambda values: [values[i] for i in keep]
    table.header, table.fields, table.weights, table.wrap = (pick(table.header), pick(table.fields),
                                                             pick(table.weights), pick(table.wrap))
    for row in table.rows:
        row.cells = [row.cells[0]] + [""] * (len(keep) - 1) if row.group else pick(row.cells)
    table.merge_down = [keep.index(i) for i in table.merge_down if i in keep]
    return dropped


def layout(name: str) -> dict:
    """A fixed table's columns from templates/tables.yaml, as Table fields."""
    columns = LAYOUTS[name]["columns"]
    return dict(header=[c[0] for c in columns], fields=[c[1] for c in columns], weights=[c[2] for c in columns],
                wrap=[c[3] for c in columns])


def schedule_table(package: Package, spec: ScheduleSpec) -> Table:
    rows = [TableRow([str(i), p.title, period(p.period, package.style, cell=True),
                      "".join("".join(r.text for r in para) for para in p.paragraphs)])
            for i, p in enumerate(package.phases, start=1)]
    return Table(key="schedule", title=spec.title, rows=rows, sheet=LAYOUTS["schedule"]["sheet"], **layout("schedule"))


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_label(index: int, first: bool) -> str:
    year, month = divmod(index, 12)
    return f"{year}年{month + 1}月" if first or month == 0 else f"{month + 1}月"


GRID_LABEL = 30           # characters of a task's text that label its row of the month grid


def grid_label(text: str) -> str:
    """A task's row label in the month grid: its text up to the end of the clause that reaches
    :data:`GRID_LABEL` characters, with …… where it is cut (the whole text is in the 任务分工表)."""
    if len(text) <= GRID_LABEL:
        return text
    cut = max((m.end() for m in re.finditer(r"[，。；：]", text[:GRID_LABEL + 1])), default=0)
    return text[:cut - 1 if cut > GRID_LABEL // 2 else GRID_LABEL] + "……"


def gantt_table(package: Package, spec: ScheduleSpec) -> Optional[Table]:
    """The month grid; None when nothing has a date to draw."""
    mode = spec.gantt
    if mode == "none":
        return None
    if mode == "auto":
        # the phases, and the tasks' own deadlines too: a package with phases never drops them silently
        dated_tasks = any(d.start or d.end for t in package.tasks for _, d in task_dates(t))
        mode = ("both" if dated_tasks else "phases") if package.phases else "tasks"
    items = []  # (label, deadline)
    if mode in ("phases", "both"):
        items += [(p.title, p.period) for p in package.phases if p.period]
    if mode in ("tasks", "both"):
        for t in ordered_tasks(package, "body"):
            short = t.title or grid_label(t.text)
            items += [(short + label[len(t.title or t.text):], d) for label, d in task_dates(t)]
    dated = [d for _, d in items if d.start or d.end]
    if not dated:
        return None
    first = min(_month_index(d.start or d.end) for d in dated)
    last = max(_month_index(d.end) for d in dated if d.end) if any(d.end for d in dated) else first
    last = min(last, first + GANTT_MAX_MONTHS - 1)
    months = list(range(first, last + 1))
    # "…前" and 持续推进 have no start: they run from the plan's date (the work starts when the plan is issued),
    # or from the grid's first month when the plan is dated outside the grid
    dated_at = package.document.date and _month_index(package.document.date)
    begin = dated_at if dated_at and first <= dated_at <= last else first
    rows = []
    for label, d in items:
        hi = _month_index(d.end) if d.end else last                 # 持续推进: runs to the end
        lo = _month_index(d.start) if d.start else min(begin, hi)   # due before the plan's month: that month only
        rows.append(TableRow([label] + [MARK if lo <= m <= hi else "" for m in months]))
    grid = LAYOUTS["gantt"]
    header = [grid["label"][mode]] + [_month_label(m, i == 0) for i, m in enumerate(months)]
    return Table(key="gantt", title=f"{spec.title}（按月）", header=header, rows=rows,
                 weights=[grid["label_weight"]] + [grid["month_weight"]] * len(months), wrap=[True] + [False] * len(months),
                 landscape=len(months) > 6, sheet=grid["sheet"],
                 fields=["phase" if mode == "phases" else "text"] + ["month"] * len(months))


def unit_parts(package: Package, task: Task, unit) -> List[str]:
    """The unit's parts in the task, as the 职责 of its list: 牵头, 配合, 负责, a declared role's word (主抓),
    or the unit's own words where the task gives them (负责法制审查)."""
    words = dict(ROLE_WORDS, **{r.id: r.short for r in package.roles})
    parts = []
    for role in (*BUILTIN_ROLES, *(r.id for r in package.roles)):
        if any(u.id == unit.id for u in task.role(role) + task.standing.get(role, [])):
            own = [ref.duty for group in task.written.get(role, []) for ref in group if ref.unit.id == unit.id and ref.duty]
            parts.append(own[0] if own else words[role])
    return parts


def unit_tables(package: Package, spec: TaskTableSpec) -> List[Table]:
    """One list per unit of the tasks it has a part in.  Each task is looked at once and filed under its units,
    so the work grows with the tasks' units, not with units × tasks (5,000 of each took over a minute)."""
    roles = ("responsible", "lead", "support", *(r.id for r in package.roles))
    by_unit: Dict[str, list] = {}
    for t in ordered_tasks(package, spec.order):
        for unit_id in dict.fromkeys(u.id for role in roles for u in t.role(role) + t.standing.get(role, [])):
            by_unit.setdefault(unit_id, []).append(t)
    tables, sheets = [], set()
    for unit in package.units:
        rows = []
        for t in by_unit.get(unit.id, []):
            parts = unit_parts(package, t, unit)
            if not parts:
                continue
            deadline = deadline_wording(t, package.style, cell=True)
            rows.append(TableRow([str(len(rows) + 1), t.text, "、".join(parts), deadline], task_id=t.id))
        if rows:
            tables.append(Table(key=f"unit:{unit.id}", title=f"{unit.name}任务清单", rows=rows,
                                sheet=sheet_name(unit.short or unit.name, sheets), **layout("unit")))
            sheets.add(tables[-1].sheet)
    return tables


TICK = "√"


def _ticked(values: List[str], *names: str) -> str:
    return TICK if any(any(n in v or v in n for n in names) for v in values) else ""


def catalog_table(catalog: Catalog) -> Table:
    """The catalog in the national layout, to publish: two header rows, 一级事项 merged down, ticks."""
    rows = []
    for i, item in enumerate(catalog.items, start=1):
        channels = " ".join([f"■{c}" for c in item.channels] + [f"□{c}" for c in item.offered])
        rows.append(TableRow([str(i), item.level1, item.level2 or "", item.content, item.basis, item.time_limit,
                              "、".join(item.subjects), channels,
                              _ticked(item.audience, "全社会"), _ticked(item.audience, "特定群众", "特定群体"),
                              _ticked(item.mode, "主动"), _ticked(item.mode, "依申请"),
                              _ticked(item.level, "县级", "州级", "市级"), _ticked(item.level, "乡", "镇", "村")]))
    spec = LAYOUTS["catalog"]
    return Table(key="catalog", title=catalog.title, rows=rows, landscape=True, sheet=spec["sheet"],
                 header_groups=[tuple(g) for g in spec["groups"]], merge_down=[1], **layout("catalog"))


def fixed_layout(table: Table) -> None:
    """A table given cell by cell: its columns known by their names where they are task-table names."""
    table.fields = [COLUMN_FIELDS.get(c, "text") for c in table.header]
    table.weights = [2.5 if f == "index" else 8.0 for f in table.fields]
    table.wrap = [f != "index" for f in table.fields]


def merge_runs(table: Table) -> list:
    """(column, first row, last row) of each run of equal cells in a merge_down column."""
    runs = []
    rows = table.rows
    for col in table.merge_down:
        start = 0
        for end in range(1, len(rows) + 1):
            a = rows[start]
            same = end < len(rows) and not a.group and not rows[end].group and a.cells[col] and rows[end].cells[col] == a.cells[col]
            if not same:
                if end - 1 > start:
                    runs.append((col, start, end - 1))
                start = end
    return runs


def finish(table: Table) -> Table:
    """Alignment and merged runs, computed once for every writer."""
    table.align = ["centre" if f in CENTRED else "tick" if f in TICKS else "left" for f in table.fields]
    table.merges = merge_runs(table)
    return table


def body_tables(package: Package) -> List[Table]:
    """The tables inside the text (a block ``table:`` of a section or an attachment), in print order."""
    found: List[Table] = []

    def walk(blocks, sections) -> None:
        found.extend(b for b in blocks if isinstance(b, Table))
        for s in sections:
            walk(s.blocks, s.children)

    walk([], package.document.sections)
    for attachment in package.document.attachments:
        walk(attachment.blocks + attachment.after, attachment.sections)
    return found


def compose_tables(package: Package, diags: Diagnostics) -> None:
    """The package's tables, and each attachment's table of a kind it names
    (``table: tasks`` …), checked against what the package has."""
    task_spec, schedule_spec = package.task_spec, package.schedule_spec
    ids = {t.id for t in package.tasks}
    groups = {t.group for t in package.tasks if t.group}
    for name in task_spec.include:
        if "tasks" not in package.lost and name not in ids and name not in groups:
            diags.error(task_spec.pos, N_("tables.tasks.include: '{name}' is neither a task id nor a task group"),
                        suggest(name, sorted(ids | groups)), name=name)
    made = {}
    if package.tasks:
        made["tasks"] = task_table(package, task_spec)
        for name in drop_empty_columns(made["tasks"]):
            if name in task_spec.column_pos and not package.lost:   # a column the package asked for: say why not
                diags.warning(task_spec.column_pos[name], N_("no task fills the column '{name}' of tables.tasks, so it "
                                                             "is not printed"), N_("fill it in the tasks, or leave it "
                                                                                   "out of 'columns'"), name=name)
        package.unit_tables = unit_tables(package, task_spec)
        for table in package.unit_tables:
            drop_empty_columns(table)
    if package.phases:
        made["schedule"] = schedule_table(package, schedule_spec)
        drop_empty_columns(made["schedule"])
    gantt = gantt_table(package, schedule_spec) if (package.phases or package.tasks) else None
    if gantt is not None:
        made["gantt"] = gantt
    package.tables = [finish(t) for t in made.values()]
    for table in package.unit_tables:
        finish(table)
    if package.catalog is not None:
        made["catalog"] = package.catalog_table = finish(catalog_table(package.catalog))
    for table in body_tables(package):
        fixed_layout(table)
        finish(table)
    for attachment in package.document.attachments:
        if attachment.table is not None and attachment.table.key == "fixed":
            fixed_layout(attachment.table)
            finish(attachment.table)
        kind = attachment.table_kind
        if kind == "flowcharts":
            if package.catalog is None and not attachment.flows and "catalog" not in package.lost:
                diags.error(attachment.pos, N_("attachment {number} shows the flowcharts, but the package has no 'catalog'"),
                            number=attachment.number)
            continue
        if kind is None:
            continue
        if kind not in made:
            message = {"tasks": N_("attachment {number} shows the '{kind}' table, but the package has no tasks"),
                       "catalog": N_("attachment {number} shows the '{kind}' table, but the package has no catalog")}.get(
                kind, N_("attachment {number} shows the '{kind}' table, but the package has no dated phases or tasks"))
            if not package.lost:        # not when the file holding its data could not be read
                diags.error(attachment.pos, message, number=attachment.number, kind=kind)
            continue
        attachment.table = dataclasses.replace(made[kind], title=attachment.title)
