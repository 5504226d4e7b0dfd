"""Executive KPIs for the Overview page: client mix, exposure and fee income.

All functions are pure: they take canonical tables as DataFrames and an as-of
date, so the page and the tests compute the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .fx import to_usd, unknown_currencies


@dataclass(frozen=True)
class Kpis:
    """Headline figures as of a date; money in USD at reference rates."""

    as_of: pd.Timestamp
    clients: int
    active_clients: int
    exposure_usd: float
    live_deals: int
    revenue_12m_usd: float
    revenue_prior_12m_usd: float
    unknown_currencies: tuple[str, ...]

    @property
    def revenue_growth(self) -> float | None:
        """Change of the last 12 months' revenue against the 12 before, as a fraction."""
        if self.revenue_prior_12m_usd <= 0:
            return None
        return self.revenue_12m_usd / self.revenue_prior_12m_usd - 1.0


def default_as_of(revenue: pd.DataFrame, deals: pd.DataFrame) -> pd.Timestamp:
    """Return the latest revenue or deal start date, or today when both are empty."""
    dates = pd.concat([pd.to_datetime(revenue.get("date")),
                       pd.to_datetime(deals.get("start_date"))]).dropna()
    return dates.max().normalize() if len(dates) else pd.Timestamp.today().normalize()


def live_deals(deals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return deals started on or before ``as_of`` that have not matured, with amount_usd."""
    start = pd.to_datetime(deals["start_date"])
    maturity = pd.to_datetime(deals["maturity_date"])
    live = deals[(start.isna() | (start <= as_of)) & (maturity.isna() | (maturity > as_of))]
    return live.assign(amount_usd=to_usd(live["amount"], live["currency"]))


def compute_kpis(clients: pd.DataFrame, deals: pd.DataFrame, revenue: pd.DataFrame,
                 as_of: pd.Timestamp) -> Kpis:
    """Compute the headline KPIs as of ``as_of``.

    A client is active when it has revenue in the 12 months up to ``as_of``.
    """
    live = live_deals(deals, as_of)
    dates = pd.to_datetime(revenue["date"])
    usd = to_usd(revenue["amount"], revenue["currency"])
    last = (dates > as_of - pd.DateOffset(years=1)) & (dates <= as_of)
    prior = ((dates > as_of - pd.DateOffset(years=2))
             & (dates <= as_of - pd.DateOffset(years=1)))
    unknown = unknown_currencies(pd.concat([deals["currency"], revenue["currency"]]))

    return Kpis(
        as_of=as_of,
        clients=len(clients),
        active_clients=int(revenue.loc[last, "client_id"].nunique()),
        exposure_usd=float(live["amount_usd"].sum()),
        live_deals=len(live),
        revenue_12m_usd=float(usd[last].sum()),
        revenue_prior_12m_usd=float(usd[prior].sum()),
        unknown_currencies=tuple(unknown),
    )


def clients_by_type(clients: pd.DataFrame) -> pd.DataFrame:
    """Return the number of clients per client type, largest first."""
    counts = clients["client_type"].fillna("unknown").value_counts()
    return counts.rename_axis("client_type").reset_index(name="clients")


def exposure_by(deals: pd.DataFrame, clients: pd.DataFrame, as_of: pd.Timestamp,
                by: str = "client_type") -> pd.DataFrame:
    """Return live exposure in USD grouped by a client column (type, sector, region)."""
    live = live_deals(deals, as_of).merge(clients[["client_id", by]], on="client_id",
                                           how="left")
    grouped = live.groupby(live[by].fillna("unknown"))["amount_usd"].sum()
    return grouped.sort_values(ascending=False).rename_axis(by).reset_index(
        name="exposure_usd")


def fee_income_trend(revenue: pd.DataFrame, freq: str = "QE") -> pd.DataFrame:
    """Return revenue in USD per period and kind, in long format for a stacked chart."""
    frame = revenue.assign(
        period=pd.to_datetime(revenue["date"]).dt.to_period(freq[0]).dt.start_time,
        amount_usd=to_usd(revenue["amount"], revenue["currency"]),
        kind=revenue["kind"].fillna("other"),
    )
    return (frame.groupby(["period", "kind"], as_index=False)["amount_usd"].sum()
            .sort_values(["period", "kind"]))
