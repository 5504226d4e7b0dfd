"""Expected loss, RAROC, risk-adjusted CLV and the risk-return quadrant per client.

- Expected loss: ``EL = PD * LGD * EAD`` over one year, in the currency of EAD.
- RAROC = (revenue - costs - EL) / capital, with costs = cost-income ratio *
  revenue and capital = IRB capital ``K * EAD`` (8% of RWA) unless the book
  brings its own ``capital`` for the row (for example from slotting).
- Risk-adjusted CLV = CLV - EL over the CLV horizon, taken as the one-year EL times
  ``horizon_months / 12`` (undiscounted, with PD, LGD and EAD held at today's
  values, so it is an approximation for horizons beyond a year).
- Quadrant: "high return" is RAROC at or above the hurdle rate, "low risk" is a
  PD at or below the threshold (default: the median PD of the book):

  ========  ===========  =========  ==========================================
  quadrant  return       risk       reading
  ========  ===========  =========  ==========================================
  grow      high         low        earn more from a safe, profitable client
  protect   high         high       keep the income, add collateral, covenants
  reprice   low          low        safe but under-priced: raise margin, fees
  exit      low          high       reduce or leave
  ========  ===========  =========  ==========================================

  Clients without capital (no exposure) have no RAROC and no quadrant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.risk.capital import irb_corporate
from pfcrm_core.risk.exceptions import RiskDataError, format_values

DEFAULT_HURDLE = 0.12
# Share of revenue spent on running the relationship; an assumption to replace
# with the bank's own cost-income ratio.
DEFAULT_COST_INCOME_RATIO = 0.40
DEFAULT_MATURITY_YEARS = 2.5
QUADRANTS = ("grow", "protect", "reprice", "exit")
REQUIRED_COLUMNS = ("client_id", "pd", "lgd", "ead", "revenue")


def expected_loss(pd_values, lgd, ead) -> np.ndarray:
    """Return ``PD * LGD * EAD`` element by element."""
    return (np.asarray(pd_values, dtype=float) * np.asarray(lgd, dtype=float)
            * np.asarray(ead, dtype=float))


def raroc(revenue, costs, el, capital) -> np.ndarray:
    """Return ``(revenue - costs - EL) / capital``; NaN where capital is not positive."""
    capital = np.asarray(capital, dtype=float)
    numerator = (np.asarray(revenue, dtype=float) - np.asarray(costs, dtype=float)
                 - np.asarray(el, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(capital > 0, numerator / capital, np.nan)


def risk_return_table(book: pd.DataFrame, clv: pd.Series | None = None, *,
                      cost_income_ratio: float = DEFAULT_COST_INCOME_RATIO,
                      hurdle: float = DEFAULT_HURDLE, clv_horizon_months: float = 12,
                      pd_threshold: float | None = None) -> pd.DataFrame:
    """Compute EL, capital, RAROC, risk-adjusted CLV, ranks and quadrant per client.

    Parameters
    ----------
    book : pandas.DataFrame
        One row per client: client_id, pd, lgd, ead and revenue (one year, in the
        currency of EAD). Optional: maturity_years (default 2.5), capital
        (replaces IRB capital where present; a NaN row gets IRB capital) and
        rwa (default capital * 12.5). Other columns are kept.
    clv : pandas.Series, optional
        CLV per client id over ``clv_horizon_months``, in the currency of EAD.
    cost_income_ratio : float, default 0.40
        Costs as a share of revenue.
    hurdle : float, default 0.12
        Minimum acceptable RAROC (12% a year).
    clv_horizon_months : float, default 12
        Horizon of ``clv``; EL is scaled to it.
    pd_threshold : float, optional
        PD at or below which a client is "low risk"; default the book's median PD.

    Returns
    -------
    pandas.DataFrame
        The book with el, costs, rwa, capital, risk_adjusted_return (revenue -
        costs - EL), raroc, above_hurdle, economic_profit (risk-adjusted return -
        hurdle * capital), raroc_rank (1 = best), clv, risk_adjusted_clv,
        clv_rank and quadrant, sorted by raroc_rank.

    Raises
    ------
    RiskDataError
        When a required column is missing.
    """
    absent = [c for c in REQUIRED_COLUMNS if c not in book.columns]
    if absent:
        raise RiskDataError("risk.error.missing_columns", columns=format_values(absent),
                            available=format_values([str(c) for c in book.columns]))
    if not 0 <= cost_income_ratio < 1:
        raise ValueError(f"cost_income_ratio must be in [0, 1); got {cost_income_ratio!r}")

    table = book.copy().reset_index(drop=True)
    maturity = table.get("maturity_years", pd.Series(DEFAULT_MATURITY_YEARS,
                                                     index=table.index))
    irb = irb_corporate(table["pd"], table["lgd"], table["ead"],
                        maturity.fillna(DEFAULT_MATURITY_YEARS))
    if "capital" not in table.columns:
        table["rwa"] = irb["rwa"].to_numpy()
        table["capital"] = irb["capital"].to_numpy()
    else:
        # Rows that bring their own capital keep it; a missing value means IRB.
        own = table["capital"].notna().to_numpy()
        rwa = table["rwa"] if "rwa" in table.columns else table["capital"] * 12.5
        table["rwa"] = np.where(own, rwa, irb["rwa"].to_numpy())
        table["capital"] = np.where(own, table["capital"], irb["capital"].to_numpy())

    table["el"] = expected_loss(table["pd"], table["lgd"], table["ead"])
    table["costs"] = cost_income_ratio * table["revenue"]
    table["risk_adjusted_return"] = table["revenue"] - table["costs"] - table["el"]
    table["raroc"] = raroc(table["revenue"], table["costs"], table["el"],
                           table["capital"])
    table["above_hurdle"] = table["raroc"] >= hurdle
    table["economic_profit"] = table["risk_adjusted_return"] - hurdle * table["capital"]
    table["raroc_rank"] = table["raroc"].rank(ascending=False, method="min")

    clv_values = (clv.reindex(table["client_id"]).to_numpy(dtype=float)
                  if clv is not None else np.full(len(table), np.nan))
    table["clv"] = clv_values
    table["risk_adjusted_clv"] = clv_values - table["el"] * clv_horizon_months / 12
    table["clv_rank"] = table["risk_adjusted_clv"].rank(ascending=False, method="min")

    threshold = table["pd"].median() if pd_threshold is None else pd_threshold
    table["quadrant"] = quadrant(table["raroc"], table["pd"], hurdle, threshold)
    table.attrs["pd_threshold"] = float(threshold)
    table.attrs["hurdle"] = float(hurdle)
    return table.sort_values("raroc_rank", kind="stable", na_position="last",
                             ignore_index=True)


def quadrant(raroc_values, pd_values, hurdle: float, pd_threshold: float) -> np.ndarray:
    """Return grow, protect, reprice or exit per client (None without a RAROC)."""
    r = np.asarray(raroc_values, dtype=float)
    p = np.asarray(pd_values, dtype=float)
    high_return = r >= hurdle
    low_risk = p <= pd_threshold
    labels = np.select([high_return & low_risk, high_return & ~low_risk,
                        ~high_return & low_risk], ["grow", "protect", "reprice"],
                       default="exit").astype(object)
    labels[np.isnan(r) | np.isnan(p)] = None
    return labels


def portfolio_raroc(table: pd.DataFrame) -> float:
    """Return the book's RAROC: total risk-adjusted return over total capital."""
    capital = table["capital"].sum()
    return float(table["risk_adjusted_return"].sum() / capital) if capital > 0 \
        else float("nan")
