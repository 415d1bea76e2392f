"""The document model: what every reader produces and every writer reads.

Plain dataclasses, no I/O.  A reader builds a :class:`Package` and *resolves*
it: unit references become :class:`Unit` objects, deadlines become
:class:`~doctools.model.deadline.Deadline` values, section numbers (一、（一）1.（1）)
are computed from depth.  Where the body prints a task or the schedule, the
reader leaves a reference (:class:`TaskRef`, :class:`ScheduleRef`); the
composing stage (:mod:`doctools.compose`) turns those into printed paragraphs
(the responsibility wording of each task) and adds the tables and charts.  A
writer therefore never looks anything up and never parses text: it prints runs.

Domain words used in names below:

* 实施方案 — implementation plan: the document this toolkit produces.
* 版头 (:class:`RedHeader`) — the red letterhead: 发文机关标志 (issuing-office
  mark), 发文字号 (document number such as 陕政办发〔2017〕70号), 签发人 (signer).
* 主送 (``recipients``) — the addressees, printed flush left before the body.
* 印发通知 (:class:`Notice`) — the short transmittal notice ("现将《…》印发给
  你们…") that precedes a plan issued by notice.
* 署名 / 成文日期 (:class:`Signature`) — signing office and date.
* 附注 (``note``) — the bracketed remark after the date, e.g. （此件公开发布）.
* 附件 (:class:`Attachment`) — attachments; 附件说明 is the list of them after
  the body.
* 版记 (:class:`Imprint`) — the closing block: 抄送 (copies to), 印发机关 and
  印发日期 (printing office and date).
* 责任单位 / 牵头单位 / 配合单位 — responsible / leading / supporting unit.
* 完成时限 — deadline; 进度安排 — schedule of phases (:class:`Phase`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, FrozenSet, List, Optional, Tuple, Union

from .deadline import Deadline
from ..errors import Pos

NO_POS = Pos("<none>")


@dataclass
class Run:
    """A stretch of text; ``bold`` for an emphasised phrase."""

    text: str
    bold: bool = False


Inline = List[Run]


def plain(runs: Inline) -> str:
    return "".join(r.text for r in runs)


@dataclass
class Unit:
    """A responsible unit (责任单位) of the registry, or a group of units such
    as 各乡镇街区, which is printed as one name."""

    id: str
    name: str
    short: Optional[str] = None
    aliases: List[str] = field(default_factory=list)
    pos: Pos = NO_POS
    named: bool = False              # some task names it (else a warning)


@dataclass
class UnitRef:
    """A unit as a task's text names it: the registry :class:`Unit` (who is
    meant, for tables and per-unit lists) and the name printed for it where the
    author wrote it differently (市场监管局 for 区市场监管局, 人行德安分行)."""

    unit: Unit
    written: Optional[str] = None
    duty: Optional[str] = None       # a part in words of its own, after the name: 负责法制审查

    @property
    def printed(self) -> str:
        return (self.written or self.unit.name) + (self.duty or "")


UnitGroups = List[List[UnitRef]]     # a unit list as written: groups (joined by "，"), names in a group (by "、")


@dataclass
class Role:
    """A part a unit plays in a task beyond 牵头/配合/责任 (lead/support/responsible), declared by the package:
    主抓单位, 牵头领导.  ``label`` heads its table column, ``short`` is the word of the 各单位任务清单 (主抓)."""

    id: str
    label: str
    short: str
    pos: Pos = NO_POS


BUILTIN_ROLES = ("responsible", "lead", "support")


@dataclass
class Milestone:
    """One dated target of a task (2023年底前完成梳理): a task may have several."""

    deadline: Deadline
    text: str = ""
    pos: Pos = field(default=NO_POS, compare=False)


@dataclass
class Task:
    """One piece of work: its text, who does it and by when.

    ``responsible`` is used when the plan names 责任单位 without separating
    牵头 (``lead``) and 配合 (``support``) units.
    """

    id: str
    title: Optional[str]
    paragraphs: List[Inline]
    lead: List[Unit] = field(default_factory=list)
    support: List[Unit] = field(default_factory=list)
    responsible: List[Unit] = field(default_factory=list)
    deadline: Optional[Deadline] = None
    duty_format: str = "default"
    group: Optional[str] = None      # the body section (一、…) it belongs to, for grouped tables
    order: int = 0                   # where the body first prints it (or its place in tasks.yaml)
    note: Optional[str] = None       # 备注
    pos: Pos = NO_POS
    deadline_pos: Optional[Pos] = None   # where the deadline was given, when not at pos (an edited workbook's cell)
    written: Dict[str, UnitGroups] = field(default_factory=dict)   # role -> its units as written, where given so
    roles: Dict[str, List[Unit]] = field(default_factory=dict)     # the package's own roles (Role.id) -> units
    milestones: List[Milestone] = field(default_factory=list)      # dated targets; deadline is then the last one's
    # a standing rule ("以下任务均需各区市政府、开发区管委落实，不再一一列出"): role -> units every later task takes on
    later: Dict[str, List[Unit]] = field(default_factory=dict)
    standing: Dict[str, List[Unit]] = field(default_factory=dict)  # what earlier tasks' rules add: tables only, not the text

    def role(self, name: str) -> List[Unit]:
        """The units of a role, built in (lead …) or the package's own (chief …)."""
        return getattr(self, name) if name in BUILTIN_ROLES else self.roles.get(name, [])

    @property
    def text(self) -> str:
        """The task as one line of text (工作任务 in tables)."""
        return "".join(plain(p) for p in self.paragraphs) or (self.title or "")

    @property
    def units(self) -> List[Unit]:
        """Every unit named on the task, leads first, without repeats."""
        seen, out = set(), []
        for unit in self.responsible + self.lead + self.support + [u for units in self.roles.values() for u in units]:
            if unit.id not in seen:
                seen.add(unit.id)
                out.append(unit)
        return out


