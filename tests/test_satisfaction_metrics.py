"""NPS, CSAT and CES definitions, intervals, the survey cycle and edge cases."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pfcrm_core.satisfaction import (SatisfactionError, csat_summary, latest_per_cycle,
                                     nps_category, nps_summary, satisfaction_table,
                                     wilson_interval)


def _responses(rows):
    return pd.DataFrame(rows, columns=["response_id", "client_id", "date", "nps",
                                       "csat"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def test_nps_categories_follow_definition():
    assert list(nps_category([0, 6, 7, 8, 9, 10])) == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]


def test_nps_summary_exact_score():
    # 5 promoters, 3 passives, 2 detractors: 50 % - 20 % = 30.
    result = nps_summary([10, 9, 9, 10, 9, 7, 8, 7, 3, 6])
    assert result["n"] == 10
    assert result["promoters"] == 5
    assert result["detractors"] == 2
    assert result["nps"] == pytest.approx(30.0)
    assert result["small_n"] is True


def test_nps_interval_uses_pseudo_response_variance():
    result = nps_summary([10, 9, 9, 10, 9, 7, 8, 7, 3, 6])
    p, d = 6 / 13, 3 / 13
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / 10)
    assert result["nps_se"] == pytest.approx(se)
    assert result["nps_ci_low"] == pytest.approx(30 - 1.959964 * se, abs=1e-4)


def test_nps_interval_contains_estimate_on_demo(demo_frames):
    result = nps_summary(demo_frames["feedback"]["nps"])
    assert result["nps_ci_low"] <= result["nps"] <= result["nps_ci_high"]
    assert result["small_n"] is False


def test_demo_nps_in_believable_range(demo_frames):
    table = satisfaction_table(demo_frames["feedback"])
    assert -20 <= table.loc[0, "nps"] <= 60
    assert table.loc[0, "n"] > 1000


def test_nps_no_responses_gives_nan():
    result = nps_summary([])
    assert result["n"] == 0
    assert np.isnan(result["nps"])
    assert np.isnan(result["nps_ci_low"])
    assert result["small_n"] is True


def test_nps_one_response():
    result = nps_summary([10])
    assert result["nps"] == 100.0
    assert result["nps_ci_low"] < 100.0
    assert result["nps_ci_high"] == 100.0


def test_nps_all_promoters_interval_has_width():
    result = nps_summary([9] * 40)
    assert result["nps"] == 100.0
    assert result["nps_ci_low"] < 100.0
    assert result["nps_ci_high"] == 100.0


def test_nps_out_of_range_raises():
    with pytest.raises(SatisfactionError, match=r"Column nps has 1 value\(s\) outside"):
        nps_summary([5, 11])


def test_wilson_interval_matches_scipy():
    # scipy's own Wilson implementation (BinomTestResult.proportion_ci).
    reference = stats.binomtest(81, 263).proportion_ci(0.95, method="wilson")
    low, high = wilson_interval(81, 263)
    assert float(low) == pytest.approx(reference.low, abs=1e-9)
    assert float(high) == pytest.approx(reference.high, abs=1e-9)


def test_csat_top2_and_mean():
    top2 = csat_summary([5, 4, 3, 2, 4])
    assert top2["csat"] == pytest.approx(60.0)
    assert top2["csat_ci_low"] <= 60.0 <= top2["csat_ci_high"]
    mean = csat_summary([5, 4, 3, 2, 4], method="mean")
    assert mean["csat"] == pytest.approx(3.6)
    with pytest.raises(SatisfactionError, match="Invalid CSAT method 'median'"):
        csat_summary([5], method="median")


def test_latest_response_per_client_and_quarter():
    responses = _responses([
        ("R1", "A", "2026-01-05", 2, 1),
        ("R2", "A", "2026-03-20", 10, 5),
        ("R3", "A", "2026-04-02", 6, 3),
        ("R4", "B", "2026-02-01", 9, 4),
    ])
    kept = latest_per_cycle(responses, "quarter")
    assert kept["response_id"].tolist() == ["R2", "R3", "R4"]
    assert len(latest_per_cycle(responses, None)) == 4


def test_table_by_period_and_client_type():
    responses = _responses([
        ("R1", "A", "2026-01-05", 2, 1),
        ("R2", "A", "2026-03-20", 10, 5),
        ("R3", "B", "2026-04-02", 6, 2),
        ("R4", "B", "2026-05-01", 9, 4),
    ])
    clients = pd.DataFrame({"client_id": ["A", "B"], "client_type": ["bank",
                                                                     "sponsor"]})
    table = satisfaction_table(responses, by=["client_type", "period"], clients=clients)
    assert table["client_type"].tolist() == ["bank", "sponsor"]
    assert table["period"].tolist() == ["2026Q1", "2026Q2"]
    assert table["nps"].tolist() == [100.0, 100.0]
    assert table["csat"].tolist() == [100.0, 100.0]


def test_table_ces_when_column_present():
    responses = _responses([("R1", "A", "2026-01-05", 9, 5),
                        ("R2", "B", "2026-01-06", 3, 2)]).assign(ces=[2.0, 6.0])
    table = satisfaction_table(responses)
    assert table.loc[0, "ces"] == pytest.approx(4.0)
    assert table.loc[0, "ces_n"] == 2
    assert "ces" not in satisfaction_table(responses.drop(columns="ces"))


def test_table_empty_feedback_has_columns():
    empty = _responses([])
    table = satisfaction_table(empty, by="period")
    assert table.empty
    assert {"n", "nps", "nps_ci_low", "small_n"} <= set(table.columns)


def test_table_bad_group_and_missing_segments():
    responses = _responses([("R1", "A", "2026-01-05", 9, 5)])
    with pytest.raises(SatisfactionError, match="Cannot group by 'colour'"):
        satisfaction_table(responses, by="colour")
    with pytest.raises(SatisfactionError, match="needs segment labels"):
        satisfaction_table(responses, by="segment")
    with pytest.raises(SatisfactionError, match="Invalid period 'week'"):
        satisfaction_table(responses, by="period", period="week")
