"""The paragraph rules: a section's text as blocks: running text, tasks (text with its duty wording),
numbered lists, ——items, 一是/二是 lead-ins, pictures, tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ...i18n import _, ngettext
from ...model.numbering import chinese_number
from ..docx_source import Item, SourcePara, SourceTable
from .deadlines import paren_deadlines
from .duties import _ROLE, Duty, before_duty, duty_block, trailing_duty, verb_duty
from .state import State
from .tables import fixed_table
from .text import (
    _cut_markup,
    _split_markup,
    label_number,
    level_label,
    markup,
    strip_bold,
)


@dataclass
class Run:
    """One walk of the paragraph rules over a section's items: the blocks made so far, the paragraphs that
    may turn out to be a task's text (a duty line after them says so), and the numbered list being read."""

    items: List[Item]
    section: Optional[Dict]
    out: List = field(default_factory=list)
    pending: List[Tuple[SourcePara, str]] = field(default_factory=list)
    list_run: List = field(default_factory=list)
    expected: int = 1                   # the number the next item of the list would have


# ---- blocks: paragraphs, tasks, lists, lead-ins ----------------------------------------------
def blocks(st: State, items: List[Item], section: Optional[Dict] = None) -> List:
    """The blocks a section's *items* print as: each item goes to the first rule of :data:`BLOCK_RULES` that
    takes it, else waits (pending) as text a later duty line may make a task's."""
    run = Run(items, section)
    for idx, it in enumerate(items):
        if isinstance(it, SourceTable):
            _body_table(st, run, it)
            continue
        text = st.marked.get(it.number)
        if text is None:
            text = markup(it)
        if it.images:
            _picture(st, run, it, text)
            continue
        if it.number in st.skip:
            continue
        if not any(rule(st, run, idx, it, text) for rule in BLOCK_RULES):
            run.pending.append((it, text))
    flush(st, run)
    flush_list(run)
    return run.out


def flush(st: State, run: Run) -> None:
    """The pending paragraphs as blocks of their own: ——items, tasks of the workbook, running text."""
    out, pending = run.out, run.pending
    dashes = dash_tasks(st, pending)
    for p, text in pending:
        if p.number in dashes:
            lead, rest = dashes[p.number]
            if rest in st.known_texts:
                task = st.new_task([rest], None, "inline", title=lead, numbers=[p.number])
                item: Dict = {"task": task["id"]}
                st.note(_("task (text of a row of the task workbook)"), [p.number])
            else:
                item = {"lead": lead, "text": rest} if rest else {"lead": lead}
                st.note(_("a \"——\" item"), [p.number])
            if out and isinstance(out[-1], dict) and set(out[-1]) == {"dash"}:
                out[-1]["dash"].append(item)
            else:
                out.append({"dash": [item]})
        elif strip_bold(text) in st.known_texts:
            # a task of the task workbook, its units and deadline printed nowhere in the plan
            task = st.new_task([text], None, "inline", numbers=[p.number])
            out.append({"task": task["id"], "_whole": len(pending) == 1 and not out})
            st.note(_("task (text of a row of the task workbook)"), [p.number])
        else:
            out.append(paragraph_block(st, p, text))
    pending.clear()


def flush_list(run: Run) -> None:
    if run.list_run:
        run.out.append({"list": list(run.list_run)})
        run.list_run.clear()
    run.expected = 1


def _body_table(st: State, run: Run, it: SourceTable) -> None:
    """A table inside the text stays a table where it stood, with its merges (a block ``table:``)."""
    flush(st, run)
    flush_list(run)
    spec: Dict = {}
    fixed_table(st, it, spec, 0, in_text=True)
    run.out.append({"table": spec})


def _picture(st: State, run: Run, it: SourcePara, text: str) -> None:
    flush(st, run)
    flush_list(run)
    run.out.extend(picture_lines(st, it))
    if it.clean:
        run.out.append(text)


def picture_lines(st: State, it: SourcePara) -> List[Dict]:
    """The lines standing for the pictures of *it* in the body: each kept under images/ (or refused, the
    summary says why), the pictures kept named in the summary."""
    fresh = not any(id(blob) in st.picture_lines for _name, blob in it.images)
    lines = st.save_images([it], "正文")
    saved = [line["line"][4:-1] for line in lines if line["line"].startswith("〔图片：")]
    if fresh and saved:
        st.note(ngettext("picture saved as {names} (the package format cannot place pictures yet; a placeholder "
                         "line stands in its place)",
                         "pictures saved as {names} (the package format cannot place pictures yet; a placeholder "
                         "line stands in their place)", len(saved)).format(names=", ".join(saved)),
                [it.number], plain=True)
    return lines


