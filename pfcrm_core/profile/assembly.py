"""The whole profile of one client from the tables and the fitted models."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.profile.changes import Changes, changes_since
from pfcrm_core.profile.errors import Gap
from pfcrm_core.profile.models import (NetworkView, attrition_view, clv_view,
                                       network_view, next_deal_view, risk_view,
                                       segment_view)
from pfcrm_core.profile.tables import (book_end, case_view, client_deals, client_facts,
                                       deal_summary, default_since, feedback_view,
                                       rating_history, revenue_by_period,
                                       revenue_summary, satisfaction_summary,
                                       task_view)


@dataclass
class ClientProfile:
    """Every model's view of one client at ``as_of``, and the gaps.

    Sections are None (views) or empty (tables) when there is nothing to show;
    ``gaps`` then contains the reason under the section's name: deals, revenue,
    clv, risk, ratings, segment, network, feedback, cases, tasks, attrition,
    next_deal, changes.
    """

    client_id: str
    facts: dict
    as_of: pd.Timestamp | None
    deals: pd.DataFrame
    deal_summary: dict
    revenue: pd.DataFrame
    revenue_summary: dict
    clv: dict | None = None
    risk: dict | None = None
    ratings: pd.DataFrame | None = None
    segment: dict | None = None
    network: NetworkView | None = None
    feedback: pd.DataFrame | None = None
    satisfaction: dict | None = None
    cases: pd.DataFrame | None = None
    attrition: dict | None = None
    tasks: pd.DataFrame | None = None
    next_deal: dict | None = None
    changes: Changes | None = None
    gaps: dict[str, Gap] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The client's name, or its id when the name is missing."""
        return str(self.facts.get("name") or self.client_id)


@dataclass
class ModelResults:
    """Fitted results the profile reads, each None when the model could not run.

    Attributes
    ----------
    clv : pandas.DataFrame, optional
        ``ClvResult.clients``.
    risk : pandas.DataFrame, optional
        ``raroc.risk_return_table`` of the current book.
    segmentation : SegmentationResult, optional
    offers : pandas.DataFrame, optional
        ``segmentation.default_offers`` of ``segmentation.profiles``.
    network : NetworkAnalysis, optional
    attrition : AttritionResult, optional
    cases : pandas.DataFrame, optional
        ``Store.read_cases()``.
    tasks : pandas.DataFrame, optional
        ``Store.read_tasks()``: the tasks the automation rules raised.
    next_deal : NextDealResult, optional
        ``prediction.predict_next_deal`` on the whole book.
    gaps : dict of str to Gap
        Why a model has no result (its error), by section name.
    """

    clv: pd.DataFrame | None = None
    risk: pd.DataFrame | None = None
    segmentation: object | None = None
    offers: pd.DataFrame | None = None
    network: object | None = None
    attrition: object | None = None
    cases: pd.DataFrame | None = None
    tasks: pd.DataFrame | None = None
    next_deal: object | None = None
    gaps: dict[str, Gap] = field(default_factory=dict)


def assemble_profile(tables: dict[str, pd.DataFrame], client_id: str,
                     results: ModelResults | None = None, *,
                     since=None) -> ClientProfile:
    """Bring the facts and every model's view of one client together.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The canonical tables (clients, projects, deals, revenue, interactions,
        feedback, credit).
    client_id : str
    results : ModelResults, optional
        The fitted models; a missing result leaves its section empty with the
        gap from ``results.gaps`` (or a generic one).
    since : date-like, optional
        Start of the "what changed" window; default 90 days before the latest
        data.

    Raises
    ------
    ProfileError
        When the client id is unknown or ``since`` is not before the latest data.
    """
    results = results or ModelResults()
    facts = client_facts(tables["clients"], client_id)
    as_of = book_end(tables)
    reference = as_of if as_of is not None else pd.Timestamp.now().normalize()
    deals = client_deals(tables["deals"], tables["projects"], client_id, reference)
    profile = ClientProfile(
        client_id=str(client_id), facts=facts, as_of=as_of, deals=deals,
        deal_summary=deal_summary(deals),
        revenue=revenue_by_period(tables["revenue"], client_id),
        revenue_summary=revenue_summary(tables["revenue"], client_id, reference),
        ratings=rating_history(tables["credit"], client_id),
        feedback=feedback_view(tables["feedback"], client_id),
        cases=case_view(results.cases, client_id),
        tasks=task_view(results.tasks, client_id))
    _fill_table_gaps(profile)
    _fill_models(profile, tables, results)
    if as_of is None:
        profile.gaps["changes"] = Gap("profile.gap.no_dates")
    else:
        profile.changes = changes_since(tables, results.cases, client_id,
                                        since if since is not None
                                        else default_since(as_of), as_of)
    return profile


def _fill_table_gaps(profile: ClientProfile) -> None:
    if profile.deals.empty:
        profile.gaps["deals"] = Gap("profile.gap.no_deals")
    if profile.revenue.empty:
        profile.gaps["revenue"] = Gap("profile.gap.no_revenue")
    if profile.ratings.empty:
        profile.gaps["ratings"] = Gap("profile.gap.no_credit")
    if profile.feedback.empty:
        profile.gaps["feedback"] = Gap("profile.gap.no_feedback")
    else:
        profile.satisfaction = satisfaction_summary(profile.feedback)
    if profile.cases.empty:
        profile.gaps["cases"] = Gap("profile.gap.no_cases")
    if profile.tasks.empty:
        profile.gaps["tasks"] = Gap("profile.gap.no_tasks")


def _fill_models(profile: ClientProfile, tables: dict, results: ModelResults) -> None:
    client_id = profile.client_id
    views = {
        "clv": (results.clv, lambda r: clv_view(r, client_id),
                "profile.gap.clv_no_revenue"),
        "risk": (results.risk, lambda r: risk_view(r, client_id),
                 "profile.gap.no_credit"),
        "segment": (results.segmentation,
                    lambda r: segment_view(r, results.offers, client_id),
                    "profile.gap.not_segmented"),
        "network": (results.network,
                    lambda r: network_view(r, tables["interactions"], client_id),
                    "profile.gap.not_in_network"),
        "attrition": (results.attrition, lambda r: attrition_view(r, client_id),
                      "profile.gap.not_scored"),
        "next_deal": (results.next_deal, lambda r: next_deal_view(r, client_id),
                      "profile.gap.not_scored"),
    }
    for section, (result, select, absent_key) in views.items():
        if result is None:
            profile.gaps[section] = results.gaps.get(
                section, Gap("profile.gap.model_unavailable"))
            continue
        view = select(result)
        if section == "network" and _isolated(view):
            view, absent_key = None, "profile.gap.isolated"
        if section == "segment" and _no_history(profile):
            view, absent_key = None, "profile.gap.segment_no_history"
        if view is None:
            profile.gaps[section] = Gap(absent_key)
        setattr(profile, section, view)


def _no_history(profile: ClientProfile) -> bool:
    # The segmentation places every client, and one without deals, revenue or a
    # rating lands where the imputed book averages put it: no basis for an offer.
    return profile.deals.empty and profile.revenue.empty and profile.ratings.empty


def _isolated(view: NetworkView | None) -> bool:
    # A node with no tie at all, whose centralities and community carry no information.
    return view is not None and not view.measures.get("degree") and view.staff.empty
