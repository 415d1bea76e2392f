"""The one state every recognising rule works over, and what recognition makes of it.

:class:`State` holds the source (the numbered paragraphs and tables :mod:`doctools.readers.docx_source`
reads), the places the rules have found so far (where the 版记, the 附件 pages and the sign-off start), what
the frame rules read (the 署名 and date, the notice's own sign-off, the 版记), and the :class:`Draft` being
built: the package as plain data, with a :class:`Note` for every recognition.  A rule reads the source and
what rules before it found, and adds to the draft; it never marks a paragraph itself (what was consumed is
said in ``skip`` and ``marked``, by paragraph number), as markdown-it's block rules work over one
``StateBlock``.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from ...i18n import _
from ...limits import MAX_IMAGE_BYTES
from ...model.deadline import DeadlineError, YearContext, parse_date, parse_deadline
from ..docx_source import Item, SourcePara, SourceTable
from .deadlines import _has_year, milestones, stated_deadlines
from .duties import EXTRA_ROLES, UNIT_ROLES, Duty
from .text import _LITERAL_BRACKETS, _strings, flat_units, strip_bold

SURE, GUESSED, PLAIN = "sure", "guessed", "plain"

#: the pictures an import keeps, by the bytes they start with: (signature, offset) -> extension.  Nothing else is
#: written, whatever the .docx calls its part.
PICTURE_KINDS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "bmp": "BMP", "tif": "TIFF", "emf": "EMF", "wmf": "WMF"}
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", 0, "png"), (b"\xff\xd8\xff", 0, "jpg"), (b"GIF87a", 0, "gif"),
               (b"GIF89a", 0, "gif"), (b"BM", 0, "bmp"), (b"II*\x00", 0, "tif"), (b"MM\x00*", 0, "tif"),
               (b" EMF", 40, "emf"), (b"\xd7\xcd\xc6\x9a", 0, "wmf"))


def picture_kind(blob: bytes) -> Optional[str]:
    """The extension a picture is saved with, from its first bytes; None for anything not in :data:`PICTURE_KINDS`."""
    for signature, at, ext in _SIGNATURES:
        if blob[at:at + len(signature)] == signature:
            return ext
    return None


@dataclass
class Note:
    """A line of the import summary: what was recognised (or kept as plain text) and where."""

    what: str
    numbers: List[int]
    plain: bool = False
    rule: str = ""                    # the rule that made it (frame, notice, sign-off, headings, duties …)
    guessed: bool = False             # recognised, but from signs that can mislead: the clerk should look

    @property
    def confidence(self) -> str:
        """sure | guessed | plain (kept as plain text)."""
        return PLAIN if self.plain else GUESSED if self.guessed else SURE

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


@dataclass
class State:
    """The source, the regions found in it, what the frame rules read, and the draft being built."""

    items: List[Item]
    draft: Draft
    workbook: Optional[List[List[str]]] = None          # rows of a task workbook given with --tasks
    known_texts: Set[str] = field(default_factory=set)  # the 工作任务 of the workbook's rows
    rule: str = ""                                      # the rule running now (each note says which)
    # regions, found from the end: the 版记 starts at ``end``, the 附件 pages at ``att_start``, the sign-off at
    # ``tail_start``; ``pos`` is where the next rule from the top reads on
    end: int = 0
    att_start: int = 0
    tail_start: int = 0
    pos: int = 0
    units: List[str] = field(default_factory=list)
    format_names: Dict[Tuple[str, str], str] = field(default_factory=dict)   # (template, place) -> format name
    task_by_text: Dict[str, Dict] = field(default_factory=dict)
    notice_title: Optional[str] = None      # a web copy's notice title, read by the header rule with its 发文字号
    list_last: int = 0                      # the number of the last list item read
    # sections holding a single task, made the task's title: (task id, the body item, the heading)
    titled_by_section: List[Tuple[str, Dict, str]] = field(default_factory=list)
    grid_labels: List[str] = field(default_factory=list)    # the row labels of the month grid, if the plan prints one
    grids: List[Tuple[int, List[SourceTable]]] = field(default_factory=list)   # each month grid and its 附件 number
    # what the frame rules read
    tail_found: Dict = field(default_factory=dict)           # 署名, 成文日期, 附注, contact lines, 附件说明
    imprint_data: Dict = field(default_factory=dict)         # 版记: 抄送, 印发机关, 印发日期
    notice_signature: Dict = field(default_factory=dict)     # the 印发通知's own 署名 and date
    contact: Dict = field(default_factory=dict)
    printer_para: int = 0
    attach_labels: List[int] = field(default_factory=list)   # the items "附件1" … that start each 附件 page
    attachment_titles: List[str] = field(default_factory=list)   # as the 附件说明 lists them
    # paragraphs a rule has consumed ahead of the walk (by number), and text a rule has already marked up
    skip: Set[int] = field(default_factory=set)
    from_table: Set[str] = field(default_factory=set)    # tasks read from a table's rows (their dates in a column)
    styled: Optional[bool] = None           # numbered headings set in heading styles (headings.styled_headings)
    marked: Dict[int, str] = field(default_factory=dict)
    picture_lines: Dict[int, Dict] = field(default_factory=dict)   # id of a picture's bytes -> its line

    def note(self, what: str, numbers, plain: bool = False, guessed: bool = False, rule: str = "") -> None:
        """Say in the summary what was recognised (or kept as plain text, or guessed) from paragraphs *numbers*."""
        numbers = [n for n in numbers if n]
        self.draft.notes.append(Note(what, list(numbers), plain, rule=rule or self.rule, guessed=guessed))

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
                 numbers=(), dated_text: bool = True) -> Dict:
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
            if duty.fields.get("later"):
                # 以下均需各乡镇配合落实: the units every later task takes on (the tables list them on each)
                task["later_tasks"] = {role: list(units) for role, units in duty.fields["later"].items()}
                for role, units in duty.fields["later"].items():
                    self.add_units(units)
                    self.declare_role(role)
                self.note(_("a rule for every later task (以下均需…) → later_tasks"), numbers, guessed=True)
            if duty.fields.get("unread"):
                self.note(_("duty wording not read as units and their part, printed as written: {words}").format(
                    words="；".join(duty.fields["unread"])), numbers, guessed=True)
            if duty.fields.get("as_written"):
                self.note(_("units joined by ， (or mixed separators) printed as written; the task still names each unit"),
                          numbers, plain=True)
            fmt = self.duty_format(duty.template, place)
            if fmt != "default":
                task["format"] = fmt
        elif self.duty_format("", "inline") != "default":
            task["format"] = self.duty_format("", "inline")
        if not dated_text:
            self.from_table.add(task["id"])
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
        return bool(self.tail_found.get("date") or self.imprint_data.get("date") or self.notice_signature.get("date"))

    def next_nonempty_back(self, k: int) -> Optional[SourcePara]:
        while k >= 0 and isinstance(self.items[k], SourcePara) and not self.items[k].clean:
            k -= 1
        return self.items[k] if k >= 0 and isinstance(self.items[k], SourcePara) else None

    def blank_between(self, a: int, para: SourcePara) -> int:
        return sum(1 for it in self.items[a + 1:para.number - 1] if isinstance(it, SourcePara) and not it.clean)

    def next_nonempty(self, i: int, stop: int) -> int:
        while i < stop and isinstance(self.items[i], SourcePara) and not self.items[i].clean:
            i += 1
        return i

    def save_images(self, paragraphs: List[SourcePara], prefix: str) -> List[Dict]:
        """Keep each picture of *paragraphs* as images/<prefix>-N.<ext>; the lines that stand where they stood.

        The name is never the .docx's own: the extension comes from the picture's bytes (:data:`PICTURE_KINDS`),
        and a picture of no kind listed there, or bigger than ``MAX_IMAGE_BYTES``, is not written: a 【待填写】
        line stands in its place (check reports it), and the summary says why."""
        lines: List[Dict] = []
        for p in paragraphs:
            for _name, blob in p.images:
                if id(blob) not in self.picture_lines:
                    self.picture_lines[id(blob)] = self._save_image(blob, prefix, p.number)
                lines.append(self.picture_lines[id(blob)])
        return lines

    def _save_image(self, blob: bytes, prefix: str, number: int) -> Dict:
        ext = picture_kind(blob)
        if len(blob) > MAX_IMAGE_BYTES:
            self.note(_("a picture of {size:,} bytes not imported: over the limit of {limit:,} bytes "
                        "(MAX_IMAGE_BYTES); a placeholder to fill in stands in its place").format(
                size=len(blob), limit=MAX_IMAGE_BYTES), [number], plain=True)
            return {"line": f"【待填写：此处原为图片（{len(blob):,}字节，超过{MAX_IMAGE_BYTES:,}字节的上限），未能导入，请从原文件复制】"}
        if ext is None:
            self.note(_("a picture not imported: it is none of {kinds}; a placeholder to fill in stands in its "
                        "place").format(kinds=", ".join(PICTURE_KINDS.values())), [number], plain=True)
            return {"line": "【待填写：此处原为图片（格式无法识别），未能导入，请从原文件复制】"}
        n = 1 + sum(1 for name in self.draft.images if name.startswith(f"images/{prefix}-"))
        name = f"images/{prefix}-{n}.{ext}"
        self.draft.images[name] = blob
        return {"line": f"〔图片：{name}〕"}

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
        for found in (self.tail_found, self.imprint_data,
                      self.notice_signature):
            if found.get("date"):
                try:
                    return parse_date(found["date"])
                except DeadlineError:
                    return None
        return None

    def text_deadline(self, task: Dict, numbers) -> None:
        """A task whose duty wording gives no 完成时限 and whose text states one where a deadline is stated (opening
        the text: 2024年10月底前实现…, or in parentheses of its own: （5月底前完成）): that is its deadline, marked
        {deadline} in the text, so it prints as written and shows in the tables.  A date in the middle of a
        sentence (力争在2020年10月底前完成) stays words."""
        if "deadline" in task or "milestones" in task or not task.get("text"):
            return
        found = list(dict.fromkeys(d for t in _strings(task["text"]) for d in stated_deadlines(strip_bold(t))))
        if len(found) != 1 or not (self.dated or _has_year(found[0])):
            return
        form = self.deadline_in_text(task, "deadline", found[0])
        if "{deadline}" in "".join(_strings(task["text"])):
            task["deadline"] = form
            self.note(_("完成时限 from the task's text ({deadline})").format(deadline=found[0]), numbers, guessed=True)