def _duty_lines(st: State, run: Run, idx: int, it: SourcePara, text: str) -> bool:
    """责任单位：… (or a block of 牵头单位/配合单位/完成时限 lines) closes the task above it."""
    block = duty_block(run.items[idx:], st.skip) if _ROLE.match(strip_bold(text).strip()) else None
    if block is None:
        return False
    count, duty = block
    lines = run.items[idx:idx + count]
    for more in lines[1:]:
        st.skip.add(more.number)
    list_run, pending, out, section = run.list_run, run.pending, run.out, run.section
    # 6.完善…。 then its duty lines, after other items or running on from a list above: that item's task,
    # numbered by the list (two plain items from 1. then duty lines: one task of both, below)
    # (earlier items that state their own deadlines, （5月底前完成）, are pieces of work of their own: the lines are
    # the last one's)
    own_item = bool(list_run) and isinstance(list_run[-1], str) and not pending and \
        (len(list_run) == 1 or run.expected - len(list_run) > 1 or not all(isinstance(i, str) for i in list_run)
         or any(paren_deadlines(strip_bold(i)) for i in list_run[:-1] if isinstance(i, str)))
    if not own_item:
        flush_list(run)
    numbers = [p.number for p, _t in pending] + [m.number for m in lines]
    if own_item:
        item_at = [x.number for x in run.items[:idx] if isinstance(x, SourcePara)][-1]
        st.draft.notes = [n for n in st.draft.notes if n.numbers != [item_at] or n.rule != "list item"]
        numbers = [item_at] + numbers
        task = st.new_task([list_run.pop()], duty, "line", numbers=numbers)
        list_run.append({"task": task["id"]})
    elif pending:
        whole = len(pending) == sum(1 for x in run.items[:idx] if isinstance(x, SourcePara))
        task = st.new_task([t for _p, t in pending], duty, "line", numbers=numbers)
        pending.clear()
        out.append({"task": task["id"], "_whole": whole and not out})
    elif section is not None and "task" not in section and section.get("title") and not out:
        # duty lines right under a heading, before any text: the heading is the task's title
        task = st.new_task(None, duty, "line", title=section["title"], numbers=numbers)
        out.append({"task": task["id"], "_titled": True})
    elif out and isinstance(out[-1], dict) and set(out[-1]) == {"list"} and \
            all(isinstance(i, str) for i in out[-1]["list"]):
        # 1.… 2.… then the duty lines of them all: one task, its items as paragraphs numbered as typed
        items_text = [f"{k}.{i}" for k, i in enumerate(out.pop()["list"], start=1)]
        task = st.new_task(items_text, duty, "line", numbers=numbers)
        out.append({"task": task["id"]})
    else:
        out.extend({"line": m.clean} for m in lines)
        st.note(_("duty lines with no task text before them, kept as plain lines"), numbers, plain=True)
        return True
    st.note(_("task (duty on a line of its own)") if count == 1 else
            _("task (a block of {count} duty lines)").format(count=count), numbers)
    return True


def _numbered_item(st: State, run: Run, idx: int, it: SourcePara, text: str) -> bool:
    """1.… 2.… inside running text: items of a list (a task each when its words carry duty wording)."""
    found = level_label(strip_bold(text))
    if not found or found[0] != 3:
        return False
    section = run.section
    if run.expected == 1 and not run.out and not run.pending and section is not None and \
            "task" not in section and label_number(found[1]) == st.list_last + 1 > 1:
        # 5.… opening a section after 1.–4. in the one before: the list's numbers run on
        section["numbering"] = "continue"
        run.expected = st.list_last + 1
        st.note(_("numbers running on from the section before (numbering: continue)"), [it.number])
    if label_number(found[1]) != run.expected or it.number in st.marked:
        return False
    flush(st, run)
    rest_markup = markup(it, skip=len(it.text) - len(it.text.lstrip()) + len(found[1]))
    run.list_run.append(list_item(st, it, strip_bold(rest_markup), rest_markup))
    st.list_last = run.expected
    run.expected += 1
    return True


def _closing_duty(st: State, run: Run, idx: int, it: SourcePara, text: str) -> bool:
    """A paragraph whose duty wording closes it (in parentheses, or "…牵头，…配合。"): a task."""
    flush_list(run)
    plain_text = strip_bold(text)
    tduty, said = trailing_duty(plain_text), _("task (duty wording in parentheses)")
    verb = verb_duty(plain_text) if tduty is None else None
    if verb is not None and verb.start > 0:
        # "…。一是…。二是…。县数据局牵头，县政府办公室配合。": the units closing a paragraph, as a list item's
        tduty, said = verb, _("task (paragraph ending \"…牵头，…配合\")")
    if tduty is None:
        return False
    body_text = text[:len(text) - (len(plain_text) - tduty.start)] if "**" not in text else \
        _cut_markup(text, tduty.start)
    section, out = run.section, run.out
    if not strip_bold(body_text).strip() and run.pending:
        # "（责任单位：…）" in a paragraph of its own: the duty of the text above it, printed on its own line
        numbers = [p.number for p, _t in run.pending] + [it.number]
        task = st.new_task([t for _p, t in run.pending], tduty, "line", numbers=numbers)
        whole = len(run.pending) == sum(1 for x in run.items[:idx] if isinstance(x, SourcePara))
        run.pending.clear()
        out.append({"task": task["id"], "_whole": whole and not out})
        st.note(_("task (its duty wording in a paragraph of its own)"), numbers)
        return True
    flush(st, run)
    if not strip_bold(body_text).strip():
        # "（二）更新网站。（牵头单位：…）": the wording alone after a run-in heading
        if section is None or "task" in section or not section.get("title") or out:
            return False
        title = section["title"] + ("。" if section.get("runin") else "")
        task = st.new_task(None, tduty, "inline", title=title, numbers=[it.number])
        out.append({"task": task["id"], "_titled": True})
        st.note(said, [it.number])
        return True
    task = st.new_task([body_text] if body_text else None, tduty, "inline", numbers=[it.number])
    whole = not out and not run.pending and len([x for x in run.items if isinstance(x, SourcePara)]) == 1
    out.append({"task": task["id"], "_whole": whole})
    st.note(said, [it.number])
    return True