@dataclass
class Phase:
    """A phase of the 进度安排 with its period, e.g. 方案制订阶段（2017年8月）."""

    id: str
    title: str
    period: Deadline
    paragraphs: List[Inline]
    pos: Pos = NO_POS
    number: int = 0                  # its place in the schedule list, from 1
    period_pos: Pos = NO_POS
    tasks: List["TaskRef"] = field(default_factory=list)   # tasks printed under the phase (1. 2. …)


# ---- body blocks -----------------------------------------------------------

@dataclass
class Paragraph:
    runs: Inline


@dataclass
class Line:
    """A paragraph that stands apart from running text: a 责任单位 line, a
    document title in an attachment list, an address.  Same style as body."""

    runs: Inline


@dataclass
class TaskBlock:
    """Where the body prints a task: its composed paragraphs (text plus the
    responsibility wording).  ``task`` is kept for tables and lists."""

    task: Task
    paragraphs: List[Union[Paragraph, Line]]


@dataclass
class TaskRef:
    """Where the body names a task (``- task: 3``); ``number`` is its "3." in a
    numbered list, ``marker`` the "——" of a dash list.  Composing replaces it by a :class:`TaskBlock`."""

    task_id: str
    pos: Pos = NO_POS
    number: Optional[int] = None
    marker: Optional[str] = None     # "——": an item of a dash list, its title leading ("——建成一个….")


@dataclass
class ScheduleRef:
    """Where a section shows the schedule (``schedule: true`` or ``lead``):
    composing adds one run-in child section per phase.  ``wording`` is
    "title" (period after the phase title) or "lead" (period leads its text);
    ``title_period`` puts the whole span after the section's own title."""

    wording: str
    title_period: bool
    pos: Pos = NO_POS


@dataclass
class FlowchartRef:
    """A flow of ``flows/`` printed in the text as a figure: its chart at the 版心's width, its title below."""

    flow_id: str
    pos: Pos = NO_POS


Block = Union[Paragraph, Line, TaskBlock, TaskRef, ScheduleRef, FlowchartRef]


