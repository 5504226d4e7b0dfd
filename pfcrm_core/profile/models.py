"""One client's view of each fitted model: CLV, risk and return, segment, network
position and attrition risk. Each function returns None when the model's result
has no row for the client.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.network.paths import warm_introductions
from pfcrm_core.network.strength import explain_strength
from pfcrm_core.profile.tables import client_rows

TOP_TIES = 5
WARM_PATHS = 3


def clv_view(clv_clients: pd.DataFrame, client_id: str) -> dict | None:
    """Return the client's row of ``ClvResult.clients`` as a dict; None when absent.

    A client without revenue up to the observation end has no row.
    """
    rows = client_rows(clv_clients, client_id)
    if rows.empty:
        return None
    return rows.iloc[0].to_dict()


def risk_view(risk_table: pd.DataFrame, client_id: str) -> dict | None:
    """Return the client's row of ``raroc.risk_return_table`` as a dict.

    The row carries score, pd, pd_source, grade, rating, lgd, ead, el, capital,
    raroc, above_hurdle and quadrant, among others. None when the client has no
    credit row on or before the book's date.
    """
    rows = client_rows(risk_table, client_id)
    if rows.empty:
        return None
    view = rows.iloc[0].to_dict()
    view["hurdle"] = risk_table.attrs.get("hurdle")
    return view


def segment_view(result, offers: pd.DataFrame, client_id: str) -> dict | None:
    """Return the client's segment, its profile names and the segment's offer.

    Parameters
    ----------
    result : SegmentationResult
        The segmentation the Segments page shows.
    offers : pandas.DataFrame
        ``segmentation.default_offers(result.profiles)``.

    Returns
    -------
    dict or None
        segment, size, name_en, name_zh, offer_key, offer_en, offer_zh and
        method; None when the client was not segmented.
    """
    labels = result.labels
    if str(client_id) not in set(labels.index.astype(str)):
        return None
    segment = labels[labels.index.astype(str) == str(client_id)].iloc[0]
    profile = result.profiles[result.profiles["segment"] == segment].iloc[0]
    offer = offers[offers["segment"] == segment]
    view = {"segment": segment, "method": result.method,
            "size": int(profile["size"]), "name_en": profile["name_en"],
            "name_zh": profile["name_zh"], "as_of": result.features.as_of}
    for column in ("offer_key", "offer_en", "offer_zh"):
        view[column] = offer[column].iloc[0] if not offer.empty else None
    return view


@dataclass
class NetworkView:
    """The client's place in the network.

    Attributes
    ----------
    measures : dict
        The client's row of ``NetworkAnalysis.nodes``: centralities, community
        (0-based), key_rank, tier and others.
    communities : int
        Number of communities in the book.
    ties : pandas.DataFrame
        The strongest client–client ties: client_id, name, strength, band,
        trend, evidence_summary and evidence (the ``(kind, reference, weight)``
        tuples), strongest first.
    staff : pandas.DataFrame
        Staff ties from ``staff_client_strength``: staff, interactions,
        last_date, score, band, trend; strongest first.
    staff_reasons : pandas.DataFrame
        The interactions behind the strongest staff tie (``explain_strength``).
    warm_paths : pandas.DataFrame
        Up to three chains from our staff to the client (``warm_introductions``).
    """

    measures: dict
    communities: int
    ties: pd.DataFrame
    staff: pd.DataFrame
    staff_reasons: pd.DataFrame
    warm_paths: pd.DataFrame


def network_view(analysis, interactions: pd.DataFrame, client_id: str, *,
                 top: int = TOP_TIES) -> NetworkView | None:
    """Return the client's measures, strongest ties, staff and warm paths.

    None when the client is not a node of the analysed network.
    """
    client_id = str(client_id)
    if client_id not in set(analysis.nodes.index.astype(str)):
        return None
    measures = analysis.nodes.loc[client_id].to_dict()
    staff = client_rows(analysis.staff_strength, client_id)
    staff = staff.sort_values(["score", "staff"], ascending=[False, True],
                              kind="stable", ignore_index=True)
    reasons = pd.DataFrame()
    if not staff.empty:
        reasons = explain_strength(
            interactions, staff["staff"].iloc[0], client_id,
            analysis.settings["as_of"],
            channel_weights=analysis.settings.get("channel_weights"),
            half_life_days=analysis.settings.get("half_life_days", 90.0))
    return NetworkView(
        measures=measures, communities=len(analysis.communities.communities),
        ties=_client_ties(analysis.edges, client_id, top), staff=staff,
        staff_reasons=reasons,
        warm_paths=warm_introductions(analysis.graph, client_id, count=WARM_PATHS))


def _client_ties(edges: pd.DataFrame, client_id: str, top: int) -> pd.DataFrame:
    columns = ["client_id", "name", "strength", "band", "trend", "evidence_summary",
               "evidence"]
    if edges.empty:
        return pd.DataFrame(columns=columns)
    mine = edges[(edges["edge_type"] == "client")
                 & ((edges["source"] == client_id) | (edges["target"] == client_id))]
    other_is_target = mine["source"] == client_id
    ties = pd.DataFrame({
        "client_id": np.where(other_is_target, mine["target"], mine["source"]),
        "name": np.where(other_is_target, mine["target_name"], mine["source_name"]),
        "strength": mine["strength"].to_numpy(dtype=float),
        "band": mine["band"].to_numpy(), "trend": mine["trend"].to_numpy(),
        "evidence_summary": mine["evidence_summary"].to_numpy(),
        "evidence": mine["evidence"].to_numpy()})
    ties = ties.sort_values(["strength", "client_id"], ascending=[False, True],
                            kind="stable")
    return ties.head(top).reset_index(drop=True)


def attrition_view(result, client_id: str) -> dict | None:
    """Return the client's attrition risk and reasons from an ``AttritionResult``.

    Returns
    -------
    dict or None
        risk, method ("logistic": a probability over the horizon; "rules": a
        score in [0, 1]), reasons (reason names, e.g. ``recency_days.high``),
        rank (1 = highest risk), clients (how many were scored) and as_of.
        None when the client was not active at the scoring date.
    """
    scores = result.scores
    rows = scores[scores["client_id"].astype(str) == str(client_id)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    reasons = [row[f"reason_{i}"] for i in (1, 2, 3)
               if isinstance(row[f"reason_{i}"], str) and row[f"reason_{i}"]]
    rank = int((scores["risk"] > row["risk"]).sum()) + 1
    return {"risk": float(row["risk"]), "method": result.method, "reasons": reasons,
            "rank": rank, "clients": int(len(scores)), "as_of": result.as_of}


def next_deal_view(result, client_id: str) -> dict | None:
    """Return the client's probability of a new deal and its reasons.

    Parameters
    ----------
    result : NextDealResult
        ``prediction.predict_next_deal`` on the whole book.
    client_id : str

    Returns
    -------
    dict or None
        probability (0..1, over ``horizon_months`` after ``as_of``), rank (1 =
        most likely), clients (how many were scored), horizon_months, as_of,
        reasons (``prediction.Reason``, largest contribution first) and
        pooled_auc of the back-test. None when the client had no relationship at
        the scoring date.
    """
    scores = result.scores
    rows = scores[scores["client_id"].astype(str) == str(client_id)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    rank = int((scores["probability"] > row["probability"]).sum()) + 1
    return {"probability": float(row["probability"]), "rank": rank,
            "clients": len(scores), "horizon_months": result.horizon_months,
            "as_of": result.as_of, "reasons": list(row["reasons"]),
            "pooled_auc": result.validation.pooled_auc}
