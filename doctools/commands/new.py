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
from typing import Any, Dict, List, Optional

import yaml

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


def _yaml_scalar(value: str) -> str:
    """*value* as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    plain = str(value)
    try:
        if yaml.safe_load(plain) == plain and "#" not in plain and "\n" not in plain:
            return plain
    except yaml.YAMLError:
        pass
    return json.dumps(plain, ensure_ascii=False)


def render(answers: Answers, folder_name: str) -> Dict[str, str]:
    """The files of a new package: name -> YAML text."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["q"] = _yaml_scalar
    plan_phases = phases(answers.day)
    values = dict(folder=folder_name, title=answers.title, office=answers.office, doc_type=answers.doc_type,
                  date=f"{answers.day.year}年{answers.day.month}月{answers.day.day}日", year=answers.day.year, header=answers.header,
                  notice=answers.notice, locality=answers.locality, units=answers.unit_names, phases=plan_phases,
                  deadline=plan_phases[-2]["end"] + "底前")
    return {t[:-3]: env.get_template(t).render(**values) for t in sorted(env.list_templates(extensions=["j2"]))}


def write_new(folder: Path, answers: Answers) -> List[Path]:
    """Write a new package into *folder* (new or empty); return the files written."""
    return _write(folder, render(answers, folder.as_posix()))


def _write(folder: Path, files: Dict[str, str]) -> List[Path]:
    """All the files at once or none (:func:`doctools.safeio.atomic.create_folder`)."""
    from ..safeio.atomic import create_folder

    return create_folder(folder, {name: text.encode("utf-8") for name, text in files.items()})


# ---- --from: another package's structure ----------------------------------------------------------------------
def copy_structure(source: Path, folder: Path, answers: Answers) -> List[Path]:
    """Write into *folder* the structure of the package in *source*: the same files and top-level keys, its style
    and table settings, its headings, tasks, phases and attachments, with every text a placeholder; the document
    frame, units and dates come from *answers*.  A catalog and its flowcharts are not copied."""
    new = {name: yaml.safe_load(text) for name, text in render(answers, folder.as_posix()).items()}
    fresh = {key: value for data in new.values() for key, value in data.items()}
    units = answers.unit_names
    plan_phases = phases(answers.day)
    files: Dict[str, str] = {}
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
