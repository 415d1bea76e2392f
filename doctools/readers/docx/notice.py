"""The notice rule: a 印发通知 before the plan (its title, 主送, text, 署名 and date).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ...i18n import _
from ..docx_source import SourcePara
from . import frame, signoff
from .state import State
from .text import _DOC_NUMBER, _NOTICE_TITLE, as_date, is_full_date, level_label, markup


def notice_and_title(st: State, i: int, stop: int) -> int:
    """A 印发通知 (if the plan has one) and the plan's title; where the text after them starts."""
    first = frame.title_at(st, i, stop)
    # a notice: a title "关于印发…的通知", or 主送 + text + 署名 + 成文日期 before the plan's title
    start = st.next_nonempty(i, stop)
    if st.notice_title:             # read with the 发文字号 under it (see header)
        first = (start, [st.notice_title], [])
    notice_title, body_from, plan_at = None, start, None
    if first and re.search(r"(通知|印发)", "".join(first[1])):
        notice_title, body_from = "".join(first[1]), first[0]
        plan_at = _plan_title_after(st, first[0], stop, page_break=True)
    elif not first:
        plan_at = _plan_title_after(st, start, stop, page_break=False)
    if plan_at is not None:
        _notice(st, notice_title, start, body_from, plan_at)
        first = frame.title_at(st, plan_at, stop)
    if not first:
        return _no_title(st, start)
    j, lines, numbers = first
    title = "".join(lines)
    st.draft.document["title"] = "\n".join(lines) if len(lines) > 1 else lines[0]
    what = (_("title 《{title}》 in {count} lines") if len(lines) > 1 else _("title 《{title}》")).format(
        title=title, count=len(lines))
    if doubtful_title(title):
        what += _(" (it reads like a 发文字号 or a 主送 line, not a title)")
    st.note(what, numbers, guessed=doubtful_title(title))
    return j


def doubtful_title(title: str) -> bool:
    """A title that looks wrong: a 发文字号 (某政办〔2024〕3号) or a line ending in "：" (主送)."""
    return bool(_DOC_NUMBER.search(title)) or title.rstrip().endswith(("：", ":"))


def _plan_title_after(st: State, k: int, stop: int, page_break: bool) -> Optional[int]:
    """Where the plan's own title stands after a notice from *k*: a title after a page break (*page_break*) or
    after a date; None when there is none."""
    first = k
    while k < stop:
        found = frame.title_at(st, k, stop)
        if found and ((page_break and st.items[st.next_nonempty(k, stop)].page_break) or dated_before(st, first, k)):
            return k
        if found and not page_break:
            return None
        k += 1
    return None


def _notice(st: State, title: Optional[str], start: int, body_from: int, plan_at: int) -> None:
    """The 印发通知 between *body_from* and the plan's title at *plan_at*."""
    notice: Dict = {}
    if title:
        notice["title"] = title
    content = [it for it in st.items[body_from:plan_at] if isinstance(it, SourcePara) and it.clean]
    used = [it.number for it in st.items[start:plan_at] if isinstance(it, SourcePara) and it.clean]
    if content and content[0].clean.endswith(("：", ":")) and len(content[0].clean) < 120:
        notice["recipients"] = content.pop(0).clean.rstrip("：:")
    if len(content) >= 3 and is_full_date(content[-2].clean) and \
            re.fullmatch(r"[（(][^（）()]{2,30}[）)]", content[-1].clean):
        notice["note"] = content.pop().clean.strip("（）()")       # the notice's own 附注, under its date
    content, sig = _notice_signoff(st, content, title)
    notice["text"] = [markup(p) for p in content]
    st.draft.document["notice"] = notice
    parts = [x for x in (_("title") if title else "", "主送" if "recipients" in notice else "", _("text"),
                         (_("署名 and date") if sig.get("name") else _("date")) if sig else "",
                         "附注" if "note" in notice else "") if x]
    if not sig:
        st.note(_("印发通知 ({parts}), but no date under it: check where the notice ends").format(
            parts=_(", ").join(parts)), used, guessed=True)
    else:
        st.note(_("印发通知 ({parts})").format(parts=_(", ").join(parts)), used)


def _notice_signoff(st: State, content: List[SourcePara], title: Optional[str]) -> Tuple[List[SourcePara], Dict]:
    """The notice's 署名 and date at the end of *content*: (the text before them, the signature).  A date with
    no 署名 line over it (the seal stands for the office) keeps the sentence above it as text; the office is
    then the one the notice's title names."""
    if not content or not is_full_date(content[-1].clean):
        return content, {}
    date_p = content[-1]
    name_p = content[-2] if len(content) >= 2 else None
    joint = _joint_lines(content[:-1])
    if len(joint) > 1:
        # 联合行文: an office line a row (two organs on one, as typed), all of them the 署名
        sig: Dict[str, Any] = {"name": "\n".join(p.clean for p in joint), "date": as_date(date_p.clean)}
        office = _NOTICE_TITLE.match(title or "")
        st.draft.document.setdefault("office", office.group(1) if office else joint[0].clean)
        st.notice_signature = sig
        st.note(_("a joint 署名 of {count} lines (联合行文), each printed as typed").format(count=len(joint)),
                [p.number for p in joint], guessed=True)
        return content[:-1 - len(joint)], sig
    if name_p is not None and _signature_line(name_p):
        sig = {"name": name_p.clean, "date": as_date(date_p.clean)}
        if signoff.sealed(st, name_p, date_p):
            sig["sealed"] = True
        st.notice_signature = sig
        return content[:-2], sig
    office = _NOTICE_TITLE.match(title or "")
    sig = {"date": as_date(date_p.clean), "sealed": True}
    if office:
        st.draft.document.setdefault("office", office.group(1))
    st.notice_signature = sig
    st.note(_("the notice's date has no 署名 line over it: the 署名 is left to the seal (sealed), the office is "
              "the one the notice's title names; check it"), [date_p.number], guessed=True)
    return content[:-1], sig


def _joint_lines(content: List[SourcePara]) -> List[SourcePara]:
    """The right-aligned office lines that end *content* (the lines of a joint 署名), at most four."""
    lines: List[SourcePara] = []
    for p in reversed(content[-4:]):
        if p.align != "right" or not _signature_line(p):
            break
        lines.insert(0, p)
    return lines if len(lines) < len(content) else []


def _signature_line(p: SourcePara) -> bool:
    """A 署名 line: short, no sentence punctuation; right-aligned or indented as a sign-off is."""
    t = p.clean
    return len(t) <= 40 and not re.search(r"[。；，,;！？]", t) and not level_label(t)


def _no_title(st: State, start: int) -> int:
    p = st.items[start]
    if isinstance(p, SourcePara) and len(p.clean) <= 60 and not p.clean.endswith("。"):
        st.note(_("no title found: the first paragraph is used as the title"), [p.number], plain=True)
        st.draft.document["title"] = p.clean
        return start + 1
    st.note(_("no title found: the file name is used as the title ({name})").format(name=st.draft.source_name),
            [], plain=True)
    st.draft.document["title"] = re.sub(r"\.docx$", "", st.draft.source_name, flags=re.I) or "实施方案"
    return start


def dated_before(st: State, lo: int, hi: int) -> bool:
    return any(isinstance(it, SourcePara) and is_full_date(it.clean) for it in st.items[lo:hi])
