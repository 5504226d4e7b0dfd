"""Loop metrics on a hand-made cases table, with values worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.feedback import (contact_within_sla, loop_summary,
                                 nps_change_after_case, repeat_issues,
                                 resolution_rates, root_cause_pareto)
from pfcrm_core.satisfaction import SatisfactionError

NaT = pd.NaT


def _cases():
    return pd.DataFrame({
        "case_id": ["K1", "K2", "K3", "K4", "K5"],
        "client_id": ["A", "A", "B", "C", "B"],
        "response_id": ["R1", "R3", "R4", "R6", None],
        "opened_at": pd.to_datetime(["2026-01-05", "2026-06-01", "2026-02-02",
                                     "2026-09-21", "2026-03-02"]),
        "due_at": pd.to_datetime(["2026-01-12", "2026-06-08", "2026-02-09",
                                  "2026-09-28", "2026-03-09"]),
        "first_contact_at": pd.to_datetime(["2026-01-09", "2026-06-10", NaT, NaT,
                                            "2026-03-03"]),
        "closed_at": pd.to_datetime(["2026-02-01", NaT, "2026-03-01", NaT,
                                     "2026-03-20"]),
        "status": ["closed", "in progress", "closed", "open", "closed"],
        "root_cause": ["pricing", "pricing", "kyc", None, "drawdown"],
        "resolved": [True, None, False, None, True],
    })


def _feedback():
    return pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4", "R5", "R6"],
        "client_id": ["A", "A", "A", "B", "B", "C"],
        "date": pd.to_datetime(["2026-01-02", "2026-04-01", "2026-05-29",
                                "2026-01-30", "2026-07-01", "2026-09-18"]),
        "nps": [3, 9, 5, 6, 6, 2],
    })


def test_contact_within_sla_exact():
    # Detractor cases K1..K4 (K5 has no response). As of 2026-09-25, K4 is not yet
    # due and not contacted, so 3 are due; only K1 was contacted in time.
    result = contact_within_sla(_cases(), _feedback(), as_of="2026-09-25")
    assert result == {"n_cases": 4, "n_pending": 1, "n_due": 3, "n_within_sla": 1,
                      "share_within_sla": pytest.approx(1 / 3)}


def test_contact_within_sla_all_cases_without_feedback():
    result = contact_within_sla(_cases(), as_of="2026-09-30")
    assert result["n_due"] == 5
    assert result["n_within_sla"] == 2


def test_resolution_rates_exact():
    result = resolution_rates(_cases())
    assert result["n_closed"] == 3
    assert result["n_resolved"] == 2
    assert result["resolved_share"] == pytest.approx(0.4)
    assert result["resolved_of_closed"] == pytest.approx(2 / 3)


def test_root_cause_pareto_weighted_by_exposure():
    exposure = pd.DataFrame({"client_id": ["A", "B"], "exposure": [100.0, 300.0]})
    table = root_cause_pareto(_cases(), exposure, lang="zh")
    # kyc 300, drawdown 300, pricing 200 (two cases of A), unknown 0 (C).
    assert table["root_cause"].tolist() == ["drawdown", "kyc", "pricing", "unknown"]
    assert table["weight"].tolist() == [300.0, 300.0, 200.0, 0.0]
    assert table["cumulative_share"].tolist() == pytest.approx([0.375, 0.75, 1.0,
                                                                1.0])
    assert table.loc[2, "name"] == "定价"


def test_root_cause_pareto_counts_without_exposure():
    table = root_cause_pareto(_cases())
    assert table.loc[0, "root_cause"] == "pricing"
    assert table.loc[0, "n_cases"] == 2
    assert table.loc[0, "share"] == pytest.approx(0.4)


def test_repeat_issues_within_window():
    table, summary = repeat_issues(_cases(), window_days=365)
    assert table[["client_id", "root_cause", "n_cases", "n_repeats"]].values.tolist() \
        == [["A", "pricing", 2, 1]]
    assert summary["repeat_share"] == pytest.approx(0.2)
    _, short = repeat_issues(_cases(), window_days=30)
    assert short["n_repeats"] == 0


def test_nps_change_at_next_survey():
    per_case, summary = nps_change_after_case(_cases(), _feedback())
    per_case = per_case.set_index("case_id")
    assert per_case.loc["K1", "next_response_id"] == "R2"
    assert per_case.loc["K1", "change"] == 6.0
    assert per_case.loc["K3", "change"] == 0.0
    assert np.isnan(per_case.loc["K2", "change"])
    overall = summary.set_index("resolved").loc["all"]
    assert overall["n_next"] == 2
    assert overall["mean_change"] == pytest.approx(3.0)
    # Before: two detractors (-100); after: one promoter, one detractor (0).
    assert overall["nps_change"] == pytest.approx(100.0)


def test_loop_summary_and_bad_cases():
    summary = loop_summary(_cases(), _feedback(), as_of="2026-09-25")
    assert summary["n_within_sla"] == 1
    assert summary["cases_n_resolved"] == 2
    assert summary["nps_change"] == pytest.approx(100.0)
    broken = _cases().assign(status=["closed", "done", "open", "open", "open"])
    with pytest.raises(SatisfactionError, match="Invalid case status 'done'"):
        resolution_rates(broken)
    with pytest.raises(SatisfactionError, match="has no column root_cause"):
        resolution_rates(_cases().drop(columns="root_cause"))
