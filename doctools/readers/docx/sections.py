"""The section rule: the tree of sections from the headings the heading rule finds; the text under each
heading handed to the paragraph rules; a section of phases handed to the schedule rule.
"""
from __future__ import annotations

import re
from typing import Dict, List, Tuple

from ...i18n import _
from ..docx_source import Item, SourcePara, SourceTable
from . import paragraphs, schedule
from .duties import trailing_duty
from .headings import heading, is_section_start, is_workbook_task
from .state import State
from .text import label_number, markup, strip_bold


def body(st: State, i: int, stop: int) -> List[Dict]:
    items = [it for it in st.items[i:stop] if isinstance(it, SourceTable) or it.clean or it.images]
    # the preamble: paragraphs before the first heading
    k = 0
    while k < len(items) and isinstance(items[k], SourcePara) and not is_section_start(st, items[k]):
        k += 1
    if k:
        pre: List = []
        for p in items[:k]:
            if isinstance(p, SourcePara):
                # the preamble holds text only: a picture's line is a paragraph of its own there
                pre += [line["line"] for line in paragraphs.picture_lines(st, p)] if p.images else []
                pre += [markup(p)] if p.clean else []
        st.draft.document["preamble"] = pre
        st.note(_("preamble"), [p.number for p in items[:k]])
    found, blocks = sections(st, items[k:], 1)
    if blocks:
        st.draft.document.setdefault("preamble", []).extend(b for b in blocks if isinstance(b, str))
    return found


def sections(st: State, items: List[Item], base: int) -> Tuple[List[Dict], List]:
    """Sections from *base* level down, and any blocks before the first heading."""
    root: Dict = {"sections": [], "_items": []}
    stack: List[Tuple[int, Dict]] = [(base - 1, root)]
    last: Dict[int, int] = {}          # the number last printed at each level, as the package reader counts
    listed = 0                         # the number of the last 1. item left to the text's lists
    for it in items:
        h = heading(st, it) if isinstance(it, SourcePara) else None
        if h and h[0] == 3 and h[1]:
            if h[3] == "list" or (listed and label_number(h[1]) == listed + 1):
                # 6.完善… after the tasks 4.… 5.… of a list: an item of that list, not a heading
                listed = label_number(h[1])
                tail_item(st, stack[-1][1], it)
                continue
        if h and h[3] == "runin" and h[0] == 3 and is_workbook_task(st, h[2]):
            h = None        # 1.选取…试点。总结…经验。: a task of the workbook, its first sentence no heading
        if h and h[3] != "list" and h[0] is not None:
            level = h[0]
            keep = len(stack)
            while keep > 1 and stack[keep - 1][0] >= level:
                keep -= 1
            parent = stack[keep - 1]
            siblings = parent[1]["sections"]
            expected = last.get(level, 0) + 1 if siblings or parent[1].get("_continue") else 1
            number = label_number(h[1]) if h[1] else 0
            if level == parent[0] + 1 and not siblings and parent[1] is not root and number > 1 and \
                    number == last.get(level, 0) + 1:
                # 1.–29. straight through several sections: the parent says its numbers run on
                parent[1]["_continue"] = True
                expected = number
            if level != parent[0] + 1 or (h[1] and number not in (0, expected)):
                # a number the structure can't give (a skipped level, a restart): keep the text as typed
                if level == 3 and h[3] == "runin":      # 3.推进……建设。……: an item of a list in the text
                    tail_item(st, stack[-1][1], it)
                    continue
                st.note(_("numbered paragraph that does not continue the numbering above it, kept as typed"),
                          [it.number], plain=True)
                tail_item(st, stack[-1][1], it)
                continue
            del stack[keep:]
            last[level] = expected
            if level == 3:
                listed = 0              # 1. taken as a section's number: a list before it does not run on past it
            section = {"_head": it, "_h": h, "_items": [], "sections": []}
            stack[-1][1]["sections"].append(section)
            stack.append((level, section))
        else:
            tail_item(st, stack[-1][1], it)
    out = [build_section(st, s, base) for s in root["sections"]]
    return out, paragraphs.blocks(st, root["_items"])


