"""Expected loss, RAROC, risk-adjusted CLV and quadrants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import (RiskDataError, expected_loss, irb_corporate,
                             portfolio_raroc, raroc, risk_return_table)


@pytest.fixture
def book():
    return pd.DataFrame({
        "client_id": ["safe_rich", "risky_rich", "safe_poor", "risky_poor", "no_ead"],
        "pd": [0.001, 0.05, 0.001, 0.05, 0.01],
        "lgd": [0.45] * 5,
        "ead": [1_000_000.0, 1_000_000.0, 1_000_000.0, 1_000_000.0, 0.0],
        "revenue": [60_000.0, 120_000.0, 2_000.0, 5_000.0, 1_000.0],
    })


def test_expected_loss():
    assert expected_loss(0.02, 0.4, 1000.0) == pytest.approx(8.0)


def test_raroc_formula():
    assert raroc(100.0, 40.0, 10.0, 200.0) == pytest.approx(0.25)
    assert np.isnan(raroc(100.0, 40.0, 10.0, 0.0))


def test_table_values_by_hand(book):
    table = risk_return_table(book, cost_income_ratio=0.4).set_index("client_id")
    row = table.loc["safe_rich"]
    capital = irb_corporate(0.001, 0.45, 1_000_000.0)["capital"].iloc[0]
    el = 0.001 * 0.45 * 1_000_000
    assert row["el"] == pytest.approx(el)
    assert row["capital"] == pytest.approx(capital)
    assert row["raroc"] == pytest.approx((60_000 - 24_000 - el) / capital)
    assert row["economic_profit"] == pytest.approx(60_000 - 24_000 - el
                                                   - 0.12 * capital)


def test_quadrants(book):
    table = risk_return_table(book, pd_threshold=0.01).set_index("client_id")
    assert table.loc["safe_rich", "quadrant"] == "grow"
    assert table.loc["risky_rich", "quadrant"] == "protect"
    assert table.loc["safe_poor", "quadrant"] == "reprice"
    assert table.loc["risky_poor", "quadrant"] == "exit"
    assert pd.isna(table.loc["no_ead", "quadrant"])
    assert np.isnan(table.loc["no_ead", "raroc"])


def test_default_threshold_is_median_pd(book):
    table = risk_return_table(book)
    assert table.attrs["pd_threshold"] == pytest.approx(book["pd"].median())


def test_ranking_by_raroc(book):
    table = risk_return_table(book)
    ranked = table.dropna(subset=["raroc"])
    assert ranked["raroc"].is_monotonic_decreasing
    assert ranked["raroc_rank"].tolist() == [1, 2, 3, 4]


def test_risk_adjusted_clv(book):
    clv = pd.Series({"safe_rich": 100_000.0, "risky_rich": 100_000.0})
    table = risk_return_table(book, clv=clv, clv_horizon_months=24).set_index("client_id")
    el = 0.05 * 0.45 * 1_000_000
    assert table.loc["risky_rich", "risk_adjusted_clv"] == pytest.approx(100_000 - 2 * el)
    assert table.loc["safe_rich", "clv_rank"] == 1
    assert np.isnan(table.loc["safe_poor", "risk_adjusted_clv"])


def test_capital_column_overrides_irb(book):
    table = risk_return_table(book.assign(capital=10_000.0)).set_index("client_id")
    assert table.loc["safe_rich", "capital"] == 10_000.0
    assert table.loc["safe_rich", "rwa"] == 125_000.0


def test_portfolio_raroc(book):
    table = risk_return_table(book)
    expected = table["risk_adjusted_return"].sum() / table["capital"].sum()
    assert portfolio_raroc(table) == pytest.approx(expected)


def test_missing_column(book):
    with pytest.raises(RiskDataError, match=r"no column 'revenue'"):
        risk_return_table(book.drop(columns="revenue"))
