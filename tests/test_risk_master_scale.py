"""Rating parsing and the master scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import MasterScale, RiskDataError, parse_rating, rating_notch
from pfcrm_core.risk.master_scale import resolve_pd

PARSED = [
    ("AAA", 0), ("AA+", 1), ("AA", 2), ("AA-", 3), ("A+", 4), ("A", 5), ("A-", 6),
    ("BBB+", 7), ("BBB", 8), ("BBB-", 9), ("BB+", 10), ("BB", 11), ("BB-", 12),
    ("B+", 13), ("B", 14), ("B-", 15), ("CCC+", 16), ("CCC", 17), ("CCC-", 18),
    ("CC", 19), ("C", 20), ("D", 21),
    ("Aaa", 0), ("Aa1", 1), ("Aa2", 2), ("Aa3", 3), ("A1", 4), ("A2", 5), ("A3", 6),
    ("Baa1", 7), ("Baa2", 8), ("Baa3", 9), ("Ba1", 10), ("Ba2", 11), ("Ba3", 12),
    ("B1", 13), ("B2", 14), ("B3", 15), ("Caa1", 16), ("Caa2", 17), ("Caa3", 18),
    ("Ca", 19),
    ("bbb-", 9), (" BBB+ (stable) ", 7), ("Baa1/negative", 7), ("(P)A2", 5),
    ("SD", 21), ("RD", 21),
]


@pytest.mark.parametrize(("text", "notch"), PARSED)
def test_external_ratings_parse_to_notch(text, notch):
    parsed = parse_rating(text)
    assert parsed.scale == "external"
    assert parsed.notch == notch
    assert parsed.is_default == (notch == 21)


@pytest.mark.parametrize("value", [1, "7", 10, 3.0])
def test_internal_grades(value):
    parsed = parse_rating(value)
    assert parsed.scale == "internal"
    assert parsed.notch == int(float(value))


@pytest.mark.parametrize("value", [None, np.nan, "NR", "WR", " "])
def test_not_rated_is_none(value):
    assert parse_rating(value) is None


@pytest.mark.parametrize("value", ["AAA+", "Z", "11", "0", "CC+", "Baa4"])
def test_invalid_rating_rejected(value):
    with pytest.raises(RiskDataError, match=r"is not a rating"):
        parse_rating(value)


def test_rating_notch_lists_invalid_values():
    with pytest.raises(RiskDataError, match=r"2 rating values cannot be read: 'foo', "
                                            r"'bar'|'bar', 'foo'"):
        rating_notch(["AAA", "foo", "bar"])


def test_rating_notch_maps_internal_through_pd():
    notches = rating_notch(pd.Series(["BBB", "5", None]))
    assert notches.iloc[0] == 8
    # Internal grade 5 has PD 0.70%, which the default scale grades BB+ (notch 10).
    assert notches.iloc[1] == 10
    assert np.isnan(notches.iloc[2])


def test_boundaries_are_geometric_midpoints():
    scale = MasterScale()
    np.testing.assert_allclose(scale.boundaries,
                               np.sqrt(scale.pds[:-1] * scale.pds[1:]))


def test_grade_of_each_scale_pd_is_its_grade():
    scale = MasterScale()
    assert list(scale.grade(scale.pds)) == list(scale.grades)


def test_grade_at_boundary_goes_to_worse_grade():
    scale = MasterScale(grades=["A", "B"], pds=[0.01, 0.04])
    boundary = 0.02
    assert scale.grade(boundary) == "B"
    assert scale.grade(0.0199) == "A"
    assert scale.grade(1.0) == "D"
    assert scale.grade(np.nan) is None


def test_pd_of_grades():
    scale = MasterScale()
    assert scale.pd("BBB") == 0.002
    assert scale.pd("Baa2") == 0.002
    assert scale.pd("D") == 1.0
    # CCC- and C take the CCC PD on the default scale.
    assert scale.pd("C") == scale.pd("CCC")
    assert np.isnan(scale.pd("NR"))
    np.testing.assert_allclose(scale.pd(["AAA", "B-"]), [0.0001, 0.12])


def test_table_has_default_row():
    table = MasterScale().table()
    assert table["grade"].iloc[-1] == "D"
    assert table["pd_lower"].iloc[0] == 0.0


def test_invalid_scale_rejected():
    with pytest.raises(ValueError, match="pds must increase strictly"):
        MasterScale(grades=["A", "B"], pds=[0.02, 0.01])


def test_resolve_pd_prefers_scorecard():
    model = pd.Series({"c1": 0.01, "c2": np.nan})
    ratings = pd.Series({"c1": "AAA", "c2": "BBB", "c3": None})
    result = resolve_pd(model, ratings)
    assert result.loc["c1", "pd"] == 0.01
    assert result.loc["c1", "pd_source"] == "scorecard"
    assert result.loc["c2", "pd"] == 0.002
    assert result.loc["c2", "pd_source"] == "rating"
    assert result.loc["c3", "pd_source"] == "none"
    assert result.loc["c2", "grade"] == "BBB"
