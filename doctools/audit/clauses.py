"""GB/T 9704-2012 clause by clause, on a .docx and its rendered pages.

Each check yields a :class:`Check`: the clause, what the standard asks, what
was measured (mm, pt, lines, characters), the page, and pass or fail.  The
parts of the document are found the way a reader finds them, not from
doctools' own style names: the red rule of the 版头, a 发文字号 of the form
〔YYYY〕N号, 2号 centred title type, a line "附件：", a date line 2018年1月25日,
full-width rules at the foot of the last page.  A part that is not there
(no 版头, no 附注) is reported as not applicable, which passes.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..typeset import gbt9704 as G
from ..i18n import N_, _, ngettext
from .measure import PT_PER_MM, Page, Row, Rule, ink_box
from .styles import DocxModel, Para

MM = PT_PER_MM
TEXT_LEFT = G.MARGIN_LEFT / 20
TEXT_RIGHT = (G.PAGE_WIDTH - G.MARGIN_RIGHT) / 20
TEXT_TOP = G.MARGIN_TOP / 20
TEXT_BOTTOM = (G.PAGE_HEIGHT - G.MARGIN_BOTTOM) / 20
TEXT_WIDTH = TEXT_RIGHT - TEXT_LEFT
LINE = G.LINE_PITCH / 20
CH = G.BODY_PT                     # one body character, pt
CH4 = G.IMPRINT_PT                 # one 4号 character, pt
TOL = 1 * MM                       # what a ruler tells apart

PAGE_NUMBER = re.compile(r"^[—–-]\s*(\d+)\s*[—–-]$")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
NUMBER = re.compile(r"〔\d{4}〕\d+号")
LEVELS = [(re.compile(r"^[一二三四五六七八九十]+、"), "黑体", 1), (re.compile(r"^（[一二三四五六七八九十]+）"), "楷体", 2),
          (re.compile(r"^\d+[.．]"), "仿宋", 3), (re.compile(r"^（\d+）"), "仿宋", 4)]
_UNNUMBERED = {"1": ("黑体", 1), "2": ("楷体", 2)}


def heading_level(para) -> Optional[Tuple[str, int]]:
    """(the font GB/T 9704 wants, level) of a heading: by its number (一、（一）1.（1）), or, for a heading printed
    without one (总体要求), by its heading style of level 1 or 2; None for text."""
    for pattern, font, level in LEVELS:
        if pattern.match(para.text):
            return font, level
    m = re.fullmatch(r"(?i)heading ?([12])", para.style or "")
    return _UNNUMBERED[m.group(1)] if m and para.text.strip() else None


FONT_WORDS = {"黑体": ("黑体", "SimHei"), "楷体": ("楷体", "KaiTi"), "仿宋": ("仿宋", "FangSong"), "小标宋": ("小标宋",)}
HANGING = "，。、；：！？”’）》"
# the wording of an 印发通知 (现将《…》印发给你们，请认真贯彻执行)
NOTICE_WORDS = re.compile(r"现将.{0,80}印发给你们|印发给你们，请")
# the field labels of a form (填表人：, 填报单位（盖章）：, 联系电话：): not a 主送
FORM_FIELD = re.compile(r"填表|填报|制表|审核人|负责人|联系人|联系电话|盖章|日期：$|单位：$")
NO_LINE_START = HANGING + "】〕」』…—·"     # may not begin a line: the character before it goes down with it
NO_LINE_END = "（《“‘【〔「『"                # may not end a line: it goes down to the next


@dataclass
class Check:
    clause: str
    requirement: str
    measured: str
    page: Optional[int]
    passed: bool

    def as_dict(self) -> dict:
        return {"clause": self.clause, "requirement": self.requirement, "measured": self.measured,
                "page": self.page, "pass": self.passed}


def _pushed_down(line: str, following: str) -> bool:
    """The line ends early because a character that may not start a line (。：）…) took the one before it down,
    or one that may not end a line (（《“…) went down itself."""
    return (following[:1] in NO_LINE_START or following[1:2] in NO_LINE_START or following[:1] in NO_LINE_END
            or line[-1:] in NO_LINE_END)


def mm(pt: float) -> str:
    return f"{pt / MM:.1f} mm"


def has_font(name: str, kind: str) -> bool:
    return any(word.lower() in name.lower() for word in FONT_WORDS[kind])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Placed:
    """A paragraph and the rendered rows it occupies."""

    def __init__(self, para: Para, rows: List[Row]):
        self.para, self.rows = para, rows

    @property
    def page(self) -> int:
        return self.rows[0].page

    @property
    def first(self) -> Row:
        return self.rows[0]


def place(paragraphs: Sequence[Para], pages: Sequence[Page]) -> List[Placed]:
    """Find each paragraph's rows in the rendered text, in order."""
    rows = [r for p in pages for r in p.rows if not PAGE_NUMBER.match(squash(r.text)) and r.top < p.height - 2 * MM]
    stream, starts = "", []
    for r in rows:
        starts.append(len(stream))
        stream += squash(r.text)
    out, cursor = [], 0
    for para in paragraphs:
        text = squash(para.text)
        if not text or para.in_table:
            continue
        found = stream.find(text, cursor)
        if found < 0 or found - cursor > 400:
            continue
        end = found + len(text)
        first = max(i for i, s in enumerate(starts) if s <= found)
        last = max(i for i, s in enumerate(starts) if s < end)
        out.append(Placed(para, rows[first:last + 1]))
        cursor = end
    return out


