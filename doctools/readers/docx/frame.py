"""The frame rules: 版头 (发文机关标志, 发文字号, 签发人), the title, 主送, and at the end the office, dates,
署名, 附注, contact and 版记 said once.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from ...i18n import _
from ..docx_source import SourcePara
from . import signoff
from .state import State
from .text import _DOC_NUMBER, _NOTICE_TITLE, level_label


def settle_frame(st: State) -> None:
    """Office, dates, 署名, 附注, contact and 版记 from what the tail, the notice and
    the 版记 held, said once: a value equal to the document's default is left out."""
    doc = st.draft.document
    tail = st.tail_found
    if "name" in tail:
        sig: Dict = {"name": tail["name"]}
        if tail.get("date"):
            sig["date"] = tail["date"]
            doc.setdefault("date", tail["date"])
        if signoff.sealed(st, tail.get("name_para"), tail.get("date_para")):
            sig["sealed"] = True
        doc["office"] = tail["name"]
        doc["signature"] = sig
    elif tail.get("date"):
        doc.setdefault("date", tail["date"])
    if tail.get("note"):
        doc["note"] = tail["note"]
    if st.contact:
        doc["contact"] = st.contact
    notice_sig = st.notice_signature
    if notice_sig:
        if notice_sig.get("name"):
            doc.setdefault("office", notice_sig["name"])
        doc.setdefault("date", notice_sig["date"])
        extra = {k: v for k, v in notice_sig.items()
                 if k == "sealed" or v != doc.get({"name": "office"}.get(k, k))}
        if extra:
            doc["notice"]["signature"] = extra
    imprint = st.imprint_data
    if imprint:
        doc.setdefault("office", imprint.get("printer"))
        if imprint.get("printer") == doc.get("office"):
            imprint.pop("printer", None)
        if imprint.get("date"):
            doc.setdefault("date", imprint["date"])
            if imprint["date"] == doc.get("date"):
                imprint.pop("date")
        doc["imprint"] = imprint
    sig = doc.get("signature")
    if sig and not sig.get("sealed") and sig.get("name") == doc.get("office") and sig.get("date") == doc.get("date"):
        doc["signature"] = {"sealed": False}


def looks_like_title(st: State, p: SourcePara, after_label: bool = False) -> bool:
    t = p.clean
    if not t or len(t) > 80 or t.endswith(("。", "；", "：", ":")):
        return False
    if re.search(r"(标题|Title)", p.style):
        return True
    if p.style in ("附件标题", "公文标题"):
        return True
    if re.fullmatch(r"(?i)heading [12]", p.style) and _TITLE_END.search(t) and not level_label(t):
        return True         # a converter's copy (pandoc): the titles in Heading 1/2, named as titles end
    if p.align == "center" and ((p.size or 0) >= 17 or all(r.bold for r in p.runs if r.text.strip()) or after_label):
        return not level_label(t) or after_label
    return False


# how the title of a plan or a notice ends (方案, 通知, 任务分工表 …)
_TITLE_END = re.compile(r"(通知|方案|意见|计划|办法|要点|规则|细则|规定|清单|分工表|分解表|决定|报告|制度|预案|纲要|规划|指引)$")


