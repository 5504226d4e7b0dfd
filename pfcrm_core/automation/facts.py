"""Client facts at an as-of date: the values that automation rules test.

Every fact is computed only from rows dated on or before the as-of date, so the
same function serves the live run and the backtest at past month-ends. Dates used
to decide what was known: revenue ``date``, interaction ``date``, feedback
``date``, credit ``as_of``, deal ``start_date`` and case ``opened_at``.

Facts
-----
clv_rank_pct
    Percentile rank (0-100, 100 = highest) of the client's revenue in USD over the
    365 days up to the as-of date, among all clients known at that date.
clv_quintile
    ``ceil(clv_rank_pct / 20)``: 5 is the top fifth, 1 the bottom fifth.
days_since_contact
    Days from the last interaction to the as-of date. A client never contacted
    counts from ``relationship_since``; with neither date the fact is missing.
rating_downgrade_notches
    ``notch(rating at d) - notch(rating at d - 365 days)`` on the external scale
    (0 = AAA ... 21 = D), so 2 means two notches down over the year and a negative
    value an upgrade. Missing without a rating at both dates.
days_to_next_maturity
    Days to the earliest maturity of the client's live deals (started on or before
    d, maturing after d).
refinancing_opportunity
    True when a live deal matures within 365 days and its margin is above the
    median margin of all live deals with a margin at d. Such a client pays more
    than the book, so a refinancing is both likely and worth offering first.
latest_nps
    The client's most recent NPS score (0-10).
detractor_without_case
    True when the latest response is a detractor (NPS 0-6), is at most 180 days old,
    and no follow-up case was opened for the client since that response.
pd
    Probability of default from the latest credit record (0-1).
client_type
    The client's counterparty type (bank, investor, sponsor ...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..fx import revenue_in_usd
from ..risk.exceptions import RiskDataError
from ..risk.master_scale import rating_notch

REVENUE_WINDOW_DAYS = 365
DOWNGRADE_WINDOW_DAYS = 365
REFINANCING_WINDOW_DAYS = 365
DETRACTOR_WINDOW_DAYS = 180
DETRACTOR_MAX_NPS = 6

NUMBER = "number"
BOOLEAN = "boolean"
CATEGORY = "category"


@dataclass(frozen=True)
class FactSpec:
    """A fact that rules can test.

    Attributes
    ----------
    name : str
        Column name in the facts table and in rule conditions.
    kind : str
        ``number``, ``boolean`` or ``category``; it decides the operators allowed.
    minimum, maximum : float, optional
        Range of a number fact, used to validate rule values.
    """

    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None


FACTS: dict[str, FactSpec] = {spec.name: spec for spec in (
    FactSpec("clv_rank_pct", NUMBER, 0, 100),
    FactSpec("clv_quintile", NUMBER, 1, 5),
    FactSpec("days_since_contact", NUMBER, 0, None),
    FactSpec("rating_downgrade_notches", NUMBER, -21, 21),
    FactSpec("days_to_next_maturity", NUMBER, 0, None),
    FactSpec("refinancing_opportunity", BOOLEAN),
    FactSpec("latest_nps", NUMBER, 0, 10),
    FactSpec("detractor_without_case", BOOLEAN),
    FactSpec("pd", NUMBER, 0, 1),
    FactSpec("client_type", CATEGORY),
)}

# Tables the facts read, with the columns used.
SOURCE_COLUMNS = {
    "clients": ["client_id", "name", "client_type", "relationship_since",
                "relationship_manager"],
    "deals": ["deal_id", "client_id", "start_date", "maturity_date", "margin_bps"],
    "revenue": ["client_id", "date", "amount", "currency"],
    "interactions": ["client_id", "date"],
    "feedback": ["response_id", "client_id", "date", "nps"],
    "credit": ["client_id", "as_of", "rating", "pd"],
}
CASE_COLUMNS = ["client_id", "opened_at"]


def load_sources(store) -> dict[str, pd.DataFrame]:
    """Read the tables that the facts need from a ``Store``, revenue converted to USD."""
    sources = {name: store.read_table(name, columns)
               for name, columns in SOURCE_COLUMNS.items()}
    sources["cases"] = store.read_cases()[CASE_COLUMNS]
    return prepare_sources(sources)


def prepare_sources(sources: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return the tables with parsed dates, USD revenue and a rating notch column.

    Missing tables are treated as empty, so the facts of a thin database are
    missing values rather than errors.
    """
    prepared = {}
    for name, columns in {**SOURCE_COLUMNS, "cases": CASE_COLUMNS}.items():
        frame = sources.get(name)
        if frame is None:
            frame = pd.DataFrame(columns=columns)
        prepared[name] = frame.copy()

    for name, column in (("clients", "relationship_since"), ("deals", "start_date"),
                         ("deals", "maturity_date"), ("revenue", "date"),
                         ("interactions", "date"), ("feedback", "date"),
                         ("credit", "as_of"), ("cases", "opened_at")):
        prepared[name][column] = pd.to_datetime(prepared[name][column])

    if "amount_usd" not in prepared["revenue"]:
        usd = revenue_in_usd(prepared["revenue"])
        prepared["revenue"] = usd.rename(columns={"amount": "amount_usd"})
    prepared["credit"]["notch"] = _notches(prepared["credit"]["rating"])
    return prepared


def _notches(ratings: pd.Series) -> pd.Series:
    """Map ratings to external notches; text that is not a rating gives NaN."""
    lookup = {}
    for value in pd.unique(ratings.dropna()):
        try:
            lookup[value] = float(rating_notch([value]).iloc[0])
        except RiskDataError:
            lookup[value] = math.nan
    return ratings.map(lookup).astype(float)


