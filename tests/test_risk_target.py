"""Target encoding: labels, the bad value, missing targets and one-class data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.errors import ModelError
from pfcrm_core.risk import RiskDataError, Scorecard, encode_target


def test_zero_one_labels():
    encoded = encode_target(pd.Series([0, 1, 1, 0]))
    assert encoded.is_bad.tolist() == [False, True, True, False]
    assert encoded.bad_value == 1


def test_boolean_labels():
    encoded = encode_target(pd.Series([True, False, False]))
    assert encoded.is_bad.tolist() == [True, False, False]


def test_string_labels_with_bad_value():
    encoded = encode_target(pd.Series(["good", "bad", "good"]), bad_value="bad")
    assert encoded.is_bad.tolist() == [False, True, False]
    assert encoded.good_value == "good"


def test_string_labels_without_bad_value_list_values():
    with pytest.raises(RiskDataError,
                       match=r"status has the values 'bad', 'good'.*bad_value"):
        encode_target(pd.Series(["good", "bad"], name="status"))


def test_bad_value_not_found_lists_values():
    with pytest.raises(RiskDataError,
                       match=r"bad value 'default' does not occur.*'bad', 'good'"):
        encode_target(pd.Series(["good", "bad"], name="status"), bad_value="default")


def test_more_than_two_labels_rejected():
    with pytest.raises(RiskDataError, match=r"has 3 distinct values"):
        encode_target(pd.Series(["good", "bad", "unknown"]), bad_value="bad")


def test_one_class_is_a_model_error_naming_column_and_value():
    with pytest.raises(ModelError,
                       match=r"flag has only one value, 0, in its 3 rows.*both goods "
                             r"and bads"):
        encode_target(pd.Series([0, 0, 0], name="flag"))


def test_one_class_after_dropping_missing():
    with pytest.raises(RiskDataError, match=r"only one value, 'good'.*1 rows without"):
        encode_target(pd.Series(["good", None, "good"]), bad_value="good")


def test_all_missing_target():
    with pytest.raises(RiskDataError, match=r"empty in all 2 rows"):
        encode_target(pd.Series([np.nan, np.nan], name="y"))


def test_missing_targets_excluded_and_counted_never_bad():
    y = pd.Series([1, None, 0, np.nan, 1], dtype=object)
    encoded = encode_target(y)
    assert encoded.n_missing == 2
    assert encoded.observed.tolist() == [True, False, True, False, True]
    assert encoded.is_bad.tolist() == [True, False, False, False, True]


def test_scorecard_counts_missing_targets():
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    y = pd.Series((rng.random(2000) < 1 / (1 + np.exp(2 + x))).astype(float))
    y.iloc[:50] = np.nan
    model = Scorecard().fit(pd.DataFrame({"x": x}), y)
    assert model.binner_.n_target_missing_ == 50
    assert model.binner_.n_samples_ == 1950
    assert model.binner_.n_bad_ == int(np.nansum(y))
