"""Candidate models for the quarterly fee-income forecast.

Each model maps a quarterly series ``y`` (USD, oldest first) to a fitted model
that forecasts the next quarters. The season is 4 quarters. With ``n`` the
number of quarters fitted, ``h`` the horizon and ``k = floor((h - 1) / 4)``:

- ``seasonal_naive``: the same quarter of the latest year,
  ``y_{n+h} = y_{n+h-4(k+1)}``.
- ``seasonal_naive_drift``: the same, plus the mean year-on-year change ``d``
  once per year ahead, ``y_{n+h} = y_{n+h-4(k+1)} + (k+1) d``.
- ``holt_winters``: additive Holt-Winters with a damped trend (``phi = 0.9``),
  the smoothing constants chosen on a grid to minimise the squared one-step
  errors.
- ``combination``: the mean of the seasonal naive and Holt-Winters forecasts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

SEASON = 4
DAMPING = 0.9
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
BETAS = (0.0, 0.05, 0.1, 0.2)
GAMMAS = (0.0, 0.1, 0.2, 0.3, 0.5)
# Candidate order is also the tie-break order, so the simpler model wins a tie.
MODELS = ("seasonal_naive", "seasonal_naive_drift", "holt_winters", "combination")


@dataclass(frozen=True)
class FittedModel:
    """A candidate model fitted to a quarterly series.

    Attributes
    ----------
    key : str
        One of ``MODELS``.
    fitted : numpy.ndarray
        One-step in-sample forecasts, one per quarter fitted (NaN for the first
        year, which has no earlier quarter to forecast from).
    point : callable
        ``point(steps)`` returns the forecasts 1..``steps`` quarters ahead.
    parameters : dict
        Fitted parameters: ``drift`` (USD change of a quarter's income from one
        year to the next) for the seasonal naive forecast with drift,
        ``alpha``, ``beta``, ``gamma`` and ``phi`` for Holt-Winters and the
        combination, none for the seasonal naive forecast.
    """

    key: str
    fitted: np.ndarray
    point: Callable[[int], np.ndarray]
    parameters: dict = field(default_factory=dict)

    def predict(self, steps: int) -> np.ndarray:
        """Return the point forecasts 1..``steps`` quarters after the fitted data."""
        return self.point(steps)


def fit_model(key: str, y: np.ndarray) -> FittedModel:
    """Fit candidate ``key`` (one of ``MODELS``) to ``y``, at least 4 quarters long.

    Raises
    ------
    ValueError
        When ``key`` is not one of ``MODELS`` or ``y`` is shorter than a year.
    """
    y = np.asarray(y, dtype=float)
    if len(y) < SEASON:
        raise ValueError(f"the series has {len(y)} quarters; a fit needs at least "
                         f"{SEASON}")
    fitters = {"seasonal_naive": _fit_seasonal_naive,
               "seasonal_naive_drift": _fit_seasonal_naive_drift,
               "holt_winters": _fit_holt_winters_model,
               "combination": _fit_combination}
    if key not in fitters:
        raise ValueError(f"unknown fee model {key!r}; expected one of {MODELS}")
    return fitters[key](y)


# Seasonal naive -----------------------------------------------------------------


def _latest_same_quarter(y: np.ndarray, steps: int) -> np.ndarray:
    # Target n + h - 1 (0-based) takes the same quarter of the latest observed year.
    horizons = np.arange(1, steps + 1)
    years_back = (horizons - 1) // SEASON + 1
    return y[len(y) + horizons - 1 - SEASON * years_back]


def _fit_seasonal_naive(y: np.ndarray) -> FittedModel:
    fitted = np.concatenate([np.full(SEASON, np.nan), y[:-SEASON]])
    return FittedModel("seasonal_naive", fitted,
                       lambda steps: _latest_same_quarter(y, steps))


def _fit_seasonal_naive_drift(y: np.ndarray) -> FittedModel:
    # With a single year there is no year-on-year change, so the drift is 0.
    changes = y[SEASON:] - y[:-SEASON]
    drift = float(changes.mean()) if len(changes) else 0.0
    fitted = np.concatenate([np.full(SEASON, np.nan), y[:-SEASON] + drift])

    def point(steps: int) -> np.ndarray:
        years_ahead = np.arange(steps) // SEASON + 1
        return _latest_same_quarter(y, steps) + years_ahead * drift

    return FittedModel("seasonal_naive_drift", fitted, point, {"drift": drift})


# Holt-Winters -------------------------------------------------------------------


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

    The first year sets the initial level and seasonal indices, the second year
    (when there is one) the initial trend. Ties in the squared error go to the
    first grid point, so the fit is deterministic.

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


def _holt_winters_parameters(fit: dict) -> dict:
    return {name: fit[name] for name in ("alpha", "beta", "gamma", "phi")}


def _fit_holt_winters_model(y: np.ndarray) -> FittedModel:
    fit = fit_holt_winters(y)
    return FittedModel("holt_winters", fit["fitted"],
                       lambda steps: forecast_holt_winters(fit, steps),
                       _holt_winters_parameters(fit))


def _fit_combination(y: np.ndarray) -> FittedModel:
    naive = _fit_seasonal_naive(y)
    fit = fit_holt_winters(y)
    fitted = (naive.fitted + fit["fitted"]) / 2

    def point(steps: int) -> np.ndarray:
        return (naive.predict(steps) + forecast_holt_winters(fit, steps)) / 2

    return FittedModel("combination", fitted, point, _holt_winters_parameters(fit))
