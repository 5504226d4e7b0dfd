"""The case study: a project's funding in place, outreach ranking, simulated
strategies and the workshop script that walks through the seven models on it.

``build_case`` assembles every part from the canonical tables and the outputs of
the CLV, credit and network models.
"""

from pfcrm_core.casestudy.case import CaseStudy, build_case
from pfcrm_core.casestudy.errors import CaseStudyError
from pfcrm_core.casestudy.funding import FundingInPlace, funding_in_place
from pfcrm_core.casestudy.outreach import (COMPONENTS, DEFAULT_PD_CUTOFF,
                                           DEFAULT_WEIGHTS, EXCLUSION_REASONS,
                                           OutreachRanking, OutreachSettings,
                                           rank_outreach)
from pfcrm_core.casestudy.project import (FUNDING_ROLES, committed_clients,
                                          funding_deals, project_card)
from pfcrm_core.casestudy.simulation import (STRATEGIES, SimulationResult,
                                             SimulationSettings, closing_curve,
                                             simulate_strategies)
from pfcrm_core.casestudy.workshop import STEP_PAGES, WorkshopStep, workshop_steps

__all__ = [
    "COMPONENTS", "CaseStudy", "CaseStudyError", "DEFAULT_PD_CUTOFF",
    "DEFAULT_WEIGHTS", "EXCLUSION_REASONS", "FUNDING_ROLES", "FundingInPlace",
    "OutreachRanking", "OutreachSettings", "STEP_PAGES", "STRATEGIES",
    "SimulationResult", "SimulationSettings", "WorkshopStep", "build_case",
    "closing_curve",
    "committed_clients", "funding_deals", "funding_in_place", "project_card",
    "rank_outreach", "simulate_strategies", "workshop_steps",
]
