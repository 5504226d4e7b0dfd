"""Discounted customer lifetime value and lifecycle stage per client."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.clv._base import factorize_rows
from pfcrm_core.clv.bg_nbd import BetaGeoModel
from pfcrm_core.clv.gamma_gamma import GammaGammaModel
from pfcrm_core.clv.rfm import days_per_unit, months_to_units

STAGES = ("new", "active", "at_risk", "lapsed")

# Lifecycle thresholds. The inactivity rules exist because the BG/NBD model gives
# P(alive) = 1 to every client without a repeat purchase (dropout can only follow a
# purchase), so a one-off buyer from years ago would otherwise count as active. The
# month defaults suit clients who buy several times a year; raise them for slower
# relationships (for example annual fees).
# Share of revenue kept as margin when the caller gives none: 60%, the margin left
# by a 40% cost-income ratio, which is also the RAROC default. Revenue here is
# already net interest and fee income, so a margin of 1.0 would value clients at
# their income before costs.
DEFAULT_MARGIN = 0.6

NEW_MONTHS = 3.0
AT_RISK_P_ALIVE = 0.7
LAPSED_P_ALIVE = 0.3
AT_RISK_INACTIVE_MONTHS = 6.0
LAPSED_INACTIVE_MONTHS = 12.0


def customer_lifetime_value(
    bgnbd: BetaGeoModel,
    gamma_gamma: GammaGammaModel,
    summary: pd.DataFrame,
    *,
    horizon_months: int = 12,
    discount_rate_monthly: float = 0.01,
    margin: float = 1.0,
    unit: str | None = None,
) -> pd.DataFrame:
    """Compute each client's discounted expected margin over the next months.

    For months m = 1..H::

        CLV = sum_m (E[Y(t_m)] - E[Y(t_(m-1))]) * E[M] * margin / (1 + d)**m

    where E[Y(t)] is the BG/NBD conditional expected number of purchases in the next t
    time units, t_m is m months of 30.4375 days in the data's time unit, E[M] is the
    Gamma-Gamma expected average value and d is the monthly discount rate.

    Parameters
    ----------
    bgnbd, gamma_gamma : fitted models
    summary : DataFrame
        ``rfm_summary`` output: ``client_id``, ``frequency``, ``recency``, ``T``,
        ``monetary_value``.
    horizon_months : int, default 12
        Number of months to sum, in months whatever the data's time unit.
    discount_rate_monthly : float, default 0.01
        Discount rate per month (0.01 is about 12.7% a year).
    margin : float, default 1.0
        Share of revenue that is profit; 1.0 gives discounted revenue.
    unit : {"weeks", "days", "months"}, optional
        Time unit of ``recency`` and ``T``; read from ``summary.attrs["unit"]`` when
        omitted. It must be the unit the models were fitted in.

    Returns
    -------
    DataFrame
        ``client_id``, ``frequency``, ``recency``, ``T``, ``monetary_value``,
        ``p_alive``, ``expected_transactions`` (over the horizon), ``expected_value``
        (expected average transaction value) and ``clv``.

    Raises
    ------
    ValueError
        When an argument is out of range or the unit is unknown.
    """
    unit = _resolve_unit(summary, unit)
    _check_clv_arguments(horizon_months, discount_rate_monthly, margin)
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    m = summary["monetary_value"].to_numpy(dtype=float)

    # Predict once per distinct (x, t_x, T): clients share them when dates are in days.
    codes, first = factorize_rows(x, t_x, T)
    ux, utx, uT = x[first], t_x[first], T[first]

    months = np.arange(horizon_months + 1)
    t_months = months_to_units(months, unit)
    cumulative = np.stack([bgnbd.expected_transactions(t, ux, utx, uT)
                           for t in t_months], axis=1)
    increments = np.diff(cumulative, axis=1)
    discount = (1.0 + discount_rate_monthly) ** -months[1:]
    discounted_transactions = (increments @ discount)[codes]

    expected_value = gamma_gamma.expected_average_value(x, m)
    return pd.DataFrame({
        "client_id": summary["client_id"].to_numpy(),
        "frequency": summary["frequency"].to_numpy(),
        "recency": t_x,
        "T": T,
        "monetary_value": m,
        "p_alive": bgnbd.p_alive(ux, utx, uT)[codes],
        "expected_transactions": cumulative[:, -1][codes],
        "expected_value": expected_value,
        "clv": discounted_transactions * expected_value * margin,
    })


def lifecycle_stage(
    frequency,
    recency,
    T,
    p_alive,
    *,
    unit: str,
    new_months: float = NEW_MONTHS,
    at_risk_p_alive: float = AT_RISK_P_ALIVE,
    lapsed_p_alive: float = LAPSED_P_ALIVE,
    at_risk_inactive_months: float | None = AT_RISK_INACTIVE_MONTHS,
    lapsed_inactive_months: float | None = LAPSED_INACTIVE_MONTHS,
) -> np.ndarray:
    """Assign each client one of ``"new"``, ``"active"``, ``"at_risk"``, ``"lapsed"``.

    Rules, first match wins:

    1. ``new``: tenure ``T`` shorter than ``new_months``.
    2. ``lapsed``: ``p_alive < lapsed_p_alive``, or no purchase for at least
       ``lapsed_inactive_months`` (``T - recency``).
    3. ``at_risk``: ``p_alive < at_risk_p_alive``, or no purchase for at least
       ``at_risk_inactive_months``.
    4. ``active``: otherwise.

    Parameters
    ----------
    frequency, recency, T, p_alive : array-like
        As in the CLV table; ``recency`` and ``T`` in ``unit``.
    unit : {"weeks", "days", "months"}
        Time unit of ``recency`` and ``T``.
    new_months : float, default 3
        Tenure in months below which a client is new.
    at_risk_p_alive, lapsed_p_alive : float, default 0.7 and 0.3
        P(alive) thresholds.
    at_risk_inactive_months, lapsed_inactive_months : float or None, default 6 and 12
        Months without a purchase after which a client is at risk or lapsed whatever
        P(alive) says; None turns the rule off.

    Returns
    -------
    ndarray of str
    """
    if not 0 <= lapsed_p_alive <= at_risk_p_alive <= 1:
        raise ValueError("thresholds must satisfy 0 <= lapsed_p_alive <= "
                         f"at_risk_p_alive <= 1; got {lapsed_p_alive!r} and "
                         f"{at_risk_p_alive!r}")
    days_per_unit(unit)
    recency = np.asarray(recency, dtype=float)
    T = np.asarray(T, dtype=float)
    p_alive = np.asarray(p_alive, dtype=float)
    inactive = T - recency

    lapsed = p_alive < lapsed_p_alive
    at_risk = p_alive < at_risk_p_alive
    if lapsed_inactive_months is not None:
        lapsed |= inactive >= months_to_units(lapsed_inactive_months, unit)
    if at_risk_inactive_months is not None:
        at_risk |= inactive >= months_to_units(at_risk_inactive_months, unit)
    new = T < months_to_units(new_months, unit)

    return np.select([new, lapsed, at_risk], ["new", "lapsed", "at_risk"],
                     default="active")


def _resolve_unit(summary: pd.DataFrame, unit: str | None) -> str:
    if unit is None:
        unit = summary.attrs.get("unit")
    if unit is None:
        raise ValueError("the time unit is unknown: pass unit='weeks', 'days' or "
                         "'months' (the unit of recency and T)")
    days_per_unit(unit)
    return unit


def _check_clv_arguments(horizon_months, discount_rate_monthly, margin) -> None:
    if int(horizon_months) != horizon_months or horizon_months < 0:
        raise ValueError(f"horizon_months must be a whole number >= 0; got "
                         f"{horizon_months!r}")
    if not np.isfinite(discount_rate_monthly) or discount_rate_monthly < 0:
        raise ValueError(f"discount_rate_monthly must be >= 0 (0.01 is 1% a month); "
                         f"got {discount_rate_monthly!r}")
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be >= 0 (a share of revenue, 1.0 for revenue); "
                         f"got {margin!r}")


def top_share(clv, fraction: float = 0.2) -> float:
    """Return the share of total CLV held by the top ``fraction`` of clients.

    Missing values count as zero; a total of zero or less gives NaN.
    """
    values = np.sort(np.nan_to_num(np.asarray(clv, dtype=float)))[::-1]
    total = values.sum()
    if total <= 0:
        return float("nan")
    return float(values[:max(1, int(len(values) * fraction))].sum() / total)
