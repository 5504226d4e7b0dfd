"""The quarterly fee forecast: series, candidate models, choice, intervals, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.prediction import PredictionError, forecast_fees, quarterly_income
from pfcrm_core.prediction.fee_intervals import (conformal_quantile, errors_needed,
                                                  half_widths, sequential_coverage)
from pfcrm_core.prediction.fee_models import (MODELS, fit_holt_winters, fit_model,
                                              forecast_holt_winters)

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


def revenue_from_totals(totals: np.ndarray) -> pd.DataFrame:
    """One fee row in USD per quarter from 2015Q1, carrying that quarter's total."""
    starts = pd.period_range("2015Q1", periods=len(totals), freq="Q").start_time
    return pd.DataFrame({"client_id": "C-1", "date": starts + pd.Timedelta(days=10),
                         "amount": totals, "currency": "usd", "kind": "fee"})


def last_day(quarters: int) -> pd.Timestamp:
    """The last day of the ``quarters``-th quarter from 2015Q1."""
    return (pd.Period("2015Q1", freq="Q") + quarters - 1).end_time.normalize()


def seasonal_random_walk(seed: int, quarters: int = 40,
                         noise: float = 5.0) -> np.ndarray:
    """Totals with y_t = y_{t-4} + noise: the seasonal naive forecast is optimal."""
    rng = np.random.default_rng(seed)
    totals = list(100 + SEASON)
    for t in range(4, quarters):
        totals.append(totals[t - 4] + rng.normal(0, noise))
    return np.array(totals)


def trending_totals(seed: int, quarters: int = 40, slope: float = 3.0) -> np.ndarray:
    """Totals of 100 + slope t + a seasonal index + normal noise (sd 5)."""
    rng = np.random.default_rng(seed)
    t = np.arange(quarters)
    return 100 + slope * t + SEASON[t % 4] + rng.normal(0, 5.0, quarters)


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
    assert (table["upper_80"] > table["lower_80"]).all()


def test_forecast_on_seasonal_series():
    forecast = forecast_fees({"revenue": seasonal_revenue(2)},
                             pd.Timestamp("2024-12-31"))

    truth = _truth(np.arange(40, 44))
    np.testing.assert_allclose(forecast.forecast["forecast"], truth, atol=12.0)
    assert forecast.chosen_model != "seasonal_naive"
    assert forecast.mase < forecast.naive_mase
    assert forecast.mase < 1.0


def test_coverage_on_seasonal_series():
    coverage_80, coverage_95 = [], []
    for seed in range(8):
        forecast = forecast_fees({"revenue": seasonal_revenue(10 + seed)},
                                 pd.Timestamp("2024-12-31"))
        coverage_80.append(forecast.coverage_80)
        coverage_95.append(forecast.coverage_95)
        assert forecast.coverage_checked > 90

    # Early origins fit fewer quarters and err more, which widens the intervals
    # somewhat, so coverage runs a little above the levels of 80 % and 95 %.
    assert 0.78 <= np.mean(coverage_80) <= 0.90
    assert 0.92 <= np.mean(coverage_95) <= 0.99


def test_coverage_on_seasonal_random_walk():
    coverage_80, coverage_95 = [], []
    for seed in range(8):
        totals = seasonal_random_walk(seed)
        forecast = forecast_fees({"revenue": revenue_from_totals(totals)},
                                 last_day(len(totals)))
        coverage_80.append(forecast.coverage_80)
        coverage_95.append(forecast.coverage_95)

    assert 0.75 <= np.mean(coverage_80) <= 0.88
    assert 0.90 <= np.mean(coverage_95) <= 0.98


def test_coverage_uses_only_earlier_errors():
    # 40 origins with 1 % errors, then 10 with 50 % errors. Built from all 50
    # errors, the 80 % half-width (41st smallest) would be 50 % and cover them all.
    origins = pd.period_range("2010Q1", periods=50, freq="Q")
    backtest = pd.DataFrame({"origin": origins, "horizon": 1, "quarter": origins + 1,
                             "forecast": 100.0,
                             "actual": [101.0] * 40 + [150.0] * 10})

    coverage_80, coverage_95, checked = sequential_coverage(backtest, 1, 19)

    # Origins 2014Q4 to 2022Q2 have at least 19 earlier errors: 21 small and 10
    # large rows are checked. The j-th large one (from 0) is checked against 40
    # small and j large errors, so the 80 % rank ceil(0.8 (41 + j)) stays within
    # the small ones and the 95 % rank ceil(0.95 (41 + j)) reaches a large one
    # from j = 2 on.
    assert checked == 31
    assert coverage_80 == pytest.approx(21 / 31)
    assert coverage_95 == pytest.approx(29 / 31)


def test_backtest_rows():
    forecast = forecast_fees({"revenue": seasonal_revenue(3, quarters=12)},
                             pd.Timestamp("2017-12-31"))
    backtest = forecast.backtest

    # Origins after 6 to 11 fitted quarters, each forecasting up to 4 existing quarters.
    assert len(backtest) == 4 + 4 + 4 + 3 + 2 + 1
    assert (backtest["quarter"] > backtest["origin"]).all()
    np.testing.assert_allclose(backtest["error"],
                               backtest["actual"] - backtest["forecast"])
    np.testing.assert_allclose(backtest["forecast"], backtest[forecast.chosen_model])
    np.testing.assert_allclose(backtest["naive_forecast"], backtest["seasonal_naive"])


