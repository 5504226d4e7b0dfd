"""Rating migration between two dates and a watchlist of deteriorating clients.

A client's rating at a date is its latest credit row on or before that date.
Grades are put on the external notch scale (``master_scale.rating_notch``) so
that S&P, Moody's and internal grades line up, and shown as S&P-style labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.risk.exceptions import RiskDataError, format_values
from pfcrm_core.risk.master_scale import EXTERNAL_GRADES, MasterScale, rating_notch

NOT_RATED = "NR"


@dataclass
class MigrationMatrix:
    """Rating migration between two dates.

    Attributes
    ----------
    counts : pandas.DataFrame
        Clients by grade at ``start`` (rows) and at ``end`` (columns); the column
        "NR" counts clients with no rating at ``end``.
    shares : pandas.DataFrame
        ``counts`` divided by each row's total (rows sum to 1).
    start, end : pandas.Timestamp
    """

    counts: pd.DataFrame
    shares: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp


def ratings_at(credit: pd.DataFrame, date) -> pd.DataFrame:
    """Return each client's latest credit row on or before ``date``.

    Returns client_id, as_of, rating, notch (0 = AAA ... 21 = D), grade and pd
    (the row's PD, else the master-scale PD of its rating).
    """
    _check_credit(credit)
    date = pd.Timestamp(date)
    rows = credit[pd.to_datetime(credit["as_of"]) <= date]
    rows = rows.sort_values(["client_id", "as_of"], kind="stable")
    latest = rows.groupby("client_id", sort=True).tail(1).reset_index(drop=True)
    latest = latest[latest["rating"].notna()].reset_index(drop=True)
    notch = rating_notch(latest["rating"])
    latest = latest.assign(notch=notch.to_numpy(),
                           grade=[EXTERNAL_GRADES[int(n)] if not np.isnan(n) else None
                                  for n in notch])
    pd_column = latest["pd"] if "pd" in latest.columns else pd.Series(np.nan,
                                                                     index=latest.index)
    rating_pd = MasterScale().pd(latest["rating"].to_numpy(dtype=object))
    latest["pd"] = pd_column.astype(float).fillna(pd.Series(rating_pd,
                                                            index=latest.index))
    return latest[["client_id", "as_of", "rating", "notch", "grade", "pd"]]


def migration_matrix(credit: pd.DataFrame, start, end) -> MigrationMatrix:
    """Count rating moves of the clients rated at ``start`` by ``end``.

    Raises
    ------
    RiskDataError
        When no client is rated at ``start``, or ``end`` is not after ``start``.
    """
    start, end = _check_dates(start, end)
    before = ratings_at(credit, start)
    if before.empty:
        raise RiskDataError("risk.error.no_ratings_at", date=str(start.date()))
    after = ratings_at(credit, end)[["client_id", "grade", "notch"]]
    moves = before[["client_id", "grade", "notch"]].merge(
        after, on="client_id", how="left", suffixes=("_start", "_end"))
    moves["grade_end"] = moves["grade_end"].fillna(NOT_RATED)

    order = [g for g in EXTERNAL_GRADES
             if g in set(moves["grade_start"]) | set(moves["grade_end"])]
    counts = pd.crosstab(moves["grade_start"], moves["grade_end"])
    counts = counts.reindex(index=[g for g in order if g in counts.index],
                            columns=order + [NOT_RATED], fill_value=0)
    counts.index.name, counts.columns.name = "rating_start", "rating_end"
    shares = counts.div(counts.sum(axis=1), axis=0)
    return MigrationMatrix(counts=counts, shares=shares, start=start, end=end)


def watchlist(credit: pd.DataFrame, start, end, *, min_notches: int = 2,
              pd_ratio: float = 2.0, pd_increase: float = 0.01) -> pd.DataFrame:
    """List clients whose rating or PD deteriorated between two dates.

    A client is listed when, from ``start`` to ``end``, it was downgraded by at
    least ``min_notches`` notches, or its PD at least multiplied by ``pd_ratio``,
    or its PD rose by at least ``pd_increase`` (0.01 = one percentage point), or
    it moved into default.

    Returns
    -------
    pandas.DataFrame
        client_id, rating_start, rating_end, notches_down, pd_start, pd_end,
        pd_ratio, pd_change and reasons (comma-separated: downgrade, pd_ratio,
        pd_increase, default), worst first (most notches, then largest PD
        change).
    """
    start, end = _check_dates(start, end)
    before = ratings_at(credit, start)
    after = ratings_at(credit, end)
    both = before.merge(after, on="client_id", suffixes=("_start", "_end"))
    both["notches_down"] = both["notch_end"] - both["notch_start"]
    with np.errstate(divide="ignore", invalid="ignore"):
        both["pd_ratio"] = both["pd_end"] / both["pd_start"]
    both["pd_change"] = both["pd_end"] - both["pd_start"]

    flags = {
        "downgrade": both["notches_down"] >= min_notches,
        "pd_ratio": both["pd_ratio"] >= pd_ratio,
        "pd_increase": both["pd_change"] >= pd_increase,
        "default": (both["grade_end"] == "D") & (both["grade_start"] != "D"),
    }
    listed = np.logical_or.reduce([f.to_numpy() for f in flags.values()])
    reasons = [", ".join(name for name, flag in flags.items() if flag.iloc[i])
               for i in range(len(both))]
    both["reasons"] = reasons
    columns = ["client_id", "rating_start", "rating_end", "notches_down", "pd_start",
               "pd_end", "pd_ratio", "pd_change", "reasons"]
    result = both.loc[listed, columns]
    return result.sort_values(["notches_down", "pd_change"], ascending=False,
                              kind="stable", ignore_index=True)


def _check_credit(credit: pd.DataFrame) -> None:
    absent = [c for c in ("client_id", "as_of", "rating") if c not in credit.columns]
    if absent:
        raise RiskDataError("risk.error.missing_columns", columns=format_values(absent),
                            available=format_values([str(c) for c in credit.columns]))


def _check_dates(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end <= start:
        raise RiskDataError("risk.error.dates_order", start=str(start.date()),
                            end=str(end.date()))
    return start, end
