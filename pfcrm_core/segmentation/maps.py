"""Data of the segment map (2-D PCA projection) and of the risk x value map.

Risk x value quadrants, with ``risk`` the PD (or the rating notch when no client
has a PD) and ``value`` the CLV (or revenue of the last 12 months without CLV):

- grow: risk at or below the risk threshold, value above the value threshold;
- protect: risk above, value above (valuable clients to keep safe);
- reprice: risk at or below, value at or below (sound but earning too little);
- exit: risk above, value at or below.

The thresholds default to the medians of the clients on the map. A client exactly
at a median counts as low risk or low value, which matters for PD, whose values
sit on a master scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from pfcrm_core.segmentation.errors import Note, SegmentationError

QUADRANTS = ("grow", "protect", "reprice", "exit")


def pca_projection(X: np.ndarray, segments: pd.Series, random_state: int = 42
                   ) -> tuple[pd.DataFrame, list[float]]:
    """Project the preprocessed matrix onto its first two principal components.

    Returns
    -------
    projection : pandas.DataFrame
        ``client_id``, ``pc1``, ``pc2`` and ``segment``, one row per client.
    explained_variance_ratio : list of float
        Share of the variance of ``X`` that each component explains.
    """
    X = np.asarray(X, dtype=float)
    components = min(2, X.shape[1], X.shape[0])
    pca = PCA(n_components=components, random_state=random_state)
    coordinates = pca.fit_transform(X)
    if components < 2:
        coordinates = np.column_stack([coordinates, np.zeros((len(X), 2 - components))])
    projection = pd.DataFrame({"client_id": segments.index.to_numpy(),
                               "pc1": coordinates[:, 0], "pc2": coordinates[:, 1],
                               "segment": segments.to_numpy()})
    ratios = [float(r) for r in pca.explained_variance_ratio_]
    return projection, ratios


def risk_value_map(frame: pd.DataFrame, segments: pd.Series, *,
                   risk_threshold: float | None = None,
                   value_threshold: float | None = None
                   ) -> tuple[pd.DataFrame, dict, list[Note]]:
    """Return the risk x value map data with quadrant labels.

    Parameters
    ----------
    frame : pandas.DataFrame
        Feature frame indexed by client id with ``pd`` or ``rating_notch``,
        ``clv`` or ``revenue_12m_usd``, and ``exposure_usd``.
    segments : pandas.Series
        Segment id of each client.
    risk_threshold, value_threshold : float, optional
        Quadrant boundaries in the units of the axes (PD as a fraction, value in
        USD); default the medians.

    Returns
    -------
    points : pandas.DataFrame
        ``client_id``, ``segment``, ``risk``, ``value``, ``exposure_usd`` (bubble
        size) and ``quadrant``; clients lacking a risk or value figure are left out.
    settings : dict
        ``risk_axis``, ``value_axis``, ``risk_threshold``, ``value_threshold`` and
        ``threshold_source`` (``"median"`` or ``"given"``, per axis).
    notes : list of Note
    """
    notes = []
    risk_axis = "pd"
    if "pd" not in frame or frame["pd"].notna().sum() == 0:
        risk_axis = "rating_notch"
        notes.append(Note("segmentation.note.risk_axis_rating"))
    value_axis = "clv" if "clv" in frame else "revenue_12m_usd"

    points = pd.DataFrame({
        "client_id": frame.index.to_numpy(),
        "segment": segments.reindex(frame.index).to_numpy(),
        "risk": pd.to_numeric(frame[risk_axis], errors="coerce").to_numpy(),
        "value": pd.to_numeric(frame[value_axis], errors="coerce").to_numpy(),
        "exposure_usd": frame["exposure_usd"].to_numpy(dtype=float),
    })
    complete = points["risk"].notna() & points["value"].notna()
    if (~complete).any():
        notes.append(Note("segmentation.note.map_rows_left_out",
                          {"count": int((~complete).sum())}))
    points = points[complete].reset_index(drop=True)

    risk_cut = _threshold("risk_threshold", risk_threshold, points["risk"])
    value_cut = _threshold("value_threshold", value_threshold, points["value"])
    points["quadrant"] = quadrant(points["risk"], points["value"], risk_cut, value_cut)
    settings = {"risk_axis": risk_axis, "value_axis": value_axis,
                "risk_threshold": risk_cut, "value_threshold": value_cut,
                "threshold_source": {
                    "risk": "median" if risk_threshold is None else "given",
                    "value": "median" if value_threshold is None else "given"}}
    return points, settings, notes


def _threshold(name: str, given, values: pd.Series) -> float:
    if given is None:
        return float(values.median()) if len(values) else float("nan")
    try:
        return float(given)
    except (TypeError, ValueError):
        raise SegmentationError("segmentation.error.bad_threshold", name=name,
                                value=repr(given)) from None


def quadrant(risk: pd.Series, value: pd.Series, risk_threshold: float,
             value_threshold: float) -> np.ndarray:
    """Return ``grow``, ``protect``, ``reprice`` or ``exit`` for each point."""
    high_risk = risk.to_numpy() > risk_threshold
    high_value = value.to_numpy() > value_threshold
    return np.select([~high_risk & high_value, high_risk & high_value,
                      ~high_risk & ~high_value], QUADRANTS[:3], default="exit")
