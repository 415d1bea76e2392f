"""The page layout as rendered: LibreOffice turns the .docx into a PDF, and
the PDF is measured the way one checks a printed page with a ruler."""
import re
import shutil

import pytest
from conftest import ROOT, build_package
from helpers import (LINE, PT_PER_MM, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, open_pdf, page_rows)

MM = PT_PER_MM
PAGE_NUMBER = re.compile(r"^—(\d+)—$")


def body_rows(page):
    return [r for r in page_rows(page) if r.top < TEXT_BOTTOM]


def footer_rows(page):
    return [r for r in page_rows(page) if r.top >= TEXT_BOTTOM]


def imprint_bottom_rule(page):
    rules = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 400
             and tuple(e.get("stroking_color") or (0,)) != (1.0, 0.0, 0.0)]   # not the red rule of the 版头
    return max((e["bottom"] for e in rules), default=None), len(rules)


def ink_top_of(page, char):
    """Top of the dark pixels inside a character's box (pt)."""
    from doctools.audit.measure import Page, ink_box
    wrapped = Page(page.page_number, float(page.width), float(page.height), [], [], [], [], page)
    return ink_box(wrapped, char["x0"], char["top"], char["x1"], char["bottom"])[1]


@pytest.fixture(scope="module")
def kazuo_pdf(kazuo, pdf_of):
    return open_pdf(pdf_of(kazuo))


@pytest.fixture(scope="module")
def full_pdf(pdf_of):
    data, _ = build_package(ROOT / "tests" / "packages" / "full")
    return open_pdf(pdf_of(data))


def test_every_full_body_page_has_22_lines_on_the_grid(kazuo_pdf):
    pages = kazuo_pdf.pages
    assert len(pages) >= 5
    for page in pages:
        for row in body_rows(page):
            # each line box is one 28.95 pt grid line of the 版心
            slot = (row.bottom - TEXT_TOP) / LINE
            assert 0 < slot <= 22.05, (page.page_number, row.text)
    heading = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)")
    for page, following in zip(pages[1:-1], pages[2:]):
        # a page is full unless keep-with-next carried a heading over to the next page
        if heading.match(body_rows(following)[0].text):
            assert len(body_rows(page)) >= 21, page.page_number
        else:
            assert len(body_rows(page)) == 22, page.page_number


def test_body_text_stays_inside_the_type_area(kazuo_pdf, full_pdf):
    for pdf in (kazuo_pdf, full_pdf):
        for page in pdf.pages:
            for row in body_rows(page):
                assert row.x0 >= TEXT_LEFT - 1 * MM, (page.page_number, row.text)
                # closing punctuation may hang past the margin (Word's default, and LibreOffice's)
                hang = 16.5 * len(re.search(r"[，。、；：！？”’）》]*$", row.text).group())
                assert row.x1 <= TEXT_RIGHT + 1 * MM + hang, (page.page_number, row.text)
                assert row.top >= TEXT_TOP - 1 * MM, (page.page_number, row.text)
                assert row.bottom <= TEXT_BOTTOM + 1 * MM, (page.page_number, row.text)


