"""Recognise a plan (实施方案) in a .docx someone typed, as package data.

The second stage of ``doctools import``.  :mod:`doctools.readers.docx_source`
gives the body as numbered paragraphs and tables; the recognisers here walk
them the way a reader of the printed page does:

* **frame** — 版头 (发文机关标志, 发文字号 〔YYYY〕N号, 签发人), a 印发通知 before the
  plan (its title, 主送, text and 署名), the title with its line breaks, 主送,
  the preamble; at the end 附件说明, contact lines, 署名 and 成文日期 (sealed or
  not), 附注, the 附件 pages and the 版记 (抄送, 印发机关, 印发日期);
* **sections** — numbers as people type them (一、（一）1.（1）), as Word's list
  numbering shows them, or heading styles alone; run-in headings
  (（一）加强组织领导。……); numbered lists inside running text;
* **duty wording** — 责任单位/牵头单位/配合单位/完成时限 on a line of their own, in
  parentheses at the end of a paragraph or heading, or as "X负责…" at the start
  of a list item: each becomes a task whose units join the registry (as
  written) and whose wording becomes a duty format, so the build prints the
  same words;
* **进度安排** phases with their periods, 一是/二是 lead-ins, bold phrases;
* **tables** — a task table (序号, 工作任务, 牵头单位, 配合单位, 完成时限 …) in an
  attachment becomes tasks; any other table is kept as a fixed table.

What fits none of these is kept as a plain paragraph in its place: nothing is
dropped.  The result is :class:`Draft`, the package as plain data (what the
YAML files will hold) plus :class:`Note` lines for the summary; writing it is
:mod:`doctools.writers.yaml_package`'s job.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

from ..typeset import gbt9704 as G
from ..model.deadline import DeadlineError, YearContext, parse_date, parse_deadline
from ..i18n import _, ngettext
from ..model.numbering import chinese_number
from ..resources import COLUMN_FIELDS, LAYOUTS
from .docx_source import Item, NotADocx, SourcePara, SourceTable, read_source
from .tables import FORM_HEIGHT_MM, FORM_WIDTH_MM, MIN_COLUMN_MM
from .xlsx_tasks import split_units

CN_NUM = "一二三四五六七八九十百零〇"
_LEVEL_PATTERNS = [
    (1, re.compile(rf"^([{CN_NUM}]+)[、.．，]\s*")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*")),
    (3, re.compile(r"^(\d{1,2})(?:[.．、](?!\d+[.．、]?\d)|\s)\s*")),
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

# 责任 wording: the label as written → the task field it fills
ROLE_LABELS = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主抓单位": "chief", "牵头": "lead",
    "配合单位": "support", "配合部门": "support", "协办单位": "support", "参与单位": "support", "协同单位": "support",
    "责任单位": "responsible", "责任部门": "responsible", "推进单位": "responsible", "实施单位": "responsible",
    "承办单位": "responsible", "落实单位": "responsible",
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "完成期限": "deadline", "时限": "deadline",
    "时间进度": "deadline",
}
# parts beyond 牵头/配合/责任, declared by the package (roles:) when the plan names them
EXTRA_ROLES = {"chief": "主抓单位"}
UNIT_ROLES = ("lead", "support", "responsible") + tuple(EXTRA_ROLES)
_ROLE = re.compile("(" + "|".join(sorted(ROLE_LABELS, key=len, reverse=True)) + r")\s*[：:]")
_UNIT_END = re.compile(r"(局|办|委|厅|院|部|室|处|所|站|队|中心|政府|办事处|公司|会|组|街道|乡镇|支队|大队|分局|银行|集团|各单位|各部门)$")
_RUNS_BOLD = re.compile(r"\*\*")
_LITERAL_BRACKETS = re.compile(r"[\[\]{}]")        # a duty format reads these as its own syntax


@dataclass
class Note:
    """A line of the import summary: what was recognised (or kept as plain text) and where."""

    what: str
    numbers: List[int]
    plain: bool = False

    def __str__(self) -> str:
        return f"{self.what}: {_where(self.numbers)}"


def _where(numbers: List[int]) -> str:
    if not numbers:
        return "-"
    numbers = sorted(set(numbers))
    spans, start, last = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == last + 1:
            last = n
            continue
        spans.append(f"¶{start}" if start == last else f"¶{start}-{last}")
        if n is not None:
            start = last = n
    return ", ".join(spans)


@dataclass
class Draft:
    """The package as plain data, ready to write as YAML; ``notes`` for the summary."""

    document: Dict = field(default_factory=dict)
    style: Dict = field(default_factory=dict)
    units: List[str] = field(default_factory=list)
    roles: List[Dict] = field(default_factory=list)       # parts beyond lead/support/responsible the plan names
    tasks: List[Dict] = field(default_factory=list)
    schedule: List[Dict] = field(default_factory=list)
    body: List[Dict] = field(default_factory=list)
    attachments: List[Dict] = field(default_factory=list)
    tables: Dict = field(default_factory=dict)
    images: Dict[str, bytes] = field(default_factory=dict)
    notes: List[Note] = field(default_factory=list)
    source_name: str = ""
    task_numbers: Dict[str, List[int]] = field(default_factory=dict)   # task id -> the source paragraphs it came from


# ---- small recognisers --------------------------------------------------------------

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


@dataclass
class Duty:
    """责任 wording found in a text: its fields and the template that prints it back."""

    fields: Dict[str, object]
    template: str
    start: int                        # where the wording starts in the text


def parse_duty(wording: str, start: int = 0) -> Optional[Duty]:
    """Fields of "牵头单位：A；配合单位：B、C。完成时限：2021年6月底前" and its template."""
    labels = list(_ROLE.finditer(wording))
    if not labels or _LITERAL_BRACKETS.search(wording):
        return None
    fields: Dict[str, object] = {}
    template, last = "", 0
    roles = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(wording)
        value = wording[m.end():end]
        stop = re.search(r"。(?=[^）)\s])", value)
        if stop and ROLE_LABELS[m.group(1)] != "deadline":
            value = value[:stop.start() + 1]   # "…开发区管委。以下任务均需…落实": a sentence after the units, as written
        core = value.rstrip("；;。，,、 \u3000）)")
        # keep a closing bracket that belongs to the value (各县（市、区）)
        while core.count("（") > core.count("）") and value[len(core):].startswith("）"):
            core += "）"
        core = core.strip()
        role = ROLE_LABELS[m.group(1)]
        lead_space = len(value) - len(value.lstrip())
        template += wording[last:m.end()] + value[:lead_space]
        roles.append((role, core))
        last = m.end() + lead_space + len(core)
        template += "\x00%d\x00" % (len(roles) - 1)
    template += wording[last:]
    unit_roles = [r for r, _ in roles if r != "deadline"]
    placeholders = []
    taken = set()
    for role, core in roles:
        if role == "deadline":
            if _is_deadline(core):
                fields["deadline"] = core
                placeholders.append("{deadline}")
            else:
                placeholders.append(core)
                fields.setdefault("deadline_raw", core)
            continue
        units = split_units(core)
        if not units or not all(len(u) <= 40 for u in units):
            placeholders.append(core)
            continue
        if len(unit_roles) > 1 and role == "responsible" and any(r == "lead" for r, _core in roles):
            role = "support" if "responsible" in taken else "responsible"   # 牵头单位：…；责任单位：… (威海)
        elif len(unit_roles) > 1 and role == "responsible":
            role = "lead" if "lead" not in taken else "support"    # 责任单位：…；推进单位：… (集贤): lead, support
        elif role in taken:
            role = "support"
        taken.add(role)
        fields[role] = units
        # a list joined by anything but 、 is printed as written (the format has one separator)
        seps = set(top_level_separators(core))
        if len(units) > 1 and "，" in seps and seps <= {"、", "，"}:
            # 县财政局、县教育局，各乡镇: groups joined by ， (style.unit_group_sep), names within one by 、
            groups = [split_units(g) for g in _split_top(core, "，")]
            if sum(len(g) for g in groups) == len(units):
                fields[role] = groups
                placeholders.append("{" + role + "}")
                continue
        plain_list = len(units) == 1 or seps == {"、"}
        placeholders.append("{" + role + "}" if plain_list else core)
        if not plain_list:
            fields.setdefault("as_written", []).append(role)
    text = template
    for i, ph in enumerate(placeholders):
        text = text.replace("\x00%d\x00" % i, ph)
    if not any(k in fields for k in UNIT_ROLES):
        return None
    return Duty(fields=fields, template=text, start=start)


def trailing_duty(text: str) -> Optional[Duty]:
    """Duty wording in parentheses at the end: "…。（责任单位：A、B）" (a final 。 allowed)."""
    body = text.rstrip()
    tail = ""
    if body.endswith(("。", "；", ";")) and len(body) > 1 and body[-2] in "）)":
        tail, body = body[-1], body[:-1]
    if not body.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        ch = body[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth -= 1
            if depth == 0:
                inner = body[i + 1:-1]
                verb = paren_verb_duty(inner)
                if verb is not None and i > 0 and body[i - 1] in "。；！？":
                    # "…。（县政府法制办、人行德安分行牵头负责）": the part as a verb after the units
                    return Duty(verb.fields, "（" + verb.template + "）" + tail, start=i)
                if not _ROLE.match(inner.strip()):
                    # "…。（灵宝市政府）": unit names alone, after a full sentence
                    names = split_units(inner)
                    if i > 0 and body[i - 1] in "。；" and names and all(is_unit_name(n) for n in names):
                        return Duty({"responsible": names}, "（{responsible}）" + tail, start=i)
                    return None
                duty = parse_duty(body[i:] + tail, start=i)
                return duty
    return None


def line_duty(text: str, deadline_only: bool = False) -> Optional[Duty]:
    """A paragraph that is only duty wording: "责任单位：A、B" or several fields
    (with *deadline_only*, "完成时限：…" alone too: a later line of a block)."""
    t = text.strip()
    if not _ROLE.match(t):
        return None
    duty = parse_duty(t, 0)
    if duty is None and deadline_only and not _LITERAL_BRACKETS.search(t):
        m = _ROLE.match(t)
        value = t[m.end():].strip().rstrip("。；;")
        if ROLE_LABELS[m.group(1)] == "deadline" and value:
            at = t.index(value, m.end())
            if _is_deadline(value):
                return Duty({"deadline": value}, t[:at] + "{deadline}" + t[at + len(value):], 0)
            return Duty({"deadline_raw": value}, t, 0)
    return duty


def duty_block(paras: List[SourcePara]) -> Optional[Tuple[int, Duty]]:
    """(how many paragraphs, the duty) when *paras* start with a block of duty
    lines (牵头单位：… / 配合单位：… / 完成时限：…, in any order, one to several
    lines) naming at least one unit.  The block becomes one duty wording whose
    lines the format prints as they were; a role named twice stays as written."""
    duties: List[Duty] = []
    for p in paras:
        if not isinstance(p, SourcePara) or getattr(p, "_skip", False):
            break
        duty = line_duty(strip_bold(p.clean), deadline_only=True)
        if duty is None:
            break
        duties.append(duty)
    fields: Dict[str, object] = {}
    lines = []
    for duty in duties:
        roles = {k for k in duty.fields if k in UNIT_ROLES + ("deadline", "deadline_raw")}
        if roles & set(fields) or ("deadline" in roles and "deadline_raw" in fields) or \
                ("deadline_raw" in roles and "deadline" in fields):
            lines.append(_literal(duty))            # a second 牵头单位 line: printed as written
            continue
        for key, value in duty.fields.items():
            if key == "as_written":
                fields.setdefault("as_written", []).extend(value)
            else:
                fields[key] = value
        lines.append(duty.template)
    if not any(k in fields for k in UNIT_ROLES):
        return None
    return len(duties), Duty(fields, "\n".join(lines), 0)


def _literal(duty: Duty) -> str:
    """A duty line's wording with its values written in, no placeholders."""
    text = duty.template
    for key, value in duty.fields.items():
        if key in UNIT_ROLES:
            text = text.replace("{" + key + "}", "、".join(flat_units(value)))
        elif key == "deadline":
            text = text.replace("{deadline}", str(value))
    return text


