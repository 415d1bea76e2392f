"""Faults during a build: a kill at any moment, or two builds of one output folder at once.

The manifest used to trust that a file existed: a build killed while renaming files into place left old and new
charts mixed, the manifest already described the new build, and every later build said "0 redrawn, 151
unchanged".  Here a build is killed (SIGKILL) at random moments; every file left must be whole — as the last
build wrote it or as the new one makes it — and the next build must leave no temporary file and end with exactly
the files a clean build makes."""
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

SANMENXIA = ROOT / "inputs" / "sanmenxia"


def snapshot(folder: Path):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def doctools(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "doctools", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, **kwargs)


def build(package: Path, out: Path):
    process = doctools("build", package, "--out", out)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return stdout + stderr


def edit(package: Path, n: int) -> None:
    """Change the package so that the plan, the catalog workbook and some charts are made again."""
    catalog = package / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("制定或获取信息之日起10个工作日内", f"制定或获取信息之日起{10 + n}个工作日内"), encoding="utf-8")


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The package, the output folder of its last build (A), and what a build of the edited package makes (B)."""
    root = tmp_path_factory.mktemp("faults")
    package = root / "sanmenxia"
    shutil.copytree(SANMENXIA, package)
    old = root / "old"
    build(package, old)
    edit(package, 1)
    new = root / "new"
    build(package, new)
    return package, old, new


def leftovers(folder: Path):
    return [p for p in folder.rglob(".*.tmp")]


@pytest.mark.parametrize("seed", range(6))
def test_a_build_killed_at_a_random_moment_leaves_whole_files_and_the_next_build_repairs_all(tmp_path, states, seed):
    package, old, new = states
    out = tmp_path / "out"
    shutil.copytree(old, out)
    before, after = snapshot(old / "sanmenxia"), snapshot(new / "sanmenxia")
    process = doctools("build", package, "--out", out)
    time.sleep(random.Random(seed).uniform(0.2, 2.5))
    process.send_signal(signal.SIGKILL)
    process.communicate()
    for name, digest in snapshot(out / "sanmenxia").items():
        if name.name.endswith(".tmp"):
            continue
        assert digest in (before.get(name), after.get(name)), f"{name} is neither the old nor the new file"
    text = build(package, out)
    assert not leftovers(out)
    manifest = (out / "sanmenxia" / ".doctools-manifest.json").read_text(encoding="utf-8")
    assert manifest == (new / "sanmenxia" / ".doctools-manifest.json").read_text(encoding="utf-8"), text
    assert snapshot(out / "sanmenxia") == after, text


def test_a_build_trusts_no_chart_a_killed_build_left_half_renamed(tmp_path, states):
    """The case of the issue, made certain: new charts and manifest in place, some old charts left."""
    package, old, new = states
    out = tmp_path / "out"
    shutil.copytree(new, out)
    charts = sorted((out / "sanmenxia" / "流程图").glob("*.png"))
    stale = [c for c in charts if (old / "sanmenxia" / "流程图" / c.name).read_bytes() != c.read_bytes()]
    assert stale, "the edit must change some charts"
    for chart in stale:                        # the old file is back, the manifest names the new one;
        size = chart.stat().st_size            # of the same size even, so only its bytes tell
        chart.write_bytes((old / "sanmenxia" / "流程图" / chart.name).read_bytes().ljust(size, b"\0")[:size])
    text = build(package, out)
    assert f"{len(stale)} chart{'s' if len(stale) != 1 else ''} redrawn" in text
    assert snapshot(out / "sanmenxia") == snapshot(new / "sanmenxia")


def test_a_second_build_of_the_same_folder_waits_for_the_first(tmp_path, states):
    package, old, new = states
    out = tmp_path / "out"
    shutil.copytree(old, out)
    lock = os.open(out / "sanmenxia", os.O_RDONLY | os.O_DIRECTORY)
    import fcntl
    fcntl.flock(lock, fcntl.LOCK_EX)           # a first build holds the folder
    try:
        second = doctools("build", package, "--out", out)
        time.sleep(3)
        assert second.poll() is None           # still waiting
        assert snapshot(out / "sanmenxia") == snapshot(old / "sanmenxia")
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert f"another doctools build (process {os.getpid()}) is writing to" in stderr
    assert snapshot(out / "sanmenxia") == snapshot(new / "sanmenxia")


def test_a_chart_graphviz_cannot_draw_in_time_is_reported_and_no_dot_is_left():
    from doctools.convert.graphviz import render
    from doctools.errors import Timeout

    heavy = "digraph { " + " ".join(f"n{i} -> n{(i * 7) % 3000};" for i in range(30000)) + "}"
    with pytest.raises(Timeout, match="Graphviz took longer than 1 s to draw the flowchart 'heavy'"):
        render({"heavy": heavy}, timeout=1)
    left = subprocess.run(["pgrep", "-f", "heavy.dot"], capture_output=True, text=True).stdout
    assert not left.strip()


# ---- the biggest YAML a package may hold: bounded memory and time ----------------------------------------------

def fill_to_the_limit(package: Path, line: str) -> Path:
    """zz.yaml under a top-level key, *line* repeated until the package's YAML (with the standard flows it
    reads) is just under MAX_YAML_BYTES."""
    from doctools.limits import MAX_YAML_BYTES
    from doctools.readers.flows import STANDARD_FLOWS
    others = sum(p.stat().st_size for p in [*package.glob("*.yaml"), *STANDARD_FLOWS.glob("*.yaml")])
    room = MAX_YAML_BYTES - others - len("junk:\n") - 1
    path = package / "zz.yaml"
    path.write_text("junk:\n" + line * (room // len(line)), encoding="utf-8")
    return path


MEASURE = ("import resource, subprocess, sys; result = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(result.returncode, use.ru_utime + use.ru_stime, use.ru_maxrss * 1024); print(result.stdout + result.stderr)")


@pytest.mark.parametrize("line", ["  - a\n", "  - {a: 1, b: 2}\n", "  k: v\n  j: w\n", '  - "\\x01"\n'],
                         ids=["scalars", "flow-mappings", "duplicate-keys", "control-characters"])
def test_the_largest_yaml_under_the_limits_is_refused_in_bounded_memory_and_time(tmp_path, line):
    """A 19.9 MB file of `- {a: 1, b: 2}` lines took 94 s and 5 GB. Now the package's YAML is at most
    MAX_YAML_BYTES and MAX_YAML_NODES values together, and a file stops after MAX_YAML_PROBLEMS problems.
    Measured in a process of its own: the CPU time it used (wall time depends on what else the machine does)
    and its peak resident memory."""
    package = tmp_path / "kazuo"
    shutil.copytree(ROOT / "inputs" / "kazuo", package)
    fill_to_the_limit(package, line)
    probe = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "doctools", "check", str(package)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    first, output = probe.stdout.split("\n", 1)
    code, seconds, peak = first.split()
    assert code == "2" and "Traceback" not in output, output[-2000:]
    assert "zz.yaml:" in output and ": error: " in output
    assert float(seconds) < 10, seconds
    assert int(peak) < 500_000_000, peak
