"""Attrition labels, the time-based model on the demo book and the rule fallback."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.i18n import translate
from pfcrm_core.satisfaction import (SatisfactionError, attrition_labels,
                                     calibration_table, fit_attrition)
from pfcrm_core.satisfaction.attrition import MAX_RULE_POINTS, RULES, rule_points


@pytest.fixture(scope="module")
def demo_attrition(demo_frames):
    return fit_attrition(demo_frames)


def _category(nps):
    return np.where(nps <= 6, "detractor", np.where(nps >= 9, "promoter", "passive"))


def test_demo_model_is_logistic_and_time_split(demo_attrition):
    result = demo_attrition
    assert result.method == "logistic"
    assert max(result.train_cutoffs) < min(result.test_cutoffs)
    assert result.events_train >= 40
    assert 0.6 < result.auc <= 1.0


def test_detractors_riskier_than_promoters(demo_attrition):
    scores = demo_attrition.scores
    responded = scores[scores["no_survey"] == 0]
    category = _category(responded["latest_nps"].to_numpy())
    mean_risk = responded.groupby(category)["risk"].mean()
    assert mean_risk["detractor"] > mean_risk["promoter"]


def test_reasons_are_translated(demo_attrition):
    reasons = demo_attrition.reason_names("zh")
    top = demo_attrition.scores.loc[0, "reason_1"]
    assert reasons.loc[0, "reason_1"] == translate(f"satisfaction.reason.{top}", "zh")
    assert top.endswith((".high", ".low"))


def test_calibration_table_covers_test_rows(demo_attrition):
    calibration = demo_attrition.calibration
    assert calibration["n"].sum() == demo_attrition.n_test
    assert calibration["mean_predicted"].is_monotonic_increasing


def test_too_few_events_falls_back_to_rules(demo_frames):
    result = fit_attrition(demo_frames, min_events=100_000)
    assert result.method == "rules"
    note = [n for n in result.notes if n.key == "satisfaction.note.too_few_events"]
    assert note[0].values["events"] == result.events_train
    assert "transparent rule points" in note[0].message()
    assert result.scores["risk"].between(0, 1).all()


def test_rule_points_are_documented_values():
    features = pd.DataFrame({
        "latest_nps": [3.0, 10.0], "nps_trend": [-3.0, 0.0],
        "open_complaints": [1.0, 0.0], "recency_days": [400.0, 10.0],
        "revenue_trend": [-2.0, 0.5], "interactions_12m": [0.0, 5.0],
    })
    points, score = rule_points(features)
    assert points[0].sum() == MAX_RULE_POINTS
    assert score[0] == 1.0
    assert score[1] == 0.0
    assert len(RULES) == points.shape[1]


def test_labels_mark_clients_without_later_activity():
    frames = {
        "clients": pd.DataFrame({"client_id": ["A", "B"]}),
        "revenue": pd.DataFrame({
            "client_id": ["A", "B", "A", "B"],
            "date": pd.to_datetime(["2024-03-01", "2024-04-01", "2025-03-01",
                                    "2026-06-30"]),
            "amount": [1.0, 1.0, 1.0, 1.0]}),
        "interactions": pd.DataFrame(columns=["client_id", "date"]),
        "deals": pd.DataFrame(columns=["client_id", "start_date"]),
        "feedback": pd.DataFrame(columns=["client_id", "date", "nps"]),
    }
    labels = attrition_labels(frames, "2025-06-30")
    assert labels.set_index("client_id")["attrited"].to_dict() == {"A": 1, "B": 0}
    with pytest.raises(SatisfactionError, match="Cut-off 2026-01-31 is too late"):
        attrition_labels(frames, "2026-01-31")


def test_calibration_table_bins():
    table = calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], bins=2)
    assert table["observed_rate"].tolist() == [0.0, 1.0]
    assert table["n"].tolist() == [2, 2]


def test_closing_dates_prefer_case_then_status():
    from pfcrm_core.satisfaction.attrition import _closing_dates

    feedback = pd.DataFrame({
        "response_id": ["R1", "R2", "R3"],
        "date": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
        "follow_up_status": ["open", "closed", "open"],
    })
    cases = pd.DataFrame({"response_id": ["R1"],
                          "closed_at": pd.to_datetime(["2026-02-01"])})

    closing = _closing_dates(feedback, cases)

    assert closing[0] == np.datetime64("2026-02-01")
    assert closing[1] == np.datetime64("2026-01-06")
    assert np.isnat(closing[2])
