"""Key clients: a composite of network position, lifetime value and exposure.

Each part is a percentile rank from 0 to 100 among the clients (ties share the
mean rank): ``network`` of PageRank on the client–client graph, ``clv`` of
customer lifetime value, ``exposure`` of live deal amounts in USD. The score is
the weighted mean of the parts, with the weights rescaled to sum to 1 over the
parts that have data. A client without a CLV or exposure value ranks 0 in that
part.
"""

from __future__ import annotations

import pandas as pd

from pfcrm_core import fx
from pfcrm_core.network.errors import NetworkError, Note

KEY_CLIENT_WEIGHTS = {"network": 1 / 3, "clv": 1 / 3, "exposure": 1 / 3}


def client_exposure(deals: pd.DataFrame, as_of) -> pd.Series:
    """Return each client's live deal amount in USD at ``as_of``.

    A deal is live when it started on or before ``as_of`` (or has no start date)
    and matures after it (or has no maturity date). Amounts in a currency without
    a reference rate (``fx.USD_PER_UNIT``) are left out.
    """
    if deals.empty or "amount" not in deals:
        return pd.Series(dtype=float, name="exposure")
    as_of = pd.Timestamp(as_of)
    start = pd.to_datetime(deals.get("start_date", pd.Series(pd.NaT, index=deals.index)))
    maturity = pd.to_datetime(deals.get("maturity_date",
                                        pd.Series(pd.NaT, index=deals.index)))
    live = (start.isna() | (start <= as_of)) & (maturity.isna() | (maturity > as_of))
    currency = deals.get("currency", pd.Series(None, index=deals.index))
    usd = fx.to_usd(deals["amount"], currency)
    frame = pd.DataFrame({"client_id": deals["client_id"].astype(str), "usd": usd})
    return frame[live & usd.notna()].groupby("client_id")["usd"].sum() \
        .rename("exposure")


def clv_series(clv) -> pd.Series | None:
    """Return CLV per client from a ``ClvResult``, a frame or a Series, or None.

    Raises
    ------
    NetworkError
        When a frame lacks ``client_id`` or ``clv``.
    """
    if clv is None:
        return None
    if isinstance(clv, pd.Series):
        return clv.astype(float).rename("clv")
    table = getattr(clv, "clients", clv)
    if not isinstance(table, pd.DataFrame) or not {"client_id", "clv"} <= set(table):
        raise NetworkError("network.error.bad_clv", type=type(clv).__name__)
    return table.set_index(table["client_id"].astype(str))["clv"].astype(float) \
        .rename("clv")


def percentile(values: pd.Series, index: pd.Index) -> pd.Series:
    """Return the percentile rank (0–100) of ``values`` over ``index``, NaN as 0."""
    aligned = values.reindex(index)
    ranks = aligned.rank(pct=True, method="average") * 100.0
    return ranks.fillna(0.0)


def key_client_table(client_ids, *, pagerank: pd.Series, clv: pd.Series | None,
                     exposure: pd.Series | None,
                     weights: dict[str, float] | None = None
                     ) -> tuple[pd.DataFrame, list[Note]]:
    """Score clients by network position, CLV and exposure.

    Parameters
    ----------
    client_ids : sequence of str
        The clients to score.
    pagerank, clv, exposure : pandas.Series or None
        Values indexed by client id; None (or empty) leaves the part out.
    weights : dict, optional
        Weight of ``network``, ``clv`` and ``exposure``; default a third each.

    Returns
    -------
    table : pandas.DataFrame
        Indexed by client id: ``clv`` and ``exposure``, ``network_pct``, ``clv_pct``,
        ``exposure_pct``, ``key_score`` and ``key_rank`` (1 = most important).
    notes : list of Note
        Parts left out for lack of data.
    """
    weights = _validate_weights(weights)
    index = pd.Index(list(client_ids), name="client_id")
    parts = {"network": pagerank, "clv": clv, "exposure": exposure}
    table = pd.DataFrame(index=index)
    notes = []
    used = {}
    for part, values in parts.items():
        has_data = values is not None and values.notna().any()
        if part != "network":
            table[part] = values.reindex(index) if values is not None \
                else float("nan")
        table[f"{part}_pct"] = percentile(values, index) if has_data else float("nan")
        if has_data and weights[part] > 0:
            used[part] = weights[part]
        elif not has_data:
            notes.append(Note("network.note.key_part_missing", {"part": part}))

    total = sum(used.values())
    score = pd.Series(0.0, index=index)
    for part, weight in used.items():
        score += table[f"{part}_pct"] * weight / total
    table["key_score"] = score
    table["key_rank"] = score.rank(ascending=False, method="min").astype(int)
    return table.sort_values(["key_rank"], kind="stable"), notes


def _validate_weights(weights: dict[str, float] | None) -> dict[str, float]:
    merged = dict(KEY_CLIENT_WEIGHTS)
    for part, weight in (weights or {}).items():
        if part not in merged:
            raise NetworkError("network.error.bad_key_part", value=part,
                               allowed=", ".join(KEY_CLIENT_WEIGHTS))
        if not (isinstance(weight, (int, float)) and weight >= 0):
            raise NetworkError("network.error.bad_key_weight", part=part,
                               value=weight)
        merged[part] = float(weight)
    if sum(merged.values()) <= 0:
        raise NetworkError("network.error.zero_key_weights")
    return merged
