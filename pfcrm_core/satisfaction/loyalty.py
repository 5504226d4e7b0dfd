"""Loyalty programme: tiers, tier migration, and benefit cost against retention.

Tiers
-----
A tier table (``default_tiers``) lists tiers from the highest to the lowest,
with minimum CLV (USD over the CLV horizon), latest NPS (0..10), tenure (years)
and relationship strength (0..1), and the annual cost of its benefits in USD. A
client gets the first tier whose every minimum it meets. A missing minimum (NaN)
is no condition. A missing client value fails any condition on it, except that
the strength condition is skipped when no strength column is given at all. The
last tier should have no conditions, so that every client gets a tier.

Attribution of retention
------------------------
``benefit_economics`` credits a tier's benefits with the retention it has above
the base tier (the last row of the tier table, which gets no benefits):
``credited_clients = (retention_tier - retention_base) × n_tier`` and
``credited_value = credited_clients × mean CLV of the tier``, set against
``benefit_cost = n_tier × annual_cost``. NOTE: this is an observed difference,
not a causal effect. Tiers select clients with high NPS and value, who are
retained more often without benefits too, so the credit is an upper bound on
what the benefits earned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.satisfaction.errors import SatisfactionError, require_columns

TIER_COLUMNS = ("tier", "min_clv", "min_nps", "min_tenure_years", "min_strength",
                "annual_cost", "benefits")
CONDITIONS = {"min_clv": "clv", "min_nps": "nps", "min_tenure_years": "tenure_years",
              "min_strength": "strength"}
NO_TIER = "none"


def default_tiers() -> pd.DataFrame:
    """Return the default tier table, highest tier first (an editable copy).

    Benefits are translation keys (``satisfaction.benefit.*``).
    """
    return pd.DataFrame({
        "tier": ["platinum", "gold", "silver", "base"],
        "min_clv": [3_000_000.0, 1_000_000.0, 250_000.0, np.nan],
        "min_nps": [9.0, 7.0, np.nan, np.nan],
        "min_tenure_years": [5.0, 3.0, 1.0, np.nan],
        "min_strength": [0.6, 0.4, np.nan, np.nan],
        "annual_cost": [60_000.0, 25_000.0, 5_000.0, 0.0],
        "benefits": ["satisfaction.benefit.platinum", "satisfaction.benefit.gold",
                     "satisfaction.benefit.silver", "satisfaction.benefit.base"],
    })


def loyalty_inputs(clv: pd.DataFrame, feedback: pd.DataFrame, clients: pd.DataFrame,
                   *, as_of, strength: pd.DataFrame | None = None) -> pd.DataFrame:
    """Join CLV, latest NPS, tenure and relationship strength per client.

    Parameters
    ----------
    clv : pandas.DataFrame
        ``client_id`` and ``clv`` (``fit_clv(...).clients``).
    feedback, clients : pandas.DataFrame
        Canonical tables; NPS is the latest response at or before ``as_of`` and
        tenure the years from ``relationship_since`` to ``as_of``.
    as_of : date-like
        Date of the inputs.
    strength : pandas.DataFrame, optional
        ``client_id`` and ``strength`` (0..1); several rows per client (one per
        member of staff) are reduced to the strongest.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``clv``, ``nps``, ``tenure_years`` and, with ``strength``,
        ``strength``; one row per client of ``clients``.
    """
    as_of = pd.Timestamp(as_of)
    require_columns(clv, ["client_id", "clv"], "clv")
    frame = clients[["client_id", "relationship_since"]].drop_duplicates("client_id")
    frame = frame.merge(clv[["client_id", "clv"]], on="client_id", how="left")
    since = pd.to_datetime(frame.pop("relationship_since"))
    frame["tenure_years"] = (as_of - since).dt.days / 365.25

    responses = feedback[pd.to_datetime(feedback["date"]) <= as_of]
    responses = responses.sort_values("date", kind="stable").dropna(subset=["nps"])
    latest = responses.groupby("client_id")["nps"].last()
    frame["nps"] = frame["client_id"].map(latest).astype(float)
    if strength is not None:
        require_columns(strength, ["client_id", "strength"], "strength")
        strongest = strength.groupby("client_id")["strength"].max()
        frame["strength"] = frame["client_id"].map(strongest).astype(float)
    return frame


def assign_tiers(inputs: pd.DataFrame, tiers: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """Assign each client the first tier whose every condition it meets.

    Parameters
    ----------
    inputs : pandas.DataFrame
        ``client_id`` and the columns ``clv``, ``nps``, ``tenure_years`` and
        optionally ``strength``.
    tiers : pandas.DataFrame, optional
        Tier table with the columns of ``default_tiers``; default that table.

    Returns
    -------
    pandas.DataFrame
        ``inputs`` with ``tier`` (``"none"`` for a client that meets no tier).

    Raises
    ------
    SatisfactionError
        When the tier table lacks a column or repeats a tier name.
    """
    tiers = default_tiers() if tiers is None else tiers
    check_tiers(tiers)
    require_columns(inputs, ["client_id", "clv", "nps", "tenure_years"], "inputs")
    tier = np.full(len(inputs), NO_TIER, dtype=object)
    unassigned = np.ones(len(inputs), dtype=bool)
    for _, row in tiers.iterrows():
        meets = np.ones(len(inputs), dtype=bool)
        for condition, column in CONDITIONS.items():
            minimum = row[condition]
            if pd.isna(minimum) or column not in inputs:
                continue
            values = inputs[column].to_numpy(dtype=float)
            meets &= ~np.isnan(values) & (values >= minimum)
        chosen = unassigned & meets
        tier[chosen] = row["tier"]
        unassigned &= ~chosen
    result = inputs.copy()
    result["tier"] = tier
    return result


def check_tiers(tiers: pd.DataFrame) -> None:
    """Raise ``SatisfactionError`` for a tier table with missing columns or repeats."""
    require_columns(tiers, TIER_COLUMNS, "tiers")
    repeated = tiers["tier"][tiers["tier"].duplicated()].tolist()
    if repeated:
        raise SatisfactionError("satisfaction.error.repeated_tier",
                                value=", ".join(map(str, repeated)))


def tier_migration(before: pd.DataFrame, after: pd.DataFrame,
                   tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count clients by tier in one period (rows) and the next (columns).

    Clients present in only one period are counted under ``"none"`` in the
    other. Rows and columns follow the tier table's order, then ``"none"``.
    """
    tiers = default_tiers() if tiers is None else tiers
    order = [*tiers["tier"].tolist(), NO_TIER]
    joined = before[["client_id", "tier"]].merge(
        after[["client_id", "tier"]], on="client_id", how="outer",
        suffixes=("_before", "_after")).fillna(NO_TIER)
    matrix = pd.crosstab(pd.Categorical(joined["tier_before"], categories=order),
                         pd.Categorical(joined["tier_after"], categories=order),
                         dropna=False)
    matrix.index.name, matrix.columns.name = "tier_before", "tier_after"
    return matrix


