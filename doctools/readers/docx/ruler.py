"""The ordered table of rules :func:`recognise` runs over one :class:`~.state.State`, and the summary.
"""
from __future__ import annotations

import re
from typing import Callable, Dict, List, Tuple

from ...i18n import _, ngettext
from ..docx_source import NotADocx, SourcePara, read_source
from . import attachments, frame, notice, schedule, sections, signoff, tables
from .duties import EXTRA_ROLES
from .state import GUESSED, PLAIN, SURE, Draft, State, _where
from .tables import task_header, workbook_rows
from .text import is_unit_name


def _imprint(st: State) -> None:
    st.end = signoff.imprint(st, len(st.items))


def _attachment_pages(st: State) -> None:
    st.att_start = attachments.attachment_start(st, st.end)


def _signoff(st: State) -> None:
    st.tail_start = signoff.tail(st, st.att_start)


def _header(st: State) -> None:
    st.pos = frame.header(st, 0)


def _notice(st: State) -> None:
    st.pos = notice.notice_and_title(st, st.pos, st.tail_start)


def _recipients(st: State) -> None:
    st.pos = frame.recipients(st, st.pos, st.tail_start)


def _body(st: State) -> None:
    st.draft.body = sections.body(st, st.pos, st.tail_start)


def _attachments(st: State) -> None:
    st.draft.attachments = attachments.attachments(st, st.att_start, st.end)


def _grid(st: State) -> None:
    schedule.untitle_by_grid(st)
    schedule.phases_from_grid(st)


def _workbook(st: State) -> None:
    if not st.workbook:
        return
    spec = tables.task_rows(st, st.workbook, [])
    if spec is not None:
        rows = len(spec.pop("_ids"))
        st.note(ngettext("task workbook: {count} row → units and deadlines of the tasks",
                         "task workbook: {count} rows → units and deadlines of the tasks", rows).format(count=rows), [])


def _deadlines(st: State) -> None:
    """Deadlines the tasks' texts state, for tasks no duty wording, table or workbook gave one."""
    if st.workbook:
        return                          # the workbook's 完成时限 column says each task's
    for task in st.draft.tasks:
        if task["id"] not in st.from_table:
            st.text_deadline(task, st.draft.task_numbers.get(task["id"], []))


def _frame(st: State) -> None:
    frame.settle_frame(st)


RULES: List[Tuple[str, Callable[[State], None]]] = [
    ("imprint", _imprint),              # 版记 at the very end
    ("attachments", _attachment_pages),  # where the 附件 pages start
    ("signoff", _signoff),              # 附件说明, contact, 署名, 成文日期, 附注 before them
    ("frame", _header),                 # 版头 at the top
    ("notice", _notice),                # a 印发通知, and the title
    ("frame", _recipients),             # 主送
    ("headings", _body),                # sections and their text (paragraphs, duties, deadlines, tables)
    ("attachments", _attachments),      # each 附件 page (task tables, fixed tables, text)
    ("schedule", _grid),                # phases and titles the month grid tells
    ("tables", _workbook),              # a task workbook given with --tasks
    ("deadlines", _deadlines),          # deadlines stated in the tasks' texts
    ("frame", _frame),                  # office, dates, 署名, 版记 said once
    ("finish", lambda st: finish(st)),
    ("unplaced", lambda st: unplaced(st)),
]


def run(st: State) -> Draft:
    """Run every rule of :data:`RULES` over *st*, in order; the draft they made."""
    for name, rule in RULES:
        st.rule = name
        rule(st)
    return st.draft


def unplaced(st: State) -> None:
    """Every paragraph the summary has not named yet, named as kept as plain text; a short line
    that reads like an office name just before the 署名 (a second 署名?) said as such."""
    named = {n for note in st.draft.notes for n in note.numbers}
    rest = [it.number for it in st.items if isinstance(it, SourcePara) and it.clean and it.number not in named]
    if rest:
        st.note(_("not recognised as anything, kept as plain text in its place"), rest, plain=True)
    name_para = st.tail_found.get("name_para")
    if name_para is not None:
        before = st.next_nonempty_back(name_para.number - 2)
        if before is not None and is_unit_name(before.clean) and re.fullmatch(r"[^\s，。；：、,:;]{2,30}", before.clean):
            st.note(_("a line like an office name just before the 署名 (a second 署名?) kept as body text"),
                      [before.number], plain=True)


