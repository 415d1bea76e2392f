"""The attachment rule: each 附件 page (label, title, its table or text), and pages for attachments the
text names that the file lacks.
"""
from __future__ import annotations

import re
from typing import Dict, List

from ...i18n import _, ngettext
from ...resources import LAYOUTS
from ..docx_source import SourcePara, SourceTable
from . import frame, headings, paragraphs, sections, tables
from .schedule import month_grid
from .state import State
from .text import _ATTACH_LABEL, _strings


def missing_attachments(st: State) -> None:
    """附件3 or 《…》附后 named in the text of a file that does not hold that
    attachment: a page with its title only, as for a 附件说明 naming files sent
    separately (check refuses a reference to an attachment that is not there)."""
    d = st.draft
    text = "\n".join(_strings([d.document, d.tasks, d.schedule, d.body, d.attachments]))
    added = []
    titles = {re.sub(r"\s", "", a["title"]) for a in d.attachments}
    for m in re.finditer(r"《([^》]+)》附后", text):
        if m.group(1) not in titles:
            d.attachments.append({"title": m.group(1)})
            titles.add(m.group(1))
            added.append(m.group(1))
    highest = max((int(n) for n in re.findall(r"附件(\d+)", text)), default=0)
    while len(d.attachments) < min(highest, 20):
        d.attachments.append({"title": f"附件{len(d.attachments) + 1}"})
        added.append(d.attachments[-1]["title"])
    if added:
        st.note(_("the text names attachment(s) the file does not hold: a page with its title only for each "
                    "({titles}); add the attachment or change the reference").format(titles="、".join(added)),
                  [], plain=True)


# ---- attachments -------------------------------------------------------------------
def attachment_start(st: State, end: int) -> int:
    """The first 附件 page: a paragraph "附件" / "附件1" alone, after the body."""
    first = None
    for k in range(end):
        it = st.items[k]
        if isinstance(it, SourcePara) and _ATTACH_LABEL.match(it.clean) and it.clean.startswith("附"):
            nxt = [x for x in st.items[k + 1:k + 4] if isinstance(x, SourceTable) or x.clean]
            if nxt:
                first = k if first is None else first
                st.attach_labels = st.attach_labels + [k]
    return first if first is not None else end


def attachments(st: State, start: int, end: int) -> List[Dict]:
    labels = [k for k in st.attach_labels if start <= k < end]
    titles = st.attachment_titles
    if not labels and titles:
        # the 附件说明 names attachments the file does not hold (sent as separate files)
        out = []
        for title in titles:
            bare = re.sub(r"\.(pdf|docx?|xlsx?|wps|et|ofd)$", "", title, flags=re.I)
            out.append({"title": bare})
        st.note(_("附件说明 names attachment(s) the file does not hold: each kept as a page with its title only"), [],
                  plain=True)
        return out
    out = []
    for idx, k in enumerate(labels):
        stop = labels[idx + 1] if idx + 1 < len(labels) else end
        out.append(attachment(st, k, stop, idx + 1))
    return out


def attachment(st: State, k: int, stop: int, number: int) -> Dict:
    label = st.items[k]
    rest = [it for it in st.items[k + 1:stop] if isinstance(it, SourceTable) or it.clean or it.images]
    title_lines, used = [], [label.number]
    while rest and isinstance(rest[0], SourcePara) and not rest[0].images and frame.looks_like_title(st, rest[0], after_label=True) \
            and len(title_lines) < 3:
        title_lines.extend(rest[0].lines)
        used.append(rest[0].number)
        rest.pop(0)
    titles = st.attachment_titles
    listed = titles[number - 1] if number <= len(titles) else None
    title = "".join(title_lines) or listed or f"附件{number}"
    att: Dict = {"title": "\n".join(title_lines) if len(title_lines) > 1 else title}
    if listed and "".join(listed.split()) != "".join(title.split()):
        att["listed_as"] = listed                 # the 附件说明 words it otherwise (GB/T 9704 7.3.7: check warns)
    st.note(_("附件{number} 《{title}》 label and title").format(number=number, title=title), used)
    pictures = [it for it in rest if isinstance(it, SourcePara) and it.images]
    if pictures:
        st.save_images(pictures, f"附件{number}")
        count = sum(len(it.images) for it in pictures)
        st.note(ngettext("附件{number}: {count} picture saved under images/ (the package format cannot place "
                           "pictures yet; a placeholder line stands in its place)",
                           "附件{number}: {count} pictures saved under images/ (the package format cannot place "
                           "pictures yet; a placeholder line stands in their place)", count).format(
            number=number, count=count),
                  [it.number for it in pictures], plain=True)
    found_tables = [it for it in rest if isinstance(it, SourceTable)]
    if found_tables and all(month_grid(t.rows) for t in found_tables):
        # the month grid (进度安排（按月）), in one part or several: made again from the dates
        att["table"] = "gantt"
        modes = {label: mode for mode, label in LAYOUTS["gantt"]["label"].items()}
        st.draft.tables.setdefault("schedule", {})["gantt"] = modes["".join(found_tables[0].rows[0][0].split())]
        st.note(_("附件{number}: month grid → tables.schedule.gantt").format(number=number), [t.number for t in found_tables])
        st.grid_labels += ["".join(r[0].split()) for t in found_tables for r in t.rows[1:]]
        st.grids.append((number, found_tables))
        rest = [it for it in rest if it not in found_tables]
        found_tables = []
    if found_tables:
        table = found_tables[0]
        if tables.task_table(st, table, att, number) is None:
            tables.fixed_table(st, table, att, number)
        after = [it for it in rest[rest.index(table) + 1:] if isinstance(it, SourcePara)]
        if after:
            att["after"] = paragraphs.blocks(st, after)
            st.note(_("附件{number}: text after the table").format(number=number), [it.number for it in after])
            rest = [it for it in rest if it not in after]
        for extra in found_tables[1:]:
            st.note(_("附件{number}: a second table is kept as its text, row by row").format(number=number),
                      [extra.number], plain=True)
        rest = [it for it in rest if it is not table]
    start_level = next((h[0] for h in (headings.heading(st, it) for it in rest if isinstance(it, SourcePara))
                        if h and h[3] != "list"), None)
    if start_level and not found_tables:
        if start_level > 1:
            att["start_level"] = start_level
        found, blocks = sections.sections(st, rest, start_level)
        if blocks:
            att["content"] = blocks
        if found:
            att["sections"] = found
    elif rest:
        blocks = paragraphs.blocks(st, rest)
        if blocks:
            att["content"] = blocks
    return att