def test_candidate_table():
    forecast = forecast_fees({"revenue": seasonal_revenue(3)},
                             pd.Timestamp("2024-12-31"))
    candidates = forecast.candidates

    assert list(candidates["model"]) == list(MODELS)
    assert candidates["chosen"].sum() == 1
    chosen = candidates[candidates["chosen"]].iloc[0]
    assert chosen["model"] == forecast.chosen_model
    assert chosen["mase"] == candidates["mase"].min()
    assert chosen["mase"] == pytest.approx(forecast.mase)
    naive = candidates.set_index("model").loc["seasonal_naive"]
    assert naive["mape"] == pytest.approx(forecast.naive_mape)
    assert naive["mase"] == pytest.approx(forecast.naive_mase)
    assert np.isfinite(forecast.selection_mase)


def test_exact_season_picks_seasonal_naive():
    totals = np.tile(100 + SEASON, 6)

    forecast = forecast_fees({"revenue": revenue_from_totals(totals)}, last_day(24))

    # Every candidate is exact, and a tie goes to the simplest.
    assert forecast.chosen_model == "seasonal_naive"
    assert forecast.mase == 0.0
    np.testing.assert_allclose(forecast.forecast["forecast"], 100 + SEASON)
    assert forecast.parameters == {}


def test_seasonal_random_walk_picks_seasonal_naive():
    chosen = []
    for seed in range(10):
        totals = seasonal_random_walk(seed)
        forecast = forecast_fees({"revenue": revenue_from_totals(totals)},
                                 last_day(len(totals)))
        chosen.append(forecast.chosen_model)

    # A random walk sometimes drifts, so the drift model wins a few seeds.
    assert chosen.count("seasonal_naive") >= 7
    assert set(chosen) <= {"seasonal_naive", "seasonal_naive_drift"}


def test_strong_trend_picks_trend_model():
    for seed in range(10):
        totals = trending_totals(seed)
        forecast = forecast_fees({"revenue": revenue_from_totals(totals)},
                                 last_day(len(totals)))

        assert forecast.chosen_model in {"seasonal_naive_drift", "holt_winters"}, seed
        assert forecast.mase < 0.7 * forecast.naive_mase, seed


def test_seasonal_naive_with_drift():
    totals = np.tile(100 + SEASON, 3) + np.repeat([0.0, 8.0, 16.0], 4)

    model = fit_model("seasonal_naive_drift", totals)

    assert model.parameters["drift"] == pytest.approx(8.0)
    np.testing.assert_allclose(model.predict(8), np.concatenate(
        [100 + SEASON + 24.0, 100 + SEASON + 32.0]))


def test_unknown_model_key():
    with pytest.raises(ValueError, match="unknown fee model 'arima'"):
        fit_model("arima", np.ones(8))


def test_conformal_quantile_rank():
    errors = np.arange(1.0, 11.0)

    # ceil(11 * 0.8) = 9th smallest; ceil(11 * 0.95) = 11 > 10 errors.
    assert conformal_quantile(errors, 80) == 9.0
    assert conformal_quantile(errors, 95) == np.inf
    assert conformal_quantile(np.arange(1.0, 20.0), 95) == 19.0
    assert errors_needed(80) == 4
    assert errors_needed(95) == 19


def test_half_widths_pool_thin_horizons():
    # 20 errors at horizon 1, 5 at horizon 2.
    errors = pd.DataFrame({"horizon": [1] * 20 + [2] * 5,
                           "relative_error": [0.01 * i for i in range(1, 21)]
                           + [0.5, -0.5, 0.5, -0.5, 0.5]})

    widths, notes = half_widths(errors, 2)

    # Horizon 1 alone: the 17th and 20th smallest of 20.
    assert widths[80][0] == pytest.approx(0.17)
    assert widths[95][0] == pytest.approx(0.20)
    # Horizon 2 pools all 25: the 21st and 25th smallest.
    assert widths[80][1] == pytest.approx(0.5)
    assert widths[95][1] == pytest.approx(0.5)
    assert [note.key for note in notes] == ["prediction.fees.note.pooled"] * 2
    assert notes[0].values["horizons"] == "2"
    assert notes[0].values["errors"] == 25


def test_half_widths_with_too_few_errors():
    errors = pd.DataFrame({"horizon": [1, 1, 2], "relative_error": [0.1, -0.3, 0.2]})

    widths, notes = half_widths(errors, 2)

    np.testing.assert_allclose(widths[80], [0.3, 0.3])
    np.testing.assert_allclose(widths[95], [0.3, 0.3])
    widest = [note for note in notes if note.key == "prediction.fees.note.widest"]
    assert [note.values["level"] for note in widest] == [80, 95]
    assert "covers less often than 95%" in widest[1].message("en")


def test_shortest_history_has_intervals():
    forecast = forecast_fees({"revenue": seasonal_revenue(7, quarters=8)},
                             pd.Timestamp("2016-12-31"))

    table = forecast.forecast
    assert np.isfinite(table[["lower_95", "upper_95"]].to_numpy()).all()
    assert (table["lower_95"] <= table["lower_80"]).all()
    assert forecast.coverage_checked == 0
    assert "prediction.fees.note.widest" in {note.key for note in forecast.notes}


def test_same_forecast_twice():
    tables = {"revenue": seasonal_revenue(4)}

    first = forecast_fees(tables, pd.Timestamp("2024-12-31"))
    second = forecast_fees(tables, pd.Timestamp("2024-12-31"))

    pd.testing.assert_frame_equal(first.forecast, second.forecast)
    pd.testing.assert_frame_equal(first.candidates, second.candidates)
    assert first.chosen_model == second.chosen_model
    assert first.parameters == second.parameters
    assert first.coverage_80 == second.coverage_80


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
