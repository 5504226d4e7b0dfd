"""The whole case study of one project, built from the store's tables and model outputs.

The models run elsewhere: CLV in ``pfcrm_core.clv``, PDs in ``pfcrm_core.risk``
and tie strength in ``pfcrm_core.network``. This module takes their outputs, so
the app can reuse its cached fits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from pfcrm_core.casestudy.errors import CaseStudyError
from pfcrm_core.casestudy.funding import (DEFAULT_PACE_MONTHS, FundingInPlace,
                                          funding_in_place)
from pfcrm_core.casestudy.outreach import (OutreachRanking, OutreachSettings,
                                           rank_outreach)
from pfcrm_core.casestudy.project import project_card
from pfcrm_core.casestudy.simulation import (SimulationResult, SimulationSettings,
                                             simulate_strategies)
from pfcrm_core.casestudy.workshop import WorkshopStep, workshop_steps
from pfcrm_core.profile.tables import book_end

logger = logging.getLogger(__name__)

REQUIRED_TABLES = ("clients", "projects", "deals")


@dataclass(frozen=True)
class CaseStudy:
    """A project's card, funding in place, outreach ranking, simulation and workshop."""

    card: dict
    funding: FundingInPlace
    outreach: OutreachRanking
    simulation: SimulationResult
    steps: list[WorkshopStep]


def build_case(tables: dict[str, pd.DataFrame], project_id: str, *,
               credit: pd.DataFrame, clv: pd.Series | None = None,
               strength: pd.Series | None = None, as_of=None,
               pace_months: int = DEFAULT_PACE_MONTHS,
               outreach: OutreachSettings | None = None,
               simulation: SimulationSettings | None = None) -> CaseStudy:
    """Build every part of the case study for ``project_id``.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Canonical tables; clients, projects and deals are required, relationships
        and feedback are used when present.
    project_id : str
    credit : pandas.DataFrame
        client_id, pd (and rating) from the credit model.
    clv : pandas.Series, optional
        CLV in USD by client id.
    strength : pandas.Series, optional
        Best staff–client strength score (0..100) by client id.
    as_of : date-like, optional
        Default: the latest revenue, interaction, feedback or credit date.

    Raises
    ------
    CaseStudyError
        When a required table is empty, the project is unknown or has no
        target, or a setting is invalid.
    """
    empty = [name for name in REQUIRED_TABLES
             if tables.get(name) is None or tables[name].empty]
    if empty:
        raise CaseStudyError("case_study.error.no_data", tables=", ".join(empty))
    as_of = pd.Timestamp(as_of) if as_of is not None else book_end(tables)
    if as_of is None:
        as_of = pd.to_datetime(tables["deals"]["start_date"]).max()

    card = project_card(tables["projects"], project_id)
    funding = funding_in_place(tables["projects"], tables["deals"], project_id, as_of,
                               pace_months=pace_months)
    ranking = rank_outreach(tables["clients"], tables["deals"], tables["projects"],
                            project_id, funding.gap_usd, credit=credit, clv=clv,
                            strength=strength,
                            relationships=tables.get("relationships"),
                            settings=outreach)
    simulated = simulate_strategies(ranking.ranked, funding.gap_usd, simulation)
    feedback = tables.get("feedback")
    if feedback is None:
        feedback = pd.DataFrame(columns=["client_id", "date", "nps"])
    steps = workshop_steps(funding, ranking, simulated, deals=tables["deals"],
                           feedback=feedback, project_id=project_id)
    logger.info("case study of %s: %d candidates ranked, %d excluded, gap %.0f USD",
                project_id, len(ranking.ranked), len(ranking.excluded), funding.gap_usd)
    return CaseStudy(card=card, funding=funding, outreach=ranking,
                     simulation=simulated, steps=steps)
