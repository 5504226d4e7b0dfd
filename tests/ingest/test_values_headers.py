"""Column formats, cell conversion and header matching."""

from __future__ import annotations

import pytest

from pfcrm_core.ingest.headers import HeaderIndex, split_header
from pfcrm_core.ingest.numbers import CellError
from pfcrm_core.ingest.categories import column_vocabulary
from pfcrm_core.ingest.values import convert, infer_format, is_null
from pfcrm_core.schema import get_table

CREDIT = get_table("credit")
DEALS = get_table("deals")
CLIENTS = get_table("clients")
FEEDBACK = get_table("feedback")


def _convert_all(column, cells, **options):
    fmt, warnings = infer_format(column, cells, **options)
    return [convert(fmt, c).value for c in cells], warnings


def test_share_plain_fractions_kept():
    values, warnings = _convert_all(CREDIT.column("pd"), [0.02, "0.5", "3%"])
    assert values == pytest.approx([0.02, 0.5, 0.03])
    assert warnings == []


def test_share_plain_percents_assumed():
    values, warnings = _convert_all(CREDIT.column("pd"), [2, "0.5", 45])
    assert values == pytest.approx([0.02, 0.005, 0.45])
    assert warnings == ["percent_assumed"]


def test_share_header_percent_wins():
    values, _ = _convert_all(CREDIT.column("lgd"), [0.5], percent=True)
    assert values == pytest.approx([0.005])


def test_bps_small_numbers_read_as_percent():
    values, warnings = _convert_all(DEALS.column("margin_bps"), [1.25, 2.5])
    assert values == pytest.approx([125, 250])
    assert warnings == ["percent_assumed"]


def test_bps_marks_and_plain():
    values, warnings = _convert_all(DEALS.column("margin_bps"),
                                    [150, "1.8%", "90bp", "95 基点"])
    assert values == pytest.approx([150, 180, 90, 95])
    assert warnings == []


def test_money_scale_only_without_own_unit():
    values, _ = _convert_all(DEALS.column("amount"), [12, "3亿", "1,000"],
                             scale=1e4)
    assert values == pytest.approx([120_000, 300_000_000, 10_000_000])


def test_money_rejects_percent():
    fmt, _ = infer_format(DEALS.column("amount"), ["5%"])
    with pytest.raises(CellError, match="unexpected_percent"):
        convert(fmt, "5%")


def test_decimal_comma_inferred():
    values, warnings = _convert_all(DEALS.column("amount"), ["1.234,5", "12,75"])
    assert values == pytest.approx([1234.5, 12.75])
    assert warnings == ["decimal_comma_assumed"]


def test_date_order_from_evidence():
    column = DEALS.column("start_date")
    fmt, warnings = infer_format(column, ["25/12/2023", "03/04/2024"])
    assert fmt.date_order == "dmy"
    assert warnings == []
    fmt, warnings = infer_format(column, ["03/04/2024"])
    assert warnings == ["date_order_assumed"]
    fmt, warnings = infer_format(column, ["25/12/2023", "12/25/2023", "03/04/2024"])
    assert fmt.date_order is None
    assert warnings == ["date_order_mixed"]


@pytest.mark.parametrize("raw, expected", [
    ("银行", "bank"), ("Commercial Bank", "bank"), ("投资人", "investor"),
    ("EPC", "contractor"), ("购电方", "offtaker"), ("政府部门", "government"),
    ("保险公司", "insurer"), ("财务顾问", "advisor"), ("  SPONSOR ", "sponsor"),
])
def test_client_type_synonyms(raw, expected):
    fmt, _ = infer_format(CLIENTS.column("client_type"), [raw],
                          vocabulary=column_vocabulary("clients", "client_type"))
    assert convert(fmt, raw).value == expected


def test_client_type_rejects_unknown():
    fmt, _ = infer_format(CLIENTS.column("client_type"), ["hedge"],
                          vocabulary=column_vocabulary("clients", "client_type"))
    with pytest.raises(CellError, match="not_allowed") as caught:
        convert(fmt, "hedge")
    assert "offtaker" in caught.value.params["allowed"]


def test_ids_from_numbers_and_text():
    fmt, _ = infer_format(CLIENTS.column("client_id"), [])
    assert convert(fmt, 1002.0).value == "1002"
    assert convert(fmt, "\u3000C００1\u200b ").value == "C001"
    assert convert(fmt, 2.0 ** 60).warning == "id_precision"
    with pytest.raises(CellError, match="id_scientific"):
        convert(fmt, "1.23457E+17")


def test_integer_scores():
    fmt, _ = infer_format(FEEDBACK.column("nps"), [])
    assert convert(fmt, "9分").value == 9
    assert convert(fmt, 8.0).value == 8
    with pytest.raises(CellError, match="invalid_integer"):
        convert(fmt, "7.5")


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("否", False), ("Y", True), ("no", False), (1, True), (0.0, False),
    (True, True), ("√", True), ("×", False),
])
def test_bool_words(raw, expected):
    fmt, _ = infer_format(CREDIT.column("defaulted"), [])
    assert convert(fmt, raw).value is expected


def test_formula_error_rejected():
    fmt, _ = infer_format(CREDIT.column("ead"), [])
    with pytest.raises(CellError, match="formula_error"):
        convert(fmt, "#DIV/0!")


def test_null_tokens_by_kind():
    assert is_null("-", "money")
    assert is_null("／", "date")
    assert is_null(" N/A ", "text")
    assert not is_null("-", "text")
    assert not is_null("无", "text")
    assert not is_null("#N/A", "money")


@pytest.mark.parametrize("header, key, scale, percent, currency", [
    ("金额（万元）", "金额", 1e4, None, None),
    ("Margin (%)", "margin", None, True, None),
    ("利差(bp)", "利差", None, False, None),
    ("Amount (USD m)", "amount", 1e6, None, "usd"),
    ("融资目标（百万美元）", "融资目标", 1e6, None, "usd"),
    ("Amount ('000)", "amount", 1e3, None, None),
    ("金额万元", "金额", 1e4, None, None),
    ("*客户编号", "客户编号", None, None, None),
    ("1.客户编号", "客户编号", None, None, None),
])
def test_split_header_units(header, key, scale, percent, currency):
    found_key, unit = split_header(header)
    assert found_key == key
    assert unit.scale == scale
    assert unit.percent is percent
    assert unit.currency == currency


def test_header_index_matches_variants():
    matches = HeaderIndex(DEALS).match(
        ["Deal ID *", "CLIENT_ID", "客户名称", "授信金额（亿元）", "Remarks"])
    by_column = {m.column.name: m for m in matches}
    assert set(by_column) == {"deal_id", "client_id", "amount"}
    assert by_column["client_id"].header == "CLIENT_ID"
    assert by_column["client_id"].by_name is False
    assert by_column["amount"].unit.scale == 1e8


def test_header_index_override_and_ignore():
    matches = HeaderIndex(CLIENTS).match(["代码", "名称"],
                                         {"代码": "client_id", "名称": ""})
    assert [(m.header, m.column.name) for m in matches] == [("代码", "client_id")]
