"""Hostile files sent through the workbench's upload path (the catalog workbook, the Word plan to import): each is
refused with the command line's own message, in Chinese, never a traceback or a 500; nothing lands in the package."""
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from doctools.workbench.accounts import Accounts
from doctools.workbench.server import secured_app
from workbench_client import csrf, login

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_inputs"
HOSTILE_WORKBOOKS = sorted(p for p in BAD.glob("*/*.xlsx") if p.parent.name.split("-", 1)[1] in (
    "workbook-zip-bomb", "workbook-not-a-workbook", "workbook-too-many-rows", "workbook-giant-merged-range"))
ALL_WORKBOOKS = sorted(BAD.glob("*/*.xlsx"))
DOCX_CASES = sorted(BAD.glob("*/*.docx"))


@pytest.fixture(scope="module")
def clerk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("uploads")
    workspace = tmp / "inputs"
    shutil.copytree(ROOT / "inputs" / "kazuo", workspace / "kazuo")
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    Accounts(workspace / ".doctools", hasher=fast).add("wang", "wang-password")
    app, _ = secured_app(workspace, out_root=tmp / "outputs", preview=False)
    client = TestClient(app, raise_server_exceptions=False)
    login(client, "wang", "wang-password")
    return client, workspace


def upload(client, url, name, data):
    token = csrf(client.get("/p/kazuo?tab=catalog").text)
    return client.post(url, files={"file": (name, data)}, data={"csrf_token": token}, follow_redirects=False)


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_hostile_cases_exist():
    assert len(HOSTILE_WORKBOOKS) == 4, HOSTILE_WORKBOOKS


@pytest.mark.parametrize("case", HOSTILE_WORKBOOKS, ids=lambda p: p.parent.name)
def test_a_hostile_workbook_sent_as_the_catalog_is_refused_and_never_lands(clerk, case, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    client, workspace = clerk
    before = sorted(p.name for p in (workspace / "kazuo").iterdir())
    response = upload(client, "/p/kazuo/catalog", case.name, case.read_bytes())
    assert response.status_code == 400 and "Traceback" not in response.text
    assert case.name in response.text and chinese(response.text.split("<main>")[-1])
    assert sorted(p.name for p in (workspace / "kazuo").iterdir()) == before


@pytest.mark.parametrize("case", ALL_WORKBOOKS, ids=lambda p: p.parent.name)
def test_no_workbook_of_the_bad_inputs_makes_a_server_error(clerk, case):
    client, _ = clerk
    response = upload(client, "/p/kazuo/catalog", case.name, case.read_bytes())
    assert response.status_code in (303, 400) and "Traceback" not in response.text


def _docx(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="http://schemas.openxmlformats.org/'
          b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>')
HOSTILE_DOCX = {
    "not-a-zip": b"this is not a Word file at all",
    "encrypted-or-old": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
    "zip-without-body": _docx({"hello.txt": b"hi"}),
    "entity-expansion": _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": LAUGHS}),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_DOCX))
def test_a_hostile_word_file_sent_to_import_gets_a_chinese_message(clerk, kind, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    client, workspace = clerk
    response = upload(client, "/import", f"{kind}.docx", HOSTILE_DOCX[kind])
    assert response.status_code == 400 and "Traceback" not in response.text
    assert chinese(response.text.split("<main>")[-1])
    assert sorted(p.name for p in workspace.iterdir()) == [".doctools", "kazuo"]


@pytest.mark.parametrize("case", DOCX_CASES, ids=[p.parent.name for p in DOCX_CASES])
def test_the_word_files_of_the_bad_inputs_sent_to_import_never_make_a_server_error(clerk, case):
    client, _ = clerk
    response = upload(client, "/import", case.name, case.read_bytes())
    assert response.status_code in (303, 400) and "Traceback" not in response.text


def test_a_zip_bomb_word_file_is_refused_before_it_is_unpacked(clerk, monkeypatch):
    pytest.importorskip("doctools.safeio.untrusted", reason="the shared untrusted-file opener (issue 21) is not here")
    monkeypatch.setenv("LANGUAGE", "zh")
    client, _ = clerk
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(400):
                part.write(b"<w:p/>" * 200_000)
    response = upload(client, "/import", "bomb.docx", out.getvalue())
    assert response.status_code == 400 and chinese(response.text)


def test_an_upload_over_the_size_limit_is_refused_in_chinese(clerk, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    client, _ = clerk
    response = upload(client, "/p/kazuo/catalog", "big.xlsx", b"PK" + b"\0" * 26_000_000)
    assert response.status_code == 413 and "太大" in response.text
