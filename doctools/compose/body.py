"""The plan's body as printed: task references become paragraphs with their
duty wording, a section that shows the schedule gets a section per phase.

Walking the body in reading order also gives each task its place: ``order``
(where the body first prints it; tasks it never prints follow in file order)
and ``group`` (the 一、 section it first appears under), which the 任务分工表
groups and sorts by.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..model.deadline import Deadline
from ..errors import Diagnostics, suggest
from ..i18n import N_
from ..model import (Line, Package, Paragraph, Run, ScheduleRef, Section, Style, Task, TaskBlock, TaskRef, plain)
from ..model.numbering import section_label
from ..resources import DEFAULT_DUTY_FORMATS
from .wording import duty_line, duty_values, period


def schedule_span(package: Package) -> Optional[Deadline]:
    """From the first phase's start to the last phase's end."""
    periods = [p.period for p in package.phases if p.period is not None and p.period.kind in ("point", "range")]
    if not periods:
        return None
    first = min(periods, key=lambda d: d.start).first
    last_period = max(periods, key=lambda d: d.end)
    last = last_period.second if last_period.kind == "range" else last_period.first
    return Deadline("range", first, last) if (first != last) else Deadline("point", first)


class BodyComposer:
    def __init__(self, package: Package, diags: Diagnostics):
        self.package = package
        self.style: Style = package.style
        self.diags = diags
        self.tasks: Dict[str, Task] = {t.id: t for t in package.tasks}
        self.placed = 0
        self.group: Optional[str] = None

    def compose(self) -> None:
        doc = self.package.document
        for section in doc.sections:
            self.section(section)
        self.group = None
        for attachment in doc.attachments:
            attachment.blocks = self.blocks(attachment.blocks)
            attachment.after = self.blocks(attachment.after)
            for section in attachment.sections:
                self.section(section)
        for i, task in enumerate(self.package.tasks):
            if not task.order:
                task.order = 100000 + i     # not in the body: after the body's tasks, in file order

    def place(self, ref: TaskRef) -> Optional[Task]:
        task = self.tasks.get(ref.task_id)
        if task is None:
            if "tasks" not in self.package.lost:     # not when the tasks' file could not be read
                self.diags.error(ref.pos, N_("there is no task with id '{task}'"), suggest(ref.task_id, self.tasks),
                                 task=ref.task_id)
        elif not task.order:
            self.placed += 1
            task.order = self.placed
            if self.group and not task.group:
                task.group = self.group
        return task

    def duty_text(self, task: Task):
        template, place = self.style.duty_formats.get(task.duty_format, DEFAULT_DUTY_FORMATS["default"])
        text, empty, bare = duty_line(template, duty_values(task, self.style))
        if empty and not self.diags.errors:   # not after errors: they explain it
            self.diags.warning(task.pos, N_("task '{task}' has no {fields} to print, so its duty wording '{wording}' is "
                                            "left with nothing after it"), N_("name its units or its deadline"),
                               task=task.id, fields=" or ".join(empty), wording=bare)
        return text, place

    def task_block(self, task: Task) -> TaskBlock:
        duty, place = self.duty_text(task)
        paragraphs = [Paragraph([Run(r.text, r.bold) for r in p]) for p in task.paragraphs]
        first, *more = duty.split("\n") if duty else [""]
        if first:
            if place == "before" and paragraphs:
                paragraphs[0].runs.insert(0, Run(first))      # "县发改局负责针对……"
            elif place == "line" or not paragraphs:
                paragraphs.append(Line([Run(first)]))
            else:
                paragraphs[-1].runs.append(Run(first))
        paragraphs.extend(Line([Run(line)]) for line in more)     # a duty block: one line each
        return TaskBlock(task=task, paragraphs=paragraphs)

    def blocks(self, blocks: list) -> list:
        out = []
        for block in blocks:
            if isinstance(block, TaskRef):
                task = self.place(block)
                if task is not None:
                    composed = self.task_block(task)
                    if block.number is not None:
                        composed.paragraphs[0].runs.insert(0, Run(f"{block.number}."))
                    if block.marker is not None:      # ——建成一个农村信用管理系统。2023年底前，……
                        title = task.title or ""
                        lead = title + ("" if not title or title[-1] in "。！？：；" else "。")
                        composed.paragraphs[0].runs.insert(0, Run(block.marker + lead))
                    out.append(composed)
            elif not isinstance(block, ScheduleRef):
                out.append(block)
        return out

    def section(self, section: Section) -> None:
        task = self.place(section.task_ref) if section.task_ref is not None else None
        section.task, section.task_ref = task, None
        if section.level == 1:
            self.group = section.label + plain(section.title)
        schedules = [b for b in section.blocks if isinstance(b, ScheduleRef)]
        blocks = self.blocks(section.blocks)
        if task is not None:
            block = self.task_block(task)
            inline = self.style.duty_formats.get(task.duty_format, ("", "inline"))[1] == "inline"
            if not task.paragraphs and block.paragraphs and inline:
                section.title = section.title + block.paragraphs[0].runs  # duty printed after the heading
                if block.paragraphs[1:]:                                  # the rest of a duty block under it
                    blocks.insert(0, TaskBlock(task=task, paragraphs=block.paragraphs[1:]))
            elif block.paragraphs:                                        # a task that is only its title: none
                blocks.insert(0, block)
        section.blocks = blocks
        for ref in schedules:
            section.children[:0] = self.schedule(section, ref)
        for child in section.children:
            self.section(child)
        if section.runin and not any(isinstance(b, (Paragraph, TaskBlock)) for b in section.blocks):
            section.blocks.insert(0, Paragraph([]))

    def schedule(self, section: Section, ref: ScheduleRef) -> List[Section]:
        """（一）方案制订阶段（2017年8月）。…… or, leading, （一）第一阶段。2020年10月底前，……"""
        span = schedule_span(self.package)
        if ref.title_period and span is not None:
            section.title = section.title + [Run("（" + period(span, self.style) + "）")]
        out = []
        for n, phase in enumerate(self.package.phases, start=1):
            when = period(phase.period, self.style)
            paragraphs = [Paragraph(list(p)) for p in phase.paragraphs] or [Paragraph([])]
            if ref.wording == "lead":
                title = [Run(phase.title)]
                paragraphs[0].runs.insert(0, Run(f"{when}，"))
            else:
                title = [Run(f"{phase.title}（{when}）")]
            out.append(Section(title=title, level=section.level + 1, label=section_label(section.level + 1, n),
                               blocks=paragraphs + self.blocks(phase.tasks), runin=True, pos=phase.pos))
        return out


def compose_body(package: Package, diags: Diagnostics) -> None:
    BodyComposer(package, diags).compose()
