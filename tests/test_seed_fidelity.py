"""The example packages reproduce their seed documents, paragraph by paragraph."""
import re

import pytest
from helpers import ROOT, build_package
from helpers import SEEDS, body_texts, corrections, first_missing, normalise, seed_paragraphs

PACKAGES = {"kazuo": "000_fea73c9ac3b870fd.txt", "kangbashi": "001_bb19dd8e0633b40c.txt",
            "jixian": "002_ed5a1bce21225049.txt", "shaanxi": "003_82b4241858776ccb.txt",
            "sanmenxia": "004_3ed69a6842d4d99c.txt"}


def apply_corrections(paragraphs, fixes):
    """The seed paragraphs with each README correction applied; and which rows matched."""
    used, out = set(), []
    for para in paragraphs:
        for published, corrected in fixes.items():
            if normalise(published) in para:
                used.add(published)
                para = para.replace(normalise(published), normalise(corrected))
        out.append(para)
    return out, used


@pytest.mark.parametrize("package, seed", sorted(PACKAGES.items()))
def test_seed_text_appears_in_order(package, seed):
    folder = ROOT / "inputs" / package
    data, _ = build_package(folder)
    produced = "".join(normalise(t) for t in body_texts(data))
    fixes = corrections(folder / "README.md")
    paragraphs, used = apply_corrections(seed_paragraphs(SEEDS / seed), fixes)
    unused = [published for published in fixes if published not in used]
    assert not unused, f"README correction rows that match nothing in the seed (a stale row can hide a mismatch): {unused}"
    missing = first_missing(paragraphs, produced)
    assert missing is None, f"seed paragraph {missing[0] + 1} not found in order:\n  {missing[1]}\nproduced text continues:\n  {missing[2]}"


def test_a_changed_word_is_caught(tmp_path):
    """The comparison fails when the produced text differs from the seed."""
    produced = "".join(normalise(t) for t in body_texts(build_package(ROOT / "inputs" / "kazuo")[0]))
    paragraphs = seed_paragraphs(SEEDS / PACKAGES["kazuo"])
    altered = [p.replace("指导思想", "指导原则") for p in paragraphs]
    assert first_missing(altered, produced) is not None
    shuffled = paragraphs[5:] + paragraphs[:5]
    assert first_missing(shuffled, produced) is not None


def test_a_correction_row_that_matches_nothing_is_reported():
    paragraphs = seed_paragraphs(SEEDS / PACKAGES["kazuo"])
    _, used = apply_corrections(paragraphs, {"指导思想": "指导思想", "这句话不在原文里": "随便什么"})
    assert used == {"指导思想"}


# ---- plans of other places, of which only the beginning could be had --------------------------------------------

SOURCES = {"dean": "101_dean.txt", "weihai": "102_weihai.txt", "suqian": "103_suqian.txt"}
OPEN, CLOSE, END = "（“《", "）”》", "。；！？"
CUT = "⟪stored copy ends here⟫"


def split_sentences(paragraph):
    """A sentence ends at 。；！？ outside brackets; a duty parenthesis （…） is a sentence of its own."""
    out, current, depth = [], "", 0
    for i, ch in enumerate(paragraph):
        current += ch
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
            if ch == "）" and depth == 0 and current.startswith("（") and not re.fullmatch(r"（[一二三四五六七八九十]+）", current):
                out.append(current)
                current = ""
                continue
        if ch in END and depth == 0 and paragraph[i + 1:i + 2] not in tuple(END):
            out.append(current)
            current = ""
    return [s for s in out + [current] if s]


def source_sentences(path, fixes):
    """The source's complete sentences (the header dropped, and the sentence the cut falls in), with the package
    README's corrections applied."""
    body = path.read_text(encoding="utf-8").split("# ----", 1)[1]
    paragraphs = [normalise(p) for p in re.split(r"\n\s*\n", body) if p.strip()]
    paragraphs, used = apply_corrections(paragraphs, fixes)
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    assert sentences[-1].endswith(normalise(CUT))
    return sentences[:-1], used


def found_in_order(sentences, produced):
    at, found = 0, []
    for sentence in sentences:
        where = produced.find(sentence, at)
        found.append(where >= 0)
        if where >= 0:
            at = where + len(sentence)
    return found


@pytest.mark.parametrize("package, source", sorted(SOURCES.items()))
def test_plans_of_other_places_reproduce_95_percent_of_their_sentences(package, source):
    folder = ROOT / "inputs" / package
    produced = "".join(normalise(t) for t in body_texts(build_package(folder)[0]))
    fixes = corrections(folder / "README.md")
    sentences, used = source_sentences(SEEDS / source, fixes)
    assert not [p for p in fixes if p not in used], "a README correction row matches nothing in the source"
    found = found_in_order(sentences, produced)
    missing = [s for s, ok in zip(sentences, found) if not ok]
    assert len(sentences) >= 10
    assert sum(found) / len(found) >= 0.95, f"{sum(found)} of {len(found)} sentences in order; missing: {missing}"


def test_the_sentence_count_catches_a_change():
    sentences = split_sentences("一、目标。1.推进工作。（县发改委牵头负责）2.完善制度；健全机制")
    assert sentences == ["一、目标。", "1.推进工作。", "（县发改委牵头负责）", "2.完善制度；", "健全机制"]
    assert found_in_order(sentences, "一、目标。1.推进工作。（县发改委负责）2.完善制度；健全机制") == [True, True, False, True, True]