def finish(st: State) -> None:
    d = st.draft
    attachments.missing_attachments(st)
    d.units = list(st.units)
    task_columns(st)
    # a block of duty lines is a format of several lines, each printed as a paragraph of its own
    formats = {name: ({"template": t.split("\n") if "\n" in t else t, "place": p} if p != "inline" else t)
               for (t, p), name in st.format_names.items()}
    if formats:
        d.style["duty_formats"] = formats


# the 任务分工表's column for each part a task can name, in the order the table shows them
_ROLE_COLUMNS = (("lead", "牵头单位"), ("chief", EXTRA_ROLES["chief"]), ("support", "配合单位"), ("responsible", "责任单位"))


def task_columns(st: State) -> None:
    """The 任务分工表 shows every part the tasks name: when a task names parts the default columns leave out
    (责任单位 beside 牵头单位 in one task, or 主抓单位), the table is given a column for each (tables.tasks.columns)."""
    tasks = st.draft.tasks
    if "tasks" in st.draft.tables or not tasks:
        return
    used = [(role, label) for role, label in _ROLE_COLUMNS if any(t.get(role) for t in tasks)]
    both = any(t.get("responsible") and (t.get("lead") or t.get("support")) for t in tasks)
    if not both and not any(role in EXTRA_ROLES for role, _label in used):
        return          # the default columns show each task's units (责任单位, or 牵头 and 配合)
    dated = any(t.get("deadline") or t.get("milestones") for t in tasks)
    st.draft.tables["tasks"] = {"columns": ["序号", "工作任务"] + [label for _role, label in used] + ["完成时限"] * dated}
    st.note(_("任务分工表 with a column for each part the tasks name ({columns})").format(
        columns="、".join(label for _role, label in used)), [])


def summary(draft: Draft) -> Tuple[List[str], List[str], List[str]]:
    """(recognised surely, guessed, kept as plain text): one line per kind of thing, with its paragraph numbers."""
    groups: Dict[Tuple[str, str], List[int]] = {}
    counts: Dict[Tuple[str, str], int] = {}
    for note in draft.notes:        # worded when made, in the active language; a task's kind of note names no id
        key = (note.what, note.confidence)
        groups.setdefault(key, []).extend(note.numbers)
        counts[key] = counts.get(key, 0) + 1
    lines: Dict[str, List[str]] = {SURE: [], GUESSED: [], PLAIN: []}
    for (what, confidence), numbers in groups.items():
        count = counts[what, confidence]
        lines[confidence].append(f"{what}{f' ×{count}' if count > 1 else ''}: {_where(numbers)}")
    return lines[SURE], lines[GUESSED], lines[PLAIN]


def account(draft: Draft) -> List[Dict]:
    """Every recognition, for ``doctools import --json`` (the workbench's import review): what (in the active
    language), its confidence (sure | guessed | plain), the rule that made it and its source paragraphs."""
    return [{"what": note.what, "confidence": note.confidence, "rule": note.rule,
             "paragraphs": sorted(set(note.numbers))} for note in draft.notes]


def recognise(path, name: str = "", tasks_workbook=None) -> Draft:
    """Read the .docx at *path* and recognise the plan in it; *tasks_workbook*
    (a 任务分工表.xlsx) names the units and deadlines a plan may leave unprinted."""
    items = read_source(path)
    rows = workbook_rows(tasks_workbook) if tasks_workbook else None
    header, _fields, col = task_header(rows or [])
    known = {r[col["text"]].replace("\n", "").strip() for r in rows[1:]} if header else set()
    draft = run(State(items=items, draft=Draft(source_name=name), workbook=rows, known_texts=known))
    if not (draft.body or draft.attachments or draft.document.get("preamble") or draft.document.get("notice")):
        raise NotADocx(_("{path}: the document holds only a title ({title}); there is no text to import").format(
            path=path, title=draft.document.get("title", "")))
    return draft
