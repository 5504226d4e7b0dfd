"""Closed-loop feedback metrics computed from a table of follow-up cases.

Cases table
-----------
One row per case, with these columns (``CASE_COLUMNS``):

``case_id`` (str)
    Unique id of the case.
``client_id`` (str)
    The client.
``response_id`` (str or missing)
    The survey response that opened the case, when one did.
``opened_at``, ``due_at`` (date)
    Opening date and the SLA due date (``rules.add_working_days``).
``first_contact_at``, ``closed_at`` (date or missing)
    First contact with the client about the case, and closing; missing while
    that has not happened.
``status`` (str)
    ``open``, ``in progress`` or ``closed``.
``root_cause`` (str or missing)
    A code of ``ROOT_CAUSES`` or the organisation's own code; missing until
    analysed.
``resolved`` (bool or missing)
    Whether the closed case solved the client's issue; missing while open.

Dates are compared as calendar days, so a contact at any time on the due date
is within the SLA.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.satisfaction.errors import SatisfactionError, require_columns
from pfcrm_core.satisfaction.metrics import nps_value

CASE_COLUMNS = ("case_id", "client_id", "response_id", "opened_at", "due_at",
                "first_contact_at", "closed_at", "status", "root_cause", "resolved")
DATE_COLUMNS = ("opened_at", "due_at", "first_contact_at", "closed_at")
STATUSES = ("open", "in progress", "closed")
ROOT_CAUSES = ("pricing", "credit_process", "documentation", "responsiveness",
               "kyc", "drawdown", "covenants", "fees", "risk_understanding",
               "other")
UNKNOWN_CAUSE = "unknown"


def check_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``cases`` with parsed dates, after checking its contract.

    Raises
    ------
    SatisfactionError
        When a column is missing, a ``case_id`` repeats, a status is not one of
        ``STATUSES``, or a case closes before it opens.
    """
    require_columns(cases, CASE_COLUMNS, "cases")
    cases = cases.copy()
    for column in DATE_COLUMNS:
        cases[column] = pd.to_datetime(cases[column]).dt.normalize()
    repeated = cases["case_id"][cases["case_id"].duplicated()]
    if len(repeated):
        raise SatisfactionError("feedback.error.repeated_case",
                                value=str(repeated.iloc[0]), count=len(repeated))
    status = cases["status"].astype(str).str.lower()
    bad = status[~status.isin(STATUSES)]
    if len(bad):
        raise SatisfactionError("feedback.error.bad_status", value=bad.iloc[0],
                                allowed=", ".join(STATUSES))
    cases["status"] = status
    backwards = cases["closed_at"] < cases["opened_at"]
    if backwards.any():
        raise SatisfactionError("feedback.error.closed_before_opened",
                                case_id=str(cases.loc[backwards, "case_id"].iloc[0]))
    return cases


def contact_within_sla(cases: pd.DataFrame, feedback: pd.DataFrame | None = None, *,
                       as_of=None, detractors_only: bool = True) -> dict:
    """Share of (detractor) cases whose client was contacted by the due date.

    A case counts in the denominator once it is due (``due_at <= as_of``) or
    contacted. It counts as within the SLA when ``first_contact_at <= due_at``.
    Cases neither due nor contacted are pending and left out.

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases table (module docstring).
    feedback : pandas.DataFrame, optional
        ``response_id`` and ``nps``. With ``detractors_only`` only cases whose
        response scored 0..6 count; without feedback every case counts.
    as_of : date-like, optional
        Evaluation date; default the latest date in the cases table.

    Returns
    -------
    dict
        ``n_cases``, ``n_pending``, ``n_due``, ``n_within_sla`` and
        ``share_within_sla`` (NaN when nothing is due).
    """
    cases = check_cases(cases)
    if detractors_only and feedback is not None:
        require_columns(feedback, ["response_id", "nps"], "feedback")
        scores = feedback.set_index("response_id")["nps"]
        cases = cases[cases["response_id"].map(scores).le(6).to_numpy()]
    as_of = _as_of(cases, as_of)
    contacted = cases["first_contact_at"].notna()
    due = (cases["due_at"] <= as_of) | contacted
    within = contacted & (cases["first_contact_at"] <= cases["due_at"])
    n_due = int(due.sum())
    return {"n_cases": len(cases), "n_pending": int((~due).sum()), "n_due": n_due,
            "n_within_sla": int(within.sum()),
            "share_within_sla": within.sum() / n_due if n_due else np.nan}


