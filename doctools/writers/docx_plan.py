"""The plan writer: a :class:`~doctools.model.Package` as a GB/T 9704 .docx.

It opens the template (page setup, styles, footers), empties its body and
appends the document in the order of the standard: 版头, 印发通知, 标题,
主送, 正文 with its numbered sections, 附件说明, contact lines, 署名 and 成文
日期, 附注, the 附件 (each on a new page) and last the 版记 at the foot of the
last page.  Paragraph formatting comes from named styles; only measurements
that depend on the text (the hanging indent of 附件说明, the right indents of
署名 and date) are set on the paragraph.

Where the 版记 goes depends on how many pages the document fills, so the
writer keeps a line count (:class:`Flow`) on the 22 × 28 grid as it writes.
"""
from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from typing import List, Optional, Sequence

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK

from ..typeset import gbt9704 as G
from ..typeset import titles
from . import oxml
from .oxml.fonts import finish_docx
from ..model.deadline import official_date
from ..model import (Attachment, Document, FlowchartRef, Inline, Line, Package, Paragraph, Run, Section, Signature, Table, TaskBlock,
                     plain)
from .default_templates import template_bytes
from .docx_tables import add_table, column_widths, row_heights, table_parts
from .jinja_fields import fill_template_fields

RUNIN_END = "。？！：；"
MARK_LEADING = 0.17        # 发文机关标志: line top to glyph top, in em (LibreOffice, stand-in 小标宋)
RED_RULE_SPACE_PT = 3      # border space under the 发文字号 that puts the red rule 4 mm below its characters
# a turned "— N —" centred across its box (LibreOffice, measured): its dash 0.6 mm off the centre, towards the 版心
TURNED_NUMBER_CENTRE_MM = -0.6
EMU_PER_TWIP = 635


# LibreOffice with the stand-in 仿宋 (measured): a digit is 0.557 em, and 2.6 pt
# of space comes between Chinese and Latin text (Word's autoSpaceDN does the same)
DIGIT_EM = 0.557
SCRIPT_GAP_PT = 2.6


def text_pt(text: str) -> float:
    """Width of a line of body text in points: 16 pt a character, digits
    0.557 em, a small gap where Chinese meets Latin, less the 0.25 pt every
    character is condensed by."""
    width = sum((G.BODY_PT if G.display_width(ch) == 1 else G.BODY_PT * DIGIT_EM) + G.BODY_CONDENSE / 20 for ch in text)
    changes = sum(1 for a, b in zip(text, text[1:]) if (G.display_width(a) == 1) != (G.display_width(b) == 1))
    return width + changes * SCRIPT_GAP_PT


def split_lines(runs: Inline) -> List[Inline]:
    """*runs* cut at each line break into lines of runs (at least one line)."""
    lines: List[Inline] = [[]]
    for r in runs:
        parts = r.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Run(part, r.bold))
    return lines


def png_size(data: bytes):
    """(width, height) in pixels from a PNG's IHDR chunk."""
    import struct
    return struct.unpack(">II", data[16:24])
IMPRINT_CAPTION = "版记"


class Flow:
    """A running estimate of page and line on the 22-line grid.

    Exact line spacing makes every body line one grid line, so a paragraph's
    height is the number of lines its text wraps to at 28 characters (fewer
    for larger type).  Good enough to know on which page the text ends and
    how many lines are left there.
    """

    def __init__(self):
        self.page = 1
        self.line = 0

    def add_lines(self, n: int) -> None:
        self.line += n
        while self.line > G.LINES_PER_PAGE:
            self.line -= G.LINES_PER_PAGE
            self.page += 1

    def add_text(self, width: float, first: float = 2, left: float = 0, right: float = 0, size_pt: float = G.BODY_PT) -> None:
        # body type sits on the 28-character grid; larger type (titles) is off the grid
        per_line = G.CHARS_PER_LINE if size_pt == G.BODY_PT else math.floor(G.TEXT_WIDTH / 20 / size_pt)
        avail_first = per_line - first - left - right
        avail = per_line - left - right
        if width <= avail_first:
            lines = 1
        else:
            lines = 1 + math.ceil((width - avail_first) / avail)
        self.add_lines(lines)

    def new_page(self) -> None:
        if self.line:
            self.page += 1
        self.line = 0

    @property
    def left_on_page(self) -> int:
        return G.LINES_PER_PAGE - self.line


