"""Backtest on a hand-built book whose firings per month-end are counted by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.automation import (
    Condition,
    Rule,
    backtest_rule,
    period_ends,
    prepare_sources,
    validate_rule,
)

AS_OF = "2026-06-30"
RULE = validate_rule(Rule("Quiet client", (Condition("days_since_contact", ">=", 90),)))


def _sources(extra_interactions: list[tuple[str, str]] = ()) -> dict[str, pd.DataFrame]:
    monthly = [("B", f"{day:%Y-%m-%d}")
               for day in pd.date_range("2025-06-15", "2026-07-15", freq="MS")
               + pd.Timedelta(days=14)]
    interactions = [("A", "2025-05-15"), ("A", "2026-02-10"), ("C", "2026-07-05"),
                    *monthly, *extra_interactions]
    return prepare_sources({
        "clients": pd.DataFrame({
            "client_id": ["A", "B", "C"], "name": ["A", "B", "C"],
            "client_type": ["bank"] * 3,
            "relationship_since": pd.to_datetime(["2020-01-01", "2020-01-01",
                                                  "2026-03-01"]),
            "relationship_manager": ["Ann"] * 3,
        }),
        "deals": pd.DataFrame({
            "deal_id": ["D1"], "client_id": ["A"],
            "start_date": pd.to_datetime(["2025-10-01"]),
            "maturity_date": pd.to_datetime(["2030-01-01"]), "margin_bps": [200.0],
        }),
        "interactions": pd.DataFrame({
            "client_id": [c for c, _ in interactions],
            "date": pd.to_datetime([d for _, d in interactions]),
        }),
    })


def test_period_ends_are_twelve_month_ends():
    dates = period_ends("2026-06-15")
    assert len(dates) == 12
    assert dates[0] == pd.Timestamp("2025-06-30")
    assert dates[-1] == pd.Timestamp("2026-05-31")
    assert period_ends(AS_OF)[-1] == pd.Timestamp(AS_OF)


def test_firings_per_month_end():
    result = backtest_rule(RULE, _sources(), AS_OF)
    # A is quiet Aug-Jan and May-Jun; C (known from March) in May and June.
    assert list(result.periods["firings"]) == [0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2]
    assert list(result.periods["new_firings"]) == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]
    assert result.total_firings == 10
    assert result.total_new_firings == 3
    assert result.distinct_clients == 2


def test_hit_rate_counts_outcomes_up_to_as_of():
    result = backtest_rule(RULE, _sources(), AS_OF)
    # A's deal on 2025-10-01 follows its first firing (2025-08-31) within 90 days;
    # C's contact on 2026-07-05 is after the as-of date, so it is not counted.
    assert result.clients_with_outcome == 1
    assert result.hit_rate == pytest.approx(0.5)
    assert result.base_rate == pytest.approx(17 / 28)
    assert result.lift == pytest.approx(0.5 / (17 / 28))


def test_rows_after_as_of_change_nothing():
    before = backtest_rule(RULE, _sources(), AS_OF)
    after = backtest_rule(RULE, _sources([("A", "2026-07-01"), ("C", "2026-08-01")]),
                          AS_OF)
    pd.testing.assert_frame_equal(before.periods, after.periods)
    assert after.clients_with_outcome == before.clients_with_outcome
    assert after.base_rate == before.base_rate


def test_first_period_compares_with_baseline():
    rule = validate_rule(Rule("Month", (Condition("days_since_contact", ">=", 30),)))
    result = backtest_rule(rule, _sources(), AS_OF)
    # A was already 46 days without contact on the baseline month-end 2025-06-30.
    assert result.periods.loc[0, "firings"] == 1
    assert result.periods.loc[0, "new_firings"] == 0


def test_rule_that_never_fires():
    rule = validate_rule(Rule("Never", (Condition("days_since_contact", ">", 10_000),)))
    result = backtest_rule(rule, _sources(), AS_OF)
    assert result.total_firings == 0
    assert result.distinct_clients == 0
    assert pd.isna(result.hit_rate)
    assert pd.isna(result.lift)