def header(st: State, i: int) -> int:
    i = st.next_nonempty(i, len(st.items))
    if i >= len(st.items) or not isinstance(st.items[i], SourcePara):
        return i
    p = st.items[i]
    if _DOC_NUMBER.search(p.clean) and len(p.clean) < 40:
        return _number_first(st, i, p)
    mark_like = p.style == "发文机关标志" or (p.clean.endswith("文件") and len(p.clean) <= 30 and p.align == "center")
    j = st.next_nonempty(i + 1, len(st.items))
    nxt = st.items[j] if j < len(st.items) and isinstance(st.items[j], SourcePara) else None
    number_line = nxt is not None and _DOC_NUMBER.search(nxt.clean) and len(nxt.clean) < 60
    if not mark_like and not (number_line and p.align == "center" and (p.size or 0) >= 22):
        return i
    # a web copy: the notice's title, then its 发文字号; the red 发文机关标志 above them was lost.  The title
    # stays the notice's title, and the mark is made as GB/T 9704 7.2.3 says: the office's name and 文件
    notice_title = None if mark_like else _NOTICE_TITLE.match(p.clean)
    made = notice_title.group(1) + "文件" if notice_title else None
    header: Dict = {"mark": made or p.clean}
    used = [p.number]
    if number_line:
        flat = nxt.text.replace("\u3000", " ")
        m = re.search(r"签\s*发\s*人\s*[：:]\s*(\S+)", flat)
        header["number"] = _DOC_NUMBER.search(flat).group(0).replace(" ", "")
        if m:
            header["signer"] = m.group(1)
        used.append(nxt.number)
        i = j + 1
    else:
        i = i + 1
    st.draft.document["header"] = header
    parts = ["发文机关标志"] + ["发文字号"] * ("number" in header) + ["签发人"] * ("signer" in header)
    if made:
        parts = parts[1:]
        st.note(_("发文机关标志 {mark} made from the notice's title: the copy has none above its 发文字号; check it").format(
            mark=made), [p.number], guessed=True)
        st.notice_title = p.clean
    if parts:
        st.note(_("版头 ({parts})").format(parts=_(", ").join(parts)), used)
    return i


def _number_first(st: State, i: int, p: SourcePara) -> int:
    """A 发文字号 line above the notice's title (the red 发文机关标志 above it was not typed): the number is the
    header's, and the mark is made from the office the notice's title names (GB/T 9704 7.2.3: its name and
    文件), a guess the clerk checks.  Without a notice title naming its office the line is left to the rules
    after this one."""
    j = st.next_nonempty(i + 1, len(st.items))
    nxt = st.items[j] if j < len(st.items) and isinstance(st.items[j], SourcePara) else None
    office = _NOTICE_TITLE.match(nxt.clean) if nxt is not None else None
    if office is None:
        return i
    flat = p.text.replace("\u3000", " ")
    header: Dict = {"mark": office.group(1) + "文件", "number": _DOC_NUMBER.search(flat).group(0).replace(" ", "")}
    signer = re.search(r"签\s*发\s*人\s*[：:]\s*(\S+)", flat)
    if signer:
        header["signer"] = signer.group(1)
    st.draft.document["header"] = header
    st.note(_("版头 ({parts})").format(parts=_(", ").join(["发文字号"] + ["签发人"] * bool(signer))), [p.number])
    st.note(_("发文机关标志 {mark} made from the notice's title: the copy has none above its 发文字号; check it").format(
        mark=header["mark"]), [p.number], guessed=True)
    return i + 1


def title_at(st: State, i: int, stop: int) -> Optional[Tuple[int, List[str], List[int]]]:
    """(index after, title lines, numbers) when a title starts at *i*."""
    i = st.next_nonempty(i, stop)
    if i >= stop or not isinstance(st.items[i], SourcePara) or not looks_like_title(st, st.items[i]):
        return None
    first = st.items[i]
    lines, numbers, j = list(first.lines), [first.number], i + 1
    while j < stop and isinstance(st.items[j], SourcePara) and st.items[j].clean and \
            looks_like_title(st, st.items[j]) and st.items[j].style == first.style and \
            (st.items[j].size or 0) == (first.size or 0) and not st.items[j].page_break and len(lines) < 4:
        lines.extend(st.items[j].lines)
        numbers.append(st.items[j].number)
        j += 1
    return j, lines, numbers


def recipients(st: State, i: int, stop: int) -> int:
    j = st.next_nonempty(i, stop)
    if j < stop and isinstance(st.items[j], SourcePara):
        p = st.items[j]
        t = p.clean
        if t.endswith(("：", ":")) and len(t) < 120 and not level_label(t) and "。" not in t and "，为" not in t:
            st.draft.document["recipients"] = t.rstrip("：:")
            st.note(_("主送"), [p.number])
            return j + 1
    return i