# "乡党政办负责，各站所配合。" / "…牵头，…配合。" / "…牵头负责。" at the end of an item
_VERB_DUTY = re.compile(r"(?:^|(?<=[。；！？]))(?P<lead>[^。；！？，,：:]{2,80}?)(?P<lverb>牵头负责|牵头|负责)"
                        r"(?:[，,](?P<support>[^。；！？，,：:]{2,80}?)(?P<sverb>配合|协助|参与))?(?P<end>[。；]?)$")


def verb_duty(text: str, loose: bool = False) -> Optional[Duty]:
    """Duty wording in verb form closing a text: "乡党政办负责，各站所配合。" (lead and
    support), "…牵头，…配合。", "县财政局牵头负责。", "乡党政办负责。"; the units
    must read as unit names.  The template keeps the verbs as printed."""
    m = _VERB_DUTY.search(text.strip())
    if not m or _LITERAL_BRACKETS.search(m.group(0)):
        return None
    if m.group("lverb") == "负责" and not m.group("support") and not m.group("end"):
        return None
    leads = split_units(m.group("lead"))
    supports = split_units(m.group("support")) if m.group("support") else []
    if not leads or not (loose or all(is_unit_name(u) for u in leads + supports)) or \
            set(top_level_separators(m.group("lead") + "、" + (m.group("support") or ""))) - {"、"}:
        return None
    if supports:
        fields: Dict[str, object] = {"lead": leads, "support": supports}
        template = "{lead}" + m.group("lverb") + text.strip()[m.end("lverb"):m.start("support")] + "{support}" + \
            m.group("sverb") + m.group("end")
    else:
        role = "lead" if m.group("lverb").startswith("牵头") else "responsible"
        fields = {role: leads}
        template = "{" + role + "}" + m.group("lverb") + m.group("end")
    start = len(text) - len(text.lstrip()) + m.start()
    return Duty(fields, template, start)


_OWN_PART = re.compile(r"(?P<lead>[^。；！？，,：:、]{2,20}?)牵头[，,](?P<unit>[^。；！？，,：:、]{2,20}?)(?P<duty>负责[^。；！？，,：:]{2,20})")


def _short_name(name: str) -> bool:
    return 2 <= len(name) <= 20 and not re.search(r"[。；;！？：:“”《》\d]", name)


def paren_verb_duty(inner: str) -> Optional[Duty]:
    """"县政府法制办、人行德安分行牵头负责" / "人行德安分行负责" / "乡党政办牵头，各站所配合": the whole of a
    parenthesis closing a sentence.  The brackets say it is a note on who does it, so a name need not end
    as units usually do (人行德安分行, 县直有关部门); it must be short and hold no sentence punctuation."""
    m = _VERB_DUTY.fullmatch(inner.strip())
    own = _OWN_PART.fullmatch(inner.strip())
    if own and not _LITERAL_BRACKETS.search(inner) and all(_short_name(n) for n in own.group("lead", "unit")):
        # "市大数据局牵头，市司法局负责法制审查": the supporting unit's part in words of its own
        support = {"unit": own.group("unit"), "duty": own.group("duty")}
        return Duty({"lead": split_units(own.group("lead")), "support": [support]}, "{lead}牵头，{support}", 0)
    if not m or m.group("end") or _LITERAL_BRACKETS.search(inner):
        return None
    names = split_units(m.group("lead")) + (split_units(m.group("support")) if m.group("support") else [])
    if not names or not all(_short_name(n) for n in names) or \
            set(top_level_separators(m.group("lead") + "、" + (m.group("support") or ""))) - {"、"}:
        return None
    duty = verb_duty(inner.strip() + "。", loose=True)
    if duty is None:
        return None
    return Duty(duty.fields, duty.template[:-1], 0)       # the 。 added to read it as a sentence's end


def before_duty(text: str) -> Optional[Tuple[str, str]]:
    """"县发改局负责针对……": (unit, rest) when a unit name leads and 负责 follows."""
    m = re.match(r"^([^，。；、：:（(]{2,20}?)负责(?!人)", text)
    if m and is_unit_name(m.group(1)):
        return m.group(1), text[m.end():]
    return None


# ---- the recogniser --------------------------------------------------------------------

