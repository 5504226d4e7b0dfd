"""The workshop script: the seven models walked through on one project, step by step.

Each step names the question it answers on the case, the page to open and one
key figure computed from the data for this project. The texts (title, question,
what to look at, the figure's sentence) are catalogue entries
``case_study.step.<key>.*``; the figure's placeholders are ``values``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.casestudy.funding import FundingInPlace
from pfcrm_core.casestudy.outreach import OutreachRanking
from pfcrm_core.casestudy.project import committed_clients
from pfcrm_core.casestudy.simulation import SimulationResult
from pfcrm_core.network.strength import GOOD_SCORE
from pfcrm_core.satisfaction.metrics import nps_summary

STEP_PAGES = {
    "intro": "pages/adoption/case_study.py",
    "clv": "pages/models/clv.py",
    "satisfaction": "pages/models/satisfaction.py",
    "segments": "pages/models/segments.py",
    "risk": "pages/models/risk.py",
    "network": "pages/models/network.py",
    "feedback": "pages/models/feedback.py",
    "automation": "pages/models/automation.py",
    "wrap_up": "pages/adoption/case_study.py",
}
# Model number (1..7) of each step; the intro and the wrap-up have none.
STEP_MODELS = {"clv": 1, "satisfaction": 2, "segments": 3, "risk": 4, "network": 5,
               "feedback": 6, "automation": 7}
TOP_N = 20
FEEDBACK_WINDOW = pd.DateOffset(months=12)
DETRACTOR_MAX = 6
# Component level of the high-value, low-risk corner (top quarter of each).
GROW_LEVEL = 0.75


@dataclass(frozen=True)
class WorkshopStep:
    """One step of the workshop.

    Attributes
    ----------
    key : str
        Step id, a key of ``STEP_PAGES``.
    model : int or None
        Number of the model (1..7) the step covers.
    page : str
        Page script to open, relative to the app's folder.
    figure : float
        The key figure (NaN when the data lacks it).
    figure_format : str
        How to show it: "share", "money", "count", "points" or "months".
    values : dict
        Placeholders of the step's figure sentence.
    """

    key: str
    model: int | None
    page: str
    figure: float
    figure_format: str
    values: dict = field(default_factory=dict)


def workshop_steps(funding: FundingInPlace, outreach: OutreachRanking,
                   simulation: SimulationResult, *, deals: pd.DataFrame,
                   feedback: pd.DataFrame, project_id: str) -> list[WorkshopStep]:
    """Return the nine steps: intro, the seven models in order, wrap-up."""
    top = outreach.ranked.head(TOP_N)
    summary = simulation.summary.set_index("strategy")
    screened = len(outreach.ranked) + int(
        (outreach.excluded["reason"] != "committed").sum())
    figures = {
        "intro": (funding.rate, "share", {"gap": funding.gap_usd,
                                          "target": funding.target_usd}),
        "clv": (float(top["clv"].clip(lower=0).sum()), "money", {"top": len(top)}),
        "satisfaction": _participant_nps(deals, feedback, project_id, funding.as_of),
        "segments": _grow_corner(outreach.ranked),
        "risk": (float(len(outreach.ranked)), "count",
                 {"screened": screened, "cutoff": outreach.settings.pd_cutoff}),
        "network": _good_ties(top),
        "feedback": _detractors(top, feedback, funding.as_of),
        "automation": (summary.loc["ranked", "contacts_p50"], "count",
                       {"per_month": simulation.settings.contacts_per_month}),
        "wrap_up": (summary.loc["ranked", "months_p50"], "months",
                    {"random": float(summary.loc["random", "months_p50"])}),
    }
    return [WorkshopStep(key=key, model=STEP_MODELS.get(key), page=page,
                         figure=float(figures[key][0]), figure_format=figures[key][1],
                         values=figures[key][2])
            for key, page in STEP_PAGES.items()]


def _grow_corner(ranked: pd.DataFrame) -> tuple[float, str, dict]:
    # Eligible candidates in the top quarter by CLV and the top quarter by PD.
    corner = (ranked["c_value"] >= GROW_LEVEL) & (ranked["c_credit"] >= GROW_LEVEL)
    return float(corner.sum()), "count", {"eligible": len(ranked)}


def _good_ties(top: pd.DataFrame) -> tuple[float, str, dict]:
    # Top candidates with a good staff tie, and those reachable only through a
    # participant already committed to the project.
    good = top["strength"] >= GOOD_SCORE
    introduced = ~good & (top["co_lender_ties"] > 0)
    return float(good.sum()), "count", {"top": len(top),
                                        "introduced": int(introduced.sum())}


def _recent_feedback(feedback: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    dates = pd.to_datetime(feedback["date"])
    recent = feedback[(dates > as_of - FEEDBACK_WINDOW) & (dates <= as_of)]
    return recent.assign(client_id=recent["client_id"].astype(str))


def _participant_nps(deals: pd.DataFrame, feedback: pd.DataFrame, project_id: str,
                     as_of: pd.Timestamp) -> tuple[float, str, dict]:
    # NPS of the committed participants' responses in the last 12 months.
    recent = _recent_feedback(feedback, as_of)
    scores = recent.loc[recent["client_id"].isin(committed_clients(deals, project_id)),
                        "nps"]
    summary = nps_summary(scores)
    return summary["nps"], "points", {"responses": summary["n"]}


def _detractors(top: pd.DataFrame, feedback: pd.DataFrame, as_of: pd.Timestamp
                ) -> tuple[float, str, dict]:
    # Top candidates whose latest response in the last 12 months is a detractor.
    recent = _recent_feedback(feedback, as_of).dropna(subset=["nps"])
    recent = recent[recent["client_id"].isin(top["client_id"])]
    latest = recent.sort_values("date").groupby("client_id")["nps"].last()
    count = int((latest <= DETRACTOR_MAX).sum())
    return float(count), "count", {"top": len(top), "responding": len(latest)}

