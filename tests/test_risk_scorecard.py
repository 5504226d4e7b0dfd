"""The scorecard: German credit hold-out AUC, PDO scaling, contract and edge cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split

from pfcrm_core.risk import (RiskDataError, Scorecard, WoEBinner, auc,
                             develop_scorecard)
from pfcrm_core.risk.scorecard import BASE_POINTS_LABEL

GERMAN = Path(__file__).resolve().parent / "data" / "germancredit.csv"


@pytest.fixture(scope="module")
def german():
    return pd.read_csv(GERMAN)


@pytest.fixture(scope="module")
def german_split(german):
    X = german.drop(columns="creditability")
    y = (german["creditability"] == "bad").astype(int)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)


@pytest.fixture(scope="module")
def german_model(german_split):
    X_train, _, y_train, _ = german_split
    return Scorecard().fit(X_train, y_train)


def test_german_test_auc(german_split, german_model):
    _, X_test, _, y_test = german_split
    test_auc = auc(y_test, german_model.predict_pd(X_test))
    assert test_auc >= 0.78


def test_develop_scorecard_on_german(german):
    report = develop_scorecard(german, "creditability", bad_value="bad")
    assert report.train["n"] == 700
    assert report.test["n"] == 300
    assert report.test["n_bad"] == 90
    assert report.test["auc"] >= 0.78
    assert report.test["gini"] == pytest.approx(2 * report.test["auc"] - 1)
    assert report.iv_table.set_index("variable").loc[
        "status_of_existing_checking_account", "iv"] > 0.5


def test_report_to_dict_names(german):
    report = develop_scorecard(german, "creditability", bad_value="bad")
    result = report.to_dict()
    for key in ("auc", "gini", "ks", "iv", "train", "test", "scorecard",
                "calibration", "iv_table", "notes"):
        assert key in result
    assert result["auc"] == report.test["auc"]
    assert set(result["iv"]) == set(report.variables)
    json.dumps(result)


def test_report_without_test_sample(german):
    report = develop_scorecard(german, "creditability", bad_value="bad", test_size=0)
    assert report.test == {}
    assert report.to_dict()["auc"] == report.train["auc"]


def test_develop_scorecard_missing_target_column(german):
    with pytest.raises(RiskDataError, match=r"no column 'outcome'"):
        develop_scorecard(german, "outcome")


def test_points_scaling_defaults(german_model):
    factor = 20 / math.log(2)
    assert german_model.factor_ == pytest.approx(factor)
    assert german_model.offset_ == pytest.approx(600 - factor * math.log(50))
    # 600 points at good:bad odds of 50:1, and 20 more points double the odds.
    pd_600 = german_model.points_to_pd(600.0)
    assert (1 - pd_600) / pd_600 == pytest.approx(50.0)
    pd_620 = german_model.points_to_pd(620.0)
    assert (1 - pd_620) / pd_620 == pytest.approx(100.0)


def test_points_scaling_configurable(german_split):
    X_train, _, y_train, _ = german_split
    model = Scorecard(base_points=500, base_odds=20, pdo=50).fit(X_train, y_train)
    pd_500 = model.points_to_pd(500.0)
    assert (1 - pd_500) / pd_500 == pytest.approx(20.0)
    pd_550 = model.points_to_pd(550.0)
    assert (1 - pd_550) / pd_550 == pytest.approx(40.0)


def test_points_decrease_as_pd_rises(german_split, german_model):
    _, X_test, _, _ = german_split
    scores = german_model.score_points(X_test)
    pds = german_model.predict_pd(X_test)
    order = np.argsort(pds)
    assert np.all(np.diff(scores[order]) <= 1e-9)


def test_score_is_sum_of_table_points(german_split, german_model):
    _, X_test, _, _ = german_split
    table = german_model.scorecard_table_
    base = table.loc[table["variable"] == BASE_POINTS_LABEL, "points"].item()
    row = X_test.iloc[[0]]
    codes = german_model.binner_.assign_bins(row, german_model.selected_variables_)
    total = base
    for name in german_model.selected_variables_:
        label = german_model.binner_.binnings_[name].labels[codes[name].iloc[0]]
        points = table[(table["variable"] == name) & (table["bin"] == label)]["points"]
        total += points.item()
    assert german_model.score_points(row)[0] == pytest.approx(total)


def test_scorecard_table_columns(german_model):
    columns = ["variable", "bin", "count", "bad_rate", "woe", "coefficient", "points"]
    assert list(german_model.scorecard_table_.columns) == columns


def test_coefficients_are_negative(german_model):
    assert (german_model.coef_ < 0).all()


def test_predict_proba_columns(german_split, german_model):
    _, X_test, _, _ = german_split
    proba = german_model.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert german_model.classes_.tolist() == [0, 1]


def test_score_table_flags_unseen(german_split, german_model):
    _, X_test, _, _ = german_split
    rows = X_test.iloc[:3].copy()
    rows.iloc[1, rows.columns.get_loc("purpose")] = "space travel"
    table = german_model.score_table(rows)
    assert table["n_unseen"].tolist() == [0, 1, 0]
    assert table["unseen_variables"].iloc[1] == "purpose"
    np.testing.assert_allclose(table["score"], german_model.score_points(rows))
    np.testing.assert_allclose(table["pd"], german_model.predict_pd(rows))


def test_unseen_category_scores_conservatively(german_split, german_model):
    _, X_test, _, _ = german_split
    rows = X_test.iloc[:1].copy()
    points_column = "points_purpose"
    known = german_model.score_table(rows)[points_column].iloc[0]
    rows["purpose"] = "space travel"
    unseen = german_model.score_table(rows)[points_column].iloc[0]
    table = german_model.scorecard_table_
    assert unseen == pytest.approx(table[table["variable"] == "purpose"]["points"].min())
    assert unseen <= known


def test_estimator_contract(german_split):
    X_train, _, y_train, _ = german_split
    for estimator in (Scorecard(pdo=30), WoEBinner(min_bin_share=0.1)):
        assert estimator.fit(X_train, y_train) is estimator
        fresh = clone(estimator)
        assert fresh.get_params() == estimator.get_params()
        assert not hasattr(fresh, "binnings_")
        assert not hasattr(fresh, "model_")


def test_unfitted_scorecard_raises(german_split):
    _, X_test, _, _ = german_split
    with pytest.raises(NotFittedError, match="not fitted"):
        Scorecard().predict_pd(X_test)


def test_all_missing_column_left_out_with_note(german_split):
    X_train, _, y_train, _ = german_split
    X = X_train.assign(empty=np.nan)
    model = Scorecard().fit(X, y_train)
    assert "empty" not in model.selected_variables_
    assert any("empty: every value is missing" in note for note in model.notes_)


def test_string_target_needs_bad_value(german):
    X = german.drop(columns="creditability")
    with pytest.raises(RiskDataError, match=r"creditability has the values 'bad', "
                                            r"'good'"):
        Scorecard().fit(X, german["creditability"])


def test_single_class_target_rejected(german):
    X = german.drop(columns="creditability")
    y = pd.Series(["good"] * len(X), name="creditability")
    with pytest.raises(RiskDataError, match=r"creditability has only one value, "
                                            r"'good'"):
        Scorecard(bad_value="good").fit(X, y)


def test_no_usable_variable():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"noise": rng.normal(size=500)})
    y = pd.Series(rng.integers(0, 2, size=500))
    with pytest.raises(RiskDataError, match=r"minimum information value 0.5; the "
                                            r"best is noise"):
        Scorecard(min_iv=0.5).fit(X, y)


def test_bad_pdo_rejected(german_split):
    X_train, _, y_train, _ = german_split
    with pytest.raises(ValueError, match="pdo must be > 0; got 0"):
        Scorecard(pdo=0).fit(X_train, y_train)


def test_parameter_recovery_on_simulated_data():
    # A single driver with a known logit slope: the fitted PDs follow the truth.
    rng = np.random.default_rng(11)
    x = rng.normal(size=20000)
    true_pd = 1 / (1 + np.exp(3.0 + 1.0 * x))
    y = pd.Series((rng.random(20000) < true_pd).astype(int))
    model = Scorecard().fit(pd.DataFrame({"x": x}), y)
    fitted = model.predict_pd(pd.DataFrame({"x": x}))
    assert np.corrcoef(np.log(fitted), np.log(true_pd))[0, 1] > 0.95
    assert fitted.mean() == pytest.approx(y.mean(), rel=0.02)
