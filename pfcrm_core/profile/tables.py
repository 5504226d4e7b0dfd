"""One client's rows of the canonical tables: facts, deals, revenue, ratings,
survey responses and follow-up cases. Amounts are converted to USD at the
reference rates of ``pfcrm_core.fx``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core import fx
from pfcrm_core.errors import PfcrmError
from pfcrm_core.profile.errors import ProfileError
from pfcrm_core.risk.master_scale import rating_notch
from pfcrm_core.satisfaction.metrics import csat_summary, nps_category, nps_summary

CHANGE_WINDOW_DAYS = 90
# Dated tables whose latest date is "the latest data"; deal start dates are left
# out because a deal may be booked up to a year before it starts.
BOOK_DATES = {"revenue": "date", "interactions": "date", "feedback": "date",
              "credit": "as_of"}


def book_end(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """Return the latest revenue, interaction, feedback or credit date; None without."""
    ends = []
    for name, column in BOOK_DATES.items():
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        latest = pd.to_datetime(frame[column]).max()
        if pd.notna(latest):
            ends.append(latest)
    return max(ends).normalize() if ends else None


def default_since(as_of: pd.Timestamp | None) -> pd.Timestamp | None:
    """Return the start of the default "what changed" window: 90 days before ``as_of``."""
    if as_of is None:
        return None
    return pd.Timestamp(as_of).normalize() - pd.Timedelta(days=CHANGE_WINDOW_DAYS)


def client_facts(clients: pd.DataFrame, client_id: str) -> dict:
    """Return the stored row of one client as a dict.

    Raises
    ------
    ProfileError
        When no client has id ``client_id``.
    """
    rows = clients[clients["client_id"].astype(str) == str(client_id)]
    if rows.empty:
        raise ProfileError("profile.error.unknown_client", client_id=client_id)
    facts = rows.iloc[0].to_dict()
    return {key: (None if is_missing(value) else value) for key, value in facts.items()}


def is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def client_rows(frame: pd.DataFrame | None, client_id: str,
             column: str = "client_id") -> pd.DataFrame:
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[] if frame is None else frame.columns)
    return frame[frame[column].astype(str) == str(client_id)].copy()


def client_deals(deals: pd.DataFrame, projects: pd.DataFrame, client_id: str,
                 as_of) -> pd.DataFrame:
    """Return the client's deals with their projects, USD amounts and maturities.

    A deal is live when it started on or before ``as_of`` and matures after it
    (or has no maturity date).

    Returns
    -------
    pandas.DataFrame
        deal_id, project_id, project_name, project_stage, role, amount, currency,
        amount_usd, fee_income_usd, margin_bps, start_date, maturity_date,
        years_to_maturity (NaN once matured) and live; latest start first.
    """
    rows = client_rows(deals, client_id)
    as_of = pd.Timestamp(as_of)
    rows["start_date"] = pd.to_datetime(rows["start_date"])
    rows["maturity_date"] = pd.to_datetime(rows["maturity_date"])
    rows["amount_usd"] = fx.to_usd(rows["amount"], rows["currency"])
    rows["fee_income_usd"] = fx.to_usd(rows["fee_income"], rows["currency"])

    started = rows["start_date"].isna() | (rows["start_date"] <= as_of)
    open_ended = rows["maturity_date"].isna() | (rows["maturity_date"] > as_of)
    rows["live"] = (started & open_ended).to_numpy(dtype=bool)
    years = (rows["maturity_date"] - as_of).dt.days / 365.25
    rows["years_to_maturity"] = years.where(years > 0)

    names = projects[["project_id", "name", "stage"]].rename(
        columns={"name": "project_name", "stage": "project_stage"})
    rows = rows.merge(names, on="project_id", how="left")
    columns = ["deal_id", "project_id", "project_name", "project_stage", "role",
               "amount", "currency", "amount_usd", "fee_income_usd", "margin_bps",
               "start_date", "maturity_date", "years_to_maturity", "live"]
    return rows[columns].sort_values(["start_date", "deal_id"], ascending=[False, True],
                                     kind="stable", ignore_index=True)


def deal_summary(deals: pd.DataFrame) -> dict:
    """Return the exposure (USD) and counts of a ``client_deals`` table.

    Returns
    -------
    dict
        deals, live_deals, exposure_usd (sum of live amounts), next_maturity
        (earliest maturity of a live deal, None without one) and
        weighted_years (exposure-weighted years to maturity, NaN without
        exposure).
    """
    live = deals[deals["live"]]
    exposure = float(live["amount_usd"].sum())
    weights = live["amount_usd"].fillna(0.0)
    weighted_years = float((live["years_to_maturity"].fillna(0.0) * weights).sum()
                           / exposure) if exposure > 0 else float("nan")
    next_maturity = live["maturity_date"].min() if not live.empty else None
    return {"deals": int(len(deals)), "live_deals": int(len(live)),
            "exposure_usd": exposure,
            "next_maturity": None if is_missing(next_maturity) else next_maturity,
            "weighted_years": weighted_years}


def revenue_by_period(revenue: pd.DataFrame, client_id: str, *,
                      period: str = "Q") -> pd.DataFrame:
    """Return the client's revenue in USD per calendar period and kind.

    Parameters
    ----------
    period : str, default "Q"
        A pandas period alias: "Q" for quarters, "Y" for years, "M" for months.

    Returns
    -------
    pandas.DataFrame
        period_start (Timestamp), kind ("other" when missing) and amount_usd,
        oldest first. Rows in a currency without a reference rate are left out.
    """
    rows = client_rows(revenue, client_id)
    if rows.empty:
        return pd.DataFrame(columns=["period_start", "kind", "amount_usd"])
    usd = fx.to_usd(rows["amount"], rows["currency"])
    frame = pd.DataFrame({
        "period_start": pd.to_datetime(rows["date"]).dt.to_period(period)
        .dt.start_time,
        "kind": rows["kind"].fillna("other").astype(str), "amount_usd": usd})
    frame = frame[frame["amount_usd"].notna()]
    return frame.groupby(["period_start", "kind"], as_index=False)["amount_usd"].sum()


def revenue_summary(revenue: pd.DataFrame, client_id: str, as_of) -> dict:
    """Return revenue (USD) in the 12 months to ``as_of``, the 12 before, and in all."""
    rows = client_rows(revenue, client_id)
    as_of = pd.Timestamp(as_of)
    dates = pd.to_datetime(rows["date"])
    usd = fx.to_usd(rows["amount"], rows["currency"])
    year_ago = as_of - pd.DateOffset(months=12)
    two_years_ago = as_of - pd.DateOffset(months=24)
    return {
        "transactions": int(len(rows)),
        "revenue_12m_usd": float(usd[(dates > year_ago) & (dates <= as_of)].sum()),
        "revenue_prior_12m_usd": float(
            usd[(dates > two_years_ago) & (dates <= year_ago)].sum()),
        "revenue_total_usd": float(usd.sum()),
        "last_date": None if rows.empty else dates.max(),
    }


def rating_history(credit: pd.DataFrame, client_id: str) -> pd.DataFrame:
    """Return the client's credit rows in date order with the rating's notch.

    Returns
    -------
    pandas.DataFrame
        as_of, rating, notch (0 = AAA ... 21 = D, NaN when unreadable), pd,
        lgd, ead and defaulted.
    """
    rows = client_rows(credit, client_id)
    columns = ["as_of", "rating", "notch", "pd", "lgd", "ead", "defaulted"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["as_of"] = pd.to_datetime(rows["as_of"])
    rows = rows.sort_values("as_of", kind="stable", ignore_index=True)
    rows["notch"] = _notches(rows["rating"])
    return rows[columns]


def _notches(ratings: pd.Series) -> np.ndarray:
    # Each rating on its own, so one unreadable grade does not hide the others.
    values = []
    for rating in ratings:
        try:
            values.append(float(rating_notch(pd.Series([rating], dtype=object)).iloc[0]))
        except PfcrmError:
            values.append(float("nan"))
    return np.array(values, dtype=float)


def feedback_view(feedback: pd.DataFrame, client_id: str) -> pd.DataFrame:
    """Return the client's survey responses, oldest first, with the NPS category.

    Returns
    -------
    pandas.DataFrame
        response_id, date, nps, category (promoter, passive, detractor),
        csat, comment (verbatim) and follow_up_status.
    """
    rows = client_rows(feedback, client_id)
    columns = ["response_id", "date", "nps", "category", "csat", "comment",
               "follow_up_status"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["date"] = pd.to_datetime(rows["date"])
    rows["category"] = nps_category(rows["nps"])
    return rows.sort_values(["date", "response_id"], kind="stable",
                            ignore_index=True)[columns]


def satisfaction_summary(responses: pd.DataFrame) -> dict:
    """Return the client's NPS and CSAT (top-2-box %) over ``responses``.

    Every response counts, so the NPS is that of the client's own answers, with
    ``small_n`` set below the satisfaction module's minimum sample.
    """
    nps = nps_summary(responses["nps"].to_numpy(dtype=float))
    csat = csat_summary(responses["csat"].to_numpy(dtype=float))
    latest = responses.iloc[-1] if not responses.empty else None
    return {"nps": nps, "csat": csat,
            "latest_nps": None if latest is None or is_missing(latest["nps"])
            else int(latest["nps"]),
            "latest_date": None if latest is None else latest["date"]}


def case_view(cases: pd.DataFrame | None, client_id: str) -> pd.DataFrame:
    """Return the client's follow-up cases, newest first (open ones before closed)."""
    rows = client_rows(cases, client_id)
    if rows.empty:
        return rows
    rows["is_closed"] = rows["status"].eq("closed")
    rows = rows.sort_values(["is_closed", "opened_at"], ascending=[True, False],
                            kind="stable", ignore_index=True)
    return rows.drop(columns=["is_closed"])


def task_view(tasks: pd.DataFrame | None, client_id: str) -> pd.DataFrame:
    """Return the client's tasks from the automation rules, open ones first.

    Open tasks are sorted by due date (soonest first), closed ones after them,
    most recently closed first.
    """
    rows = client_rows(tasks, client_id)
    if rows.empty:
        return rows
    rows["is_done"] = rows["status"].eq("done")
    open_rows = rows[~rows["is_done"]].sort_values(["due_at", "task_id"], kind="stable")
    done_rows = rows[rows["is_done"]].sort_values(["closed_at", "task_id"],
                                                  ascending=False, kind="stable")
    return pd.concat([open_rows, done_rows], ignore_index=True).drop(columns=["is_done"])
