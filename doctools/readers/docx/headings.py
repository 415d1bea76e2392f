"""The heading rule: sections from numbers as people type them (一、（一）1.（1）), Word's list numbering
or heading styles; run-in headings; the text under each heading handed to the paragraph rules.
"""
from __future__ import annotations

import re

from ..docx_source import SourcePara
from .deadlines import phase_of
from .duties import before_duty, trailing_duty, verb_duty
from .state import State
from .text import level_label, strip_bold


# ---- body ---------------------------------------------------------------------------
def heading(st: State, p: SourcePara):
    """(level, label, title, kind) where kind is heading | runin | list, or None."""
    t = p.text.strip().replace("\n", "")
    found = level_label(t)
    heading_style = p.outline is not None and p.outline <= 4 and not re.search(r"(标题|Title)$", p.style) \
        and p.style not in ("公文标题", "附件标题")
    if not found:
        if heading_style and len(t) <= 60 and not t.endswith("。") or (heading_style and p.style.lower().startswith("heading")):
            return p.outline, "", t, "heading"
        level = typed_heading_level(p)
        return (level, "", t, "unnumbered") if level else None
    level, label, rest = found
    first_stop = re.search(r"[。！？]", rest)
    if level == 3 and not heading_style and duty_item(rest) and not is_workbook_task(st, rest) and \
            not (first_stop and is_workbook_task(st, rest[first_stop.end():])):
        # 1.县发改委负责，做好…。: a task of a list, not a heading (a task of the workbook titled by its first
        # sentence stays a run-in heading, as sections() reads it)
        return level, label, rest, "list"
    if not heading_style and level <= 2 and first_stop and first_stop.end() == len(rest) and styled_headings(st):
        # "(一)本县乡道按本方案执行。" in a copy whose headings are in heading styles: a sentence of the text
        return level, label, rest, "list"
    if heading_style or (len(rest) <= 40 and (not first_stop or first_stop.end() == len(rest))):
        if len(rest) > 60 and not heading_style:
            return level, label, rest, "list"
        return level, label, rest, "heading"
    if first_stop and first_stop.end() < len(rest):
        head = re.sub(r"[（(][^（）()]*[）)]", "", rest[:first_stop.start()])
        if (len(head) <= 30 and not re.search(r"[，；,;]", head)) or phase_of(rest[:first_stop.start()]):
            return level, label, rest, "runin"
    return level, label, rest, "list"


# the fonts GB/T 9704 gives the first two heading levels, typed on a heading with no number
_HEADING_FONTS = (("黑体", 1), ("楷体", 2))


def typed_heading_level(p: SourcePara) -> int:
    """1 or 2 for a short line with no number set in 黑体 or 楷体 alone (总体要求, 情况一：新办理备案): a heading the
    draft did not number; 0 otherwise."""
    t = p.clean
    fonts = {r.font for r in p.runs if r.text.strip()}
    if len(fonts) != 1 or not 2 <= len(t) <= 30 or re.search(r"[。，；,;！？]", t) or t.endswith(("：", ":")):
        return 0
    font = fonts.pop()
    return next((level for name, level in _HEADING_FONTS if name in font), 0)


def styled_headings(st: State) -> bool:
    """Whether the copy sets its numbered headings (一、 or （一）) in heading styles (a converter's copy): a numbered
    paragraph in body style is then text, not a heading."""
    if st.styled is None:
        st.styled = any(isinstance(p, SourcePara) and p.outline is not None and p.outline <= 4 and
                        re.fullmatch(r"(?i)heading [1-4]", p.style) and (level_label(p.clean) or [0])[0] in (1, 2)
                        for p in st.items)
    return st.styled


def duty_item(rest: str) -> bool:
    """Whether a numbered item's words carry duty wording the list reads as a task's (list_item)."""
    plain = strip_bold(rest)
    verb = verb_duty(plain)
    return trailing_duty(plain) is not None or (verb is not None and verb.start > 0) or \
        before_duty(plain) is not None


def is_section_start(st: State, p: SourcePara) -> bool:
    h = heading(st, p)
    return bool(h and h[0] == 1 and h[3] != "list") or bool(h and h[1] == "" and h[0] == 1)


def is_workbook_task(st: State, text: str) -> bool:
    duty = trailing_duty(strip_bold(text))
    return strip_bold(text[:duty.start] if duty else text).strip() in st.known_texts