def client_facts(sources: dict[str, pd.DataFrame], as_of) -> pd.DataFrame:
    """Compute every fact for every client known at ``as_of``.

    Parameters
    ----------
    sources : dict of DataFrame
        Tables from ``prepare_sources`` (or ``load_sources``).
    as_of : date-like
        The evaluation date. Rows dated after it are ignored.

    Returns
    -------
    DataFrame
        One row per client: client_id, client_name, relationship_manager and one
        column per entry of ``FACTS``. Facts without data are NaN (numbers) or
        False (booleans).
    """
    as_of = pd.Timestamp(as_of).normalize()
    clients = sources["clients"]
    since = clients["relationship_since"]
    known = clients[since.isna() | (since <= as_of)]
    facts = pd.DataFrame({
        "client_id": known["client_id"].astype(str).to_numpy(),
        "client_name": known["name"].fillna(known["client_id"]).astype(str).to_numpy(),
        "relationship_manager": known["relationship_manager"].astype(object).to_numpy(),
        "client_type": known["client_type"].astype(object).to_numpy(),
    })
    index = pd.Index(facts["client_id"])

    rank = _revenue_rank_pct(sources["revenue"], index, as_of)
    facts["clv_rank_pct"] = rank.to_numpy()
    facts["clv_quintile"] = np.clip(np.ceil(rank.to_numpy() / 20), 1, 5)
    facts["days_since_contact"] = _days_since_contact(
        sources["interactions"], known.set_index("client_id")["relationship_since"],
        index, as_of).to_numpy()
    facts["rating_downgrade_notches"] = _downgrade_notches(
        sources["credit"], index, as_of).to_numpy()

    maturity, refinancing = _maturity_facts(sources["deals"], index, as_of)
    facts["days_to_next_maturity"] = maturity.to_numpy()
    facts["refinancing_opportunity"] = refinancing.to_numpy()

    latest_nps, detractor = _feedback_facts(sources["feedback"], sources["cases"],
                                            index, as_of)
    facts["latest_nps"] = latest_nps.to_numpy()
    facts["detractor_without_case"] = detractor.to_numpy()
    facts["pd"] = _latest_by_client(sources["credit"], "as_of", as_of)["pd"] \
        .reindex(index).to_numpy(dtype=float)
    return facts


def _latest_by_client(frame: pd.DataFrame, date_column: str, as_of) -> pd.DataFrame:
    """Return the last row per client dated on or before ``as_of``, indexed by client."""
    known = frame[frame[date_column] <= as_of]
    known = known.sort_values([date_column], kind="mergesort")
    return known.groupby("client_id").tail(1).set_index("client_id")


def _revenue_rank_pct(revenue: pd.DataFrame, index: pd.Index, as_of) -> pd.Series:
    # NOTE: this is a proxy for CLV, not the BG/NBD and Gamma-Gamma value of the
    # CLV page, because refitting those at every backtest date is too slow. The
    # same proxy is used live, so a backtest and a run test the same rule.
    start = as_of - pd.Timedelta(days=REVENUE_WINDOW_DAYS)
    window = revenue[(revenue["date"] > start) & (revenue["date"] <= as_of)]
    totals = window.groupby("client_id")["amount_usd"].sum()
    totals = totals.reindex(index, fill_value=0.0)
    if totals.empty:
        return totals.astype(float)
    return totals.rank(pct=True, method="max") * 100


def _days_since_contact(interactions: pd.DataFrame, since: pd.Series, index: pd.Index,
                        as_of) -> pd.Series:
    known = interactions[interactions["date"] <= as_of]
    last = known.groupby("client_id")["date"].max().reindex(index)
    last = last.fillna(since.reindex(index))
    return (as_of - last).dt.days.astype(float)


def _downgrade_notches(credit: pd.DataFrame, index: pd.Index, as_of) -> pd.Series:
    now = _latest_by_client(credit, "as_of", as_of)["notch"].reindex(index)
    earlier_date = as_of - pd.Timedelta(days=DOWNGRADE_WINDOW_DAYS)
    before = _latest_by_client(credit, "as_of", earlier_date)["notch"].reindex(index)
    return (now - before).astype(float)


def _maturity_facts(deals: pd.DataFrame, index: pd.Index,
                    as_of) -> tuple[pd.Series, pd.Series]:
    live = deals[(deals["start_date"] <= as_of) & (deals["maturity_date"] > as_of)]
    days = (live["maturity_date"] - as_of).dt.days
    next_maturity = days.groupby(live["client_id"]).min().reindex(index).astype(float)

    median_margin = live["margin_bps"].median()
    soon = days <= REFINANCING_WINDOW_DAYS
    above = live["margin_bps"] > median_margin if pd.notna(median_margin) else False
    flagged = live.loc[soon & above, "client_id"].unique()
    refinancing = pd.Series(index.isin(flagged), index=index)
    return next_maturity, refinancing


def _feedback_facts(feedback: pd.DataFrame, cases: pd.DataFrame, index: pd.Index,
                    as_of) -> tuple[pd.Series, pd.Series]:
    latest = _latest_by_client(feedback, "date", as_of)
    latest_nps = latest["nps"].reindex(index).astype(float)
    answered = latest["date"].reindex(index)

    recent = (as_of - answered).dt.days <= DETRACTOR_WINDOW_DAYS
    detractor = (latest_nps <= DETRACTOR_MAX_NPS) & recent

    known_cases = cases[cases["opened_at"].dt.normalize() <= as_of]
    last_case = known_cases.groupby("client_id")["opened_at"].max().reindex(index)
    has_case = last_case.dt.normalize() >= answered
    return latest_nps, (detractor & ~has_case.fillna(False).astype(bool)).astype(bool)
