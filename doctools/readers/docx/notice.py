"""The notice rule: a 印发通知 before the plan (its title, 主送, text, 署名 and date).
"""
from __future__ import annotations

import re
from typing import Dict

from ...i18n import _
from ..docx_source import SourcePara
from . import frame, signoff
from .state import State
from .text import as_date, is_full_date, markup


def notice_and_title(st: State, i: int, stop: int) -> int:
    first = frame.title_at(st, i, stop)
    # a notice: a title "关于印发…的通知", or 主送 + text + 署名 + 成文日期 before the plan's title
    start = st.next_nonempty(i, stop)
    plan_at = None
    if st.notice_title:             # read with the 发文字号 under it (see header)
        first = (start, [st.notice_title], [])
    if first and re.search(r"(通知|印发)", "".join(first[1])):
        k = first[0]
        while k < stop:
            found = frame.title_at(st, k, stop)
            if found and (st.items[st.next_nonempty(k, stop)].page_break or dated_before(st, first[0], k)):
                plan_at = k
                break
            k += 1
        notice_title = "".join(first[1])
        body_from = first[0]
    elif not first:
        k = start
        while k < stop:
            found = frame.title_at(st, k, stop)
            if found and dated_before(st, start, k):
                plan_at = k
                break
            if found:
                break
            k += 1
        notice_title = None
        body_from = start
    if plan_at is not None:
        notice: Dict = {}
        if notice_title:
            notice["title"] = notice_title
        content = [it for it in st.items[body_from:plan_at] if isinstance(it, SourcePara) and it.clean]
        used = [it.number for it in st.items[start:plan_at] if isinstance(it, SourcePara) and it.clean]
        if content and content[0].clean.endswith(("：", ":")) and len(content[0].clean) < 120:
            notice["recipients"] = content.pop(0).clean.rstrip("：:")
        sig = {}
        if len(content) >= 3 and is_full_date(content[-2].clean) and \
                re.fullmatch(r"[（(][^（）()]{2,30}[）)]", content[-1].clean):
            notice["note"] = content.pop().clean.strip("（）()")       # the notice's own 附注, under its date
        if len(content) >= 2 and is_full_date(content[-1].clean):
            date_p, name_p = content[-1], content[-2]
            sig = {"name": name_p.clean, "date": as_date(date_p.clean)}
            if signoff.sealed(st, name_p, date_p):
                sig["sealed"] = True
            content = content[:-2]
            st.notice_signature = sig
        notice["text"] = [markup(p) for p in content]
        st.draft.document["notice"] = notice
        parts = [x for x in (_("title") if notice_title else "", "主送" if "recipients" in notice else "", _("text"),
                             _("署名 and date") if sig else "", "附注" if "note" in notice else "") if x]
        st.note(_("印发通知 ({parts})").format(parts=_(", ").join(parts)), used)
        first = frame.title_at(st, plan_at, stop)
    if not first:
        p = st.items[start]
        if isinstance(p, SourcePara) and len(p.clean) <= 60 and not p.clean.endswith("。"):
            st.note(_("no title found: the first paragraph is used as the title"), [p.number], plain=True)
            st.draft.document["title"] = p.clean
            return start + 1
        st.note(_("no title found: the file name is used as the title ({name})").format(name=st.draft.source_name),
                  [], plain=True)
        st.draft.document["title"] = re.sub(r"\.docx$", "", st.draft.source_name, flags=re.I) or "实施方案"
        return start
    j, lines, numbers = first
    st.draft.document["title"] = "\n".join(lines) if len(lines) > 1 else lines[0]
    st.note((_("title 《{title}》 in {count} lines") if len(lines) > 1 else _("title 《{title}》"))
              .format(title="".join(lines), count=len(lines)), numbers)
    return j


def dated_before(st: State, lo: int, hi: int) -> bool:
    return any(isinstance(it, SourcePara) and is_full_date(it.clean) for it in st.items[lo:hi])
