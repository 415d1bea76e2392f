"""Every example package, rendered by LibreOffice: full body pages hold 22 lines
on the grid, page numbers follow the odd/even rule, text stays in the 版心."""
import re

import pytest
from conftest import ROOT, build_package

from doctools.typeset import gbt9704 as G
from helpers import LINE, PT_PER_MM, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, open_pdf, page_rows

PACKAGES = sorted(p.name for p in (ROOT / "inputs").iterdir() if p.is_dir())
# plans of other places of which only the first 2,000 bytes could be had (see their READMEs): two or three pages,
# none of them a full body page between two others
SHORT = {"dean", "weihai", "suqian"}
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）|附件)")
PAGE_NUMBER = re.compile(r"^—(\d+)—$")


@pytest.fixture(scope="module")
def pdfs():
    from doctools.convert import libreoffice as pdf
    docs = {name: build_package(ROOT / "inputs" / name)[0] for name in PACKAGES}
    return {name: open_pdf(data) for name, data in pdf.convert(docs).items()}


def is_table_page(page):
    return any(e["orientation"] == "v" for e in page.edges)


def starts_new_part(page):
    """The page begins with a heading, an attachment, or title type (22 pt)."""
    rows = [r for r in page_rows(page) if r.top < TEXT_BOTTOM]
    if not rows:
        return True
    first = rows[0]
    big = any(c["size"] > 17 for c in page.chars if abs(c["top"] - first.top) < 2)
    return bool(HEADING.match(first.text)) or big


@pytest.mark.parametrize("name", PACKAGES)
def test_body_pages_have_22_lines(pdfs, name):
    pages = pdfs[name].pages
    checked = 0
    for page in pages:
        if page.width < page.height and not is_table_page(page):     # no text page holds more than 22 lines
            assert len([r for r in page_rows(page) if r.top < TEXT_BOTTOM]) <= 22, (name, page.page_number)
    for page, following in zip(pages, pages[1:]):
        has_title = any(c["size"] > 17 for c in page.chars)      # a title and the blank line under it
        if has_title or is_table_page(page) or is_table_page(following) or starts_new_part(following):
            continue    # a page that starts or ends a part is not a full page
        rows = [r for r in page_rows(page) if r.top < TEXT_BOTTOM]
        if page.width > page.height:
            continue
        assert len(rows) == 22, (name, page.page_number)
        for r in rows:
            assert 0 < (r.bottom - TEXT_TOP) / LINE <= 22.05, (name, page.page_number, r.text)
        checked += 1
    assert checked >= (0 if name in SHORT else 2), name


@pytest.mark.parametrize("name", PACKAGES)
def test_page_numbers_follow_the_odd_even_rule(pdfs, name):
    for page in pdfs[name].pages:
        if page.width > page.height:
            # §8: the number stays where a portrait page has it, so on the turned page it is turned too
            turned = sorted((c for c in page.chars if not c["upright"]), key=lambda c: c["top"])
            assert PAGE_NUMBER.match("".join(c["text"] for c in turned if c["text"].strip())).group(1) == str(page.page_number)
            assert max(c["x1"] for c in turned) < G.MARGIN_BOTTOM / 20                     # left of the 版心
            continue
        footer = [r for r in page_rows(page) if r.top >= TEXT_BOTTOM]
        numbers = [r for r in footer if PAGE_NUMBER.match(r.text)]
        assert len(numbers) == 1, (name, page.page_number, [r.text for r in footer])
        row = numbers[0]
        assert PAGE_NUMBER.match(row.text).group(1) == str(page.page_number)
        if page.page_number % 2:
            assert abs(row.x1 - (TEXT_RIGHT - 14)) <= PT_PER_MM, (name, page.page_number)
        else:
            assert abs(row.x0 - (TEXT_LEFT + 14)) <= PT_PER_MM, (name, page.page_number)


@pytest.mark.parametrize("name", PACKAGES)
def test_text_stays_in_the_type_area(pdfs, name):
    for page in pdfs[name].pages:
        if page.width > page.height:
            continue
        for r in page_rows(page):
            if r.top >= TEXT_BOTTOM:
                continue
            hang = 16.5 * len(re.search(r"[，。、；：！？”’）》]*$", r.text).group())   # hanging punctuation
            assert TEXT_LEFT - PT_PER_MM <= r.x0 and r.x1 <= TEXT_RIGHT + PT_PER_MM + hang, (name, page.page_number, r.text)
            assert TEXT_TOP - PT_PER_MM <= r.top, (name, page.page_number, r.text)


def test_list_items_styled_as_headings_do_not_keep_together(pdfs):
    """sanmenxia's 18 domain assignments are 1. 2. … items with nothing under them:
    kept together they left the foot of page 2 empty."""
    page = pdfs["sanmenxia"].pages[1]
    rows = [r for r in page_rows(page) if r.top < TEXT_BOTTOM]
    assert sum(1 for r in rows if re.match(r"^\d+\.", r.text)) >= 3
    assert len(rows) == 22


def test_build_pdf_is_the_delivered_docx_converted_as_it_is(tmp_path):
    """`build --pdf` and a plain `soffice --convert-to pdf` of the .docx that
    staff open (with only the shipped font substitutes) give the same pages,
    line for line."""
    import os
    import subprocess
    import sys

    from doctools.convert import fonts, libreoffice as pdf

    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "doctools", "build", "--pdf", "--out", str(out),
                    *[str(ROOT / "inputs" / name) for name in PACKAGES]], check=True, capture_output=True)
    plans = sorted(p for p in out.glob("*/*.docx") if p.with_suffix(".pdf").exists())    # the plans and table documents
    assert len({p.parent for p in plans}) == len(PACKAGES)
    direct, copies = tmp_path / "direct", tmp_path / "copies"
    copies.mkdir()
    for plan in plans:                               # byte-identical copies under names that cannot collide
        (copies / f"{plan.parent.name}-{plan.name}").write_bytes(plan.read_bytes())
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts.CONFIG_FILE))
    subprocess.run([pdf.soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(direct), *map(str, sorted(copies.iterdir()))], check=True, capture_output=True,
                   env=env, timeout=600)
    for plan in plans:
        ours = open_pdf(plan.with_suffix(".pdf").read_bytes())
        theirs = open_pdf((direct / f"{plan.parent.name}-{plan.stem}.pdf").read_bytes())
        assert len(ours.pages) == len(theirs.pages), plan.name
        for a, b in zip(ours.pages, theirs.pages):
            assert [r.text for r in page_rows(a)] == [r.text for r in page_rows(b)], (plan.name, a.page_number)
