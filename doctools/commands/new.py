"""``doctools new``: the package a new plan starts from.

Every plan has the same few facts: the issuing office (发文机关), the document type (实施方案 / 工作方案 / 推进方案), the
date (成文日期), whether it carries a red 版头 and an 印发通知 (the notice that issues it), and the units that do the
work.  From those, :func:`write_new` writes a commented package whose every other text is a placeholder
``【待填写…】``.  It builds at once into a complete, valid plan, and ``doctools check`` warns at each placeholder
still left (see :data:`doctools.readers.lint.PLACEHOLDER`), so staff see what remains to be written.

The package's text lives as Jinja templates in ``templates/new/``, found through the installed package, not in the working
directory.  :func:`copy_structure` (``--from inputs/kazuo``) instead keeps another package's files, headings,
phases, tasks and attachments, with its texts turned into placeholders and its units and dates replaced.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Dict, List

import yaml

from ..i18n import _
from ..readers.lint import PLACEHOLDER
from ..resources import templates

TEMPLATES = templates("new")
DOC_TYPES = ("实施方案", "工作方案", "推进方案")
SUBJECT = "【待填写：工作名称】"
PHASES = ("动员部署阶段", "组织实施阶段", "总结评估阶段")
_PLACE = re.compile(r"^(.+?(?:自治区|自治州|自治县|省|市|县|区|旗|州|盟|镇|乡|街道))")


@dataclass
class Answers:
    """What ``doctools new`` asks."""

    office: str
    doc_type: str = DOC_TYPES[0]
    day: date = field(default_factory=date.today)
    header: bool = False
    notice: bool = False
    units: List[str] = field(default_factory=list)
    subject: str = SUBJECT

    @property
    def place(self) -> str:
        """喀左县 of 喀左县人民政府办公室: the place a plan's title starts with."""
        m = _PLACE.match(self.office)
        return m.group(1) if m else ""

    @property
    def title(self) -> str:
        return f"{self.place}{self.subject}{self.doc_type}"

    @property
    def locality(self) -> str:
        """我县 / 我市 / 我区 …, as a preamble says 结合我县实际."""
        place = self.place
        for suffix in ("自治区", "自治州", "自治县", "街道"):
            if place.endswith(suffix):
                return "我" + suffix[-1]
        return "我" + place[-1] if place else "本地"

    @property
    def unit_names(self) -> List[str]:
        return list(self.units) or [self.office]


