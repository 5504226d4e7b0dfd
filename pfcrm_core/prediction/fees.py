"""Quarterly fee-income forecast with back-tested prediction intervals.

Model
-----
Additive Holt-Winters with a damped trend and a season of 4 quarters:

    level    l_t = a (y_t - s_{t-4}) + (1 - a)(l_{t-1} + phi b_{t-1})
    trend    b_t = b (l_t - l_{t-1}) + (1 - b) phi b_{t-1}
    season   s_t = g (y_t - l_t) + (1 - g) s_{t-4}
    forecast y_{t+h} = l_t + (phi + ... + phi^h) b_t + s_{t+h-4k}

with ``phi = 0.9`` and ``(a, b, g)`` chosen on a grid to minimise the squared
one-step errors. The first year sets the initial level and seasonal indices, the
second year (when there is one) the initial trend.

Intervals
---------
Rolling origin: from ``MIN_FIT_QUARTERS`` on, the model is refitted on the
quarters up to each origin and forecasts the next ``quarters_ahead``. Each error
is divided by sqrt(h), as if errors grew like a random walk's, so all horizons
share one pool. The 10/90 % and 2.5/97.5 % quantiles of the pool, times sqrt(h),
give the 80 % and 95 % intervals around the forecast. Coverage is measured out
of sample: each back-test error is checked against intervals built only from
errors already observed at its origin.

NOTE: the first coverage checks use pools of only ``MIN_COVERAGE_ERRORS``
errors, whose outer quantiles are close to their minimum and maximum, so the
measured coverage is somewhat below what the final intervals, built from every
back-test error, would reach on the same series.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from pfcrm_core.fx import revenue_in_usd
from pfcrm_core.overview import default_as_of

from .errors import PredictionError, require_columns

logger = logging.getLogger(__name__)

SEASON = 4
DAMPING = 0.9
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
BETAS = (0.0, 0.05, 0.1, 0.2)
GAMMAS = (0.0, 0.1, 0.2, 0.3, 0.5)
MIN_QUARTERS = 8
MIN_FIT_QUARTERS = 6
# Errors needed before the out-of-sample coverage check starts at an origin.
MIN_COVERAGE_ERRORS = 8
LEVELS = {80: (0.10, 0.90), 95: (0.025, 0.975)}


@dataclass(frozen=True)
class FeeForecast:
    """Quarterly income history, its forecast and the back-test.

    Attributes
    ----------
    as_of : pandas.Timestamp
        The forecast uses the complete quarters up to this date.
    kind : str or None
        Revenue ``kind`` forecast ("fee"), or None for all revenue.
    history : pandas.DataFrame
        ``quarter`` (pandas.Period), ``quarter_start`` (Timestamp), ``income``
        (USD) and ``fitted`` (one-step forecast, NaN for the first year).
    forecast : pandas.DataFrame
        ``quarter``, ``quarter_start``, ``horizon`` (1 = next quarter),
        ``forecast``, ``lower_80``, ``upper_80``, ``lower_95``, ``upper_95``
        (USD, floored at 0).
    backtest : pandas.DataFrame
        ``origin`` (last quarter fitted), ``horizon``, ``quarter``, ``actual``,
        ``forecast``, ``naive_forecast`` (seasonal naive) and ``error`` (actual
        minus forecast).
    parameters : dict
        ``alpha``, ``beta``, ``gamma`` and ``phi`` of the final fit.
    mape : float
        Mean absolute percentage error of the back-test, in percent.
    mase : float
        Mean absolute back-test error over the in-sample mean absolute
        seasonal difference; below 1 beats a seasonal naive forecast fitted in
        sample.
    naive_mape, naive_mase : float
        The same for the seasonal naive forecast (same quarter last year).
    coverage_80, coverage_95 : float
        Share of back-test actuals inside the out-of-sample 80 % and 95 %
        intervals; NaN when none could be checked.
    coverage_checked : int
        Back-test errors checked for coverage.
    """

    as_of: pd.Timestamp
    kind: str | None
    history: pd.DataFrame
    forecast: pd.DataFrame
    backtest: pd.DataFrame
    parameters: dict = field(default_factory=dict)
    mape: float = float("nan")
    mase: float = float("nan")
    naive_mape: float = float("nan")
    naive_mase: float = float("nan")
    coverage_80: float = float("nan")
    coverage_95: float = float("nan")
    coverage_checked: int = 0


def quarterly_income(revenue: pd.DataFrame, as_of: pd.Timestamp,
                     kind: str | None = "fee") -> pd.Series:
    """Return income in USD per complete calendar quarter up to ``as_of``.

    Quarters without a transaction between the first and the last one count 0.
    A quarter that ends after ``as_of`` is left out because it is incomplete.

    Parameters
    ----------
    revenue : pandas.DataFrame
        The revenue table (``client_id``, ``date``, ``amount``, ``currency``,
        ``kind``).
    as_of : pandas.Timestamp
        Last date of the data used.
    kind : str or None, default "fee"
        Revenue ``kind`` to keep (compared case-insensitively); None keeps all.
    """
    require_columns(revenue, ("client_id", "date", "amount"), "revenue")
    frame = revenue
    if kind is not None:
        require_columns(revenue, ("kind",), "revenue")
        frame = revenue[revenue["kind"].astype(str).str.lower() == kind.lower()]
    usd = revenue_in_usd(frame)
    last_quarter = (as_of + pd.Timedelta(days=1)).to_period("Q") - 1
    usd = usd[usd["date"].dt.to_period("Q") <= last_quarter]
    if usd.empty:
        return pd.Series(dtype=float, name="income")
    totals = usd.groupby(usd["date"].dt.to_period("Q"))["amount"].sum()
    quarters = pd.period_range(totals.index.min(), last_quarter, freq="Q")
    return totals.reindex(quarters, fill_value=0.0).rename("income")


def _grid() -> np.ndarray:
    return np.array(list(itertools.product(ALPHAS, BETAS, GAMMAS)), dtype=float)


def _initial_state(y: np.ndarray, combos: int):
    level = np.full(combos, y[:SEASON].mean())
    trend = ((y[SEASON:2 * SEASON].mean() - y[:SEASON].mean()) / SEASON
             if len(y) >= 2 * SEASON else 0.0)
    trend = np.full(combos, trend)
    season = np.tile(y[:SEASON] - y[:SEASON].mean(), (combos, 1))
    return level, trend, season


def _filter(y: np.ndarray, params: np.ndarray):
    """Run Holt-Winters over ``y`` for every row of ``params`` (alpha, beta, gamma).

    Returns the one-step forecasts (combos × len(y), NaN for the first season)
    and the final level, trend and seasonal indices.
    """
    alpha, beta, gamma = params[:, 0], params[:, 1], params[:, 2]
    level, trend, season = _initial_state(y, len(params))
    fitted = np.full((len(params), len(y)), np.nan)
    for t in range(SEASON, len(y)):
        index = t % SEASON
        fitted[:, t] = level + DAMPING * trend + season[:, index]
        previous = level
        level = (alpha * (y[t] - season[:, index])
                 + (1 - alpha) * (previous + DAMPING * trend))
        trend = beta * (level - previous) + (1 - beta) * DAMPING * trend
        season[:, index] = gamma * (y[t] - level) + (1 - gamma) * season[:, index]
    return fitted, level, trend, season


def fit_holt_winters(y: np.ndarray) -> dict:
    """Fit the damped additive Holt-Winters model to ``y`` by grid search.

    Returns
    -------
    dict
        ``alpha``, ``beta``, ``gamma``, ``phi``, ``fitted`` (one-step
        forecasts), and the final ``level``, ``trend`` and ``season`` (indexed
        by ``t % 4``), plus ``n`` (quarters fitted).
    """
    y = np.asarray(y, dtype=float)
    grid = _grid()
    fitted, level, trend, season = _filter(y, grid)
    sse = np.nansum((y - fitted) ** 2, axis=1)
    best = int(np.argmin(sse))
    return {"alpha": float(grid[best, 0]), "beta": float(grid[best, 1]),
            "gamma": float(grid[best, 2]), "phi": DAMPING,
            "fitted": fitted[best], "level": float(level[best]),
            "trend": float(trend[best]), "season": season[best].copy(), "n": len(y)}


def forecast_holt_winters(fit: dict, steps: int) -> np.ndarray:
    """Return the point forecasts 1..``steps`` quarters after the fitted data."""
    damping = np.cumsum(fit["phi"] ** np.arange(1, steps + 1))
    indices = (fit["n"] + np.arange(steps)) % SEASON
    return fit["level"] + damping * fit["trend"] + fit["season"][indices]


def _backtest(y: np.ndarray, quarters: pd.PeriodIndex, steps: int) -> pd.DataFrame:
    rows = []
    for origin in range(MIN_FIT_QUARTERS, len(y)):
        horizon = min(steps, len(y) - origin)
        forecast = forecast_holt_winters(fit_holt_winters(y[:origin]), horizon)
        for h in range(1, horizon + 1):
            target = origin + h - 1
            # Same quarter of the latest year observed at the origin.
            same_quarter = target - SEASON * ((h - 1) // SEASON + 1)
            rows.append({"origin": quarters[origin - 1], "horizon": h,
                         "quarter": quarters[target], "actual": y[target],
                         "forecast": forecast[h - 1],
                         "naive_forecast": y[same_quarter]})
    frame = pd.DataFrame(rows, columns=["origin", "horizon", "quarter", "actual",
                                        "forecast", "naive_forecast"])
    frame["error"] = frame["actual"] - frame["forecast"]
    return frame


def _scaled_errors(backtest: pd.DataFrame) -> np.ndarray:
    return (backtest["error"] / np.sqrt(backtest["horizon"])).to_numpy(dtype=float)


def _coverage(backtest: pd.DataFrame) -> tuple[float, float, int]:
    # An error is known once its target quarter is observed, so the intervals
    # for a forecast made at origin o use only errors whose quarter is <= o.
    scaled = _scaled_errors(backtest)
    inside = {80: [], 95: []}
    for row in backtest.itertuples():
        known = scaled[(backtest["quarter"] <= row.origin).to_numpy()]
        if len(known) < MIN_COVERAGE_ERRORS:
            continue
        for level, (low, high) in LEVELS.items():
            bounds = np.quantile(known, [low, high]) * np.sqrt(row.horizon)
            inside[level].append(bounds[0] <= row.error <= bounds[1])
    checked = len(inside[80])
    if checked == 0:
        return float("nan"), float("nan"), 0
    return float(np.mean(inside[80])), float(np.mean(inside[95])), checked


def _error_scores(y: np.ndarray, backtest: pd.DataFrame) -> dict:
    scale = np.mean(np.abs(y[SEASON:] - y[:-SEASON])) if len(y) > SEASON else np.nan
    positive = backtest[backtest["actual"] > 0]
    scores = {}
    for name, column in (("", "forecast"), ("naive_", "naive_forecast")):
        errors = backtest["actual"] - backtest[column]
        share = ((positive["actual"] - positive[column]).abs() / positive["actual"])
        scores[f"{name}mape"] = float(100 * share.mean()) if len(share) else np.nan
        scores[f"{name}mase"] = (float(errors.abs().mean() / scale)
                                 if len(errors) and scale > 0 else np.nan)
    return scores


def _forecast_table(y: np.ndarray, quarters: pd.PeriodIndex, fit: dict, steps: int,
                    backtest: pd.DataFrame) -> pd.DataFrame:
    point = forecast_holt_winters(fit, steps)
    horizon = np.arange(1, steps + 1)
    future = pd.period_range(quarters[-1] + 1, periods=steps, freq="Q")
    table = pd.DataFrame({"quarter": future, "quarter_start": future.start_time,
                          "horizon": horizon, "forecast": np.maximum(point, 0.0)})
    scaled = _scaled_errors(backtest)
    for level, (low, high) in LEVELS.items():
        bounds = np.quantile(scaled, [low, high]) if len(scaled) else (np.nan, np.nan)
        table[f"lower_{level}"] = np.maximum(point + bounds[0] * np.sqrt(horizon), 0.0)
        table[f"upper_{level}"] = np.maximum(point + bounds[1] * np.sqrt(horizon), 0.0)
    return table


def forecast_fees(tables: dict[str, pd.DataFrame], as_of: date | None = None, *,
                  quarters_ahead: int = 4, kind: str | None = "fee",
                  min_quarters: int = MIN_QUARTERS) -> FeeForecast:
    """Forecast quarterly income for the next ``quarters_ahead`` quarters.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Canonical tables; only ``revenue`` (and ``deals`` for the default
        ``as_of``) is read.
    as_of : date, optional
        Complete quarters up to this date are used. Default: the latest revenue
        or deal start date (``overview.default_as_of``).
    quarters_ahead : int, default 4
        Quarters to forecast, 1 to 8.
    kind : str or None, default "fee"
        Revenue ``kind`` to forecast; None forecasts all revenue.
    min_quarters : int, default 8
        Minimum number of complete quarters, at least ``MIN_FIT_QUARTERS + 2``
        so that the back-test has errors to build intervals from.

    Raises
    ------
    PredictionError
        When ``quarters_ahead`` is out of range, the revenue table is missing,
        or the data has fewer than ``min_quarters`` complete quarters.
    """
    if int(quarters_ahead) != quarters_ahead or not 1 <= quarters_ahead <= 8:
        raise PredictionError("prediction.error.bad_quarters_ahead",
                              value=quarters_ahead)
    revenue = tables.get("revenue")
    if revenue is None:
        raise PredictionError("prediction.error.missing_table", table="revenue")
    if as_of is None:
        as_of = default_as_of(revenue, tables.get("deals", pd.DataFrame(
            columns=["start_date"])))
    as_of = pd.Timestamp(as_of).normalize()

    # The quarterly series and the minimum history it needs.
    series = quarterly_income(revenue, as_of, kind)
    needed = max(int(min_quarters), MIN_FIT_QUARTERS + 2)
    if len(series) < needed:
        raise PredictionError("prediction.error.few_quarters", min_quarters=needed,
                              quarters=len(series), kind=kind or "all")
    y, quarters = series.to_numpy(dtype=float), series.index

    # Rolling-origin back-test, then the final fit and its intervals.
    backtest = _backtest(y, quarters, int(quarters_ahead))
    fit = fit_holt_winters(y)
    coverage_80, coverage_95, checked = _coverage(backtest)
    history = pd.DataFrame({"quarter": quarters, "quarter_start": quarters.start_time,
                            "income": y, "fitted": fit["fitted"]})
    logger.info("fee forecast at %s: %d quarters, %d back-test errors",
                as_of.date(), len(y), len(backtest))

    return FeeForecast(
        as_of=as_of, kind=kind, history=history,
        forecast=_forecast_table(y, quarters, fit, int(quarters_ahead), backtest),
        backtest=backtest,
        parameters={name: fit[name] for name in ("alpha", "beta", "gamma", "phi")},
        coverage_80=coverage_80, coverage_95=coverage_95, coverage_checked=checked,
        **_error_scores(y, backtest))
