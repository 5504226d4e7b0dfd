"""Quarterly and monthly series with gaps filled, overall and by segment."""

import pandas as pd
import pytest

from pfcrm_core.satisfaction import SatisfactionError, satisfaction_trend


def _responses():
    return pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4"],
        "client_id": ["A", "B", "A", "B"],
        "date": pd.to_datetime(["2026-01-10", "2026-01-12", "2026-07-01",
                                "2026-08-01"]),
        "nps": [10, 3, 9, 9], "csat": [5, 2, 4, 4],
    })


def test_trend_fills_quarters_without_responses():
    trend = satisfaction_trend(_responses(), period="quarter")
    assert trend["period"].tolist() == ["2026Q1", "2026Q2", "2026Q3"]
    assert trend["n"].tolist() == [2, 0, 2]
    assert trend.loc[0, "nps"] == 0.0
    assert pd.isna(trend.loc[1, "nps"])
    assert trend.loc[2, "nps"] == 100.0


def test_trend_by_segment_has_every_period():
    segments = pd.Series({"A": "core", "B": "growth"})
    trend = satisfaction_trend(_responses(), period="month", segments=segments)
    assert set(trend["segment"]) == {"core", "growth"}
    assert (trend.groupby("segment").size() == 8).all()
    core = trend[trend["segment"] == "core"]
    assert core["n"].sum() == 2


def test_trend_change_against_previous_period(demo_frames):
    trend = satisfaction_trend(demo_frames["feedback"], period="quarter")
    expected = trend["nps"].iloc[-1] - trend["nps"].iloc[-2]
    assert trend["nps_change"].iloc[-1] == pytest.approx(expected)
    inside = trend.dropna(subset=["nps"])
    assert ((inside["nps_ci_low"] <= inside["nps"])
            & (inside["nps"] <= inside["nps_ci_high"])).all()


def test_trend_rejects_yearly_period():
    with pytest.raises(SatisfactionError, match="Invalid period 'year'"):
        satisfaction_trend(_responses(), period="year")
