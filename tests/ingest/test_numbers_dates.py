"""Reading numbers and dates as analysts type them."""

from __future__ import annotations

import datetime as dt

import pytest

from pfcrm_core.ingest.dates import read_date
from pfcrm_core.ingest.numbers import CellError, read_number


@pytest.mark.parametrize("text, value", [
    ("1234.5", 1234.5),
    ("1,234,567.89", 1234567.89),
    ("1 234 567", 1234567),
    ("1'234'567", 1234567),
    ("１２３", 123),
    ("(1,234)", -1234),
    ("1,234-", -1234),
    ("−3", -3),
    ("¥1,234", 1234),
    ("$1.2m", 1_200_000),
    ("USD 1,000", 1000),
    ("1.2 million USD", 1_200_000),
    ("1.2亿", 120_000_000),
    ("3,500万", 35_000_000),
    ("1,234.5万元", 12_345_000),
    ("2.5bn", 2_500_000_000),
    ("1e3", 1000),
])
def test_read_number_values(text, value):
    assert read_number(text).value == pytest.approx(value)


def test_read_number_marks():
    assert read_number("12.5%").percent == 100
    assert read_number("80 bps").bps is True
    assert read_number("￥5").currency == "cny"
    assert read_number("5万").scaled is True
    assert read_number("1000").scaled is False


def test_read_number_decimal_comma():
    assert read_number("1.234.567,89", decimal_comma=True).value == \
        pytest.approx(1234567.89)
    assert read_number("12,5", decimal_comma=True).value == pytest.approx(12.5)


@pytest.mark.parametrize("text", ["abc", "12,5", "1,23,4", "2024-01-05", "--5x",
                                  "1.2.3"])
def test_read_number_rejects(text):
    with pytest.raises(CellError, match="invalid_number"):
        read_number(text)


@pytest.mark.parametrize("raw, expected", [
    ("2024-01-05", dt.date(2024, 1, 5)),
    ("2024/1/5", dt.date(2024, 1, 5)),
    ("2024.1.5", dt.date(2024, 1, 5)),
    ("20240105", dt.date(2024, 1, 5)),
    ("2024年1月5日", dt.date(2024, 1, 5)),
    ("2024年01月05日 10:30", dt.date(2024, 1, 5)),
    ("2024/1/5 上午 10:00", dt.date(2024, 1, 5)),
    ("2024-01-05T10:00:00Z", dt.date(2024, 1, 5)),
    ("13/1/2024", dt.date(2024, 1, 13)),
    ("1/13/24", dt.date(2024, 1, 13)),
    ("05-Jan-2024", dt.date(2024, 1, 5)),
    ("Jan 5, 2024", dt.date(2024, 1, 5)),
    ("5 January 2024", dt.date(2024, 1, 5)),
    (45292, dt.date(2024, 1, 1)),
    (45292.75, dt.date(2024, 1, 1)),
    ("45292", dt.date(2024, 1, 1)),
    (20240105, dt.date(2024, 1, 5)),
    (dt.datetime(2024, 1, 5, 9, 30), dt.date(2024, 1, 5)),
])
def test_read_date_values(raw, expected):
    assert read_date(raw) == (expected, None)


def test_read_date_month_only_warns():
    assert read_date("2024年3月") == (dt.date(2024, 3, 1), "date_month_only")
    assert read_date("Sept 2023") == (dt.date(2023, 9, 1), "date_month_only")


def test_read_date_order():
    assert read_date("03/04/2024", "dmy")[0] == dt.date(2024, 4, 3)
    assert read_date("03/04/2024", "mdy")[0] == dt.date(2024, 3, 4)
    with pytest.raises(CellError, match="ambiguous_date"):
        read_date("03/04/2024", None)


@pytest.mark.parametrize("raw, code", [
    ("2024", "date_year_only"),
    (2024, "date_year_only"),
    ("2024-02-30", "invalid_date"),
    ("yesterday", "invalid_date"),
    (12, "invalid_date"),
    (True, "invalid_date"),
])
def test_read_date_rejects(raw, code):
    with pytest.raises(CellError, match=code):
        read_date(raw)
