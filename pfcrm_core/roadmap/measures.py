"""Checklist items that the store decides: each measure returns whether its item is
met and the evidence, as a catalogue key with the figures to fill in.

The thresholds are the module constants below. They are starting targets for a
project-finance CRM, not industry standards, and each is stated in the page's
Method tab.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.quality import QualityReport
from pfcrm_core.quality.checks import EVENT_DATES, is_missing

# Counterparty types a project-finance CRM must cover, and how many must have
# clients before the scope counts as represented in the data.
SCOPE_CLIENT_TYPES = ("bank", "investor", "sponsor", "government", "contractor",
                      "offtaker")
MIN_CLIENT_TYPES = 4

CORE_TABLES = ("clients", "deals", "revenue", "interactions", "feedback", "credit")

QUALITY_TARGET = 0.85
TIMELINESS_TARGET = 0.80
RM_COVERAGE_TARGET = 0.95
CREDIT_HISTORY_YEARS = 2.0
CLV_HISTORY_YEARS = 2.0
CLV_MIN_REPEAT_CLIENTS = 50
# The score of one response is -1, 0 or 1, so its variance is at most 1 and the
# normal-approximation 95% interval of an NPS from n responses is at most
# 1.96 / sqrt(n) wide on each side: about +/-20 points for 100 responses.
MIN_RECENT_RESPONSES = 100
NETWORK_COVERAGE_TARGET = 0.50
CONTACT_COVERAGE_TARGET = 0.80
FEEDBACK_CLOSED_SHARE = 0.50

# Length of "the last 12 months" for contact coverage and the survey sample.
WINDOW_DAYS = 365

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Measurement:
    """Whether a measured item is met, and why.

    Attributes
    ----------
    met : bool
        Whether the item's target is reached.
    evidence_key : str
        Catalogue key of the sentence that states the evidence.
    values : dict
        Values for the sentence's placeholders. A value under ``tables`` is a
        tuple of canonical table names, which the page translates.
    """

    met: bool
    evidence_key: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureInput:
    """Inputs of the measures: the canonical tables, their quality and the cases.

    Attributes
    ----------
    frames : mapping of str to DataFrame
        Every canonical table, keyed by name.
    quality : QualityReport
        The data-quality report of ``frames`` at ``as_of``.
    cases : DataFrame
        The follow-up cases (``Store.read_cases``).
    as_of : Timestamp
        Reference date of the windows.
    """

    frames: Mapping[str, pd.DataFrame]
    quality: QualityReport
    cases: pd.DataFrame
    as_of: pd.Timestamp


def reference_date(frames: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    """Return the latest event date in revenue, interactions, feedback and credit.

    Returns None when none of those tables has a date.
    """
    latest = []
    for name, (column, _) in EVENT_DATES.items():
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce").dropna()
        if not dates.empty:
            latest.append(dates.max())
    return max(latest).normalize() if latest else None


def _no_rows(*tables: str) -> Measurement:
    return Measurement(False, "roadmap.evidence.no_rows", {"tables": tables})


def _recent(dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    dates = pd.to_datetime(dates, errors="coerce")
    start = as_of - pd.Timedelta(days=WINDOW_DAYS)
    return (dates > start) & (dates <= as_of)


def _table_share(quality: QualityReport, dimension: str
                 ) -> tuple[float, tuple[str, ...]]:
    """Return the lowest applicable share of a dimension and the tables that have it."""
    tables = quality.tables
    applicable = tables[(tables["rows"] > 0) & tables[dimension].notna()]
    applicable = applicable[~applicable["not_applicable"].str.contains(dimension)]
    if applicable.empty:
        return math.nan, ()
    lowest = float(applicable[dimension].min())
    names = tuple(applicable.loc[applicable[dimension] == lowest, "table"])
    return lowest, names


# Step 1: goals and scope ----------------------------------------------------------


def measure_client_types(data: MeasureInput) -> Measurement:
    """Count the counterparty types in scope that have at least one client."""
    clients = data.frames["clients"]
    if clients.empty:
        return _no_rows("clients")
    found = sorted(set(clients["client_type"].dropna()) & set(SCOPE_CLIENT_TYPES))
    return Measurement(len(found) >= MIN_CLIENT_TYPES, "roadmap.evidence.client_types",
                       {"found": len(found), "total": len(SCOPE_CLIENT_TYPES),
                        "target": MIN_CLIENT_TYPES})


# Step 2: data collection and quality ----------------------------------------------


def measure_core_tables(data: MeasureInput) -> Measurement:
    """Check that every core table has rows."""
    empty = tuple(name for name in CORE_TABLES if data.frames[name].empty)
    loaded = len(CORE_TABLES) - len(empty)
    key = "roadmap.evidence.core_tables_missing" if empty else \
        "roadmap.evidence.core_tables"
    return Measurement(not empty, key, {"loaded": loaded, "total": len(CORE_TABLES),
                                        "tables": empty})


def _normalised_name(name: object) -> str:
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return " ".join(text.split())


def measure_one_id_per_entity(data: MeasureInput) -> Measurement:
    """Check that client ids are unique and no two ids carry the same name.

    Names are compared after NFKC normalisation, case folding and collapsing of
    white space, so "Acme Bank" and "ACME  bank" count as one legal entity.
    """
    clients = data.frames["clients"]
    if clients.empty:
        return _no_rows("clients")
    ids = clients["client_id"]
    bad_ids = int((is_missing(ids) | ids.duplicated(keep=False)).sum())
    named = clients.loc[~is_missing(clients["name"])]
    names = named.assign(normalised=named["name"].map(_normalised_name))
    ids_per_name = names.groupby("normalised")["client_id"].nunique()
    shared = int((ids_per_name > 1).sum())
    return Measurement(bad_ids == 0 and shared == 0, "roadmap.evidence.one_id",
                       {"clients": len(clients), "bad_ids": bad_ids,
                        "shared_names": shared})


def measure_references(data: MeasureInput) -> Measurement:
    """Check that every reference value points to a stored record."""
    lowest, tables = _table_share(data.quality, "referential_integrity")
    if math.isnan(lowest):
        return _no_rows("deals", "revenue", "interactions", "feedback")
    if lowest >= 1.0:
        return Measurement(True, "roadmap.evidence.references_ok")
    return Measurement(False, "roadmap.evidence.references",
                       {"share": lowest, "tables": tables})


def measure_credit_history(data: MeasureInput) -> Measurement:
    """Check that the rating history spans at least ``CREDIT_HISTORY_YEARS`` years."""
    credit = data.frames["credit"]
    dates = pd.to_datetime(credit["as_of"], errors="coerce").dropna()
    if dates.empty:
        return _no_rows("credit")
    years = (dates.max() - dates.min()).days / DAYS_PER_YEAR
    return Measurement(years >= CREDIT_HISTORY_YEARS, "roadmap.evidence.credit_history",
                       {"years": years, "first": dates.min().date().isoformat(),
                        "last": dates.max().date().isoformat(),
                        "clients": int(credit["client_id"].nunique()),
                        "target": CREDIT_HISTORY_YEARS})


def measure_rm_coverage(data: MeasureInput) -> Measurement:
    """Check the share of clients with a relationship manager."""
    clients = data.frames["clients"]
    if clients.empty:
        return _no_rows("clients")
    share = float((~is_missing(clients["relationship_manager"])).mean())
    return Measurement(share >= RM_COVERAGE_TARGET, "roadmap.evidence.share_target",
                       {"share": share, "target": RM_COVERAGE_TARGET})


def measure_quality_score(data: MeasureInput) -> Measurement:
    """Check the overall data-quality score against ``QUALITY_TARGET``."""
    overall = data.quality.overall
    if math.isnan(overall):
        return _no_rows(*CORE_TABLES)
    return Measurement(overall >= QUALITY_TARGET, "roadmap.evidence.share_target",
                       {"share": overall, "target": QUALITY_TARGET})


def measure_timeliness(data: MeasureInput) -> Measurement:
    """Check that every event table reaches ``TIMELINESS_TARGET`` in timeliness."""
    lowest, tables = _table_share(data.quality, "timeliness")
    if math.isnan(lowest):
        return _no_rows(*EVENT_DATES)
    return Measurement(lowest >= TIMELINESS_TARGET, "roadmap.evidence.timeliness",
                       {"share": lowest, "tables": tables,
                        "days": data.quality.freshness_days,
                        "target": TIMELINESS_TARGET})


# Step 3: tools and methods ---------------------------------------------------------


def measure_clv_history(data: MeasureInput) -> Measurement:
    """Check that revenue supports a BG/NBD fit: years of history and repeat clients.

    A repeat client has revenue on at least two distinct days, because BG/NBD's
    frequency counts repeat transaction days.
    """
    revenue = data.frames["revenue"]
    dates = pd.to_datetime(revenue["date"], errors="coerce")
    if dates.dropna().empty:
        return _no_rows("revenue")
    years = (dates.max() - dates.min()).days / DAYS_PER_YEAR
    days_per_client = dates.groupby(revenue["client_id"]).nunique()
    repeaters = int((days_per_client >= 2).sum())
    met = years >= CLV_HISTORY_YEARS and repeaters >= CLV_MIN_REPEAT_CLIENTS
    return Measurement(met, "roadmap.evidence.clv_history",
                       {"years": years, "repeaters": repeaters,
                        "target_years": CLV_HISTORY_YEARS,
                        "target_clients": CLV_MIN_REPEAT_CLIENTS})


def measure_survey_sample(data: MeasureInput) -> Measurement:
    """Count survey responses with an NPS score in the last ``WINDOW_DAYS`` days."""
    feedback = data.frames["feedback"]
    if feedback.empty:
        return _no_rows("feedback")
    recent = _recent(feedback["date"], data.as_of) & ~is_missing(feedback["nps"])
    count = int(recent.sum())
    return Measurement(count >= MIN_RECENT_RESPONSES, "roadmap.evidence.survey_sample",
                       {"responses": count, "days": WINDOW_DAYS,
                        "target": MIN_RECENT_RESPONSES})


def measure_network_data(data: MeasureInput) -> Measurement:
    """Check the share of clients that appear in at least one relationship."""
    clients = data.frames["clients"]
    relationships = data.frames["relationships"]
    if clients.empty or relationships.empty:
        return _no_rows(*(name for name in ("clients", "relationships")
                          if data.frames[name].empty))
    linked_ids = set(relationships["source_id"]) | set(relationships["target_id"])
    linked = int(clients["client_id"].isin(linked_ids).sum())
    share = linked / len(clients)
    return Measurement(share >= NETWORK_COVERAGE_TARGET, "roadmap.evidence.network",
                       {"linked": linked, "clients": len(clients), "share": share,
                        "target": NETWORK_COVERAGE_TARGET})


# Step 4: training and culture ------------------------------------------------------


def measure_contact_coverage(data: MeasureInput) -> Measurement:
    """Check the share of clients with a logged interaction in the last 12 months."""
    clients = data.frames["clients"]
    interactions = data.frames["interactions"]
    if clients.empty or interactions.empty:
        return _no_rows(*(name for name in ("clients", "interactions")
                          if data.frames[name].empty))
    recent = interactions.loc[_recent(interactions["date"], data.as_of), "client_id"]
    contacted = int(clients["client_id"].isin(set(recent)).sum())
    share = contacted / len(clients)
    return Measurement(share >= CONTACT_COVERAGE_TARGET, "roadmap.evidence.contacts",
                       {"contacted": contacted, "clients": len(clients),
                        "share": share, "days": WINDOW_DAYS,
                        "target": CONTACT_COVERAGE_TARGET})


# Step 5: continuous improvement ----------------------------------------------------


def measure_feedback_loop(data: MeasureInput) -> Measurement:
    """Check that follow-up cases are closed: at least one, and a set share of all."""
    cases = data.cases
    opened = len(cases)
    closed = int((cases["status"] == "closed").sum()) if opened else 0
    share = closed / opened if opened else 0.0
    met = closed >= 1 and share >= FEEDBACK_CLOSED_SHARE
    return Measurement(met, "roadmap.evidence.feedback_loop",
                       {"closed": closed, "opened": opened,
                        "target": FEEDBACK_CLOSED_SHARE})


MEASURES: dict[str, Callable[[MeasureInput], Measurement]] = {
    "client_types": measure_client_types,
    "core_tables": measure_core_tables,
    "one_id_per_entity": measure_one_id_per_entity,
    "references": measure_references,
    "credit_history": measure_credit_history,
    "rm_coverage": measure_rm_coverage,
    "quality_score": measure_quality_score,
    "timeliness": measure_timeliness,
    "clv_history": measure_clv_history,
    "survey_sample": measure_survey_sample,
    "network_data": measure_network_data,
    "contact_coverage": measure_contact_coverage,
    "feedback_loop": measure_feedback_loop,
}
