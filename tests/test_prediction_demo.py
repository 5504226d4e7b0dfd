"""The prediction models on the demo book, with the figures they reach.

Measured on the demo book of ``pfcrm_core.demo.DEFAULT_SEED``, as of 2026-09-30.
The panel has 18 labelled cut-offs from 2021-12-31 to 2026-03-31 and 9,010 client
rows, 2,037 of them with a new deal. The back-test AUC is 0.853, 0.862, 0.872 and
0.850 on the last four cut-offs, pooled 0.859, with a Brier score of 0.132, a base
rate of 0.287 and a top-decile lift of 2.96.

The fee forecast reads 24 quarters. In the back-test over horizons 1 to 4 the
seasonal naive forecast scores MAPE 10.5 % and MASE 1.09, so it is chosen. The
other candidates score 10.9 % and 1.14 (the mean of seasonal naive and
Holt-Winters), 11.9 % and 1.26 (Holt-Winters) and 12.0 % and 1.24 (seasonal
naive with drift). Choosing at each
origin from the errors known then scores MASE 1.16. The out-of-sample coverage of
the conformal 80 % and 95 % intervals is 74 % and 82 % over 38 checks: the
year-on-year changes of 2024 were larger than any before. For all revenue the
mean of seasonal naive and Holt-Winters is chosen, with MASE 0.80 against 0.94.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.prediction import forecast_fees, predict_next_deal


@pytest.fixture(scope="module")
def next_deal(demo_frames):
    return predict_next_deal(demo_frames)


def test_demo_next_deal_panel(next_deal):
    assert next_deal.as_of == pd.Timestamp("2026-09-30")
    assert len(next_deal.cutoffs) == 18
    assert next_deal.cutoffs[-1] == pd.Timestamp("2026-03-31")
    assert next_deal.train_new_deals == 2037


def test_demo_next_deal_validation(next_deal):
    validation = next_deal.validation

    assert validation.pooled_auc == pytest.approx(0.859, abs=0.005)
    assert (validation.by_cutoff["auc"] > 0.8).all()
    assert validation.brier == pytest.approx(0.132, abs=0.005)
    assert validation.top_decile_lift == pytest.approx(2.96, abs=0.05)
    gap = (validation.calibration["mean_predicted"]
           - validation.calibration["observed_rate"]).abs()
    assert gap.max() < 0.1


def test_demo_next_deal_scores(next_deal):
    scores = next_deal.scores

    assert len(scores) == 600
    assert scores["probability"].between(0, 1).all()
    assert all(len(reasons) == 3 for reasons in scores["reasons"])


def test_demo_fee_forecast(demo_frames):
    forecast = forecast_fees(demo_frames)

    assert len(forecast.history) == 24
    assert str(forecast.forecast["quarter"].iloc[0]) == "2026Q4"
    assert forecast.chosen_model == "seasonal_naive"
    assert forecast.mape == pytest.approx(10.5, abs=0.1)
    assert forecast.mase == pytest.approx(1.09, abs=0.01)
    assert forecast.naive_mase == forecast.mase
    assert forecast.selection_mase == pytest.approx(1.16, abs=0.01)
    assert forecast.coverage_checked == 38
    assert forecast.coverage_80 == pytest.approx(0.74, abs=0.01)
    assert forecast.coverage_95 == pytest.approx(0.82, abs=0.01)


def test_demo_fee_candidates(demo_frames):
    candidates = forecast_fees(demo_frames).candidates.set_index("model")

    assert candidates.loc["holt_winters", "mape"] == pytest.approx(11.9, abs=0.1)
    assert candidates.loc["holt_winters", "mase"] == pytest.approx(1.26, abs=0.01)
    assert candidates.loc["combination", "mase"] == pytest.approx(1.14, abs=0.01)
    assert candidates.loc["seasonal_naive_drift", "mase"] == pytest.approx(1.24,
                                                                           abs=0.01)


def test_demo_all_revenue_forecast(demo_frames):
    forecast = forecast_fees(demo_frames, kind=None)

    assert forecast.chosen_model == "combination"
    assert forecast.mase == pytest.approx(0.80, abs=0.01)
    assert forecast.naive_mase == pytest.approx(0.94, abs=0.01)
    assert forecast.selection_mase < forecast.naive_mase
