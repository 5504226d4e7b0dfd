"""Monthly or quarterly NPS and CSAT series with intervals, overall or by segment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.satisfaction.errors import SatisfactionError
from pfcrm_core.satisfaction.metrics import (DEFAULT_MIN_N, period_codes,
                                             satisfaction_table)

TREND_PERIODS = ("month", "quarter")


def satisfaction_trend(feedback: pd.DataFrame, *, period: str = "quarter",
                       segments=None, clients: pd.DataFrame | None = None,
                       by: str | None = None, cycle: str | None = "quarter",
                       csat_method: str = "top2", confidence: float = 0.95,
                       min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Compute the NPS and CSAT series per period, with a row for every period.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Canonical ``feedback`` columns.
    period : {"month", "quarter"}, default "quarter"
        Length of one step of the series.
    segments : pandas.Series or DataFrame, optional
        Segment labels (see ``metrics.satisfaction_table``). When given, the
        series is split by segment.
    clients : pandas.DataFrame, optional
        Canonical ``clients`` table, for ``by`` set to a client attribute.
    by : str, optional
        A client attribute (``"client_type"``, ``"region"``, ...) to split by
        instead of the segment.
    cycle, csat_method, confidence, min_n
        As in ``metrics.satisfaction_table``. Keep ``cycle`` no longer than
        ``period``, or a client's responses in one cycle collapse to one period.

    Returns
    -------
    pandas.DataFrame
        The columns of ``satisfaction_table`` plus ``period_start`` (first day of
        the period) and ``nps_change`` (NPS points against the previous period of
        the same series). Every period from the first to the last response appears
        in every series; periods without responses have ``n = 0`` and NaN scores.
    """
    if period not in TREND_PERIODS:
        raise SatisfactionError("satisfaction.error.bad_period", value=period,
                                allowed=", ".join(TREND_PERIODS))
    split = "segment" if segments is not None else by
    group = [split, "period"] if split else ["period"]
    table = satisfaction_table(feedback, by=group, clients=clients, segments=segments,
                               period=period, cycle=cycle, csat_method=csat_method,
                               confidence=confidence, min_n=min_n)
    if feedback.empty:
        table["period_start"] = pd.Series(dtype="datetime64[ns]")
        table["nps_change"] = pd.Series(dtype=float)
        return table

    # Fill the periods without responses so that the series have no silent gaps.
    table = _complete_periods(table, feedback["date"], period, split)
    table["nps_change"] = (table.groupby(split, dropna=False)["nps"].diff()
                           if split else table["nps"].diff())
    return table


def _complete_periods(table: pd.DataFrame, dates: pd.Series, period: str,
                      split: str | None) -> pd.DataFrame:
    starts = pd.period_range(pd.Timestamp(dates.min()), pd.Timestamp(dates.max()),
                             freq="M" if period == "month" else "Q")
    labels = period_codes(starts.start_time, period)[1]
    full = pd.DataFrame({"period": labels, "period_start": starts.start_time})
    if split:
        groups = pd.DataFrame({split: table[split].drop_duplicates().to_numpy()})
        full = groups.merge(full, how="cross")
    keys = [split, "period"] if split else ["period"]
    merged = full.merge(table, on=keys, how="left")
    count_columns = [c for c in ("n", "promoters", "passives", "detractors", "csat_n")
                     if c in merged]
    merged[count_columns] = merged[count_columns].fillna(0).astype(np.int64)
    merged["small_n"] = merged["small_n"].astype("boolean").fillna(True).astype(bool)
    return merged.sort_values(keys, kind="stable").reset_index(drop=True)