@dataclass
class Section:
    """A numbered part of the body.  ``label`` (一、/（一）/1./（1）) is computed
    from ``level``; a *run-in* section prints its title at the start of its
    first paragraph ("（一）加强组织领导。各单位……") instead of on its own line."""

    title: Inline
    level: int
    label: str
    blocks: List[Block] = field(default_factory=list)
    children: List["Section"] = field(default_factory=list)
    runin: bool = False
    task: Optional[Task] = None
    task_ref: Optional[TaskRef] = None     # a section titled by a task, until composed
    pos: Pos = NO_POS


@dataclass
class TableRow:
    """One row of a table.  A *group* row (一、…) spans all columns; ``task_id``
    ties a row to the task it shows, so edits can be read back."""

    cells: List[str]
    group: bool = False
    task_id: Optional[str] = None


@dataclass
class Table:
    """A table as printed, composed from tasks, phases or units.

    ``weights`` are relative column widths; ``wrap`` says which columns hold
    running text.  The 任务分工表 (task division), 进度安排 (schedule, also as
    a month grid) and 各单位任务清单 (one table per unit) are all Tables."""

    key: str
    title: str
    header: List[str]
    rows: List[TableRow]
    weights: List[float]
    wrap: List[bool]
    landscape: bool = False
    sheet: str = ""
    header_groups: List[tuple] = field(default_factory=list)   # (label, columns spanned): a row above the header
    merge_down: List[int] = field(default_factory=list)        # columns whose equal neighbours merge (一级事项)
    fields: List[str] = field(default_factory=list)            # what each column holds (templates/tables.yaml)
    align: List[str] = field(default_factory=list)             # per column: left | centre | tick (marks centred)
    merges: List[Tuple[int, int, int]] = field(default_factory=list)   # (column, first row, last row) merged down
    # a form given cell by cell: merged cells as (first row, first column, last row, last column), row 0 the
    # header; column widths and row heights in millimetres, as the form is drawn
    spans: List[Tuple[int, int, int, int]] = field(default_factory=list)
    widths_mm: List[float] = field(default_factory=list)
    heights_mm: Dict[int, float] = field(default_factory=dict)


@dataclass
class Attachment:
    """附件N: its title (also printed in the 附件说明) and its content."""

    number: int
    title: str                     # one line, as in the 附件说明
    title_lines: List[str] = field(default_factory=list)   # as printed on its page
    blocks: List[Block] = field(default_factory=list)
    sections: List[Section] = field(default_factory=list)
    table_kind: Optional[str] = None   # "tasks" | "schedule" | "gantt" | "catalog" | "flowcharts"
    table: Optional[Table] = None
    after: List[Block] = field(default_factory=list)   # text after the table
    flows: List[str] = field(default_factory=list)    # flowcharts: [ids] — the package's own flows, one chart a page
    listed_as: Optional[str] = None    # its name in the 附件说明 when the package makes it differ from the title
    pos: Pos = NO_POS


# ---- document frame ----------------------------------------------------------

@dataclass
class RedHeader:
    """The red 版头: office mark, 发文字号 and (upward documents) 签发人."""

    mark: str
    number: Optional[str] = None
    signer: Optional[str] = None


@dataclass
class Signature:
    """署名 and 成文日期; ``sealed`` selects the layout of GB/T 9704 7.3.5.1."""

    name: str
    date: date
    sealed: bool = False


@dataclass
class Notice:
    """印发通知: a transmittal notice printed before the plan itself."""

    title: Optional[str]
    recipients: Optional[str]
    paragraphs: List[Inline]
    signature: Optional[Signature] = None
    note: Optional[str] = None       # its own 附注 under its date, e.g. 此件公开发布


@dataclass
class Contact:
    person: Optional[str] = None
    phone: Optional[str] = None
    fax: Optional[str] = None
    email: Optional[str] = None

    def lines(self) -> List[str]:
        pairs = [("联系人", self.person), ("联系电话", self.phone), ("传真", self.fax), ("电子邮箱", self.email)]
        cells = [f"{label}：{value}" for label, value in pairs if value]
        return ["　".join(cells[i:i + 2]) for i in range(0, len(cells), 2)]


