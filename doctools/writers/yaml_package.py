"""A recognised plan (:class:`~doctools.readers.docx.Draft`) written as a package folder.

The files follow the convention of ``inputs/``: document.yaml, units.yaml,
tasks.yaml, schedule.yaml, body.yaml, attachments.yaml, each with a comment
saying what it holds and where it came from, so staff can read and edit the
result.  Strings are quoted by PyYAML wherever YAML needs it (a leading
``**``, a colon, a number that must stay text); multi-line titles are written
as ``|-`` blocks.  Same draft, same bytes: keys keep a fixed order and
nothing depends on time or dict hashing.
"""
from __future__ import annotations

from typing import Dict, List

import yaml

from ..i18n import _

DOCUMENT_ORDER = ("title", "office", "date", "header", "recipients", "notice", "basis", "preamble", "signature",
                  "note", "contact", "imprint")
TASK_ORDER = ("id", "title", "text", "chief", "lead", "support", "responsible", "deadline", "milestones", "format", "group",
              "note")
SECTION_ORDER = ("title", "task", "runin", "schedule", "title_period", "runin_children", "numbering", "text", "sections")
ATTACHMENT_ORDER = ("title", "listed_as", "start_level", "content", "sections", "table", "columns", "rows", "blank_rows",
                    "merge", "widths", "heights", "after")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper, value: list):
    """Short lists of names on one line ([县财政局, 各乡镇人民政府]) and lists of numbers (a form's widths:
    [40, 26, 26, 30, 34]), others one item a line."""
    flow = all(isinstance(v, str) and len(v) <= 30 and not any(ch in v for ch in "\n。；") for v in value) \
        and sum(len(v) + 2 for v in value) <= 60 or bool(value) and all(_number(v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _dict(dumper, value: dict):
    """Numbers by row number on one line (a form's heights: {1: 12, 4: 30}), other mappings a key a line."""
    flow = bool(value) and all(isinstance(k, int) and _number(v) for k, v in value.items())
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def _ordered(data, order) -> Dict:
    known = {k: data[k] for k in order if k in data}
    known.update({k: v for k, v in data.items() if k not in known})
    return known


def _sections(sections: List[Dict]) -> List[Dict]:
    out = []
    for s in sections:
        s = _ordered(s, SECTION_ORDER)
        if "sections" in s:
            s["sections"] = _sections(s["sections"])
        out.append(s)
    return out


def dump(key: str, value, comment: str) -> str:
    text = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False, indent=2)
    return "".join(f"# {line}\n" for line in comment.splitlines()) + text


def package_files(draft) -> Dict[str, str]:
    """File name → YAML text of the package."""
    src = draft.source_name or _("the .docx")
    files: Dict[str, str] = {}
    doc = _ordered({k: v for k, v in draft.document.items() if v not in (None, [], {})}, DOCUMENT_ORDER)
    head = dump("document", doc, _("The document frame, imported from {src} by doctools import.\n"
                                   "Check the title's line breaks, the office and the dates.").format(src=src))
    if draft.style:
        head += "\n" + dump("style", draft.style, _("How the plan words duties and separators, taken from its text:\n"
                                                    "each duty format prints the wording exactly as the source had it."))
    if draft.tables:
        head += "\n" + dump("tables", draft.tables, _("The task table (任务分工表) and the month grid as the source printed them."))
    files["document.yaml"] = head
    if draft.units:
        files["units.yaml"] = dump("units", draft.units, _("责任单位 named by the tasks, as the source writes them.\n"
                                                           "Give a unit aliases: [...] if the plan names it in several ways."))
        if draft.roles:
            files["units.yaml"] += "\n" + dump("roles", draft.roles, _("Parts units play beyond 牵头/配合/责任, as the "
                                                                       "source names them."))
    if draft.tasks:
        files["tasks.yaml"] = dump("tasks", [_ordered(t, TASK_ORDER) for t in draft.tasks],
                                   _("Tasks found by their duty wording (责任单位/牵头单位/配合单位/完成时限) or in a task table."))
    if draft.schedule:
        files["schedule.yaml"] = dump("schedule", draft.schedule, _("进度安排: the phases and their periods."))
    if draft.body:
        files["body.yaml"] = dump("body", _sections(draft.body), _("The plan's sections; numbers (一、（一）1.（1）) come from depth."))
    else:
        files["body.yaml"] = dump("body", [], _("The plan has no numbered sections: its text is the preamble in "
                                                "document.yaml.\nAdd sections here (title, text) as the plan grows."))
    if draft.attachments:
        files["attachments.yaml"] = dump("attachments", [_ordered(a, ATTACHMENT_ORDER) for a in draft.attachments],
                                         _("附件: each on a new page, listed in the 附件说明."))
    return files


def package_bytes(draft) -> Dict[str, bytes]:
    """Every file of the package *draft* makes, as bytes: the YAML files, then the pictures (``images/…``).
    :func:`doctools.safeio.atomic.create_folder` writes them all at once."""
    files = {name: text.encode("utf-8") for name, text in package_files(draft).items()}
    files.update(sorted(draft.images.items()))
    return files
