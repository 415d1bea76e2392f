"""``doctools import`` end to end: recognise the plan, make sure the package checks, write it.

The rules of :mod:`doctools.readers.docx` guess at structure from
what people type, and a guess can be wrong in a way ``doctools check`` refuses
(a task with neither text nor title, a duty format that names a field the
task lacks …).  Import promises a package that checks and builds, so the
draft is checked before it is written: its files are written to a scratch
folder and read exactly as ``check`` reads them.  Each task an error points
at goes back to being what it was in the source, plain paragraphs in its
place (its text and its duty wording as printed), and the check runs again.
Whatever is still wrong after that, every task goes back to plain text and
the 进度安排 to ordinary sections.  Each step is listed in the summary as
kept as plain text, with the paragraph numbers of the source.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import yaml

from ..i18n import _
from ..readers.docx import UNIT_ROLES, Draft, Note, flat_units
from ..writers.yaml_package import package_files

ROUNDS = 5
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _load(draft: Draft, diags):
    """The package *draft* makes, read and composed as ``check`` reads it (None if it has errors)."""
    from .build import load_package
    from ..errors import InputError

    with tempfile.TemporaryDirectory(prefix="doctools-import-") as scratch:
        folder = Path(scratch) / "package"
        folder.mkdir()
        for name, text in package_files(draft).items():
            (folder / name).write_text(text, encoding="utf-8")
        try:
            return load_package(folder, diags)
        except InputError:
            return None


def problems(draft: Draft) -> Tuple[List[Tuple[str, int, str]], int]:
    """(file name, line, message) of every error ``doctools check`` finds in the package *draft* makes,
    and how many warnings it gives."""
    from ..errors import Diagnostics

    diags = Diagnostics()
    _load(draft, diags)
    return [(Path(d.pos.file).name, d.pos.line, d.message) for d in diags.errors], len(diags.warnings)


def settle(draft: Draft) -> Optional[int]:
    """Turn what ``check`` refuses back into plain text until it refuses nothing; return how many
    warnings ``check`` then gives (None if errors are left, which the caller reports)."""
    for _round in range(ROUNDS):
        found, warnings = problems(draft)
        if not found:
            computed_widths(draft)
            return warnings
        culprits: Dict[str, str] = {}
        for name, line, message in found:
            ids = _tasks_at(draft, name, line)
            if not ids:
                culprits = {}
                break
            for task_id in ids:
                culprits.setdefault(task_id, message)
        if not culprits:
            break
        for task_id, message in culprits.items():
            plain_task(draft, task_id, message)
    for task in list(draft.tasks):
        plain_task(draft, task["id"], _("the package did not check with it"))
    plain_schedule(draft)
    found, warnings = problems(draft)
    return None if found else warnings


def computed_widths(draft: Draft) -> None:
    """Leave out a fixed table's widths where they are what the build computes from its cells anyway (a table the
    package gave no widths), so only a form drawn to its own widths carries them.  Run on a draft that checks."""
    from ..typeset import gbt9704 as G
    from ..errors import Diagnostics
    from ..writers.docx_tables import column_widths

    given = {i: a.pop("widths") for i, a in enumerate(draft.attachments) if "widths" in a}
    if not given:
        return
    package = _load(draft, Diagnostics())
    for i, widths in given.items():
        table = package.document.attachments[i].table if package is not None else None
        computed = column_widths(table, G.TEXT_WIDTH) if table is not None and table.key == "fixed" else []
        if len(computed) != len(widths) or any(abs(G.mm(w) - c) > G.TWIPS_PER_MM / 10 for w, c in zip(widths, computed)):
            draft.attachments[i]["widths"] = widths


# ---- which task an error points at ---------------------------------------------------------

def _path_at(text: str, line: int) -> List:
    """The keys and indexes leading to the innermost YAML node on *line* (from 1)."""
    path: List = []
    node = yaml.compose(text)
    while node is not None:
        inner = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.start_mark.line + 1 <= line <= value.end_mark.line + (0 if value.end_mark.column == 0 else 1):
                    inner, step = value, key.value
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                if item.start_mark.line + 1 <= line <= item.end_mark.line + (0 if item.end_mark.column == 0 else 1):
                    inner, step = item, i
        if inner is None:
            break
        path.append(step)
        node = inner
    return path


def _tasks_at(draft: Draft, name: str, line: int) -> List[str]:
    """The ids of the tasks an error in *name* at *line* is about (all those of a duty format)."""
    text = package_files(draft).get(name)
    if text is None or not line:
        return []
    path = _path_at(text, line)
    data = {"document": draft.document, "style": draft.style, "tables": draft.tables, "units": draft.units,
            "tasks": draft.tasks, "schedule": draft.schedule, "body": draft.body, "attachments": draft.attachments}
    if path[:1] == ["tasks"] and len(path) > 1 and path[1] < len(draft.tasks):
        return [draft.tasks[path[1]]["id"]]
    if path[:2] == ["style", "duty_formats"] and len(path) > 2:
        return [t["id"] for t in draft.tasks if t.get("format", "default") == path[2]]
    node, found = data, []
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "task" in node:
            found = [node["task"]]
    return found


# ---- a task back to plain text --------------------------------------------------------------

def wording(draft: Draft, task: Dict) -> Tuple[str, str]:
    """(the duty wording as the build would print it, its place) for *task*."""
    spec = draft.style.get("duty_formats", {}).get(task.get("format", "default"), "责任单位：{responsible}")
    template, place = (spec.get("template", ""), spec.get("place", "inline")) if isinstance(spec, dict) else (spec, "inline")
    values = {role: _printed(task.get(role, [])) for role in UNIT_ROLES}
    values["responsible"] = values["responsible"] or "、".join(flat_units(task.get("lead", []) + task.get("support", [])))
    values["lead"] = values["lead"] or values["responsible"]
    values["deadline"] = str(task.get("deadline", ""))
    lines = []
    for line in (template if isinstance(template, list) else [template]):
        line = _SEGMENT.sub(lambda m: m.group(1) if all(values.get(k) for k in _PLACEHOLDER.findall(m.group(1)))
                            else "", str(line))
        lines.append(_PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), line))
    return "\n".join(line for line in lines if line), place


def _printed(units: List) -> str:
    """A unit list as printed: groups (lists inside the list) joined by ，, names within one by 、."""
    if any(isinstance(u, list) for u in units):
        return "，".join("、".join(u if isinstance(u, list) else [u]) for u in units)
    return "、".join(units)


def _paragraphs(draft: Draft, task: Dict) -> List:
    """The blocks that print what *task* printed: its text with its duty wording where the format put it."""
    text = task.get("text") or task.get("title") or []
    paras = [text] if isinstance(text, str) else list(text)
    duty, place = wording(draft, task)
    if duty and paras and place == "inline":
        paras[-1] = paras[-1] + duty
    elif duty and paras and place == "before":
        paras[0] = duty + paras[0]
    elif duty:
        paras = paras + [{"line": line} for line in duty.split("\n") if line]
    return paras


def _sections(draft: Draft) -> Iterator[Dict]:
    def walk(sections):
        for s in sections:
            yield s
            yield from walk(s.get("sections", []))
    yield from walk(draft.body)
    for att in draft.attachments:
        yield att
        yield from walk(att.get("sections", []))


def plain_task(draft: Draft, task_id: str, reason: str) -> None:
    """Print task *task_id* as the plain paragraphs it came from and drop the task."""
    task = next((t for t in draft.tasks if t["id"] == task_id), None)
    if task is None:
        return
    blocks = _paragraphs(draft, task)
    placed = False
    for section in _sections(draft):
        for key in ("text", "content", "after"):
            old = section.get(key)
            if isinstance(old, list):
                new = []
                for block in old:
                    if isinstance(block, dict) and block.get("task") == task_id:
                        new.extend(blocks)
                        placed = True
                    elif isinstance(block, dict) and "list" in block:
                        block["list"] = [_flat(blocks) if isinstance(i, dict) and i.get("task") == task_id else i
                                         for i in block["list"]]
                        placed = placed or _flat(blocks) in block["list"]
                        new.append(block)
                    else:
                        new.append(block)
                section[key] = new
        if section.get("task") == task_id:
            del section["task"]
            duty, place = wording(draft, task)
            title = task.get("title", "")
            rest = _paragraphs(draft, {k: v for k, v in task.items() if k != "title"}) if task.get("text") else \
                ([{"line": line} for line in duty.split("\n") if line] if place != "inline" else [])
            section["title"] = title + duty if place == "inline" and not task.get("text") else title
            if rest:
                section["text"] = rest + section.get("text", [])
            placed = True
    if not placed:
        # a row of a task table only: its words stay, after the table's page or the body
        home = next((a for a in draft.attachments if a.get("table") == "tasks"), None)
        target = home.setdefault("content", []) if home is not None else \
            (draft.body[-1].setdefault("text", []) if draft.body else draft.document.setdefault("preamble", []))
        target.extend(blocks if blocks else [task.get("title", "")])
    draft.tasks.remove(task)
    _forget(draft, task_id)
    draft.notes.append(Note(_("task {task} kept as plain text: doctools check found: {message}").format(
        task=task_id, message=reason), draft.task_numbers.get(task_id, []), plain=True))


def _forget(draft: Draft, task_id: str) -> None:
    """What named the task: the task table's list, and units and duty formats no task uses any more."""
    spec = draft.tables.get("tasks")
    include = spec.get("include") if spec else None
    if include and task_id in include:
        include.remove(task_id)
    if spec is not None and (not draft.tasks or include == []):
        del draft.tables["tasks"]               # no task left for the 任务分工表: its rows are plain lines now
        for att in draft.attachments:
            if att.get("table") == "tasks":
                del att["table"]
    named = {u for t in draft.tasks for role in UNIT_ROLES for u in flat_units(t.get(role, []))}
    draft.roles[:] = [r for r in draft.roles if any(r["id"] in t for t in draft.tasks)]
    draft.units[:] = [u for u in draft.units if u in named]
    formats = draft.style.get("duty_formats", {})
    used = {t.get("format", "default") for t in draft.tasks}
    for name in [n for n in formats if n not in used]:
        del formats[name]
    if "duty_formats" in draft.style and not formats:
        del draft.style["duty_formats"]


