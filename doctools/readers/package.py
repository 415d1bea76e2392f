"""Read a package folder (``inputs/<name>/``) into a resolved :class:`Package`.

A package is every ``*.yaml`` file in the folder.  Each file holds one or
more of the top-level keys below; how they are split is the user's choice
(``document.yaml``, ``units.yaml``, ``tasks.yaml`` … is the convention), but
each key may appear in one file only.

==============  ===========================================================
key             holds
==============  ===========================================================
document        title, office, 版头, 主送, 印发通知, 依据 and preamble, 署名,
                附注, contact lines, 版记
style           wording and house-style choices (duty formats, separators)
roles           parts units play beyond 牵头/配合/责任 (主抓单位 …)
units           the unit registry (责任单位)
tasks           tasks with their units and deadlines
schedule        the phases of the 进度安排
body            the nested sections of the plan
attachments     附件: title and content (text, sections or a table) of each
tables          how the 任务分工表, 进度安排 and 各单位任务清单 are laid out,
                and an edited 任务分工表.xlsx to read the tasks back from
catalog         the 政务公开事项标准目录 (see :mod:`doctools.readers.catalog`)
==============  ===========================================================

A package's own ``flows/`` folder adds processes or overrides standard ones
(:mod:`doctools.readers.flows`).

This module only reads: where the body prints a task or the schedule it
leaves a :class:`~doctools.model.TaskRef` or :class:`~doctools.model.ScheduleRef`,
and an edited task workbook is kept as edits.  The duty wording, the tables
and the charts are made by :func:`doctools.compose.compose`.
"""
from __future__ import annotations

import bisect
import dataclasses
import os
import re
from datetime import date
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..model.deadline import NoYearError, YearContext, official_date, parse_date, parse_deadline
from ..errors import Diagnostics, InputError, Pos, suggest
from ..errors import shown as printable
from ..i18n import N_, _
from ..model import (Attachment, Contact, Document, FlowchartRef, Imprint, Inline, Line, Notice, Package, Paragraph,
                     Phase, RedHeader, Role, Run, ScheduleRef, Section, Signature, Style, Task, TaskRef, Unit,
                     UnitGroups, UnitRef, plain)
from ..model import BUILTIN_ROLES, Milestone
from ..model import ScheduleSpec, TaskTableSpec
from ..model.numbering import MAX_LEVEL, ordinal_lead, section_label
from ..typeset import titles
from .lint import heading_stops, lint_text
from ..limits import MAX_TITLE_CHARS
from ..resources import DEFAULT_DUTY_FORMATS, DEFAULT_NOTICE
from ..model.unit_registry import resolve_units, unit_keys
from .schema import FLAG_WORDS, Fields, kind_of, text_items
from .yamlsrc import BAD_XML, EMPTY_FILE, LINK_OUTSIDE, Budget, Map, Seq, load_yaml, read_source

TOP_KEYS = ("document", "style", "roles", "units", "tasks", "schedule", "body", "attachments", "tables", "catalog")
TABLE_KINDS = ("tasks", "schedule", "gantt", "catalog")

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
DATE_PLACEHOLDER = re.compile(r"\{deadline(\d*)\}")        # in a task's text: its deadline, a milestone's

# ASCII white space touching a CJK or full-width character: a line break or
# folding space inside Chinese text, never meant as a space.  Two spaces or more on
# one line are typed (a blank to fill in a form: 北起        街) and stay.
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]"
_CJK_GAP = re.compile(rf"(?<={_WIDE})[ \t\r\n]+|[ \t\r\n]+(?={_WIDE})")


def join_lines(text: str) -> str:
    """One paragraph from YAML text: drop line breaks and the spaces that
    folding puts between Chinese characters; keep spaces between Latin words."""
    text = _CJK_GAP.sub(lambda m: m.group() if re.fullmatch(r" {2,}", m.group()) else "", text.strip())
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


DUTY_FIELDS = {"responsible", "lead", "support", "units", "deadline"}


@dataclasses.dataclass(frozen=True)
class Fix:
    """A safe correction of one input file: replace ``old`` at ``offset``."""

    path: Path
    offset: int
    old: str
    new: str


def read_package(folder: Path, diags: Optional[Diagnostics] = None, fixes: Optional[List[Fix]] = None) -> Package:
    """Read and resolve a package.  Problems go to *diags*; the package is
    returned even so, so that composing it can report its own (see
    :func:`doctools.commands.build.load_package`).  Without *diags*, raise InputError
    listing every problem."""
    own = diags is None
    diags = diags if diags is not None else Diagnostics()
    reader = PackageReader(folder, diags)
    package = reader.read()
    if fixes is not None:
        fixes.extend(reader.fixes)
    if own and diags.errors:
        raise InputError(diags.sorted())
    return package


