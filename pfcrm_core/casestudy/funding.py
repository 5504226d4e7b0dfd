"""Funding in place: money committed to a project against its target, over time.

- Committed amount at date d: the sum in USD of the project's funding deals
  (``project.FUNDING_ROLES``) that started on or before d.
- Funding-in-place rate at d: committed amount / funding target, both in USD.
- Gap: target - committed amount at the as-of date, never below 0.
- Pace: the committed amount of the ``pace_months`` months to the as-of date,
  divided by ``pace_months`` (USD a month). The projected date when the target is
  reached is the as-of date plus gap / pace months, a straight-line projection
  that assumes the recent pace continues. Without any commitment in the window
  there is no projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.casestudy.errors import CaseStudyError
from pfcrm_core.casestudy.project import funding_deals, project_card

DEFAULT_PACE_MONTHS = 12
DAYS_PER_MONTH = 365.25 / 12
TIMELINE_COLUMNS = ["date", "deal_id", "client_id", "role", "amount_usd",
                    "committed_usd", "rate"]


@dataclass(frozen=True)
class FundingInPlace:
    """The funding of one project at an as-of date.

    Attributes
    ----------
    timeline : pandas.DataFrame
        ``TIMELINE_COLUMNS``, one row per funding deal up to the as-of date,
        oldest first; ``committed_usd`` and ``rate`` are cumulative.
    target_usd, committed_usd, gap_usd : float
        Funding target, amount committed and amount still missing, in USD.
    rate : float
        Funding-in-place rate at the as-of date (committed / target, 0..1 and
        above 1 when over-subscribed).
    pace_usd_per_month : float
        Mean amount committed per month over the last ``pace_months`` months.
    months_to_target : float
        Gap / pace; 0 when the gap is closed, NaN when the pace is 0.
    projected_date : pandas.Timestamp or None
        As-of date plus ``months_to_target``; None when there is no projection.
    as_of : pandas.Timestamp
    pace_months : int
    """

    timeline: pd.DataFrame
    target_usd: float
    committed_usd: float
    gap_usd: float
    rate: float
    pace_usd_per_month: float
    months_to_target: float
    projected_date: pd.Timestamp | None
    as_of: pd.Timestamp
    pace_months: int


def funding_in_place(projects: pd.DataFrame, deals: pd.DataFrame, project_id: str,
                     as_of, *, pace_months: int = DEFAULT_PACE_MONTHS
                     ) -> FundingInPlace:
    """Compute the committed amount, the rate and the projection at ``as_of``.

    Parameters
    ----------
    projects, deals : pandas.DataFrame
        Canonical ``projects`` and ``deals`` tables.
    project_id : str
    as_of : date-like
        Deals that start later are not yet committed.
    pace_months : int, default 12
        Length in months of the window that sets the pace.

    Raises
    ------
    CaseStudyError
        When the project is unknown, its target is missing or not positive, or
        ``pace_months`` is below 1.
    """
    if pace_months < 1:
        raise CaseStudyError("case_study.error.pace_months", value=pace_months)
    card = project_card(projects, project_id)
    target = card["target_usd"]
    if not np.isfinite(target) or target <= 0:
        raise CaseStudyError("case_study.error.no_target", project=project_id,
                             value=card["target_funding"])
    as_of = pd.Timestamp(as_of).normalize()

    # Cumulative commitments up to the as-of date.
    rows = funding_deals(deals, project_id)
    rows = rows[rows["start_date"] <= as_of].reset_index(drop=True)
    timeline = pd.DataFrame({
        "date": rows["start_date"], "deal_id": rows["deal_id"],
        "client_id": rows["client_id"].astype(str), "role": rows["role"],
        "amount_usd": rows["amount_usd"].astype(float),
    })
    timeline["committed_usd"] = timeline["amount_usd"].cumsum()
    timeline["rate"] = timeline["committed_usd"] / target
    committed = float(timeline["amount_usd"].sum())

    # Straight-line projection at the recent pace.
    window_start = as_of - pd.DateOffset(months=pace_months)
    recent = timeline.loc[timeline["date"] > window_start, "amount_usd"].sum()
    pace = float(recent) / pace_months
    gap = max(target - committed, 0.0)
    months, projected = _projection(gap, pace, as_of)
    return FundingInPlace(timeline=timeline[TIMELINE_COLUMNS], target_usd=target,
                          committed_usd=committed, gap_usd=gap,
                          rate=committed / target, pace_usd_per_month=pace,
                          months_to_target=months, projected_date=projected,
                          as_of=as_of, pace_months=pace_months)


def _projection(gap: float, pace: float, as_of: pd.Timestamp
                ) -> tuple[float, pd.Timestamp | None]:
    if gap <= 0:
        return 0.0, as_of
    if pace <= 0:
        return float("nan"), None
    months = gap / pace
    return months, as_of + pd.Timedelta(days=round(months * DAYS_PER_MONTH))
