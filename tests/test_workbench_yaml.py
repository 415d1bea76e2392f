"""The workbench writes edits back into the YAML in place: only the edited values change (every example package)."""
import copy
import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from doctools.workbench.forms import apply_form
from doctools.workbench.plans import check_folder, check_texts
from doctools.workbench.yamledit import PackageFiles, parse_path

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
PACKAGES = sorted(p.name for p in INPUTS.iterdir() if any(p.glob("*.yaml")))


def edits_for(files: PackageFiles):
    """A frame field, the first task's text or title and deadline, the first unit: what a clerk edits most."""
    out = [("t:document.title", "某县政务公开工作\n实施方案（修订）"), ("t:document.office", "某县人民政府办公室")]
    tasks = files.get(("tasks",)) or []
    if tasks and isinstance(tasks[0], dict):
        field = "title" if isinstance(tasks[0].get("title"), str) else "text"
        if isinstance(tasks[0].get(field), str):
            out.append((f"t:tasks.0.{field}", "新的任务内容，逐项落实。"))
        if isinstance(tasks[0].get("deadline"), str):
            out.append(("t:tasks.0.deadline", "2030年6月底前"))
    units = files.get(("units",)) or []
    if units and isinstance(units[0], str):
        out.append(("t:units.0", "县测试局"))
    return out


def get(data, path):
    for key in path:
        data = data[key]
    return data


def put(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@pytest.mark.parametrize("name", PACKAGES)
def test_an_edit_through_the_page_changes_only_the_edited_values(name):
    folder = INPUTS / name
    files = PackageFiles.read(folder)
    before = {n: yaml.safe_load(t) for n, t in files.original.items()}
    edits = edits_for(files)
    assert apply_form(files, edits)
    changed = files.changed()
    assert changed
    for fname, text in changed.items():
        old_text = files.original[fname]
        new = yaml.safe_load(text)
        expected = copy.deepcopy(before[fname])
        for key, value in edits:
            path = parse_path(key.split(":", 1)[1])
            if path[0] in expected:
                put(expected, path, value)
        assert new == expected, fname                     # the data: exactly the edits
        added = [l[1:] for l in difflib.unified_diff(old_text.splitlines(), text.splitlines(), lineterm="", n=0)
                 if l.startswith("+") and not l.startswith("+++")]
        values = [v for _k, v in edits]
        for line in added:                               # the text: no line changed but the edited values'
            assert line.rstrip().endswith(": |-") or any(part and part in line for v in values for part in v.split("\n")), \
                (fname, line)
        assert ("\r\n" in old_text) == ("\r\n" in text)


def test_line_endings_and_comments_stay(tmp_path):
    text = "# top comment\r\ndocument:\r\n  title: 旧标题   # keep me\r\n  office: 某办\r\n"
    files = PackageFiles({"document.yaml": text})
    apply_form(files, [("t:document.title", "新标题")])
    assert files.texts()["document.yaml"] == "# top comment\r\ndocument:\r\n  title: 新标题   # keep me\r\n  office: 某办\r\n"


def test_problems_of_unsaved_text_are_check_s_own_and_point_at_the_field(tmp_path):
    folder = tmp_path / "kazuo"
    shutil.copytree(INPUTS / "kazuo", folder)
    files = PackageFiles.read(folder)
    apply_form(files, [("l:tasks.0.responsible", "县扶贫开发局、县规划居、各乡镇街区")])
    result = check_texts(folder, files)
    wrong = [p for p in result.errors if "县规划居" in p.message]
    assert wrong and wrong[0].field.startswith("tasks.0.responsible")
    assert (folder / "tasks.yaml").read_text(encoding="utf-8") == (INPUTS / "kazuo" / "tasks.yaml").read_text(encoding="utf-8")
    assert not check_folder(folder).errors
