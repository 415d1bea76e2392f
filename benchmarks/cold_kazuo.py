"""A cold build of inputs/kazuo against pandoc converting seed 000, in paired runs (issue 21's target: ≤ 2.5×).

Each round runs ``doctools build inputs/kazuo --out <empty folder>`` and then ``pandoc <seed 000> -o x.docx``,
one after the other, from a folder without ./templates (as a user's is); the ratio of each pair is taken, and the
median of the ratios reported, so a load that changes while it runs weighs on both sides alike.  Python's byte
code is written and used, as in an installed doctools (the caches are warm after the first round, which is not
counted).

    .venv/bin/python benchmarks/cold_kazuo.py [rounds]      # default 11
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next(Path("/work/shared/seeds").glob("000_*.txt"), None) if Path("/work/shared/seeds").is_dir() else None


def timed(command, cwd) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(rounds: int) -> None:
    pandoc = shutil.which("pandoc")
    seed = Path(sys.argv[2]) if len(sys.argv) > 2 else SEED
    if pandoc is None or seed is None:
        sys.exit("needs pandoc (apt-get install pandoc) and seed 000 (/work/shared/seeds/000_*.txt or argument 2)")
    doctools = [sys.executable, "-m", "doctools", "build", str(ROOT / "inputs" / "kazuo"), "--out"]
    pairs = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for i in range(rounds + 1):
            out = work / f"out{i}"
            ours = timed(doctools + [str(out)], work)
            theirs = timed([pandoc, str(seed), "-o", str(work / f"seed{i}.docx")], work)
            if i:
                pairs.append((ours, theirs))
    ratios = sorted(o / t for o, t in pairs)
    print(f"doctools build inputs/kazuo (cold): median {statistics.median(o for o, _ in pairs):.3f} s")
    print(f"pandoc seed 000 -> docx:           median {statistics.median(t for _, t in pairs):.3f} s")
    print(f"ratio per pair: median {statistics.median(ratios):.2f} (range {ratios[0]:.2f}-{ratios[-1]:.2f}, "
          f"{len(pairs)} pairs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
