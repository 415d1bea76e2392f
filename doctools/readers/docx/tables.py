"""The table rule: a task table (序号, 工作任务, 牵头单位 …) becomes tasks and tables.tasks; any other table
stays a fixed table with its merges and, for a form, its widths and heights.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional

from ...i18n import _, ngettext
from ...model.deadline import DeadlineError, parse_deadline
from ...resources import COLUMN_FIELDS
from ...typeset import gbt9704 as G
from ..docx_source import NotADocx, SourceTable
from ..tables import FORM_HEIGHT_MM, FORM_WIDTH_MM, MIN_COLUMN_MM
from ..xlsx_tasks import split_units
from .deadlines import _deadline_key, _has_year, milestones
from .duties import EXTRA_ROLES, ROLE_LABELS, UNIT_ROLES
from .state import State
from .text import flat_units, strip_bold, top_level_separators


def task_table(st: State, table: SourceTable, att: Dict, number: int) -> Optional[Dict]:
    spec = task_rows(st, table.rows, [table.number])
    if spec is None:
        return None
    att["table"] = "tasks"
    if "".join(att["title"].split()) != "任务分工表":
        spec["title"] = "".join(att["title"].split())
    count = len(spec["_ids"])
    source = source_rows(table.rows)
    st.note(ngettext("附件{number}: task table with {count} task → tasks.yaml",
                     "附件{number}: task table with {count} tasks → tasks.yaml", count).format(number=number, count=count),
            [table.number])
    if count < source:
        st.note(_("附件{number}: the task table has {rows} rows of tasks, but {count} tasks were read from it; check "
                  "the rows left out").format(number=number, rows=source, count=count), [table.number], guessed=True)
    spec.pop("_ids")
    return spec


def task_rows(st: State, rows: List[List[str]], numbers: List[int]) -> Optional[Dict]:
    """Tasks from the rows of a task table (序号, 工作任务, 牵头单位 …): a row whose
    工作任务 is the text of a task found in the body completes that task (units,
    deadline); any other row is a task of its own.  Returns tables.tasks."""
    header, fields, col = task_header(rows)
    if header is None:
        return None
    ids, groups, seps = [], False, []
    current_group = None
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        if not any(cells) or [c.replace("\n", "") for c in cells] == header:
            continue                    # an empty row, or the header repeated on a later page
        if len(set(cells)) == 1 or (cells[0] and not any(cells[1:])):
            current_group = cells[0]
            groups = True
            continue
        if "group" in col:
            # merged down: each row repeats it; a blank cell under a filled one continues its group
            current_group = cells[col["group"]] or current_group
        text = cells[col["text"]].replace("\n", "")
        if "index" in col and cells[col["index"]] and re.match(rf"{re.escape(cells[col['index']])}[.．、](?!\d)", text):
            text = text[len(cells[col["index"]]) + 1:]      # "2.开展…" beside 序号 2: the number is the 序号's
        units = {}
        for role in UNIT_ROLES:
            if role in col and cells[col[role]]:
                cell = cells[col[role]]
                seps.extend(top_level_separators(cell))
                units[role] = split_units(cell)
        derived_units(units, "support" in col)
        task = st.task_by_text.get(text) or repeated_task(st, text, units, ids)
        deadline = cells[col["deadline"]] if "deadline" in col else ""
        if task is None:
            task = st.new_task([text], None, "inline", numbers=numbers, dated_text=False)
        if not any(r in task for r in UNIT_ROLES):
            for role, names in units.items():
                task[role] = names
                st.add_units(names)
                st.declare_role(role)
        if deadline and "deadline" not in task and "milestones" not in task:
            deadline_from_workbook(st, task, deadline)
        if "note" in col and cells[col["note"]]:
            task["note"] = cells[col["note"]]
        if current_group:
            task["group"] = current_group
        ids.append(task["id"])
    # a name of the plan's own is declared with the field it shows
    spec: Dict = {"columns": [c if c in COLUMN_FIELDS or EXTRA_ROLES.get(f) == c else {"name": c, "field": f}
                              for c, f in zip(header, fields) if f != "group"]}
    if groups:
        spec["group"] = "section"
    elif "group" in col:
        spec["group"] = {"column": header[col["group"]]}
    all_ids = [t["id"] for t in st.draft.tasks]
    in_order = [i for i in all_ids if i in ids]
    if ids != in_order:
        by_deadline = sorted(in_order, key=lambda i: _deadline_key(next(t for t in st.draft.tasks if t["id"] == i)))
        if ids == by_deadline:
            spec["order"] = "deadline"
    if sorted(ids) != sorted(all_ids):
        spec["include"] = ids
    if seps:
        sep = max(set(seps), key=seps.count)
        if sep != "、":
            spec["unit_sep"] = sep
    st.draft.tables["tasks"] = spec
    spec["_ids"] = ids
    return spec


def repeated_task(st: State, text: str, units: Dict[str, List[str]], taken: List[str]) -> Optional[Dict]:
    """The body's task a row of the task table repeats by its title (推进决策公开 for "（一）推进决策公开。" and
    the text under it) or its text less the final 。, naming the same units: the row completes that task rather
    than make it a second time (each unit's list would show it twice).  None when no such task."""
    key = text.rstrip("。")
    names = sorted(n for v in units.values() for n in flat_units(v))
    for task in st.draft.tasks:
        said = [task.get("title") or "", task["text"] if isinstance(task.get("text"), str) else ""]
        own = sorted(n for r in UNIT_ROLES for n in flat_units(task.get(r, [])))
        if task["id"] not in taken and key and key in (strip_bold(w).rstrip("。") for w in said) and \
                (not own or own == names):
            return task
    return None


def deadline_from_workbook(st: State, task: Dict, cell: str) -> None:
    """A 完成时限 cell for a task the plan prints none for: its deadline, or its milestones (2023年底前完成开发；
    2024年上半年覆盖率达100%).  Where the task's text states a date as it stands ("年底前基本实现…" for
    2023年底前 in a plan of 2023), the text gets {deadline} (or {deadline1} …) there, so it prints as written
    and follows an edit of the date."""
    try:
        parse_deadline(cell)
        task["deadline"] = st.deadline_in_text(task, "deadline", cell)
        return
    except DeadlineError:
        pass
    steps = milestones(cell)
    if steps and all(_has_year(m["deadline"]) for m in steps):
        task["milestones"] = [dict(m, deadline=st.deadline_in_text(task, f"deadline{k}", m["deadline"]))
                              for k, m in enumerate(steps, start=1)]


def fixed_table(st: State, table: SourceTable, att: Dict, number: int, in_text: bool = False) -> None:
    """A table that is no task table, kept as the source has it: its cells, its merges (A1:B1), its blank rows to
    fill in and, in an attachment, a form's widths and heights (*in_text*: a table inside the plan's text, whose
    widths the build computes)."""
    from ...names import column_letters

    width = max(len(r) for r in table.rows)
    rows = [list(r) + [""] * (width - len(r)) for r in table.rows]
    # merged cells as ranges (A1:B1), their text in the first cell; one joining the header row to the
    # rows below cannot be said (the header repeats on every page): its cells keep their text
    spans = [s for s in table.spans if s[0] > 0 or s[2] == 0]
    for r1, c1, r2, c2 in spans:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    rows[r][c] = ""
    att["columns"] = rows[0]
    body = rows[1:]
    blank = 0
    last_spanned = max((s[2] for s in spans), default=0)
    while len(body) > last_spanned and not any(c.strip() for c in body[-1]):
        body.pop()
        blank += 1
    if body:
        att["rows"] = body
    if blank:
        att["blank_rows"] = blank
    if spans:
        att["merge"] = [f"{column_letters(c1 + 1)}{r1 + 1}:{column_letters(c2 + 1)}{r2 + 1}" for r1, c1, r2, c2 in spans]
    if in_text:
        what = _("a table inside the body kept as a table ({rows} rows × {columns} columns)").format(
            rows=len(rows), columns=width)
    else:
        form_layout(st, table, att, width)
        what = _("附件{number}: table kept as a fixed table ({rows} rows × {columns} columns)").format(
            number=number, rows=len(rows), columns=width)
    kept = len(table.spans) - len(spans)
    if kept:
        what += _("; {count} merged cell(s) joining the header row to the rows below repeat their text").format(count=kept)
    st.note(what, [table.number], plain=bool(kept))


def form_layout(st: State, table: SourceTable, att: Dict, width: int) -> None:
    """A form's column widths and row heights, in millimetres as the package gives them, where the package
    format can hold them (each column 8 mm or more, the 156 mm of the 版心 at most together).  Widths that
    are what the build computes from the cells are left out again by :func:`doctools.commands.import_docx.settle`."""
    widths = [millimetres(t) for t in table.widths]
    if len(widths) == width and min(widths) >= MIN_COLUMN_MM and sum(widths) <= FORM_WIDTH_MM + 0.05:
        att["widths"] = widths
    heights = {r + 1: millimetres(t) for r, t in sorted(table.heights.items())}
    heights = {r: h for r, h in heights.items() if 1 <= h <= FORM_HEIGHT_MM}
    if heights and len(heights) == len(table.rows) and len(set(heights.values())) == 1:
        att["heights"] = heights[1]                 # every row alike: heights: 12
    elif heights:
        att["heights"] = heights


# words of a column name a plan words its own way (工作要求, 配合/责任单位), and the field they show; the first found wins
_FIELD_WORDS = (("序号", "index"), ("牵头", "lead"), ("配合", "support"), ("协同", "support"), ("责任", "responsible"),
                ("时限", "deadline"), ("时间", "deadline"), ("进度", "deadline"), ("备注", "note"), ("任务", "text"),
                ("要求", "text"), ("内容", "text"), ("措施", "text"))


def column_field(name: str) -> Optional[str]:
    """The field a task-table column shows: by its standard name, else by a word in it."""
    if ROLE_LABELS.get(name) in EXTRA_ROLES:          # 主抓单位: a part the package declares (roles:)
        return ROLE_LABELS[name]
    return COLUMN_FIELDS.get(name) or next((f for word, f in _FIELD_WORDS if word in name), None)


def task_header(rows: List[List[str]]):
    """(header, fields, column of each field) when the first row names task-table columns.  A first column
    that names no field (类别) is the group column, field "group"."""
    if not rows:
        return None, None, None
    header = [c.strip().replace("\n", "") for c in rows[0]]
    fields = [column_field(c) for c in header]
    texts = [i for i, f in enumerate(fields) if f == "text"]
    if len(texts) > 1:
        # two columns named as task text (任务名称 and 任务内容, 工作任务 and 工作要求): one whose cells repeat the
        # cell above (merged) or are blank under a filled one holds the groups, the other the tasks
        grouping = [i for i in texts if groups_in(rows[1:], i)]
        for i in grouping[:len(texts) - 1]:
            fields[i] = "group"
    if fields and fields[0] is None and len(fields) > 1:
        fields[0] = "group"
    if "text" not in fields or None in fields or not any(f in fields for f in ("lead", "support", "responsible", "deadline")):
        return None, None, None
    return header, fields, {f: i for i, f in reversed(list(enumerate(fields)))}


def source_rows(rows: List[List[str]]) -> int:
    """How many rows of a task table hold a task: not empty, not a group's row (one text across the row, or in
    its first cell only), not the header repeated."""
    header = [c.strip().replace("\n", "") for c in rows[0]] if rows else []
    count = 0
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        if any(cells) and [c.replace("\n", "") for c in cells] != header and len(set(cells)) > 1 and \
                not (cells[0] and not any(cells[1:])):
            count += 1
    return count


def groups_in(rows: List[List[str]], column: int) -> bool:
    """Whether a column of a table's body holds groups: a cell repeats the one above it (a merged cell reads so)
    or is blank where rows have text."""
    cells = [r[column].strip() if column < len(r) else "" for r in rows if any(c.strip() for c in r)]
    return any(cell and cell == above for above, cell in zip(cells, cells[1:])) or \
        (any(cells) and any(not cell for cell in cells))


def derived_units(units: Dict[str, List[str]], support_column: bool) -> None:
    """A 责任单位 cell beside a 牵头单位 one that only lists the lead (and supporting) units again is what the
    table prints for a task without 责任单位 of its own: drop it; with no 配合单位 column, the names after the
    lead ones are the supporting units."""
    lead, responsible = units.get("lead"), units.get("responsible")
    if not lead or not responsible:
        return
    if responsible == lead + units.get("support", []):
        del units["responsible"]
    elif not support_column and responsible[:len(lead)] == lead:
        units["support"] = responsible[len(lead):]
        del units["responsible"]


def workbook_rows(path) -> List[List[str]]:
    """The rows of the sheet holding a task table (任务分工表.xlsx as doctools writes it,
    or one staff made), from its header row on; the hidden 编号 column left out."""
    from openpyxl import load_workbook

    from ...errors import UnreadableInput
    from ...safeio.untrusted import PARSER_ERRORS, WORKBOOK, open_package
    from ..workbook import GLUE

    try:
        package = open_package(path, WORKBOOK)      # the checks a package's workbooks get: size, parts, cells, DTD
    except UnreadableInput as exc:
        raise NotADocx(exc.message) from None
    try:
        wb = load_workbook(package.stream(), data_only=True, read_only=True)
    except PARSER_ERRORS as exc:
        raise NotADocx(_("{path}: cannot read the task workbook ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from None
    for ws in wb.worksheets:
        rows = [["" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v).replace(GLUE, "").strip()
                 for v in row] for row in ws.iter_rows(values_only=True)]
        for start in range(min(len(rows), 6)):
            row = rows[start]
            if "序号" in row and "编号" in row:
                drop = row.index("编号")
                rows = [r[:drop] + r[drop + 1:] for r in rows]
                row = rows[start]
            if task_header([row])[0] is not None:
                width = max(i + 1 for i, c in enumerate(row) if c)
                return [r[:width] for r in rows[start:]]
    raise NotADocx(_("{path}: no sheet has a task table header (工作任务 with 责任单位, 牵头单位 or 完成时限)").format(
        path=path))


def millimetres(twips: int):
    """Twips as millimetres to a tenth, a whole number without its .0 (2268 → 40)."""
    mm = round(twips / G.TWIPS_PER_MM, 1)
    return int(mm) if mm == int(mm) else mm
