"""Rating parser, rule segments and RFM scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.segmentation import SegmentationError, parse_rating, rfm_scores
from pfcrm_core.segmentation.ratings import parse_ratings
from pfcrm_core.segmentation.rules import quintile_score, rating_band, rule_segments


@pytest.mark.parametrize("value, notch, scale", [
    ("AAA", 1, "s&p/fitch"),
    ("BBB-", 10, "s&p/fitch"),
    ("bbb\u2212 (stable)", 10, "s&p/fitch"),
    ("ＡＡ－", 4, "s&p/fitch"),
    ("BB+ Negative", 11, "s&p/fitch"),
    ("CCC+", 17, "s&p/fitch"),
    ("D", 22, "s&p/fitch"),
    ("SD", 22, "s&p/fitch"),
    ("Aa2", 3, "moody's"),
    ("Baa3", 10, "moody's"),
    ("BAA1", 8, "moody's"),
    ("(P)Ba1", 11, "moody's"),
    ("Caa2", 18, "moody's"),
    ("Ca", 20, "moody's"),
    ("1", 2, "internal"),
    (7, 13, "internal"),
    (10.0, 22, "internal"),
])
def test_parse_rating_known_scales(value, notch, scale):
    parsed_notch, parsed_scale = parse_rating(value)

    assert parsed_notch == notch
    assert parsed_scale == scale


@pytest.mark.parametrize("value, scale", [
    (None, "missing"), (np.nan, "missing"), ("", "missing"), ("NR", "not rated"),
    ("WR", "not rated"), ("XYZ", "unknown"), ("11", "unknown"), ("AAAA", "unknown"),
])
def test_parse_rating_missing_and_unknown(value, scale):
    notch, parsed_scale = parse_rating(value)

    assert np.isnan(notch)
    assert parsed_scale == scale


def test_sp_and_moodys_notches_agree():
    pairs = [("AA+", "Aa1"), ("A-", "A3"), ("BBB", "Baa2"), ("BB-", "Ba3"),
             ("B", "B2"), ("CCC-", "Caa3")]
    for sp, moodys in pairs:
        assert parse_rating(sp)[0] == parse_rating(moodys)[0], (sp, moodys)


def test_internal_scale_can_be_replaced():
    notch, scale = parse_rating("3", internal_scale={3: 12})

    assert notch == 12
    assert scale == "internal"


def test_parse_ratings_keeps_index():
    values = pd.Series(["A", None, "junk"], index=["x", "y", "z"])

    parsed = parse_ratings(values)

    assert list(parsed.index) == ["x", "y", "z"]
    assert parsed.loc["x", "rating_notch"] == 6
    assert parsed.loc["z", "rating_scale"] == "unknown"


def test_rating_band_boundaries():
    notches = pd.Series([1, 10, 11, 16, 17, 21, 22, np.nan])

    bands = rating_band(notches).tolist()

    assert bands == ["investment_grade", "investment_grade", "speculative_grade",
                     "speculative_grade", "distressed", "distressed", "default",
                     "unrated"]


def test_rule_segments_combine_band_and_sector():
    frame = pd.DataFrame({"rating_notch": [9, 12, np.nan],
                          "sector": ["energy", "water", None]},
                         index=["C1", "C2", "C3"])

    segments = rule_segments(frame)

    assert segments.tolist() == ["investment_grade:energy", "speculative_grade:water",
                                 "unrated:unknown"]


def _rfm_frame(count: int, recency, frequency, monetary) -> pd.DataFrame:
    index = [f"C-{i:04d}" for i in range(count)]
    return pd.DataFrame({"recency_days": recency, "frequency_12m": frequency,
                         "revenue_12m_usd": monetary}, index=index)


def test_rfm_fixed_cutoffs_for_small_book():
    frame = _rfm_frame(6, [10, 30, 31, 200, 365, np.nan], [0, 1, 4, 8, 12, 40],
                       [0, 10_000, 99_999, 500_000, 2_000_000, 5e6])

    scores, note = rfm_scores(frame)

    assert note.key == "segmentation.note.rfm_fixed"
    assert scores["recency_score"].tolist() == [5, 5, 4, 2, 2, 1]
    assert scores["frequency_score"].tolist() == [1, 2, 3, 4, 5, 5]
    assert scores["monetary_score"].tolist() == [1, 2, 2, 4, 5, 5]
    assert scores["rfm_cell"].iloc[0] == "511"
    assert scores["rfm_total"].iloc[4] == 12


def test_rfm_quintiles_for_large_book():
    rng = np.random.default_rng(3)
    count = 250
    frame = _rfm_frame(count, rng.integers(1, 400, count).astype(float),
                       rng.integers(0, 20, count), rng.lognormal(10, 1, count))

    scores, note = rfm_scores(frame)

    assert note.key == "segmentation.note.rfm_quantile"
    for column in ("recency_score", "frequency_score", "monetary_score"):
        assert scores[column].value_counts().sort_index().tolist() == [50] * 5


def test_rfm_ties_split_in_client_id_order():
    frame = _rfm_frame(10, [30.0] * 10, [3] * 10, [1000.0] * 10)
    shuffled = frame.sample(frac=1.0, random_state=1)

    scores, _ = rfm_scores(shuffled, mode="quantile")

    by_client = scores.sort_index()["frequency_score"].tolist()
    assert by_client == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_quintile_score_higher_value_scores_higher():
    values = pd.Series([5.0, 1.0, 3.0, 2.0, 4.0], index=list("abcde"))

    scores = quintile_score(values)

    assert scores.tolist() == [5, 1, 3, 2, 4]


def test_rfm_rejects_unknown_mode():
    frame = _rfm_frame(2, [1, 2], [1, 2], [1, 2])

    with pytest.raises(SegmentationError,
                       match="RFM scoring mode median is not supported"):
        rfm_scores(frame, mode="median")


def test_rfm_rejects_unordered_cutoffs():
    frame = _rfm_frame(2, [1, 2], [1, 2], [1, 2])

    with pytest.raises(SegmentationError, match="frequency cut-offs must be 4"):
        rfm_scores(frame, frequency_cutoffs=(5, 4, 3, 2))