@dataclass
class Imprint:
    """版记: 抄送 list and 印发机关 / 印发日期."""

    cc: List[str]
    printer: Optional[str]
    date: Optional[date]


@dataclass
class Style:
    """House-style choices of a package that are not layout (layout lives in
    the docx template)."""

    range_sep: str = "—"
    unit_sep: str = "、"
    unit_group_sep: str = "，"        # between groups of a unit list written as groups ([[A、B], [C]])
    duplex: bool = True
    bold_runin: bool = False
    deadlines: str = "written"       # written: deadlines print as the package wrote them | canonical: 2020年5月底前 form
    duty_formats: Dict[str, Tuple[str, str]] = field(default_factory=dict)   # name -> (wording, place)


@dataclass
class Document:
    title: str                     # one line, as quoted in 《…》
    title_lines: List[str] = field(default_factory=list)  # as printed (梯形 wrapping)
    office: Optional[str] = None
    header: Optional[RedHeader] = None
    notice: Optional[Notice] = None
    recipients: Optional[str] = None
    preamble: List[Inline] = field(default_factory=list)
    sections: List[Section] = field(default_factory=list)
    attachments: List[Attachment] = field(default_factory=list)
    signature: Optional[Signature] = None
    note: Optional[str] = None
    contact: Optional[Contact] = None
    imprint: Optional[Imprint] = None
    date: Optional[date] = None


# ---- disclosure catalog and flows --------------------------------------------------

#: A publicity period (公示期) inside a catalog item's time limit: 公示期7个工作日, 公示5天.
PUBLICITY = re.compile(r"公示(?:期)?(\d+)个?(工作日|日|天)")

@dataclass
class CatalogItem:
    """One row of the 政务公开事项标准目录 (catalog of disclosure items).

    Fields follow the national template: 一级事项/二级事项 (item, sub-item),
    公开内容（要素）, 公开依据 (legal basis), 公开时限 (time limit), 公开主体
    (publishing units), 公开渠道和载体 (channels: ■ chosen, □ offered),
    公开对象 (全社会 / 特定群众), 公开方式 (主动 / 依申请公开), 公开层级
    (县级 / 乡、村级)."""

    id: str
    number: str
    level1: str
    level2: Optional[str]
    content: str
    basis: str
    time_limit: str
    subjects: List[str]
    channels: List[str]
    offered: List[str] = field(default_factory=list)
    audience: List[str] = field(default_factory=list)
    mode: List[str] = field(default_factory=list)
    level: List[str] = field(default_factory=list)
    pos: Pos = NO_POS

    @property
    def name(self) -> str:
        return self.level1 + (f"—{self.level2}" if self.level2 else "")

    @property
    def on_request(self) -> bool:
        return any("依申请" in m for m in self.mode)

    @property
    def proactive(self) -> bool:
        return not self.mode or any(m.startswith("主动") for m in self.mode)


@dataclass
class Catalog:
    title: str
    items: List[CatalogItem]
    charts_per: str = "item"          # "item" | "level1": one flowchart per row or per 一级事项
    flows: List[str] = field(default_factory=list)   # flows also drawn as charts (default: 主动公开, and 依申请公开 if used)


@dataclass
class FlowNode:
    """A step of a process.  ``kind``: start | end | step | decision | notice
    (a written notice, 告知书); ``limit`` is its time limit and ``basis`` the
    legal article the number comes from."""

    id: str
    kind: str
    label: str
    lane: str
    limit: Optional[str] = None
    basis: Optional[str] = None


@dataclass
class FlowEdge:
    source: str
    target: str
    label: Optional[str] = None
    back: bool = False                # a loop back (补正 → 申请人): drawn, but not ranked


@dataclass
class Flow:
    """A process drawn as a swim-lane flowchart: lanes by actor, in order."""

    id: str
    title: str
    lanes: List[str]
    nodes: List[FlowNode]
    edges: List[FlowEdge]
    source: str = ""
    item_steps: List[FlowNode] = field(default_factory=list)   # 主动公开: the steps a catalog item's chart starts with
    subject_lane: Optional[str] = None      # 依申请公开: the lane an item's 公开主体 take in its chart


