"""Property-based tests: random valid packages always build, every task's text
shows in the body and in the task table, and random text never crashes a writer."""
import io
import string

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import body_texts

from doctools.errors import InputError
from doctools.commands.build import load_package as read_package
from doctools.writers.docx_plan import write_plan
from doctools.writers.xlsx import write_workbook

CJK = "政务公开标准化规范化工作推进目录事项指引县市乡镇街道部门单位信息平台"
PUNCT = "，、；：“”（）《》"
cjk_text = st.text(alphabet=CJK + PUNCT + string.digits, min_size=1, max_size=120).map(lambda s: s + "。")
unit_names = st.lists(st.text(alphabet=CJK, min_size=2, max_size=8).map(lambda s: "县" + s + "局"),
                      min_size=1, max_size=5, unique=True)
deadlines = st.one_of(
    st.builds(lambda y, m: f"{y}年{m}月底前", st.integers(2018, 2030), st.integers(1, 12)),
    st.builds(lambda y, m: f"{y}年{m}月", st.integers(2018, 2030), st.integers(1, 12)),
    st.builds(lambda y: f"{y}年底前", st.integers(2018, 2030)),
    st.just("持续推进"))
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def packages(draw, text=cjk_text):
    units = draw(unit_names)
    tasks = []
    for i in range(draw(st.integers(1, 6))):
        tasks.append({"id": f"t{i}", "text": draw(text), "deadline": draw(deadlines),
                      "responsible": draw(st.lists(st.sampled_from(units), min_size=1, max_size=3, unique=True))})
    body = []
    for n in range(draw(st.integers(1, 3))):
        mine = [t["id"] for j, t in enumerate(tasks) if j % 3 == n % 3] or [tasks[0]["id"]]
        body.append({"title": draw(text).rstrip("。")[:20] or "标题", "text": [{"task": t} for t in mine]})
    return {
        "document": {"title": "随机生成的实施方案", "office": "某县人民政府办公室", "date": "2021年3月5日",
                     "imprint": {"cc": ["县委办公室"]}},
        "style": {"duty_formats": {"default": "（责任单位：{responsible}。完成时限：{deadline}）"}},
        "units": units, "tasks": tasks, "body": body,
        "attachments": [{"title": "任务分工表", "table": "tasks"}],
    }


def write(tmp_path_factory, data) -> "Path":
    folder = tmp_path_factory.mktemp("pkg")
    (folder / "package.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def plain(text: str) -> str:
    """Text as seen: without white space."""
    return "".join(text.split())


@SETTINGS
@given(data=packages())
def test_random_valid_packages_build_and_show_every_task(tmp_path_factory, data):
    from datetime import datetime
    package = read_package(write(tmp_path_factory, data))
    docx = write_plan(package)
    texts = body_texts(docx)
    body = plain("".join(texts))
    xlsx = write_workbook(package.tables, datetime(2021, 3, 5))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["任务分工表"]
    table_texts = {plain(str(row[1])) for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]}
    for task in data["tasks"]:
        assert plain(task["text"]) in body                       # in the body (and in the plan's 附件 table)
        assert plain(task["text"]) in table_texts                # in the task table workbook


@SETTINGS
@given(data=packages(text=st.text(min_size=0, max_size=60)))
def test_random_unicode_never_crashes_a_writer(tmp_path_factory, data):
    from datetime import datetime
    try:
        package = read_package(write(tmp_path_factory, data))
    except InputError as exc:
        assert exc.diagnostics                                    # refused with messages, not a crash
        return
    write_plan(package)
    write_workbook(package.tables, datetime(2021, 3, 5))
    write_workbook(package.unit_tables, datetime(2021, 3, 5))


# ---- issue 11: hostile packages never crash, hang or exhaust ------------------------------------------------------

import resource  # noqa: E402
import signal  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from doctools.cli import main  # noqa: E402
from doctools.readers.package import TOP_KEYS  # noqa: E402

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)   # control characters too
anything = st.recursive(st.none() | any_text | st.integers().map(str),
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
                        max_leaves=20)


def nested(depth: int, leaf):
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"sections": value}
    return value


@st.composite
def hostile_packages(draw):
    data = draw(packages(text=draw(st.sampled_from([cjk_text, cjk_text.map(lambda s: s + "\x0b"), any_text]))))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 3]))):
        key = draw(st.sampled_from(list(TOP_KEYS) + ["extra", "文档"]))
        where = data if key not in data or not isinstance(data[key], dict) or draw(st.booleans()) else data[key]
        where[key if where is data else draw(any_text)] = draw(anything)
    if draw(st.integers(0, 3)) == 0 and isinstance(data.get("body"), list):
        data["body"].append(nested(draw(st.integers(0, 80)), {"title": draw(any_text)}))
    if draw(st.integers(0, 3)) == 0:
        data["document"] = {**(data.get("document") if isinstance(data.get("document"), dict) else {}),
                            "title": draw(any_text), "office": draw(any_text)}
    return data


class Hang(Exception):
    pass


def bounded(seconds: int):
    def alarm(*_):
        raise Hang(f"more than {seconds} s")
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)


@settings(SETTINGS, max_examples=50)
@given(data=hostile_packages())
def test_hostile_packages_never_exit_1_never_traceback_never_hang(tmp_path_factory, data):
    folder = write(tmp_path_factory, data)
    out = tmp_path_factory.mktemp("out")
    try:
        bounded(30)
        for args in (["check", str(folder)], ["build", str(folder), "--out", str(out)]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code in (0, 2), (args, result.output, result.exception)
            assert "Traceback" not in result.output and "internal error" not in result.output, result.output
            assert not isinstance(result.exception, (MemoryError, RecursionError, Hang)), result.exception
    finally:
        signal.alarm(0)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2_000_000      # KiB: the test process stayed under 2 GB