# the paragraph rules, in the order they are tried on each paragraph
BLOCK_RULES = [_duty_lines, _numbered_item, _closing_duty]


def dash_tasks(st: State, pending: List[Tuple[SourcePara, str]]) -> Dict[int, Tuple[str, str]]:
    """"——编制一个…目录。全面梳理……" paragraphs in a row, one of them at least a task of the task workbook
    (its text after the lead sentence a row's 工作任务): each an item of a dash list, (lead sentence, rest)
    by paragraph number; a task's lead sentence is its title.  {} when none is a task: the paragraphs stay
    as they were."""
    runs: List[List[Tuple[SourcePara, str]]] = []
    for k, (p, text) in enumerate(pending):
        if text.startswith("——") and "**" not in text:
            if runs and k > 0 and runs[-1][-1][0] is pending[k - 1][0]:
                runs[-1].append((p, text))
            else:
                runs.append([(p, text)])
    items: Dict[int, Tuple[str, str]] = {}
    for run in runs:
        split = {p.number: (lead, rest if stop else "") for p, (lead, stop, rest) in
                 ((p, text[2:].partition("。")) for p, text in run)}
        if any(rest in st.known_texts for _lead, rest in split.values()):
            items.update(split)
    return items


def list_item(st: State, p: SourcePara, plain_text: str, marked: str):
    duty = trailing_duty(plain_text)
    if duty is not None:
        task = st.new_task([_cut_markup(marked, duty.start)], duty, "inline", numbers=[p.number])
        st.note(_("task (list item with duty wording)"), [p.number])
        return {"task": task["id"]}
    duty = verb_duty(plain_text)
    if duty is not None and duty.start > 0:
        task = st.new_task([_cut_markup(marked, duty.start)], duty, "inline", numbers=[p.number])
        st.note(_("task (list item ending \"…负责，…配合\")"), [p.number])
        return {"task": task["id"]}
    lead = before_duty(plain_text)
    if lead is not None:
        unit, rest = lead
        template = "{responsible}负责" + rest[:1] if rest[:1] in "，," else "{responsible}负责"
        rest = rest[1:] if rest[:1] in "，," else rest      # 县发改委负责，做好…: the task is 做好…
        task = st.new_task([rest], Duty({"responsible": [unit]}, template, 0), "before", numbers=[p.number])
        st.note(_("task (list item \"{unit}负责…\")").format(unit=unit), [p.number])
        return {"task": task["id"]}
    dated = paren_deadlines(plain_text)
    if dated:
        st.note(_("numbered item stating a deadline ({deadline}) but no unit: kept as a list item; give it a 责任单位 "
                  "to make it a task").format(deadline="、".join(dated)), [p.number], guessed=True, rule="list item")
    else:
        st.note(_("numbered list item"), [p.number], rule="list item")
    return marked


def paragraph_block(st: State, p: SourcePara, text: str):
    items = lead_ins(st, p, text)
    if items is not None:
        st.note(_("一是/二是 lead-ins"), [p.number])
        return {"items": items}
    st.note(_("running text with bold phrases (**…**)") if "**" in text else _("running text"), [p.number])
    return text


def lead_ins(st: State, p: SourcePara, text: str) -> Optional[List]:
    plain_text = strip_bold(text)
    if not plain_text.startswith("一是"):
        return None
    starts, n, at = [], 1, 0
    while True:
        word = chinese_number(n) + "是"
        idx = plain_text.find(word, at)
        if idx < 0 or (idx > 0 and plain_text[idx - 1] not in "。；;！？"):
            break
        starts.append(idx)
        at = idx + len(word)
        n += 1
    if len(starts) < 2:
        return None
    items = []
    bounds = starts + [len(plain_text)]
    marked = _split_markup(text, bounds)
    for k, seg in enumerate(marked):
        word = chinese_number(k + 1) + "是"
        if seg.startswith("**" + word):
            close = seg.find("**", 2)
            lead = seg[2 + len(word):close]
            rest = seg[close + 2:]
            if "**" in lead:
                return None
            items.append({"lead": lead.rstrip("。"), "text": rest} if lead.endswith("。") or not rest else
                         {"lead": lead, "text": rest})
            if not lead.endswith(("。", "！", "？", "：", "；")) and lead:
                return None
        elif seg.startswith(word):
            items.append(seg[len(word):])
        else:
            return None
    return items
