"""Which survey responses open a follow-up case, who owns it and when it is due.

The functions here only propose cases; storing them is the caller's job. A
proposal is opened on the response's date (or a given date), owned by the member of
staff with the strongest tie to the client when a strength table is given, else
by the client's relationship manager, and due a number of working days later
(Monday to Friday, less the given holidays).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from pfcrm_core.feedback.sentiment import DEFAULT_THRESHOLD, score_sentiment
from pfcrm_core.satisfaction.errors import SatisfactionError, require_columns

TRIGGERS = ("nps", "csat", "comment")
OWNER_SOURCES = ("strongest_tie", "relationship_manager", "unassigned")
PROPOSAL_COLUMNS = ("response_id", "client_id", "response_date", "opened_at",
                    "due_at", "owner", "owner_source", "triggers", "nps", "csat",
                    "comment", "sentiment_score", "follow_up_status")


@dataclass(frozen=True)
class FollowUpRules:
    """Editable rules for opening follow-up cases.

    Attributes
    ----------
    nps_max : int or None, default 6
        An NPS response at or below this opens a case (6: every detractor). None
        disables the rule.
    csat_max : int or None, default 2
        A CSAT response at or below this opens a case. None disables the rule.
    negative_comment : bool, default True
        A comment that ``sentiment.score_sentiment`` labels negative opens a case.
    sentiment_threshold : float, default 0.2
        Comments scoring below minus this are negative.
    sla_working_days : int, default 5
        Working days from opening to the due date.
    holidays : tuple of str, default ()
        Dates (``YYYY-MM-DD``) that are not working days.
    skip_statuses : tuple of str, default ("closed",)
        Responses whose ``follow_up_status`` is one of these get no proposal.
    """

    nps_max: int | None = 6
    csat_max: int | None = 2
    negative_comment: bool = True
    sentiment_threshold: float = DEFAULT_THRESHOLD
    sla_working_days: int = 5
    holidays: tuple[str, ...] = ()
    skip_statuses: tuple[str, ...] = ("closed",)

    def __post_init__(self):
        _check_optional_int("nps_max", self.nps_max, 0, 10)
        _check_optional_int("csat_max", self.csat_max, 1, 5)
        _check_optional_int("sla_working_days", self.sla_working_days, 0, 365)
        if self.sla_working_days is None:
            raise SatisfactionError("feedback.error.bad_rule", name="sla_working_days",
                                    value="None", low=0, high=365)

    def to_dict(self) -> dict:
        """Return the rules as a plain dict, which ``FollowUpRules(**d)`` reads back."""
        return asdict(self)


def _check_optional_int(name: str, value, low: int, high: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not low <= value <= high:
        raise SatisfactionError("feedback.error.bad_rule", name=name,
                                value=repr(value), low=low, high=high)


def add_working_days(dates, days: int, holidays=()) -> np.ndarray:
    """Return each date plus ``days`` working days (Monday to Friday, not holidays).

    A date on a weekend or holiday first moves to the next working day, so a case
    opened on Saturday with 5 working days is due on the Monday after next.
    """
    start = pd.to_datetime(pd.Series(dates)).to_numpy().astype("datetime64[D]")
    holidays = np.array(list(holidays), dtype="datetime64[D]")
    due = np.busday_offset(start, days, roll="forward", holidays=holidays)
    return due.astype("datetime64[ns]")


def triggered_rules(feedback: pd.DataFrame, rules: FollowUpRules,
                    sentiment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one boolean column per trigger and the sentiment score per response.

    ``sentiment`` is ``score_sentiment`` output aligned with ``feedback``; when it
    is None and the comment rule is on, the comments are scored here.
    """
    result = pd.DataFrame(index=feedback.index)
    nps = pd.to_numeric(feedback["nps"], errors="coerce")
    csat = (pd.to_numeric(feedback["csat"], errors="coerce") if "csat" in feedback
            else pd.Series(np.nan, index=feedback.index))
    result["nps"] = (nps <= rules.nps_max) if rules.nps_max is not None else False
    result["csat"] = (csat <= rules.csat_max) if rules.csat_max is not None else False
    result["sentiment_score"] = np.nan
    result["comment"] = False
    if rules.negative_comment and "comment" in feedback:
        if sentiment is None:
            sentiment = score_sentiment(feedback["comment"],
                                        threshold=rules.sentiment_threshold)
        score = np.asarray(sentiment["score"], dtype=float)
        labelled = np.asarray(sentiment["label"]) != "none"
        result["sentiment_score"] = np.where(labelled, score, np.nan)
        result["comment"] = labelled & (score < -rules.sentiment_threshold)
    return result


