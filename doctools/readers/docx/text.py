"""Small readers of typed text every rule shares: numbering labels (一、（一）1.（1）), dates, unit names,
**bold** markup, lists of units.
"""
from __future__ import annotations

import re
from typing import Iterator, List, Optional, Tuple

from ...model.deadline import DeadlineError, parse_date
from ...model.numbering import chinese_number
from ..docx_source import SourcePara

CN_NUM = "一二三四五六七八九十百零〇"


_LEVEL_PATTERNS = [
    (1, re.compile(rf"^([{CN_NUM}]+)[、.．，]\s*")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*")),
    (3, re.compile(r"^(\d{1,2})(?:[.．、](?!(?!\d{4}年)\d+[.．、]?\d)|\s)\s*")),     # 2.2024年…: a label
    (4, re.compile(r"^[（(](\d{1,2})[）)]\s*")),
]


_CN_DIGITS = "〇○零一二三四五六七八九十"


_FULL_DATE = re.compile(rf"^\s*(\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*月\s*"
                        rf"(\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*日\s*$")


# a notice's title: 冠县人民政府办公室关于印发…的通知 (group 1: the office)
_NOTICE_TITLE = re.compile(r"^(\S{2,30}?(?:政府|办公室|办公厅|委员会|局|委|厅|办))关于\S+的通知$")


_DOC_NUMBER = re.compile(r"\S+[〔\[【(（]\d{4}[〕\]】)）]\s*\d+\s*号")


_ATTACH_LABEL = re.compile(r"^附\s*件\s*(\d*)\s*[：:]?$")


_CONTACT = re.compile(r"(联\s*系\s*人|联系电话|电\s*话|传\s*真|电子邮箱|邮\s*箱)[：:]\s*([^\s　]+)")


_CONTACT_KEYS = {"联系人": "person", "联系电话": "phone", "电话": "phone", "传真": "fax", "电子邮箱": "email", "邮箱": "email"}


SCHEDULE_WORDS = ("进度安排", "实施步骤", "工作步骤", "时间安排", "工作进度", "步骤安排", "实施安排", "推进步骤")


_UNIT_END = re.compile(r"(局|办|委|厅|院|部|室|处|所|站|队|中心|政府|办事处|公司|会|组|街道|乡镇|支队|大队|分局|银行|集团|各单位|各部门)$")


_RUNS_BOLD = re.compile(r"\*\*")


_LITERAL_BRACKETS = re.compile(r"[\[\]{}]")        # a duty format reads these as its own syntax


def level_label(text: str) -> Optional[Tuple[int, str, str]]:
    """(level, label as typed, rest) for text that starts with 一、 （一） 1. （1）."""
    for level, pattern in _LEVEL_PATTERNS:
        m = pattern.match(text)
        if m:
            rest = text[m.end():]
            if level == 3 and re.match(r"^\d", rest) and "." not in m.group(0) and "．" not in m.group(0) and "、" not in m.group(0):
                continue
            if not rest.strip():
                return level, m.group(0), ""
            return level, m.group(0), rest
    return None


def label_number(label: str) -> int:
    core = re.sub(r"[、.．，（）()\s]", "", label)
    if core.isdigit():
        return int(core)
    for n in range(1, 200):
        if chinese_number(n) == core:
            return n
    return 0


def _signature_name(text: str) -> bool:
    t = text.replace("\u3000", "").strip()
    return 2 <= len(t) <= 40 and not t.endswith("。") and not level_label(t)


def is_full_date(text: str) -> bool:
    return bool(_FULL_DATE.match(text.replace(" ", ""))) and as_date(text) is not None


def _cn_count(word: str) -> str:
    """"八" → "8", "十二" → "12", "二十八" → "28" (a month or day in Chinese numerals)."""
    value = {ch: i for i, ch in enumerate("零一二三四五六七八九")}
    value.update({"〇": 0, "○": 0})
    if "十" in word:
        tens, _sep, units = word.partition("十")
        return str((value.get(tens, 1) if tens else 1) * 10 + (value.get(units, 0) if units else 0))
    return str(value.get(word, 0)) if len(word) == 1 else word


def as_date(text: str) -> Optional[str]:
    """"2025年1月8日" or "二〇二五年一月八日" as the date doctools prints (Arabic numerals, GB/T 9704 7.3.5)."""
    digits = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
    t = re.sub(r"\s+", "", text)
    m = re.match(r"^([〇○零一二三四五六七八九]{4})年", t)
    if m:
        t = m.group(1).translate(digits) + t[4:]
    t = re.sub(rf"(?<=[年月])([{_CN_DIGITS}]{{1,3}})(?=[月日])", lambda m: _cn_count(m.group(1)), t)
    try:
        d = parse_date(t)
    except DeadlineError:
        return None
    return f"{d.year}年{d.month}月{d.day}日"


def markup(p: SourcePara, skip: int = 0) -> str:
    """The paragraph's text with **bold** phrases, from character *skip* on."""
    out, pos = [], 0
    for run in p.runs:
        text = run.text
        start, end = pos, pos + len(text)
        pos = end
        if end <= skip:
            continue
        if start < skip:
            text = text[skip - start:]
        if run.bold and text.strip():
            lead = len(text) - len(text.lstrip())
            trail = len(text.rstrip())
            out.append(text[:lead] + "**" + text[lead:trail] + "**" + text[trail:])
        else:
            out.append(text)
    return "".join(out).replace("\n", "").strip(" \t\u3000")


def strip_bold(text: str) -> str:
    return _RUNS_BOLD.sub("", text)


def is_unit_name(name: str) -> bool:
    """县财政局, 各村（社区）, 各县（市、区）, 各站所: a name that ends as units do, or 各… (each of a kind)."""
    base = re.sub(r"[（(][^（）()]{1,10}[）)]$", "", name)
    return 2 <= len(name) <= 30 and (bool(_UNIT_END.search(base)) or (base.startswith("各") and 2 <= len(base) <= 8)) \
        and not re.search(r"[。；;！？，,：:]", name)


def _strings(value) -> Iterator[str]:
    """Every string inside nested lists and dicts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _split_top(text: str, sep: str) -> List[str]:
    """*text* cut at each *sep* outside brackets (各县（市，区） stays whole)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [p for p in parts + [current] if p.strip()]


def flat_units(value) -> List[str]:
    """The unit names of a task field, its groups (a list inside the list) opened."""
    return [u["unit"] if isinstance(u, dict) else u for v in value for u in (v if isinstance(v, list) else [v])]


def top_level_separators(text: str) -> List[str]:
    """The 、 and ， between unit names, not those inside 各县（市、区）."""
    out, depth = [], 0
    for ch in text:
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(0, depth - 1)
        elif ch in "，、" and depth == 0:
            out.append(ch)
    return out


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2e80 else 1 for ch in text)


def _cut_markup(marked: str, plain_index: int) -> str:
    """The marked-up text up to plain character *plain_index* (bold marks kept balanced)."""
    out, count, i, bold = [], 0, 0, False
    while i < len(marked) and count < plain_index:
        if marked.startswith("**", i):
            bold = not bold
            out.append("**")
            i += 2
            continue
        out.append(marked[i])
        count += 1
        i += 1
    if bold:
        out.append("**")
    return "".join(out)


def _split_markup(marked: str, bounds: List[int]) -> List[str]:
    """Cut marked-up text at plain-text positions, re-balancing ** at each cut."""
    segs, current, count, i, bold = [], [], 0, 0, False
    cut_at = bounds[1:-1]
    while i < len(marked):
        if marked.startswith("**", i):
            bold = not bold
            current.append("**")
            i += 2
            continue
        if cut_at and count == cut_at[0]:
            if bold:
                current.append("**")
            segs.append("".join(current).replace("****", ""))
            current = ["**"] if bold else []
            cut_at.pop(0)
        current.append(marked[i])
        count += 1
        i += 1
    segs.append("".join(current).replace("****", ""))
    return segs