class PlanRecogniser:
    def __init__(self, items: List[Item], name: str = "", task_rows: Optional[List[List[str]]] = None):
        self.items = items
        self.workbook = task_rows
        header, _ids, col = task_header(task_rows or [])
        self.known_texts = {r[col["text"]].replace("\n", "").strip() for r in task_rows[1:]} if header else set()
        self.draft = Draft(source_name=name)
        self.units: List[str] = []
        self.formats: Dict[str, Tuple[str, str]] = {}      # template, place -> name
        self.format_names: Dict[Tuple[str, str], str] = {}
        self.task_by_text: Dict[str, Dict] = {}
        self.used: set = set()
        self.notice_title: Optional[str] = None      # a web copy's notice title, read by header() with its 发文字号
        self.list_last = 0                                  # the number of the last list item read
        # sections holding a single task, made the task's title: (task id, the body item, the heading)
        self.titled_by_section: List[Tuple[str, Dict, str]] = []
        self.grid_labels: List[str] = []                    # the row labels of the month grid, if the plan prints one
        self.grids: List[Tuple[int, List[SourceTable]]] = []   # each month grid (its parts) and its 附件 number

    # ---- helpers ---------------------------------------------------------------
    def note(self, what: str, numbers, plain: bool = False) -> None:
        numbers = [n for n in numbers if n]
        self.draft.notes.append(Note(what, list(numbers), plain))

    def add_units(self, names: List[str]) -> None:
        for n in names:
            if n not in self.units:
                self.units.append(n)

    def duty_format(self, template: str, place: str) -> str:
        key = (template, place)
        if key not in self.format_names:
            name = "default" if not self.format_names else ("none" if not template else f"f{len(self.format_names) + 1}")
            self.format_names[key] = name
        return self.format_names[key]

    def new_task(self, text: Optional[List[str]], duty: Optional[Duty], place: str, title: Optional[str] = None,
                 numbers=()) -> Dict:
        task: Dict = {"id": f"t{len(self.draft.tasks) + 1:02d}"}
        self.draft.task_numbers[task["id"]] = [n for n in numbers if n]
        if title:
            task["title"] = title
        if text:
            task["text"] = text if len(text) > 1 else text[0]
        if duty is not None:
            for role in UNIT_ROLES:
                if role in duty.fields:
                    task[role] = list(duty.fields[role])
                    self.add_units(flat_units(duty.fields[role]))
                    self.declare_role(role)
            if "deadline" in duty.fields and not self.dated and not _has_year(duty.fields["deadline"]):
                # 6月底前 in a plan with no date to take the year from: printed as written, no deadline
                duty = Duty(dict(duty.fields, deadline_raw=duty.fields["deadline"]),
                            duty.template.replace("{deadline}", duty.fields["deadline"]), duty.start)
                del duty.fields["deadline"]
            if "deadline" in duty.fields:
                task["deadline"] = duty.fields["deadline"]
            steps = milestones(duty.fields.get("deadline_raw", ""))
            if steps and (self.dated or all(_has_year(m["deadline"]) for m in steps)):
                # "2025年6月底前完成梳理，9月底前完成公开": the wording stays as written, the tables get each target
                task["milestones"] = steps
                self.note(_("完成时限 with {count} dated targets → milestones").format(count=len(steps)), numbers)
            elif duty.fields.get("deadline_raw"):
                self.note(_("deadline '{deadline}' printed as written: it is not a date the plan's date can complete "
                            "(2024年4月底前, 4月底前 in a dated plan), so the task has none").format(
                    deadline=duty.fields["deadline_raw"]), numbers, plain=True)
            if duty.fields.get("as_written"):
                self.note(_("units joined by ， (or mixed separators) printed as written; the task still names each unit"),
                          numbers, plain=True)
            fmt = self.duty_format(duty.template, place)
            if fmt != "default":
                task["format"] = fmt
        elif self.duty_format("", "inline") != "default":
            task["format"] = self.duty_format("", "inline")
        self.draft.tasks.append(task)
        plain_text = strip_bold("".join(text or []) or (title or ""))
        self.task_by_text.setdefault(plain_text, task)
        return task

    def declare_role(self, role: str) -> None:
        """主抓单位 and the like: the package declares the part (roles: [{id: chief, label: 主抓单位}])."""
        if role in EXTRA_ROLES and role not in [r["id"] for r in self.draft.roles]:
            self.draft.roles.append({"id": role, "label": EXTRA_ROLES[role]})

    @property
    def dated(self) -> bool:
        """Whether the plan has a date (成文日期, 印发日期 or the notice's) to give year-less deadlines their year."""
        return bool(getattr(self, "tail_found", {}).get("date") or getattr(self, "imprint_data", {}).get("date")
                    or getattr(self, "notice_signature", {}).get("date"))

    # ---- whole document ----------------------------------------------------------
    def recognise(self) -> Draft:
        items = self.items
        n = len(items)
        end = self.imprint(n)
        att_start = self.attachment_start(end)
        tail_start = self.tail(att_start)
        i = self.header(0)
        i = self.notice_and_title(i, tail_start)
        i = self.recipients(i, tail_start)
        self.draft.body = self.body(i, tail_start)
        self.draft.attachments = self.attachments(att_start, end)
        self.untitle_by_grid()
        self.phases_from_grid()
        if self.workbook:
            spec = self.task_rows(self.workbook, [])
            if spec is not None:
                rows = len(spec.pop("_ids"))
                self.note(ngettext("task workbook: {count} row → units and deadlines of the tasks",
                                   "task workbook: {count} rows → units and deadlines of the tasks", rows).format(count=rows),
                          [])
        self.settle_frame()
        self.finish()
        self.unplaced()
        return self.draft

    def untitle_by_grid(self) -> None:
        """A section holding one task prints as the task with a title would: heading, then text.  The month
        grid tells them apart, labelling a task's row with its title if it has one, else with its text (cut
        with …… when long): a row labelled with the text keeps the heading a section's."""
        labels = set(self.grid_labels)
        for tid, item, title in self.titled_by_section:
            task = next((t for t in self.draft.tasks if t["id"] == tid), None)
            if task is None or task.get("title") != title or title in labels:
                continue
            text = "".join(strip_bold("".join(_strings(task.get("text", "")))).split())
            if any(label == text or label.endswith("……") and text.startswith(label[:-2]) for label in labels):
                del task["title"]
                item.clear()
                item.update({"title": title, "text": [{"task": tid}]})

    def phases_from_grid(self) -> None:
        """A plan whose phases are printed only in the month grid (no 进度安排 section): each row the grid
        starts with that labels no task is a phase, its period the months it marks."""
        mode = self.draft.tables.get("schedule", {}).get("gantt")
        if self.draft.schedule or mode not in ("phases", "both") or not self.grids:
            return
        number, parts = self.grids[0]
        months = grid_months(parts)
        rows = [["".join(parts[0].rows[i][0].split())] + [c for t in parts for c in t.rows[i][1:]]
                for i in range(1, len(parts[0].rows))] if all(len(t.rows) == len(parts[0].rows) for t in parts) else []
        if not months or any(len(r) != len(months) + 1 for r in rows):
            return
        labels = []
        for t in self.draft.tasks:
            labels.append(("".join(t["title"].split()), True) if t.get("title") else
                          ("".join(strip_bold("".join(_strings(t.get("text", "")))).split()), False))

        def labels_a_task(label: str) -> bool:
            return any(label.startswith(name) if titled else
                       label == name or label.endswith("……") and name.startswith(label[:-2]) or label.startswith(name)
                       for name, titled in labels if name)

        sep = self.draft.style.get("range_sep", "—")
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
            self.draft.schedule = phases
            self.note(ngettext("附件{number}: {count} phase read from the month grid, its period from the months it "
                               "marks → schedule.yaml",
                               "附件{number}: {count} phases read from the month grid, their periods from the months "
                               "they mark → schedule.yaml", len(phases)).format(number=number, count=len(phases)),
                      [t.number for t in parts])

    def unplaced(self) -> None:
        """Every paragraph the summary has not named yet, named as kept as plain text; a short line
        that reads like an office name just before the 署名 (a second 署名?) said as such."""
        named = {n for note in self.draft.notes for n in note.numbers}
        rest = [it.number for it in self.items if isinstance(it, SourcePara) and it.clean and it.number not in named]
        if rest:
            self.note(_("not recognised as anything, kept as plain text in its place"), rest, plain=True)
        name_para = getattr(self, "tail_found", {}).get("name_para")
        if name_para is not None:
            before = self.next_nonempty_back(name_para.number - 2)
            if before is not None and is_unit_name(before.clean) and re.fullmatch(r"[^\s，。；：、,:;]{2,30}", before.clean):
                self.note(_("a line like an office name just before the 署名 (a second 署名?) kept as body text"),
                          [before.number], plain=True)

    def next_nonempty_back(self, k: int) -> Optional[SourcePara]:
        while k >= 0 and isinstance(self.items[k], SourcePara) and not self.items[k].clean:
            k -= 1
        return self.items[k] if k >= 0 and isinstance(self.items[k], SourcePara) else None

    def settle_frame(self) -> None:
        """Office, dates, 署名, 附注, contact and 版记 from what the tail, the notice and
        the 版记 held, said once: a value equal to the document's default is left out."""
        doc = self.draft.document
        tail = getattr(self, "tail_found", {})
        if "name" in tail:
            sig: Dict = {"name": tail["name"]}
            if tail.get("date"):
                sig["date"] = tail["date"]
                doc.setdefault("date", tail["date"])
            if self.sealed(tail.get("name_para"), tail.get("date_para")):
                sig["sealed"] = True
            doc["office"] = tail["name"]
            doc["signature"] = sig
        elif tail.get("date"):
            doc.setdefault("date", tail["date"])
        if tail.get("note"):
            doc["note"] = tail["note"]
        if getattr(self, "contact", None):
            doc["contact"] = self.contact
        notice_sig = getattr(self, "notice_signature", None)
        if notice_sig:
            doc.setdefault("office", notice_sig["name"])
            doc.setdefault("date", notice_sig["date"])
            extra = {k: v for k, v in notice_sig.items()
                     if k == "sealed" or v != doc.get({"name": "office"}.get(k, k))}
            if extra:
                doc["notice"]["signature"] = extra
        imprint = getattr(self, "imprint_data", None)
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

    def finish(self) -> None:
        d = self.draft
        self.missing_attachments()
        d.units = list(self.units)
        # a block of duty lines is a format of several lines, each printed as a paragraph of its own
        formats = {name: ({"template": t.split("\n") if "\n" in t else t, "place": p} if p != "inline" else t)
                   for (t, p), name in self.format_names.items()}
        if formats:
            d.style["duty_formats"] = formats

    def missing_attachments(self) -> None:
        """附件3 or 《…》附后 named in the text of a file that does not hold that
        attachment: a page with its title only, as for a 附件说明 naming files sent
        separately (check refuses a reference to an attachment that is not there)."""
        d = self.draft
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
            self.note(_("the text names attachment(s) the file does not hold: a page with its title only for each "
                        "({titles}); add the attachment or change the reference").format(titles="、".join(added)),
                      [], plain=True)

    # ---- 版记 (at the end) ----------------------------------------------------------
    def imprint(self, n: int) -> int:
        """Find the 版记 at the end; return where the content before it ends."""
        j = n
        while j > 0 and isinstance(self.items[j - 1], SourcePara) and not self.items[j - 1].clean:
            j -= 1
        lines: List[Tuple[str, int]] = []
        k = j
        while k > 0:
            it = self.items[k - 1]
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
                self.printer_para = it.number
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
            self.imprint_data = imprint
            self.note(_("版记 (抄送, 印发机关, 印发日期)"), [num for _, num in lines] + [getattr(self, "printer_para", 0)])
        return k

    # ---- attachments -------------------------------------------------------------------
    def attachment_start(self, end: int) -> int:
        """The first 附件 page: a paragraph "附件" / "附件1" alone, after the body."""
        first = None
        for k in range(end):
            it = self.items[k]
            if isinstance(it, SourcePara) and _ATTACH_LABEL.match(it.clean) and it.clean.startswith("附"):
                nxt = [x for x in self.items[k + 1:k + 4] if isinstance(x, SourceTable) or x.clean]
                if nxt:
                    first = k if first is None else first
                    self.attach_labels = getattr(self, "attach_labels", []) + [k]
        return first if first is not None else end

    def attachments(self, start: int, end: int) -> List[Dict]:
        labels = [k for k in getattr(self, "attach_labels", []) if start <= k < end]
        titles = getattr(self, "attachment_titles", [])
        if not labels and titles:
            # the 附件说明 names attachments the file does not hold (sent as separate files)
            out = []
            for title in titles:
                bare = re.sub(r"\.(pdf|docx?|xlsx?|wps|et|ofd)$", "", title, flags=re.I)
                out.append({"title": bare})
            self.note(_("附件说明 names attachment(s) the file does not hold: each kept as a page with its title only"), [],
                      plain=True)
            return out
        out = []
        for idx, k in enumerate(labels):
            stop = labels[idx + 1] if idx + 1 < len(labels) else end
            out.append(self.attachment(k, stop, idx + 1))
        return out

    def attachment(self, k: int, stop: int, number: int) -> Dict:
        label = self.items[k]
        rest = [it for it in self.items[k + 1:stop] if isinstance(it, SourceTable) or it.clean or it.images]
        title_lines, used = [], [label.number]
        while rest and isinstance(rest[0], SourcePara) and not rest[0].images and self.looks_like_title(rest[0], after_label=True) \
                and len(title_lines) < 3:
            title_lines.extend(rest[0].lines)
            used.append(rest[0].number)
            rest.pop(0)
        titles = getattr(self, "attachment_titles", [])
        listed = titles[number - 1] if number <= len(titles) else None
        title = "".join(title_lines) or listed or f"附件{number}"
        att: Dict = {"title": "\n".join(title_lines) if len(title_lines) > 1 else title}
        if listed and "".join(listed.split()) != "".join(title.split()):
            att["listed_as"] = listed                 # the 附件说明 words it otherwise (GB/T 9704 7.3.7: check warns)
        self.note(_("附件{number} 《{title}》 label and title").format(number=number, title=title), used)
        pictures = [it for it in rest if isinstance(it, SourcePara) and it.images]
        if pictures:
            self.save_images(pictures, f"附件{number}")
            count = sum(len(it.images) for it in pictures)
            self.note(ngettext("附件{number}: {count} picture saved under images/ (the package format cannot place "
                               "pictures yet; a placeholder line stands in its place)",
                               "附件{number}: {count} pictures saved under images/ (the package format cannot place "
                               "pictures yet; a placeholder line stands in their place)", count).format(
                number=number, count=count),
                      [it.number for it in pictures], plain=True)
        tables = [it for it in rest if isinstance(it, SourceTable)]
        if tables and all(month_grid(t.rows) for t in tables):
            # the month grid (进度安排（按月）), in one part or several: made again from the dates
            att["table"] = "gantt"
            modes = {label: mode for mode, label in LAYOUTS["gantt"]["label"].items()}
            self.draft.tables.setdefault("schedule", {})["gantt"] = modes["".join(tables[0].rows[0][0].split())]
            self.note(_("附件{number}: month grid → tables.schedule.gantt").format(number=number), [t.number for t in tables])
            self.grid_labels += ["".join(r[0].split()) for t in tables for r in t.rows[1:]]
            self.grids.append((number, tables))
            rest = [it for it in rest if it not in tables]
            tables = []
        if tables:
            table = tables[0]
            if self.task_table(table, att, number) is None:
                self.fixed_table(table, att, number)
            after = [it for it in rest[rest.index(table) + 1:] if isinstance(it, SourcePara)]
            if after:
                att["after"] = self.blocks(after)
                self.note(_("附件{number}: text after the table").format(number=number), [it.number for it in after])
                rest = [it for it in rest if it not in after]
            for extra in tables[1:]:
                self.note(_("附件{number}: a second table is kept as its text, row by row").format(number=number),
                          [extra.number], plain=True)
            rest = [it for it in rest if it is not table]
        start_level = next((h[0] for h in (self.heading(it) for it in rest if isinstance(it, SourcePara))
                            if h and h[3] != "list"), None)
        if start_level and not tables:
            if start_level > 1:
                att["start_level"] = start_level
            sections, blocks = self.sections(rest, start_level)
            if blocks:
                att["content"] = blocks
            if sections:
                att["sections"] = sections
        elif rest:
            blocks = self.blocks(rest)
            if blocks:
                att["content"] = blocks
        return att

    def save_images(self, paragraphs: List[SourcePara], prefix: str) -> None:
        """Keep each picture as images/<prefix>-N.<ext>; blocks() puts a placeholder line where it stood."""
        n = sum(1 for name in self.draft.images if name.startswith(f"images/{prefix}-"))
        for p in paragraphs:
            for name, blob in p.images:
                if any(blob is b for b in self.draft.images.values()):
                    continue
                n += 1
                ext = name.rsplit(".", 1)[-1].lower() if "." in name else "png"
                self.draft.images[f"images/{prefix}-{n}.{ext}"] = blob

    def looks_like_title(self, p: SourcePara, after_label: bool = False) -> bool:
        t = p.clean
        if not t or len(t) > 80 or t.endswith(("。", "；", "：", ":")):
            return False
        if re.search(r"(标题|Title)", p.style):
            return True
        if p.style in ("附件标题", "公文标题"):
            return True
        if p.align == "center" and ((p.size or 0) >= 17 or all(r.bold for r in p.runs if r.text.strip()) or after_label):
            return not level_label(t) or after_label
        return False

    def task_table(self, table: SourceTable, att: Dict, number: int) -> Optional[Dict]:
        spec = self.task_rows(table.rows, [table.number])
        if spec is None:
            return None
        att["table"] = "tasks"
        if "".join(att["title"].split()) != "任务分工表":
            spec["title"] = "".join(att["title"].split())
        count = len(spec["_ids"])
        self.note(ngettext("附件{number}: task table with {count} task → tasks.yaml",
                           "附件{number}: task table with {count} tasks → tasks.yaml", count).format(number=number, count=count),
                  [table.number])
        spec.pop("_ids")
        return spec

    def task_rows(self, rows: List[List[str]], numbers: List[int]) -> Optional[Dict]:
        """Tasks from the rows of a task table (序号, 工作任务, 牵头单位 …): a row whose
        工作任务 is the text of a task found in the body completes that task (units,
        deadline); any other row is a task of its own.  Returns tables.tasks."""
        header, fields, col = task_header(rows)
        if header is None:
            return None
        ids, groups, seps = [], False, []
        current_group = None
        for row in rows[1:]:
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if len(set(cells)) == 1 or (cells[0] and not any(cells[1:])):
                current_group = cells[0]
                groups = True
                continue
            if "group" in col:
                current_group = cells[col["group"]] or None          # merged down: each row repeats it
            text = cells[col["text"]].replace("\n", "")
            units = {}
            for role in UNIT_ROLES:
                if role in col and cells[col[role]]:
                    cell = cells[col[role]]
                    seps.extend(top_level_separators(cell))
                    units[role] = split_units(cell)
            derived_units(units, "support" in col)
            task = self.task_by_text.get(text) or self.repeated_task(text, units, ids)
            deadline = cells[col["deadline"]] if "deadline" in col else ""
            if task is None:
                task = self.new_task([text], None, "inline", numbers=numbers)
            if not any(r in task for r in UNIT_ROLES):
                for role, names in units.items():
                    task[role] = names
                    self.add_units(names)
                    self.declare_role(role)
            if deadline and "deadline" not in task and "milestones" not in task:
                self.deadline_from_workbook(task, deadline)
            if "note" in col and cells[col["note"]]:
                task["note"] = cells[col["note"]]
            if current_group:
                task["group"] = current_group
            ids.append(task["id"])
        # a name of the plan's own is declared with the field it shows
        spec: Dict = {"columns": [c if c in COLUMN_FIELDS or EXTRA_ROLES.get(f) == c else {"name": c, "field": f}
                                  for c, f in zip(header, fields) if f != "group"]}
        if groups:
            spec["group"] = "section"
        elif "group" in col:
            spec["group"] = {"column": header[col["group"]]}
        all_ids = [t["id"] for t in self.draft.tasks]
        in_order = [i for i in all_ids if i in ids]
        if ids != in_order:
            by_deadline = sorted(in_order, key=lambda i: _deadline_key(next(t for t in self.draft.tasks if t["id"] == i)))
            if ids == by_deadline:
                spec["order"] = "deadline"
        if sorted(ids) != sorted(all_ids):
            spec["include"] = ids
        if seps:
            sep = max(set(seps), key=seps.count)
            if sep != "、":
                spec["unit_sep"] = sep
        self.draft.tables["tasks"] = spec
        spec["_ids"] = ids
        return spec

    def repeated_task(self, text: str, units: Dict[str, List[str]], taken: List[str]) -> Optional[Dict]:
        """The body's task a row of the task table repeats by its title (推进决策公开 for "（一）推进决策公开。" and
        the text under it) or its text less the final 。, naming the same units: the row completes that task rather
        than make it a second time (each unit's list would show it twice).  None when no such task."""
        key = text.rstrip("。")
        names = sorted(n for v in units.values() for n in flat_units(v))
        for task in self.draft.tasks:
            said = [task.get("title") or "", task["text"] if isinstance(task.get("text"), str) else ""]
            own = sorted(n for r in UNIT_ROLES for n in flat_units(task.get(r, [])))
            if task["id"] not in taken and key and key in (strip_bold(w).rstrip("。") for w in said) and \
                    (not own or own == names):
                return task
        return None

    def deadline_from_workbook(self, task: Dict, cell: str) -> None:
        """A 完成时限 cell for a task the plan prints none for: its deadline, or its milestones (2023年底前完成开发；
        2024年上半年覆盖率达100%).  Where the task's text states a date as it stands ("年底前基本实现…" for
        2023年底前 in a plan of 2023), the text gets {deadline} (or {deadline1} …) there, so it prints as written
        and follows an edit of the date."""
        try:
            parse_deadline(cell)
            task["deadline"] = self.deadline_in_text(task, "deadline", cell)
            return
        except DeadlineError:
            pass
        steps = milestones(cell)
        if steps and all(_has_year(m["deadline"]) for m in steps):
            task["milestones"] = [dict(m, deadline=self.deadline_in_text(task, f"deadline{k}", m["deadline"]))
                                  for k, m in enumerate(steps, start=1)]

    def deadline_in_text(self, task: Dict, name: str, deadline: str) -> str:
        """*deadline* as the task's text states it (2023年底前, or 年底前 when the plan's date gives that
        year), the text marked {name} there; *deadline* unchanged when the text holds it not exactly once."""
        texts = [task["text"]] if isinstance(task.get("text"), str) else list(task.get("text") or [])
        forms = [deadline]
        date = self.plan_date()
        short = re.sub(r"^\d{4}(?=年底)|^\d{4}年(?=\d|[上下])", "", deadline)     # 2023年底前 → 年底前, 2024年3月 → 3月
        if date is not None and short != deadline:
            try:
                if parse_deadline(short, YearContext(date)) == parse_deadline(deadline):
                    forms.append(short)
            except DeadlineError:
                pass
        for form in forms:
            # the form must stand alone: not part of a longer date (2023年底前 holds 年底前)
            hits = [(k, m.start()) for k, t in enumerate(texts) for m in re.finditer(
                r"(?<![\d年月])" + re.escape(form) + r"(?![\d日])", t)]
            if len(hits) == 1 and not any(_LITERAL_BRACKETS.search(re.sub(r"\{deadline\d*\}", "", t)) for t in texts):
                k, at = hits[0]
                texts[k] = texts[k][:at] + "{" + name + "}" + texts[k][at + len(form):]
                task["text"] = texts[0] if isinstance(task.get("text"), str) else texts
                return form
        return deadline

    def plan_date(self) -> Optional[datetime.date]:
        for found in (getattr(self, "tail_found", {}), getattr(self, "imprint_data", {}),
                      getattr(self, "notice_signature", {})):
            if found.get("date"):
                try:
                    return parse_date(found["date"])
                except DeadlineError:
                    return None
        return None

    def fixed_table(self, table: SourceTable, att: Dict, number: int) -> None:
        from ..names import column_letters

        width = max(len(r) for r in table.rows)
        rows = [list(r) + [""] * (width - len(r)) for r in table.rows]
        # merged cells as ranges (A1:B1), their text in the first cell; one joining the header row to the
        # rows below cannot be said (the header repeats on every page): its cells keep their text
        spans = [s for s in table.spans if s[0] > 0 or s[2] == 0]
        for r1, c1, r2, c2 in spans:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        rows[r][c] = ""
        att["columns"] = rows[0]
        body = rows[1:]
        blank = 0
        last_spanned = max((s[2] for s in spans), default=0)
        while len(body) > last_spanned and not any(c.strip() for c in body[-1]):
            body.pop()
            blank += 1
        if body:
            att["rows"] = body
        if blank:
            att["blank_rows"] = blank
        if spans:
            att["merge"] = [f"{column_letters(c1 + 1)}{r1 + 1}:{column_letters(c2 + 1)}{r2 + 1}" for r1, c1, r2, c2 in spans]
        self.form_layout(table, att, width)
        what = _("附件{number}: table kept as a fixed table ({rows} rows × {columns} columns)").format(
            number=number, rows=len(rows), columns=width)
        kept = len(table.spans) - len(spans)
        if kept:
            what += _("; {count} merged cell(s) joining the header row to the rows below repeat their text").format(count=kept)
        self.note(what, [table.number], plain=bool(kept))

    def form_layout(self, table: SourceTable, att: Dict, width: int) -> None:
        """A form's column widths and row heights, in millimetres as the package gives them, where the package
        format can hold them (each column 8 mm or more, the 156 mm of the 版心 at most together).  Widths that
        are what the build computes from the cells are left out again by :func:`doctools.commands.import_docx.settle`."""
        widths = [millimetres(t) for t in table.widths]
        if len(widths) == width and min(widths) >= MIN_COLUMN_MM and sum(widths) <= FORM_WIDTH_MM + 0.05:
            att["widths"] = widths
        heights = {r + 1: millimetres(t) for r, t in sorted(table.heights.items())}
        heights = {r: h for r, h in heights.items() if 1 <= h <= FORM_HEIGHT_MM}
        if heights and len(heights) == len(table.rows) and len(set(heights.values())) == 1:
            att["heights"] = heights[1]                 # every row alike: heights: 12
        elif heights:
            att["heights"] = heights

    # ---- the tail of the body: 附件说明, contact, 署名, 附注 ------------------------------------
    def tail(self, end: int) -> int:
        k = end
        found: Dict = {}
        used: List[int] = []
        while k > 0:
            it = self.items[k - 1]
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
                    and self.items[k - 1].number == found["date_para"].number - 1 - self.blank_between(k - 1, found["date_para"]):
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
                    prev = self.items[j - 1]
                    if not isinstance(prev, SourcePara) or not re.match(r"^(附件[：:]|\d+[.．、])", prev.clean):
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
        self.tail_found = found
        if found.get("date"):
            para = found["date_para"]
            written = re.sub(r"\s", "", (para.lines or [""])[-1].replace("\u3000", ""))
            if written != found["date"]:
                self.note(_("成文日期 {written} printed as {date} (Arabic numerals, GB/T 9704-2012 7.3.5.2)").format(
                    written=written, date=found["date"]), [para.number], plain=True)
        if "contact_lines" in found:
            contact = {}
            for line in found["contact_lines"]:
                for m in _CONTACT.finditer(line):
                    key = _CONTACT_KEYS.get(re.sub(r"\s", "", m.group(1)))
                    if key:
                        contact[key] = m.group(2)
            if contact:
                self.contact = contact
        if "attachments" in found:
            self.attachment_titles = found["attachments"]
        if used:
            parts = [x for x, key in (("附件说明", "attachments"), (_("contact lines"), "contact_lines"), ("署名", "name"),
                                      ("成文日期", "date"), ("附注", "note")) if key in found]
            self.note(_(", ").join(parts), used)
        return k

    def blank_between(self, a: int, para: SourcePara) -> int:
        return sum(1 for it in self.items[a + 1:para.number - 1] if isinstance(it, SourcePara) and not it.clean)

    def sealed(self, name: Optional[SourcePara], date: Optional[SourcePara]) -> bool:
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

    # ---- 版头, 印发通知, title ---------------------------------------------------------------
    def next_nonempty(self, i: int, stop: int) -> int:
        while i < stop and isinstance(self.items[i], SourcePara) and not self.items[i].clean:
            i += 1
        return i

    def header(self, i: int) -> int:
        i = self.next_nonempty(i, len(self.items))
        if i >= len(self.items) or not isinstance(self.items[i], SourcePara):
            return i
        p = self.items[i]
        mark_like = p.style == "发文机关标志" or (p.clean.endswith("文件") and len(p.clean) <= 30 and p.align == "center")
        j = self.next_nonempty(i + 1, len(self.items))
        nxt = self.items[j] if j < len(self.items) and isinstance(self.items[j], SourcePara) else None
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
        self.draft.document["header"] = header
        parts = ["发文机关标志"] + ["发文字号"] * ("number" in header) + ["签发人"] * ("signer" in header)
        if made:
            parts = parts[1:]
            self.note(_("发文机关标志 {mark} made from the notice's title: the copy has none above its 发文字号; check it").format(
                mark=made), [p.number], plain=True)
            self.notice_title = p.clean
        if parts:
            self.note(_("版头 ({parts})").format(parts=_(", ").join(parts)), used)
        return i

    def title_at(self, i: int, stop: int) -> Optional[Tuple[int, List[str], List[int]]]:
        """(index after, title lines, numbers) when a title starts at *i*."""
        i = self.next_nonempty(i, stop)
        if i >= stop or not isinstance(self.items[i], SourcePara) or not self.looks_like_title(self.items[i]):
            return None
        first = self.items[i]
        lines, numbers, j = list(first.lines), [first.number], i + 1
        while j < stop and isinstance(self.items[j], SourcePara) and self.items[j].clean and \
                self.looks_like_title(self.items[j]) and self.items[j].style == first.style and \
                (self.items[j].size or 0) == (first.size or 0) and not self.items[j].page_break and len(lines) < 4:
            lines.extend(self.items[j].lines)
            numbers.append(self.items[j].number)
            j += 1
        return j, lines, numbers

    def notice_and_title(self, i: int, stop: int) -> int:
        first = self.title_at(i, stop)
        # a notice: a title "关于印发…的通知", or 主送 + text + 署名 + 成文日期 before the plan's title
        start = self.next_nonempty(i, stop)
        plan_at = None
        if self.notice_title:             # read with the 发文字号 under it (see header)
            first = (start, [self.notice_title], [])
        if first and re.search(r"(通知|印发)", "".join(first[1])):
            k = first[0]
            while k < stop:
                found = self.title_at(k, stop)
                if found and (self.items[self.next_nonempty(k, stop)].page_break or self.dated_before(first[0], k)):
                    plan_at = k
                    break
                k += 1
            notice_title = "".join(first[1])
            body_from = first[0]
        elif not first:
            k = start
            while k < stop:
                found = self.title_at(k, stop)
                if found and self.dated_before(start, k):
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
            content = [it for it in self.items[body_from:plan_at] if isinstance(it, SourcePara) and it.clean]
            used = [it.number for it in self.items[start:plan_at] if isinstance(it, SourcePara) and it.clean]
            if content and content[0].clean.endswith(("：", ":")) and len(content[0].clean) < 120:
                notice["recipients"] = content.pop(0).clean.rstrip("：:")
            sig = {}
            if len(content) >= 3 and is_full_date(content[-2].clean) and \
                    re.fullmatch(r"[（(][^（）()]{2,30}[）)]", content[-1].clean):
                notice["note"] = content.pop().clean.strip("（）()")       # the notice's own 附注, under its date
            if len(content) >= 2 and is_full_date(content[-1].clean):
                date_p, name_p = content[-1], content[-2]
                sig = {"name": name_p.clean, "date": as_date(date_p.clean)}
                if self.sealed(name_p, date_p):
                    sig["sealed"] = True
                content = content[:-2]
                self.notice_signature = sig
            notice["text"] = [markup(p) for p in content]
            self.draft.document["notice"] = notice
            parts = [x for x in (_("title") if notice_title else "", "主送" if "recipients" in notice else "", _("text"),
                                 _("署名 and date") if sig else "", "附注" if "note" in notice else "") if x]
            self.note(_("印发通知 ({parts})").format(parts=_(", ").join(parts)), used)
            first = self.title_at(plan_at, stop)
        if not first:
            p = self.items[start]
            if isinstance(p, SourcePara) and len(p.clean) <= 60 and not p.clean.endswith("。"):
                self.note(_("no title found: the first paragraph is used as the title"), [p.number], plain=True)
                self.draft.document["title"] = p.clean
                return start + 1
            self.note(_("no title found: the file name is used as the title ({name})").format(name=self.draft.source_name),
                      [], plain=True)
            self.draft.document["title"] = re.sub(r"\.docx$", "", self.draft.source_name, flags=re.I) or "实施方案"
            return start
        j, lines, numbers = first
        self.draft.document["title"] = "\n".join(lines) if len(lines) > 1 else lines[0]
        self.note((_("title 《{title}》 in {count} lines") if len(lines) > 1 else _("title 《{title}》"))
                  .format(title="".join(lines), count=len(lines)), numbers)
        return j

    def dated_before(self, lo: int, hi: int) -> bool:
        return any(isinstance(it, SourcePara) and is_full_date(it.clean) for it in self.items[lo:hi])

    def recipients(self, i: int, stop: int) -> int:
        j = self.next_nonempty(i, stop)
        if j < stop and isinstance(self.items[j], SourcePara):
            p = self.items[j]
            t = p.clean
            if t.endswith(("：", ":")) and len(t) < 120 and not level_label(t) and "。" not in t and "，为" not in t:
                self.draft.document["recipients"] = t.rstrip("：:")
                self.note(_("主送"), [p.number])
                return j + 1
        return i

    # ---- body ---------------------------------------------------------------------------
    def heading(self, p: SourcePara):
        """(level, label, title, kind) where kind is heading | runin | list, or None."""
        t = p.text.strip().replace("\n", "")
        found = level_label(t)
        heading_style = p.outline is not None and p.outline <= 4 and not re.search(r"(标题|Title)$", p.style) \
            and p.style not in ("公文标题", "附件标题")
        if not found:
            if heading_style and len(t) <= 60 and not t.endswith("。") or (heading_style and p.style.lower().startswith("heading")):
                return p.outline, "", t, "heading"
            return None
        level, label, rest = found
        first_stop = re.search(r"[。！？]", rest)
        if level == 3 and not heading_style and self.duty_item(rest) and not self.is_workbook_task(rest) and \
                not (first_stop and self.is_workbook_task(rest[first_stop.end():])):
            # 1.县发改委负责，做好…。: a task of a list, not a heading (a task of the workbook titled by its first
            # sentence stays a run-in heading, as sections() reads it)
            return level, label, rest, "list"
        if heading_style or (len(rest) <= 40 and (not first_stop or first_stop.end() == len(rest))):
            if len(rest) > 60 and not heading_style:
                return level, label, rest, "list"
            return level, label, rest, "heading"
        if first_stop and first_stop.end() < len(rest):
            head = re.sub(r"[（(][^（）()]*[）)]", "", rest[:first_stop.start()])
            if (len(head) <= 30 and not re.search(r"[，；,;]", head)) or self.phase_of(rest[:first_stop.start()]):
                return level, label, rest, "runin"
        return level, label, rest, "list"

    @staticmethod
    def duty_item(rest: str) -> bool:
        """Whether a numbered item's words carry duty wording the list reads as a task's (list_item)."""
        plain = strip_bold(rest)
        verb = verb_duty(plain)
        return trailing_duty(plain) is not None or (verb is not None and verb.start > 0) or \
            before_duty(plain) is not None

    def body(self, i: int, stop: int) -> List[Dict]:
        items = [it for it in self.items[i:stop] if isinstance(it, SourceTable) or it.clean]
        # the preamble: paragraphs before the first heading
        k = 0
        while k < len(items) and isinstance(items[k], SourcePara) and not self.is_section_start(items[k]):
            k += 1
        if k:
            pre = [markup(p) for p in items[:k] if isinstance(p, SourcePara)]
            self.draft.document["preamble"] = pre
            self.note(_("preamble"), [p.number for p in items[:k]])
        sections, blocks = self.sections(items[k:], 1)
        if blocks:
            self.draft.document.setdefault("preamble", []).extend(b for b in blocks if isinstance(b, str))
        return sections

    def is_section_start(self, p: SourcePara) -> bool:
        h = self.heading(p)
        return bool(h and h[0] == 1 and h[3] != "list") or bool(h and h[1] == "" and h[0] == 1)

    def sections(self, items: List[Item], base: int) -> Tuple[List[Dict], List]:
        """Sections from *base* level down, and any blocks before the first heading."""
        root: Dict = {"sections": [], "_items": []}
        stack: List[Tuple[int, Dict]] = [(base - 1, root)]
        last: Dict[int, int] = {}          # the number last printed at each level, as the package reader counts
        listed = 0                         # the number of the last 1. item left to the text's lists
        for it in items:
            h = self.heading(it) if isinstance(it, SourcePara) else None
            if h and h[0] == 3 and h[1]:
                if h[3] == "list" or (listed and label_number(h[1]) == listed + 1):
                    # 6.完善… after the tasks 4.… 5.… of a list: an item of that list, not a heading
                    listed = label_number(h[1])
                    self.tail_item(stack[-1][1], it)
                    continue
            if h and h[3] == "runin" and h[0] == 3 and self.is_workbook_task(h[2]):
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
                        self.tail_item(stack[-1][1], it)
                        continue
                    self.note(_("numbered paragraph that does not continue the numbering above it, kept as typed"),
                              [it.number], plain=True)
                    self.tail_item(stack[-1][1], it)
                    continue
                del stack[keep:]
                last[level] = expected
                section = {"_head": it, "_h": h, "_items": [], "sections": []}
                stack[-1][1]["sections"].append(section)
                stack.append((level, section))
            else:
                self.tail_item(stack[-1][1], it)
        out = [self.section(s, base) for s in root["sections"]]
        return out, self.blocks(root["_items"])

    def is_workbook_task(self, text: str) -> bool:
        duty = trailing_duty(strip_bold(text))
        return strip_bold(text[:duty.start] if duty else text).strip() in self.known_texts

    def tail_item(self, section: Dict, it: Item) -> None:
        """Text after a section's subsections belongs to the last of them (the
        format prints a section's own text before its subsections)."""
        while section["sections"]:
            section = section["sections"][-1]
        section["_items"].append(it)

    def section(self, s: Dict, level: int) -> Dict:
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
                self.draft.style["bold_runin"] = True
            s["_runin"] = (title, runin_text)
            first = SourcePara(number=p.number, text=remaining, runs=[])
            first._markup = runin_text  # type: ignore[attr-defined]
            items = [first] + items
        else:
            out["title"] = rest.rstrip() if rest else p.clean
        self.note(_("section headings"), numbers)
        duty = trailing_duty(out["title"]) if kind != "runin" else None
        children = [self.section(c, level + 1) for c in s["sections"]]
        phases = self.schedule_from(out, s, children)
        if phases:
            return phases
        if duty is not None:
            title = out["title"][:duty.start]
            task = self.new_task(None, duty, "inline", title=title, numbers=numbers)
            out = {"task": task["id"]}
            self.note(_("task (heading with duty wording)"), numbers)
        elif not children and not any(isinstance(x, SourceTable) or x.text.strip() for x in items) and \
                strip_bold(out["title"]).rstrip("。") in self.known_texts:
            # a heading alone whose words are a row of the task workbook: a task with only a title (its units in
            # the 任务分工表, e.g. from a rule of an earlier task: 以下任务均需…落实); "2.优化…功能。" is run in
            runin = out.get("runin") or out["title"].endswith("。")
            task = self.new_task(None, None, "inline", title=strip_bold(out["title"]).rstrip("。"), numbers=numbers)
            out = {"task": task["id"], "runin": True} if runin else {"task": task["id"]}
            items = []
            self.note(_("task (text of a row of the task workbook)"), numbers)
        text_blocks = self.blocks(items, section=out)
        if text_blocks and isinstance(text_blocks[0], dict) and text_blocks[0].get("_titled"):
            # the heading is the task's title: the section prints the task, then the text after it
            out = {"task": text_blocks.pop(0)["task"]}
        if text_blocks:
            if "task" not in out and len(text_blocks) == 1 and isinstance(text_blocks[0], dict) and "task" in text_blocks[0] \
                    and kind != "runin" and not children and text_blocks[0].get("_whole"):
                tid = text_blocks[0]["task"]
                task = next(t for t in self.draft.tasks if t["id"] == tid)
                task["title"] = out["title"]
                self.titled_by_section.append((tid, {"task": tid}, out["title"]))
                out = self.titled_by_section[-1][1]
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
                self.note(_("numbers running on from the section before (numbering: continue)"),
                          [c["_head"].number for c in s["sections"][:1]])
        return out

    # ---- 进度安排 -----------------------------------------------------------------------
    def phase_of(self, title: str):
        """"制定实施方案（2017年12月-2018年1月）" → (title, period) when the period parses."""
        m = re.match(r"^(.*?)[（(]([^（）()]*\d{4}[^（）()]*)[）)]$", title)
        if not m:
            return None
        try:
            parse_deadline(m.group(2))
        except DeadlineError:
            return None
        return m.group(1), m.group(2)

    def schedule_from(self, out: Dict, s: Dict, children: List[Dict]) -> Optional[Dict]:
        """进度安排: a section whose subsections are all run-in phases, either with the
        period after the title (（一）制定实施方案（2017年12月-2018年1月）。……) or
        leading the text (（一）第一阶段。2020年10月底前，……).  The periods must read
        as deadlines, come in order and print back as written."""
        title = out.get("title", "")
        if len(s["sections"]) < 2 or self.draft.schedule or s["_items"]:
            return None
        phases, wording = [], None
        for c in s["sections"]:
            if "_runin" not in c or c["sections"] or any(isinstance(x, SourceTable) or self.heading(x) for x in c["_items"]):
                return None
            name, text = c["_runin"]
            extra = [markup(x) for x in c["_items"]]
            titled = self.phase_of(name)
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
            self.draft.style["range_sep"] = range_sep
        for p in phases:
            p["text"] = p["text"][0] if len(p["text"]) == 1 else p["text"]
        self.draft.schedule = phases
        section: Dict = {"title": title, "schedule": True if wording == "title" else "lead"}
        m = re.match(r"^(.*?)[（(]([^（）()]*\d{4}[^（）()]*)[）)]$", title)
        span = _span([d for d in parsed if d.kind in ("point", "range")], range_sep)
        if wording == "title" and m and span == m.group(2):
            section["title"] = m.group(1)
        elif wording == "title":
            section["title_period"] = False
        self.note(ngettext("进度安排: {count} phase with periods → schedule.yaml",
                           "进度安排: {count} phases with periods → schedule.yaml", len(phases)).format(count=len(phases)),
                  [c["_head"].number for c in s["sections"]] + [s["_head"].number])
        return section

    # ---- blocks: paragraphs, tasks, lists, lead-ins ----------------------------------------------
    def blocks(self, items: List[Item], section: Optional[Dict] = None) -> List:
        out: List = []
        pending: List[Tuple[SourcePara, str]] = []     # paragraphs that may turn out to be a task's text
        list_run: List = []
        expected = 1

        def flush():
            dashes = self.dash_tasks(pending)
            for p, text in pending:
                if p.number in dashes:
                    lead, rest = dashes[p.number]
                    if rest in self.known_texts:
                        task = self.new_task([rest], None, "inline", title=lead, numbers=[p.number])
                        item: Dict = {"task": task["id"]}
                        self.note(_("task (text of a row of the task workbook)"), [p.number])
                    else:
                        item = {"lead": lead, "text": rest} if rest else {"lead": lead}
                        self.note(_("a \"——\" item"), [p.number])
                    if out and isinstance(out[-1], dict) and set(out[-1]) == {"dash"}:
                        out[-1]["dash"].append(item)
                    else:
                        out.append({"dash": [item]})
                elif strip_bold(text) in self.known_texts:
                    # a task of the task workbook, its units and deadline printed nowhere in the plan
                    task = self.new_task([text], None, "inline", numbers=[p.number])
                    out.append({"task": task["id"], "_whole": len(pending) == 1 and not out})
                    self.note(_("task (text of a row of the task workbook)"), [p.number])
                else:
                    out.append(self.paragraph_block(p, text))
            pending.clear()

        def flush_list():
            nonlocal expected
            if list_run:
                out.append({"list": list(list_run)})
                list_run.clear()
            expected = 1

        for idx, it in enumerate(items):
            if isinstance(it, SourceTable):
                flush(); flush_list()
                rows = [" ".join(dict.fromkeys(c for c in row if c)) for row in it.rows]
                for row in rows:
                    if row.strip():
                        out.append(row)
                self.note(_("a table inside the body is kept as text, one paragraph a row"), [it.number], plain=True)
                continue
            text = getattr(it, "_markup", None)
            if text is None:
                text = markup(it)
            if it.images:
                flush(); flush_list()
                self.save_images([it], "正文")
                names = [n for n, blob in self.draft.images.items() if any(blob is b for _, b in it.images)]
                for name in names:
                    out.append({"line": f"〔图片：{name}〕"})
                if it.clean:
                    out.append(text)
                continue
            plain_text = strip_bold(text)
            if getattr(it, "_skip", False):
                continue
            block = duty_block(items[idx:]) if _ROLE.match(plain_text.strip()) else None
            if block is not None:
                # 责任单位：… (or a block of 牵头单位/配合单位/完成时限 lines) closes the task above it
                count, duty = block
                lines = items[idx:idx + count]
                for more in lines[1:]:
                    more._skip = True  # type: ignore[attr-defined]
                # 6.完善…。 then its duty lines, after other items or running on from a list above: that item's task,
                # numbered by the list (two plain items from 1. then duty lines: one task of both, below)
                own_item = bool(list_run) and isinstance(list_run[-1], str) and not pending and \
                    (len(list_run) == 1 or expected - len(list_run) > 1 or not all(isinstance(i, str) for i in list_run))
                if not own_item:
                    flush_list()
                numbers = [p.number for p, _ in pending] + [m.number for m in lines]
                if own_item:
                    item_at = [x.number for x in items[:idx] if isinstance(x, SourcePara)][-1]
                    self.draft.notes = [n for n in self.draft.notes if (n.what, n.numbers) != (_("numbered list item"),
                                                                                                [item_at])]
                    numbers = [item_at] + numbers
                    task = self.new_task([list_run.pop()], duty, "line", numbers=numbers)
                    list_run.append({"task": task["id"]})
                elif pending:
                    whole = len(pending) == sum(1 for x in items[:idx] if isinstance(x, SourcePara))
                    task = self.new_task([t for _, t in pending], duty, "line", numbers=numbers)
                    pending.clear()
                    out.append({"task": task["id"], "_whole": whole and not out})
                elif section is not None and "task" not in section and section.get("title") and not out:
                    # duty lines right under a heading, before any text: the heading is the task's title
                    task = self.new_task(None, duty, "line", title=section["title"], numbers=numbers)
                    out.append({"task": task["id"], "_titled": True})
                elif out and isinstance(out[-1], dict) and set(out[-1]) == {"list"} and \
                        all(isinstance(i, str) for i in out[-1]["list"]):
                    # 1.… 2.… then the duty lines of them all: one task, its items as paragraphs numbered as typed
                    items_text = [f"{k}.{i}" for k, i in enumerate(out.pop()["list"], start=1)]
                    task = self.new_task(items_text, duty, "line", numbers=numbers)
                    out.append({"task": task["id"]})
                else:
                    out.extend({"line": m.clean} for m in lines)
                    self.note(_("duty lines with no task text before them, kept as plain lines"), numbers, plain=True)
                    continue
                self.note(_("task (duty on a line of its own)") if count == 1 else
                          _("task (a block of {count} duty lines)").format(count=count), numbers)
                continue
            found = level_label(plain_text)
            if found and found[0] == 3 and expected == 1 and not out and not pending and section is not None and \
                    "task" not in section and label_number(found[1]) == self.list_last + 1 > 1:
                # 5.… opening a section after 1.–4. in the one before: the list's numbers run on
                section["numbering"] = "continue"
                expected = self.list_last + 1
                self.note(_("numbers running on from the section before (numbering: continue)"), [it.number])
            if found and found[0] == 3 and label_number(found[1]) == expected and not getattr(it, "_markup", None):
                # a numbered list inside running text: 1.… 2.…
                flush()
                rest_markup = markup(it, skip=len(it.text) - len(it.text.lstrip()) + len(found[1]))
                item = self.list_item(it, strip_bold(rest_markup), rest_markup)
                list_run.append(item)
                self.list_last = expected
                expected += 1
                continue
            flush_list()
            tduty, said = trailing_duty(plain_text), _("task (duty wording in parentheses)")
            verb = verb_duty(plain_text) if tduty is None else None
            if verb is not None and verb.start > 0:
                # "…。一是…。二是…。县数据局牵头，县政府办公室配合。": the units closing a paragraph, as a list item's
                tduty, said = verb, _("task (paragraph ending \"…牵头，…配合\")")
            if tduty is not None:
                body_text = text[:len(text) - (len(plain_text) - tduty.start)] if "**" not in text else \
                    _cut_markup(text, tduty.start)
                flush()
                if not strip_bold(body_text).strip():
                    # "（二）更新网站。（牵头单位：…）": the wording alone after a run-in heading
                    if section is None or "task" in section or not section.get("title") or out:
                        pending.append((it, text))
                        continue
                    title = section["title"] + ("。" if section.get("runin") else "")
                    task = self.new_task(None, tduty, "inline", title=title, numbers=[it.number])
                    out.append({"task": task["id"], "_titled": True})
                    self.note(said, [it.number])
                    continue
                task = self.new_task([body_text] if body_text else None, tduty, "inline", numbers=[it.number])
                whole = not out and not pending and len([x for x in items if isinstance(x, SourcePara)]) == 1
                out.append({"task": task["id"], "_whole": whole})
                self.note(said, [it.number])
                continue
            pending.append((it, text))
        flush(); flush_list()
        return out

    def dash_tasks(self, pending: List[Tuple[SourcePara, str]]) -> Dict[int, Tuple[str, str]]:
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
            if any(rest in self.known_texts for _lead, rest in split.values()):
                items.update(split)
        return items

    def list_item(self, p: SourcePara, plain_text: str, marked: str):
        duty = trailing_duty(plain_text)
        if duty is not None:
            task = self.new_task([_cut_markup(marked, duty.start)], duty, "inline", numbers=[p.number])
            self.note(_("task (list item with duty wording)"), [p.number])
            return {"task": task["id"]}
        duty = verb_duty(plain_text)
        if duty is not None and duty.start > 0:
            task = self.new_task([_cut_markup(marked, duty.start)], duty, "inline", numbers=[p.number])
            self.note(_("task (list item ending \"…负责，…配合\")"), [p.number])
            return {"task": task["id"]}
        lead = before_duty(plain_text)
        if lead is not None:
            unit, rest = lead
            template = "{responsible}负责" + rest[:1] if rest[:1] in "，," else "{responsible}负责"
            rest = rest[1:] if rest[:1] in "，," else rest      # 县发改委负责，做好…: the task is 做好…
            task = self.new_task([rest], Duty({"responsible": [unit]}, template, 0), "before", numbers=[p.number])
            self.note(_("task (list item \"{unit}负责…\")").format(unit=unit), [p.number])
            return {"task": task["id"]}
        self.note(_("numbered list item"), [p.number])
        return marked

    def paragraph_block(self, p: SourcePara, text: str):
        items = self.lead_ins(p, text)
        if items is not None:
            self.note(_("一是/二是 lead-ins"), [p.number])
            return {"items": items}
        self.note(_("running text with bold phrases (**…**)") if "**" in text else _("running text"), [p.number])
        return text

    def lead_ins(self, p: SourcePara, text: str) -> Optional[List]:
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


