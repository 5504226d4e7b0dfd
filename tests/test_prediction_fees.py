"""The quarterly fee forecast: the series, Holt-Winters, intervals and coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.prediction import PredictionError, forecast_fees, quarterly_income
from pfcrm_core.prediction.fees import fit_holt_winters, forecast_holt_winters

SEASON = np.array([20.0, -10.0, -20.0, 10.0])


def seasonal_revenue(seed: int, quarters: int = 40, noise: float = 5.0) -> pd.DataFrame:
    """Fee rows whose quarterly totals are 100 + 0.5 t + a seasonal index + noise."""
    rng = np.random.default_rng(seed)
    starts = pd.period_range("2015Q1", periods=quarters, freq="Q").start_time
    totals = (100 + 0.5 * np.arange(quarters) + SEASON[np.arange(quarters) % 4]
              + rng.normal(0, noise, quarters))
    rows = []
    for start, total in zip(starts, totals):
        # Two rows per quarter in two currencies, plus interest that "fee" drops.
        rows.append(("C-1", start + pd.Timedelta(days=10), 0.4 * total, "usd", "fee"))
        rows.append(("C-2", start + pd.Timedelta(days=40), 0.6 * total / 1.08, "eur",
                     "fee"))
        rows.append(("C-2", start + pd.Timedelta(days=50), 1000.0, "usd", "interest"))
    return pd.DataFrame(rows, columns=["client_id", "date", "amount", "currency",
                                       "kind"])


def _truth(quarter_numbers: np.ndarray) -> np.ndarray:
    return 100 + 0.5 * quarter_numbers + SEASON[quarter_numbers % 4]


def test_quarterly_income_sums_fees_in_usd():
    revenue = seasonal_revenue(0, quarters=8, noise=0.0)

    series = quarterly_income(revenue, pd.Timestamp("2016-12-31"))

    assert len(series) == 8
    assert str(series.index[0]) == "2015Q1"
    np.testing.assert_allclose(series.to_numpy(), _truth(np.arange(8)))


def test_quarterly_income_all_revenue_and_partial_quarter():
    revenue = seasonal_revenue(0, quarters=8, noise=0.0)

    series = quarterly_income(revenue, pd.Timestamp("2016-11-15"), kind=None)

    # 2016Q4 is incomplete on 15 November, so it is left out.
    assert str(series.index[-1]) == "2016Q3"
    assert series.iloc[0] == pytest.approx(_truth(np.arange(1))[0] + 1000.0)


def test_quarterly_income_fills_empty_quarters():
    revenue = seasonal_revenue(0, quarters=8, noise=0.0)
    revenue = revenue[revenue["date"].dt.to_period("Q") != pd.Period("2015Q3")]

    series = quarterly_income(revenue, pd.Timestamp("2016-12-31"))

    assert series[pd.Period("2015Q3")] == 0.0
    assert len(series) == 8


def test_holt_winters_recovers_exact_season():
    y = _truth(np.arange(24))

    fit = fit_holt_winters(y)
    ahead = forecast_holt_winters(fit, 4)

    np.testing.assert_allclose(ahead, _truth(np.arange(24, 28)), atol=3.0)


def test_intervals_nest():
    forecast = forecast_fees({"revenue": seasonal_revenue(1)},
                             pd.Timestamp("2024-12-31"))
    table = forecast.forecast

    assert list(table["horizon"]) == [1, 2, 3, 4]
    assert (table["lower_95"] <= table["lower_80"]).all()
    assert (table["lower_80"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper_80"]).all()
    assert (table["upper_80"] <= table["upper_95"]).all()
    widths = table["upper_95"] - table["lower_95"]
    assert widths.is_monotonic_increasing


def test_forecast_on_seasonal_series():
    forecast = forecast_fees({"revenue": seasonal_revenue(2)},
                             pd.Timestamp("2024-12-31"))

    truth = _truth(np.arange(40, 44))
    np.testing.assert_allclose(forecast.forecast["forecast"], truth, atol=12.0)
    assert forecast.mase < forecast.naive_mase
    assert forecast.mase < 1.0


def test_coverage_on_seasonal_series():
    coverage_80, coverage_95 = [], []
    for seed in range(5):
        forecast = forecast_fees({"revenue": seasonal_revenue(10 + seed)},
                                 pd.Timestamp("2024-12-31"))
        coverage_80.append(forecast.coverage_80)
        coverage_95.append(forecast.coverage_95)
        assert forecast.coverage_checked > 100

    # The levels are 80 % and 95 %. The out-of-sample check builds its first
    # intervals from few errors, which makes them somewhat narrow.
    assert 0.65 <= np.mean(coverage_80) <= 0.92
    assert 0.82 <= np.mean(coverage_95) <= 0.99
    assert np.mean(coverage_95) > np.mean(coverage_80)


def test_backtest_rows():
    forecast = forecast_fees({"revenue": seasonal_revenue(3, quarters=12)},
                             pd.Timestamp("2017-12-31"))
    backtest = forecast.backtest

    # Origins after 6 to 11 fitted quarters, each forecasting up to 4 existing quarters.
    assert len(backtest) == 4 + 4 + 4 + 3 + 2 + 1
    assert (backtest["quarter"] > backtest["origin"]).all()
    np.testing.assert_allclose(backtest["error"],
                               backtest["actual"] - backtest["forecast"])


def test_same_forecast_twice():
    tables = {"revenue": seasonal_revenue(4)}

    first = forecast_fees(tables, pd.Timestamp("2024-12-31"))
    second = forecast_fees(tables, pd.Timestamp("2024-12-31"))

    pd.testing.assert_frame_equal(first.forecast, second.forecast)
    assert first.parameters == second.parameters


def test_too_few_quarters():
    tables = {"revenue": seasonal_revenue(5, quarters=7)}

    with pytest.raises(PredictionError,
                       match=r"needs at least 8 complete quarters of income "
                             r"\(kind: fee\), and the data has 7") as info:
        forecast_fees(tables, pd.Timestamp("2016-09-30"))

    assert info.value.key == "prediction.error.few_quarters"


def test_no_revenue():
    empty = pd.DataFrame(columns=["client_id", "date", "amount", "currency", "kind"])

    with pytest.raises(PredictionError, match="the data has 0"):
        forecast_fees({"revenue": empty}, pd.Timestamp("2024-12-31"))


def test_missing_revenue_table():
    with pytest.raises(PredictionError, match="The revenue table is missing"):
        forecast_fees({}, pd.Timestamp("2024-12-31"))


@pytest.mark.parametrize("value", [0, 9, 2.5])
def test_bad_quarters_ahead(value):
    with pytest.raises(PredictionError, match=f"from 1 to 8, not {value}"):
        forecast_fees({"revenue": seasonal_revenue(6)}, quarters_ahead=value)
