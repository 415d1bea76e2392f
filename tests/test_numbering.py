import pytest

from doctools.model.numbering import chinese_number, ordinal_lead, section_label


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (26, "二十六"),
                                     (99, "九十九"), (100, "一百"), (105, "一百零五"), (118, "一百一十八")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_labels_by_level():
    assert [section_label(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]
    assert section_label(2, 12) == "（十二）"
    assert ordinal_lead(3) == "三是"
    with pytest.raises(ValueError):
        section_label(5, 1)
