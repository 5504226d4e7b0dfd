"""Rating migration matrix and watchlist on a hand-made history."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.risk import RiskDataError, migration_matrix, watchlist


@pytest.fixture
def credit():
    rows = [
        ("c1", "2024-12-31", "BBB", 0.002), ("c1", "2025-12-31", "BBB", 0.002),
        ("c2", "2024-12-31", "BBB", 0.002), ("c2", "2025-12-31", "BBB-", 0.005),
        ("c3", "2024-12-31", "A", 0.0007), ("c3", "2025-12-31", "BBB-", 0.0035),
        ("c4", "2024-12-31", "Baa2", None), ("c4", "2025-12-31", "D", 1.0),
        ("c5", "2024-12-31", "A", 0.0007),
        ("c6", "2025-12-31", "AA", 0.0003),
        ("c7", "2024-12-31", "BB", 0.010), ("c7", "2025-12-31", "BB", 0.021),
    ]
    frame = pd.DataFrame(rows, columns=["client_id", "as_of", "rating", "pd"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def test_migration_counts(credit):
    matrix = migration_matrix(credit, "2024-12-31", "2025-12-31")
    counts = matrix.counts
    assert counts.loc["BBB", "BBB"] == 1
    assert counts.loc["BBB", "BBB-"] == 1
    assert counts.loc["BBB", "D"] == 1          # c4 was Baa2, the same notch as BBB
    assert counts.loc["A", "BBB-"] == 1
    assert counts.loc["A", "NR"] == 0           # c5 keeps its 2024 rating
    assert counts.loc["A", "A"] == 1
    assert "AA" not in counts.index             # c6 was not rated at the start
    assert counts.to_numpy().sum() == 6


def test_migration_shares_sum_to_one(credit):
    shares = migration_matrix(credit, "2024-12-31", "2025-12-31").shares
    assert shares.loc["BBB", "BBB"] == pytest.approx(1 / 3)
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0] * len(shares))


def test_grades_ordered_best_first(credit):
    counts = migration_matrix(credit, "2024-12-31", "2025-12-31").counts
    assert list(counts.index) == ["A", "BBB", "BB"]
    assert list(counts.columns)[-1] == "NR"
    assert "BB+" not in counts.columns


def test_watchlist_reasons(credit):
    listed = watchlist(credit, "2024-12-31", "2025-12-31").set_index("client_id")
    assert set(listed.index) == {"c2", "c3", "c4", "c7"}
    assert listed.loc["c3", "notches_down"] == 4
    assert "downgrade" in listed.loc["c3", "reasons"]
    assert listed.loc["c2", "reasons"] == "pd_ratio"
    assert "default" in listed.loc["c4", "reasons"]
    assert listed.loc["c4", "pd_start"] == 0.002   # from the master scale
    assert listed.loc["c7", "reasons"] == "pd_ratio, pd_increase"


def test_watchlist_thresholds(credit):
    listed = watchlist(credit, "2024-12-31", "2025-12-31", min_notches=5,
                       pd_ratio=10, pd_increase=0.5)
    assert listed["client_id"].tolist() == ["c4"]


def test_dates_must_be_ordered(credit):
    with pytest.raises(RiskDataError, match=r"end date 2024-12-31 must be after"):
        migration_matrix(credit, "2025-12-31", "2024-12-31")


def test_no_ratings_at_start(credit):
    with pytest.raises(RiskDataError, match=r"No client has a rating on or before "
                                            r"2020-01-01"):
        migration_matrix(credit, "2020-01-01", "2025-12-31")
