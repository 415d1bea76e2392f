from datetime import date

import pytest

from doctools.deadline import DeadlineError, parse_date, parse_deadline


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
