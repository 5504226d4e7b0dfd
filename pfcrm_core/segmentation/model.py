"""A fitted segmentation: the preprocessing pipeline plus a clustering or the rules.

``fit_segment_model`` fits on the features of one date; ``SegmentModel.assign``
then places the clients of any date in those segments, which is what a migration
matrix between two dates needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from pfcrm_core.segmentation import clustering, rules
from pfcrm_core.segmentation.errors import SegmentationError
from pfcrm_core.segmentation.preprocessing import (ColumnPlan, build_pipeline,
                                                   model_input, plan_columns)

METHODS = ("kmeans", "gmm", "rules")


@dataclass
class SegmentModel:
    """Preprocessing and segment assignment fitted on one date's features.

    Attributes
    ----------
    method : str
        ``"kmeans"``, ``"gmm"`` or ``"rules"``.
    plan : ColumnPlan
        Columns of the pipeline, imputed shares and dropped columns.
    preprocessor : sklearn.compose.ColumnTransformer
        The fitted preprocessing (see ``preprocessing``).
    selection : ClusterSelection or None
        The fitted clustering; None for rule segments.
    random_state : int
        Seed of the clustering and of the projection.
    """

    method: str
    plan: ColumnPlan
    preprocessor: ColumnTransformer
    selection: clustering.ClusterSelection | None
    random_state: int

    @property
    def pipeline(self) -> Pipeline:
        """The preprocessing and the estimator as one fitted scikit-learn Pipeline.

        Its ``predict`` returns the estimator's own cluster numbers; ``assign``
        returns segment ids ordered by size.
        """
        steps = [("preprocess", self.preprocessor)]
        if self.selection is not None:
            steps.append(("cluster", self.selection.estimator))
        return Pipeline(steps)

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Return the preprocessed matrix of a feature frame."""
        return self.preprocessor.transform(model_input(frame, self.plan))

    def assign(self, frame: pd.DataFrame, X: np.ndarray | None = None) -> pd.Series:
        """Return the segment id of each client of ``frame`` (indexed by client id).

        Cluster segments are ``"S1"`` (the largest at fit time) to ``"Sk"``; rule
        segments are ``"<rating band>:<sector>"``.
        """
        if self.selection is None:
            return rules.rule_segments(frame)
        X = self.transform(frame) if X is None else X
        return segment_ids(self.selection.predict(X), frame.index)


def segment_ids(labels: np.ndarray, index: pd.Index) -> pd.Series:
    """Return cluster numbers 0..k-1 as segment ids ``S1``..``Sk``."""
    ids = np.char.add("S", (np.asarray(labels) + 1).astype(str))
    return pd.Series(ids.astype(object), index=index, name="segment")


def fit_segment_model(frame: pd.DataFrame, method: str = "kmeans", *,
                      k: int | None = None, random_state: int = 42,
                      plan: ColumnPlan | None = None) -> tuple[SegmentModel,
                                                               np.ndarray]:
    """Fit the preprocessing and the segments to one date's features.

    Parameters
    ----------
    frame : pandas.DataFrame
        Feature frame indexed by client id (``FeatureTable.frame``).
    method : {"kmeans", "gmm", "rules"}
        Clustering method or rule segments.
    k : int, optional
        Number of clusters; default chosen by silhouette or BIC. Ignored by rules.
    random_state : int, default 42
        Seed of every estimator and sample.
    plan : ColumnPlan, optional
        Columns to use; default ``plan_columns(frame)``.

    Returns
    -------
    (SegmentModel, numpy.ndarray)
        The model and the preprocessed matrix of ``frame``.

    Raises
    ------
    SegmentationError
        For an unknown method, a bad k, or too few clients for k.
    """
    if method not in METHODS:
        raise SegmentationError("segmentation.error.unknown_method", method=method,
                                allowed=", ".join(METHODS))
    plan = plan_columns(frame) if plan is None else plan
    preprocessor = build_pipeline(plan)
    X = preprocessor.fit_transform(model_input(frame, plan))

    selection = None
    if method != "rules":
        selection = clustering.select_clusters(X, method, k=k,
                                               random_state=random_state)
    model = SegmentModel(method=method, plan=plan, preprocessor=preprocessor,
                         selection=selection, random_state=random_state)
    return model, X
