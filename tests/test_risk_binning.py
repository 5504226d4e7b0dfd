"""WoE/IV binning: exact figures on the German credit data and every edge case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import RiskDataError, WoEBinner, iv_strength, woe_iv

GERMAN = Path(__file__).resolve().parent / "data" / "germancredit.csv"


@pytest.fixture(scope="module")
def german():
    frame = pd.read_csv(GERMAN)
    return frame.drop(columns="creditability"), frame["creditability"]


def test_german_checking_account_iv_exact(german):
    # The published check figure for this column with its four raw categories as
    # bins over all 1,000 rows (no bin is empty, so no smoothing applies).
    X, y = german
    column = "status_of_existing_checking_account"
    counts = pd.crosstab(X[column], y)
    assert (counts > 0).all().all()

    _, iv_parts = woe_iv(counts["good"], counts["bad"])
    assert iv_parts.sum() == pytest.approx(0.666012, abs=1e-6)

    binner = WoEBinner(variables=[column], bad_value="bad").fit(X, y)
    assert len(binner.binnings_[column].labels) == 4
    assert binner.iv_[column] == pytest.approx(0.666012, abs=1e-6)


def test_woe_sign_convention(german):
    # WoE = ln(%good / %bad): the safest category has the highest WoE.
    X, y = german
    binner = WoEBinner(variables=["status_of_existing_checking_account"],
                       bad_value="bad").fit(X, y)
    table = binner.binning_table("status_of_existing_checking_account")
    safest = table.loc[table["bad_rate"].idxmin()]
    riskiest = table.loc[table["bad_rate"].idxmax()]
    assert safest["woe"] == table["woe"].max()
    assert riskiest["woe"] == table["woe"].min()
    assert safest["woe"] > 0 > riskiest["woe"]


def test_woe_iv_formula_by_hand():
    woe, iv = woe_iv([60, 40], [10, 30])
    expected_woe = np.log(np.array([0.6, 0.4]) / np.array([0.25, 0.75]))
    np.testing.assert_allclose(woe, expected_woe)
    np.testing.assert_allclose(iv, (np.array([0.6, 0.4]) - [0.25, 0.75]) * expected_woe)


def test_smoothing_for_bin_without_bads():
    # Bin 1 has no bads: its counts become 20.5 good and 0.5 bad.
    woe, iv = woe_iv([20, 80], [0, 20])
    good = np.array([20.5, 80.0])
    bad = np.array([0.5, 20.0])
    expected = np.log((good / good.sum()) / (bad / bad.sum()))
    np.testing.assert_allclose(woe, expected)
    assert np.isfinite(woe).all()
    assert np.isfinite(iv).all()


def test_smoothing_for_bin_without_goods():
    woe, _ = woe_iv([50, 0], [10, 5])
    assert np.isfinite(woe).all()
    assert woe[1] < woe[0]


def test_iv_strength_bands():
    assert iv_strength(0.01) == "useless"
    assert iv_strength(0.05) == "weak"
    assert iv_strength(0.2) == "medium"
    assert iv_strength(0.4) == "strong"
    assert iv_strength(0.6) == "very strong"


def _simulated(n=5000, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    pd_true = 1 / (1 + np.exp(2.5 + 1.2 * x))
    y = (rng.random(n) < pd_true).astype(int)
    return pd.DataFrame({"x": x}), pd.Series(y, name="bad")


@pytest.mark.parametrize("trend", ["auto", "ascending", "descending"])
def test_numeric_woe_is_monotonic(trend):
    X, y = _simulated()
    binner = WoEBinner(monotonic_trend=trend).fit(X, y)
    woe = binner.binnings_["x"].woe
    steps = np.diff(woe)
    assert np.all(steps >= 0) or np.all(steps <= 0)
    if trend != "auto":
        assert binner.binnings_["x"].trend == trend


def test_auto_trend_follows_the_data():
    # Higher x lowers the PD, so WoE (goodness) rises with x.
    X, y = _simulated()
    binner = WoEBinner().fit(X, y)
    assert binner.binnings_["x"].trend == "ascending"
    assert len(binner.binnings_["x"].labels) >= 4


def test_every_regular_bin_has_min_share():
    X, y = _simulated()
    binner = WoEBinner(min_bin_share=0.08).fit(X, y)
    assert binner.binning_table("x")["share"].min() >= 0.08


def test_missing_and_special_values_get_own_bins():
    X, y = _simulated(n=4000)
    X.loc[:199, "x"] = np.nan
    X.loc[200:299, "x"] = -999
    X.loc[300:349, "x"] = 9999
    binner = WoEBinner(special_values=(-999, 9999)).fit(X, y)
    labels = binner.binnings_["x"].labels
    assert labels[-3:] == ["special: -999", "special: 9999", "missing"]
    table = binner.binning_table("x").set_index("bin")
    assert table.loc["missing", "count"] == 200
    assert table.loc["special: -999", "count"] == 100
    assert table.loc["special: 9999", "count"] == 50
    regular = binner.binnings_["x"].woe[:-3]
    assert np.all(np.diff(regular) >= 0)


def test_all_missing_column_is_excluded_with_iv_zero():
    X, y = _simulated()
    X["empty"] = np.nan
    binner = WoEBinner().fit(X, y)
    row = binner.iv_table().set_index("variable").loc["empty"]
    assert row["iv"] == 0.0
    assert bool(row["excluded"])
    assert "every value is missing" in row["note"]
    assert any(note.startswith("empty:") for note in binner.notes_)


def _categorical_sample():
    rng = np.random.default_rng(3)
    grade = rng.choice(["a", "b", "c"], size=3000, p=[0.5, 0.3, 0.2])
    rate = pd.Series(grade).map({"a": 0.05, "b": 0.15, "c": 0.35}).to_numpy()
    y = (rng.random(3000) < rate).astype(int)
    return pd.DataFrame({"grade": grade}), pd.Series(y, name="default")


def test_unseen_category_gets_worst_woe_and_flag():
    X, y = _categorical_sample()
    binner = WoEBinner().fit(X, y)
    new = pd.DataFrame({"grade": ["a", "zzz", "c"]})
    woe = binner.transform(new)["grade"].to_numpy()
    worst = binner.binnings_["grade"].worst_woe
    assert woe[1] == worst
    assert worst == binner.binnings_["grade"].woe.min()
    assert binner.unseen_mask(new)["grade"].tolist() == [False, True, False]


def test_missing_value_unseen_at_fit_gets_worst_woe():
    X, y = _categorical_sample()
    binner = WoEBinner().fit(X, y)
    new = pd.DataFrame({"grade": [None]})
    assert binner.transform(new)["grade"].iloc[0] == binner.binnings_["grade"].worst_woe
    assert bool(binner.unseen_mask(new)["grade"].iloc[0])


def test_text_in_numeric_variable_is_unseen():
    X, y = _simulated()
    binner = WoEBinner().fit(X, y)
    new = pd.DataFrame({"x": pd.Series([0.5, "n/a"], dtype=object)})
    assert binner.unseen_mask(new)["x"].tolist() == [False, True]


def test_rare_categories_are_pooled():
    X, y = _categorical_sample()
    X.loc[:19, "grade"] = "rare1"
    X.loc[20:39, "grade"] = "rare2"
    binner = WoEBinner(min_bin_share=0.05).fit(X, y)
    labels = binner.binnings_["grade"].labels
    assert "rare: rare1, rare2" in " ".join(labels)
    assert binner.binnings_["grade"].categories["rare1"] == \
        binner.binnings_["grade"].categories["rare2"]


def test_missing_requested_column_names_it():
    X, y = _simulated()
    with pytest.raises(RiskDataError, match=r"no column 'nope'.*Columns found: 'x'"):
        WoEBinner(variables=["nope"]).fit(X, y)


def test_x_must_be_a_dataframe():
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        WoEBinner().fit(np.zeros((3, 1)), [0, 1, 0])


def test_invalid_trend_is_rejected():
    X, y = _simulated()
    with pytest.raises(ValueError, match="monotonic_trend must be one of"):
        WoEBinner(monotonic_trend="up").fit(X, y)


def test_fit_returns_self_and_transform_shape():
    X, y = _simulated()
    binner = WoEBinner()
    assert binner.fit(X, y) is binner
    assert binner.transform(X).shape == (len(X), 1)
