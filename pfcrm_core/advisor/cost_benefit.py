"""Cost-benefit of adopting a model: cash flows, NPV, IRR and payback.

Cash flows are yearly and fall at the end of each year, except the one-off cost at
year 0:

    CF_0 = -C_0,    CF_t = B - R    for t = 1 .. H

    NPV = sum_{t=0}^{H} CF_t / (1 + r)^t

with ``C_0`` the one-off cost, ``R`` the yearly running cost, ``B`` the expected
yearly benefit, ``r`` the yearly discount rate and ``H`` the horizon in years. The
IRR is the rate at which the NPV is 0. The payback period is the time until the
cumulative cash flow (simple) or the cumulative discounted cash flow (discounted)
reaches 0. The flow of the year in which that happens is spread evenly over the
year, so payback is given in years with a fraction. All amounts are in one
currency (USD on the page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from pfcrm_core.fx import to_usd

from .errors import AdvisorInputError

MAX_HORIZON_YEARS = 30
# The IRR is searched in this bracket of yearly rates (-99% to 1,000%).
IRR_BRACKET = (-0.99, 10.0)
INTEREST_KIND = "interest"


@dataclass(frozen=True)
class CostBenefit:
    """The cash flows and return measures of one adoption case.

    Attributes
    ----------
    cash_flows : pandas.DataFrame
        One row per year 0..H: ``year``, ``cost``, ``benefit``, ``net``,
        ``discount_factor``, ``discounted``, ``cumulative``,
        ``cumulative_discounted``.
    npv : float
        Net present value at the discount rate.
    irr : float or None
        Internal rate of return as a fraction; None when the flows never change
        sign or no rate in ``IRR_BRACKET`` gives an NPV of 0.
    payback_years : float or None
        Simple payback in years; None when it is not reached within the horizon.
    discounted_payback_years : float or None
        Discounted payback in years; None when not reached within the horizon.
    irr_above_range : bool
        True when the flows change sign but the NPV is still positive at the top
        of ``IRR_BRACKET``, so the IRR exceeds 1,000% (``irr`` is then None).
    """

    cash_flows: pd.DataFrame
    npv: float
    irr: float | None
    payback_years: float | None
    discounted_payback_years: float | None
    irr_above_range: bool = False


def cost_benefit(one_off_cost: float, yearly_running_cost: float,
                 yearly_benefit: float, discount_rate: float,
                 horizon_years: int) -> CostBenefit:
    """Compute the cash flows, NPV, IRR and payback of adopting a model.

    Parameters
    ----------
    one_off_cost : float
        Cost at year 0 (build, data work, training), >= 0.
    yearly_running_cost : float
        Cost in each year 1..H (licences, staff time), >= 0.
    yearly_benefit : float
        Expected gain in each year 1..H, e.g. the fee income uplift; any finite
        value (a negative benefit is a loss).
    discount_rate : float
        Yearly rate as a fraction, from 0 to 1 (0.08 = 8%).
    horizon_years : int
        Years of benefit, from 1 to ``MAX_HORIZON_YEARS``.

    Returns
    -------
    CostBenefit

    Raises
    ------
    AdvisorInputError
        When an input is not finite or out of its range.

    Examples
    --------
    >>> result = cost_benefit(100.0, 0.0, 30.0, 0.10, 5)
    >>> round(result.npv, 4), round(result.payback_years, 4)
    (13.7236, 3.3333)
    """
    _check_range("one_off_cost", one_off_cost, 0.0, None)
    _check_range("yearly_running_cost", yearly_running_cost, 0.0, None)
    _check_range("yearly_benefit", yearly_benefit, None, None)
    _check_range("discount_rate", discount_rate, 0.0, 1.0)
    _check_horizon(horizon_years)

    years = np.arange(int(horizon_years) + 1)
    cost = np.where(years == 0, float(one_off_cost), float(yearly_running_cost))
    benefit = np.where(years == 0, 0.0, float(yearly_benefit))
    net = benefit - cost
    factor = (1.0 + float(discount_rate)) ** -years.astype(float)
    discounted = net * factor
    flows = pd.DataFrame({
        "year": years, "cost": cost, "benefit": benefit, "net": net,
        "discount_factor": factor, "discounted": discounted,
        "cumulative": np.cumsum(net), "cumulative_discounted": np.cumsum(discounted),
    })
    irr = internal_rate_of_return(net)
    above = irr is None and _changes_sign(net) and npv(IRR_BRACKET[1], net) > 0
    return CostBenefit(
        cash_flows=flows,
        npv=float(discounted.sum()),
        irr=irr,
        payback_years=payback_period(net),
        discounted_payback_years=payback_period(discounted),
        irr_above_range=bool(above),
    )


def npv(rate: float, cash_flows) -> float:
    """Return the NPV of yearly ``cash_flows`` (year 0 first) at ``rate``."""
    flows = np.asarray(cash_flows, dtype=float)
    return float(np.sum(flows / (1.0 + rate) ** np.arange(flows.size)))


def internal_rate_of_return(cash_flows) -> float | None:
    """Return the rate in ``IRR_BRACKET`` at which the NPV is 0, or None.

    None when the flows never change sign (no IRR exists) or when the NPV has the
    same sign at both ends of the bracket. With one sign change (a cost followed
    by net gains) the IRR is unique.
    """
    flows = np.asarray(cash_flows, dtype=float)
    if not _changes_sign(flows):
        return None
    low, high = IRR_BRACKET
    at_low, at_high = npv(low, flows), npv(high, flows)
    if at_low == 0:
        return low
    if np.sign(at_low) == np.sign(at_high):
        return None
    return float(brentq(npv, low, high, args=(flows,), xtol=1e-12))


def _changes_sign(flows: np.ndarray) -> bool:
    signs = np.sign(flows[flows != 0])
    return bool(signs.size >= 2 and np.any(signs != signs[0]))


def payback_period(cash_flows) -> float | None:
    """Return the years until the cumulative cash flow reaches 0, or None.

    ``cash_flows`` are yearly, year 0 first. The flow of the year in which the
    cumulative sum turns non-negative is spread evenly over that year. A year-0
    flow that is already >= 0 pays back at 0. Once reached, payback is not undone
    by later losses.
    """
    flows = np.asarray(cash_flows, dtype=float)
    cumulative = np.cumsum(flows)
    if cumulative[0] >= 0:
        return 0.0
    for year in range(1, flows.size):
        if cumulative[year] >= 0 and flows[year] > 0:
            return year - 1 + float(-cumulative[year - 1] / flows[year])
    return None


def fee_income_12m(revenue: pd.DataFrame, as_of=None) -> float:
    """Return the revenue other than interest of the last 12 months.

    Parameters
    ----------
    revenue : DataFrame
        The canonical revenue table (``date``, ``amount``, ``currency``, ``kind``).
    as_of : date-like, optional
        End of the 12-month window; default the latest revenue date.

    Returns
    -------
    float
        Amount in USD at reference rates; 0.0 when there is no revenue. Rows of
        kind ``interest`` are left out; rows without a kind are counted.
    """
    if revenue.empty:
        return 0.0
    dates = pd.to_datetime(revenue["date"])
    end = pd.Timestamp(as_of) if as_of is not None else dates.max()
    window = (dates > end - pd.DateOffset(years=1)) & (dates <= end)
    fees = revenue["kind"].fillna("") != INTEREST_KIND
    chosen = revenue[window & fees]
    return float(to_usd(chosen["amount"], chosen["currency"]).sum())


def _check_range(name: str, value, low: float | None, high: float | None) -> None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise AdvisorInputError("advisor.error.not_finite", name=name,
                                value=repr(value))
    if high is not None and not low <= number <= high:
        raise AdvisorInputError("advisor.error.between", name=name, value=repr(value),
                                low=f"{low:g}", high=f"{high:g}")
    if low is not None and number < low:
        raise AdvisorInputError("advisor.error.below", name=name, value=repr(value),
                                low=f"{low:g}")


def _check_horizon(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not 1 <= value <= MAX_HORIZON_YEARS:
        raise AdvisorInputError("advisor.error.horizon", value=repr(value),
                                maximum=MAX_HORIZON_YEARS)
