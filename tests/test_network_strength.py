"""Relationship strength on hand-made interaction logs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pfcrm_core.network import NetworkError
from pfcrm_core.network import strength as S

AS_OF = pd.Timestamp("2026-09-30")


def log(rows):
    return pd.DataFrame(rows, columns=["staff", "client_id", "date", "channel"])


def test_scale_derived_analytically():
    steady = 3.0 / (1.0 - 2.0 ** (-30.0 / 90.0))
    expected = -steady / math.log(0.4)
    assert S.interaction_scale() == pytest.approx(expected)
    assert S.interaction_scale() == pytest.approx(15.8705, abs=1e-3)


def test_monthly_meetings_score_sixty():
    dates = [AS_OF - pd.Timedelta(days=30 * i) for i in range(200)]
    frame = log([("Ann", "C-1", d, "meeting") for d in dates])
    table = S.staff_client_strength(frame, AS_OF)
    assert table.loc[0, "score"] == pytest.approx(60.0, abs=0.01)
    assert table.loc[0, "band"] == "good"


def test_one_meeting_today_and_decay():
    scale = S.interaction_scale()
    today = S.staff_client_strength(log([("Ann", "C-1", AS_OF, "meeting")]), AS_OF)
    assert today.loc[0, "decayed_sum"] == pytest.approx(3.0)
    assert today.loc[0, "score"] == pytest.approx(100 * (1 - math.exp(-3 / scale)))
    old = S.staff_client_strength(
        log([("Ann", "C-1", AS_OF - pd.Timedelta(days=90), "meeting")]), AS_OF)
    assert old.loc[0, "decayed_sum"] == pytest.approx(1.5)


def test_channel_weights_and_future_ignored():
    frame = log([("Ann", "C-1", AS_OF, "call"), ("Ann", "C-1", AS_OF, "email"),
                 ("Ann", "C-1", AS_OF, "note"),
                 ("Ann", "C-1", AS_OF + pd.Timedelta(days=3), "meeting")])
    table = S.staff_client_strength(frame, AS_OF)
    assert table.loc[0, "decayed_sum"] == pytest.approx(3.5)
    assert table.loc[0, "interactions"] == 3


def test_editable_weights_keep_target():
    weights = {"meeting": 5.0, "call": 1.0}
    dates = [AS_OF - pd.Timedelta(days=30 * i) for i in range(200)]
    frame = log([("Ann", "C-1", d, "meeting") for d in dates])
    table = S.staff_client_strength(frame, AS_OF, channel_weights=weights,
                                    half_life_days=60)
    assert table.loc[0, "score"] == pytest.approx(60.0, abs=0.01)


def test_bands():
    assert list(S.strength_band([60, 59.9, 40, 39.9])) == ["good", "fair", "fair",
                                                           "poor"]


def test_trend_compares_ninety_days_earlier():
    frame = log([("Ann", "C-1", AS_OF - pd.Timedelta(days=100), "meeting"),
                 ("Ann", "C-1", AS_OF - pd.Timedelta(days=5), "meeting")])
    table = S.staff_client_strength(frame, AS_OF)
    scale = S.interaction_scale()
    before = 100 * (1 - math.exp(-3 * 2 ** (-10 / 90) / scale))
    assert table.loc[0, "score_before"] == pytest.approx(before)
    assert table.loc[0, "trend"] == pytest.approx(table.loc[0, "score"] - before)


def test_explain_lists_top_contributions():
    frame = log([("Ann", "C-1", AS_OF - pd.Timedelta(days=d), c) for d, c in
                 ((1, "email"), (2, "meeting"), (200, "meeting"), (3, "call"))])
    top = S.explain_strength(frame, "Ann", "C-1", AS_OF, top_n=2)
    assert list(top["channel"]) == ["meeting", "call"]
    assert top["share"].sum() < 1.0
    assert top.loc[0, "contribution"] == pytest.approx(3 * 2 ** (-2 / 90))


def test_invalid_settings_rejected():
    with pytest.raises(NetworkError, match="half-life must be a positive"):
        S.interaction_scale(half_life_days=0)
    with pytest.raises(NetworkError, match="positive weight for meeting"):
        S.interaction_scale({"call": 2.0})
    with pytest.raises(NetworkError, match="channel call must be a number"):
        S.validate_channel_weights({"call": -1})
    with pytest.raises(NetworkError, match="1 or more; got 0"):
        S.explain_strength(log([]), "Ann", "C-1", AS_OF, top_n=0)


def test_pair_scale_three_units_score_sixty():
    scale = S.pair_scale()
    assert float(S.strength_score(3.0, scale)) == pytest.approx(60.0)
    assert float(S.strength_score(1.0, scale)) == pytest.approx(26.32, abs=0.01)
