"""Hostile input, round 2 (issue 26): the newer doors — import, audit, new, workbooks, signals, locales — hold like
build does.  Each test is one case of the issue: what a user gets from doctools on it, never a crash (exit 1), a
hang or a file left behind.  Bounds such as "within 20 s" are hang guards, not speed goals (those are in
benchmarks/)."""
import os
from datetime import date, timedelta
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from doctools.cli import main
from helpers import body_texts

ROOT = Path(__file__).resolve().parent.parent
BASE = (Path(__file__).parent / "bad_inputs" / "63-no-body" / "package.yaml").read_text(encoding="utf-8")


def run(*args, env=None):
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], prog_name="doctools")
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def doctools(*args, timeout=60, env=None, **kwargs):
    """doctools in a process of its own, as a user runs it; the hang guard *timeout* fails the test."""
    return subprocess.run([sys.executable, "-m", "doctools", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=kwargs.pop("cwd", ROOT), env={**os.environ, **(env or {})}, **kwargs)


def package(folder: Path, tasks: int = 2, sections: int = 0, phases: int = 0) -> Path:
    """The small package of tests/bad_inputs/63-no-body with *tasks* tasks, one body section per task when
    *sections*, and *phases* phases."""
    text = BASE
    lines = [f"  - {{id: t{i}, text: 第{i}项任务。, responsible: [县民政局], deadline: 2021年9月}}" for i in range(1, tasks + 1)]
    text = text.replace(text[text.index("tasks:"):text.index("schedule:")], "tasks:\n" + "\n".join(lines) + "\n")
    text = text.replace("  - 县扶贫开发局\n", "")
    if phases:
        days = [date(2021, 3, 5) + timedelta(days=i) for i in range(phases)]
        rows = [f"  - {{title: 第{i}阶段, period: {d.year}年{d.month}月{d.day}日, text: 实施。}}" for i, d in enumerate(days, 1)]
        text = text.replace(text[text.index("schedule:"):text.index("attachments:")], "schedule:\n" + "\n".join(rows) + "\n")
    body = [f"  - title: 第{i}项\n    text: [{{task: t{i}}}]" for i in range(1, sections + 1)] or \
        ["  - title: 主要任务\n    text: [" + ", ".join(f"{{task: t{i}}}" for i in range(1, tasks + 1)) + "]"]
    if phases:
        body.append("  - title: 实施步骤\n    schedule: true")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.yaml").write_text(text.replace("attachments:", "body:\n" + "\n".join(body) + "\nattachments:"),
                                         encoding="utf-8")
    return folder


# ---- 13: a thousand sections or phases are numbered, not a crash --------------------------------------------------

def test_a_thousand_sections_and_phases_are_numbered_in_chinese(tmp_path):
    folder = package(tmp_path / "pkg", tasks=1000, sections=1000, phases=1000)
    code, output = run("check", folder)
    assert code == 0, output
    code, output = run("build", folder, "--out", tmp_path / "out")
    assert code == 0, output
    texts = body_texts((tmp_path / "out" / "pkg" / "某县政务公开实施方案.docx").read_bytes())
    assert "一千、第1000项" in texts
    assert "一千零一、实施步骤（2021年3月5日—2023年11月29日）" in texts
    assert "（一千）第1000阶段（2023年11月29日）。实施。" in texts