@dataclass
class Chart:
    """A flowchart to draw: its file stem, title and flow.  ``png`` is filled
    by the build once rendered, for the plan's flowchart attachment."""

    stem: str
    title: str
    flow: Flow
    png: Optional[bytes] = field(default=None, repr=False)
    flow_id: Optional[str] = None     # a flow drawn as itself (flows/), not a catalog row's chart
    catalog: bool = True              # one of the catalog's charts (printed by ``flowcharts: true``)


@dataclass
class TaskTableSpec:
    """How the 任务分工表 is laid out (``tables.tasks``)."""

    title: str = "任务分工表"
    columns: List[str] = field(default_factory=list)   # printed names, in order
    fields: Dict[str, str] = field(default_factory=dict)   # a name the package declares -> the field it shows
    column_pos: Dict[str, Pos] = field(default_factory=dict)   # where each column is named, for messages
    group: str = "none"           # none | section (group rows 一、…) | column (a first column merged down)
    group_column: Optional[str] = None   # the printed name of that column (类别)
    order: str = "body"           # body | deadline
    unit_sep: Optional[str] = None
    source: Optional[str] = None  # an edited .xlsx to read the tasks back from
    include: List[str] = field(default_factory=list)   # task ids or groups to show; empty = all
    pos: Pos = NO_POS


@dataclass
class ScheduleSpec:
    """How the 进度安排 is laid out (``tables.schedule``)."""

    title: str = "进度安排"
    gantt: str = "auto"           # auto | phases | tasks | both | none


@dataclass
class UnitCell:
    """The unit names of one cell of an edited task table, where they stand."""

    names: List[str]
    pos: Pos
    label: str                    # "cell C5", for messages


@dataclass
class TaskEdit:
    """One row of an edited 任务分工表.xlsx, as read: applied to the tasks by
    :mod:`doctools.compose.edits`.  ``task_id`` is the hidden 编号 (a row
    without one is a new task); a field is None when the table has no column for it."""

    task_id: Optional[str]
    row: int
    pos: Pos
    text: str
    units: Dict[str, UnitCell] = field(default_factory=dict)   # responsible / lead / support
    deadline: Optional[Deadline] = None
    has_deadline: bool = False
    deadline_pos: Optional[Pos] = None      # the 完成时限 cell
    note: Optional[str] = None
    has_note: bool = False
    milestones: Optional[List["Milestone"]] = None   # a 完成时限 cell listing several dated targets


@dataclass
class Package:
    """Everything one input folder describes."""

    name: str
    document: Document
    units: List[Unit] = field(default_factory=list)
    tasks: List[Task] = field(default_factory=list)
    phases: List[Phase] = field(default_factory=list)
    style: Style = field(default_factory=Style)
    roles: List[Role] = field(default_factory=list)          # the package's own roles, in their order
    task_spec: TaskTableSpec = field(default_factory=TaskTableSpec)
    schedule_spec: ScheduleSpec = field(default_factory=ScheduleSpec)
    task_edits: Optional[List[TaskEdit]] = None             # an edited 任务分工表.xlsx, when the package names one
    tables: List[Table] = field(default_factory=list)        # the workbook tables (任务分工表, 进度安排)
    unit_tables: List[Table] = field(default_factory=list)   # 各单位任务清单, one per unit
    catalog_table: Optional[Table] = None                    # the catalog as published
    unit_lists_docx: bool = False                            # also a .docx with one page per unit
    tables_docx: bool = False                                # the workbook's tables also as a .docx
    catalog: Optional[Catalog] = None
    flows: Dict[str, Flow] = field(default_factory=dict)     # standard and package flows by id
    charts: List[Chart] = field(default_factory=list)
    # top-level keys an unreadable input file may have held: what refers to them is not checked, so the
    # error that the file could not be read is not buried under errors that only follow from it
    lost: FrozenSet[str] = frozenset()
