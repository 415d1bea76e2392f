"""The 进度安排 rule: phases with their periods, from run-in sections or from a month grid.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from ...i18n import ngettext
from ...model.deadline import parse_deadline
from ...resources import LAYOUTS
from ..docx_source import SourceTable
from . import headings
from .deadlines import _is_deadline, _span, phase_of
from .state import State
from .text import _strings, markup, strip_bold


def untitle_by_grid(st: State) -> None:
    """A section holding one task prints as the task with a title would: heading, then text.  The month
    grid tells them apart, labelling a task's row with its title if it has one, else with its text (cut
    with …… when long): a row labelled with the text keeps the heading a section's."""
    labels = set(st.grid_labels)
    for tid, item, title in st.titled_by_section:
        task = next((t for t in st.draft.tasks if t["id"] == tid), None)
        if task is None or task.get("title") != title or title in labels:
            continue
        text = "".join(strip_bold("".join(_strings(task.get("text", "")))).split())
        if any(label == text or label.endswith("……") and text.startswith(label[:-2]) for label in labels):
            del task["title"]
            item.clear()
            item.update({"title": title, "text": [{"task": tid}]})


def phases_from_grid(st: State) -> None:
    """A plan whose phases are printed only in the month grid (no 进度安排 section): each row the grid
    starts with that labels no task is a phase, its period the months it marks."""
    mode = st.draft.tables.get("schedule", {}).get("gantt")
    if st.draft.schedule or mode not in ("phases", "both") or not st.grids:
        return
    number, parts = st.grids[0]
    months = grid_months(parts)
    rows = [["".join(parts[0].rows[i][0].split())] + [c for t in parts for c in t.rows[i][1:]]
            for i in range(1, len(parts[0].rows))] if all(len(t.rows) == len(parts[0].rows) for t in parts) else []
    if not months or any(len(r) != len(months) + 1 for r in rows):
        return
    labels = []
    for t in st.draft.tasks:
        labels.append(("".join(t["title"].split()), True) if t.get("title") else
                      ("".join(strip_bold("".join(_strings(t.get("text", "")))).split()), False))

    def labels_a_task(label: str) -> bool:
        return any(label.startswith(name) if titled else
                   label == name or label.endswith("……") and name.startswith(label[:-2]) or label.startswith(name)
                   for name, titled in labels if name)

    sep = st.draft.style.get("range_sep", "—")
    phases = []
    for row in rows:
        if mode == "both" and labels_a_task(row[0]):
            break
        marked = [m for m, c in zip(months, row[1:]) if c.strip()]
        if not row[0] or not marked:
            return
        first, last = (f"{y}年{m}月" for y, m in (marked[0], marked[-1]))
        phases.append({"title": row[0], "period": first if first == last else f"{first}{sep}{last}"})
    if phases:
        st.draft.schedule = phases
        st.note(ngettext("附件{number}: {count} phase read from the month grid, its period from the months it "
                           "marks → schedule.yaml",
                           "附件{number}: {count} phases read from the month grid, their periods from the months "
                           "they mark → schedule.yaml", len(phases)).format(number=number, count=len(phases)),
                  [t.number for t in parts])


def schedule_from(st: State, out: Dict, s: Dict, children: List[Dict]) -> Optional[Dict]:
    """进度安排: a section whose subsections are all run-in phases, either with the
    period after the title (（一）制定实施方案（2017年12月-2018年1月）。……) or
    leading the text (（一）第一阶段。2020年10月底前，……).  The periods must read
    as deadlines, come in order and print back as written."""
    title = out.get("title", "")
    if len(s["sections"]) < 2 or st.draft.schedule or s["_items"]:
        return None
    phases, wording = [], None
    for c in s["sections"]:
        if "_runin" not in c or c["sections"] or any(isinstance(x, SourceTable) or headings.heading(st, x) for x in c["_items"]):
            return None
        name, text = c["_runin"]
        extra = [markup(x) for x in c["_items"]]
        titled = phase_of(name)
        lead = re.match(r"^(\S{4,24}?)[，,]", strip_bold(text))
        if titled and wording in (None, "title"):
            wording = "title"
            phases.append({"title": titled[0], "period": titled[1], "text": [text.strip()] + extra})
        elif lead and _is_deadline(lead.group(1)) and wording in (None, "lead") and not text.startswith("**"):
            wording = "lead"
            phases.append({"title": name, "period": lead.group(1), "text": [text[lead.end():].strip()] + extra})
        else:
            return None
    parsed = [parse_deadline(p["period"]) for p in phases]
    for a, b in zip(parsed, parsed[1:]):
        if (b.start and a.start and b.start < a.start) or (b.end and a.end and b.end < a.end) or \
                (b.start and a.end and b.start <= a.end):
            return None
    seps = {ch for p in phases for ch in "-—" if ch in p["period"]}
    range_sep = seps.pop() if len(seps) == 1 else "—"
    if range_sep != "—":
        st.draft.style["range_sep"] = range_sep
    for p in phases:
        p["text"] = p["text"][0] if len(p["text"]) == 1 else p["text"]
    st.draft.schedule = phases
    section: Dict = {"title": title, "schedule": True if wording == "title" else "lead"}
    m = re.match(r"^(.*?)[（(]([^（）()]*\d{4}[^（）()]*)[）)]$", title)
    span = _span([d for d in parsed if d.kind in ("point", "range")], range_sep)
    if wording == "title" and m and span == m.group(2):
        section["title"] = m.group(1)
    elif wording == "title":
        section["title_period"] = False
    st.note(ngettext("进度安排: {count} phase with periods → schedule.yaml",
                       "进度安排: {count} phases with periods → schedule.yaml", len(phases)).format(count=len(phases)),
              [c["_head"].number for c in s["sections"]] + [s["_head"].number])
    return section


_MONTH = re.compile(r"^(\d{4}年)?\d{1,2}月$")


def month_grid(rows: List[List[str]]) -> bool:
    """Whether a table is a month grid doctools made: a label column, then one column a month."""
    header = ["".join(c.split()) for c in rows[0]] if rows else []         # 2024年|3月 set in two lines
    return (len(header) > 1 and header[0] in LAYOUTS["gantt"]["label"].values()
            and all(_MONTH.match(c) for c in header[1:]))


def grid_months(parts: List[SourceTable]) -> List[Tuple[int, int]]:
    """(year, month) of each month column of a month grid in parts (2021年11月, 12月, 2022年1月 …); empty if a
    month comes without a year to count from."""
    months: List[Tuple[int, int]] = []
    year = None
    for table in parts:
        for cell in table.rows[0][1:]:
            m = re.match(r"^(?:(\d{4})年)?(\d{1,2})月$", "".join(cell.split()))
            if not m or (year is None and not m.group(1)):
                return []
            year = int(m.group(1)) if m.group(1) else year
            months.append((year, int(m.group(2))))
    return months