def resolution_rates(cases: pd.DataFrame) -> dict:
    """Return counts and shares of closed and resolved cases.

    Returns
    -------
    dict
        ``n_cases``, ``n_closed``, ``closed_share`` (closed / all),
        ``n_resolved``, ``resolved_share`` (resolved / all cases) and
        ``resolved_of_closed`` (resolved / closed); shares NaN without cases.
    """
    cases = check_cases(cases)
    closed = cases["status"].eq("closed")
    resolved = closed & cases["resolved"].fillna(False).astype(bool)
    n, n_closed, n_resolved = len(cases), int(closed.sum()), int(resolved.sum())
    return {"n_cases": n, "n_closed": n_closed,
            "closed_share": n_closed / n if n else np.nan,
            "n_resolved": n_resolved,
            "resolved_share": n_resolved / n if n else np.nan,
            "resolved_of_closed": n_resolved / n_closed if n_closed else np.nan}


def root_cause_pareto(cases: pd.DataFrame, exposure=None, *,
                      lang: str = "en") -> pd.DataFrame:
    """Rank root causes by the exposure of the clients behind their cases.

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases table.
    exposure : pandas.Series or DataFrame, optional
        Exposure per client (USD): a Series indexed by ``client_id`` or a frame
        with ``client_id`` and ``exposure``. Each case weighs its client's
        exposure, and a client without one weighs 0. Without it each case
        weighs 1.
    lang : {"en", "zh"}
        Language of ``name``.

    Returns
    -------
    pandas.DataFrame
        ``root_cause`` (``unknown`` for cases without one), ``name``,
        ``n_cases``, ``weight``, ``share`` of the total weight and
        ``cumulative_share``, heaviest first.
    """
    cases = check_cases(cases)
    causes = cases["root_cause"].fillna(UNKNOWN_CAUSE).astype(str)
    if exposure is None:
        weight = pd.Series(1.0, index=cases.index)
    else:
        if isinstance(exposure, pd.DataFrame):
            require_columns(exposure, ["client_id", "exposure"], "exposure")
            exposure = exposure.groupby("client_id")["exposure"].sum()
        weight = cases["client_id"].map(exposure).fillna(0.0).astype(float)
    table = pd.DataFrame({"root_cause": causes, "weight": weight}).groupby(
        "root_cause").agg(n_cases=("weight", "size"), weight=("weight", "sum"))
    table = table.reset_index().sort_values(["weight", "n_cases", "root_cause"],
                                            ascending=[False, False, True],
                                            ignore_index=True)
    total = table["weight"].sum()
    table["share"] = table["weight"] / total if total > 0 else np.nan
    table["cumulative_share"] = table["share"].cumsum()
    table.insert(1, "name", [root_cause_name(code, lang)
                             for code in table["root_cause"]])
    return table


def root_cause_name(code: str, lang: str = "en") -> str:
    """Return the translated name of a root-cause code, or the code itself."""
    key = f"feedback.root_cause.{code}"
    return translate(key, lang) if key in catalogue() else code


def repeat_issues(cases: pd.DataFrame, *, window_days: int = 365) -> tuple[
        pd.DataFrame, dict]:
    """Find clients with the same root cause again within ``window_days``.

    A case is a repeat when the same client had a case with the same root cause
    opened at most ``window_days`` before it. Cases without a root cause are
    never repeats.

    Returns
    -------
    (pandas.DataFrame, dict)
        Per client and root cause with a repeat: ``client_id``, ``root_cause``,
        ``n_cases``, ``n_repeats``, ``first_opened``, ``last_opened``; and a
        summary with ``n_cases``, ``n_repeats`` and ``repeat_share``.
    """
    cases = check_cases(cases)
    known = cases.dropna(subset=["root_cause"]).sort_values(
        ["client_id", "root_cause", "opened_at"], kind="stable")
    gap = known.groupby(["client_id", "root_cause"])["opened_at"].diff()
    known = known.assign(repeat=gap.le(pd.Timedelta(days=window_days)))
    grouped = known.groupby(["client_id", "root_cause"]).agg(
        n_cases=("case_id", "size"), n_repeats=("repeat", "sum"),
        first_opened=("opened_at", "min"), last_opened=("opened_at", "max"))
    table = grouped[grouped["n_repeats"] > 0].reset_index()
    table["n_repeats"] = table["n_repeats"].astype(np.int64)
    n_repeats = int(known["repeat"].sum())
    summary = {"n_cases": len(cases), "n_repeats": n_repeats,
               "repeat_share": n_repeats / len(cases) if len(cases) else np.nan}
    return table, summary


