"""Data-quality measurement: exact shares on hand-made frames, and the demo book."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pfcrm_core import schema
from pfcrm_core.demo import AS_OF
from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.quality import DIMENSIONS, QualityError, measure_quality
from pfcrm_core.store import Store

HAND_AS_OF = pd.Timestamp("2026-01-31")


def _frame(table_name: str, rows: list[dict]) -> pd.DataFrame:
    """Build a frame with every canonical column, NaN where a row gives no value."""
    columns = schema.get_table(table_name).column_names
    return pd.DataFrame([{c: row.get(c, np.nan) for c in columns} for row in rows],
                        columns=columns)


def _hand_frames() -> dict[str, pd.DataFrame]:
    clients = _frame("clients", [
        {"client_id": "C1", "name": "Alpha", "client_type": "bank",
         "relationship_since": pd.Timestamp("2020-01-01")},
        # 43 days after the as-of date, beyond the 31 days allowed.
        {"client_id": "C2", "name": "Beta", "client_type": "sponsor",
         "relationship_since": pd.Timestamp("2026-03-15")},
        {"client_id": "C3", "name": "Gamma", "client_type": "Bank "},
        {"client_id": "C4", "name": "Delta", "client_type": "pirate"},
    ])
    revenue = _frame("revenue", [
        {"txn_id": "T1", "client_id": "C1", "date": pd.Timestamp("2024-06-01"),
         "amount": 10.0, "currency": "usd", "kind": "fee"},
        {"txn_id": "T2", "client_id": "C2", "date": pd.Timestamp("2024-01-01"),
         "amount": 20.0, "currency": "usd", "kind": "fee"},
        {"txn_id": "T2", "client_id": "C9", "date": pd.Timestamp("2025-12-01"),
         "amount": 30.0, "currency": "usd", "kind": "fee"},
        {"txn_id": "T4", "client_id": "C1", "date": pd.Timestamp("2025-06-01"),
         "amount": 40.0, "currency": "USD", "kind": "fee"},
    ])
    return {"clients": clients, "revenue": revenue}


@pytest.fixture(scope="module")
def hand_report():
    return measure_quality(_hand_frames(), as_of=HAND_AS_OF, max_fields=100)


def _table(report, name: str) -> pd.Series:
    return report.tables.set_index("table").loc[name]


def _field(report, table: str, column: str, dimension: str) -> pd.Series:
    fields = report.worst_fields
    match = fields[(fields["table"] == table) & (fields["column"] == column)
                   & (fields["dimension"] == dimension)]
    assert len(match) == 1, f"no single worst field {table}.{column} {dimension}"
    return match.iloc[0]


def test_completeness_weights_required_double(hand_report):
    # 4 rows x (client_id weighing 2 + 8 other columns) = 40 weighted cells.
    # Missing: 5 empty optional columns (20 cells) and 2 relationship_since cells.
    assert _table(hand_report, "clients")["completeness"] == pytest.approx(18 / 40)
    assert _table(hand_report, "revenue")["completeness"] == 1.0


def test_validity_two_of_four_client_types(hand_report):
    field = _field(hand_report, "clients", "client_type", "validity")

    assert field["share_failing"] == 0.5
    assert field["failing"] == 2
    assert field["checked"] == 4


def test_validity_table_share(hand_report):
    # Present values: 4 ids, 4 names, 4 types (2 invalid), 2 dates (1 too far ahead).
    assert _table(hand_report, "clients")["validity"] == pytest.approx(11 / 14)
    # 24 present revenue values; the currency "USD" is not lower case.
    assert _table(hand_report, "revenue")["validity"] == pytest.approx(23 / 24)


def test_validity_future_date_example(hand_report):
    field = _field(hand_report, "clients", "relationship_since", "validity")

    assert field["share_failing"] == 0.5
    assert field["examples"] == [{"key": "C2", "value": "2026-03-15"}]


def test_validity_examples_plain_text(hand_report):
    field = _field(hand_report, "clients", "client_type", "validity")

    assert field["examples"] == [{"key": "C3", "value": "Bank "},
                                 {"key": "C4", "value": "pirate"}]


def test_uniqueness_repeated_key(hand_report):
    assert _table(hand_report, "revenue")["uniqueness"] == 0.5
    assert _table(hand_report, "clients")["uniqueness"] == 1.0

    field = _field(hand_report, "revenue", "txn_id", "uniqueness")
    assert [e["key"] for e in field["examples"]] == ["T2", "T2"]


def test_referential_integrity_unknown_client(hand_report):
    assert _table(hand_report, "revenue")["referential_integrity"] == 0.75

    field = _field(hand_report, "revenue", "client_id", "referential_integrity")
    assert field["examples"] == [{"key": "T2", "value": "C9"}]


def test_timeliness_latest_date_per_client(hand_report):
    # Window starts 2025-01-31. C1's latest booking (2025-06-01) keeps both its
    # rows fresh; C2's only booking (2024-01-01) is stale; C9's is fresh.
    assert _table(hand_report, "revenue")["timeliness"] == 0.75

    field = _field(hand_report, "revenue", "date", "timeliness")
    assert field["examples"] == [{"key": "T2", "value": "2024-01-01"}]


def test_not_applicable_dimensions_score_one(hand_report):
    clients = _table(hand_report, "clients")

    assert clients["referential_integrity"] == 1.0
    assert clients["timeliness"] == 1.0
    assert clients["not_applicable"] == "referential_integrity, timeliness"
    assert _table(hand_report, "revenue")["not_applicable"] == ""


def test_table_score_mean_of_applicable(hand_report):
    clients = _table(hand_report, "clients")
    revenue = _table(hand_report, "revenue")

    assert clients["score"] == pytest.approx((18 / 40 + 11 / 14 + 1.0) / 3)
    assert revenue["score"] == pytest.approx((1.0 + 23 / 24 + 0.5 + 0.75 + 0.75) / 5)


def test_overall_weighted_by_rows():
    frames = _hand_frames()
    frames["revenue"] = pd.concat([frames["revenue"]] * 3, ignore_index=True)

    report = measure_quality(frames, as_of=HAND_AS_OF)

    scores = report.tables.set_index("table")["score"]
    expected = (4 * scores["clients"] + 12 * scores["revenue"]) / 16
    assert report.overall == pytest.approx(expected)


def test_weights_change_table_score():
    report = measure_quality(_hand_frames(), as_of=HAND_AS_OF,
                             weights={"completeness": 0.0, "uniqueness": 2.0})

    clients = _table(report, "clients")
    assert clients["score"] == pytest.approx((11 / 14 + 2 * 1.0) / 3)


def test_worst_fields_sorted_by_share(hand_report):
    shares = hand_report.worst_fields["share_failing"].tolist()

    assert shares == sorted(shares, reverse=True)
    assert shares[0] == 1.0
    assert (hand_report.worst_fields["failing"] > 0).all()


@pytest.mark.parametrize(("table", "column", "values", "invalid"), [
    ("feedback", "nps", [0, 10, 11, -1], 2),
    ("feedback", "csat", [1, 5, 0, 3.5], 2),
    ("credit", "pd", [0.0, 1.0, 1.2, 0.5], 1),
    ("deals", "margin_bps", [0.0, 5000.0, 6000.0, 150.0], 1),
    ("deals", "amount", [1.0, -5.0, "many", 0.0], 2),
    ("deals", "deal_id", ["D1", " D2", "Ｄ3", "D4"], 2),
    ("credit", "defaulted", [True, False, "yes", 1], 1),
], ids=["nps", "csat", "pd", "margin", "amount", "id", "bool"])
def test_validity_rules_from_schema(table, column, values, invalid):
    key = schema.get_table(table).key
    rows = [{name: f"K{i}" for name in key} for i in range(len(values))]
    for i, row in enumerate(rows):
        if "as_of" in key:
            row["as_of"] = pd.Timestamp("2025-12-31") + pd.Timedelta(days=-i)
        row[column] = values[i]
    frame = _frame(table, rows)

    report = measure_quality({table: frame}, as_of=HAND_AS_OF, max_fields=100)

    field = _field(report, table, column, "validity")
    assert field["failing"] == invalid
    assert field["checked"] == len(values)


def test_planned_date_may_lie_ahead():
    frame = _frame("projects", [
        {"project_id": "P1", "financial_close_date": pd.Timestamp("2031-01-01")},
    ])

    report = measure_quality({"projects": frame}, as_of=HAND_AS_OF)

    assert _table(report, "projects")["validity"] == 1.0


def test_empty_table_scores_nan_with_note():
    frames = {"clients": _frame("clients", []), "revenue": _hand_frames()["revenue"]}

    report = measure_quality(frames, as_of=HAND_AS_OF)

    clients = _table(report, "clients")
    assert clients["note"] == "empty"
    assert clients["rows"] == 0
    for dimension in DIMENSIONS:
        assert math.isnan(clients[dimension]), dimension
    assert math.isnan(clients["score"])
    assert report.overall == pytest.approx(_table(report, "revenue")["score"])


def test_only_empty_tables_overall_nan():
    report = measure_quality({"clients": _frame("clients", [])}, as_of=HAND_AS_OF)

    assert math.isnan(report.overall)
    assert report.worst_fields.empty
    assert report.to_dict()["overall"] is None


def test_same_input_same_report():
    first = measure_quality(_hand_frames(), as_of=HAND_AS_OF).to_dict()
    second = measure_quality(_hand_frames(), as_of=HAND_AS_OF).to_dict()

    assert first == second


def test_to_dict_is_plain_builtins(hand_report):
    result = hand_report.to_dict()

    assert result["as_of"] == "2026-01-31"
    assert result["freshness_days"] == 365
    assert isinstance(result["overall"], float)
    assert {row["table"] for row in result["tables"]} == {"clients", "revenue"}
    assert all(type(row["rows"]) is int for row in result["tables"])


@pytest.mark.parametrize(("source", "kwargs", "message"), [
    ([1, 2], {}, "expects a Store or a mapping.*got list"),
    ({"customers": pd.DataFrame()}, {}, r"unknown table\(s\) \['customers'\]"),
    ({"clients": [1]}, {}, "'clients' must be a pandas DataFrame, got list"),
    ({"clients": pd.DataFrame({"client_id": ["C1"]})}, {},
     "'clients' is missing column.*client_type"),
    ({}, {"freshness_days": 0}, "freshness_days must be a positive whole number"),
    ({}, {"as_of": "not a date"}, "as_of must be a date, got 'not a date'"),
    ({}, {"weights": {"accuracy": 1.0}}, r"unknown dimension\(s\) \['accuracy'\]"),
    ({}, {"weights": {"validity": -1}}, "weight of validity must be .* got -1"),
    ({}, {"weights": dict.fromkeys(DIMENSIONS, 0.0)}, "weights are all 0"),
], ids=["type", "table", "frame", "columns", "freshness", "as_of", "dimension",
        "negative", "zero"])
def test_invalid_input_raises(source, kwargs, message):
    with pytest.raises(QualityError, match=message):
        measure_quality(source, **kwargs)


def test_demo_book_scores_high(demo_frames):
    report = measure_quality(demo_frames, as_of=AS_OF)

    assert report.overall > 0.9
    assert (report.tables["score"] > 0.9).all()
    assert (report.tables["validity"] == 1.0).all()
    assert (report.tables["uniqueness"] == 1.0).all()
    assert (report.tables["referential_integrity"] == 1.0).all()


def test_demo_examples_name_real_keys(demo_frames):
    report = measure_quality(demo_frames, as_of=AS_OF)

    assert not report.worst_fields.empty
    for _, field in report.worst_fields.iterrows():
        table = schema.get_table(field["table"])
        frame = demo_frames[field["table"]]
        assert 1 <= len(field["examples"]) <= 3
        for example in field["examples"]:
            parts = example["key"].split(" / ")
            match = pd.Series(True, index=frame.index)
            for column, part in zip(table.key, parts, strict=True):
                text = frame[column].map(lambda v: v.date().isoformat()
                                         if isinstance(v, pd.Timestamp) else str(v))
                match &= text == part
            assert match.sum() == 1, example


def test_store_matches_frames(tmp_path, demo_frames):
    store = Store(tmp_path / "quality.duckdb")
    store.replace_all(demo_frames, label="quality test")

    from_store = measure_quality(store, as_of=AS_OF)
    from_frames = measure_quality(demo_frames, as_of=AS_OF)

    pd.testing.assert_frame_equal(from_store.tables, from_frames.tables)
    assert from_store.overall == pytest.approx(from_frames.overall)


def test_catalogue_names_every_dimension():
    for dimension in DIMENSIONS:
        assert f"quality.dimension.{dimension}" in catalogue()

    assert translate("quality.dimension.validity", "zh") == "有效性"
