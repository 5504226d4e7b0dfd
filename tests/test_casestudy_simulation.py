"""Simulated outreach strategies: determinism with a seed and a sensible ordering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.casestudy import (STRATEGIES, CaseStudyError, SimulationSettings,
                                  closing_curve, simulate_strategies)


def _ranked(count: int = 120, seed: int = 7) -> pd.DataFrame:
    # Scores fall with rank; a third of the candidates have a good staff tie.
    rng = np.random.default_rng(seed)
    scores = np.sort(rng.uniform(0.05, 0.95, count))[::-1]
    return pd.DataFrame({
        "client_id": [f"C{i:03d}" for i in range(count)],
        "score": scores,
        "c_relationship": np.where(np.arange(count) % 3 == 0, 0.8, 0.2),
        "suggested_ticket_usd": 10.0,
    })


SETTINGS = SimulationSettings(n_runs=400, contacts_per_month=4, horizon_months=24)


def test_same_seed_gives_same_runs():
    first = simulate_strategies(_ranked(), 150.0, SETTINGS)
    second = simulate_strategies(_ranked(), 150.0, SETTINGS)
    pd.testing.assert_frame_equal(first.runs, second.runs)
    pd.testing.assert_frame_equal(first.summary, second.summary)


def test_other_seed_changes_runs():
    first = simulate_strategies(_ranked(), 150.0, SETTINGS)
    other = simulate_strategies(_ranked(), 150.0,
                                SimulationSettings(n_runs=400, horizon_months=24,
                                                   seed=1))
    assert not first.runs["contacts"].equals(other.runs["contacts"])


def test_ranked_beats_random():
    summary = simulate_strategies(_ranked(), 150.0, SETTINGS).summary
    summary = summary.set_index("strategy")
    assert summary.loc["ranked", "contacts_p50"] < summary.loc["random", "contacts_p50"]
    assert summary.loc["ranked", "months_p50"] <= summary.loc["random", "months_p50"]
    ranked, random = summary.loc["ranked"], summary.loc["random"]
    assert ranked["share_closed"] >= random["share_closed"]
    assert (summary.loc["ranked", "funding_6m_p50"]
            > summary.loc["random", "funding_6m_p50"])


def test_broad_is_faster_but_costs_more_contacts():
    summary = simulate_strategies(_ranked(), 150.0, SETTINGS).summary
    summary = summary.set_index("strategy")
    assert summary.loc["broad", "months_p50"] < summary.loc["random", "months_p50"]
    assert summary.loc["broad", "contacts_p50"] > summary.loc["ranked", "contacts_p50"]


def test_relationships_only_uses_warm_candidates():
    result = simulate_strategies(_ranked(), 150.0, SETTINGS)
    summary = result.summary.set_index("strategy")
    assert summary.loc["relationships", "candidates"] == 40
    contacts = result.runs.loc[result.runs["strategy"] == "relationships", "contacts"]
    assert contacts.max() <= 40


def test_unreachable_gap_never_closes():
    result = simulate_strategies(_ranked(count=10), 1e6, SETTINGS)
    assert not result.runs["closed"].any()
    assert np.isinf(result.summary["months_p50"]).all()
    assert (result.runs["funding_6m"] <= 1e6).all()


def test_closed_gap_needs_no_contact():
    result = simulate_strategies(_ranked(), 0.0, SETTINGS)
    assert result.runs["closed"].all()
    assert (result.runs["contacts"] == 0).all()


def test_months_follow_contacts():
    runs = simulate_strategies(_ranked(), 150.0, SETTINGS).runs
    closed = runs[runs["closed"] & (runs["strategy"] == "ranked")]
    assert (closed["months"] == np.ceil(closed["contacts"] / 4)).all()


def test_every_row_is_labelled_simulated():
    result = simulate_strategies(_ranked(), 150.0, SETTINGS)
    assert result.runs["simulated"].all()
    assert result.summary["simulated"].all()
    assert result.summary["strategy"].tolist() == list(STRATEGIES)


def test_closing_curve_rises_to_share_closed():
    result = simulate_strategies(_ranked(), 150.0, SETTINGS)
    curve = closing_curve(result)
    for strategy in STRATEGIES:
        shares = curve.loc[curve["strategy"] == strategy, "share_closed"]
        assert shares.is_monotonic_increasing
        expected = result.summary.set_index("strategy").loc[strategy, "share_closed"]
        assert shares.iloc[-1] == pytest.approx(expected)


def test_empty_pool_never_closes():
    result = simulate_strategies(_ranked().iloc[:0], 100.0, SETTINGS)
    assert not result.runs["closed"].any()
    assert (result.runs["funding_6m"] == 0).all()


@pytest.mark.parametrize("settings, message", [
    ({"n_runs": 0}, "n_runs must be at least 1"),
    ({"contacts_per_month": 0}, "contacts_per_month must be at least 1"),
    ({"p_min": 0.6, "p_max": 0.5}, "minimum 0.6 and maximum 0.5"),
])
def test_invalid_settings_raise(settings, message):
    with pytest.raises(CaseStudyError, match=message):
        SimulationSettings(**settings)
