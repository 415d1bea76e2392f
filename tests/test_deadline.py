from datetime import date

import pytest

from doctools.model.deadline import DeadlineError, parse_date, parse_deadline


@pytest.mark.parametrize("text, start, end, printed", [
    ("2020年5月底前", None, date(2020, 5, 31), "2020年5月底前"),
    ("2020年底前", None, date(2020, 12, 31), "2020年底前"),
    ("2020年年底前", None, date(2020, 12, 31), "2020年底前"),
    ("2021年3月底", date(2021, 3, 1), date(2021, 3, 31), "2021年3月底"),
    ("2017年12月-2018年1月", date(2017, 12, 1), date(2018, 1, 31), "2017年12月—2018年1月"),
    ("2017年9月—2017年10月", date(2017, 9, 1), date(2017, 10, 31), "2017年9月—2017年10月"),
    ("2021 年至 2022 年 6 月", date(2021, 1, 1), date(2022, 6, 30), "2021年—2022年6月"),
    ("2018年11月", date(2018, 11, 1), date(2018, 11, 30), "2018年11月"),
    ("2020年8月30日之前", None, date(2020, 8, 30), "2020年8月30日前"),
    ("2020年02月09日", date(2020, 2, 9), date(2020, 2, 9), "2020年2月9日"),
    ("2020-08-30", date(2020, 8, 30), date(2020, 8, 30), "2020年8月30日"),
    ("２０２０年５月", date(2020, 5, 1), date(2020, 5, 31), "2020年5月"),
    ("2021年上半年", date(2021, 1, 1), date(2021, 6, 30), "2021年上半年"),
    ("2021年第三季度", date(2021, 7, 1), date(2021, 9, 30), "2021年第三季度"),
    ("持续推进", None, None, "持续推进"),
])
def test_official_forms_parse_and_print_back(text, start, end, printed):
    d = parse_deadline(text)
    assert (d.start, d.end) == (start, end)
    assert d.official() == printed


def test_range_separator_is_a_house_style_choice():
    assert parse_deadline("2017年12月—2018年1月").official(range_sep="-") == "2017年12月-2018年1月"


def test_deadlines_sort_by_their_end_and_ongoing_last():
    texts = ["持续推进", "2022年6月", "2020年5月底前", "2020年底", "2021年3月底"]
    ordered = sorted((parse_deadline(t) for t in texts), key=lambda d: d.sort_key)
    assert [d.official() for d in ordered] == ["2020年5月底前", "2020年底", "2021年3月底", "2022年6月", "持续推进"]


@pytest.mark.parametrize("text, message", [
    ("2020年13月", "no month 13"),
    ("2020年2月30日", "has no day 30"),
    ("2019年2月29日", "has no day 29"),
    ("2018年3月-2018年1月", "ends (2018年1月) before it starts (2018年3月)"),
    ("下个月", "is not a date"),
    ("", "empty"),
])
def test_bad_deadlines_say_what_is_wrong(text, message):
    with pytest.raises(DeadlineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_deadline(text)


def test_full_dates_for_signature_and_imprint():
    assert parse_date("2018年1月25日") == date(2018, 1, 25)
    with pytest.raises(DeadlineError, match="not a full date"):
        parse_date("2018年1月")


# ---- deadlines written without their year (issue 14) --------------------------------------------------------

from doctools.model.deadline import YearContext  # noqa: E402

PLAN_DATE = YearContext(date(2023, 8, 19))          # 威海市, 数字威海建设2023年工作要点


@pytest.mark.parametrize("text, context, start, end, printed, ambiguous", [
    ("4月底前", YearContext(date(2015, 3, 20)), None, date(2015, 4, 30), "2015年4月底前", False),
    ("5月10日前", YearContext(date(2015, 3, 20)), None, date(2015, 5, 10), "2015年5月10日前", False),
    ("年底前", PLAN_DATE, None, date(2023, 12, 31), "2023年底前", False),
    ("年内", PLAN_DATE, None, date(2023, 12, 31), "2023年底前", False),
    ("6月底", PLAN_DATE, date(2024, 6, 1), date(2024, 6, 30), "2024年6月底", True),   # before the plan: next year
    ("下半年", PLAN_DATE, date(2023, 7, 1), date(2023, 12, 31), "2023年下半年", False),
    # inside a phase of two years, the first year that puts the point inside the phase
    ("3月底前", YearContext(date(2017, 12, 1), date(2018, 4, 30)), None, date(2018, 3, 31), "2018年3月底前", False),
    ("12月底前", YearContext(date(2017, 12, 1), date(2018, 12, 31)), None, date(2017, 12, 31), "2017年12月底前", True),
    # the day is checked in the year the rule picks: 2023年2月 has no 29th, 2024年2月 has
    ("2月29日前", PLAN_DATE, None, date(2024, 2, 29), "2024年2月29日前", True),
    ("2月29日前", YearContext(date(2023, 10, 1), date(2024, 6, 30)), None, date(2024, 2, 29), "2024年2月29日前", False),
])
def test_a_deadline_without_its_year_takes_it_from_the_plan_or_the_phase(text, context, start, end, printed, ambiguous):
    d = parse_deadline(text, context)
    assert (d.start, d.end) == (start, end)
    assert d.official() == printed
    assert d.implied_year and d.ambiguous == ambiguous
    assert d.as_written() == text


@pytest.mark.parametrize("text, start, end, printed", [
    ("2015年4月-6月", date(2015, 4, 1), date(2015, 6, 30), "2015年4月—2015年6月"),
    ("2017年11月-2月", date(2017, 11, 1), date(2018, 2, 28), "2017年11月—2018年2月"),
    ("至2025年底", None, date(2025, 12, 31), "2025年底前"),
    ("2020年年末", date(2020, 12, 1), date(2020, 12, 31), "2020年底"),
])
def test_ranges_whose_end_leaves_out_the_year_and_by_written_with_zhi(text, start, end, printed):
    d = parse_deadline(text)
    assert (d.start, d.end) == (start, end)
    assert d.official() == printed
    assert not d.implied_year


def test_a_deadline_keeps_the_text_it_was_written_as_but_compares_by_its_dates():
    assert parse_deadline("2015年4月-6月").as_written() == "2015年4月-6月"
    assert parse_deadline("长期坚持").as_written() == "长期坚持"
    assert parse_deadline("长期坚持").official() == "持续推进"
    assert parse_deadline("2020年5月底前") == parse_deadline("2020年5月底之前")


def test_a_day_missing_from_the_year_the_rule_picks_is_an_error_naming_that_year():
    with pytest.raises(DeadlineError, match="2025年2月 has no day 29"):
        parse_deadline("2月29日前", YearContext(date(2024, 8, 19)))
    with pytest.raises(DeadlineError, match="2月 has no day 30"):
        parse_deadline("2月30日", PLAN_DATE)


def test_a_deadline_without_a_year_and_nothing_to_take_it_from_says_so():
    with pytest.raises(DeadlineError, match="has no year; write it in full, e.g. 2020年4月底"):
        parse_deadline("4月底前")


def test_milestones_written_one_after_the_other():
    from doctools.model.deadline import parse_milestones
    got = parse_milestones("2023年底前完成梳理；2024年上半年，覆盖率达100%")
    assert [(d.official(), text) for d, text in got] == [("2023年底前", "完成梳理"), ("2024年上半年", "覆盖率达100%")]
    with pytest.raises(DeadlineError):
        parse_milestones("2021年13月")           # a wrong month, not 2021年 and the text 13月
    with pytest.raises(DeadlineError):
        parse_milestones("完成梳理")
