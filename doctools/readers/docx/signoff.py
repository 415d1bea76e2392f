"""The sign-off rules, read from the end: the 版记 (抄送, 印发机关, 印发日期), then 附件说明, contact lines,
署名, 成文日期 and 附注.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from ...i18n import _
from ..docx_source import SourcePara, SourceTable
from .state import State
from .text import (
    _CONTACT,
    _CONTACT_KEYS,
    _signature_name,
    _width,
    as_date,
    is_full_date,
    is_unit_name,
    level_label,
)


# ---- 版记 (at the end) ----------------------------------------------------------
def imprint(st: State, n: int) -> int:
    """Find the 版记 at the end; return where the content before it ends."""
    j = n
    while j > 0 and isinstance(st.items[j - 1], SourcePara) and not st.items[j - 1].clean:
        j -= 1
    lines: List[Tuple[str, int]] = []
    k = j
    while k > 0:
        it = st.items[k - 1]
        if isinstance(it, SourceTable):
            texts = [c for row in it.rows for c in dict.fromkeys(row) if c]
            if texts and any(("抄送" in t or t.rstrip().endswith("印发")) for t in texts) and len(it.rows[0]) <= 2:
                lines = [(t, it.number) for t in texts] + lines
                k -= 1
                continue
            break
        if not it.clean:
            k -= 1
            continue
        if it.clean.startswith("抄送") or re.search(r"\d+日印发$", it.clean.replace(" ", "")):
            lines.insert(0, (it.text.strip(), it.number))
            k -= 1
            continue
        if lines and re.fullmatch(r"\S{2,30}", it.clean) and re.search(r"\d+日印发$", lines[0][0].replace(" ", "")) \
                and is_unit_name(it.clean):
            # 印发机关 on a line of its own above "…日印发"
            lines[0] = (it.clean + "\t" + lines[0][0], lines[0][1])
            st.printer_para = it.number
            k -= 1
            continue
        break
    if not lines:
        return n
    imprint: Dict = {}
    for text, _num in lines:
        flat = text.replace("\u3000", " ").strip()
        if flat.startswith("抄送"):
            names = re.sub(r"^抄\s*送\s*[：:]", "", flat).strip().rstrip("。.")
            imprint["cc"] = [x.strip() for x in re.split(r"[，,、]", names) if x.strip()]
        else:
            m = re.match(r"^(.*?)[\t ]+(\S+)\s*印发$", flat)
            if m:
                imprint["printer"] = m.group(1).strip()
                imprint["date"] = as_date(m.group(2)) or m.group(2)
            elif flat.endswith("印发"):
                imprint["date"] = as_date(flat[:-2]) or flat[:-2]
    if imprint:
        st.imprint_data = imprint
        st.note(_("版记 (抄送, 印发机关, 印发日期)"), [num for _, num in lines] + [st.printer_para])
    return k


# ---- the tail of the body: 附件说明, contact, 署名, 附注 ------------------------------------
def tail(st: State, end: int) -> int:
    k = end
    found: Dict = {}
    used: List[int] = []
    while k > 0:
        it = st.items[k - 1]
        if isinstance(it, SourceTable):
            break
        t = it.clean
        if not t:
            k -= 1
            continue
        if "note" not in found and "date" not in found and re.fullmatch(r"[（(][^（）()]{2,30}[）)]", t):
            found["note"] = t.strip("（）()")
            used.append(it.number)
        elif "date" not in found and "contact" not in found and "attachments" not in found and is_full_date(t):
            found["date"] = as_date(t)
            found["date_para"] = it
            used.append(it.number)
        elif "date" not in found and "contact" not in found and "attachments" not in found and \
                len(it.lines) == 2 and is_full_date(it.lines[1]) and _signature_name(it.lines[0]):
            # 署名 and date in one paragraph, a line break (Shift+Enter) between them
            found.update(date=as_date(it.lines[1]), date_para=it, name=it.lines[0].replace("\u3000", "").strip(),
                         name_para=it)
            used.append(it.number)
        elif "date" in found and "name" not in found and len(t) <= 40 and not t.endswith("。") and not level_label(t) \
                and st.items[k - 1].number == found["date_para"].number - 1 - st.blank_between(k - 1, found["date_para"]):
            found["name"] = t
            found["name_para"] = it
            used.append(it.number)
        elif "attachments" not in found and _CONTACT.search(t) and len(t) < 80:
            found.setdefault("contact_lines", []).insert(0, it.text.strip())
            used.append(it.number)
        elif "attachments" not in found and (re.match(r"^\d+[.．、]", t) or t.startswith("附件")):
            # 附件说明 lines, the first starts with 附件：
            lines, above = [t], []
            j = k - 1
            while not lines[0].startswith("附件") and j > 0:
                prev = st.items[j - 1]
                wrapped = _wrapped_name(st, j - 1)
                if wrapped:
                    # 1.2024年某县…领导小 / 组成员单位职责清单: a name wrapped with Enter, joined back
                    lines.insert(0, st.items[j - 2].clean + prev.clean)
                    above += [st.items[j - 2].number, prev.number]
                    st.note(_("附件说明: a name wrapped onto a line of its own joined back ({name})").format(
                        name=lines[0]), [st.items[j - 2].number, prev.number], guessed=True)
                    j -= 2
                    continue
                if not isinstance(prev, SourcePara) or not _ANNEX_LINE.match(prev.clean):
                    break
                lines.insert(0, prev.clean)
                above.append(prev.number)
                j -= 1
            if not re.match(r"^附\s*件\s*[：:]", lines[0]):
                break           # numbered paragraphs of the body, not a 附件说明
            used.extend(above + [it.number])
            titles = []
            for line in lines:
                line = re.sub(r"^附\s*件\s*[：:]\s*", "", line)
                line = re.sub(r"^\d+[.．、]\s*", "", line)
                titles.append(line.strip())
            found["attachments"] = titles
            k = j
            continue
        else:
            break
        k -= 1
    st.tail_found = found
    if found.get("date"):
        para = found["date_para"]
        written = re.sub(r"\s", "", (para.lines or [""])[-1].replace("\u3000", ""))
        if written != found["date"]:
            st.note(_("成文日期 {written} printed as {date} (Arabic numerals, GB/T 9704-2012 7.3.5.2)").format(
                written=written, date=found["date"]), [para.number], plain=True)
    if "contact_lines" in found:
        contact = {}
        for line in found["contact_lines"]:
            for m in _CONTACT.finditer(line):
                key = _CONTACT_KEYS.get(re.sub(r"\s", "", m.group(1)))
                if key:
                    contact[key] = m.group(2)
        if contact:
            st.contact = contact
    if "attachments" in found:
        st.attachment_titles = found["attachments"]
    if used:
        parts = [x for x, key in (("附件说明", "attachments"), (_("contact lines"), "contact_lines"), ("署名", "name"),
                                  ("成文日期", "date"), ("附注", "note")) if key in found]
        st.note(_(", ").join(parts), used)
    return k


def sealed(st: State, name: Optional[SourcePara], date: Optional[SourcePara]) -> bool:
    """A sealed 署名 is centred over the date (GB/T 9704 7.3.5.1); an unsealed one
    starts two characters left of it.  Judged from right indents, when there are any."""
    if name is None or date is None or name is date or (not name.right_indent and not date.right_indent):
        return False
    char = 320
    name_w, date_w = len(name.clean), _width(date.clean)
    name_left = -(name.right_indent / char) - name_w
    date_left = -(date.right_indent / char) - date_w
    name_mid = name_left + name_w / 2
    date_mid = date_left + date_w / 2
    return abs(name_mid - date_mid) < abs((date_left - name_left) - 2)


_ANNEX_LINE = re.compile(r"^(附件[：:]|\d+[.．、])")


def _wrapped_name(st: State, k: int) -> bool:
    """Whether item *k* is the end of an 附件说明 name wrapped with Enter: a short line that starts no item, under
    a line that does."""
    it, above = st.items[k], st.items[k - 1] if k > 0 else None
    return isinstance(it, SourcePara) and isinstance(above, SourcePara) and bool(it.clean) and \
        not _ANNEX_LINE.match(it.clean) and _ANNEX_LINE.match(above.clean) is not None and len(it.clean) <= 30 and \
        not re.search(r"[。；;，,：:]", it.clean) and not level_label(it.clean)
