"""Each broken package in tests/bad_inputs gets exactly its expected messages,
and a build of it exits 2 without touching what the output folder held."""
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from doctools.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if p.is_dir())


def test_there_are_at_least_90_cases():
    assert len(CASES) >= 90


def messages(output: str):
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_prints_exactly_the_expected_messages(case, monkeypatch):
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert messages(result.output) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_build_exits_2_and_leaves_outputs_untouched(case, tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / case.name).mkdir(parents=True)
    earlier = out / case.name / "某县政务公开实施方案.docx"
    earlier.write_bytes(b"the previous build's document")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["build", ".", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "nothing was written" in result.output
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()} == before