class PlanWriter:
    def __init__(self, package: Package, template: Optional[Path] = None):
        self.package = package
        self.doc_model: Document = package.document
        source = template.read_bytes() if template else template_bytes()
        source = fill_template_fields(source, package, str(template) if template else "built-in template")
        self.doc = docx.Document(io.BytesIO(source))
        self.styles = {s.style_id: s for s in self.doc.styles}
        self.flow = Flow()
        self.landscape = False
        self.last_date = None          # the 成文日期 paragraph, kept with the 附注 after it
        self.body = self.doc.element.body
        for node in list(self.body):
            if node.tag != oxml.SECT_PR:
                self.body.remove(node)

    # ---- primitives -------------------------------------------------------------
    def add_paragraph(self, style: str = "Normal"):
        """A new paragraph at the end of the body, before its final w:sectPr.  python-docx's
        ``doc.add_paragraph()`` looks for that w:sectPr among all the body's children on every call: quadratic
        (40,000 paragraphs took 150 s); the last child is found at once."""
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph as DocxParagraph

        element = OxmlElement("w:p")
        try:
            last = self.body[-1]
        except IndexError:
            last = None
        if last is not None and last.tag == oxml.SECT_PR:
            last.addprevious(element)
        else:
            self.body.append(element)
        p = DocxParagraph(element, self.doc._body)
        if style != "Normal":
            oxml.set_paragraph_style(p, style)
        return p

    def para(self, style: str = "Normal", runs: Inline = (), char_style: Optional[str] = None):
        """A paragraph of *runs*; a line break inside them (a duty template's
        "\n") starts a new paragraph, indented like the first: a break inside
        a justified paragraph would stretch the line before it letter by letter."""
        lines = split_lines(list(runs))
        for line in lines[:-1]:
            self._para(style, line, char_style)
        return self._para(style, lines[-1], char_style)

    def _para(self, style: str, runs: Inline, char_style: Optional[str]):
        p = self.add_paragraph(style)
        self.add_runs(p, runs, char_style)
        size = G.TITLE_PT if style in ("DocTitle", "AttachmentTitle") else G.BODY_PT
        first = 2 if style in ("Normal", "Heading1", "Heading2", "Heading3", "Heading4") else 0
        self.flow.add_text(G.display_width(plain(list(runs))), first=first, size_pt=size)
        return p

    def add_runs(self, p, runs: Inline, char_style: Optional[str] = None, bold_all: bool = False) -> None:
        for r in runs:
            if not r.text:
                continue
            run = p.add_run(r.text)
            if r.bold or bold_all:
                run.bold = True
            if char_style:
                oxml.set_run_style(run, char_style)

    def blank(self, n: int = 1) -> None:
        for _n in range(n):
            self.add_paragraph("Normal")
            self.flow.add_lines(1)


    def start(self, style: str, new_page: bool = False):
        """An empty paragraph of *style*, at the top of a new page if asked."""
        p = self.add_paragraph(style)
        if new_page:
            oxml.add_page_break_before(p)
            self.flow.new_page()
        return p

    def new_page_paragraph(self, style: str, runs: Inline):
        """A paragraph that starts a new page (page break before, no empty line)."""
        p = self.start(style, new_page=True)
        self.add_runs(p, runs)
        self.flow.add_lines(1)
        return p

    def title_lines(self, p, lines: List[str]) -> None:
        """Title lines in one paragraph: typed breaks kept, a line too wide for
        the 版心 broken between words into a 梯形 or 菱形 (:mod:`doctools.typeset.titles`)."""
        lines = titles.title_lines(lines)
        for i, line in enumerate(lines):
            run = p.add_run(line.strip())
            if i < len(lines) - 1:
                run.add_break()
            self.flow.add_text(G.display_width(line), first=0, size_pt=G.TITLE_PT)

    # ---- document ------------------------------------------------------------------
    def write(self) -> bytes:
        d = self.doc_model
        if d.header:
            self.red_header()
        if d.notice:
            self.notice()
        self.title(d.title_lines or [d.title], new_page=d.notice is not None)
        if d.recipients:
            self.para("Recipients", [Run(d.recipients)])
        for p in d.preamble:
            self.para("Normal", p)
        for s in d.sections:
            self.section(s)
        if d.attachments:
            self.attachment_note(d.attachments)
        if d.contact:
            for line in d.contact.lines():
                self.para("Normal", [Run(line)])
        if d.signature:
            self.signature(d.signature)
        if d.note:
            self.note(d.note)
        for a in d.attachments:
            self.attachment(a, single=len(d.attachments) == 1)
        if d.imprint:
            self.imprint()
        self.properties()
        return self.finish()

    def finish(self) -> bytes:
        """The document's bytes: the same for the same input, with its font table and settings in schema order."""
        out = io.BytesIO()
        self.doc.save(out)
        return finish_docx(out.getvalue(), self.package.style.fonts)

    def red_header(self) -> None:
        h = self.doc_model.header
        size = min(30.0, math.floor(G.TEXT_WIDTH / 20 / max(G.display_width(h.mark), 1)))
        p = self.add_paragraph("HeaderMark")
        # its glyphs' top 35 mm below the 版心's: the line box starts 0.17 em above them (measured)
        oxml.set_spacing(p, before=oxml.mm(35) - round(size * 20 * MARK_LEADING), after=0, line=240, rule="auto")
        run = p.add_run(h.mark)
        oxml.set_run_font(run, G.FONT_TITLE, size_pt=size)
        self.flow.add_lines(round((oxml.mm(35) + size * 20 * 1.3) / G.LINE_PITCH + 0.5))
        self.blank(2)
        number = self.add_paragraph("DocNumber")
        if h.signer:
            # 发文字号 居左空一字, 签发人 居右空一字 on one line, by tab stops: indents
            # would shorten the red rule under the paragraph as well
            number.alignment = 0
            oxml.add_tab_stop(number, G.CHAR, "left")
            oxml.add_tab_stop(number, G.TEXT_WIDTH - G.CHAR, "right")
            number.add_run("\t" + (h.number or ""))
            number.add_run("\t签发人：")
            signer = number.add_run(h.signer)
            oxml.set_run_style(signer, "Heading2Char")
        else:
            number.add_run(h.number or "")
        # red rule 4 mm below the characters: 2.8 mm of the exact line lie under them (measured)
        oxml.set_bottom_border(number, size_eighths=8, color=G.RED, space_pt=RED_RULE_SPACE_PT)
        self.flow.add_lines(1)
        self.blank(2)

    def title(self, lines: List[str], new_page: bool = False) -> None:
        self.title_lines(self.start("DocTitle", new_page), lines)
        self.blank(1)

    def notice(self) -> None:
        n = self.doc_model.notice
        if n.title:
            self.title([n.title])
        if n.recipients:
            self.para("Recipients", [Run(n.recipients)])
        for p in n.paragraphs:
            self.para("Normal", p)
        if n.signature:
            self.signature(n.signature)
        if n.note:
            self.note(n.note)

    def note(self, text: str) -> None:
        """附注 (7.3.6): "（此件公开发布）" under the 成文日期, kept with it."""
        if self.last_date is not None:
            oxml.keep_with_next(self.last_date)
        self.para("Normal", [Run(f"（{text}）")])

    # ---- body -------------------------------------------------------------------------
    def section(self, s: Section) -> None:
        char_style = f"Heading{s.level}Char"
        if s.runin:
            title = plain(s.title)
            end = "" if title and title[-1] in RUNIN_END else "。"
            head = [Run(s.label, s.title[0].bold if s.title else False)] + s.title + [Run(end)]
            bold = self.package.style.bold_runin
            head = [Run(r.text, r.bold or bold) for r in head if r.text]
            blocks = list(s.blocks)
            first = blocks.pop(0) if blocks and not isinstance(blocks[0], Table) else Paragraph([])
            paragraphs = first.paragraphs if isinstance(first, TaskBlock) else [first]
            lead = paragraphs[0]
            p = self.add_paragraph("Normal")
            self.add_runs(p, head, char_style)
            self.add_runs(p, lead.runs)
            self.flow.add_text(G.display_width(plain(head) + plain(lead.runs)))
            for extra in paragraphs[1:]:
                self.para("Normal", extra.runs)
        else:
            p = self.para(f"Heading{s.level}", [Run(s.label)] + s.title)
            blocks = s.blocks
            if not blocks and not s.children:
                # an item of a list, numbered like a heading but with nothing under it to keep it with:
                # a run of them kept together would leave the foot of a page empty
                oxml.keep_with_next(p, False)
        for block in blocks:
            self.block(block)
        for c in s.children:
            self.section(c)

    def block(self, block) -> None:
        if isinstance(block, TaskBlock):
            for p in block.paragraphs:
                self.para("Normal", p.runs)
        elif isinstance(block, (Paragraph, Line)):
            self.para("Normal", block.runs)
        elif isinstance(block, Table):            # a table inside the text, where the plan printed it
            for part in table_parts(block, G.TEXT_WIDTH):
                add_table(self.doc, self.styles, part, G.TEXT_WIDTH)
                self.flow.add_lines(self.table_lines(part, G.TEXT_WIDTH))
        elif isinstance(block, FlowchartRef):
            chart = next((c for c in self.package.charts if c.flow_id == block.flow_id), None)
            if chart is not None:
                self.figure(chart)
        else:  # pragma: no cover - the reader produces no other blocks
            raise TypeError(f"unknown block {block!r}")

    def attachment_note(self, attachments: Sequence[Attachment]) -> None:
        """附件说明 (7.3.4): 左空二字 "附件：1.…"; wrapped names align under the name."""
        self.blank(1)
        label = "附件："
        label_w = G.display_width(label) * G.CHAR
        for i, a in enumerate(attachments):
            number = "" if len(attachments) == 1 else f"{a.number}."
            number_w = round(G.display_width(number) * G.CHAR)
            text_left = round(2 * G.CHAR + label_w + number_w)
            p = self.add_paragraph("AttachmentNote")
            first_line_start = 2 * G.CHAR if i == 0 else round(2 * G.CHAR + label_w)
            oxml.set_indent(p, left=text_left, hanging=text_left - first_line_start)
            name = a.listed_as or a.title
            if number:
                # "1." is narrower than the character the indent allows it: a tab to the hanging indent starts the
                # name exactly where its wrapped lines start, in any program and any font (it was 1.2 mm short)
                oxml.add_tab_stop(p, text_left, "left")
                p.add_run((label if i == 0 else "") + number)
                p.add_run().add_tab()
                p.add_run(name)
            else:
                p.add_run((label if i == 0 else "") + name)
            self.flow.add_text(G.display_width(name), first=0, left=text_left / G.CHAR)

    def signature(self, sig: Signature) -> None:
        """署名 and 成文日期 (7.3.5), placed by indents computed from their widths.

        Unsealed: the 署名 右空二字 and the date starting two characters right
        of its first character (the date 右空二字 when it is the longer).
        Sealed: the date 右空四字 and the 署名 centred over it; both lines are
        centred in the same box, so they share one axis in any program.  The
        last text line is kept with them (keep-with-next from the paragraph
        before): a sign-off never stands alone on a page."""
        # a joint 署名 (联合行文, 7.3.5.1): the organs one line each, in order, set as one block
        names = sig.name.split("\n")
        name_pt, date_text = max(text_pt(n) for n in names), official_date(sig.date)
        date_pt = text_pt(date_text)
        width, char = G.TEXT_WIDTH / 20, G.CHAR / 20
        previous = self.body.findall(oxml.PARAGRAPH)
        if previous:
            oxml.keep_with_next(previous[-1])
        blanks = [self.add_paragraph("Normal") for _ in range(2 if sig.sealed else 1)]
        for blank in blanks:
            oxml.keep_with_next(blank)
            self.flow.add_lines(1)
        name_p, date_p = self.add_paragraph("SignatureLine"), self.add_paragraph("SignatureLine")
        if sig.sealed:
            # the date exactly 右空四字; the 署名 centred on the date's (computed) centre
            oxml.set_indent(date_p, right=4 * G.CHAR, first_line=0)
            date_p.alignment = 2
            centre = width - 4 * char - date_pt / 2
            half = max(date_pt, name_pt) / 2 + char
            oxml.set_indent(name_p, left=round((centre - half) * 20), right=round((width - centre - half) * 20), first_line=0)
            name_p.alignment = 1
        else:
            if date_pt + 2 * char <= name_pt:
                name_left = width - 2 * char - name_pt
            else:
                name_left = width - 2 * char - date_pt - 2 * char
            oxml.set_indent(name_p, left=round(name_left * 20), right=0, first_line=0)
            oxml.set_indent(date_p, left=round((name_left + 2 * char) * 20), right=0, first_line=0)
            name_p.alignment = date_p.alignment = 0
        oxml.keep_with_next(name_p)
        name_p.add_run(sig.name)            # python-docx writes each "\n" as a line break
        date_p.add_run(date_text)
        self.flow.add_lines(1 + len(names))
        self.last_date = date_p

    def attachment(self, a: Attachment, single: bool) -> None:
        label = "附件" if single else f"附件{a.number}"
        wide = bool(a.table and a.table.landscape)
        if wide != self.landscape:
            self.orientation(wide)
            self.para("AttachmentLabel", [Run(label)])
        else:
            self.new_page_paragraph("AttachmentLabel", [Run(label)])
        self.blank(1)
        self.title_lines(self.add_paragraph("AttachmentTitle"), a.title_lines or [a.title])
        self.blank(1)
        for block in a.blocks:
            self.block(block)
        for s in a.sections:
            self.section(s)
        if a.table_kind == "flowcharts":
            self.flowcharts(a.flows)
        if a.table:
            width = G.TEXT_HEIGHT if self.landscape else G.TEXT_WIDTH
            for n, part in enumerate(table_parts(a.table, width)):
                if n:
                    self.blank(1)                 # a month grid in parts: a line between them
                add_table(self.doc, self.styles, part, width)
                self.flow.add_lines(self.table_lines(part, width))
        for block in a.after:
            self.block(block)

    def flowcharts(self, flow_ids: Sequence[str] = ()) -> None:
        """Each chart's 300-dpi PNG at up to the 版心's width, its title below; one chart a page.  The
        catalog's charts, or the flows named (``flowcharts: [ids]``), in that order."""
        by_flow = {c.flow_id: c for c in self.package.charts if c.flow_id}
        charts = [by_flow[i] for i in flow_ids if i in by_flow] if flow_ids else [c for c in self.package.charts if c.catalog]
        for i, chart in enumerate(c for c in charts if c.png):
            self.figure(chart, new_page=i > 0)

    def figure(self, chart, new_page: bool = False) -> None:
        """A chart's PNG as large as the 版心's width and the lines left on the page allow, its title below."""
        if chart.png:
            p = self.start("Figure", new_page=new_page)
            width_px, height_px = png_size(chart.png)
            lines_free = max(self.flow.left_on_page - 2, 8)               # the caption and a little air
            max_w = G.TEXT_WIDTH * EMU_PER_TWIP
            max_h = lines_free * G.LINE_PITCH * EMU_PER_TWIP
            scale = min(max_w / width_px, max_h / height_px)
            p.add_run().add_picture(io.BytesIO(chart.png), width=int(width_px * scale), height=int(height_px * scale))
            self.flow.add_lines(math.ceil(height_px * scale / EMU_PER_TWIP / G.LINE_PITCH))
            self.para("FigureCaption", [Run(chart.title)])

    def orientation(self, landscape: bool) -> None:
        """A new section, landscape for a wide table or portrait again; page
        numbers run on.  Landscape pages turn the portrait margins with them
        (the table head faces the 订口), but not the page number (§8): it
        stays where a portrait page has it, in a turned text box."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if landscape:
            oxml.page_setup(section._sectPr, width=G.PAGE_HEIGHT, height=G.PAGE_WIDTH, top=G.MARGIN_LEFT,
                            right=G.MARGIN_TOP, bottom=G.MARGIN_RIGHT, left=G.MARGIN_BOTTOM,
                            header=G.HEADER_DISTANCE, footer=G.FOOTER_DISTANCE,
                            line_pitch=G.LINE_PITCH, landscape=True)
            self.turned_page_numbers(section)
        else:
            oxml.page_setup(section._sectPr, width=G.PAGE_WIDTH, height=G.PAGE_HEIGHT, top=G.MARGIN_TOP,
                            right=G.MARGIN_RIGHT, bottom=G.MARGIN_BOTTOM, left=G.MARGIN_LEFT,
                            header=G.HEADER_DISTANCE, footer=G.FOOTER_DISTANCE,
                            line_pitch=G.LINE_PITCH)
            if self.landscape:
                self.portrait_page_numbers(section)
        self.landscape = landscape
        self.flow.new_page()

    def turned_page_numbers(self, section) -> None:
        """Footers of a landscape section: "— N —" turned 90°, left of the
        版心 (the portrait page's foot), the dash 7 mm from it; odd pages at the
        end of the line (居右空一字, the bottom), even pages at its start (the top)."""
        across = oxml.mm(10)
        centre = G.MARGIN_BOTTOM - oxml.mm(7 + TURNED_NUMBER_CENTRE_MM)
        for i, (footer, style) in enumerate(((section.footer, "PageNumberOdd"), (section.even_page_footer, "PageNumberEven"))):
            footer.is_linked_to_previous = False
            oxml.page_number_box(footer.paragraphs[0], left=centre - across // 2, top=G.MARGIN_LEFT, width=across,
                                 height=G.TEXT_WIDTH, style=style, shape_id=9000 + 2 * len(self.doc.sections) + i)

    def portrait_page_numbers(self, section) -> None:
        """Footers of a portrait section after a landscape one: the first section's again."""
        import copy

        first = self.doc.sections[0]
        for mine, theirs in ((section.footer, first.footer), (section.even_page_footer, first.even_page_footer)):
            mine.is_linked_to_previous = False
            element = mine._element
            for node in list(element):
                element.remove(node)
            for node in theirs._element:
                element.append(copy.deepcopy(node))

    def table_lines(self, table, width: int) -> int:
        """Grid lines a table takes: rows in single-spaced 小四, wrapped per column."""
        return math.ceil(sum(row_heights(table, column_widths(table, width))) / G.LINE_PITCH)

    # ---- 版记 ------------------------------------------------------------------------------
    def imprint_lines(self) -> int:
        imp = self.doc_model.imprint
        per_line = G.TEXT_WIDTH / 20 / G.IMPRINT_PT - 2
        lines = 1
        if imp.cc:
            lines += math.ceil((G.display_width("抄送：" + "，".join(imp.cc) + "。")) / per_line)
        return lines

    def imprint(self) -> None:
        """版记 on the last page, its last rule on the bottom edge of the 版心.

        The 版记 is a table anchored to the foot of the text area: on the page
        where the text ends if it fits there, else on a page of its own.  With
        duplex printing it must fall on an even page: when the text ends on an
        even page with no room left, a blank page is put in front of it and
        neither page is numbered (GB/T 9704 7.5).  Which case applies is
        decided from the line count of :class:`Flow`.
        """
        if self.landscape:
            self.orientation(False)
        need = self.imprint_lines()
        fits = self.flow.left_on_page >= need + 1
        page = self.flow.page
        if not self.package.style.duplex or page == 1:
            mode = "same_page" if fits else "own_page"
        elif page % 2 == 0:
            mode = "same_page" if fits else "blank_then_own"
        else:
            mode = "own_page"
        if mode != "same_page":
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            self.flow.new_page()
            if mode == "blank_then_own":
                for footer in (section.footer, section.even_page_footer):
                    footer.is_linked_to_previous = False
                blank = self.add_paragraph("Normal")
                blank.add_run().add_break(WD_BREAK.PAGE)
                self.flow.new_page()
        table = self.imprint_table()
        tail = self.add_paragraph("Normal")
        oxml.no_grid(tail)
        oxml.set_spacing(tail, line=20, rule="exact")
        oxml.box_at_bottom(tail, table, G.TEXT_WIDTH, (need + 1) * G.LINE_PITCH, name=IMPRINT_CAPTION)
        self.flow.add_lines(self.flow.left_on_page)

    def imprint_table(self):
        imp = self.doc_model.imprint
        rows = (1 if imp.cc else 0) + 1
        table = self.doc.add_table(rows=rows, cols=1)
        oxml.table_grid(table, [G.TEXT_WIDTH])
        oxml.table_borders(table, top=G.RULE_OUTER, bottom=G.RULE_OUTER, inside_h=G.RULE_INNER)
        oxml.table_cell_margins(table)
        oxml.table_caption(table, IMPRINT_CAPTION)
        char = G.IMPRINT_PT * 20
        r = 0
        if imp.cc:
            cell = table.rows[0].cells[0]
            p = cell.paragraphs[0]
            oxml.set_paragraph_style(p, "Imprint")
            label = "抄送："
            oxml.set_indent(p, left=char + round(G.display_width(label) * char), right=char,
                            hanging=round(G.display_width(label) * char))
            names = "，".join(imp.cc)
            p.add_run(label + names + ("" if names.endswith("。") else "。"))
            r = 1
        cell = table.rows[r].cells[0]
        p = cell.paragraphs[0]
        oxml.set_paragraph_style(p, "Imprint")
        oxml.add_tab_stop(p, G.TEXT_WIDTH - char, "right")
        p.add_run((imp.printer or "") + "\t" + (official_date(imp.date) + "印发" if imp.date else ""))
        for row in table.rows:
            oxml.row_flags(row, cant_split=True)
        return table

    # ---- package properties -------------------------------------------------------------
    def properties(self) -> None:
        d = self.doc_model
        props = self.doc.core_properties
        stamp = datetime.combine(d.date or (d.imprint.date if d.imprint and d.imprint.date else datetime(2000, 1, 1).date()),
                                 datetime.min.time())
        props.title = d.title
        props.author = d.office or ""
        props.last_modified_by = d.office or ""
        props.created = stamp
        props.modified = stamp
        props.revision = 1
        props.comments = ""
        props.keywords = ""
        props.subject = ""


def write_plan(package: Package, template: Optional[Path] = None) -> bytes:
    """The plan as .docx bytes."""
    return PlanWriter(package, template).write()
