"""Holdout validation on CDNOW: table by frequency, errors, cumulative curve."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.clv import BetaGeoModel, holdout_validation, rfm_summary
from pfcrm_core.clv.datasets import (CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END,
                                     load_cdnow_revenue)


@pytest.fixture(scope="module")
def validation():
    revenue = load_cdnow_revenue()
    summary = rfm_summary(revenue, observation_end=CDNOW_OBSERVATION_END,
                          calibration_end=CDNOW_CALIBRATION_END)
    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    return summary, holdout_validation(summary, model, transactions=revenue)


def test_validation_table_by_frequency(validation):
    summary, result = validation
    table = result.by_frequency

    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["clients"].sum() == 2357
    assert table["clients"].iloc[0] == 1411
    assert np.all(np.diff(table["predicted_mean"]) > 0)
    assert np.all(np.diff(table["actual_mean"]) > 0)


def test_validation_totals_and_errors(validation):
    summary, result = validation

    assert result.actual_total == summary["frequency_holdout"].sum()
    assert result.aggregate_percentage_error == pytest.approx(
        100 * (result.predicted_total - result.actual_total) / result.actual_total)
    assert abs(result.aggregate_percentage_error) < 15
    assert 0 < result.mae <= result.rmse


def test_validation_cumulative_curve(validation):
    summary, result = validation
    curve = result.cumulative
    total_repeat = summary["frequency"].sum() + summary["frequency_holdout"].sum()

    assert len(curve) == 78
    assert curve["actual"].iloc[-1] == total_repeat
    assert np.all(np.diff(curve["actual"]) >= 0)
    assert np.all(np.diff(curve["predicted"]) > 0)
    assert curve["predicted"].iloc[-1] == pytest.approx(total_repeat, rel=0.06)
    assert not curve["holdout"].iloc[37]
    assert curve["holdout"].iloc[-1]


def test_validation_calibration_curve_matches_summary(validation):
    summary, result = validation
    curve = result.cumulative
    calibration_days = (curve["date"] <= CDNOW_CALIBRATION_END)

    assert curve.loc[calibration_days, "actual"].iloc[-1] <= summary["frequency"].sum()


def test_validation_to_dict_is_plain(validation):
    _, result = validation

    data = result.to_dict()

    assert data["by_frequency"][7]["frequency"] == "7+"
    assert isinstance(data["cumulative"][0]["date"], str)
    assert isinstance(data["mae"], float)


def test_validation_without_holdout_raises():
    summary = rfm_summary(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END)
    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])

    with pytest.raises(ValueError, match="summary has no holdout columns"):
        holdout_validation(summary, model)


def test_default_calibration_end_two_thirds():
    from pfcrm_core.clv import default_calibration_end

    end = default_calibration_end("2020-01-01", "2020-01-31")

    assert end == pd.Timestamp("2020-01-21")
