"""Quarterly fee-income forecast: model choice by back-test, conformal intervals.

Candidates
----------
The seasonal naive forecast (same quarter last year), the same with the mean
year-on-year change added, damped additive Holt-Winters, and the mean of the
seasonal naive and Holt-Winters forecasts (``fee_models``).

Back-test and choice
--------------------
Rolling origin: from ``MIN_FIT_QUARTERS`` on, every candidate is refitted on the
quarters up to each origin and forecasts the next ``quarters_ahead``, so each
forecast uses only data before its target. A candidate's MASE is its mean
absolute error at each horizon, averaged over horizons 1..``quarters_ahead``,
over the mean absolute year-on-year change of the whole series (the in-sample
error of the seasonal naive forecast). That scale is one constant shared by
every candidate and origin, so it does not affect the choice. The candidate
with the lowest MASE is chosen and refitted on every quarter. MAPE is averaged
over horizons the same way.

Choosing the best of four on the same back-test flatters the winner, so the
result also reports the error of the choice itself: at each origin the
candidate with the lowest MASE over the errors known by then forecasts.

Intervals
---------
Split-conformal intervals from the chosen model's relative back-test errors
per horizon (``fee_intervals``). Coverage is measured out of sample: each
back-test actual is checked against intervals built only from errors of
earlier origins, once ``MIN_COVERAGE_ERRORS`` of them are known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from pfcrm_core.fx import revenue_in_usd
from pfcrm_core.notes import Note
from pfcrm_core.overview import default_as_of

from .errors import PredictionError, require_columns
from .fee_intervals import (errors_needed, half_widths, interval_bounds,
                            relative_errors, sequential_coverage)
from .fee_models import MODELS, SEASON, FittedModel, fit_model

logger = logging.getLogger(__name__)

MIN_QUARTERS = 8
MIN_FIT_QUARTERS = 6
# The coverage check starts once the 95 % conformal quantile is finite.
MIN_COVERAGE_ERRORS = errors_needed(95)
# Below this many errors known at an origin, the out-of-sample choice there
# falls back to the seasonal naive forecast.
MIN_SELECTION_ERRORS = 8


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
        (USD) and ``fitted`` (the chosen model's one-step forecast, NaN for the
        first year).
    forecast : pandas.DataFrame
        ``quarter``, ``quarter_start``, ``horizon`` (1 = next quarter),
        ``forecast``, ``lower_80``, ``upper_80``, ``lower_95``, ``upper_95``
        (USD, floored at 0).
    backtest : pandas.DataFrame
        ``origin`` (last quarter fitted), ``horizon``, ``quarter``, ``actual``,
        one forecast column per candidate in ``MODELS``, ``forecast`` (the
        chosen model's),
        ``naive_forecast`` (seasonal naive) and ``error`` (actual minus
        forecast).
    parameters : dict
        Fitted parameters of the chosen model (see ``FittedModel.parameters``).
    mape : float
        Back-test mean absolute percentage error of the chosen model, in
        percent, averaged over horizons.
    mase : float
        Back-test mean absolute error of the chosen model, averaged over
        horizons, over the in-sample mean absolute year-on-year change. A value
        below 1 beats the seasonal naive forecast fitted in sample.
    naive_mape, naive_mase : float
        The same for the seasonal naive forecast (same quarter last year).
    coverage_80, coverage_95 : float
        Share of back-test actuals inside the out-of-sample 80 % and 95 %
        intervals; NaN when none could be checked.
    coverage_checked : int
        Back-test errors checked for coverage.
    chosen_model : str
        Key in ``MODELS`` of the candidate with the lowest back-test MASE.
    candidates : pandas.DataFrame
        ``model``, ``mape``, ``mase`` and ``chosen`` for every candidate, in
        ``MODELS`` order.
    selection_mape, selection_mase : float
        Back-test error when the model is chosen at each origin from the errors
        known by then, so without the optimism of choosing after the fact.
    notes : tuple of Note
        Facts about the intervals that a reader needs (pooled horizons, too few
        errors).
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
    chosen_model: str = "seasonal_naive"
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection_mape: float = float("nan")
    selection_mase: float = float("nan")
    notes: tuple[Note, ...] = ()


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


def mase_scale(y: np.ndarray) -> float:
    """Return the mean absolute year-on-year change of ``y`` (the MASE scale).

    Falls back to the mean absolute income, then to 1, when the series repeats
    itself exactly, so that scaled errors stay finite.
    """
    changes = np.abs(y[SEASON:] - y[:-SEASON])
    for scale in (changes.mean() if len(changes) else 0.0, np.abs(y).mean()):
        if scale > 0:
            return float(scale)
    return 1.0


def _backtest(y: np.ndarray, quarters: pd.PeriodIndex, steps: int) -> pd.DataFrame:
    rows = []
    for origin in range(MIN_FIT_QUARTERS, len(y)):
        horizon = min(steps, len(y) - origin)
        past = y[:origin]
        forecasts = {key: fit_model(key, past).predict(horizon) for key in MODELS}
        for h in range(1, horizon + 1):
            target = origin + h - 1
            row = {"origin": quarters[origin - 1], "horizon": h,
                   "quarter": quarters[target], "actual": y[target]}
            row.update({key: forecasts[key][h - 1] for key in MODELS})
            rows.append(row)
    columns = ["origin", "horizon", "quarter", "actual", *MODELS]
    return pd.DataFrame(rows, columns=columns)


def score(backtest: pd.DataFrame, column: str, scale: float) -> tuple[float, float]:
    """Return the MAPE (percent) and MASE of forecast ``column``, horizon-averaged.

    ``scale`` (USD) divides the absolute errors for MASE. MAPE skips quarters
    with no positive actual income. NaN when ``backtest`` has no usable row.
    """
    actual, forecast = backtest["actual"], backtest[column]
    frame = pd.DataFrame({
        "horizon": backtest["horizon"],
        "scaled": (actual - forecast).abs() / scale,
        "percent": ((actual - forecast).abs() / actual.where(actual > 0)) * 100})
    by_horizon = frame.groupby("horizon")[["percent", "scaled"]].mean()
    return float(by_horizon["percent"].mean()), float(by_horizon["scaled"].mean())


def _best_model(backtest: pd.DataFrame, scale: float) -> str:
    # np.nanargmin keeps the first of equal scores, so ties go to the simpler model.
    mase = [score(backtest, key, scale)[1] for key in MODELS]
    if np.all(np.isnan(mase)):
        return MODELS[0]
    return MODELS[int(np.nanargmin(mase))]


def _candidate_table(backtest: pd.DataFrame, chosen: str,
                     scale: float) -> pd.DataFrame:
    rows = [(key, *score(backtest, key, scale), key == chosen) for key in MODELS]
    return pd.DataFrame(rows, columns=["model", "mape", "mase", "chosen"])


def _selection_forecast(backtest: pd.DataFrame, scale: float) -> pd.Series:
    # At each origin, the model with the lowest MASE over the errors known then.
    chosen = pd.Series(MODELS[0], index=backtest.index)
    for origin, rows in backtest.groupby("origin", sort=True):
        known = backtest[backtest["quarter"] <= origin]
        if len(known) >= MIN_SELECTION_ERRORS:
            chosen[rows.index] = _best_model(known, scale)
    values = backtest[list(MODELS)].to_numpy()
    columns = [MODELS.index(key) for key in chosen]
    return pd.Series(values[np.arange(len(values)), columns], index=backtest.index)


def _forecast_table(quarters: pd.PeriodIndex, model: FittedModel, steps: int,
                    backtest: pd.DataFrame) -> tuple[pd.DataFrame, list[Note]]:
    point = np.maximum(model.predict(steps), 0.0)
    future = pd.period_range(quarters[-1] + 1, periods=steps, freq="Q")
    table = pd.DataFrame({"quarter": future, "quarter_start": future.start_time,
                          "horizon": np.arange(1, steps + 1), "forecast": point})
    widths, notes = half_widths(relative_errors(backtest), steps)
    for level, width in widths.items():
        table[f"lower_{level}"], table[f"upper_{level}"] = interval_bounds(point,
                                                                           width)
    return table, notes


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
        Quarters to forecast, 1 to 8. The back-test and the model choice use
        horizons 1 to ``quarters_ahead``.
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
    steps = int(quarters_ahead)

    # The quarterly series and the minimum history it needs.
    series = quarterly_income(revenue, as_of, kind)
    needed = max(int(min_quarters), MIN_FIT_QUARTERS + 2)
    if len(series) < needed:
        raise PredictionError("prediction.error.few_quarters", min_quarters=needed,
                              quarters=len(series), kind=kind or "all")
    y, quarters = series.to_numpy(dtype=float), series.index

    # Rolling-origin back-test of every candidate, and the choice among them.
    scale = mase_scale(y)
    backtest = _backtest(y, quarters, steps)
    chosen = _best_model(backtest, scale)
    backtest["forecast"] = backtest[chosen]
    backtest["naive_forecast"] = backtest["seasonal_naive"]
    backtest["error"] = backtest["actual"] - backtest["forecast"]
    selection = backtest.assign(selection=_selection_forecast(backtest, scale))
    selection_mape, selection_mase = score(selection, "selection", scale)

    # The chosen model refitted on every quarter, its intervals and their coverage.
    model = fit_model(chosen, y)
    table, notes = _forecast_table(quarters, model, steps, backtest)
    # NOTE: the model was chosen on the whole back-test, so the rows checked for
    # coverage also took part in the choice, though not in their own intervals.
    coverage_80, coverage_95, checked = sequential_coverage(backtest, steps,
                                                            MIN_COVERAGE_ERRORS)
    history = pd.DataFrame({"quarter": quarters, "quarter_start": quarters.start_time,
                            "income": y, "fitted": model.fitted})
    candidates = _candidate_table(backtest, chosen, scale)
    logger.info("fee forecast at %s: %d quarters, %d back-test rows, chose %s",
                as_of.date(), len(y), len(backtest), chosen)

    mape, mase = score(backtest, "forecast", scale)
    naive_mape, naive_mase = score(backtest, "naive_forecast", scale)
    return FeeForecast(
        as_of=as_of, kind=kind, history=history, forecast=table, backtest=backtest,
        parameters=dict(model.parameters), mape=mape, mase=mase,
        naive_mape=naive_mape, naive_mase=naive_mase, coverage_80=coverage_80,
        coverage_95=coverage_95, coverage_checked=checked, chosen_model=chosen,
        candidates=candidates, selection_mape=selection_mape,
        selection_mase=selection_mase, notes=tuple(notes))