def case_owners(client_ids: pd.Series, clients: pd.DataFrame | None,
                strength: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``owner`` and ``owner_source`` per client id.

    Parameters
    ----------
    client_ids : pandas.Series
        Client of each case.
    clients : pandas.DataFrame, optional
        ``client_id`` and ``relationship_manager``.
    strength : pandas.DataFrame, optional
        ``client_id``, ``staff`` and ``strength`` (higher is stronger). The
        strongest member of staff owns the case; a tie goes to the name that
        sorts first.
    """
    owner = pd.Series(None, index=client_ids.index, dtype=object)
    source = pd.Series("unassigned", index=client_ids.index, dtype=object)
    if clients is not None and "relationship_manager" in clients:
        managers = clients.drop_duplicates("client_id").set_index("client_id")[
            "relationship_manager"]
        manager = client_ids.map(managers)
        has_manager = manager.notna() & manager.astype(str).str.strip().ne("")
        owner[has_manager] = manager[has_manager]
        source[has_manager] = "relationship_manager"
    if strength is not None and len(strength):
        require_columns(strength, ["client_id", "staff", "strength"], "strength")
        ranked = strength.dropna(subset=["strength"]).sort_values(
            ["client_id", "strength", "staff"], ascending=[True, False, True],
            kind="stable")
        strongest = ranked.drop_duplicates("client_id").set_index("client_id")["staff"]
        tie = client_ids.map(strongest)
        owner[tie.notna()] = tie[tie.notna()]
        source[tie.notna()] = "strongest_tie"
    return pd.DataFrame({"owner": owner, "owner_source": source})


def propose_cases(feedback: pd.DataFrame, clients: pd.DataFrame | None = None, *,
                  rules: FollowUpRules | None = None,
                  strength: pd.DataFrame | None = None,
                  sentiment: pd.DataFrame | None = None,
                  existing_cases: pd.DataFrame | None = None,
                  opened_at=None) -> pd.DataFrame:
    """Propose a follow-up case for each response that a rule flags.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Canonical ``feedback`` columns.
    clients : pandas.DataFrame, optional
        Canonical ``clients`` columns, for the relationship manager.
    rules : FollowUpRules, optional
        Default ``FollowUpRules()``.
    strength : pandas.DataFrame, optional
        Tie strength (``client_id``, ``staff``, ``strength``) for the owner.
    sentiment : pandas.DataFrame, optional
        ``score_sentiment`` output aligned with ``feedback``, to skip rescoring.
    existing_cases : pandas.DataFrame, optional
        Cases already open or closed (with ``response_id``); their responses get no
        proposal.
    opened_at : date-like, optional
        Opening date of every proposal; default each response's date.

    Returns
    -------
    pandas.DataFrame
        Columns ``PROPOSAL_COLUMNS``, one row per flagged response, sorted by due
        date and response id. ``triggers`` lists the rules that fired, separated
        by ";" in the order of ``TRIGGERS``. Comments are copied verbatim.
    """
    rules = rules or FollowUpRules()
    require_columns(feedback, ["response_id", "client_id", "date", "nps"], "feedback")
    flags = triggered_rules(feedback, rules, sentiment)
    fired = flags[list(TRIGGERS)].to_numpy(dtype=bool)
    keep = fired.any(axis=1)
    if "follow_up_status" in feedback and rules.skip_statuses:
        status = feedback["follow_up_status"].astype(str).str.lower()
        keep &= ~status.isin([s.lower() for s in rules.skip_statuses]).to_numpy()
    if existing_cases is not None and len(existing_cases):
        require_columns(existing_cases, ["response_id"], "cases")
        keep &= ~feedback["response_id"].isin(existing_cases["response_id"]).to_numpy()

    chosen = feedback[keep]
    if chosen.empty:
        return pd.DataFrame(columns=list(PROPOSAL_COLUMNS))
    names = np.array(TRIGGERS)
    triggers = [";".join(names[row]) for row in fired[keep]]
    response_date = pd.to_datetime(chosen["date"])
    opened = (pd.Series(pd.Timestamp(opened_at), index=chosen.index)
              if opened_at is not None else response_date)
    owners = case_owners(chosen["client_id"], clients, strength)
    proposals = pd.DataFrame({
        "response_id": chosen["response_id"].to_numpy(),
        "client_id": chosen["client_id"].to_numpy(),
        "response_date": response_date.to_numpy(),
        "opened_at": opened.to_numpy(),
        "due_at": add_working_days(opened, rules.sla_working_days, rules.holidays),
        "owner": owners["owner"].to_numpy(),
        "owner_source": owners["owner_source"].to_numpy(),
        "triggers": triggers,
        "nps": chosen["nps"].to_numpy(),
        "csat": chosen["csat"].to_numpy() if "csat" in chosen else np.nan,
        "comment": chosen["comment"].to_numpy() if "comment" in chosen else None,
        "sentiment_score": flags.loc[keep, "sentiment_score"].to_numpy(),
        "follow_up_status": (chosen["follow_up_status"].to_numpy()
                             if "follow_up_status" in chosen else None),
    })
    return proposals.sort_values(["due_at", "response_id"], kind="stable",
                                 ignore_index=True)