class PackageReader:
    def __init__(self, folder: Path, diags: Diagnostics):
        self.folder = Path(folder)
        self.diags = diags
        self.units_by_key: Dict[str, Unit] = {}
        self.units: List[Unit] = []
        self.tasks: Dict[str, Task] = {}
        self.task_order: List[Task] = []
        self.style = Style(duty_formats=dict(DEFAULT_DUTY_FORMATS))
        self.phases: List[Phase] = []
        self.task_spec = TaskTableSpec(pos=Pos(str(folder)))
        self.schedule_spec = ScheduleSpec()
        self.unit_lists_docx = False
        self.tables_docx = False
        self.raw: Dict[str, Tuple[Path, str, List[int]]] = {}   # display name -> (path, text, line offsets when needed)
        self.fixes: List[Fix] = []
        self.spans: Dict[Pos, Tuple[int, int, str]] = {}         # scalar position -> (start, end) in its file, value
        self.attachment_refs: List[Tuple[Pos, object]] = []
        self.roles: List[Role] = []
        self.task_phase: Dict[str, Phase] = {}                   # task id -> the phase that lists it
        self.date: Optional[date] = None                         # the plan's date: the year of 4月底前
        self.last_number: Dict[int, int] = {}                    # level -> the number last given there (1. 2. …)
        self.continued: set = set()                              # levels whose numbers run on (style.numbering)
        self.budget = Budget()        # what the package's YAML files may hold together

    # ---- files --------------------------------------------------------------
    def display(self, path: Path) -> str:
        """*path* as the user names it: relative to the working folder, a link shown as the link (its name in
        the package), never as the file it points to."""
        cwd = Path.cwd().resolve()
        for absolute in (Path(os.path.abspath(path)), path.parent.resolve() / path.name):
            if absolute.is_relative_to(cwd):
                return str(absolute.relative_to(cwd))
        return str(path)

    def inside(self, path: Path) -> bool:
        """Whether *path*, links followed, stays inside the package folder."""
        try:
            return path.resolve().is_relative_to(self.folder.resolve())
        except (OSError, RuntimeError):      # a link loop
            return False

    def load_files(self) -> Dict[str, Tuple[object, Pos]]:
        self.unreadable = False
        if not self.folder.is_dir():
            self.diags.error(Pos(self.display(self.folder)), N_("not a package folder (no such directory)"))
            return {}
        if printable(self.folder.name) != self.folder.name:
            self.diags.error(Pos(self.display(self.folder)), N_("the folder's name has characters that are not text "
                                                                "(a name in another encoding than UTF-8, or control "
                                                                "characters); rename the folder"))
            return {}
        files = sorted(p for p in self.folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            self.diags.error(Pos(self.display(self.folder)), N_("no *.yaml files in this package folder"))
        found: Dict[str, Tuple[object, Pos]] = {}
        for path in files:
            shown = self.display(path)
            errors_before = len(self.diags.errors)
            try:
                if not self.inside(path):
                    raise OSError("outside the package")
                text = read_source(path)
                self.raw[shown] = (path, text, [])      # line offsets: found when a fix needs them
            except (OSError, UnicodeDecodeError):
                pass
            if not self.inside(path):
                self.diags.error(Pos(shown), LINK_OUTSIDE)
                self.unreadable = True
                continue
            data = load_yaml(path, shown, self.diags, self.spans, self.budget)
            if len(self.diags.errors) > errors_before:
                self.unreadable = True
            if data is None and not self.unreadable:
                self.diags.error(Pos(shown), EMPTY_FILE)
                self.unreadable = True
            if data is None:
                continue
            if not isinstance(data, Map):
                self.diags.error(getattr(data, "pos", Pos(shown)), N_("the file must be a mapping of top-level keys ({keys}), "
                                                                      "not {kind}"), keys=_(", ").join(TOP_KEYS), kind=kind_of(data))
                continue
            for key, value in data.items():
                if key not in TOP_KEYS:
                    self.diags.error(data.key_pos[key], N_("unknown top-level key '{key}'"), suggest(key, TOP_KEYS), key=key)
                    self.unreadable = True     # a misspelt 'body' is not also reported as a missing one
                elif key in found:
                    self.diags.error(data.key_pos[key], N_("top-level key '{key}' is already given in {place}"), key=key,
                                     place=found[key][1])
                else:
                    found[key] = (value, data.key_pos[key])
        return found

    # ---- whole package --------------------------------------------------------
    def read(self) -> Package:
        found = self.load_files()
        self.lost = frozenset(TOP_KEYS) - set(found) if self.unreadable else frozenset()
        get = lambda key: found.get(key, (None, Pos(self.display(self.folder))))
        self.read_roles(*get("roles"))
        self.read_style(*get("style"))
        self.read_units(*get("units"))
        if "document" not in found and found and not self.unreadable:
            self.diags.error(Pos(self.display(self.folder)), N_("the package has no 'document' key (title, office, date …)"))
        document = self.read_document(*get("document"))   # first: its date gives year-less deadlines their year
        self.date = document.date
        self.read_schedule(*get("schedule"))
        self.read_tasks(*get("tasks"))
        for phase in self.phases:
            for ref in phase.tasks:
                if ref.task_id not in self.tasks:
                    self.diags.error(ref.pos, N_("phase {number} lists task '{task}', but there is no task with that id"),
                                     suggest(ref.task_id, self.tasks), number=phase.number, task=ref.task_id)
        self.read_table_specs(*get("tables"))
        task_edits = None
        if self.task_spec.source:
            from .tables import header_fields
            from .xlsx_tasks import read_task_workbook
            path = self.folder / self.task_spec.source
            task_edits = read_task_workbook(path, self.folder, self.display(path), get("tables")[1], self.diags,
                                            list(self.units_by_key), YearContext(self.date) if self.date else None,
                                            header_fields(self.task_spec))
        from .flows import STANDARD_FLOWS, read_flows
        self.flows = read_flows([STANDARD_FLOWS, self.folder / "flows"], self.diags, self.display, self.budget)
        self.catalog = None
        if get("catalog")[0] is not None:
            from .catalog import read_catalog
            self.catalog = read_catalog(self, *get("catalog"))
        self.last_number = {}
        document.sections = self.read_sections(get("body")[0], get("body")[1], level=1, what=_("body"))
        document.attachments = self.read_attachments(*get("attachments"))
        # a plan with no numbered sections says so with body: [] (a short 通知 of paragraphs, a notice whose content
        # is its task table, a catalog and its flowcharts); its tasks and phases are then printed in its 附件 only
        unnumbered = get("body")[0] == [] and (bool(document.attachments or self.catalog) or not (
            self.task_order or self.phases) and bool(document.preamble or document.notice))
        if found and not self.unreadable and get("body")[0] in (None, []) and not unnumbered:
            where = get("body")[1] if "body" in found else Pos(self.display(self.folder))
            self.diags.error(where, N_("the plan has no body: the 'body' key is missing or lists no sections"),
                             N_("an emptied body.yaml? restore it; a plan without numbered sections writes "
                                "'body: []' and has attachments (e.g. its task table) or a catalog"))
        self.check_attachment_refs(document)
        from .dates import warn_dates_before
        warn_dates_before(document.date, document.sections, self.task_order, self.phases, self.diags)
        return Package(name=self.folder.resolve().name, document=document, units=self.units, tasks=self.task_order,
                       phases=self.phases, style=self.style, roles=self.roles, task_spec=self.task_spec, schedule_spec=self.schedule_spec,
                       task_edits=task_edits, unit_lists_docx=self.unit_lists_docx, tables_docx=self.tables_docx,
                       catalog=self.catalog, flows=self.flows, lost=self.lost)

    # ---- tables ---------------------------------------------------------------------
    def read_table_specs(self, data, pos: Pos) -> None:
        from .tables import read_table_specs
        read_table_specs(self, data, pos)

    def choice(self, f: Fields, key: str, allowed, default: str) -> str:
        value = f.text(key, default=default)
        if value not in allowed:
            self.diags.error(f.at(key), N_("field '{key}' of {what} must be one of {allowed}, not '{value}'"),
                             suggest(value, allowed), key=key, what=f.what, allowed=_(", ").join(allowed), value=value)
            return default
        return value

    # ---- text -------------------------------------------------------------------
    def clean(self, text: str, pos: Pos, before: str = "") -> str:
        """Text as it goes into the model: no characters XML cannot hold, and
        linted (warnings, with safe fixes remembered for ``check --fix``).
        *before* is what precedes *text* in the scalar at *pos*, if it is a part of one."""
        bad = BAD_XML.search(text)
        if bad:
            where = self.locate(pos, text, bad.start(), bad.group(), before) or (pos, None)
            self.diags.error(where[0], N_("character U+{code} (a control character, character {index} of the "
                                          "text) cannot appear in a document; delete it"),
                             code=f"{ord(bad.group()):04X}", index=bad.start() + 1)
            text = BAD_XML.sub("", text)
        for finding in lint_text(text):
            at, offset = self.locate(pos, text, finding.index, finding.text, before) or (pos, None)
            hint = None
            if finding.replacement is not None:
                hint = (_("write '{text}'; doctools check --fix does it") if offset is not None
                        else _("write '{text}'")).format(text=finding.replacement)
            self.diags.warning(at, finding.message, hint)
            if finding.replacement is not None and offset is not None:
                self.fixes.append(Fix(self.raw[pos.file][0], offset, finding.text, finding.replacement))
        for m in re.finditer(r"附件(\d+)", text):
            self.attachment_refs.append((pos, int(m.group(1))))
        for m in re.finditer(r"《([^》]+)》附后", text):
            self.attachment_refs.append((pos, m.group(1)))
        return text

    def locate(self, pos: Pos, text: str, index: int, found: str, before: str = ""):
        """(Pos, absolute offset) of *found* at *index* of a text read from the scalar at *pos*, or None.

        *text* may be part of the scalar's value, with *before* the part of the
        value in front of it.  The search stays inside the characters the YAML
        parser says the scalar spans, so it can never land on a separator, a
        comment or another value; and it is trusted only when the scalar's
        source holds *found* exactly as often as its value (no escapes or
        folding in the way), so the k-th in the value is the k-th in the source."""
        raw, span = self.raw.get(pos.file), self.spans.get(pos)
        if raw is None or span is None:
            return None
        _kind, source, starts = raw
        start, end, value = span
        if source[start:start + 1] in ("|", ">"):      # a block scalar: its text starts after the header line
            start = source.find("\n", start, end) + 1 or end
        squash = lambda t: "".join(t.split())
        if squash(before + text) not in squash(value) or source[start:end].count(found) != value.count(found):
            return None
        nth = before.count(found) + text[:index].count(found)
        offset = start - len(found)
        for _n in range(nth + 1):
            offset = source.find(found, offset + len(found), end)
            if offset < 0:
                return None
        if not starts:
            starts += [0] + [m.end() for m in re.finditer("\n", source)]
        line = bisect.bisect_right(starts, offset) - 1
        return Pos(pos.file, line + 1, offset - starts[line] + 1), offset

    def inline(self, text: str, pos: Pos, before: str = "") -> Inline:
        """Text with **bold** phrases into runs; line breaks inside a paragraph are dropped."""
        text = self.clean(join_lines(str(text)), pos, before)
        runs: Inline = []
        last = 0
        for match in _BOLD.finditer(text):
            if match.start() > last:
                runs.append(Run(text[last:match.start()]))
            runs.append(Run(match.group(1), bold=True))
            last = match.end()
        if last < len(text):
            runs.append(Run(text[last:]))
        return runs

    def paragraphs(self, value, pos: Pos, what: str) -> List[Inline]:
        """A text (paragraphs separated by blank lines) or a list of texts."""
        if value is None:
            return []
        if isinstance(value, Seq):
            return [self.inline(item, pos) for item, pos in text_items(value, lambda i: _("paragraph {n} of {what}").format(n=i + 1, what=what), self.diags)]
        if isinstance(value, Map):
            self.diags.error(pos, N_("{what} must be text or a list of paragraphs, not a mapping"), what=what)
            return []
        value = str(value)
        return [self.inline(m.group(), pos, value[:m.start()]) for m in re.finditer(r"(?:(?!\n\s*\n).)+", value, re.S)
                if m.group().strip()]

    # ---- style --------------------------------------------------------------
    def read_style(self, data, pos: Pos) -> None:
        if data is None:
            return
        f = Fields(data, pos, _("style"), self.diags)
        self.style.range_sep = f.text("range_sep", default=self.style.range_sep)
        self.style.unit_sep = f.text("unit_sep", default=self.style.unit_sep)
        self.style.unit_group_sep = f.text("unit_group_sep", default=self.style.unit_group_sep)
        self.style.duplex = f.flag("duplex", self.style.duplex)
        self.style.bold_runin = f.flag("bold_runin", self.style.bold_runin)
        self.style.deadlines = self.choice(f, "deadlines", ("written", "canonical"), self.style.deadlines)
        self.style.fonts = self.choice(f, "fonts", ("official", "windows"), self.style.fonts)
        if f.has("numbering"):
            self.continued = self.numbering_levels(f.raw("numbering"), f.at("numbering"))
        formats = f.raw("duty_formats")
        if formats is not None:
            if not isinstance(formats, Map):
                self.diags.error(f.at("duty_formats"), N_("'duty_formats' must map format names to wordings, not {kind}"),
                                 kind=kind_of(formats))
            else:
                for name, spec in formats.items():
                    where = formats.at(name)
                    if isinstance(spec, Map):
                        g = Fields(spec, where, _("duty format '{name}'").format(name=name), self.diags)
                        lines = g.raw("template")
                        if isinstance(lines, Seq):    # a duty block of several lines, each a paragraph of its own
                            template = "\n".join(str(t).strip() for t, _pos in text_items(
                                lines, lambda i: _("line {number} of duty format '{name}'").format(number=i + 1, name=name),
                                self.diags))
                        else:
                            template = g.text("template", required=True) or ""
                        place = g.text("place", default="inline")
                        g.done()
                    elif isinstance(spec, Seq):
                        template, place = "\n".join(str(t).strip() for t in spec if t is not None), "line"
                    else:
                        template, place = (str(spec) if spec is not None else ""), "inline"
                    if place not in ("inline", "line", "before"):
                        self.diags.error(where, N_("duty format '{name}': place must be 'inline', 'line' or 'before', not '{place}'"),
                                         name=name, place=place)
                    fields = DUTY_FIELDS | {role.id for role in self.roles}
                    for field_name in _PLACEHOLDER.findall(template):
                        if field_name not in fields:
                            self.diags.error(where, N_("duty format '{name}' uses unknown placeholder '{{{field}}}'"),
                                             suggest(field_name, sorted(fields)), name=name, field=field_name)
                    self.style.duty_formats[str(name)] = (template, place)
        f.done()

    def numbering_levels(self, value, pos: Pos) -> set:
        """``numbering: continue`` (every level below 一、 runs on through the plan) or ``numbering: {continue:
        [（一）, 1.]}`` (those levels only; a level is named by its number's form or by its depth 2–4)."""
        if not isinstance(value, Map):
            if str(value).strip() == "continue":
                return set(range(2, MAX_LEVEL + 1))
            if str(value).strip() == "restart":
                return set()
            self.diags.error(pos, N_("style.numbering must be 'continue', 'restart' or a mapping with 'continue: "
                                     "[levels]', not {value}"), value=kind_of(value))
            return set()
        g = Fields(value, pos, "style.numbering", self.diags)
        shape = lambda label: label.replace("(", "（").replace(")", "）")     # a level by its first number: 9. is none
        forms = {shape(section_label(level, 1)): level for level in range(2, MAX_LEVEL + 1)}
        levels = set()
        listed = g.raw("continue")
        for i, name in enumerate(g.texts("continue", required=True)):
            form = shape(name)
            level = int(name) if name.isdigit() else forms.get(form)
            if level is None or not 2 <= level <= MAX_LEVEL:
                self.diags.error(listed.at(i) if isinstance(listed, Seq) else g.at("continue"), N_("style.numbering: '{level}' is not a level whose numbers can run "
                                                      "on; name it as （一）, 1. or （1）, or by its depth 2 to {deepest}"),
                                 level=name, deepest=MAX_LEVEL)
            else:
                levels.add(level)
        g.done()
        return levels

    def next_number(self, level: int, runs_on: bool) -> int:
        """The number of the next section or list item at *level*: 1 unless its numbers run on."""
        number = (self.last_number.get(level, 0) if runs_on or level in self.continued else 0) + 1
        self.last_number[level] = number
        return number

    # ---- roles --------------------------------------------------------------
    def read_roles(self, data, pos: Pos) -> None:
        """``roles: [{id: chief, label: 主抓单位, short: 主抓}]``: each id becomes a task field naming units and a
        placeholder of the duty formats; the list's order is the order of the parts."""
        if data is None:
            return
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("'roles' must be a list of roles, not {value}"), value=kind_of(data))
            return
        taken = set(BUILTIN_ROLES) | {"id", "title", "text", "deadline", "format", "group", "note", "units",
                                      "milestones", "duty", "later_tasks"}
        for i, item in enumerate(data):
            f = Fields(item, data.at(i), _("role {number}").format(number=i + 1), self.diags)
            if not f.ok:
                continue
            role_id, label = f.text("id", required=True), f.text("label", required=True)
            short = f.text("short", default=(label or "")[:-2] if (label or "").endswith("单位") else label)
            f.done()
            if not role_id or not label:
                continue
            first = next((r for r in self.roles if r.id == role_id), None)
            if first is not None:
                self.diags.error(f.at("id"), N_("role id '{role}' is declared twice (first at line {line})"),
                                 role=role_id, line=first.pos.line)
                continue
            if not re.fullmatch(r"[A-Za-z_]\w*", role_id) or role_id in taken:
                self.diags.error(f.at("id"), N_("role id '{role}' cannot be used: it must be a name of Latin letters, "
                                                "digits and _ that no task field has ({taken})"),
                                 role=role_id, taken=", ".join(sorted(taken)))
                continue
            taken.add(role_id)
            self.roles.append(Role(role_id, label, short or label, data.at(i)))

    # ---- units --------------------------------------------------------------
    def read_units(self, data, pos: Pos) -> None:
        if data is None:
            return
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("'units' must be a list of units, not {kind}"), kind=kind_of(data))
            return
        for i, item in enumerate(data):
            where = data.at(i)
            if isinstance(item, Map):
                f = Fields(item, where, _("a unit"), self.diags)
                name = f.text("name", required=True)
                unit = Unit(id=f.text("id", default=name) or "", name=name or "", short=f.text("short"),
                            aliases=f.texts("aliases"), pos=where)
                f.done()
            elif item is None or isinstance(item, Seq):
                self.diags.error(where, N_("a unit must be a name or a mapping with 'name', not {kind}"),
                                 kind=kind_of(item))
                continue
            else:
                unit = Unit(id=str(item).strip(), name=str(item).strip(), pos=where)
            if not unit.name:
                continue
            for key in unit_keys(unit):
                other = self.units_by_key.get(key)
                if other is not None and other is not unit:
                    self.diags.error(where, N_("unit name or id '{key}' is already used by the unit at line {line}"),
                                     key=key, line=other.pos.line)
                else:
                    self.units_by_key[key] = unit
            self.units.append(unit)

    def resolve_units(self, names: List[str], pos: Pos, what: str) -> List[Unit]:
        if "units" in self.lost:      # the registry's file could not be read: that error says it all
            return []
        return resolve_units(names, self.units_by_key, self.units, pos, what, self.diags)

    def task_units(self, f: Fields, key: str, what: str) -> Tuple[List[Unit], Optional[UnitGroups]]:
        """The units a task names for one role, and how they are written where that is more than their registry
        names joined by ``unit_sep``: ``{unit: 区市场监管局, as: 市场监管局}`` prints the unit as 市场监管局, and a
        list inside the list is a group (groups joined by ``unit_group_sep``, "，"); ``duty: 负责法制审查`` is the
        unit's part in words of its own, printed after its name."""
        value = f.raw(key)
        if not isinstance(value, Seq):     # one name (or nothing, or a mapping: reported)
            return self.resolve_units(f.texts(key), f.at(key), what), None
        items = [(item, value.at(i)) for i, item in enumerate(value)]
        groups: UnitGroups = []
        grouped = any(isinstance(item, Seq) for item, _ in items)
        first_at: Dict[str, Pos] = {}
        for item, pos in items:
            subs = [(sub, item.at(j)) for j, sub in enumerate(item)] if isinstance(item, Seq) else [(item, pos)]
            refs = []
            for sub, at in subs:
                for ref in self.unit_ref(sub, at, key, what, isinstance(item, Seq), f.at(key)):
                    if ref.unit.name in first_at:
                        first = first_at[ref.unit.name]
                        self.diags.error(at, N_("{what}: unit '{unit}' is named twice in '{field}' (first at line {line}, "
                                                "column {col}); name it once"), what=what, unit=ref.unit.name, field=key,
                                         line=first.line, col=first.col)
                        continue
                    first_at[ref.unit.name] = at
                    refs.append(ref)
            if refs:
                groups.append(refs)
        if not grouped:
            groups = [[ref for group in groups for ref in group]] if groups else []
        units = [ref.unit for group in groups for ref in group]
        as_written = grouped or any(ref.written or ref.duty for group in groups for ref in group)
        return units, (groups if as_written else None)

    def unit_ref(self, item, pos: Pos, key: str, what: str, in_group: bool, f_pos: Pos) -> List[UnitRef]:
        """One unit of a task's list: a name, or ``{unit: name, as: printed form}``.  An unknown name is
        reported at the list (*f_pos*), as before lists could hold more than names."""
        if isinstance(item, Map):
            g = Fields(item, pos, _("a unit of '{field}' in {what}").format(field=key, what=what), self.diags)
            name = g.text("unit", required=True)
            written, duty = g.name("as"), g.text("duty")
            g.done()
            units = self.resolve_units([name], g.at("unit"), what) if name else []
            return [UnitRef(u, self.clean(written, g.at("as")) if written else None,
                            self.clean(duty, g.at("duty")) if duty else None) for u in units]
        if item is None or isinstance(item, Seq):
            self.diags.error(pos, N_("{what}: an item of '{field}' must be a unit name, a mapping with 'unit' (and 'as', "
                                     "the name printed, or 'duty'), or a list of them (a group), not {value}")
                             if not in_group else N_("{what}: a group in '{field}' lists units; it cannot hold {value}"),
                             what=what, field=key, value=kind_of(item))
            return []
        return [UnitRef(u) for u in self.resolve_units([str(item).strip()], f_pos, what)]

    # ---- deadlines --------------------------------------------------------------
    def deadline(self, f: Fields, key: str, what: str, required: bool = False, phase: Optional[Phase] = None):
        """A deadline field; one written without its year (4月底前, 年底前) takes it from *phase*, else the plan's date."""
        context = None
        if phase is not None and phase.period is not None and phase.period.start:
            context = YearContext(phase.period.start, phase.period.end)
        elif self.date is not None:
            context = YearContext(self.date)
        yearless: List[str] = []

        def parse(text: str):
            try:
                return parse_deadline(text, context)
            except NoYearError:
                yearless.append(text)
                return None

        value = f.parsed(key, parse, required)
        if yearless:
            self.diags.error(f.at(key), N_("{what}: the deadline '{deadline}' has no year, and there is no date to take it "
                                           "from"), _("write the year, e.g. {example}, or give the document a 'date'").format(
                                 example="2020" + yearless[0] if yearless[0].startswith("年") else "2020年" + yearless[0]), what=what, deadline=yearless[0])
        elif value is not None and value.ambiguous:
            where = (_("the phase '{phase}'").format(phase=phase.title) if phase is not None
                     else _("the plan's date {date}").format(date=official_date(self.date)))
            self.diags.warning(f.at(key), N_("{what}: the deadline '{deadline}' has no year, and more than one year could "
                                             "be meant; it is read as {reading}, from {where}"),
                               N_("write the year if another one is meant"), what=what, deadline=value.written,
                               reading=value.official(), where=where)
        return value

    # ---- tasks ----------------------------------------------------------------
    def read_tasks(self, data, pos: Pos) -> None:
        if data is None:
            return
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("'tasks' must be a list of tasks, not {kind}"), kind=kind_of(data))
            return
        for i, item in enumerate(data):
            where = data.at(i)
            f = Fields(item, where, _("task {n}").format(n=i + 1), self.diags)
            if not f.ok:
                continue
            task_id = f.text("id", default=str(i + 1))
            what = _("task '{task}'").format(task=task_id)
            f.what = what
            paragraphs = self.paragraphs(f.raw("text"), f.at("text"), _("the text of {what}").format(what=what))
            title = f.text("title")
            if not paragraphs and not title:
                self.diags.error(where, N_("{what} needs a 'text' or a 'title'"), what=what)
            task = Task(id=task_id, title=self.clean(title, f.at("title")) if title else None, paragraphs=paragraphs,
                        deadline=self.deadline(f, "deadline", what, phase=self.task_phase.get(task_id)),
                        duty_format=f.text("format", default="default"), group=f.text("group"),
                        note=f.text("note"), pos=where)
            for role in ("lead", "support", "responsible") + tuple(r.id for r in self.roles):
                units, groups = self.task_units(f, role, what)
                if role in BUILTIN_ROLES:
                    setattr(task, role, units)
                elif units:
                    task.roles[role] = units
                if groups is not None:
                    task.written[role] = groups
            self.read_milestones(f, task, what)
            if f.has("later_tasks"):
                task.later = self.later_units(f.raw("later_tasks"), f.at("later_tasks"), what)
            if task.duty_format not in self.style.duty_formats and "style" not in self.lost:
                self.diags.error(f.at("format"), N_("{what} names duty format '{name}', which is not defined"),
                                 suggest(task.duty_format, self.style.duty_formats), what=what, name=task.duty_format)
            if task_id in self.tasks:
                self.diags.error(where, N_("task id '{task}' is used twice (first at line {line})"), task=task_id,
                                 line=self.tasks[task_id].pos.line)
            else:
                self.tasks[task_id] = task
                self.task_order.append(task)
            f.done()

    def read_milestones(self, f: Fields, task: Task, what: str) -> None:
        """``milestones: [{deadline: 2023年底前, text: 完成梳理}, …]``: a task's dated targets.  Without a
        ``deadline`` of its own the task is due by the last of them.  The task's text may print a target's
        deadline where it belongs with ``{deadline1}``, ``{deadline2}`` … (``{deadline}``: the task's own)."""
        given = f.items("milestones")
        for n, (item, pos) in enumerate(given, start=1):
            g = Fields(item, pos, _("milestone {number} of {what}").format(number=n, what=what), self.diags)
            if not g.ok:
                continue
            deadline = self.deadline(g, "deadline", g.what, required=True, phase=self.task_phase.get(task.id))
            text = g.text("text", default="")
            g.done()
            if deadline is not None:
                task.milestones.append(Milestone(deadline, self.clean(text, g.at("text")) if text else "", g.at("deadline")))
        if task.milestones and task.deadline is None and not f.has("deadline"):
            task.deadline = max((m.deadline for m in task.milestones), key=lambda d: d.sort_key)
        for paragraph in task.paragraphs:
            for m in DATE_PLACEHOLDER.finditer(plain(paragraph)):
                n = int(m.group(1) or 0)
                missing = not f.has("deadline") and not given if n == 0 else n > len(given)
                if missing:
                    self.diags.error(f.at("text"), N_("{what}: its text prints {placeholder}, but the task has no "
                                                      "{which}"), what=what, placeholder=m.group(),
                                     which=_("deadline") if n == 0 else _("milestone {number}").format(number=n))

    def later_units(self, data, pos: Pos, what: str) -> Dict[str, List[Unit]]:
        """``later_tasks: {responsible: [各区市政府, 开发区管委]}``: a rule the task states for every task after it
        ("以下任务均需各区市政府、开发区管委落实，不再一一列出"), the units each role takes on in those tasks' tables
        (:mod:`doctools.compose.standing`)."""
        g = Fields(data, pos, _("'later_tasks' of {what}").format(what=what), self.diags)
        if not g.ok:
            return {}
        errors = len(self.diags.errors)
        later: Dict[str, List[Unit]] = {}
        for role in BUILTIN_ROLES + tuple(r.id for r in self.roles):
            units, _groups = self.task_units(g, role, what)
            if units:
                later[role] = units
        g.done()
        if not later and len(self.diags.errors) == errors:
            self.diags.error(pos, N_("'later_tasks' of {what} names no units; name them by their part in the later "
                                     "tasks, e.g. responsible: [各区市政府]"), what=what)
        return later

    def task_ref(self, ref, pos: Pos, number: Optional[int] = None) -> TaskRef:
        """A reference to a task; :mod:`doctools.compose.body` resolves it (after an edited workbook is applied)."""
        return TaskRef(str(ref).strip() if ref is not None else "None", pos, number)

    # ---- schedule -----------------------------------------------------------------
    def read_schedule(self, data, pos: Pos) -> None:
        if data is None:
            return
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("'schedule' must be a list of phases, not {kind}"), kind=kind_of(data))
            return
        for i, item in enumerate(data):
            where = data.at(i)
            f = Fields(item, where, _("phase {n}").format(n=i + 1), self.diags)
            if not f.ok:
                continue
            phase_id = f.text("id", default=str(i + 1))
            period = self.deadline(f, "period", _("phase {n}").format(n=i + 1), required=True)
            phase = Phase(id=phase_id, title=f.text("title", required=True) or "", period=period,
                          paragraphs=self.paragraphs(f.raw("text"), f.at("text"), _("phase {n}").format(n=i + 1)), pos=where,
                          number=i + 1, period_pos=f.at("period"))
            listed = f.raw("tasks")
            for j, task_id in enumerate(f.texts("tasks")):
                at = listed.at(j) if isinstance(listed, Seq) else f.at("tasks")
                if task_id in self.task_phase:
                    self.diags.error(at, N_("phase {number} lists task '{task}', which phase {other} lists already; a "
                                            "task belongs to one phase"), task=task_id, number=i + 1,
                                     other=self.task_phase[task_id].number)
                    continue
                self.task_phase[task_id] = phase
                phase.tasks.append(self.task_ref(task_id, at, number=j + 1))
            f.done()
            self.phases.append(phase)

    def check_attachment_refs(self, document: Document) -> None:
        titles = {a.title for a in document.attachments} | {a.listed_as for a in document.attachments if a.listed_as}
        for pos, ref in self.attachment_refs:
            if isinstance(ref, int) and ref > len(document.attachments):
                if document.attachments:
                    self.diags.error(pos, N_("the text names 附件{ref}, but the document has {count} attachment(s)"), ref=ref,
                                     count=len(document.attachments))
                else:
                    self.diags.error(pos, N_("the text names 附件{ref}, but the document has no attachment(s)"), ref=ref)
            elif isinstance(ref, str) and ref not in titles:
                self.diags.error(pos, N_("the text says 《{ref}》附后, but no attachment has that title"),
                                 suggest(ref, sorted(titles)), ref=ref)

    # ---- body ---------------------------------------------------------------------
    def read_blocks(self, value, pos: Pos, what: str, level: int = 0, runs_on: bool = False) -> list:
        """The content of a section: a text, or a list of blocks.  A numbered list in it counts at *level*
        (below the section's own); with *runs_on* it goes on from the numbers before."""
        if value is None:
            return []
        if not isinstance(value, Seq):
            return [Paragraph(p) for p in self.paragraphs(value, pos, what)]
        blocks = []
        for i, item in enumerate(value):
            where = value.at(i)
            if isinstance(item, Map):
                blocks.extend(self.read_block(item, where, _("block {n} of {what}").format(n=i + 1, what=what), level,
                                              runs_on))
            elif item is None or isinstance(item, Seq):
                self.diags.error(where, N_("block {n} of {what} must be text or a mapping, not {kind}"), n=i + 1,
                                 what=what, kind=kind_of(item))
            else:
                blocks.append(Paragraph(self.inline(item, where)))
        return blocks

    def read_block(self, item: Map, where: Pos, what: str, level: int = 0, runs_on: bool = False) -> list:
        f = Fields(item, where, what, self.diags)
        out: list = []
        if f.has("task"):
            out.append(self.task_ref(f.text("task"), f.at("task")))
        elif f.has("items"):
            out.append(self.lead_in(f, what))
        elif f.has("dash"):
            out.extend(self.dash_items(f, what))
        elif f.has("list"):
            # numbered paragraphs "1.…" "2.…": a list inside running text, not headings
            for k, (item, pos) in enumerate(f.items("list")):
                n = self.next_number(level, runs_on or k > 0) if level else k + 1
                if isinstance(item, Map) and "task" in item:
                    g = Fields(item, pos, _("item {n} of the list in {what}").format(n=n, what=what), self.diags)
                    out.append(self.task_ref(g.text("task"), g.at("task"), number=n))
                    g.done()
                    continue
                if item is None or isinstance(item, (Map, Seq)):
                    self.diags.error(pos, N_("item {n} of the list in {what} must be text or a mapping with 'task'"),
                                     n=n, what=what)
                    continue
                out.append(Paragraph([Run(f"{n}.")] + self.inline(item, pos)))
        elif f.has("line"):
            out.append(Line(self.inline(f.text("line"), f.at("line"))))
        elif f.has("table"):                      # a table inside the text: columns, rows, merge as an attachment's
            out.append(self.body_table(f.raw("table"), f.at("table"), what))
        elif f.has("flowchart"):                  # a flow of flows/ as a figure
            from .flows import flow_ids
            name = f.text("flowchart", required=True)     # empty, or a list: said so, and no flow is looked up
            if name is not None:
                out += [FlowchartRef(i, f.at("flowchart")) for i in flow_ids(self, [(name, f.at("flowchart"))])]
        else:
            self.diags.error(where, N_("{what}: a block is a text, or a mapping with 'task', 'items', 'dash', 'list', "
                                       "'line', 'table' or 'flowchart'"), what=what)
        f.done()
        return out

    def body_table(self, data, pos: Pos, what: str):
        """``table: {columns: […], rows: [[…]], merge: [A2:A3]}`` in a section's text: a fixed table printed where it
        stands, read as an attachment's table is."""
        import types

        from .tables import read_form
        g = Fields(data, pos, _("the table in {what}").format(what=what), self.diags)
        table = read_form(self, g, types.SimpleNamespace(number=0, title=""))
        g.done()
        return table

    def lead_in(self, f: Fields, what: str) -> Paragraph:
        """一是…。二是…。 — one paragraph of numbered items, leads in bold; an ``intro`` sentence may open it."""
        bold = f.flag("bold", True)
        runs: Inline = self.inline(f.text("intro"), f.at("intro")) if f.has("intro") else []
        for index, (item, pos) in enumerate(f.items("items"), start=1):
            runs.extend(self.item_runs(item, pos, ordinal_lead(index), bold, index, what))
        return Paragraph(runs)

    def item_runs(self, item, pos: Pos, marker: str, bold: bool, index: int, what: str) -> Inline:
        """Item *index* of a lead-in or dash list in *what*: *marker*, its lead sentence (if any) and its text."""
        if isinstance(item, Map):
            g = Fields(item, pos, _("item {n} of {what}").format(n=index, what=what), self.diags)
            lead = g.text("lead")
            text = self.inline(g.text("text", default="") or "", g.at("text"))
            g.done()
            if lead:
                lead = self.clean(lead, g.at("lead"))
                end = "" if lead[-1] in "。！？：；" else "。"
                return [Run(marker + lead + end, bold=bold)] + text
            return [Run(marker)] + text
        if item is None or isinstance(item, Seq):
            self.diags.error(pos, N_("item {n} of {what} must be text or a mapping with 'lead' and 'text'"),
                             n=index, what=what)
            return []
        return [Run(marker)] + self.inline(item, pos)

    def dash_items(self, f: Fields, what: str) -> list:
        """——编制一个…目录。全面梳理…… — each item a paragraph of its own after a dash; an item may be a task,
        whose title leads it and whose duty wording follows."""
        bold = f.flag("bold", False)
        out: list = []
        for index, (item, pos) in enumerate(f.items("dash"), start=1):
            if isinstance(item, Map) and "task" in item:
                g = Fields(item, pos, _("item {n} of {what}").format(n=index, what=what), self.diags)
                ref = self.task_ref(g.text("task"), g.at("task"))
                ref.marker = "——"
                out.append(ref)
                g.done()
            else:
                runs = self.item_runs(item, pos, "——", bold, index, what)
                if runs:
                    out.append(Paragraph(runs))
        return out

    def read_sections(self, data, pos: Pos, level: int, what: str, runin: bool = False,
                      runs_on: bool = False) -> List[Section]:
        """The sections of a list at *level*; *runs_on*: their numbers go on from the last one at that level."""
        if data is None:
            return []
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("{what} must be a list of sections, not {kind}"), what=what, kind=kind_of(data))
            return []
        sections = []
        for i, item in enumerate(data):
            where = data.at(i)
            number = self.next_number(level, runs_on or i > 0)
            section = self.read_section(item, where, level, number, runin)
            if section is not None:
                sections.append(section)
        headed = [s for s in sections if not s.runin]
        for i in heading_stops([plain(s.title) for s in headed]):
            odd = headed[i]
            message = (N_("heading '{heading}' ends with a full stop, unlike its sibling headings")
                       if plain(odd.title).endswith("。") else
                       N_("heading '{heading}' does not end with a full stop, unlike its sibling headings"))
            self.diags.warning(odd.pos, message, heading=odd.label + plain(odd.title))
        return sections

    def read_section(self, item, where: Pos, level: int, index: int, runin_default: bool) -> Optional[Section]:
        what = _("section {label}").format(label=section_label(level, index) if level <= MAX_LEVEL else index)
        f = Fields(item, where, what, self.diags)
        if not f.ok:
            return None
        if level > MAX_LEVEL:
            self.diags.error(where, N_("sections nest {levels} levels deep at most (一、（一）1.（1）)"),
                             levels=MAX_LEVEL)
            return None
        names_task = f.has("task")
        ref = self.task_ref(f.text("task"), f.at("task")) if names_task else None
        task = self.tasks.get(ref.task_id) if ref else None
        title_text = f.text("title", required=not names_task) or (task.title if task else None) or ""
        if task is not None and not title_text:
            self.diags.error(f.at("task"), N_("{what}: task '{task}' has no title to use as the section title"),
                             what=what, task=task.id)
        title = self.inline(title_text, f.at("title"))
        # numbered: false — a heading the plan prints without a number (总体要求)
        section = Section(title=title, level=level, label=section_label(level, index) if f.flag("numbered", True) else "",
                          runin=f.flag("runin", runin_default), task_ref=ref, pos=where)
        numbering = f.text("numbering")
        if numbering not in (None, "continue", "restart"):
            self.diags.error(f.at("numbering"), N_("{what}: numbering must be 'continue' (its subsections and lists go "
                                                   "on from the numbers before) or 'restart', not '{value}'"),
                             suggest(numbering, ("continue", "restart")), what=what, value=numbering)
        runs_on = numbering == "continue"
        if numbering == "restart":
            self.last_number[level + 1] = 0
        section.blocks.extend(self.read_blocks(f.raw("text"), f.at("text"), what, level + 1, runs_on))
        children_runin = f.flag("runin_children", False)
        schedule = f.text("schedule")
        if schedule is not None and schedule.lower() not in ("false", "no", "否", "0"):
            wording = "lead" if schedule == "lead" else "title"
            if schedule.lower() not in ("true", "yes", "是", "1", "title", "lead"):
                self.diags.error(f.at("schedule"), N_("{what}: schedule must be true (period after the title) or "
                                                      "'lead' (period leads the text), not '{value}'"),
                                 what=what, value=schedule)
            if not self.phases and "schedule" not in self.lost:
                self.diags.error(f.at("schedule"), N_("{what} shows the schedule, but the package has no 'schedule' phases"),
                                 what=what)
            section.blocks.append(ScheduleRef(wording, f.flag("title_period", wording == "title"), f.at("schedule")))
        section.children.extend(self.read_sections(f.raw("sections"), f.at("sections"), level + 1,
                                                   _("the sections of {what}").format(what=what), children_runin,
                                                   runs_on))
        f.done()
        return section

    # ---- attachments ------------------------------------------------------------------
    def read_attachments(self, data, pos: Pos) -> List[Attachment]:
        if data is None:
            return []
        if not isinstance(data, Seq):
            self.diags.error(pos, N_("'attachments' must be a list, not {kind}"), kind=kind_of(data))
            return []
        out = []
        for i, item in enumerate(data):
            where = data.at(i)
            f = Fields(item, where, _("attachment {n}").format(n=i + 1), self.diags)
            if not f.ok:
                continue
            raw = self.clean(f.text("title", required=True) or "", f.at("title"))
            lines = [line.strip() for line in raw.splitlines() if line.strip()]
            attachment = Attachment(number=i + 1, title="".join(lines), title_lines=lines, pos=where)
            self.last_number = {}                         # an attachment numbers from 1 again
            attachment.blocks = self.read_blocks(f.raw("content"), f.at("content"), _("attachment {n}").format(n=i + 1))
            start = f.text("start_level", default="1")
            level = int(start) if start.isdigit() and 1 <= int(start) <= MAX_LEVEL else None
            if level is None:
                self.diags.error(f.at("start_level"), N_("start_level of attachment {n} must be 1 to {levels}"), n=i + 1,
                                 levels=MAX_LEVEL)
                level = 1
            attachment.sections = self.read_sections(f.raw("sections"), f.at("sections"), level, _("attachment {n}").format(n=i + 1))
            if f.has("table"):
                attachment.table_kind = self.choice(f, "table", TABLE_KINDS, "tasks")
            if f.has("flowcharts"):
                self.attachment_flows(f, attachment)
            if f.has("columns"):
                from .tables import read_form
                attachment.table = read_form(self, f, attachment)
            after = f.raw("after")
            if after is not None and not isinstance(after, (Map, Seq)) and not f.words("after", str(after)):
                after = None
            attachment.after = self.read_blocks(after, f.at("after"), f"attachment {i + 1}")
            if f.has("listed_as"):
                from .tables import read_listed_as
                attachment.listed_as = read_listed_as(self, f, attachment)
            f.done()
            out.append(attachment)
        return out

    def attachment_flows(self, f: Fields, attachment: Attachment) -> None:
        """``flowcharts: true``: the catalog's flowcharts, one a page; ``flowcharts: [shenqing, …]``: the package's
        own flows (flows/).  A list whose flows are all unknown shows nothing (each is reported), not the catalog's."""
        from .flows import flow_ids
        value = f.raw("flowcharts")
        if isinstance(value, Seq):
            if not len(value):
                self.diags.error(f.at("flowcharts"), N_("field 'flowcharts' of {what} lists no flows; name them, e.g. "
                                                        "[{example}], or write true for the catalog's flowcharts"),
                                 what=f.what, example=next(iter(sorted(self.flows)), "shenqing"))
            attachment.flows = flow_ids(self, f.items("flowcharts"))
            attachment.table_kind = "flowcharts" if attachment.flows else None
            return
        word = str(value).strip() if not isinstance(value, Map) else ""
        if word.lower() in FLAG_WORDS:
            attachment.table_kind = "flowcharts" if f.flag("flowcharts") else attachment.table_kind
            return
        example = word if word in self.flows else next(iter(sorted(self.flows)), "shenqing")
        self.diags.error(f.at("flowcharts"), N_("field 'flowcharts' of {what} must be true (the catalog's flowcharts) "
                                                "or a list of flow ids, e.g. [{example}], not {kind}"),
                         what=f.what, example=example, kind=kind_of(value))

    # ---- document frame ---------------------------------------------------------------
    def read_date(self, f: Fields, key: str, required: bool = False):
        """An official date (成文日期, 印发日期): no zero padding (GB/T 9704 7.3.5)."""
        raw = f.text(key, required)
        if raw is None:
            return None
        f.asked.discard(key)
        value = f.parsed(key, parse_date, required)
        padded = list(re.finditer(r"(?<=[年月])0(?=\d)", raw))
        if padded and value is not None:
            self.diags.error(f.at(key), N_("field '{key}' of {what}: '{raw}' has zero padding; write {date}"),
                             N_("doctools check --fix does it"), key=key, what=f.what, raw=raw, date=official_date(value))
            for m in padded:
                loc = self.locate(f.at(key), raw, m.start(), "0")
                if loc:
                    self.fixes.append(Fix(self.raw[f.at(key).file][0], loc[1], "0", ""))
        return value

    def read_document(self, data, pos: Pos) -> Document:
        f = Fields(data, pos, _("document"), self.diags)
        raw_title = self.clean(f.text("title", required=True) or "", f.at("title"))
        lines = [line.strip() for line in raw_title.splitlines() if line.strip()]
        titles.warn_wide_lines(lines if len(lines) > 1 else [], f.at("title"), self.diags)   # typed breaks only
        office = f.text("office")
        for key, name, value in (("title", _("title"), "".join(lines)), ("office", _("office"), office or "")):
            if len(value) > MAX_TITLE_CHARS:
                self.diags.error(f.at(key), N_("the document's {field} is {count} characters long; it may be {limit} "
                                               "at most"), N_("shorten it"), field=name, count=len(value), limit=MAX_TITLE_CHARS)
        doc = Document(title="".join(lines), title_lines=lines, office=office, date=self.read_date(f, "date"))
        if f.has("header"):
            g = Fields(f.raw("header"), f.at("header"), _("header (版头)"), self.diags)
            number = g.text("number")
            if number:
                number = self.clean(number, g.at("number"))      # a 【待填写】 placeholder is reported too
                self.check_doc_number(number, g.at("number"))
            doc.header = RedHeader(mark=g.text("mark", required=True) or office or "", number=number, signer=g.text("signer"))
            g.done()
        doc.recipients = self.recipients(f.text("recipients"), f.at("recipients"))
        doc.preamble = self.preamble(f)
        if f.has("signature"):
            doc.signature = self.signature(f.raw("signature"), f.at("signature"), office, doc.date, _("signature"))
        if f.has("notice"):
            doc.notice = self.notice(f.raw("notice"), f.at("notice"), doc)
        doc.note = f.text("note")
        if doc.note:
            doc.note = doc.note.strip("（）()")
        if f.has("contact"):
            g = Fields(f.raw("contact"), f.at("contact"), _("contact"), self.diags)
            doc.contact = Contact(person=g.text("person"), phone=g.text("phone"), fax=g.text("fax"), email=g.text("email"))
            g.done()
        if f.has("imprint"):
            g = Fields(f.raw("imprint"), f.at("imprint"), _("imprint (版记)"), self.diags)
            cc = g.texts("cc")
            listed = g.raw("cc")
            for i, name in enumerate(cc):
                # the 抄送 line is "抄送：A，B，C。": doctools puts the separators and the closing 。
                if name and name[-1] in "，,、；;。.":
                    where = listed.at(i) if isinstance(listed, Seq) else g.at("cc")
                    loc = self.locate(where, name, len(name) - 1, name[-1])
                    self.diags.warning(loc[0] if loc else where, N_("抄送 entry '{name}' ends with '{mark}'; doctools joins the "
                                          "entries with '，' and ends the line with '。'"),
                                       N_("delete it; doctools check --fix does it"), name=name, mark=name[-1])
                    if loc:
                        self.fixes.append(Fix(self.raw[g.at("cc").file][0], loc[1], name[-1], ""))
                    cc[i] = name.rstrip("，,、；;。.")
            doc.imprint = Imprint(cc=cc, printer=g.text("printer", default=office),
                                  date=self.read_date(g, "date") or doc.date)
            if doc.imprint.date is None and not g.has("date") and not f.has("date"):
                self.diags.error(g.pos, N_("imprint (版记) needs a 'date' (印发日期), or the document needs one"))
            g.done()
        f.done()
        return doc

    def recipients(self, text: Optional[str], pos: Pos) -> Optional[str]:
        if not text:
            return None
        return self.clean(text, pos).rstrip("：:") + "："

    def check_doc_number(self, number: str, pos: Pos) -> None:
        if re.fullmatch(r"[^\s〔〕]+〔\d{4}〕[1-9]\d*号", number):
            return
        hints = []
        if re.search(r"[\[\]【】()（）]", number) or "〔" not in number:
            hints.append(_("the year goes in 六角括号 〔〕, not [] 【】 or ()"))
        if "第" in number:
            hints.append(_("no 第 before the number"))
        if re.search(r"[〕\]】)）]0\d*号", number):
            hints.append(_("no leading zeros"))
        if re.search(r"[〔\[【(（]\d{2}[〕\]】)）]", number):
            hints.append(_("the year in full, four digits"))
        if not number.endswith("号"):
            hints.append(_("it ends with 号"))
        self.diags.error(pos, N_("发文字号 '{number}' is not in the form 机关代字〔YYYY〕N号 (e.g. 陕政办发〔2017〕70号)"),
                         _("; ").join(hints) or None, number=number)

    def signature(self, data, pos: Pos, office, default_date, what) -> Optional[Signature]:
        g = Fields(data, pos, what, self.diags)
        name = g.text("name", default=office)
        when = self.read_date(g, "date") or default_date
        sealed = g.flag("sealed", False)
        g.done()
        if not name:
            self.diags.error(pos, N_("{what} needs a 'name', or the document an 'office'"), what=what)
        if when is None:
            self.diags.error(pos, N_("{what} needs a 'date', or the document a 'date'"), what=what)
        if not name or when is None:
            return None
        return Signature(name=name, date=when, sealed=sealed)

    def preamble(self, f: Fields) -> List[Inline]:
        basis = []
        for item, pos in f.items("basis"):
            g = Fields(item, pos, _("a basis document"), self.diags)
            title = g.text("title", required=True) or ""
            number, short = g.text("number"), g.text("short")
            g.done()
            paren = "，".join(x for x in (number, f"以下简称《{short}》" if short else None) if x)
            basis.append(f"《{title}》" + (f"（{paren}）" if paren else ""))
        joiner = f.text("basis_joiner", default="、")
        text = f.raw("preamble")
        paragraphs = self.paragraphs(text, f.at("preamble"), _("the preamble"))
        if "{basis}" in plain([r for p in paragraphs for r in p]) and not basis:
            self.diags.error(f.at("preamble"), N_("the preamble uses {{basis}}, but the document lists no 'basis' documents"), basis="{basis}")
        for p in paragraphs:
            for run in p:
                run.text = run.text.replace("{basis}", joiner.join(basis))
        return paragraphs

    def notice(self, data, pos: Pos, doc: Document) -> Notice:
        g = Fields(data, pos, _("notice (印发通知)"), self.diags)
        text = g.raw("text")
        paragraphs = self.paragraphs(text, g.at("text"), _("the notice")) if text is not None else \
            [[Run(DEFAULT_NOTICE)]]
        for p in paragraphs:
            for run in p:
                run.text = run.text.replace("{plan}", f"《{doc.title}》")
        signature = None
        if g.has("signature") or doc.office:
            signature = self.signature(g.raw("signature"), g.at("signature"), doc.office, doc.date, _("notice signature"))
        notice = Notice(title=g.text("title"), recipients=self.recipients(g.text("recipients"), g.at("recipients")),
                        paragraphs=paragraphs, signature=signature, note=(g.text("note") or "").strip("（）()") or None)
        g.done()
        return notice
