"""The example packages reproduce their seed documents, paragraph by paragraph."""
import pytest
from conftest import ROOT, build_package
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