# words of a column name a plan words its own way (工作要求, 配合/责任单位), and the field they show; the first found wins
_FIELD_WORDS = (("序号", "index"), ("牵头", "lead"), ("配合", "support"), ("协同", "support"), ("责任", "responsible"),
                ("时限", "deadline"), ("时间", "deadline"), ("进度", "deadline"), ("备注", "note"), ("任务", "text"),
                ("要求", "text"), ("内容", "text"), ("措施", "text"))


def column_field(name: str) -> Optional[str]:
    """The field a task-table column shows: by its standard name, else by a word in it."""
    if ROLE_LABELS.get(name) in EXTRA_ROLES:          # 主抓单位: a part the package declares (roles:)
        return ROLE_LABELS[name]
    return COLUMN_FIELDS.get(name) or next((f for word, f in _FIELD_WORDS if word in name), None)


def task_header(rows: List[List[str]]):
    """(header, fields, column of each field) when the first row names task-table columns.  A first column
    that names no field (类别) is the group column, field "group"."""
    if not rows:
        return None, None, None
    header = [c.strip().replace("\n", "") for c in rows[0]]
    fields = [column_field(c) for c in header]
    if fields and fields[0] is None and len(fields) > 1:
        fields[0] = "group"
    if "text" not in fields or None in fields or not any(f in fields for f in ("lead", "support", "responsible", "deadline")):
        return None, None, None
    return header, fields, {f: i for i, f in reversed(list(enumerate(fields)))}


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


