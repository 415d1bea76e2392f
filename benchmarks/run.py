"""Time doctools as a user runs it: whole processes, median of several runs.

    .venv/bin/python benchmarks/run.py            # everything (about four minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # fewer runs, no city package

Prints one table: each case's median wall time, its peak memory (largest
resident set of the doctools process) and the target from issue 8.  When pandoc
is installed it also converts each of the 100 small plans, written as Markdown,
to .docx, and prints doctools' time per plan divided by pandoc's.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

DOCTOOLS = [sys.executable, "-m", "doctools"]


def run_once(cmd, cwd=ROOT):
    """(seconds, peak RSS in MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(cmd, runs, before=None, cwd=ROOT):
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak = run_once(cmd, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def plan_markdown(folder: Path) -> str:
    """The plan's text as Markdown, for pandoc: title, sections, task texts."""
    import yaml
    data = yaml.safe_load((folder / "package.yaml").read_text(encoding="utf-8"))
    tasks = {t["id"]: t for t in data["tasks"]}
    lines = [f"# {data['document']['title']}", "", data["document"]["preamble"], ""]
    for section in data["body"]:
        lines += [f"## {section['title']}", ""]
        for sub in section.get("sections", []):
            lines += [f"### {sub['title']}", ""]
            for block in sub.get("text", []):
                task = tasks[block["task"]]
                lines += [f"{task['text']}（责任单位：{'、'.join(task['responsible'])}）", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="doctools-bench-"))

    def add(case, result, target, ok):
        seconds, peak = result
        rows.append((case, f"{seconds:.2f} s", f"{peak:.0f} MB", target, "met" if ok(seconds, peak) else "MISSED"))
        print(f"  {case}: {seconds:.2f} s", file=sys.stderr)

    add("doctools --help", measure(DOCTOOLS + ["--help"], runs), "< 0.2 s", lambda s, m: s < 0.2)
    for name in ("kazuo", "kangbashi", "jixian", "shaanxi", "sanmenxia"):
        out = tmp / f"cold-{name}"
        add(f"cold build inputs/{name}", measure(DOCTOOLS + ["build", f"inputs/{name}", "--out", str(out)], runs,
                                                before=lambda out=out: shutil.rmtree(out, ignore_errors=True)),
            "< 1 s", lambda s, m: s < 1)
    # doctools import: a seed-sized plan (sanmenxia: 157 paragraphs, two tables, seven pictures) read back
    built = tmp / "import-src"
    run_once(DOCTOOLS + ["build", "inputs/sanmenxia", "--out", str(built)])
    plan = next(p for p in (built / "sanmenxia").glob("*.docx") if not p.name.startswith(("任务分工表", "各单位")))
    target = tmp / "imported"
    add("import the sanmenxia plan (.docx -> package)",
        measure(DOCTOOLS + ["import", str(plan), "--out", str(target)], runs,
                before=lambda: shutil.rmtree(target, ignore_errors=True)),
        "< 1 s", lambda s, m: s < 1)
    noop = tmp / "noop"
    run_once(DOCTOOLS + ["build", "inputs/sanmenxia", "--out", str(noop)])
    add("no-op rebuild (sanmenxia)", measure(DOCTOOLS + ["build", "inputs/sanmenxia", "--out", str(noop)], runs),
        "< 0.3 s", lambda s, m: s < 0.3)
    package = tmp / "onerow"
    shutil.copytree(ROOT / "inputs" / "sanmenxia", package)
    run_once(DOCTOOLS + ["build", str(package), "--out", str(tmp / "onerow-out")])
    days = iter(range(1, 100))

    def change_row():
        catalog = package / "catalog.yaml"
        text = catalog.read_text(encoding="utf-8")
        import re
        catalog.write_text(re.sub(r"公示\d+个工作日", f"公示{next(days) % 9 + 1}0个工作日", text), encoding="utf-8")

    add("one catalog row changed (1 chart redrawn)",
        measure(DOCTOOLS + ["build", str(package), "--out", str(tmp / "onerow-out")], runs, before=change_row),
        "< 0.5 s", lambda s, m: s < 0.5)
    sizes = ["seed", "county"] + ([] if args.quick else ["city"])
    for size in sizes:
        folder = generate.write(size, 1, tmp / f"gen-{size}")
        out = tmp / f"out-{size}"
        add(f"{size} package, cold", measure(DOCTOOLS + ["build", str(folder), "--out", str(out)], 1 if size == "city" else runs,
                                             before=lambda out=out: shutil.rmtree(out, ignore_errors=True)),
            "< 30 s, < 500 MB" if size == "city" else "linear in size", lambda s, m: s < 30 and m < 500)
    small = [generate.write("small", i, tmp / "hundred" / f"county{i:03d}") for i in range(100)]
    batch = {}
    for jobs in (1, 2):
        out = tmp / f"hundred-out-{jobs}"
        result = measure(DOCTOOLS + ["build", "-j", str(jobs), *map(str, small), "--out", str(out)], 1,
                         before=lambda out=out: shutil.rmtree(out, ignore_errors=True))
        batch[jobs] = result[0] / len(small)
        add(f"100 small county plans, -j {jobs}", result, "per plan <= pandoc", lambda s, m: True)
    pandoc = shutil.which("pandoc")
    if pandoc:
        md = tmp / "md"
        md.mkdir()
        times = []
        for i, folder in enumerate(small[:20]):
            source = md / f"{i}.md"
            source.write_text(plan_markdown(folder), encoding="utf-8")
            times.append(run_once([pandoc, str(source), "-o", str(md / f"{i}.docx")])[0])
        per_doc = statistics.median(times)
        rows.append(("pandoc, one plan as Markdown -> docx", f"{per_doc:.2f} s", "", "", ""))
        for jobs in (1, 2):
            ratio = batch[jobs] / per_doc
            rows.append((f"doctools per plan / pandoc per document, -j {jobs}", f"{ratio:.2f}", "", "<= 1",
                         "met" if ratio <= 1 else "MISSED"))
    else:
        rows.append(("pandoc", "not installed", "", "", "ratio not measured"))
    widths = [max(len(str(r[i])) for r in rows + [("case", "median", "peak", "target", "")]) for i in range(5)]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print(line(("case", "median", "peak", "target", "")))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
