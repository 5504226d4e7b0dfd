"""AUC, Gini, KS, calibration and PSI against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import (RiskDataError, auc, calibration_table, discrimination,
                             gini, ks, psi, psi_band, psi_from_labels, psi_table)

Y = [0, 0, 1, 0, 1, 1]
PD = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]


def test_auc_by_pair_count():
    # Of the 9 (bad, good) pairs, 8 have the bad with the higher PD.
    assert auc(Y, PD) == pytest.approx(8 / 9)


def test_gini_is_two_auc_minus_one():
    assert gini(Y, PD) == pytest.approx(2 * 8 / 9 - 1)


def test_ks_by_hand():
    # At a cut-off of 0.5: 2/3 of the bads and 0 of the goods lie above it.
    assert ks(Y, PD) == pytest.approx(2 / 3)


def test_discrimination_dict():
    result = discrimination(Y, PD)
    assert result == {"auc": pytest.approx(8 / 9), "gini": pytest.approx(7 / 9),
                      "ks": pytest.approx(2 / 3), "n": 6, "n_bad": 3}


def test_one_class_metric_error():
    with pytest.raises(RiskDataError, match=r"6 rows has 0 bads"):
        auc([0] * 6, PD)


def test_labels_must_be_zero_one():
    with pytest.raises(ValueError, match="y_true must be 0"):
        auc([0, 2], [0.1, 0.2])


def test_calibration_table_deciles():
    rng = np.random.default_rng(5)
    pds = rng.uniform(0, 0.3, size=1000)
    y = (rng.random(1000) < pds).astype(int)
    table = calibration_table(y, pds)
    assert len(table) == 10
    assert table["count"].tolist() == [100] * 10
    assert table["bads"].sum() == y.sum()
    assert table["predicted_pd"].is_monotonic_increasing
    assert table["observed_bad_rate"].iloc[-1] > table["observed_bad_rate"].iloc[0]
    np.testing.assert_allclose(table["difference"],
                               table["observed_bad_rate"] - table["predicted_pd"])


def test_psi_of_sample_against_itself_is_zero():
    scores = np.random.default_rng(2).normal(600, 40, size=5000)
    assert psi(scores, scores) == 0.0
    assert psi_band(psi(scores, scores)) == "stable"


def test_psi_by_hand_with_given_edges():
    expected = [1, 1, 2, 2]          # shares 0.5, 0.5
    actual = [1, 2, 2, 2]            # shares 0.25, 0.75
    value = psi(expected, actual, edges=[1.5])
    by_hand = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert value == pytest.approx(by_hand)


def test_psi_floor_for_empty_bin():
    table = psi_table([1, 1, 2, 2], [2, 2, 2, 2], edges=[1.5], floor=1e-4)
    assert table["actual_count"].tolist() == [0, 4]
    first = (1e-4 - 0.5) * np.log(1e-4 / 0.5)
    assert table["psi"].iloc[0] == pytest.approx(first)
    assert np.isfinite(table["psi"]).all()


def test_psi_detects_shift():
    rng = np.random.default_rng(9)
    development = rng.normal(600, 40, size=5000)
    shifted = rng.normal(640, 40, size=5000)
    assert psi_band(psi(development, shifted)) == "significant shift"


def test_psi_bands():
    assert psi_band(0.05) == "stable"
    assert psi_band(0.1) == "some shift"
    assert psi_band(0.3) == "significant shift"


def test_psi_from_labels():
    table = psi_from_labels(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert table["bin"].tolist() == ["a", "b"]
    assert table["psi"].sum() == pytest.approx(psi([1, 1, 2, 2], [1, 2, 2, 2],
                                                   edges=[1.5]))
    assert psi_from_labels(pd.Series(["x", "y"]), ["x", "y"])["psi"].sum() == 0.0