def benefit_economics(assigned: pd.DataFrame, retained,
                      tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Set each tier's benefit cost against the retention credited to it.

    Parameters
    ----------
    assigned : pandas.DataFrame
        ``client_id``, ``tier`` and ``clv`` at the start of the period.
    retained : pandas.Series or DataFrame
        Per client whether it was retained over the period: a boolean Series
        indexed by ``client_id``, or a frame with ``client_id`` and ``attrited``
        (``satisfaction.attrition.attrition_labels``). Clients without a value
        are left out.
    tiers : pandas.DataFrame, optional
        Tier table; its last row is the base tier.

    Returns
    -------
    pandas.DataFrame
        Per tier: ``tier``, ``n``, ``retention_rate``, ``base_rate``, ``uplift``,
        ``credited_clients``, ``mean_clv``, ``credited_value``, ``benefit_cost``,
        ``net_value`` and ``value_per_cost``. See the module docstring for the
        attribution and its caveat.
    """
    tiers = default_tiers() if tiers is None else tiers
    check_tiers(tiers)
    if isinstance(retained, pd.DataFrame):
        require_columns(retained, ["client_id", "attrited"], "retained")
        retained = retained.set_index("client_id")["attrited"].eq(0)
    frame = assigned[["client_id", "tier", "clv"]].copy()
    frame["retained"] = frame["client_id"].map(retained)
    frame = frame.dropna(subset=["retained"])
    frame["retained"] = frame["retained"].astype(float)

    grouped = frame.groupby("tier").agg(n=("retained", "size"),
                                        retention_rate=("retained", "mean"),
                                        mean_clv=("clv", "mean"))
    table = tiers[["tier", "annual_cost"]].merge(grouped, left_on="tier",
                                                 right_index=True, how="left")
    table["n"] = table["n"].fillna(0).astype(np.int64)
    base_rate = table["retention_rate"].iloc[-1]
    table["base_rate"] = base_rate
    table["uplift"] = table["retention_rate"] - base_rate
    table["credited_clients"] = table["uplift"] * table["n"]
    table["credited_value"] = table["credited_clients"] * table["mean_clv"]
    table["benefit_cost"] = table["n"] * table["annual_cost"]
    table["net_value"] = table["credited_value"] - table["benefit_cost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["value_per_cost"] = np.where(table["benefit_cost"] > 0,
                                           table["credited_value"]
                                           / table["benefit_cost"], np.nan)
    columns = ["tier", "n", "retention_rate", "base_rate", "uplift",
               "credited_clients", "mean_clv", "credited_value", "benefit_cost",
               "net_value", "value_per_cost"]
    return table[columns].reset_index(drop=True)
