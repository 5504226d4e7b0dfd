"""Clustering on real labelled data (wine) and the clustering contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_wine
from sklearn.metrics import adjusted_rand_score

from pfcrm_core.segmentation import SegmentationError, select_clusters, stability
from pfcrm_core.segmentation.clustering import order_by_size
from pfcrm_core.segmentation.preprocessing import (build_pipeline, model_input,
                                                   plan_columns)


@pytest.fixture(scope="module")
def wine():
    """UCI wine recognition data as shipped with scikit-learn: 178 wines, 13
    chemical measurements, 3 cultivars (Forina et al., via sklearn.datasets)."""
    data = load_wine(as_frame=True)
    frame = data.data
    plan = plan_columns(frame, money=(), numeric=tuple(frame.columns),
                        categorical=())
    X = build_pipeline(plan).fit_transform(model_input(frame, plan))
    return X, data.target.to_numpy()


def test_wine_standardised_kmeans_recovers_cultivars(wine):
    X, target = wine

    selection = select_clusters(X, "kmeans", k=3, random_state=42)

    assert adjusted_rand_score(target, selection.labels) >= 0.89


def test_wine_silhouette_picks_three(wine):
    X, _ = wine

    selection = select_clusters(X, "kmeans", random_state=42)

    assert selection.k == 3
    assert selection.curve["k"].tolist() == list(range(2, 11))
    assert selection.curve["silhouette"].idxmax() == 1


def test_wine_bic_curve_covers_one_to_ten(wine):
    X, _ = wine

    selection = select_clusters(X, "gmm", random_state=42)

    assert selection.curve["k"].tolist() == list(range(1, 11))
    assert selection.k == int(selection.curve.loc[selection.curve["bic"].idxmin(), "k"])
    assert len(np.unique(selection.labels)) <= selection.k


def test_wine_kmeans_stable_across_seeds(wine):
    X, _ = wine

    result = stability(X, "kmeans", 3)

    assert len(result["pairs"]) == 10
    assert result["min_ari"] >= 0.95
    assert result["min_ari"] <= result["mean_ari"] <= 1.0


def test_labels_ordered_by_size(wine):
    X, _ = wine

    labels = select_clusters(X, "kmeans", k=4, random_state=0).labels

    sizes = np.bincount(labels)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_predict_matches_fitted_labels(wine):
    X, _ = wine

    selection = select_clusters(X, "kmeans", k=3, random_state=7)

    assert np.array_equal(selection.predict(X), selection.labels)


def test_order_by_size_keeps_ties_in_order():
    order = order_by_size(np.array([2, 2, 0, 1, 1, 0]), 4)

    assert order.tolist() == [0, 1, 2, 3]


def test_unknown_method_rejected(wine):
    X, _ = wine

    with pytest.raises(SegmentationError, match="method dbscan is not supported"):
        select_clusters(X, "dbscan")


def test_too_few_clients_for_k():
    X = np.arange(8, dtype=float).reshape(4, 2)

    with pytest.raises(SegmentationError, match="4 clients are too few for 5"):
        select_clusters(X, "kmeans", k=5)


def test_k_below_minimum_rejected(wine):
    X, _ = wine

    with pytest.raises(SegmentationError, match="at least 2; got 1"):
        select_clusters(X, "kmeans", k=1)


def test_auto_k_range_cut_to_sample_size():
    X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])

    selection = select_clusters(X, "kmeans")

    assert selection.curve["k"].tolist() == [2, 3]
    assert selection.k == 2


def test_constant_column_dropped_with_note():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0],
                          "c": [np.nan, np.nan, np.nan]})

    plan = plan_columns(frame, money=(), numeric=("a", "b", "c"), categorical=())

    assert plan.numeric == ["a"]
    assert plan.dropped == {"b": "constant", "c": "all missing"}
    keys = [note.key for note in plan.notes]
    assert "segmentation.note.dropped_constant" in keys
    assert "segmentation.note.dropped_all_missing" in keys


def test_no_usable_column_rejected():
    frame = pd.DataFrame({"b": [5.0, 5.0]})

    with pytest.raises(SegmentationError, match="No feature column can be used: b"):
        plan_columns(frame, money=(), numeric=("b",), categorical=())
