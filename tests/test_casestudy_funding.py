"""Funding in place on known dates: cumulative amounts, rate, pace and projection."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pfcrm_core.casestudy import CaseStudyError, funding_deals, funding_in_place
from pfcrm_core.casestudy.project import project_card

PROJECT = "P-CASE"


def _projects(target: float = 1000.0) -> pd.DataFrame:
    return pd.DataFrame({"project_id": [PROJECT], "name": ["Case"],
                         "sector": ["transport"], "country": ["China"],
                         "stage": ["structuring"], "currency": ["cny"],
                         "total_cost": [2000.0], "target_funding": [target],
                         "funded_amount": [600.0],
                         "financial_close_date": [pd.NaT]})


def _deals() -> pd.DataFrame:
    rows = [
        ("D1", "C1", "lender", 200.0, "cny", "2025-03-01"),
        ("D2", "C2", "equity", 100.0, "cny", "2025-11-15"),
        ("D3", "C3", "arranger", 300.0, "cny", "2026-06-30"),
        ("D4", "C4", "advisor", 999.0, "cny", "2026-01-01"),
        ("D5", "C5", "lender", 500.0, "cny", "2027-01-01"),
    ]
    frame = pd.DataFrame(rows, columns=["deal_id", "client_id", "role", "amount",
                                        "currency", "start_date"])
    return frame.assign(project_id=PROJECT)


CNY = 0.139


def test_committed_amount_at_as_of():
    funding = funding_in_place(_projects(), _deals(), PROJECT, "2026-09-30")
    assert funding.committed_usd == pytest.approx(600 * CNY)
    assert funding.target_usd == pytest.approx(1000 * CNY)
    assert funding.rate == pytest.approx(0.6)
    assert funding.gap_usd == pytest.approx(400 * CNY)


def test_timeline_is_cumulative_by_date():
    funding = funding_in_place(_projects(), _deals(), PROJECT, "2026-09-30")
    timeline = funding.timeline
    assert timeline["deal_id"].tolist() == ["D1", "D2", "D3"]
    assert timeline["rate"].tolist() == pytest.approx([0.2, 0.3, 0.6])
    assert timeline["committed_usd"].iloc[-1] == pytest.approx(funding.committed_usd)


def test_rate_on_an_earlier_date():
    funding = funding_in_place(_projects(), _deals(), PROJECT, "2025-12-31")
    assert funding.rate == pytest.approx(0.3)


def test_non_funding_roles_are_ignored():
    rows = funding_deals(_deals(), PROJECT)
    assert "D4" not in set(rows["deal_id"])


def test_pace_and_projection():
    funding = funding_in_place(_projects(), _deals(), PROJECT, "2026-09-30")
    # Deals D2 and D3 lie in the 12 months to the as-of date: 400 CNY.
    assert funding.pace_usd_per_month == pytest.approx(400 * CNY / 12)
    assert funding.months_to_target == pytest.approx(12.0)
    assert funding.projected_date == pd.Timestamp("2027-09-30")


def test_no_recent_commitment_gives_no_projection():
    funding = funding_in_place(_projects(), _deals(), PROJECT, "2026-09-30",
                               pace_months=1)
    assert funding.pace_usd_per_month == 0.0
    assert math.isnan(funding.months_to_target)
    assert funding.projected_date is None


def test_closed_gap_has_zero_months():
    funding = funding_in_place(_projects(target=500.0), _deals(), PROJECT,
                               "2026-09-30")
    assert funding.gap_usd == 0.0
    assert funding.rate == pytest.approx(1.2)
    assert funding.months_to_target == 0.0


def test_project_without_deals_has_zero_rate():
    funding = funding_in_place(_projects(), _deals().iloc[:0], PROJECT, "2026-09-30")
    assert funding.timeline.empty
    assert funding.rate == 0.0
    assert funding.gap_usd == pytest.approx(1000 * CNY)


def test_card_converts_amounts_to_usd():
    card = project_card(_projects(), PROJECT)
    assert card["total_cost_usd"] == pytest.approx(2000 * CNY)
    assert card["funded_usd"] == pytest.approx(600 * CNY)
    assert card["stage"] == "structuring"


def test_missing_target_raises():
    with pytest.raises(CaseStudyError, match="no positive funding target"):
        funding_in_place(_projects(target=0.0), _deals(), PROJECT, "2026-09-30")


def test_bad_pace_window_raises():
    with pytest.raises(CaseStudyError, match="at least 1 month; received 0"):
        funding_in_place(_projects(), _deals(), PROJECT, "2026-09-30", pace_months=0)


def test_unknown_project_raises():
    with pytest.raises(CaseStudyError, match="P-X is not in the projects table"):
        funding_in_place(_projects(), _deals(), "P-X", "2026-09-30")