def _flat(blocks: List) -> str:
    return "".join(b if isinstance(b, str) else b.get("line", "") for b in blocks)


def plain_schedule(draft: Draft) -> None:
    """The 进度安排 printed as ordinary run-in sections, its phases' periods in their words."""
    if not draft.schedule:
        return
    for section in _sections(draft):
        wording_ = section.pop("schedule", None)
        if wording_ is None:
            continue
        section.pop("title_period", None)
        children = []
        for phase in draft.schedule:
            text = phase.get("text", [])
            text = [text] if isinstance(text, str) else list(text)
            if wording_ == "lead":
                text[:1] = [phase["period"] + "，" + (text[0] if text else "")]
                children.append({"title": phase["title"], "runin": True, "text": text})
            else:
                children.append({"title": f"{phase['title']}（{phase['period']}）", "runin": True, "text": text})
        section["sections"] = children + section.get("sections", [])
    draft.schedule = []
    draft.notes.append(Note(_("进度安排 kept as ordinary sections: the package did not check with its phases"), [],
                            plain=True))


def import_command(source: str, out: Optional[Path], tasks_xlsx: Optional[Path], echo: Callable[..., None],
                   as_json: bool = False) -> List[Path]:
    """``doctools import``: recognise the plan in *source*, write the package into *out* (new or empty), and print
    what was recognised surely, what was guessed, what was kept as plain text and what ``check`` finds (with
    *as_json*, the same account as JSON, for the workbench)."""
    from ..errors import DoctoolsError, UnwritableOutput
    from ..i18n import errors_phrase, files_phrase, warnings_phrase
    from ..readers.docx import account, recognise, summary
    from ..safeio.atomic import create_folder
    from ..writers.yaml_package import package_bytes

    if not source.strip():
        raise DoctoolsError(_("no file given: name the .docx to import, e.g. doctools import 方案.docx"))
    out = out if out is not None else Path("inputs") / Path(source).stem
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DoctoolsError(_("{folder} is not empty; import writes a new package, choose another --out").format(folder=out))
    from .build import locked
    with locked([out], lambda message: echo(f"doctools: {message}", err=True)):     # the lock builds take:
        if any(out.iterdir()):                  # a second import to the same --out waits, then finds it taken
            raise DoctoolsError(_("{folder} is not empty; import writes a new package, choose another --out")
                                .format(folder=out))
        draft = recognise(source, Path(source).name, tasks_xlsx)
        warnings = settle(draft)            # what check would refuse goes back to plain text
        try:
            written = create_folder(out, package_bytes(draft))
        except OSError as exc:
            raise UnwritableOutput.from_os_error(out, exc) from exc
    if not as_json:
        import_summary(source, *summary(draft), echo=echo)
    errors = 0
    if warnings is None:                # settle's check of the same files found errors: name them in place
        from .build import load_package
        from ..errors import Diagnostics, InputError

        diags = Diagnostics()
        try:
            load_package(out, diags)
        except InputError:
            pass
        for d in diags.errors:
            echo(str(d), err=True)
        errors, warnings = len(diags.errors), len(diags.warnings)
    if as_json:
        import json

        echo(json.dumps({"source": source, "package": str(out),
                         "files": sorted(Path(w).relative_to(out).as_posix() for w in written),
                         "check": {"errors": errors, "warnings": warnings}, "recognitions": account(draft)},
                        ensure_ascii=False, indent=1))
        return written
    echo(_("wrote {files} to {folder}; doctools check finds {errors}, {warnings}").format(
        files=files_phrase(len(written)), folder=out, errors=errors_phrase(errors),
        warnings=warnings_phrase(warnings)) + (_("; fix the errors before building") if errors else ""))
    return written


def import_summary(source: str, sure, guessed, kept, echo: Callable[..., None]) -> None:
    """What import recognised surely, what it guessed and what it kept as plain text, each with its paragraphs."""
    echo(_("recognised in {source}:").format(source=source))
    for line in sure:
        echo(f"  {line}")
    for heading, lines in ((_("guessed (check these):"), guessed), (_("kept as plain text (check these):"), kept)):
        if lines:
            echo(heading)
            for line in lines:
                echo(f"  {line}")
