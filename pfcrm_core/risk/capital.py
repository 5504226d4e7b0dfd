"""Regulatory capital: the Basel IRB corporate formula and supervisory slotting.

IRB corporate risk-weight function (Basel Framework, chapter CRE31), for an exposure
not in default, with PD and LGD as decimals and M the effective maturity in years::

    w = (1 - exp(-50 PD)) / (1 - exp(-50))
    R = 0.12 w + 0.24 (1 - w)                          asset correlation
    b = (0.11852 - 0.05478 ln PD)^2                    maturity adjustment
    K = [LGD N((G(PD) + sqrt(R) G(0.999)) / sqrt(1 - R)) - PD LGD]
        * (1 + (M - 2.5) b) / (1 - 1.5 b)               capital per unit of EAD
    RWA = K * 12.5 * EAD

N is the standard normal distribution function and G its inverse. For a defaulted
exposure (PD = 1) CRE31.3 sets K = max(0, LGD - best estimate of expected loss);
this module has no separate best estimate, so it takes the best estimate equal to
LGD and K = 0 (the loss is then covered by expected loss, not capital).

The firm-size adjustment for SME borrowers (CRE31.6) is not applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from pfcrm_core.risk.exceptions import RiskDataError, format_values

# PD floor for corporate exposures in the revised (Basel III) IRB framework;
# Basel II used 0.03%.
CORPORATE_PD_FLOOR = 0.0005
CONFIDENCE = 0.999
MIN_MATURITY, MAX_MATURITY = 1.0, 5.0
# Capital ratio applied to RWA: 8% of RWA = K * EAD.
CAPITAL_RATIO = 0.08


def irb_corporate(pd_values, lgd, ead, maturity=2.5,
                  pd_floor: float = CORPORATE_PD_FLOOR) -> pd.DataFrame:
    """Compute IRB capital for corporate exposures, element by element.

    Parameters
    ----------
    pd_values : array-like of float
        One-year PD in [0, 1]; raised to ``pd_floor``. PD = 1 means in default.
    lgd : array-like of float
        Loss given default in [0, 1].
    ead : array-like of float
        Exposure at default, in currency units (for example USD).
    maturity : float or array-like, default 2.5
        Effective maturity M in years, clamped to the IRB bounds [1, 5].
    pd_floor : float, default 0.0005
        Minimum PD (0.05%); pass 0 to use PDs as given.

    Returns
    -------
    pandas.DataFrame
        pd (after the floor), correlation (R), maturity_adjustment (b),
        k (capital per unit of EAD), risk_weight (K * 12.5), rwa
        (K * 12.5 * EAD) and capital (K * EAD, which is 8% of RWA).

    Examples
    --------
    >>> row = irb_corporate(0.01, 0.45, 100.0, 2.5).iloc[0]
    >>> round(float(row["k"]), 6), round(float(row["risk_weight"]), 4)
    (0.073853, 0.9232)
    """
    pd_array = _unit_interval(pd_values, "PD")
    lgd_array = _unit_interval(lgd, "LGD")
    ead_array = np.asarray(ead, dtype=float).reshape(-1)
    m = np.clip(np.asarray(maturity, dtype=float).reshape(-1), MIN_MATURITY, MAX_MATURITY)
    pd_array, lgd_array, ead_array, m = np.broadcast_arrays(pd_array, lgd_array,
                                                            ead_array, m)

    in_default = pd_array >= 1.0
    p = np.clip(np.maximum(pd_array, pd_floor), 1e-12, 1 - 1e-12)
    weight = (1 - np.exp(-50 * p)) / (1 - np.exp(-50))
    correlation = 0.12 * weight + 0.24 * (1 - weight)
    b = (0.11852 - 0.05478 * np.log(p)) ** 2
    stressed = norm.cdf((norm.ppf(p) + np.sqrt(correlation) * norm.ppf(CONFIDENCE))
                        / np.sqrt(1 - correlation))
    k = (lgd_array * stressed - p * lgd_array) * (1 + (m - 2.5) * b) / (1 - 1.5 * b)
    k = np.where(in_default, 0.0, np.maximum(k, 0.0))

    return pd.DataFrame({
        "pd": np.where(in_default, 1.0, p),
        "correlation": correlation,
        "maturity_adjustment": b,
        "k": k,
        "risk_weight": k * 12.5,
        "rwa": k * 12.5 * ead_array,
        "capital": k * ead_array,
    })


# Supervisory slotting for project finance (Basel Framework, chapter CRE33): risk
# weight by category, the lower weights for strong and good exposures with a
# remaining maturity under 2.5 years, and expected loss as a share of EAD.
SLOTTING_CATEGORIES = ("strong", "good", "satisfactory", "weak", "default")
SLOTTING_RISK_WEIGHT = {"strong": 0.70, "good": 0.90, "satisfactory": 1.15,
                        "weak": 2.50, "default": 0.0}
SLOTTING_RISK_WEIGHT_SHORT = {"strong": 0.50, "good": 0.70}
SLOTTING_EL_RATE = {"strong": 0.004, "good": 0.008, "satisfactory": 0.028,
                    "weak": 0.08, "default": 0.50}
SHORT_MATURITY_YEARS = 2.5


def slotting(category, ead, remaining_maturity=None) -> pd.DataFrame:
    """Compute slotting capital and expected loss for specialised lending.

    Risk weights (Basel Framework CRE33, supervisory slotting approach for project
    finance): strong 70%, good 90%, satisfactory 115%, weak 250%, default 0%;
    strong 50% and good 70% when the remaining maturity is under 2.5 years.
    Capital = 8% * risk weight * EAD. Expected loss: strong 0.4%, good 0.8%,
    satisfactory 2.8%, weak 8%, default 50% of EAD, whatever the maturity.
    The lower short-maturity weights are a national discretion in the
    framework; pass ``remaining_maturity=None`` where they do not apply.

    Parameters
    ----------
    category : str or array-like of str
        Slotting category, case-insensitive: strong, good, satisfactory, weak,
        default.
    ead : float or array-like
        Exposure at default in currency units.
    remaining_maturity : float or array-like, optional
        Remaining maturity in years; None or NaN use the standard weights.

    Returns
    -------
    pandas.DataFrame
        category, risk_weight, rwa, capital, expected_loss.

    Raises
    ------
    RiskDataError
        When a category is not one of the five.
    """
    categories = pd.Series(np.atleast_1d(np.asarray(category, dtype=object)))
    categories = categories.astype(str).str.strip().str.lower()
    invalid = sorted(set(categories) - set(SLOTTING_CATEGORIES))
    if invalid:
        raise RiskDataError("risk.error.slotting_category", values=format_values(invalid),
                            allowed=", ".join(SLOTTING_CATEGORIES))
    ead_array = np.asarray(ead, dtype=float).reshape(-1)
    maturity = np.full(len(categories), np.nan) if remaining_maturity is None \
        else np.asarray(remaining_maturity, dtype=float).reshape(-1)
    cats, ead_array, maturity = np.broadcast_arrays(categories.to_numpy(), ead_array,
                                                    maturity)

    weight = np.array([SLOTTING_RISK_WEIGHT[c] for c in cats])
    short = maturity < SHORT_MATURITY_YEARS
    short_weight = np.array([SLOTTING_RISK_WEIGHT_SHORT.get(c, np.nan) for c in cats])
    weight = np.where(short & ~np.isnan(short_weight), short_weight, weight)
    rwa = weight * ead_array
    el_rate = np.array([SLOTTING_EL_RATE[c] for c in cats])
    return pd.DataFrame({"category": cats, "risk_weight": weight, "rwa": rwa,
                         "capital": CAPITAL_RATIO * rwa,
                         "expected_loss": el_rate * ead_array})


def _unit_interval(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    bad = ~np.isnan(array) & ((array < 0) | (array > 1))
    if bad.any():
        raise RiskDataError("risk.error.not_a_share", name=name,
                            value=f"{array[bad][0]:g}", count=int(bad.sum()))
    return array
