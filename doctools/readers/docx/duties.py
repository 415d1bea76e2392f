"""The duty-wording rule: 责任单位/牵头单位/配合单位/完成时限 as labels, in parentheses or as verbs
(…牵头，…配合), read into the task's parts (lead, support, responsible, the package's own roles) and a
template that prints the wording back as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from ..docx_source import SourcePara
from ..xlsx_tasks import split_units
from .deadlines import _is_deadline
from .text import (
    _LITERAL_BRACKETS,
    _split_top,
    flat_units,
    is_unit_name,
    strip_bold,
    top_level_separators,
)

# 责任 wording: the label as written → the task field it fills
ROLE_LABELS = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主抓单位": "chief", "牵头": "lead",
    "配合单位": "support", "配合部门": "support", "协办单位": "support", "参与单位": "support", "协同单位": "support",
    "支撑单位": "support", "支持单位": "support", "协作单位": "support",
    "责任单位": "responsible", "责任部门": "responsible", "推进单位": "responsible", "实施单位": "responsible",
    "承办单位": "responsible", "落实单位": "responsible",
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "完成期限": "deadline", "时限": "deadline",
    "时间进度": "deadline",
}


# parts beyond 牵头/配合/责任, declared by the package (roles:) when the plan names them
EXTRA_ROLES = {"chief": "主抓单位"}


UNIT_ROLES = ("lead", "support", "responsible") + tuple(EXTRA_ROLES)


_ROLE = re.compile("(" + "|".join(sorted(ROLE_LABELS, key=len, reverse=True)) + r")\s*[：:]")


@dataclass
class Duty:
    """责任 wording found in a text: its fields and the template that prints it back."""

    fields: Dict[str, Any]
    template: str
    start: int                        # where the wording starts in the text


def parse_duty(wording: str, start: int = 0) -> Optional[Duty]:
    """Fields of "牵头单位：A；配合单位：B、C。完成时限：2021年6月底前" and its template."""
    labels = list(_ROLE.finditer(wording))
    if not labels or _LITERAL_BRACKETS.search(wording):
        return None
    fields: Dict[str, Any] = {}     # a role's units, its groups, or the list of roles printed as written
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
                if verb is not None and not misread(verb) and i > 0 and body[i - 1] in "。；！？":
                    # "…。（县政府法制办、人行德安分行牵头负责）": the part as a verb after the units
                    return Duty(verb.fields, "（" + verb.template + "）" + tail, start=i)
                if not _ROLE.match(inner.strip()):
                    # "…。（灵宝市政府）": unit names alone, after a full sentence
                    names = split_units(inner)
                    if i > 0 and body[i - 1] in "。；" and names and all(is_unit_name(n) for n in names):
                        return Duty({"responsible": names}, "（{responsible}）" + tail, start=i)
                    return _by_grammar(inner, tail, i) if i == 0 or body[i - 1] in "。；！？" else None
                duty = parse_duty(body[i:] + tail, start=i)
                return _by_grammar(inner, tail, i) if duty is None or misread(duty) else duty
    return None


def _by_grammar(inner: str, tail: str, start: int) -> Optional[Duty]:
    """Parenthesised wording the grammar reads (:func:`read_duty`), its template in the brackets as typed."""
    if _LITERAL_BRACKETS.search(inner):
        return None
    duty = read_duty(inner, start)
    return Duty(duty.fields, "（" + duty.template + "）" + tail, start) if duty is not None else None


def line_duty(text: str, deadline_only: bool = False) -> Optional[Duty]:
    """A paragraph that is only duty wording: "责任单位：A、B" or several fields
    (with *deadline_only*, "完成时限：…" alone too: a later line of a block)."""
    t = text.strip()
    if not _ROLE.match(t):
        return None
    duty = parse_duty(t, 0)
    if misread(duty) and not _LITERAL_BRACKETS.search(t):
        duty = read_duty(t, 0) or duty
    if duty is None and deadline_only and not _LITERAL_BRACKETS.search(t):
        m = _ROLE.match(t)
        value = t[m.end():].strip().rstrip("。；;")
        if ROLE_LABELS[m.group(1)] == "deadline" and value:
            at = t.index(value, m.end())
            if _is_deadline(value):
                return Duty({"deadline": value}, t[:at] + "{deadline}" + t[at + len(value):], 0)
            return Duty({"deadline_raw": value}, t, 0)
    return duty


def duty_block(paras: List[SourcePara], skip: Set[int] = frozenset()) -> Optional[Tuple[int, Duty]]:
    """(how many paragraphs, the duty) when *paras* start with a block of duty
    lines (牵头单位：… / 配合单位：… / 完成时限：…, in any order, one to several
    lines) naming at least one unit.  The block becomes one duty wording whose
    lines the format prints as they were; a role named twice stays as written."""
    duties: List[Duty] = []
    for p in paras:
        if not isinstance(p, SourcePara) or p.number in skip:
            break
        duty = line_duty(strip_bold(p.clean), deadline_only=True)
        if duty is None:
            break
        duties.append(duty)
    fields: Dict[str, Any] = {}     # a role's units, its groups, or the list of roles printed as written
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


# ---- one grammar for duty wording ------------------------------------------------------------
# A duty text is clauses cut at ，；: each clause is [label：] units [等] [verb].  The verb says the part
# (牵头 lead, 主抓 the package's chief, 配合/协助/参与 support, 负责/落实/按职责分工负责 responsible); a clause of units
# with no verb takes the verb of the clause after it (县农业农村局、县市场监管局，县海关等按职责分工负责: two groups,
# one part); a label with no verb gives its own part.  "以下均需X配合落实" is a rule for every later task
# (later_tasks).  A clause that is none of these is kept as written in the wording and said in the summary.
_VERB_ROLES = (("按职责分工负责", "responsible"), ("按职责分工落实", "responsible"), ("负责配合落实", "support"),
               ("配合落实", "support"), ("牵头负责", "lead"), ("牵头落实", "lead"), ("牵头", "lead"), ("主抓", "chief"),
               ("配合", "support"), ("协助", "support"), ("参与", "support"), ("负责", "responsible"),
               ("落实", "responsible"))
_VERB_WORDS = "|".join(v for v, _role in _VERB_ROLES)
_CLAUSE = re.compile(rf"^(?P<label>(?:{'|'.join(sorted(ROLE_LABELS, key=len, reverse=True))})\s*[：:])?\s*"
                     rf"(?P<units>[^：:]*?)(?P<etc>等)?(?P<verb>{_VERB_WORDS})?$")
_LATER = re.compile(rf"^以下(?:任务)?均需(?P<units>.+?)(?P<verb>{_VERB_WORDS})$")
_CLAUSE_SEPS = "，,；;"
_NOT_LISTED = re.compile(r"^不再(?:一一)?列(?:出|举)$")


@dataclass
class Clause:
    """One clause of duty wording: its text, the separator after it, and what it was read as."""

    text: str
    sep: str
    role: Optional[str] = None        # the part its units take (None: units waiting for a verb, or unread)
    units: List[str] = field(default_factory=list)
    label: str = ""
    etc: str = ""
    verb: str = ""
    later: bool = False               # 以下均需…: a rule for every later task


def _clauses(text: str) -> List[Clause]:
    parts, current, depth = [], "", 0
    for ch in text:
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(0, depth - 1)
        if ch in _CLAUSE_SEPS and depth == 0:
            parts.append(Clause(current, ch))
            current = ""
        else:
            current += ch
    if current or not parts:
        parts.append(Clause(current, ""))
    return parts


def _read_clause(c: Clause) -> Clause:
    t = c.text.strip()
    later = _LATER.match(t)
    if later:
        units = split_units(later.group("units"))
        if units and all(_short_name(u) for u in units):
            c.role, c.units, c.verb, c.later = dict(_VERB_ROLES)[later.group("verb")], units, later.group("verb"), True
        return c
    m = _CLAUSE.match(t)
    if not m or not m.group("units"):
        return c
    units = split_units(m.group("units"))
    if not units or not all(_short_name(u) and (is_unit_name(u) or m.group("label") or m.group("verb")) for u in units):
        return c
    c.units, c.label, c.etc, c.verb = units, m.group("label") or "", m.group("etc") or "", m.group("verb") or ""
    if c.verb:
        c.role = dict(_VERB_ROLES)[c.verb]
    elif c.label:
        c.role = ROLE_LABELS[re.sub(r"\s*[：:]$", "", c.label)]
        c.role = None if c.role == "deadline" else c.role
    else:
        c.role = "waiting"
    return c


def read_duty(text: str, start: int = 0) -> Optional[Duty]:
    """Duty wording by the grammar above: its fields (a part named twice takes the later units as a further
    group), the template that prints it back as written, and ``unread`` (the clauses it could not read, kept
    as written).  None when no clause names units with a verb or a label."""
    clauses = [_read_clause(c) for c in _clauses(text)]
    if not any(c.role not in (None, "waiting") and not c.later for c in clauses):
        return None
    fields: Dict[str, Any] = {}     # a role's units, its groups, or the list of roles printed as written
    template, waiting = "", []
    for c in clauses:
        if c.role == "waiting" and c.sep in "，,":
            waiting.append(c)                            # units whose verb comes in a later clause
            continue
        if "later" in fields and _NOT_LISTED.match(c.text.strip()) and not waiting:
            template += c.text + c.sep                   # 不再列出: part of the rule before it
            continue
        if c.role in (None, "waiting") or (c.later and "later" in fields):
            template += "".join(w.text + w.sep for w in waiting) + c.text + c.sep
            fields.setdefault("unread", []).extend(w.text.strip() for w in waiting + [c] if w.text.strip())
            waiting = []
            continue
        if c.later:
            fields["later"] = {c.role: c.units}
            template += c.text + c.sep                   # the rule prints as written, once
            continue
        if c.role in fields:
            return None                                  # one part named twice: the labels' reading keeps it
        groups = [w.units for w in waiting] + [c.units]
        # groups joined by ， (style.unit_group_sep), names within one by 、
        fields[c.role] = groups if len(groups) > 1 else groups[0]
        lead_space = c.text[:len(c.text) - len(c.text.lstrip())]
        template += lead_space + c.label + "{" + c.role + "}" + c.etc + c.verb + c.sep
        waiting = []
    if waiting:
        template += "".join(w.text + w.sep for w in waiting)
        fields.setdefault("unread", []).extend(w.text.strip() for w in waiting)
    if not any(k in fields for k in UNIT_ROLES):
        return None
    return Duty(fields=fields, template=template, start=start)


_VERB_IN_NAME = re.compile(rf"({_VERB_WORDS}|按职责|等$|[：:])")


def misread(duty: Optional[Duty]) -> bool:
    """Whether a duty read by labels alone put verbs or a second label into a unit's name (县直各部门按职责分工负责,
    支撑单位：各乡镇): the grammar reads it again."""
    return duty is not None and any(_VERB_IN_NAME.search(u) for r in UNIT_ROLES for u in flat_units(duty.fields.get(r, [])))