def nps_change_after_case(cases: pd.DataFrame, feedback: pd.DataFrame) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """Compare the response that opened each case with the client's next response.

    The next response is the client's first response dated after the opening response.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Per case with an opening response: ``case_id``, ``client_id``,
        ``resolved``, ``nps_before``, ``next_response_id``, ``next_date``,
        ``nps_after`` and ``change`` (points on 0..10, NaN without a next
        response). And a summary by ``resolved`` (True, False, and "all"):
        ``n_cases``, ``n_next``, ``mean_change`` (points on 0..10) and
        ``nps_change`` (NPS after minus NPS before over cases with a next
        response, in NPS points).
    """
    cases = check_cases(cases)
    require_columns(feedback, ["response_id", "client_id", "date", "nps"], "feedback")
    responses = feedback[["response_id", "client_id", "date", "nps"]].copy()
    responses["date"] = pd.to_datetime(responses["date"])
    # merge_asof needs the right-hand dates sorted across all clients.
    responses = responses.sort_values(["date", "client_id", "response_id"],
                                  kind="stable")
    opening = responses.set_index("response_id")
    linked = cases[cases["response_id"].isin(opening.index)].copy()
    linked["nps_before"] = linked["response_id"].map(opening["nps"]).astype(float)
    linked["opening_date"] = linked["response_id"].map(opening["date"])

    following = pd.merge_asof(
        linked.sort_values("opening_date"),
        responses.rename(columns={"response_id": "next_response_id",
                                "date": "next_date", "nps": "nps_after"}),
        left_on="opening_date", right_on="next_date", by="client_id",
        direction="forward", allow_exact_matches=False)
    following["nps_after"] = following["nps_after"].astype(float)
    following["change"] = following["nps_after"] - following["nps_before"]
    per_case = following[["case_id", "client_id", "resolved", "nps_before",
                          "next_response_id", "next_date", "nps_after", "change"]]
    per_case = per_case.sort_values("case_id", ignore_index=True)
    return per_case, _change_summary(per_case)


def _change_summary(per_case: pd.DataFrame) -> pd.DataFrame:
    groups = [("all", per_case)]
    resolved = per_case["resolved"].astype("boolean")
    for value in (True, False):
        groups.append((value, per_case[resolved.eq(value).fillna(False).to_numpy()]))
    rows = []
    for name, part in groups:
        with_next = part.dropna(subset=["nps_after"])
        before = nps_value(with_next["nps_before"])
        after = nps_value(with_next["nps_after"])
        rows.append({
            "resolved": name, "n_cases": len(part), "n_next": len(with_next),
            "mean_change": with_next["change"].mean() if len(with_next) else np.nan,
            "nps_change": (100.0 * (after.mean() - before.mean())
                           if len(with_next) else np.nan),
        })
    return pd.DataFrame(rows)


def _as_of(cases: pd.DataFrame, as_of) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    dates = cases[list(DATE_COLUMNS)].stack()
    return dates.max() if len(dates) else pd.Timestamp.now().normalize()


def loop_summary(cases: pd.DataFrame, feedback: pd.DataFrame | None = None, *,
                 as_of=None, window_days: int = 365) -> dict:
    """Return the headline loop metrics in one dict.

    Keys: the ``contact_within_sla`` and ``resolution_rates`` entries (the
    latter prefixed ``cases_``), ``n_repeats`` and ``repeat_share``, and with
    feedback ``nps_change`` and ``mean_change`` over all cases with a next response.
    """
    summary = dict(contact_within_sla(cases, feedback, as_of=as_of))
    summary.update({f"cases_{key}": value
                    for key, value in resolution_rates(cases).items()})
    _, repeats = repeat_issues(cases, window_days=window_days)
    summary["n_repeats"] = repeats["n_repeats"]
    summary["repeat_share"] = repeats["repeat_share"]
    if feedback is not None:
        _, change = nps_change_after_case(cases, feedback)
        overall = change[change["resolved"].eq("all")].iloc[0]
        summary["nps_change"] = overall["nps_change"]
        summary["mean_change"] = overall["mean_change"]
    return summary