class Auditor:
    def __init__(self, model: DocxModel, pages: List[Page]):
        self.model, self.pages = model, pages
        self.placed = place(model.paragraphs, pages)
        self.checks: List[Check] = []
        self.portrait = [p for p in pages if not p.landscape]

    # ---- helpers -----------------------------------------------------------------------
    def add(self, clause: str, requirement: str, measured: str, page: Optional[int], passed: bool) -> None:
        self.checks.append(Check(clause, requirement, measured, page, bool(passed)))

    def na(self, clause: str, requirement: str, what: str) -> None:
        """A part the document does not have: not applicable, which passes; *requirement* and *what* are
        message ids."""
        self.add(clause, _(requirement), _("no {what}").format(what=_(what)), None, True)

    def red_rule(self):
        if not self.pages:
            return None
        rules = [r for r in self.pages[0].rules if r.red and r.length > 0.8 * TEXT_WIDTH]
        return rules[0] if rules else None

    def titles(self) -> List[Placed]:
        return [p for p in self.placed if p.para.props.size_pt >= 20 and p.para.props.align == "center"
                and not p.first.red and not p.para.in_box]

    def attachment_labels(self) -> List[Placed]:
        return [p for p in self.placed if re.fullmatch(r"附件\d*", squash(p.para.text))]

    def body_end(self) -> int:
        """Index (in placed) of the first paragraph after the main text: the 附件 pages."""
        labels = self.attachment_labels()
        return self.placed.index(labels[0]) if labels else len(self.placed)

    def dates(self) -> List[int]:
        end = self.body_end()
        return [i for i, p in enumerate(self.placed[:end]) if DATE.match(squash(p.para.text))]

    @staticmethod
    def imprint_rules(page: Page) -> List[Rule]:
        """Full-width black rules below any table of the page (a table's own rules are not a 版记)."""
        below = max((e["bottom"] for e in page.vertical_edges), default=0) + 1
        return sorted((r for r in page.rules if not r.red and r.length > 0.9 * TEXT_WIDTH and r.top > below), key=lambda r: r.top)

    def imprint_page(self) -> Optional[Page]:
        last = self.pages[-1] if self.pages else None
        if last and not last.landscape and len(self.imprint_rules(last)) >= 2:
            return last
        return None

    # ---- the clauses ---------------------------------------------------------------------
    def run(self) -> List[Check]:
        for step in (self.paper, self.grid, self.front, self.title, self.recipients, self.body, self.headings,
                     self.attachment_note, self.signoff, self.note, self.attachments, self.imprint,
                     self.page_numbers, self.landscape):
            step()
        return self.checks

    def paper(self) -> None:
        for i, s in enumerate(self.model.sections):
            w, h = (s.height, s.width) if s.landscape else (s.width, s.height)
            m = s.margins
            if s.landscape:        # a turned page: the portrait margins turn with it
                top, right, bottom, left = m.get("right", 0), m.get("bottom", 0), m.get("left", 0), m.get("top", 0)
            else:
                top, right, bottom, left = m.get("top", 0), m.get("right", 0), m.get("bottom", 0), m.get("left", 0)
            ok = abs(w - G.PAGE_WIDTH) < 60 and abs(h - G.PAGE_HEIGHT) < 60
            self.add("5.1", _("A4 paper 210 × 297 mm"), _("section {n}: {w:.0f} × {h:.0f} mm").format(n=i + 1, w=w / 56.7, h=h / 56.7), None, ok)
            text_w, text_h = (w - left - right) / 56.7, (h - top - bottom) / 56.7
            ok = abs(top - G.MARGIN_TOP) <= 57 and abs(left - G.MARGIN_LEFT) <= 57 and abs(text_w - 156) <= 1 and abs(text_h - 225) <= 1
            self.add("5.2.1", _("天头 37 mm, 订口 28 mm, 版心 156 × 225 mm"),
                     _("section {n}: top {top:.1f} mm, left {left:.1f} mm, 版心 {w:.1f} × {h:.1f} mm").format(
                         n=i + 1, top=top / 56.7, left=left / 56.7, w=text_w, h=text_h), None, ok)

    def body_rows(self) -> List[Tuple[Placed, Row, bool]]:
        """(paragraph, row, is last row) of body text on portrait pages: every paragraph before the 附件 pages
        that is not centred or in a box, whatever its size (a body set in the wrong size must be measured, not
        passed over)."""
        out = []
        for p in self.placed[:self.body_end()]:
            if p.para.in_box or p.para.props.align == "center" or p.first.red:
                continue
            for i, r in enumerate(p.rows):
                out.append((p, r, i == len(p.rows) - 1))
        return out

    def grid(self) -> None:
        rows = self.body_rows()
        tops = {}
        for _para, r, _last in rows:
            tops.setdefault(r.page, []).append(r.top)
        pitches = [b - a for ts in tops.values() for a, b in zip(ts, ts[1:]) if b - a < 1.5 * LINE]
        pitch = statistics.median(pitches) if pitches else 0
        lines = (G.TEXT_HEIGHT / 20) / pitch if pitch else 0
        if not rows:
            self.na("5.2.3", N_("22 lines a page"), N_("body text"))
        elif not pitch:
            self.add("5.2.3", _("22 lines a page"), _("no two body lines follow each other on a page"), None, False)
        else:
            self.add("5.2.3", _("22 lines a page"), _("line pitch {pitch:.2f} pt: {lines:.2f} lines in 225 mm").format(
                pitch=pitch, lines=lines), None, abs(lines - 22) < 0.1)
        # a page a paragraph runs over from is full: its last line is line 22 of the 版心
        bad, full = [], 0
        for p in dict.fromkeys(para for para, _row, _last in rows):
            for a, b in zip(p.rows, p.rows[1:]):
                if b.page != a.page and not self.pages[a.page - 1].landscape:
                    full += 1
                    line = (a.bottom - TEXT_TOP) / LINE
                    if not 21.05 < line <= 22.05:
                        bad.append((a.page, f"{line:.2f}"))
        self.add("5.2.3", _("22 lines on every full body page (a paragraph running on to the next page ends line 22)"),
                 ", ".join(_("p{page}: last line at line {line}").format(page=n, line=c) for n, c in bad)
                 or _("{count} full pages, 22 lines").format(count=full),
                 bad[0][0] if bad else None, not bad)
        widths = []
        for (_para, r, last), (_next, after, _last) in zip(rows, rows[1:] + [(None, None, None)]):
            if last or r.x1 < TEXT_RIGHT - CH:
                continue
            if after is not None and _pushed_down(squash(r.text), squash(after.text)):
                continue        # the line-breaking rules made it a character short (…完成时|限：…): no measure of the grid
            if re.search(r"[A-Za-z0-9]", r.text):
                continue        # Latin letters and digits are proportional, and spaced from Chinese: not counted
            text = r.text.rstrip(HANGING) if r.x1 > TEXT_RIGHT + 2 else r.text
            widths.append((G.display_width(text) + (r.x0 - TEXT_LEFT) / CH, r.page))
        if not widths:
            if any(len(p.rows) > 1 for p in dict.fromkeys(para for para, _row, _last in rows)):
                # paragraphs wrap, yet no line reaches the right edge of the 版心: the text is narrower than it
                self.add("5.2.3", _("28 characters a line"), _("no wrapped line reaches the right edge of the 版心"),
                         None, False)
            else:
                self.na("5.2.3", N_("28 characters a line"), N_("full line of body text"))
            return
        typical = statistics.median(w for w, _page in widths)
        self.add("5.2.3", _("28 characters a line"), _("{typical:.1f} characters (median of {count} full lines)").format(typical=typical, count=len(widths)), None,
                 abs(typical - 28) <= 0.5)

    def front(self) -> None:
        rule = self.red_rule()
        if rule is None:
            self.na("7.2.4", N_("发文机关标志 35 mm below the top of the 版心"), N_("版头 (red rule)"))
            return
        first = self.pages[0]
        above = [r for r in first.rows if r.bottom <= rule.top + 1]
        marks = [r for r in above if r.red]
        if marks:
            mark = marks[0]
            self.add("7.2.4", _("发文机关标志: top 35 mm below the top of the 版心, red, centred"),
                     _("top {top}; centre off by {off}").format(
                         top=mm(mark.top - TEXT_TOP), off=mm(abs((mark.x0 + mark.x1) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2))),
                     1, abs(mark.top - TEXT_TOP - 35 * MM) <= TOL and abs((mark.x0 + mark.x1) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2) <= TOL)
        else:
            self.add("7.2.4", _("发文机关标志 in red above the red rule"), _("none found"), 1, False)
        for r in above:
            if re.fullmatch(r"\d{6}", squash(r.text)):
                self.add("7.2.1", _("份号: 6 digits flush left on line 1"), _("x {x} from the left").format(x=mm(r.x0 - TEXT_LEFT)), 1, abs(r.x0 - TEXT_LEFT) <= TOL)
            if re.search(r"绝密|机密|秘密|特急|加急", r.text):
                self.add("7.2.2", _("密级/紧急程度 flush left"), _("x {x} from the left").format(x=mm(r.x0 - TEXT_LEFT)), 1, abs(r.x0 - TEXT_LEFT) <= TOL)
        numbers = [r for r in above if NUMBER.search(r.text)]
        if not numbers:
            self.add("7.2.5", _("发文字号 above the red rule"), _("none found"), 1, False)
            return
        number = numbers[-1]
        gap = rule.top - number.bottom
        self.add("7.2.7", _("red rule 4 mm below the 发文字号, full 版心 width"), _("{gap} below; {length} long").format(gap=mm(gap), length=mm(rule.length)), 1,
                 abs(gap - 4 * MM) <= TOL and abs(rule.length - TEXT_WIDTH) <= TOL)
        if "签发人" in number.text:
            signer = [p for p in self.placed if "签发人" in p.para.text]
            name_font = ""
            if signer:
                runs = signer[0].para.runs
                after = "".join(t for t, _props in runs).split("签发人：")[-1]
                name_font = next((pr.font for t, pr in runs if after and after.startswith(t.strip()[:1]) and "签发人" not in t), "")
            self.add("7.2.6", _("发文字号 居左空一字, 签发人 居右空一字, name in 楷体"),
                     _("left {left:.2f} ch, right {right:.2f} ch, name font {font}").format(
                         left=(number.x0 - TEXT_LEFT) / CH, right=(TEXT_RIGHT - number.x1) / CH, font=name_font or "?"),
                     1, abs(number.x0 - TEXT_LEFT - CH) <= TOL and abs(TEXT_RIGHT - number.x1 - CH) <= TOL and has_font(name_font, "楷体"))
        else:
            centre = (number.x0 + number.x1) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2
            self.add("7.2.5", _("发文字号 centred under the 标志"), _("centre off by {off}").format(off=mm(abs(centre))), 1, abs(centre) <= TOL)

    def title(self) -> None:
        titles = [t for t in self.titles() if self.placed.index(t) < self.body_end()]
        if not titles:
            self.add("7.3.1", _("a title in 2号小标宋"), _("none found"), None, False)
            return
        for t in titles:
            self.check_title(t, "7.3.1")

    def check_title(self, t: Placed, clause: str) -> None:
        from ..typeset.titles import shape_ok, word_bounds
        props = t.para.props
        whole = squash(t.para.text)
        # a title names the document: not its 发文字号 set in title type, not a lead-in ending with "："
        not_title = _("a 发文字号") if NUMBER.search(whole) and len(whole) <= 20 else \
            _("ends with “：”") if whole.endswith(("：", ":")) else ""
        self.add(clause, _("the title is a title (not a 发文字号, not ending with “：”)"),
                 f"{whole[:20]}: {not_title}" if not_title else whole[:20], t.page, not not_title)
        self.add(clause, _("title 2号 (22 pt) 小标宋, centred"), _("{size:g} pt {font}, {align}").format(size=props.size_pt, font=props.font, align=props.align), t.page,
                 abs(props.size_pt - G.TITLE_PT) < 0.1 and has_font(props.font, "小标宋") and props.align == "center")
        lines = [squash(r.text) for r in t.rows]
        widths = [G.display_width(line) for line in lines]
        text = "".join(lines)
        bounds, at, inside = word_bounds(text), 0, []
        for line in lines[:-1]:
            at += len(line)
            if at not in bounds and text[at - 1] not in HANGING:
                inside.append(f"{text[max(0, at - 3):at]}|{text[at:at + 3]}")
        self.add(clause, _("title lines break between words"), "; ".join(inside) or ngettext("{count} line", "{count} lines", len(lines)).format(count=len(lines)), t.page, not inside)
        if len(widths) > 1:
            self.add(clause, _("a long title as 梯形 or 菱形, no short stub"), _("{widths} characters").format(widths="/".join(f"{w:g}" for w in widths)),
                     t.page, shape_ok(widths))

    def recipients(self) -> None:
        found = False
        for t in self.titles():
            i = self.placed.index(t)
            following = self.placed[i + 1] if i + 1 < len(self.placed) else None
            text = squash(following.para.text) if following else ""
            # a list of addressees: ends with its only ：, short, no sentence in it (a preamble "…如下：" has one),
            # and not a form's field (填表人：, 填报单位：) under a form's title
            if text.endswith("：") and text.count("：") == 1 and not text.startswith("附件") and "。" not in text \
                    and len(text) <= 90 and not FORM_FIELD.search(text):
                found = True
                r = following.first
                self.add("7.3.2", _("主送机关 flush left, ending with ："), _("x {x} from the left").format(x=mm(r.x0 - TEXT_LEFT)), r.page,
                         all(abs(x.x0 - TEXT_LEFT) <= TOL for x in following.rows))
        if not found:
            self.na("7.3.2", N_("主送机关 flush left"), N_("主送机关"))

    def main_text(self) -> List[Placed]:
        """Paragraphs of the body text: after a title (and its 主送), up to the 附件说明 or 署名."""
        out, inside = [], False
        stops = set(self.dates())
        for i, p in enumerate(self.placed[:self.body_end()]):
            text = squash(p.para.text)
            if p in self.titles():
                inside = True
                continue
            if not inside or p.para.in_box or p.first.red:
                continue
            if text.endswith("：") and "。" not in text and i > 0 and self.placed[i - 1] in self.titles():
                continue
            if text.startswith("附件：") or (i + 1 in stops) or i in stops:
                inside = False
                continue
            if p.para.props.align in ("center", "right"):
                continue
            out.append(p)
        return out

    def body(self) -> None:
        bad = []
        paragraphs = self.main_text()
        if not paragraphs:
            self.na("7.3.3", N_("正文: first line 左空二字, wrapped lines flush left"), N_("正文 after a title"))
            return
        for p in paragraphs:
            first = p.first.x0 - TEXT_LEFT
            if abs(first - 2 * CH) > TOL:
                bad.append((p.page, _("first line at {x:.2f} ch: {text}").format(x=first / CH, text=p.para.text[:12])))
            for r in p.rows[1:]:
                if r.page == p.first.page and abs(r.x0 - TEXT_LEFT) > TOL:
                    bad.append((r.page, _("wrapped line at {x:.2f} ch: {text}").format(x=(r.x0 - TEXT_LEFT) / CH, text=r.text[:12])))
                    break
        self.add("7.3.3", _("正文: first line 左空二字, wrapped lines flush left"),
                 bad[0][1] if bad else _("{count} paragraphs").format(count=len(paragraphs)), bad[0][0] if bad else None, not bad)
        # the 印发通知 is a document of its own before the plan (its title 关于印发…的通知, 主送, 署名); its wording set
        # as a paragraph of the plan's text is a notice printed as body text
        titles = self.titles()
        misplaced = []
        for p in paragraphs:
            if NOTICE_WORDS.search(squash(p.para.text)):
                above = [t for t in titles if self.placed.index(t) < self.placed.index(p)]
                if not above or not re.search(r"印发.*通知", squash(above[-1].para.text)):
                    misplaced.append(p)
        self.add("7.3.3", _("no 印发通知 printed as body text (the notice is its own document with its title)"),
                 _("p{page}: {text}").format(page=misplaced[0].page, text=misplaced[0].para.text[:16]) if misplaced
                 else _("none"), misplaced[0].page if misplaced else None, not misplaced)
        fonts = {(p.para.props.font, p.para.props.size_pt) for p in paragraphs if heading_level(p.para) is None}
        odd = [f"{f} {s:g} pt" for f, s in fonts if not has_font(f, "仿宋") or s != G.BODY_PT]
        self.add("7.3.3", _("正文 3号仿宋"), ", ".join(odd) or "3号仿宋", None, not odd)

    def headings(self) -> None:
        seen = {}
        for p in self.main_text():
            found = heading_level(p.para)
            if found is not None:
                font, level = found
                label_font = next((pr.font for t, pr in p.para.runs if t.strip()), p.para.props.font)
                seen.setdefault(level, []).append((p, label_font, font))
        for level in sorted(seen):
            wrong = [(p, f) for p, f, want in seen[level] if not has_font(f, want)]
            want = seen[level][0][2]
            self.add("7.3.3", _("level {level} headings in {font}").format(level=level, font=want),
                     (f"{wrong[0][1]}: {wrong[0][0].para.text[:12]}" if wrong
                      else _("{count} in {font}").format(count=len(seen[level]), font=want)), wrong[0][0].page if wrong else None, not wrong)
        if not seen:
            self.na("7.3.3", N_("heading fonts per level"), N_("numbered headings"))

    def attachment_note(self) -> None:
        end = self.body_end()
        notes = [i for i, p in enumerate(self.placed[:end]) if squash(p.para.text).startswith("附件：")]
        if not notes:
            self.na("7.3.4", N_("附件说明 左空二字, wrapped names aligned"), N_("附件说明"))
            return
        i = notes[0]
        first = self.placed[i]
        items = [first]
        for p in self.placed[i + 1:end]:
            if re.match(r"^\d+[.．]", squash(p.para.text)) and p.para.props.size_pt == G.BODY_PT:
                items.append(p)
            else:
                break
        label = first.first
        problems = []
        if abs(label.x0 - TEXT_LEFT - 2 * CH) > TOL:
            problems.append(_("附件 at {x:.2f} ch").format(x=(label.x0 - TEXT_LEFT) / CH))
        number_x = None
        for k, p in enumerate(items):
            chars = p.first.chars
            text = "".join(c["text"] for c in chars)
            m = re.match(r"(附件：)?(\d+[.．])?", text)
            skip = len(m.group(0)) if m else 0
            if m and m.group(2):
                x = chars[len(m.group(1) or "")]["x0"]
                number_x = x if number_x is None else number_x
                if abs(x - number_x) > TOL:
                    problems.append(_("number {k} at {x} from number 1").format(k=k + 1, x=mm(x - number_x)))
            name_x = chars[skip]["x0"] if skip < len(chars) else chars[0]["x0"]
            # after "1." Word and LibreOffice add a little space before the Chinese name (autospace between digits
            # and CJK); the name's place is where the number ends as well as where its first character is drawn
            number_end = chars[skip - 1]["x1"] if 0 < skip <= len(chars) and chars[skip - 1]["text"].isascii() else name_x
            for r in p.rows[1:]:
                if abs(r.x0 - name_x) > TOL and abs(r.x0 - number_end) > TOL:
                    problems.append(_("wrapped name {k} at {x} from its first character").format(k=k + 1, x=mm(r.x0 - name_x)))
            if squash(p.para.text)[-1] in "。，；.;,":
                problems.append(_("name {k} ends with punctuation").format(k=k + 1))
        self.add("7.3.4", _("附件说明 左空二字; numbers aligned; a wrapped name aligns with its first character"),
                 "; ".join(problems) or ngettext("{count} attachment, aligned", "{count} attachments, aligned", len(items)).format(count=len(items)), first.page, not problems)

    def signoff(self) -> None:
        dates = self.dates()
        if not dates:
            self.na("7.3.5", N_("署名 and 成文日期"), N_("成文日期"))
            return
        for d in dates:
            date = self.placed[d]
            name = self.placed[d - 1] if d else None
            if name is None:
                continue
            n, t = name.rows[-1], date.first
            right_date = (TEXT_RIGHT - t.x1) / CH
            right_name = (TEXT_RIGHT - n.x1) / CH
            offset = t.x0 - n.x0
            longer = t.x1 - t.x0 > n.x1 - n.x0
            unsealed_ok = abs(offset - 2 * CH) <= TOL and (abs(right_date - 2) <= 0.25 if longer else abs(right_name - 2) <= 0.25)
            # an unsealed 署名 longer than its date by four characters leaves the date 右空四字 too: it is sealed
            # only when the 署名 is centred over the date, not set as the unsealed rule sets it
            sealed = abs(right_date - 4) < 0.5 and not unsealed_ok
            if sealed:
                centre = (n.x0 + n.x1) / 2 - (t.x0 + t.x1) / 2
                self.add("7.3.5.1", _("sealed: 成文日期 右空四字, 署名 centred over the date"),
                         _("date {right:.2f} ch from the right; 署名 centre {off} from the date's").format(right=right_date, off=mm(centre)), t.page,
                         abs(centre) <= TOL)
            else:
                ok = unsealed_ok
                self.add("7.3.5.2", _("unsealed: 署名 右空二字 (or the date if longer), date starts 2 characters right of the 署名"),
                         _("署名 {right:.2f} ch from the right; date starts {offset} right of the 署名 (2 ch = {two})").format(
                             right=right_name, offset=mm(offset), two=mm(2 * CH)),
                         t.page, ok)
            page = self.pages[n.page - 1]
            before = [r for r in page.rows if r.top < n.top and r.top >= TEXT_TOP - 1 and not r.red]
            self.add("7.3.5", _("署名 and date on one page with text above them (nothing alone on a page)"),
                     ngettext("署名 p{name}, date p{date}, {count} line above", "署名 p{name}, date p{date}, {count} lines above",
                              len(before)).format(name=n.page, date=t.page, count=len(before)), t.page, n.page == t.page and before)

    def note(self) -> None:
        found = False
        for d in self.dates():
            if d + 1 < len(self.placed):
                p = self.placed[d + 1]
                text = squash(p.para.text)
                if text.startswith("（") and text.endswith("）") and p.page == self.placed[d].page:
                    found = True
                    self.add("7.3.6", _("附注 左空二字 in （）, under the date"), _("x {x:.2f} ch").format(x=(p.first.x0 - TEXT_LEFT) / CH),
                             p.page, abs(p.first.x0 - TEXT_LEFT - 2 * CH) <= TOL)
        if not found:
            self.na("7.3.6", N_("附注 左空二字"), N_("附注"))

    def attachments(self) -> None:
        labels = self.attachment_labels()
        if not labels:
            self.na("7.3.7", N_("附件 pages"), N_("附件"))
            return
        end = self.body_end()
        names = []
        for p in self.placed[:end]:
            text = squash(p.para.text)
            if text.startswith("附件：") or (names and re.match(r"^\d+[.．]", text)):
                names.append(re.sub(r"^(附件：)?(\d+[.．])?", "", text))
        for k, label in enumerate(labels):
            page = self.pages[label.page - 1]
            first_row = min((r for r in page.rows if not PAGE_NUMBER.match(squash(r.text))), key=lambda r: r.top)
            left = TEXT_LEFT if not page.landscape else G.MARGIN_BOTTOM / 20
            top = TEXT_TOP if not page.landscape else G.MARGIN_LEFT / 20
            font = label.para.props.font
            self.add("7.3.7", _("附件N: 3号黑体, flush left on line 1 of a new page"),
                     _("{font} {size:g} pt, x {x}, line {line:.2f}").format(
                         font=font, size=label.para.props.size_pt, x=mm(label.first.x0 - left), line=(label.first.bottom - top) / LINE),
                     label.page, first_row is label.first and abs(label.first.x0 - left) <= TOL and has_font(font, "黑体")
                     and abs(label.para.props.size_pt - G.BODY_PT) < 0.1)
            i = self.placed.index(label)
            title = next((p for p in self.placed[i + 1:] if p.para.props.size_pt >= 18), None)
            if title is None:
                continue
            line = (title.first.bottom - top) / LINE
            self.add("7.3.7", _("附件 title on line 3"), _("bottom of its first line at line {line:.2f}").format(line=line), title.page, 2 < line <= 3.05)
            self.check_title(title, "7.3.7")
            if names:
                want = names[k] if k < len(names) else ""
                got = squash(title.para.text)
                self.add("7.3.7", _("附件 title worded as in the 附件说明"), _("same") if got == want else f"{got[:16]} ≠ {want[:16]}",
                         title.page, got == want)

    def imprint(self) -> None:
        page = self.imprint_page()
        if page is None:
            others = [p.number for p in self.pages[:-1] if len(self.imprint_rules(p)) >= 2]
            if others:
                self.add("7.4.1", _("版记 at the foot of the last page"),
                         _("no 版记 on the last page (rules on p{page})").format(page=others[0]), None, True)
            else:
                self.na("7.4.1", N_("版记 at the foot of the last page"), N_("版记 on the last page"))
            return
        rules = self.imprint_rules(page)
        widths = [r.width for r in rules]
        ok_widths = abs(widths[0] - 0.35 * MM) < 0.15 and abs(widths[-1] - 0.35 * MM) < 0.15 and all(abs(w - 0.25 * MM) < 0.15 for w in widths[1:-1])
        self.add("7.4.1", _("版记 rules: first and last 0.35 mm, inner 0.25 mm, 版心 wide"),
                 _("{widths} mm thick; {length} long").format(widths=", ".join(f"{w / MM:.2f}" for w in widths), length=mm(rules[0].length)), page.number,
                 ok_widths and all(abs(r.length - TEXT_WIDTH) <= TOL for r in rules))
        gap = TEXT_BOTTOM - rules[-1].bottom
        self.add("7.4.1", _("last 版记 rule on the bottom edge of the 版心 of the last page"), _("{gap} above it").format(gap=mm(gap)), page.number, abs(gap) <= TOL)
        self.add("7.4.1", _("版记 on an even page (duplex)"), _("page {page}").format(page=page.number), page.number, page.number % 2 == 0)
        inside = [r for r in page.rows if rules[0].top < r.top < rules[-1].bottom]
        cc = [r for r in inside if r.text.startswith("抄送")]
        if cc:
            self.add("7.4.2", _("抄送 4号, 左空一字"), _("{size:g} pt, x {x:.2f} ch").format(size=cc[0].size, x=(cc[0].x0 - TEXT_LEFT) / CH4), page.number,
                     abs(cc[0].size - G.IMPRINT_PT) < 0.6 and abs(cc[0].x0 - TEXT_LEFT - CH4) <= TOL)
        printed = [r for r in inside if r.text.endswith("印发")]
        if printed:
            r = printed[-1]
            self.add("7.4.3", _("印发机关 左空一字, 印发日期 右空一字, 4号"), _("{size:g} pt, left {left:.2f} ch, right {right:.2f} ch").format(
                         size=r.size, left=(r.x0 - TEXT_LEFT) / CH4, right=(TEXT_RIGHT - r.x1) / CH4),
                     page.number, abs(r.size - G.IMPRINT_PT) < 0.6 and abs(r.x0 - TEXT_LEFT - CH4) <= TOL and abs(TEXT_RIGHT - r.x1 - CH4) <= TOL)

    def page_number_rows(self, page: Page) -> List[Row]:
        return [r for r in page.rows if PAGE_NUMBER.match(squash(r.text)) and (r.top > TEXT_BOTTOM - 2 or page.landscape)]

    def page_numbers(self) -> None:
        imprint = self.imprint_page()
        blank_before = imprint is not None and len(self.pages) >= 2 and not self.pages[-2].rows and not self.pages[-2].turned
        problems = []
        for page in self.pages:
            numbers = self.page_number_rows(page)
            turned = "".join(c["text"] for c in sorted(page.turned, key=lambda c: c["top"]))
            blank = not [r for r in page.rows if r not in numbers]
            unnumbered = (blank and blank_before and page.number == len(self.pages) - 1) or (blank_before and page is imprint)
            if unnumbered:
                if numbers or PAGE_NUMBER.match(squash(turned)):
                    problems.append((page.number, _("numbered, but a blank page comes before the 版记")))
                continue
            if page.landscape:
                continue                                 # §8, below
            if len(numbers) != 1 or PAGE_NUMBER.match(squash(numbers[0].text)).group(1) != str(page.number):
                problems.append((page.number, _("no page number {page}").format(page=page.number)))
                continue
            r = numbers[0]
            if abs(r.size - G.IMPRINT_PT) > 0.6:
                problems.append((page.number, _("{size:g} pt, not 4号").format(size=r.size)))
            if page.number % 2 and abs(TEXT_RIGHT - r.x1 - CH4) > TOL:
                problems.append((page.number, _("odd page: {x:.2f} ch from the right, not 1").format(x=(TEXT_RIGHT - r.x1) / CH4)))
            if not page.number % 2 and abs(r.x0 - TEXT_LEFT - CH4) > TOL:
                problems.append((page.number, _("even page: {x:.2f} ch from the left, not 1").format(x=(r.x0 - TEXT_LEFT) / CH4)))
            dash = r.chars[0]
            ink = ink_box(page, dash["x0"], dash["top"], dash["x1"], dash["bottom"])
            if ink is None or abs(ink[1] - TEXT_BOTTOM - 7 * MM) > TOL:
                problems.append((page.number, _("dash {x} below the 版心, not 7 mm").format(x=mm(ink[1] - TEXT_BOTTOM) if ink else "?")))
        self.add("7.5", _("— N — in 4号, dash 7 mm below the 版心, odd 居右空一字, even 居左空一字; none on a blank page before the 版记 or on that 版记 page"),
                 "; ".join(f"p{n}: {m}" for n, m in problems[:3]) or _("{count} pages right").format(count=len(self.pages)),
                 problems[0][0] if problems else None, not problems)

    def landscape(self) -> None:
        wide = [p for p in self.pages if p.landscape]
        if not wide:
            self.na("8", N_("landscape pages"), N_("landscape page"))
            return
        problems = []
        for page in wide:
            upright = self.page_number_rows(page)
            turned = sorted(page.turned, key=lambda c: c["top"])     # read top to bottom
            text = squash("".join(c["text"] for c in turned))
            if upright or not PAGE_NUMBER.match(text):
                problems.append((page.number, _("page number turned with the page") if upright else _("no page number")))
                continue
            # portrait bottom edge = left edge of the turned page; its 版心 ends 35 mm in
            dash = max(turned, key=lambda c: c["top"]) if page.number % 2 else min(turned, key=lambda c: c["top"])
            ink = ink_box(page, dash["x0"], dash["top"], dash["x1"], dash["bottom"])
            edge = G.MARGIN_BOTTOM / 20
            if ink is None or abs(edge - ink[2] - 7 * MM) > TOL:
                problems.append((page.number, _("dash {x} outside the 版心, not 7 mm").format(x=mm(edge - ink[2]) if ink else "?")))
            top_of_text, bottom_of_text = G.MARGIN_LEFT / 20, page.height - G.MARGIN_RIGHT / 20
            lowest, highest = max(c["bottom"] for c in turned), min(c["top"] for c in turned)
            if page.number % 2 and abs(bottom_of_text - lowest - CH4) > TOL:
                problems.append((page.number, _("odd page number {x:.2f} ch from the 版心's end, not 1").format(x=(bottom_of_text - lowest) / CH4)))
            if not page.number % 2 and abs(highest - top_of_text - CH4) > TOL:
                problems.append((page.number, _("even page number {x:.2f} ch from the 版心's start, not 1").format(x=(highest - top_of_text) / CH4)))
            cols = sorted({round(e["x0"], 1) for e in page.vertical_edges})
            gaps = [b - a for a, b in zip(cols, cols[1:]) if b - a > 2]
            if gaps and min(gaps) < 10 * MM:
                problems.append((page.number, _("a table column {width} wide").format(width=mm(min(gaps)))))
            if cols:
                outside = [r for r in page.rows if r.x1 > max(cols) + 2 or r.x0 < min(cols) - 2]
                outside = [r for r in outside if r.top > min(e["top"] for e in page.vertical_edges)
                           and r.bottom < max(e["bottom"] for e in page.vertical_edges)]
                if outside:
                    problems.append((page.number, _("text past the table's rule: {text}").format(text=outside[0].text[:10])))
        self.add("8", _("landscape page: page number where a portrait page has it (not turned), table inside its rules, columns ≥ 10 mm"),
                 "; ".join(f"p{n}: {m}" for n, m in problems[:3]) or ngettext("{count} page right", "{count} pages right", len(wide)).format(count=len(wide)), problems[0][0] if problems else None,
                 not problems)


def audit_pages(model: DocxModel, pages: List[Page]) -> List[Check]:
    return Auditor(model, pages).run()
