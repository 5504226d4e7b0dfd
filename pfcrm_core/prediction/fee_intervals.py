"""Split-conformal prediction intervals for the fee forecast, and their coverage.

The back-test of the chosen model gives, per horizon ``h``, the relative errors
``e = (y - f) / f`` of forecasts ``f > 0``. For a level ``1 - a`` the half-width
``q_h`` is the ``ceil((n + 1)(1 - a))``-th smallest of the ``n`` absolute errors
at that horizon, the split-conformal quantile, and the interval is
``f (1 - q_h)`` to ``f (1 + q_h)``, floored at 0. If the errors are exchangeable
with the next one, the interval covers it with probability at least ``1 - a``.

A horizon needs at least ``MIN_HORIZON_ERRORS`` errors, and enough for the
quantile to exist (4 at 80 %, 19 at 95 %). With fewer, the errors of all
horizons are pooled. If even the pool is too small, the largest error is used
and a note reports it, because that interval covers less often than its level.
A 95 % half-width is raised to the 80 % one where pooling made it smaller, so
the intervals nest.

The intervals are not forced to widen with the horizon. A seasonal naive
forecast, for one, repeats the same quarter of last year at horizons 1 to 4,
so its errors there have much the same spread.

NOTE: rolling-origin errors are not independent. Forecasts from neighbouring
origins share target quarters, and a seasonal naive forecast makes the same
error at horizons 1 to 4, so ``n`` overstates the information in the errors and
coverage can fall short of the level on short series.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pfcrm_core.notes import Note

LEVELS = (80, 95)
MIN_HORIZON_ERRORS = 8


def errors_needed(level: int) -> int:
    """Return the fewest errors whose conformal quantile at ``level`` % is finite."""
    alpha = 1 - level / 100
    return math.ceil((1 - alpha) / alpha - 1e-9)


def conformal_quantile(errors: np.ndarray, level: int) -> float:
    """Return the ``ceil((n + 1) level / 100)``-th smallest of ``n`` errors.

    Returns ``inf`` when that rank exceeds ``n``, because then no finite
    half-width guarantees the level, and NaN when ``errors`` is empty.
    """
    errors = np.sort(np.asarray(errors, dtype=float))
    if len(errors) == 0:
        return float("nan")
    rank = math.ceil((len(errors) + 1) * level / 100 - 1e-9)
    return float(errors[rank - 1]) if rank <= len(errors) else float("inf")


def relative_errors(backtest: pd.DataFrame) -> pd.DataFrame:
    """Return ``horizon`` and ``relative_error`` for back-test rows with forecast > 0.

    ``relative_error`` is ``(actual - forecast) / forecast``, so a half-width
    built from it scales with the level of the forecast.
    """
    usable = backtest[backtest["forecast"] > 0]
    return pd.DataFrame({
        "horizon": usable["horizon"].to_numpy(),
        "relative_error": ((usable["actual"] - usable["forecast"])
                           / usable["forecast"]).to_numpy(dtype=float)})


def half_widths(errors: pd.DataFrame, steps: int) -> tuple[dict, list[Note]]:
    """Return the relative half-width per level and horizon, and notes on pooling.

    Parameters
    ----------
    errors : pandas.DataFrame
        ``horizon`` and ``relative_error`` from ``relative_errors``.
    steps : int
        Horizons 1..``steps`` to build half-widths for.

    Returns
    -------
    widths : dict of int to numpy.ndarray
        For 80 and 95, the half-widths ``q_h`` for ``h = 1..steps`` (a share of
        the forecast; NaN when there are no errors at all).
    notes : list of Note
        Which horizons pooled the errors, and where the largest error stood in
        for a quantile that needs more errors.
    """
    absolute = errors["relative_error"].abs().to_numpy()
    horizons = errors["horizon"].to_numpy()
    widths, notes = {}, []
    for level in LEVELS:
        needed = max(MIN_HORIZON_ERRORS, errors_needed(level))
        pooled_quantile = conformal_quantile(absolute, level)
        per_horizon, pooled = [], []
        for h in range(1, steps + 1):
            own = absolute[horizons == h]
            if len(own) >= needed:
                per_horizon.append(conformal_quantile(own, level))
            else:
                per_horizon.append(pooled_quantile)
                pooled.append(h)
        if pooled and len(absolute):
            notes.append(Note("prediction.fees.note.pooled", {
                "level": level, "horizons": ", ".join(map(str, pooled)),
                "needed": needed, "errors": len(absolute)}))
        if math.isinf(pooled_quantile) and pooled:
            notes.append(Note("prediction.fees.note.widest", {
                "level": level, "errors": len(absolute),
                "needed": errors_needed(level)}))
            per_horizon = [absolute.max() if math.isinf(q) else q for q in per_horizon]
        widths[level] = np.asarray(per_horizon, dtype=float)
    widths[95] = np.fmax(widths[95], widths[80])
    return widths, notes


def interval_bounds(point: np.ndarray, width: np.ndarray) -> tuple[np.ndarray,
                                                                   np.ndarray]:
    """Return the lower and upper bounds ``point (1 -/+ width)``, floored at 0."""
    point = np.maximum(np.asarray(point, dtype=float), 0.0)
    return np.maximum(point * (1 - width), 0.0), point * (1 + width)


def sequential_coverage(backtest: pd.DataFrame, steps: int,
                        min_errors: int) -> tuple[float, float, int]:
    """Check each back-test actual against intervals built from earlier errors.

    For a forecast made at origin ``o`` the intervals use only the errors whose
    quarter is at or before ``o``, so they come from earlier origins. Rows whose
    origin has fewer than ``min_errors`` such errors are not checked.

    Returns
    -------
    coverage_80, coverage_95 : float
        Share of checked actuals inside the 80 % and 95 % intervals; NaN when
        no row could be checked.
    checked : int
        Rows checked.
    """
    inside = {level: [] for level in LEVELS}
    for origin, rows in backtest.groupby("origin", sort=True):
        known = relative_errors(backtest[backtest["quarter"] <= origin])
        if len(known) < min_errors:
            continue
        widths, _ = half_widths(known, steps)
        index = rows["horizon"].to_numpy() - 1
        actual = rows["actual"].to_numpy(dtype=float)
        for level in LEVELS:
            lower, upper = interval_bounds(rows["forecast"], widths[level][index])
            inside[level].extend((lower <= actual) & (actual <= upper))
    checked = len(inside[80])
    if checked == 0:
        return float("nan"), float("nan"), 0
    return float(np.mean(inside[80])), float(np.mean(inside[95])), checked