def derived_units(units: Dict[str, List[str]], support_column: bool) -> None:
    """A 责任单位 cell beside a 牵头单位 one that only lists the lead (and supporting) units again is what the
    table prints for a task without 责任单位 of its own: drop it; with no 配合单位 column, the names after the
    lead ones are the supporting units."""
    lead, responsible = units.get("lead"), units.get("responsible")
    if not lead or not responsible:
        return
    if responsible == lead + units.get("support", []):
        del units["responsible"]
    elif not support_column and responsible[:len(lead)] == lead:
        units["support"] = responsible[len(lead):]
        del units["responsible"]


def _deadline_key(task: Dict):
    from datetime import date
    try:
        return parse_deadline(task["deadline"]).sort_key if task.get("deadline") else (date.max, date.max)
    except DeadlineError:
        return (date.max, date.max)


def workbook_rows(path) -> List[List[str]]:
    """The rows of the sheet holding a task table (任务分工表.xlsx as doctools writes it,
    or one staff made), from its header row on; the hidden 编号 column left out."""
    from openpyxl import load_workbook

    from ..errors import UnreadableInput
    from ..safeio.untrusted import WORKBOOK, open_package
    from .workbook import GLUE

    try:
        package = open_package(path, WORKBOOK)      # the checks a package's workbooks get: size, parts, cells, DTD
    except UnreadableInput as exc:
        raise NotADocx(exc.message) from None
    try:
        wb = load_workbook(package.stream(), data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's input
        raise NotADocx(_("{path}: cannot read the task workbook ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from None
    for ws in wb.worksheets:
        rows = [["" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v).replace(GLUE, "").strip()
                 for v in row] for row in ws.iter_rows(values_only=True)]
        for start in range(min(len(rows), 6)):
            row = rows[start]
            if "序号" in row and "编号" in row:
                drop = row.index("编号")
                rows = [r[:drop] + r[drop + 1:] for r in rows]
                row = rows[start]
            if task_header([row])[0] is not None:
                width = max(i + 1 for i, c in enumerate(row) if c)
                return [r[:width] for r in rows[start:]]
    raise NotADocx(_("{path}: no sheet has a task table header (工作任务 with 责任单位, 牵头单位 or 完成时限)").format(
        path=path))


_ANY_YEAR = YearContext(datetime.date(2000, 1, 1))


def milestones(text: str) -> List[Dict[str, str]]:
    """"2025年6月底前完成梳理，9月底前完成公开" → [{deadline: 2025年6月底前, text: 完成梳理}, …]; [] unless
    every part is a deadline followed by what is due then, and there are two or more."""
    out = []
    for part in (p.strip() for p in re.split(r"[，；,;]", text.rstrip("。")) if p.strip()):
        # the longest deadline that starts the part
        found = next((k for k in range(len(part) - 1, 1, -1) if _is_deadline(part[:k])), None)
        if found is None:
            return []
        out.append({"deadline": part[:found], "text": part[found:]})
    return out if len(out) >= 2 else []


def _has_year(text: str) -> bool:
    try:
        parse_deadline(text)
        return True
    except DeadlineError:
        return False


def _is_deadline(text: str) -> bool:
    """Whether *text* is a deadline, its year left out (年底前) or not: the package reader gives it its year."""
    try:
        parse_deadline(text, _ANY_YEAR)
        return True
    except DeadlineError:
        return False


def _span(periods, range_sep: str) -> Optional[str]:
    """The whole schedule's period as the package reader prints it after the title."""
    if not periods:
        return None
    first = min(periods, key=lambda d: d.start).first
    last_period = max(periods, key=lambda d: d.end)
    last = last_period.second if last_period.kind == "range" else last_period.first
    return first.official() + (range_sep + last.official() if first != last else "")


def millimetres(twips: int):
    """Twips as millimetres to a tenth, a whole number without its .0 (2268 → 40)."""
    mm = round(twips / G.TWIPS_PER_MM, 1)
    return int(mm) if mm == int(mm) else mm


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


def summary(draft: Draft) -> Tuple[List[str], List[str]]:
    """(recognised, kept as plain text): one line per kind of thing, with its paragraph numbers."""
    groups: Dict[Tuple[str, bool], List[int]] = {}
    counts: Dict[Tuple[str, bool], int] = {}
    for note in draft.notes:        # worded when made, in the active language; a task's kind of note names no id
        groups.setdefault((note.what, note.plain), []).extend(note.numbers)
        counts[note.what, note.plain] = counts.get((note.what, note.plain), 0) + 1
    lines = {False: [], True: []}
    for (what, plain), numbers in groups.items():
        count = counts[what, plain]
        lines[plain].append(f"{what}{f' ×{count}' if count > 1 else ''}: {_where(numbers)}")
    return lines[False], lines[True]


def recognise(path, name: str = "", tasks_workbook=None) -> Draft:
    """Read the .docx at *path* and recognise the plan in it; *tasks_workbook*
    (a 任务分工表.xlsx) names the units and deadlines a plan may leave unprinted."""
    items = read_source(path)
    rows = workbook_rows(tasks_workbook) if tasks_workbook else None
    draft = PlanRecogniser(items, name, rows).recognise()
    if not (draft.body or draft.attachments or draft.document.get("preamble") or draft.document.get("notice")):
        raise NotADocx(_("{path}: the document holds only a title ({title}); there is no text to import").format(
            path=path, title=draft.document.get("title", "")))
    return draft
