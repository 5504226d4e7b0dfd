"""Demo relationships between clients, derived from who works together on deals.

Two clients that lend to the same project are a ``syndicate`` tie, two equity
holders a ``sponsor_group`` tie, and an EPC contractor with an equity holder a
``consortium`` tie. The weight is the number of projects they share, and ``since``
is the date their first shared project brought them together. Random
``introduction`` ties, mostly within a region, complete the network. Because deal
participants are drawn mostly from the project's region, the network has regional
communities. Each pair is stored once per kind with ``source_id < target_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import reference

INTRODUCTION_COUNT = 300
SAME_REGION_INTRODUCTION_SHARE = 0.85

DEBT_ROLES = ("lender", "arranger")


def generate_relationships(rng: np.random.Generator, clients: pd.DataFrame,
                           deals: pd.DataFrame) -> pd.DataFrame:
    """Build the relationships table from ``deals`` plus random introductions.

    Returns
    -------
    pandas.DataFrame
        Canonical ``relationships`` columns, sorted by source, target and kind. No
        row links a client to itself.
    """
    ties = pd.concat([_deal_ties(deals), _introductions(rng, clients)],
                     ignore_index=True)
    relationships = (ties.groupby(["source_id", "target_id", "kind"], sort=True)
                     .agg(weight=("weight", "sum"), since=("since", "min"))
                     .reset_index())
    return relationships


def _deal_ties(deals: pd.DataFrame) -> pd.DataFrame:
    columns = ["project_id", "client_id", "role", "start_date"]
    pairs = deals[columns].merge(deals[columns], on="project_id",
                                 suffixes=("_a", "_b"))
    pairs = pairs[pairs["client_id_a"] < pairs["client_id_b"]]

    role_a, role_b = pairs["role_a"], pairs["role_b"]
    debt_pair = role_a.isin(DEBT_ROLES) & role_b.isin(DEBT_ROLES)
    equity_pair = (role_a == "equity") & (role_b == "equity")
    consortium_pair = (((role_a == "epc") & (role_b == "equity"))
                       | ((role_a == "equity") & (role_b == "epc")))
    kind = np.select([debt_pair, equity_pair, consortium_pair],
                     ["syndicate", "sponsor_group", "consortium"], "")
    pairs = pairs.assign(kind=kind)
    pairs = pairs[pairs["kind"] != ""]

    # One tie per project and kind, dated when the later of the two joined.
    ties = pd.DataFrame({
        "project_id": pairs["project_id"],
        "source_id": pairs["client_id_a"],
        "target_id": pairs["client_id_b"],
        "kind": pairs["kind"],
        "since": np.maximum(pairs["start_date_a"], pairs["start_date_b"]),
    })
    ties = (ties.groupby(["project_id", "source_id", "target_id", "kind"], sort=True)
            ["since"].min().reset_index())
    ties["weight"] = 1.0
    return ties.drop(columns="project_id")


def _introductions(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    ids = clients["client_id"].to_numpy()
    regions = clients["region"].to_numpy()
    since = clients["relationship_since"].to_numpy()
    first = rng.integers(len(ids), size=INTRODUCTION_COUNT)
    same_region = rng.random(INTRODUCTION_COUNT) < SAME_REGION_INTRODUCTION_SHARE
    second = np.empty(INTRODUCTION_COUNT, dtype=int)
    for i, client in enumerate(first):
        pool = np.flatnonzero(regions == regions[client]) if same_region[i] \
            else np.arange(len(ids))
        second[i] = pool[rng.integers(len(pool))]
    keep = first != second
    first, second = first[keep], second[keep]

    # Introduced after both relationships began, before the as-of date.
    earliest = np.maximum(since[first], since[second])
    span_days = (reference.AS_OF.to_datetime64() - earliest) / np.timedelta64(1, "D")
    offsets = np.floor(rng.random(len(first)) * (span_days + 1))
    first_is_source = ids[first] < ids[second]
    return pd.DataFrame({
        "source_id": np.where(first_is_source, ids[first], ids[second]),
        "target_id": np.where(first_is_source, ids[second], ids[first]),
        "kind": "introduction",
        "since": earliest + offsets.astype("timedelta64[D]"),
        "weight": 1.0,
    })
