"""Segmentation of the seeded demo book: invariants, notes and bad input."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from pfcrm_core import fx
from pfcrm_core.clv import fit_clv
from pfcrm_core.demo import AS_OF
from pfcrm_core.segmentation import (SegmentationError, build_features,
                                     segment_clients)
from pfcrm_core.segmentation.maps import QUADRANTS, quadrant
from pfcrm_core.store import Store

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo_clv(demo_frames):
    return fit_clv(demo_frames["revenue"], observation_end=AS_OF)


@pytest.fixture(scope="module")
def kmeans_result(demo_db_path, demo_clv):
    return segment_clients(Store(demo_db_path), clv=demo_clv, random_state=42)


def test_every_client_gets_a_segment(kmeans_result, demo_frames):
    labels = kmeans_result.labels

    assert len(labels) == len(demo_frames["clients"])
    assert labels.notna().all()
    assert set(labels) == {f"S{i}" for i in range(1, kmeans_result.k + 1)}


def test_profile_sizes_sum_to_clients(kmeans_result):
    profiles = kmeans_result.profiles

    assert profiles["size"].sum() == len(kmeans_result.labels)
    assert profiles["share"].sum() == pytest.approx(1.0)


def test_profile_names_unique_in_both_languages(kmeans_result):
    profiles = kmeans_result.profiles

    assert profiles["name_en"].is_unique
    assert profiles["name_zh"].is_unique
    assert all(CJK.search(name) for name in profiles["name_zh"])
    assert all(name[0].isupper() for name in profiles["name_en"])


def test_labels_deterministic_for_seed(demo_frames, demo_clv, kmeans_result):
    again = segment_clients(demo_frames, clv=demo_clv, random_state=42)

    pd.testing.assert_series_equal(again.labels, kmeans_result.labels)


def test_silhouette_curve_and_stability(kmeans_result):
    curve = kmeans_result.curves["silhouette"]

    assert curve["k"].tolist() == list(range(2, 11))
    assert kmeans_result.k == int(curve.loc[curve["silhouette"].idxmax(), "k"])
    assert kmeans_result.stability["seeds"] == [0, 1, 2, 3, 4]
    assert 0.0 <= kmeans_result.stability["min_ari"] <= 1.0
    assert kmeans_result.stability["min_ari"] <= kmeans_result.stability["mean_ari"]


def test_imputed_share_reported(kmeans_result):
    features = kmeans_result.features.frame
    share = kmeans_result.imputed_share

    assert share["nps"] == pytest.approx(features["nps"].isna().mean())
    assert share["nps"] > 0
    assert share["exposure_usd"] == 0
    note = next(n for n in kmeans_result.notes
                if n.key == "segmentation.note.imputed_shares")
    assert "nps" in note.message("en")


def test_pipeline_is_one_sklearn_pipeline(kmeans_result):
    pipeline = kmeans_result.model.pipeline
    frame = kmeans_result.features.frame
    from pfcrm_core.segmentation.preprocessing import model_input

    raw = pipeline.predict(model_input(frame, kmeans_result.model.plan))

    assert [name for name, _ in pipeline.steps] == ["preprocess", "cluster"]
    assert len(np.unique(raw)) == kmeans_result.k


def test_projection_and_risk_value_map(kmeans_result):
    projection = kmeans_result.projection
    points = kmeans_result.risk_value

    assert len(projection) == len(kmeans_result.labels)
    assert projection[["pc1", "pc2"]].notna().all().all()
    assert len(kmeans_result.explained_variance) == 2
    assert set(points["quadrant"]) <= set(QUADRANTS)
    assert kmeans_result.risk_value_settings["risk_axis"] == "pd"
    assert kmeans_result.risk_value_settings["value_axis"] == "clv"


def test_quadrant_rule():
    risk = pd.Series([0.01, 0.05, 0.01, 0.05, 0.02])
    value = pd.Series([10.0, 10.0, 1.0, 1.0, 5.0])

    labels = quadrant(risk, value, risk_threshold=0.02, value_threshold=5.0)

    assert labels.tolist() == ["grow", "protect", "reprice", "exit", "reprice"]


def test_to_dict_is_json(kmeans_result):
    payload = kmeans_result.to_dict(include_clients=True)

    text = json.dumps(payload)

    assert payload["k"] == kmeans_result.k
    assert len(payload["labels"]) == len(kmeans_result.labels)
    assert "silhouette" in text


def test_gmm_uses_bic_curve(demo_frames, demo_clv):
    result = segment_clients(demo_frames, method="gmm", clv=demo_clv)

    assert result.curves["bic"]["k"].tolist() == list(range(1, 11))
    assert result.profiles["size"].sum() == len(result.labels)
    assert result.profiles["name_en"].is_unique


def test_rules_segments_and_names(demo_frames):
    result = segment_clients(demo_frames, method="rules")

    assert result.stability is None
    assert result.curves == {}
    assert result.profiles["name_en"].is_unique
    assert "Investment-grade energy clients" in set(result.profiles["name_en"])
    assert any(n.key == "segmentation.note.no_clv" for n in result.notes)


def test_given_k_skips_search(demo_frames):
    result = segment_clients(demo_frames, k=4)

    assert result.k == 4
    assert result.curves == {}
    assert any(n.key == "segmentation.note.k_given" for n in result.notes)


def test_constant_column_dropped_with_note(demo_frames):
    frames = dict(demo_frames)
    frames["clients"] = demo_frames["clients"].assign(region="europe")

    result = segment_clients(frames, k=3, method="kmeans")

    assert result.dropped_columns["region"] == "constant"
    assert "region" not in result.model.plan.categorical
    note = next(n for n in result.notes
                if n.key == "segmentation.note.dropped_constant")
    assert note.values == {"column": "region", "value": "europe"}


def test_unknown_ratings_reported(demo_frames):
    frames = dict(demo_frames)
    clients = demo_frames["clients"].copy()
    clients.loc[:2, "credit_rating"] = ["junk", "AAAA", "junk"]
    frames["clients"] = clients

    features = build_features(frames)

    note = next(n for n in features.notes
                if n.key == "segmentation.note.unknown_ratings")
    assert note.values["count"] == 3
    assert note.values["examples"] == "AAAA, junk"
    assert features.frame.loc[clients.loc[:2, "client_id"], "rating_notch"].isna().all()


def test_exposure_is_live_deals_in_usd(demo_frames):
    features = build_features(demo_frames)
    deals = demo_frames["deals"]
    client = features.frame["exposure_usd"].idxmax()

    live = deals[(deals["client_id"] == client) & (deals["start_date"] <= AS_OF)
                 & (deals["maturity_date"] > AS_OF)]
    expected = fx.to_usd(live["amount"], live["currency"]).sum()

    assert features.frame.loc[client, "exposure_usd"] == pytest.approx(expected)


def test_nps_mean_method_noted(demo_frames):
    latest = build_features(demo_frames, nps="latest")
    mean = build_features(demo_frames, nps="mean_12m")

    assert any(n.key == "segmentation.note.nps_mean_12m" for n in mean.notes)
    assert mean.frame["nps"].isna().sum() >= latest.frame["nps"].isna().sum()


def test_features_of_earlier_date_leave_out_later_clients(demo_frames):
    features = build_features(demo_frames, as_of="2015-01-01")
    since = demo_frames["clients"].set_index("client_id")["relationship_since"]

    assert (since.loc[features.frame.index] <= "2015-01-01").all()
    assert any(n.key == "segmentation.note.clients_not_started"
               for n in features.notes)


def test_bad_inputs_rejected(demo_frames):
    with pytest.raises(SegmentationError, match="method tree is not supported"):
        segment_clients(demo_frames, method="tree")
    with pytest.raises(SegmentationError, match="NPS method median is not supported"):
        build_features(demo_frames, nps="median")
    with pytest.raises(SegmentationError, match="No client relationship began"):
        build_features(demo_frames, as_of="1990-01-01")
    with pytest.raises(SegmentationError, match="as_of must be a date"):
        build_features(demo_frames, as_of="not a date")
    with pytest.raises(SegmentationError, match="got a list"):
        segment_clients([1, 2, 3])


def test_too_few_clients_for_k(demo_frames):
    frames = dict(demo_frames)
    frames["clients"] = demo_frames["clients"].head(5)

    with pytest.raises(SegmentationError, match="5 clients are too few for 6"):
        segment_clients(frames, k=6)


def test_clv_table_needs_columns(demo_frames):
    with pytest.raises(SegmentationError, match="clv table has no column p_alive"):
        build_features(demo_frames, clv=pd.DataFrame({"client_id": ["C-0001"],
                                                      "clv": [1.0]}))