def tail_item(st: State, section: Dict, it: Item) -> None:
    """Text after a section's subsections belongs to the last of them (the
    format prints a section's own text before its subsections)."""
    while section["sections"]:
        section = section["sections"][-1]
    section["_items"].append(it)


def build_section(st: State, s: Dict, level: int) -> Dict:
    p: SourcePara = s["_head"]
    _level, label, rest, kind = s["_h"]
    out: Dict = {}
    items = s["_items"]
    numbers = [p.number]
    if kind == "runin":
        stop = re.search(r"[。！？]", rest).end()
        title = rest[:stop]
        remaining = rest[stop:]
        full = p.text.replace("\n", "")
        offset = (len(full) - len(full.lstrip())) + len(full.strip()) - len(rest) + stop
        runin_text = markup(p, skip=offset)
        title = title[:-1] if title.endswith("。") else title
        out["title"] = title
        out["runin"] = True
        if all(r.bold for r in p.runs[:1]) and p.runs and p.runs[0].bold:
            st.draft.style["bold_runin"] = True
        s["_runin"] = (title, runin_text)
        first = SourcePara(number=p.number, text=remaining, runs=[])
        st.marked[p.number] = runin_text
        items = [first] + items
    else:
        out["title"] = rest.rstrip() if rest else p.clean
    if kind == "unnumbered":
        out["numbered"] = False         # 总体要求 in 黑体: a heading the draft did not number, printed so
    st.note(_("section headings"), numbers)
    duty = trailing_duty(out["title"]) if kind != "runin" else None
    children = [build_section(st, c, level + 1) for c in s["sections"]]
    phases = schedule.schedule_from(st, out, s, children)
    if phases:
        return phases
    if duty is not None:
        title = out["title"][:duty.start]
        task = st.new_task(None, duty, "inline", title=title, numbers=numbers)
        out = {"task": task["id"]}
        st.note(_("task (heading with duty wording)"), numbers)
    elif not children and not any(isinstance(x, SourceTable) or x.text.strip() for x in items) and \
            strip_bold(out["title"]).rstrip("。") in st.known_texts:
        # a heading alone whose words are a row of the task workbook: a task with only a title (its units in
        # the 任务分工表, e.g. from a rule of an earlier task: 以下任务均需…落实); "2.优化…功能。" is run in
        runin = out.get("runin") or out["title"].endswith("。")
        task = st.new_task(None, None, "inline", title=strip_bold(out["title"]).rstrip("。"), numbers=numbers)
        out = {"task": task["id"], "runin": True} if runin else {"task": task["id"]}
        items = []
        st.note(_("task (text of a row of the task workbook)"), numbers)
    text_blocks = paragraphs.blocks(st, items, section=out)
    if text_blocks and isinstance(text_blocks[0], dict) and text_blocks[0].get("_titled"):
        # the heading is the task's title: the section prints the task, then the text after it
        out = {"task": text_blocks.pop(0)["task"]}
    if text_blocks:
        if "task" not in out and len(text_blocks) == 1 and isinstance(text_blocks[0], dict) and "task" in text_blocks[0] \
                and kind != "runin" and not children and text_blocks[0].get("_whole"):
            tid = text_blocks[0]["task"]
            task = next(t for t in st.draft.tasks if t["id"] == tid)
            task["title"] = out["title"]
            st.titled_by_section.append((tid, {"task": tid}, out["title"]))
            out = st.titled_by_section[-1][1]
        else:
            out["text"] = [{k: v for k, v in b.items() if not k.startswith("_")} if isinstance(b, dict) else b
                           for b in text_blocks]
    if children:
        if all(c.get("runin") for c in children) and kind != "runin":
            out["runin_children"] = True
            for c in children:
                c.pop("runin", None)
        out["sections"] = children
        if s.get("_continue"):
            out["numbering"] = "continue"
            st.note(_("numbers running on from the section before (numbering: continue)"),
                      [c["_head"].number for c in s["sections"][:1]])
    return out
