"""Long titles break between words in bounded time (GB/T 9704 7.3.1).

A title of up to three lines is cut by trying every way; a longer one by a
beam search.  The tests check what a user sees: the lines join back to the
title, no line is wider than the 版心, no line starts inside a word, and a
build of a package whose title is as long as the limit allows finishes."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from doctools.typeset import gbt9704 as G
from doctools.limits import MAX_TITLE_CHARS
from doctools.typeset.titles import TITLE_CHARS, _Cutter, break_line, shape_ok, word_bounds

ROOT = Path(__file__).resolve().parent.parent
BASE = "关于开展基层政务公开标准化规范化试点工作"


@pytest.mark.parametrize("base", [BASE, "县乡村各级各部门各单位"])
@pytest.mark.parametrize("length", [45, 60, 80, 120, MAX_TITLE_CHARS])
def test_a_long_title_breaks_between_words_into_lines_that_fit(length, base):
    title = (base * 30)[:length]
    lines = break_line(title)
    assert "".join(lines) == title
    assert all(G.display_width(line) <= TITLE_CHARS for line in lines)
    bounds = set(word_bounds(title))
    ends = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert all(end in bounds for end in ends)


@pytest.mark.parametrize("length", [45, 60, 80])
def test_titles_of_a_few_lines_keep_a_ladder_or_diamond_shape(length):
    widths = [G.display_width(line) for line in break_line((BASE * 20)[:length])]
    assert shape_ok(widths), widths


def test_a_title_with_very_many_ways_to_cut_is_not_cut_every_way():
    title = ("县乡村各级各部门各单位" * 30)[:MAX_TITLE_CHARS]       # short words: tens of thousands of cuts
    cutter = _Cutter(title, sorted(word_bounds(title)), TITLE_CHARS)
    lines = -(-int(cutter.width(0, len(title))) // TITLE_CHARS)
    assert cutter.ways(0, lines + 1) > 20000           # the exhaustive search would not end in reasonable time
    cuts = cutter.beam(lines + 1, word_bounds(title))
    assert cuts and len(cuts) <= 200                    # the beam search gives a bounded number all the same
    lines_ = break_line(title)
    assert "".join(lines_) == title and all(G.display_width(line) <= TITLE_CHARS for line in lines_)


def test_a_package_whose_title_is_as_long_as_allowed_builds(tmp_path):
    package = tmp_path / "long"
    shutil.copytree(ROOT / "inputs" / "kazuo", package)
    document = package / "document.yaml"
    text = document.read_text(encoding="utf-8")
    start = text.index("  title:")
    end = text.index("\n  office:")
    title = (BASE * 20)[:MAX_TITLE_CHARS]
    document.write_text(text[:start] + f"  title: {title}" + text[end:], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "doctools", "build", str(package), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "out" / "long").glob("*.docx"))