def phases(start: date, titles=PHASES) -> List[Dict[str, str]]:
    """Phases over the twelve months from *start*: the first gets one month, the last two, the middle the rest."""
    count = len(titles)
    lengths = [1] + [max(1, (12 - 3) // max(1, count - 2))] * (count - 2) + [2] if count > 1 else [12]
    out, month = [], start.year * 12 + start.month - 1
    for title, length in zip(titles, lengths):
        first, last = month, month + length - 1
        period = _month(first) if first == last else f"{_month(first)}-{_month(last)}"
        out.append({"title": title, "period": period, "end": _month(last)})
        month = last + 1
    return out


def _month(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"


#: a scalar written plain: word characters and Chinese text and punctuation only, so it reads back the same in
#: every YAML context a template puts it in (a flow list ``[a, b]`` splits at ", " and ends at "]")
_PLAIN = re.compile(r"[\w\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")
#: characters a double-quoted scalar must not hold raw: YAML reads U+0085, U+2028 and U+2029 as line ends
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _yaml_scalar(value: str) -> str:
    """*value* as a YAML scalar that reads back unchanged wherever the templates put it (block or flow): plain
    when it is only words, else double-quoted with every line end or control character escaped."""
    plain = str(value)
    try:
        if _PLAIN.fullmatch(plain) and yaml.safe_load(plain) == plain:
            return plain
    except yaml.YAMLError:
        pass
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(plain, ensure_ascii=False))


def _comment(text: str) -> str:
    """*text* (a folder name) safe inside a YAML comment: no line end can end the comment early."""
    from ..errors import shown
    return shown(text.replace("\r", "\\r").replace("\n", "\\n"))


def check_answers(answers: "Answers", folder: Path) -> None:
    """The answers refused before anything is written, with the words check would use: a control character
    (C0, C1, U+2028, a bidi control) in the office, subject, a unit or the folder's name, or an office or title
    over the length check allows.  What is written is then read back (:func:`_read_back`)."""
    from ..errors import DoctoolsError, shown
    from ..limits import MAX_TITLE_CHARS
    from ..readers.yamlsrc import BAD_XML

    if shown(folder.name) != folder.name:          # check refuses such a package folder
        raise DoctoolsError(_("{folder}: the folder's name has characters that are not text (a name in another "
                              "encoding than UTF-8, or control characters); choose another name").format(
                                  folder=shown(folder)))

    for option, values in (("--office", [answers.office]), ("--subject", [answers.subject]), ("--unit", answers.units)):
        for value in values:
            bad = BAD_XML.search(value or "")
            if bad:
                raise DoctoolsError(_("{option}: character U+{code} cannot appear in a document; delete it").format(
                    option=option, code=f"{ord(bad.group()):04X}"))
    for option, value in (("--office", answers.office), ("--subject", answers.title)):
        if len(value) > MAX_TITLE_CHARS:
            raise DoctoolsError(_("{option} gives a text of {count} characters; it may be {limit} at most").format(
                option=option, count=len(value), limit=MAX_TITLE_CHARS))


def _read_back(files: Dict[str, str], answers: "Answers") -> None:
    """Every file parses, and the office and the units read back as given: a quoting slip is caught here, before
    anything is written, never by the user's first check."""
    data = {name: yaml.safe_load(text) or {} for name, text in files.items()}
    merged = {key: value for one in data.values() if isinstance(one, dict) for key, value in one.items()}
    office = (merged.get("document") or {}).get("office")
    units = merged.get("units")
    assert office == answers.office and units == answers.unit_names, (office, units)


def render(answers: Answers, folder_name: str) -> Dict[str, str]:
    """The files of a new package: name -> YAML text."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["q"] = _yaml_scalar
    plan_phases = phases(answers.day)
    values = dict(folder=_comment(folder_name), title=answers.title, office=answers.office, doc_type=answers.doc_type,
                  date=f"{answers.day.year}年{answers.day.month}月{answers.day.day}日", year=answers.day.year, header=answers.header,
                  notice=answers.notice, locality=answers.locality, units=answers.unit_names, phases=plan_phases,
                  deadline=plan_phases[-2]["end"] + "底前")
    return {t[:-3]: env.get_template(t).render(**values) for t in sorted(env.list_templates(extensions=["j2"]))}


def write_new(folder: Path, answers: Answers) -> List[Path]:
    """Write a new package into *folder* (new or empty); return the files written."""
    check_answers(answers, folder)
    files = render(answers, folder.as_posix())
    _read_back(files, answers)
    return _write(folder, files)


def _write(folder: Path, files: Dict[str, str]) -> List[Path]:
    """All the files at once or none (:func:`doctools.safeio.atomic.create_folder`)."""
    from ..safeio.atomic import create_folder

    return create_folder(folder, {name: text.encode("utf-8") for name, text in files.items()})


# ---- --from: another package's structure ----------------------------------------------------------------------
def _check_yaml(source: Path) -> None:
    """The source package's YAML files read first by the reader ``check`` uses (its limits of size, depth and
    aliases, UTF-8, one message per syntax error with its place): a syntax error, a GBK file or nesting 10,000 deep
    gets what check reports (InputError, exit 2), never an exception of plain ``yaml.safe_load``."""
    from ..errors import Diagnostics
    from ..readers.yamlsrc import Budget, load_yaml

    diags, budget = Diagnostics(), Budget()
    for path in sorted(source.glob("*.yaml")):
        load_yaml(path, str(path), diags, budget=budget)
    diags.raise_if_errors()


def copy_structure(source: Path, folder: Path, answers: Answers) -> List[Path]:
    """Write into *folder* the structure of the package in *source*: the same files and top-level keys, its style
    and table settings, its headings, tasks, phases and attachments, with every text a placeholder; the document
    frame, units and dates come from *answers*.  A catalog and its flowcharts are not copied."""
    new = {name: yaml.safe_load(text) for name, text in render(answers, folder.as_posix()).items()}
    fresh = {key: value for data in new.values() for key, value in data.items()}
    units = answers.unit_names
    plan_phases = phases(answers.day)
    files: Dict[str, str] = {}
    check_answers(answers, folder)
    _check_yaml(source)
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            continue
        out: Dict[str, Any] = {}
        for key, value in data.items():
            if key == "document":
                out[key] = _document(value, fresh["document"])
            elif key == "units":
                out[key] = list(units)
            elif key == "tasks":
                out[key] = [_task(t, units, plan_phases[-2]["end"] + "底前") for t in value or []]
            elif key == "schedule":
                titles = [p.get("title", "") for p in value or []] or list(PHASES)
                out[key] = [{"title": p["title"], "period": p["period"], "text": PLACEHOLDER}
                            for p in phases(answers.day, titles)]
            elif key == "body":
                out[key] = [_section(s) for s in value or []]
            elif key == "attachments":
                out[key] = [_attachment(a) for a in value or [] if not {"flowcharts", "catalog"} & _kinds(a)]
            elif key == "tables":
                out[key] = {k: ({f: v for f, v in spec.items() if f != "source"} if isinstance(spec, dict) else spec)
                            for k, spec in (value or {}).items()}
            elif key == "catalog":
                continue
            else:
                out[key] = value
        if out:
            files[path.name] = f"# {path.name}: 结构取自 {source.as_posix()}，内容待填写（由 doctools new --from 生成）\n" \
                + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120)
    if not any("units:" in text for text in files.values()):
        files["units.yaml"] = yaml.safe_dump({"units": list(units)}, allow_unicode=True, sort_keys=False)
    return _write(folder, files)


def _kinds(attachment: dict) -> set:
    return {k for k in ("flowcharts",) if attachment.get(k)} | {str(attachment.get("table"))}


def _document(old: dict, fresh: dict) -> dict:
    doc = dict(fresh)
    if old.get("basis"):
        doc["basis"] = old["basis"]
        doc["preamble"] = fresh["preamble"].replace("结合", "根据{basis}等文件要求，结合")
    if old.get("recipients"):
        doc["recipients"] = "【待填写：主送机关】"
    return doc


def _task(task: dict, units: List[str], deadline: str) -> dict:
    # later_tasks names the example's units for the tasks after it: the new plan states its own rule, if any
    dropped = ("text", "responsible", "lead", "support", "deadline", "later_tasks")
    out = {k: v for k, v in task.items() if k not in dropped}
    out["text"] = PLACEHOLDER
    if "lead" in task or "support" in task:
        out["lead"] = units[:1]
        if units[1:]:
            out["support"] = units[1:]
    else:
        out["responsible"] = list(units)
    if "deadline" in task:
        out["deadline"] = deadline
    return out


def _text(value):
    """Body text with its tasks kept and everything written turned into placeholders."""
    if isinstance(value, list):
        return [_block(b) for b in value]
    return PLACEHOLDER if value is not None else None


def _block(block):
    if isinstance(block, dict):
        if "task" in block:
            return block
        if "list" in block:
            return {"list": [b if isinstance(b, dict) and "task" in b else PLACEHOLDER for b in block["list"]]}
        if "items" in block:
            return {"items": [{"lead": PLACEHOLDER, "text": PLACEHOLDER} if isinstance(i, dict) else PLACEHOLDER
                              for i in block["items"]]}
    return PLACEHOLDER


def _section(section: dict) -> dict:
    out = dict(section)
    if "text" in out:
        out["text"] = _text(out["text"])
    if "sections" in out:
        out["sections"] = [_section(s) for s in out["sections"] or []]
    return out


def _attachment(attachment: dict) -> dict:
    out = _section(attachment)
    out.pop("rows", None)
    return out


def new_command(folder: Path, office, doc_type, subject, day, header, notice, units, source, year, ask,
                echo) -> List[Path]:
    """``doctools new``: the answers the options leave open asked through *ask* (None with ``--yes``), the package
    written into *folder* (new or empty) all at once, and what was written said through *echo*; with *year*, the
    package *source* copied whole with its dates moved (:func:`new_for_year`)."""
    import click

    from ..errors import DoctoolsError
    from ..i18n import _
    from ..model.deadline import DeadlineError, parse_date

    if folder.exists() and any(folder.iterdir()):
        raise DoctoolsError(_("{folder} is not empty; doctools new writes only into a new or empty folder")
                            .format(folder=folder))
    if year is not None:
        if source is None:
            raise DoctoolsError(_("--year needs --from: the package whose dates are moved"))
        return new_for_year(source, folder, year, echo)
    if ask is not None:
        try:
            office, doc_type, subject, day, header, notice, units = ask(office, doc_type, subject, day, header,
                                                                        notice, units)
        except click.Abort:
            raise DoctoolsError(_("no answer to the questions; without a terminal, give the options with --yes")) from None
    if not office:
        raise DoctoolsError(_("--office is needed with --yes"))
    try:
        when = parse_date(day) if day else date.today()
    except DeadlineError as exc:
        raise DoctoolsError(_("--date: {error}").format(error=exc)) from None
    answers = Answers(office=office.strip(), doc_type=doc_type or DOC_TYPES[0], day=when, header=bool(header),
                      notice=bool(notice), units=list(units), subject=subject or SUBJECT)
    written = copy_structure(source, folder, answers) if source else write_new(folder, answers)
    for path in written:
        echo(_("wrote {path}").format(path=path))
    echo(_("Next: replace every 【待填写】 (doctools check {folder} lists them), then doctools build {folder}")
         .format(folder=folder))
    return written


def new_for_year(source: Path, folder: Path, year: int, echo) -> List[Path]:
    """``doctools new FOLDER --from PACKAGE --year 2027``: last year's plan, every date moved, each one listed."""
    from ..i18n import _, ngettext
    from ..model.deadline import official_date
    from .yearshift import copy_to_year

    result = copy_to_year(source, folder, year)
    for path in result.written:
        echo(_("wrote {path}").format(path=path))
    echo(ngettext("moved {count} date by {years} years:", "moved {count} dates by {years} years:",
                  len(result.changed)).format(count=len(result.changed), years=result.years))
    for change in result.changed:
        echo(f"  {change}")
    if result.earlier:
        echo(_("still earlier than the new date {date} (read each: a past event, or a deadline to change):")
             .format(date=official_date(result.date)))
        for change in result.earlier:
            echo(f"  {change}")
    echo(_("Next: read the text for this year, then doctools check {folder} and doctools build {folder}")
         .format(folder=folder))
    return result.written
