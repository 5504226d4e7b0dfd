"""Client facts on small hand-built tables with values worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pfcrm_core.automation import client_facts, prepare_sources

AS_OF = pd.Timestamp("2026-06-30")


def _sources(**overrides) -> dict[str, pd.DataFrame]:
    tables = {
        "clients": pd.DataFrame({
            "client_id": ["A", "B", "C", "D", "E"],
            "name": ["Alpha Bank", "Beta Fund", "Gamma Sponsor", "Delta Agency", None],
            "client_type": ["bank", "investor", "sponsor", "government", "bank"],
            "relationship_since": pd.to_datetime(["2020-01-01", "2020-01-01",
                                                  "2026-06-01", "2020-01-01",
                                                  "2027-01-01"]),
            "relationship_manager": ["Ann", "Bob", "Ann", None, "Bob"],
        }),
        "deals": pd.DataFrame({
            "deal_id": ["D1", "D2", "D3", "D4"],
            "client_id": ["A", "B", "C", "D"],
            "start_date": pd.to_datetime(["2020-01-01", "2021-01-01", "2026-01-01",
                                          "2026-08-01"]),
            "maturity_date": pd.to_datetime(["2026-09-28", "2030-01-01", "2027-03-31",
                                             "2031-01-01"]),
            "margin_bps": [300.0, 100.0, 150.0, 500.0],
        }),
        "revenue": pd.DataFrame({
            "client_id": ["A", "B", "B", "C", "A"],
            "date": pd.to_datetime(["2026-01-15", "2026-03-01", "2026-07-15",
                                    "2025-05-01", "2025-06-30"]),
            "amount": [100.0, 50.0, 10_000.0, 500.0, 1_000.0],
            "currency": ["usd"] * 5,
        }),
        "interactions": pd.DataFrame({
            "client_id": ["A", "A", "B"],
            "date": pd.to_datetime(["2026-03-01", "2026-07-10", "2026-06-20"]),
        }),
        "feedback": pd.DataFrame({
            "response_id": ["S1", "S2", "S3", "S4"],
            "client_id": ["A", "A", "B", "C"],
            "date": pd.to_datetime(["2026-01-01", "2026-05-01", "2026-06-01",
                                    "2025-06-01"]),
            "nps": [9, 4, 3, 2],
        }),
        "credit": pd.DataFrame({
            "client_id": ["A", "A", "B", "B", "C"],
            "as_of": pd.to_datetime(["2025-06-29", "2026-06-29", "2025-01-01",
                                     "2026-12-31", "2026-06-30"]),
            "rating": ["BBB", "BB+", "A", "CCC", "BBB-"],
            "pd": [0.002, 0.008, 0.0005, 0.2, 0.004],
        }),
        "cases": pd.DataFrame({"client_id": ["B"],
                               "opened_at": pd.to_datetime(["2026-06-02 09:00"])}),
    }
    tables.update(overrides)
    return prepare_sources(tables)


def _facts(sources=None, as_of=AS_OF) -> pd.DataFrame:
    return client_facts(sources or _sources(), as_of).set_index("client_id")


def test_clients_known_at_date_only():
    facts = _facts()
    assert list(facts.index) == ["A", "B", "C", "D"]


def test_revenue_rank_uses_trailing_year():
    facts = _facts()
    # Trailing year (2025-06-30, 2026-06-30]: A 100 (the 2025-06-30 row is outside),
    # B 50 (the July row is after the date), C 0, D 0.
    assert facts.loc["A", "clv_rank_pct"] == 100
    assert facts.loc["B", "clv_rank_pct"] == 75
    assert facts.loc["C", "clv_rank_pct"] == 50
    assert facts.loc["A", "clv_quintile"] == 5
    assert facts.loc["C", "clv_quintile"] == 3


def test_days_since_contact_and_fallback():
    facts = _facts()
    assert facts.loc["A", "days_since_contact"] == 121  # 2026-03-01, July is later
    assert facts.loc["B", "days_since_contact"] == 10
    assert facts.loc["C", "days_since_contact"] == 29  # relationship since 2026-06-01


def test_rating_downgrade_in_notches():
    facts = _facts()
    assert facts.loc["A", "rating_downgrade_notches"] == 2  # BBB (8) to BB+ (10)
    # B's CCC record is dated after the as-of date, so B is rated A at both ends.
    assert facts.loc["B", "rating_downgrade_notches"] == 0
    assert math.isnan(facts.loc["C", "rating_downgrade_notches"])
    assert facts.loc["B", "pd"] == pytest.approx(0.0005)


def test_maturity_and_refinancing():
    facts = _facts()
    assert facts.loc["A", "days_to_next_maturity"] == 90
    assert facts.loc["C", "days_to_next_maturity"] == 274
    assert math.isnan(facts.loc["D", "days_to_next_maturity"])  # deal starts later
    # Live margins 300, 100, 150: median 150; A matures within a year above it.
    assert bool(facts.loc["A", "refinancing_opportunity"])
    assert not bool(facts.loc["C", "refinancing_opportunity"])


def test_detractor_without_case():
    facts = _facts()
    assert facts.loc["A", "latest_nps"] == 4
    assert bool(facts.loc["A", "detractor_without_case"])
    assert not bool(facts.loc["B", "detractor_without_case"])  # case opened after
    assert not bool(facts.loc["C", "detractor_without_case"])  # response too old


def test_fact_ignores_rows_after_date():
    before = _facts()
    later = _sources(
        interactions=pd.DataFrame({
            "client_id": ["A", "C"],
            "date": pd.to_datetime(["2026-07-01", "2026-07-02"])}),
        cases=pd.DataFrame({"client_id": ["A"],
                            "opened_at": pd.to_datetime(["2026-07-01 08:00"])}),
    )
    base = _sources()
    for name in ("interactions", "cases"):
        base[name] = pd.concat([base[name], later[name]], ignore_index=True)
    after = client_facts(base, AS_OF).set_index("client_id")
    pd.testing.assert_frame_equal(before, after)


def test_empty_tables_give_missing_facts():
    sources = prepare_sources({"clients": _sources()["clients"]})
    facts = client_facts(sources, AS_OF)
    assert len(facts) == 4
    assert facts["days_to_next_maturity"].isna().all()
    assert not facts["detractor_without_case"].any()
