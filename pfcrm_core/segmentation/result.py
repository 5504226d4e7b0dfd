"""One call from the book to segments, curves, stability, profiles and map data."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core.segmentation import clustering
from pfcrm_core.segmentation.errors import Note
from pfcrm_core.segmentation.features import FeatureTable, build_features
from pfcrm_core.segmentation.maps import pca_projection, risk_value_map
from pfcrm_core.segmentation.model import METHODS, SegmentModel, fit_segment_model
from pfcrm_core.segmentation.profiles import profile_table
from pfcrm_core.segmentation.rules import rfm_scores

logger = logging.getLogger(__name__)


@dataclass
class SegmentationResult:
    """Everything ``segment_clients`` produces.

    Attributes
    ----------
    method : str
        ``"kmeans"``, ``"gmm"`` or ``"rules"``.
    features : FeatureTable
        The client features and the date they describe.
    model : SegmentModel
        Fitted preprocessing and clustering; ``model.pipeline`` is the
        scikit-learn Pipeline.
    labels : pandas.Series
        Segment id of each client, indexed by client id.
    curves : dict of str to DataFrame
        ``"silhouette"`` (k-means) or ``"bic"`` (Gaussian mixture) when k was
        chosen automatically; empty otherwise.
    stability : dict or None
        ``mean_ari``, ``min_ari``, ``seeds`` and ``pairs`` (see
        ``clustering.stability``); None for rule segments.
    profiles : pandas.DataFrame
        One row per segment (``profiles.profile_table``).
    projection : pandas.DataFrame
        ``client_id``, ``pc1``, ``pc2``, ``segment``.
    explained_variance : list of float
        Variance share of ``pc1`` and ``pc2``.
    risk_value : pandas.DataFrame
        Risk x value map points (``maps.risk_value_map``).
    risk_value_settings : dict
        Axes and thresholds of the map.
    rfm : pandas.DataFrame
        RFM scores of each client (``rules.rfm_scores``).
    notes : list of Note
        Imputed shares, dropped columns, unknown ratings, sampling and other facts.
    """

    method: str
    features: FeatureTable
    model: SegmentModel
    labels: pd.Series
    curves: dict[str, pd.DataFrame]
    stability: dict | None
    profiles: pd.DataFrame
    projection: pd.DataFrame
    explained_variance: list[float]
    risk_value: pd.DataFrame
    risk_value_settings: dict
    rfm: pd.DataFrame
    notes: list[Note] = field(default_factory=list)

    @property
    def pipeline(self):
        """The fitted scikit-learn Pipeline (preprocessing, then the estimator)."""
        return self.model.pipeline

    @property
    def k(self) -> int:
        return int(self.labels.nunique())

    @property
    def imputed_share(self) -> pd.Series:
        return self.model.plan.imputed_share

    @property
    def dropped_columns(self) -> dict[str, str]:
        return self.model.plan.dropped

    def translated_notes(self, lang: str) -> list[tuple[str, str]]:
        """Return ``(key, message)`` of every note in ``lang`` ("en" or "zh")."""
        return [(note.key, note.message(lang)) for note in self.notes]

    def to_dict(self, *, include_clients: bool = False) -> dict:
        """Return the result as a JSON-ready dict.

        Per-client tables (labels, projection, risk x value points, RFM) are
        included only with ``include_clients=True``.
        """
        result = {
            "method": self.method,
            "as_of": f"{self.features.as_of:%Y-%m-%d}",
            "n_clients": int(len(self.labels)),
            "k": self.k,
            "random_state": self.model.random_state,
            "columns": {"money": self.model.plan.money,
                        "numeric": self.model.plan.numeric,
                        "categorical": self.model.plan.categorical},
            "imputed_share": {k: float(v) for k, v in self.imputed_share.items()},
            "dropped_columns": dict(self.dropped_columns),
            "curves": {name: _records(curve) for name, curve in self.curves.items()},
            "stability": None if self.stability is None else {
                "mean_ari": self.stability["mean_ari"],
                "min_ari": self.stability["min_ari"],
                "seeds": self.stability["seeds"],
                "pairs": _records(self.stability["pairs"])},
            "profiles": _records(self.profiles),
            "explained_variance": self.explained_variance,
            "risk_value_settings": _json_value(self.risk_value_settings),
            "notes": [note.to_dict() for note in self.notes],
        }
        if include_clients:
            result["labels"] = {str(k): v for k, v in self.labels.items()}
            result["projection"] = _records(self.projection)
            result["risk_value"] = _records(self.risk_value)
            result["rfm"] = _records(self.rfm.reset_index())
        return result


def segment_clients(store_or_frames, *, as_of=None, method: str = "kmeans",
                    k: int | None = None, clv=None, random_state: int = 42,
                    nps: str = "latest", risk_threshold: float | None = None,
                    value_threshold: float | None = None) -> SegmentationResult:
    """Segment the clients of a book as of a date.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
        The book (``features.load_tables``).
    as_of : date-like, optional
        Date of the features; default the latest date in the book.
    method : {"kmeans", "gmm", "rules"}, default "kmeans"
        K-means with k by silhouette, Gaussian mixture with k by BIC, or rule
        segments (rating band x sector).
    k : int, optional
        Number of clusters; default chosen automatically over 2..10 (k-means) or
        1..10 (Gaussian mixture). Ignored by rules.
    clv : DataFrame or ClvResult, optional
        Per-client ``clv`` and ``p_alive`` (for example ``fit_clv(...)``).
    random_state : int, default 42
        Seed of the clustering, the silhouette sample and the projection.
    nps : {"latest", "mean_12m"}, default "latest"
        Which NPS figure per client (see ``features``).
    risk_threshold, value_threshold : float, optional
        Quadrant boundaries of the risk x value map; default the medians.

    Raises
    ------
    SegmentationError
        For an unknown method, a bad k, too few clients for k, or unusable data.
    """
    if method not in METHODS:
        fit_segment_model(pd.DataFrame(), method)
    features = build_features(store_or_frames, as_of=as_of, clv=clv, nps=nps)
    frame = features.frame
    model, X = fit_segment_model(frame, method, k=k, random_state=random_state)
    labels = model.assign(frame, X)

    notes = [*features.notes, *model.plan.notes]
    curves, stability = {}, None
    if model.selection is not None:
        notes.extend(model.selection.notes)
        if model.selection.curve is None:
            notes.append(Note("segmentation.note.k_given", {"k": model.selection.k}))
        else:
            name = "silhouette" if method == "kmeans" else "bic"
            curves[name] = model.selection.curve
        stability = clustering.stability(X, method, model.selection.k)
    else:
        notes.append(Note("segmentation.note.rules_no_stability"))

    rfm, rfm_note = rfm_scores(frame)
    notes.append(rfm_note)
    projection, explained = pca_projection(X, labels, random_state)
    points, settings, map_notes = risk_value_map(
        frame, labels, risk_threshold=risk_threshold, value_threshold=value_threshold)
    notes.extend(map_notes)

    logger.info("segmented %d clients into %d segments with %s", len(frame),
                labels.nunique(), method)
    return SegmentationResult(
        method=method, features=features, model=model, labels=labels, curves=curves,
        stability=stability, profiles=profile_table(frame, labels, method=method),
        projection=projection, explained_variance=explained, risk_value=points,
        risk_value_settings=settings, rfm=rfm, notes=notes)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{str(key): _json_value(value) for key, value in record.items()}
            for record in frame.to_dict(orient="records")]


def _json_value(value):
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value