def test_lines_hold_28_characters(kazuo_pdf):
    # a full line of body text: 28 characters (one more only never, as punctuation may not hang)
    lengths = [len(r.text) for p in kazuo_pdf.pages[1:-1] for r in body_rows(p) if r.x1 > TEXT_RIGHT - 8]
    assert lengths and max(lengths) <= 30 and sorted(lengths)[len(lengths) // 2] == 28


def test_page_numbers_right_on_odd_left_on_even_7mm_below(kazuo_pdf):
    for page in kazuo_pdf.pages:
        rows = footer_rows(page)
        assert len(rows) == 1, page.page_number
        row = rows[0]
        assert PAGE_NUMBER.match(row.text).group(1) == str(page.page_number)
        # the dash itself (its ink, not the character box) 7 mm below the 版心 (7.5)
        dash = next(c for c in page.chars if c["text"] == "—" and c["top"] >= TEXT_BOTTOM)
        ink_top = ink_top_of(page, dash)
        assert abs(ink_top - (TEXT_BOTTOM + 7 * MM)) <= 0.5 * MM, (page.page_number, (ink_top - TEXT_BOTTOM) / MM)
        if page.page_number % 2:
            assert abs(row.x1 - (TEXT_RIGHT - 14)) <= 1 * MM     # 居右空一字 (one 4号 character)
        else:
            assert abs(row.x0 - (TEXT_LEFT + 14)) <= 1 * MM      # 居左空一字


def test_imprint_sits_on_the_bottom_of_the_last_page(kazuo_pdf, full_pdf):
    for pdf in (kazuo_pdf, full_pdf):
        last = pdf.pages[-1]
        bottom, count = imprint_bottom_rule(last)
        assert count == 3                                        # outer, inner, outer rules
        assert abs(bottom - TEXT_BOTTOM) <= 1.5 * MM
        assert "印发" in last.extract_text()
        assert len(pdf.pages) % 2 == 0                           # duplex: the 版记 is on an even page
        for page in pdf.pages[:-1]:
            assert imprint_bottom_rule(page)[1] == 0


def test_red_header_and_title_positions(full_pdf):
    first = full_pdf.pages[0]
    rows = body_rows(first)
    mark = rows[0]
    assert mark.text == "某县人民政府办公室文件"
    red = [c for c in first.chars if c["text"] == "某" and c["top"] < 260]
    assert red and red[0]["non_stroking_color"] in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0))
    assert abs(mark.top - (TEXT_TOP + 35 * MM)) <= 3 * MM      # 35 mm below the top of the 版心
    number = next(r for r in rows if "〔2021〕" in r.text)
    rule = [e for e in first.edges if e["orientation"] == "h" and e["top"] > number.bottom and e["top"] < number.bottom + 30]
    assert rule, "red rule under the 发文字号"
    assert abs(rule[0]["top"] - number.bottom - 4 * MM) <= 3 * MM


def make_two_full_pages(tmp_path):
    """A plan whose text fills exactly two pages: the 版记 does not fit on
    even page 2, so a blank page 3 comes first and pages 3 and 4 are unnumbered."""
    folder = tmp_path / "twopages"
    folder.mkdir()
    # title + blank line + heading (3 lines) + 41 one-line paragraphs = 44 lines = 2 pages
    body = "\n".join([f"      - {'政务公开' * 5}政务公开。"] * 41)
    (folder / "document.yaml").write_text(
        "document:\n  title: 两页正文测试方案\n  office: 某县人民政府办公室\n  date: 2021年3月5日\n"
        "  imprint: {cc: [县委办公室]}\n"
        f"body:\n  - title: 正文\n    text:\n{body}\n", encoding="utf-8")
    return folder


def test_blank_page_before_the_imprint_page_and_neither_numbered(tmp_path, pdf_of):
    data, writer = build_package(make_two_full_pages(tmp_path))
    pdf = open_pdf(pdf_of(data))
    assert len(pdf.pages) == 4
    assert [bool(footer_rows(p)) for p in pdf.pages] == [True, True, False, False]
    assert body_rows(pdf.pages[1])[-1].bottom > TEXT_BOTTOM - LINE     # page 2 is full
    assert not pdf.pages[2].chars                                        # page 3 is blank
    bottom, count = imprint_bottom_rule(pdf.pages[3])
    assert count == 3 and abs(bottom - TEXT_BOTTOM) <= 1.5 * MM


def test_the_shipped_fontconfig_file_is_the_one_the_code_describes():
    from doctools.convert import fonts
    assert fonts.CONFIG_FILE.read_text(encoding="utf-8") == fonts.fontconfig_xml()
    assert fonts.render_env()["FONTCONFIG_FILE"] == str(fonts.CONFIG_FILE)


def test_no_documents_start_no_libreoffice(monkeypatch):
    from doctools.convert import libreoffice as pdf
    monkeypatch.setattr(pdf.subprocess, "Popen", lambda *a, **k: pytest.fail("LibreOffice started"))
    assert pdf.convert({}) == {}


def test_a_stuck_libreoffice_is_killed_with_its_children(tmp_path, monkeypatch):
    """A fake soffice that starts a child and hangs: on timeout both are gone."""
    import time
    from pathlib import Path
    from doctools.convert import libreoffice as pdf
    fake = tmp_path / "soffice"
    pids = tmp_path / "pids"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice", lambda: str(fake))
    with pytest.raises(pdf.PdfTimeout, match="try again"):
        pdf.convert({"a": b"x"}, timeout=1)
    time.sleep(0.2)
    for pid in map(int, pids.read_text().split()):
        status = Path(f"/proc/{pid}/status")
        alive = status.exists() and "\nState:\tZ" not in status.read_text()     # gone, or a zombie
        assert not alive, pid


