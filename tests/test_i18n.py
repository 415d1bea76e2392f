"""Chinese under a Chinese locale, English otherwise: the catalog, the language choice, diagnostics and --help."""
import inspect
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from doctools import i18n
from doctools.cli import main
from doctools.errors import Diagnostics, Pos

ZH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
C = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
BAD = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in BAD.iterdir() if p.is_dir())


def run(env, *args):
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], prog_name="doctools")
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def catalog():
    with i18n.PO.open("rb") as f:
        return read_po(f, locale="zh_CN", domain=i18n.DOMAIN)


def chinese(text: str) -> set:
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}


def fields(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# ---- the catalog ---------------------------------------------------------------------------------------------
def test_committed_mo_is_the_compiled_po():
    """The .mo is committed so installs need no build step; it must not drift from the .po."""
    assert i18n.MO.read_bytes() == i18n.compile_po(i18n.PO.read_bytes()), \
        "doctools.mo is stale: run .venv/bin/python -m doctools.i18n"


def test_every_message_in_the_code_and_in_click_has_a_chinese_translation(catalog):
    extracted = {m.id for m in i18n.extract() if m.id}
    untranslated = [m.id for m in catalog if m.id in extracted
                    and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    missing = sorted(map(str, extracted - {m.id for m in catalog}))
    assert not missing, f"not in the catalog (run .venv/bin/python -m doctools.i18n, then translate): {missing}"
    assert not untranslated, f"no Chinese translation: {untranslated}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"


def test_the_catalog_holds_no_message_the_code_no_longer_has(catalog):
    extracted = {m.id for m in i18n.extract() if m.id}
    assert sorted(map(str, {m.id for m in catalog if m.id} - extracted)) == []


def test_translations_use_the_placeholders_of_their_message(catalog):
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        allowed = set().union(*(fields(i) for i in ids))
        for s in strings:
            assert fields(s) <= allowed, (m.id, s)
            if not isinstance(m.id, tuple):
                assert fields(s) == allowed, (m.id, s)      # every value the message gives is shown


# ---- which language ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("env, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "C.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C.UTF-8"}, "zh"),
    ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "C.UTF-8"}, "zh"),
])
def test_the_language_follows_the_locale(monkeypatch, env, lang):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == lang


# ---- diagnostics ---------------------------------------------------------------------------------------------
def test_a_diagnostic_is_translated_when_made_and_keeps_the_parseable_form(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    diags = Diagnostics()
    diags.warning(Pos("units.yaml", 3, 5), i18n.N_("unit '{unit}' is not named by any task"), unit="县规划局")
    diags.error(Pos("a.yaml", 1, 2), "an English message not yet marked, with {braces}")
    monkeypatch.setenv("LANGUAGE", "en")                  # made in Chinese, it stays Chinese
    assert [str(d) for d in diags.sorted()] == [
        "a.yaml:1:2: error: an English message not yet marked, with {braces}",
        "units.yaml:3:5: warning: 单位“县规划局”没有被任何任务列为责任单位",
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("env, expected", [(ZH, "expected.zh.txt"), (C, "expected.txt")], ids=["zh_CN", "C"])
def test_bad_input_messages_in_each_language(case, env, expected, monkeypatch):
    """Every bad-input case keeps both sets of messages: Chinese under a Chinese locale, English under C."""
    monkeypatch.chdir(case)
    code, output = run(env, "check", ".")
    assert code == 2
    lines = [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]
    assert lines == (case / expected).read_text(encoding="utf-8").splitlines()


def test_every_case_has_its_chinese_messages_and_they_are_chinese():
    """No message line of a case is left in English: each keeps the place and kind of the English line at the same
    position, and has Chinese words the English line (with its quoted Chinese values) does not have."""
    assert len(CASES) >= 90
    for case in CASES:
        zh = (case / "expected.zh.txt").read_text(encoding="utf-8").splitlines()
        en = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert len(zh) == len(en), case.name
        for z, e in zip(zh, en):
            assert z.split(": ", 2)[:2] == e.split(": ", 2)[:2], (case.name, z)    # same place, same kind
            assert chinese(z) - chinese(e), (case.name, z)


def test_lang_option_overrides_the_locale_and_is_undone_afterwards(monkeypatch):
    monkeypatch.chdir(BAD / "08-unit-not-in-registry")
    assert "不在单位名录" in run(C, "--lang", "zh", "check", ".")[1]
    assert "not in the unit registry" in run(ZH, "--lang", "en", "check", ".")[1]
    assert "不在单位名录" in run(ZH, "check", ".")[1]


@pytest.mark.parametrize("args", [["check", ".", "--lang", "zh"], ["check", "--lang", "zh", "."]],
                         ids=["after the package", "after the command"])
def test_lang_option_works_after_the_subcommand_too(monkeypatch, args):
    """The Chinese guide says to add --lang zh after the command: `doctools check 包 --lang zh`."""
    monkeypatch.chdir(BAD / "08-unit-not-in-registry")
    code, output = run(C, *args)
    assert code == 2 and "不在单位名录" in output and "No such option" not in output
    code, output = run(C, "new", "x", "--lang", "zh", "--year", "2027")
    assert "需要同时给出 --from" in output


# ---- --help --------------------------------------------------------------------------------------------------
def commands():
    return [[]] + [[name] for name in sorted(main.commands)]


@pytest.mark.parametrize("command", commands(), ids=lambda c: " ".join(c) or "doctools")
def test_help_is_chinese_under_a_chinese_locale(command, monkeypatch):
    code, output = run(ZH, *command, "--help")
    assert code == 0
    assert output.startswith("用法: doctools")
    assert "选项:" in output and "显示本帮助后退出。" in output
    assert "Usage" not in output and "Show this message" not in output
    cmd = main.commands[command[0]] if command else main
    monkeypatch.setenv("LANGUAGE", "zh")
    for obj in (cmd, *cmd.params):
        msgid = obj.__dict__.get("_help_msgid", obj.help)
        if msgid and not getattr(obj, "hidden", False):
            text = inspect.cleandoc(msgid).partition("\f")[0]
            assert i18n._(text) != text, f"no translation for the help of {' '.join(command)}: {msgid!r}"


@pytest.mark.parametrize("command", commands(), ids=lambda c: " ".join(c) or "doctools")
def test_help_is_english_under_the_c_locale(command):
    code, output = run(C, *command, "--help")
    assert code == 0
    assert output.startswith("Usage: doctools") and "Show this message and exit." in " ".join(output.split())
    assert "用法" not in output


def test_click_errors_are_chinese_too():
    code, output = run(ZH, "bulid")
    assert code == 2
    assert "错误：没有命令 'bulid'。" in output


def test_lang_option_changes_the_help_of_click_and_doctools_alike():
    zh = " ".join(run(C, "--lang", "zh", "--help")[1].split())
    assert "用法: doctools" in zh and "显示版本号后退出。" in zh and "显示本帮助后退出。" in zh
    en = " ".join(run(ZH, "--lang", "en", "build", "--help")[1].split())
    assert "Usage: doctools build" in en and "Show this message and exit." in en
    assert "Folder for the outputs" in en and "输出文件夹" not in en


def test_an_empty_message_stays_empty(monkeypatch):
    """gettext maps "" to the catalog's header; a diagnostic must never print that."""
    monkeypatch.setenv("LANGUAGE", "zh")
    diags = Diagnostics()
    diags.error(Pos("a.yaml"), "")
    assert str(diags.items[0]) == "a.yaml: error: "
