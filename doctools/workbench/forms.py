"""The page's form fields and how a posted form becomes edits of the YAML files.

A field's name says what it holds and where: ``t:document.title`` is a text at document → title,
``l:tasks.2.lead`` a list of units written in one box, separated by 、 (as a plan prints them).  Only fields whose
text differs from what the file holds now are written, so an untouched field never rewrites its value.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, List, Tuple

from ..i18n import N_
from .yamledit import PackageFiles, parse_path

TOP_KEYS = ("document", "style", "roles", "units", "tasks", "schedule", "body", "attachments", "tables", "catalog")
LIST_SEPARATORS = re.compile(r"\s*[、，,;；\n]\s*")

#: 基本信息: (path, label, kind, help); kind "text", "long" (several lines) or "list" (names separated by 、)
FRAME_FIELDS = [
    ("document.title", N_("Title"), "long", N_("A line break where the title wraps on the page")),
    ("document.office", N_("Issuing office (发文机关)"), "text", ""),
    ("document.date", N_("Date (成文日期)"), "text", N_("e.g. 2024年3月5日")),
    ("document.header.mark", N_("Red header (版头)"), "text", N_("e.g. 某县人民政府办公室文件; empty: no red header")),
    ("document.header.number", N_("Document number (发文字号)"), "text", N_("e.g. 某政办发〔2024〕7号")),
    ("document.header.signer", N_("Signer (签发人)"), "text", ""),
    ("document.notice.title", N_("Notice title (印发通知)"), "text", ""),
    ("document.notice.recipients", N_("Recipients (主送)"), "text", N_("e.g. 各乡镇人民政府，县政府各部门")),
    ("document.notice.text", N_("Notice text"), "long", ""),
    ("document.preamble", N_("Preamble"), "long", ""),
    ("document.signature.name", N_("Signed by (署名)"), "text", N_("empty: the issuing office")),
    ("document.note", N_("Note (附注)"), "text", N_("e.g. 此件公开发布")),
    ("document.imprint.cc", N_("Copies to (抄送)"), "list", N_("names separated by 、")),
    ("document.imprint.printer", N_("Printed by (印发机关)"), "text", ""),
    ("document.imprint.date", N_("Printed on (印发日期)"), "text", ""),
]

#: 任务 grid columns: (field, label, kind)
TASK_COLUMNS = [
    ("title", N_("Title"), "text"),
    ("text", N_("Text"), "long"),
    ("lead", N_("Lead (牵头)"), "list"),
    ("support", N_("Support (配合)"), "list"),
    ("responsible", N_("Responsible (责任)"), "list"),
    ("deadline", N_("Deadline (完成时限)"), "text"),
    ("note", N_("Remarks (备注)"), "text"),
]

#: 进度安排 phases
PHASE_COLUMNS = [("title", N_("Phase"), "text"), ("period", N_("Period"), "text"), ("text", N_("Text"), "long")]


def normalise(text: str) -> str:
    """A posted text: browsers send line breaks of a text box as CR LF; trailing blanks are not meant."""
    lines = [line.rstrip() for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def as_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "list":
        if isinstance(value, list):
            return "、".join(str(v) for v in value if not isinstance(v, (dict, list)))
        return str(value)
    if isinstance(value, (dict, list)):
        return ""
    return str(value).rstrip("\n")


def editable(value: Any, kind: str) -> bool:
    """Whether a value can be shown in a box of this kind (a structured value is not flattened into one)."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return True
    return kind == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value)


def field_value(files: PackageFiles, name: str, kind: str = "text") -> str:
    return as_text(files.get(parse_path(name)), kind)


def apply_form(files: PackageFiles, items: Iterable[Tuple[str, Any]]) -> List[str]:
    """Write the posted fields that changed into *files*; return their names."""
    changed = []
    tasks = files.get(("tasks",), None)
    before = len(tasks) if isinstance(tasks, list) else 0
    for key, raw in items:
        kind, sep, name = str(key).partition(":")
        if not sep or kind not in ("t", "l") or not isinstance(raw, str):
            continue
        path = parse_path(name)
        if not path or path[0] not in TOP_KEYS or any(p == "" for p in path):
            raise ValueError(name)
        current = files.get(path)
        form_kind = "list" if kind == "l" else "text"
        if not editable(current, form_kind):
            continue
        value = normalise(raw)
        if value == normalise(as_text(current, form_kind)):
            continue
        if form_kind == "list":
            names = [n for n in LIST_SEPARATORS.split(value) if n]
            files.set(path, names or None)
        else:
            files.set(path, value if value else None)
        changed.append(name)
    _name_new_tasks(files, before)
    return changed


def _name_new_tasks(files: PackageFiles, before: int) -> None:
    """A task row added on the page gets an id (t1, t2 …) that no other task has."""
    tasks = files.get(("tasks",), None)
    if not isinstance(tasks, list):
        return
    taken = {str(t.get("id")) for t in tasks if isinstance(t, dict) and t.get("id")}
    for i, task in enumerate(tasks):
        if i >= before and isinstance(task, dict) and not task.get("id"):
            n = i + 1
            while f"t{n}" in taken:
                n += 1
            taken.add(f"t{n}")
            files.set(("tasks", i, "id"), f"t{n}")