def test_a_duty_template_with_a_line_break_gives_two_indented_unstretched_lines(tmp_path, pdf_of):
    folder = tmp_path / "duty"
    folder.mkdir()
    (folder / "document.yaml").write_text(
        "document:\n  title: 责任分工测试方案\n  office: 某县人民政府办公室\n  date: 2021年3月5日\n"
        "style:\n  duty_formats:\n    default: {template: \"牵头单位：{lead}\\n配合单位：{support}\", place: line}\n"
        "units: [县政府办公室, 县财政局]\n"
        "tasks:\n  - {id: a, text: 编制政务公开事项标准目录。, lead: 县政府办公室, support: 县财政局}\n"
        "body:\n  - title: 主要任务\n    text: [{task: a}]\n", encoding="utf-8")
    data, _ = build_package(folder)
    page = open_pdf(pdf_of(data)).pages[0]
    rows = {r.text: r for r in body_rows(page)}
    for text in ("牵头单位：县政府办公室", "配合单位：县财政局"):
        row = rows[text]
        assert abs(row.x0 - (TEXT_LEFT + 32)) <= 1 * MM, text                        # 左空二字, both lines
        assert row.x1 - row.x0 <= len(text) * 16 + 2, text                            # not stretched to the margin


def test_doctools_fonts_writes_the_user_aliases_once(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from doctools.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    target = tmp_path / "fontconfig" / "conf.d" / "60-doctools.conf"
    dry = CliRunner().invoke(main, ["fonts", "--dry-run"])
    assert dry.exit_code == 0 and "<string>仿宋_GB2312</string>" in dry.output and not target.exists()
    first = CliRunner().invoke(main, ["fonts"])
    assert first.output == f"wrote {target}; restart LibreOffice to use it\n"
    assert "/etc/fonts/fonts.conf" not in target.read_text(encoding="utf-8")      # a conf.d part, not a whole config
    again = CliRunner().invoke(main, ["fonts"])
    assert again.output == f"{target}: already up to date\n"
    import os
    import subprocess
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    found = subprocess.run(["fc-match", "-f", "%{family}", "楷体_GB2312"], capture_output=True, text=True,
                           env=dict(env, XDG_CONFIG_HOME=str(tmp_path))).stdout   # the system's fontconfig reads it
    assert "AR PL UKai" in found


def notice_ending_near_the_foot(tmp_path, count: int):
    """A 印发通知 whose text ends *count* one-line paragraphs down page 1, sealed (two blank lines before the 署名)."""
    folder = tmp_path / f"notice{count}"
    folder.mkdir()
    text = "\n".join(["      - 请各单位认真组织实施，按时报送工作进展情况。"] * count)
    (folder / "document.yaml").write_text(
        "document:\n  title: 某县政务公开工作实施方案\n  office: 某县人民政府办公室\n  date: 2021年3月5日\n"
        "  notice:\n    title: 某县人民政府办公室关于印发政务公开工作实施方案的通知\n    recipients: 各乡镇人民政府\n"
        f"    text:\n{text}\n    signature: {{sealed: true}}\n"
        "body:\n  - title: 正文\n    text: [正文。]\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("count", [16, 17, 18])
def test_a_signoff_never_stands_alone_on_a_page(tmp_path, count):
    from doctools.audit import audit
    folder = notice_ending_near_the_foot(tmp_path, count)
    data, _ = build_package(folder)
    path = tmp_path / f"notice{count}.docx"
    path.write_bytes(data)
    checks = [c for c in audit([path])[0].checks if c.clause == "7.3.5"]
    assert checks and all(c.passed for c in checks), [(c.measured, c.page) for c in checks]


def test_the_libreoffice_time_limit_grows_with_the_work():
    from doctools.convert import libreoffice as pdf
    one = pdf.timeout_for({"a": b"x" * 100_000})
    many = pdf.timeout_for({str(i): b"x" * 100_000 for i in range(10)})
    big = pdf.timeout_for({"a": b"x" * 10_000_000})
    assert 60 <= one < many and one < big
