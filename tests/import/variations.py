"""Plans typed in many ways, made with python-docx, for the import guarantee.

An outside tester found a typed plan whose import wrote a package that did
not build.  These drafts vary what a person varies when typing a plan with
direct formatting: the order of 牵头单位/配合单位/责任单位/完成时限 lines, blocks
of one to three duty lines, parts left out, duty lines before the text, duty
wording in parentheses, "…负责，…配合" in numbered items, tables in the body and
in an attachment, 一是/二是, level-1 headings by Word's Heading 1 style, and a 署名 aligned left, centred or
right, its date in Arabic or Chinese numerals, in one paragraph or two.  Each draft is
made from a seed, so a failure names the draft that shows it.
"""
from __future__ import annotations

import random
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

UNITS = ["乡党政办", "乡财政所", "各村民委员会", "乡综治中心", "县发改局", "各站所", "乡便民服务中心",
         "县委、县政府督查室", "各村（社区）"]
DEADLINES = ["2025年6月底前", "2025年12月底前", "长期坚持", "2025年3月", "6月底前", "2025年4月-2025年6月"]
ROLES = ["牵头单位", "配合单位", "责任单位", "完成时限"]
CHINESE = "一二三四五六七八九十"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "none": None}


class Typist:
    """Types one draft: paragraphs with direct formatting, in the order a person types them."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.doc = docx.Document()
        self.sentence = 0

    def para(self, text: str = "", bold: bool = False, size: float = 16, align=None):
        p = self.doc.add_paragraph()
        if text:
            r = p.add_run(text)
            r.bold = bold
            r.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    def text(self) -> str:
        """A sentence of its own (each different, so a lost one is seen)."""
        self.sentence += 1
        verb = self.rng.choice(["梳理", "公开", "规范", "完善", "推进", "落实"])
        return f"{verb}第{self.sentence}项政务公开事项，明确公开内容和公开时限。"

    def units(self, k: int = 0) -> str:
        names = self.rng.sample(UNITS, k or self.rng.randint(1, 3))
        return "、".join(names)

    def duty_value(self, role: str) -> str:
        return self.rng.choice(DEADLINES) if role == "完成时限" else self.units()

    def duty_lines(self):
        """One to three lines of a duty block, in any order, some parts left out."""
        roles = self.rng.choice([["责任单位"], ["牵头单位", "配合单位"], ["配合单位", "牵头单位"],
                                 ["牵头单位", "配合单位", "完成时限"], ["完成时限", "责任单位"],
                                 ["责任单位", "完成时限"], ["牵头单位"], ["牵头单位", "完成时限"],
                                 ["完成时限", "牵头单位", "配合单位"]])
        return [f"{role}：{self.duty_value(role)}" for role in roles]

    def inline(self) -> str:
        parts = self.rng.choice([["责任单位"], ["牵头单位", "配合单位"], ["牵头单位", "配合单位", "完成时限"],
                                 ["责任单位", "完成时限"]])
        return "（" + "；".join(f"{r}：{self.duty_value(r)}" for r in parts) + "）"

    def heading2(self, n: int, title: str):
        self.para(f"（{CHINESE[n - 1]}）{title}", bold=self.rng.random() < 0.5)

    # ---- the forms a task takes -----------------------------------------------------
    def task(self, n: int) -> None:
        form = self.rng.choice(["lines_after", "lines_before", "inline_runin", "inline_para", "heading_inline",
                                "list", "lines_only", "two_paragraphs", "deadline_only", "runin_duty_only", "lead_ins"])
        title = f"第{n}项重点工作"
        if form == "lines_after":
            self.heading2(n, title)
            self.para(self.text())
            for line in self.duty_lines():
                self.para(line)
        elif form == "lines_before":
            self.heading2(n, title)
            for line in self.duty_lines():
                self.para(line)
            self.para(self.text())
        elif form == "lines_only":
            self.heading2(n, title)
            for line in self.duty_lines():
                self.para(line)
        elif form == "two_paragraphs":
            self.heading2(n, title)
            self.para(self.text())
            self.para(self.text())
            for line in self.duty_lines():
                self.para(line)
        elif form == "inline_runin":
            self.para(f"（{CHINESE[n - 1]}）{title}。{self.text()}{self.inline()}")
        elif form == "inline_para":
            self.heading2(n, title)
            self.para(self.text() + self.inline() + self.rng.choice(["", "。"]))
        elif form == "heading_inline":
            self.para(f"（{CHINESE[n - 1]}）{title}{self.inline()}")
        elif form == "runin_duty_only":
            self.para(f"（{CHINESE[n - 1]}）{title}。{self.inline()}")
        elif form == "lead_ins":
            self.heading2(n, title)
            self.para(f"一是{self.text()}二是{self.text()}")
            for line in self.duty_lines():
                self.para(line, bold=self.rng.random() < 0.3)
        elif form == "deadline_only":
            self.heading2(n, title)
            self.para(self.text())
            self.para(f"完成时限：{self.rng.choice(DEADLINES)}")
        else:
            self.heading2(n, title)
            for k in range(1, self.rng.randint(2, 4)):
                wording = self.rng.choice([
                    lambda: f"{self.text()}{self.units(1)}负责，{self.units(1)}配合。",
                    lambda: f"{self.text()}{self.units(1)}牵头，{self.units(1)}配合。",
                    lambda: f"{self.text()}{self.units(1)}牵头负责。",
                    lambda: f"{self.units(1)}负责{self.text()}",
                    lambda: f"{self.text()}{self.inline()}",
                    lambda: self.text(),
                ])()
                self.para(f"{k}.{wording}")
            if self.rng.random() < 0.4:
                for line in self.duty_lines():
                    self.para(line)

    def table(self, header, rows, merge: bool = False):
        table = self.doc.add_table(rows=len(rows) + 1, cols=len(header))
        table.style = "Table Grid"
        for i, name in enumerate(header):
            table.cell(0, i).text = name
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if merge and len(rows) >= 2:
            table.cell(1, 0).merge(table.cell(2, 0))
        return table

    # ---- the whole draft --------------------------------------------------------------
    def draft(self) -> docx.Document:
        rng = self.rng
        self.para("白石乡2025年政务公开工作实施方案", size=22, align=ALIGN["center"])
        if rng.random() < 0.5:
            self.para("各村民委员会，乡直各单位：")
        self.para("为做好政务公开工作，结合我乡实际，制定本方案。")
        sections = rng.randint(2, 4)
        attachment_table = rng.random() < 0.4
        styled = rng.random() < 0.25          # level-1 headings in Word's Heading 1 style, no number typed
        for s in range(1, sections + 1):
            if styled:
                self.doc.add_paragraph(f"第{s}部分", style="Heading 1")
            else:
                self.para(f"{CHINESE[s - 1]}、第{s}部分", bold=rng.random() < 0.5)
            if rng.random() < 0.3:
                self.para(self.text())
            for n in range(1, rng.randint(2, 4)):
                self.task(n)
            if rng.random() < 0.2:
                self.table(["项目", "内容", "责任单位"], [[f"项目{s}{k}", self.text(), self.units(1)] for k in range(2)],
                           merge=rng.random() < 0.5)
        if attachment_table:
            self.para("附件：重点任务分工表")
        align = ALIGN[rng.choice(list(ALIGN))]
        for _ in range(rng.randint(0, 2)):
            self.para()
        date = rng.choice(["2025年1月8日", "二〇二五年一月八日"])
        if rng.random() < 0.2:
            self.para("白石乡人民政府\n" + date, align=align)      # one paragraph, a line break between
        else:
            self.para("白石乡人民政府", align=align)
            self.para(date, align=align)
        if attachment_table:
            self.para("附件")
            self.para("重点任务分工表", size=22, align=ALIGN["center"])
            if rng.random() < 0.5:
                self.table(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
                           [[str(k), self.text(), self.units(1), self.units(1), rng.choice(DEADLINES[:2])]
                            for k in range(1, 4)])
            else:
                self.table(["类别", "事项", "说明"], [["甲类", self.text(), "无"], ["甲类", self.text(), "无"],
                                                   ["乙类", self.text(), "无"]], merge=True)
        if rng.random() < 0.3:
            self.para()
            self.para("抄送：县政府办公室。")
            self.para("白石乡党政办公室\u3000\u3000\u3000\u3000\u3000\u30002025年1月8日印发")
        return self.doc


def make(seed: int, path: Path) -> Path:
    Typist(seed).draft().save(str(path))
    return path
