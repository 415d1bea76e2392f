"""A corpus of good and broken documents for ``doctools audit`` (issue 24), each with the clauses it must pass and
the ones it must fail.

Each document is built from a small package written here (as a clerk would write it), sometimes with its
.docx edited afterwards; all are rendered in one LibreOffice run.  The good ones are documents audit used to call
bad (a form's 填表人： taken as 主送, an unsealed sign-off taken as sealed, a wrapped 附件说明); the broken ones are
documents audit used to pass (a title that is a 发文字号 or ends in "：", a 印发通知 printed as body text).
"""
import textwrap

import pytest
from click.testing import CliRunner

from doctools.audit import audit
from doctools.cli import main

FRAME = """\
document:
  title: {title}
  office: 某县人民政府办公室
  date: 2021年3月5日
  recipients: 各乡镇人民政府，县政府各部门
  preamble: {preamble}
  signature: {signature}
units:
  - 县民政局
  - 县财政局
tasks:
  - {{id: t1, text: 编制政务公开事项标准目录。, responsible: [县民政局], deadline: 2021年6月底前}}
body:
  - title: 主要任务
    text: [{{task: t1}}]
"""
TITLE = "某县政务公开工作实施方案"
PREAMBLE = "为做好政务公开工作，结合我县实际，制定本实施方案。"
UNSEALED = "{name: 某县人民政府办公室, sealed: false}"

# name -> (package text, clauses it must pass, clauses it must fail)
CORPUS = {
    "form-with-fill-in-line": (
        FRAME.format(title=TITLE, preamble=PREAMBLE, signature=UNSEALED) + textwrap.dedent("""\
        attachments:
          - title: 政务公开工作情况统计表
            content:
              - 填表人：
              - 统计截至2021年3月底的公开情况。
        """), {"7.3.2", "7.3.1", "7.3.7"}, set()),
    "unsealed-signature-whose-date-ends-four-characters-from-the-right": (
        FRAME.format(title=TITLE, preamble=PREAMBLE, signature="{name: 某某某县人民政府办公室, sealed: false}"),
        {"7.3.5.2", "7.3.5"}, set()),
    "wrapped-attachment-note": (
        FRAME.format(title=TITLE, preamble=PREAMBLE, signature=UNSEALED) + textwrap.dedent("""\
        attachments:
          - title: 某县基层政务公开标准化规范化工作任务分工及进度安排表
            content: [见表。]
          - title: 某县政务公开事项标准目录编制工作联系人及联系方式汇总表（按乡镇和县直部门分列）
            content: [见表。]
        """), {"7.3.4", "7.3.7"}, set()),
    "title-is-a-document-number": (
        FRAME.format(title="某政办发〔2021〕7号", preamble=PREAMBLE, signature=UNSEALED), set(), {"7.3.1"}),
    "title-ends-with-a-colon": (
        FRAME.format(title="关于做好政务公开工作的通知：", preamble=PREAMBLE, signature=UNSEALED), set(), {"7.3.1"}),
    "notice-printed-as-body-text": (
        FRAME.format(title=TITLE, preamble="现将《某县政务公开工作实施方案》印发给你们，请认真贯彻执行。",
                     signature=UNSEALED), set(), {"7.3.3"}),
    "notice-as-its-own-document": (
        FRAME.format(title=TITLE, preamble=PREAMBLE, signature=UNSEALED).replace("  preamble:", textwrap.indent(
            textwrap.dedent("""\
            notice:
              title: 某县人民政府办公室关于印发某县政务公开工作实施方案的通知
              recipients: 各乡镇人民政府，县政府各部门
              text: 现将{plan}印发给你们，请认真贯彻执行。
              signature: {sealed: false}
            """), "  ") + "  preamble:", 1), {"7.3.3", "7.3.1", "7.3.2"}, set()),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    paths = {}
    for name, (text, _, _) in CORPUS.items():
        package = folder / name
        package.mkdir()
        (package / "package.yaml").write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["--lang", "en", "build", str(package), "--out", str(folder / "out")])
        assert result.exit_code == 0, (name, result.output)
        docs = [p for p in (folder / "out" / name).glob("*.docx")]
        assert len(docs) == 1, docs
        paths[name] = docs[0]
    found = audit(list(paths.values()))
    return {name: report for name, report in zip(paths, found)}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_document_passes_and_fails_the_clauses_it_should(reports, name):
    _, must_pass, must_fail = CORPUS[name]
    report = reports[name]
    failed = {c.clause for c in report.checks if not c.passed}
    measured = {c.clause for c in report.checks}
    assert must_pass <= measured, (must_pass - measured)
    assert not (failed & must_pass), [(c.clause, c.requirement, c.measured) for c in report.checks
                                      if not c.passed and c.clause in must_pass]
    assert must_fail <= failed, [(c.clause, c.requirement, c.measured) for c in report.checks if c.clause in must_fail]
