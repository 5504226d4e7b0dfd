"""Outreach ranking on a hand-built book: the screen, the components and the weights."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.casestudy import (CaseStudyError, OutreachSettings, committed_clients,
                                  rank_outreach)

PROJECT = "P-CASE"


def _clients() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["B-SAFE", "B-RISKY", "B-ON", "I-FUND", "S-SPON", "B-NOPD",
                      "B-LOCAL"],
        "name": ["Safe Bank", "Risky Bank", "Committed Bank", "Fund", "Sponsor",
                 "Unrated Bank", "Local Bank"],
        "client_type": ["bank", "bank", "bank", "investor", "sponsor", "bank", "bank"],
        "country": ["United Kingdom", "China", "China", "United States", "China",
                    "China", "China"],
    })


def _projects() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": [PROJECT, "P-ROAD", "P-POWER"],
        "name": ["Case road", "Old road", "Power plant"],
        "sector": ["transport", "transport", "energy"],
        "country": ["China", "China", "United Kingdom"],
        "currency": ["usd", "usd", "usd"],
        "target_funding": [1000.0, 500.0, 800.0],
    })


def _deals() -> pd.DataFrame:
    rows = [
        ("D1", "B-ON", PROJECT, "lender", 300.0),
        ("D2", "B-SAFE", "P-ROAD", "lender", 40.0),
        ("D3", "B-SAFE", "P-ROAD", "arranger", 60.0),
        ("D4", "B-SAFE", "P-POWER", "lender", 50.0),
        ("D5", "I-FUND", "P-POWER", "equity", 200.0),
        ("D6", "B-LOCAL", "P-ROAD", "lender", 10.0),
        ("D7", "S-SPON", PROJECT, "equity", 100.0),
    ]
    frame = pd.DataFrame(rows, columns=["deal_id", "client_id", "project_id", "role",
                                        "amount"])
    return frame.assign(currency="usd", start_date=pd.Timestamp("2025-01-01"))


def _credit() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["B-SAFE", "B-RISKY", "B-ON", "I-FUND", "S-SPON", "B-LOCAL"],
        "pd": [0.001, 0.03, 0.001, 0.004, 0.002, 0.002],
        "rating": ["A", "B+", "A", "BBB", "BBB+", "BBB+"],
    })


def _rank(**kwargs):
    options = {"credit": _credit(), "clv": pd.Series({"B-SAFE": 5e5, "I-FUND": 2e6,
                                                      "B-LOCAL": 1e5}),
               "strength": pd.Series({"B-LOCAL": 90.0, "B-SAFE": 10.0})}
    options.update(kwargs)
    return rank_outreach(_clients(), _deals(), _projects(), PROJECT, 600.0, **options)


def test_ranking_excludes_high_pd_bank():
    ranking = _rank()
    excluded = ranking.excluded.set_index("client_id")["reason"]
    assert "B-RISKY" not in set(ranking.ranked["client_id"])
    assert excluded["B-RISKY"] == "pd_above_cutoff"


def test_ranking_excludes_committed_client():
    ranking = _rank()
    assert "B-ON" not in set(ranking.ranked["client_id"])
    assert ranking.excluded.set_index("client_id").loc["B-ON", "reason"] == "committed"


def test_ranking_excludes_client_without_pd():
    ranking = _rank()
    assert ranking.excluded.set_index("client_id").loc["B-NOPD", "reason"] == "no_pd"


def test_ranking_keeps_only_candidate_types():
    ranking = _rank()
    listed = set(ranking.ranked["client_id"]) | set(ranking.excluded["client_id"])
    assert "S-SPON" not in listed
    assert set(ranking.ranked["client_id"]) == {"B-SAFE", "I-FUND", "B-LOCAL"}


def test_ranking_default_in_default_reason():
    credit = _credit()
    credit.loc[credit["client_id"] == "B-SAFE", "pd"] = 1.0
    ranking = _rank(credit=credit)
    excluded = ranking.excluded.set_index("client_id")
    assert excluded.loc["B-SAFE", "reason"] == "in_default"


def test_raising_cutoff_admits_risky_bank():
    ranking = _rank(settings=OutreachSettings(pd_cutoff=0.05))
    row = ranking.ranked.set_index("client_id").loc["B-RISKY"]
    assert row["c_credit"] == pytest.approx(1 - 0.03 / 0.05)


def test_components_on_known_values():
    table = _rank().ranked.set_index("client_id")
    # B-SAFE: D2 and D3 are in the sector and the country; it is not based there.
    assert table.loc["B-SAFE", "sector_deals"] == 2
    assert table.loc["B-SAFE", "country_deals"] == 2
    assert table.loc["B-SAFE", "c_fit"] == pytest.approx(0.5 * 2 / 3 + 0.5 * 2 / 3)
    # B-LOCAL is based in China: one deal plus the home bonus.
    assert table.loc["B-LOCAL", "c_fit"] == pytest.approx(0.5 * 1 / 3 + 0.5 * 2 / 3)
    # Typical ticket: median of 40, 60, 50; the cap is 15% of the 600 gap = 90.
    assert table.loc["B-SAFE", "typical_ticket_usd"] == pytest.approx(50.0)
    assert table.loc["B-SAFE", "c_ticket"] == pytest.approx(50 / 90)
    assert table.loc["I-FUND", "suggested_ticket_usd"] == pytest.approx(90.0)
    assert table.loc["B-SAFE", "c_credit"] == pytest.approx(1 - 0.001 / 0.0053)


def test_value_component_is_clv_percentile():
    table = _rank().ranked.set_index("client_id")
    assert table.loc["I-FUND", "c_value"] == pytest.approx(1.0)
    assert table.loc["B-SAFE", "c_value"] == pytest.approx(2 / 3)
    assert table.loc["B-LOCAL", "c_value"] == pytest.approx(1 / 3)


def test_score_is_weighted_mean_of_components():
    ranking = _rank()
    weights = ranking.settings.normalised_weights()
    for _, row in ranking.ranked.iterrows():
        expected = sum(weights[name] * row[f"c_{name}"] for name in weights)
        assert row["score"] == pytest.approx(expected)


def test_weights_move_the_ranking():
    by_value = _rank(settings=OutreachSettings(weights={"value": 1.0}))
    by_relationship = _rank(settings=OutreachSettings(weights={"relationship": 1.0}))
    assert by_value.ranked["client_id"].iloc[0] == "I-FUND"
    assert by_relationship.ranked["client_id"].iloc[0] == "B-LOCAL"


def test_ranks_run_from_one_by_score():
    ranked = _rank().ranked
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing


def test_tie_to_participant_gives_introduction():
    relationships = pd.DataFrame({"source_id": ["B-ON"], "target_id": ["I-FUND"]})
    table = _rank(relationships=relationships).ranked.set_index("client_id")
    assert table.loc["I-FUND", "co_lender_ties"] == 1
    assert table.loc["I-FUND", "c_relationship"] == pytest.approx(0.40)
    assert "co_lender" in table.loc["I-FUND", "reasons"]
    assert table.loc["B-SAFE", "c_relationship"] == pytest.approx(0.10)


def test_reasons_name_strong_components():
    table = _rank().ranked.set_index("client_id")
    assert table.loc["B-LOCAL", "reasons"].split(",")[0] in {"relationship", "credit"}
    assert "relationship" in table.loc["B-LOCAL", "reasons"]


def test_committed_clients_are_funding_roles():
    assert committed_clients(_deals(), PROJECT) == {"B-ON", "S-SPON"}


def test_unknown_project_raises():
    with pytest.raises(CaseStudyError, match="P-NONE is not in the projects table"):
        rank_outreach(_clients(), _deals(), _projects(), "P-NONE", 100.0,
                      credit=_credit())


@pytest.mark.parametrize("settings, message", [
    ({"weights": {"size": 1.0}}, "Unknown score component"),
    ({"weights": {"value": -1.0}}, "non-negative and not all 0"),
    ({"weights": {"value": 0.0}}, "non-negative and not all 0"),
    ({"pd_cutoff": 0.0}, "PD cut-off must be above 0"),
    ({"max_ticket_share": 1.5}, "largest ticket share"),
    ({"experience_deals": 0}, "full experience must be at least 1"),
])
def test_invalid_settings_raise(settings, message):
    with pytest.raises(CaseStudyError, match=message):
        OutreachSettings(**settings)
