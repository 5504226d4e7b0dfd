"""Relationship maintenance: client tiers, contact cadence, overdue clients and
coverage gaps.

Tiers come from a value score, the mean of the CLV and exposure percentiles
(``key_clients.percentile``) over the parts that have data: the top
``tier_shares["A"]`` of clients are tier A, the next ``tier_shares["B"]`` tier B,
the rest tier C. Each tier has a contact cadence in days; a client is overdue when
the days since its last interaction exceed the cadence, or it has none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.network.errors import NetworkError
from pfcrm_core.network.key_clients import percentile
from pfcrm_core.network.strength import GOOD_SCORE

CADENCE_DAYS = {"A": 30, "B": 60, "C": 120}
TIER_SHARES = {"A": 0.2, "B": 0.3}


def client_tiers(client_ids, *, clv: pd.Series | None, exposure: pd.Series | None,
                 tier_shares: dict[str, float] | None = None) -> pd.DataFrame:
    """Assign tiers A, B and C by value score.

    Returns
    -------
    pandas.DataFrame
        Indexed by client id: ``value_score`` (0–100) and ``tier``. With neither
        CLV nor exposure every client is tier C.
    """
    shares = dict(TIER_SHARES if tier_shares is None else tier_shares)
    if set(shares) != {"A", "B"} or any(not 0 <= v <= 1 for v in shares.values()) \
            or shares["A"] + shares["B"] > 1:
        raise NetworkError("network.error.bad_tier_shares", value=shares)
    index = pd.Index(list(client_ids), name="client_id")
    parts = [percentile(values, index) for values in (clv, exposure)
             if values is not None and values.notna().any()]
    score = sum(parts) / len(parts) if parts else pd.Series(0.0, index=index)

    # Rank clients by score (ties by id) and cut by share of the client count.
    order = pd.DataFrame({"score": score, "id": index.astype(str)}, index=index) \
        .sort_values(["score", "id"], ascending=[False, True]).index
    position = pd.Series(np.arange(len(order)), index=order).reindex(index)
    cut_a = round(shares["A"] * len(index))
    cut_b = cut_a + round(shares["B"] * len(index))
    tier = np.select([position < cut_a, position < cut_b], ["A", "B"], "C")
    if not parts:
        tier = np.full(len(index), "C")
    return pd.DataFrame({"value_score": score, "tier": tier}, index=index)


def overdue_clients(interactions: pd.DataFrame, tiers: pd.DataFrame, as_of, *,
                    cadence_days: dict[str, int] | None = None) -> pd.DataFrame:
    """Compare each client's days since last interaction with its tier's cadence.

    Returns
    -------
    pandas.DataFrame
        Indexed by client id: ``tier``, ``last_interaction``, ``days_since``,
        ``cadence_days``, ``days_overdue`` (0 when on time) and ``overdue``;
        overdue clients first, most overdue first (never contacted first of all).
    """
    cadence = _validate_cadence(cadence_days)
    as_of = pd.Timestamp(as_of).normalize()
    dates = pd.to_datetime(interactions["date"])
    past = interactions[dates <= as_of]
    last = pd.to_datetime(past["date"]).groupby(past["client_id"].astype(str)).max()

    table = tiers[["tier"]].copy()
    table["last_interaction"] = last.reindex(table.index)
    table["days_since"] = (as_of - table["last_interaction"]).dt.days.astype(float)
    table["cadence_days"] = table["tier"].map(cadence).astype(float)
    table["days_overdue"] = (table["days_since"] - table["cadence_days"]).clip(lower=0)
    table["overdue"] = table["days_since"].isna() | (table["days_overdue"] > 0)
    table["days_overdue"] = table["days_overdue"].fillna(np.inf)
    return table.sort_values(["overdue", "days_overdue"], ascending=[False, False],
                             kind="stable")


def coverage_gaps(tiers: pd.DataFrame, best_ties: pd.DataFrame, *,
                  tiers_covered: tuple[str, ...] = ("A",),
                  good: float = GOOD_SCORE) -> pd.DataFrame:
    """Return high-value clients whose best staff tie is weaker than ``good``.

    Parameters
    ----------
    tiers : pandas.DataFrame
        ``client_tiers`` output.
    best_ties : pandas.DataFrame
        ``client_id``, ``best_staff``, ``best_strength``, ``good_ties`` per client
        (``risk.KeyPersonRisk.clients``).
    tiers_covered : tuple of str, default ("A",)
        Tiers that count as high value.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``tier``, ``value_score``, ``best_staff``,
        ``best_strength``, ``good_ties``; weakest tie first.
    """
    high = tiers[tiers["tier"].isin(tiers_covered)]
    ties = best_ties.set_index("client_id").reindex(high.index)
    table = high.join(ties[["best_staff", "best_strength", "good_ties"]])
    table["best_strength"] = table["best_strength"].fillna(0.0)
    table["good_ties"] = table["good_ties"].fillna(0).astype(int)
    gaps = table[table["best_strength"] < good]
    gaps = gaps.sort_values(["best_strength", "value_score"], ascending=[True, False],
                            kind="stable")
    return gaps.reset_index()


def _validate_cadence(cadence_days: dict[str, int] | None) -> dict[str, int]:
    cadence = dict(CADENCE_DAYS if cadence_days is None else cadence_days)
    missing = [tier for tier in CADENCE_DAYS if tier not in cadence]
    invalid = {tier: days for tier, days in cadence.items()
               if not (isinstance(days, (int, float)) and days > 0)}
    if missing or invalid:
        raise NetworkError("network.error.bad_cadence", value=cadence,
                           tiers=", ".join(CADENCE_DAYS))
    return cadence
