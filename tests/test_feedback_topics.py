"""Character n-gram topics: determinism, labels and NPS impact."""

import pandas as pd
import pytest

from pfcrm_core.feedback import comment_topics, fit_topics, topic_impact
from pfcrm_core.satisfaction import SatisfactionError


@pytest.fixture(scope="module")
def demo_topics(demo_frames):
    return comment_topics(demo_frames["feedback"], n_topics=8)


def test_topics_are_deterministic(demo_frames):
    first, _ = comment_topics(demo_frames["feedback"], n_topics=6)
    second, _ = comment_topics(demo_frames["feedback"], n_topics=6)
    pd.testing.assert_frame_equal(first.terms, second.terms)
    pd.testing.assert_frame_equal(first.assignments, second.assignments)


def test_labels_use_top_ngrams_without_overlap(demo_topics):
    model, _ = demo_topics
    assert (model.labels != "").all()
    for _, terms in model.terms.groupby("topic"):
        words = terms["term"].tolist()
        for i, word in enumerate(words):
            assert not any(word in other for other in words[:i] + words[i + 1:])


def test_impact_has_counts_and_spread(demo_topics, demo_frames):
    _, impact = demo_topics
    commented = demo_frames["feedback"]["comment"].notna().sum()
    assert impact["n"].sum() == commented
    assert impact["nps_difference"].min() < -10
    assert impact["nps_difference"].max() > 10
    assert impact["nps_difference"].is_monotonic_increasing


def test_chinese_and_english_topics_without_segmenter():
    comments = (["审批流程太慢，希望提高效率。"] * 20 + ["报价缺乏竞争力。"] * 20
                + ["Credit approval took far too long."] * 20)
    model = fit_topics(comments, n_topics=3)
    assert model.assignments["topic"].nunique() == 3
    impact = topic_impact(model, [2] * 20 + [5] * 20 + [9] * 20)
    assert sorted(impact["n"]) == [20, 20, 20]


def test_topics_edge_cases():
    with pytest.raises(SatisfactionError, match="Only 1 non-empty comments"):
        fit_topics(["one", "", None], n_topics=2)
    model = fit_topics(["slow credit", "slow credit", "great team", "great team",
                        None], n_topics=2)
    assert model.assignments["has_text"].tolist() == [True] * 4 + [False]
    with pytest.raises(SatisfactionError, match="Got 3 scores for 5 comments"):
        topic_impact(model, [1, 2, 3])
