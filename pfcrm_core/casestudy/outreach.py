"""Outreach ranking: lenders and investors to approach for a project's funding gap.

Candidates are clients of the ``candidate_types`` (banks and investors by
default) without a funding deal on the project. The credit model screens them
first: a client without a PD, or with a PD above ``pd_cutoff``, is excluded.
Each remaining candidate gets five components in [0, 1]:

- value: the percentile rank of its CLV among the candidates (0 without a
  positive CLV), so one very large client does not flatten the others;
- credit: 1 - PD / cut-off, so a lower PD scores higher;
- fit: (1/2) min(1, n_sector / k) + (1/2) min(1, (n_country + h) / k). Here
  n_sector and n_country count its past deals on other projects of the
  project's sector and country, h is 1 for a client based in the project's
  country, and k is ``experience_deals``;
- ticket: min(1, typical ticket / (``max_ticket_share`` x gap)), where the
  typical ticket is the median USD amount of its past funding deals;
- relationship: the best staff–client strength score / 100, raised to
  ``introduction_score`` / 100 when a relationship ties the client to a
  participant already committed to the project (a warm introduction).

score = sum(w_i c_i) / sum(w_i). The suggested ticket is the typical ticket (or,
without funding history, the median ticket already committed to the project),
capped at ``max_ticket_share`` of the gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core.casestudy.errors import CaseStudyError
from pfcrm_core.casestudy.project import FUNDING_ROLES, committed_clients
from pfcrm_core.fx import to_usd

COMPONENTS = ("value", "credit", "fit", "ticket", "relationship")
DEFAULT_WEIGHTS = {"value": 0.30, "credit": 0.20, "fit": 0.20, "ticket": 0.15,
                   "relationship": 0.15}
# The master-scale boundary between BBB- (PD 0.35%) and BB+ (0.80%), their
# geometric mean: only investment-grade candidates pass by default.
DEFAULT_PD_CUTOFF = 0.0053
DEFAULT_CANDIDATE_TYPES = ("bank", "investor")
EXCLUSION_REASONS = ("committed", "no_pd", "in_default", "pd_above_cutoff")
# A component at or above this level is named as a reason for the rank.
REASON_LEVEL = 0.6
MAX_REASONS = 3


@dataclass(frozen=True)
class OutreachSettings:
    """The parameters of the outreach score.

    Attributes
    ----------
    weights : dict of str to float
        Weight of each of ``COMPONENTS``; non-negative, not all 0. Weights are
        normalised, so only their ratios matter.
    pd_cutoff : float, default 0.0053
        Candidates with a PD above this (0..1) are excluded.
    candidate_types : tuple of str, default ("bank", "investor")
        Client types that can lend to or invest in the project.
    max_ticket_share : float, default 0.15
        Largest share of the gap suggested to one institution (0..1], a
        concentration limit that spreads the gap over several lenders.
    experience_deals : int, default 3
        Past deals in the sector (or country) that count as full experience.
    introduction_score : float, default 40
        Relationship score (0..100) given by a tie to a committed participant:
        the lower bound of the network page's "fair" band, because an
        introduction is weaker than our own good tie (60 or more).
    """

    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    pd_cutoff: float = DEFAULT_PD_CUTOFF
    candidate_types: tuple = DEFAULT_CANDIDATE_TYPES
    max_ticket_share: float = 0.15
    experience_deals: int = 3
    introduction_score: float = 40.0

    def __post_init__(self):
        unknown = sorted(set(self.weights) - set(COMPONENTS))
        if unknown:
            raise CaseStudyError("case_study.error.weight_name",
                                 value=", ".join(unknown),
                                 allowed=", ".join(COMPONENTS))
        values = [float(self.weights.get(name, 0.0)) for name in COMPONENTS]
        if min(values) < 0 or sum(values) <= 0:
            raise CaseStudyError("case_study.error.weights",
                                 value=", ".join(f"{v:g}" for v in values))
        if not 0 < self.pd_cutoff <= 1:
            raise CaseStudyError("case_study.error.pd_cutoff", value=self.pd_cutoff)
        if not 0 < self.max_ticket_share <= 1:
            raise CaseStudyError("case_study.error.ticket_share",
                                 value=self.max_ticket_share)
        if self.experience_deals < 1:
            raise CaseStudyError("case_study.error.experience_deals",
                                 value=self.experience_deals)

    def normalised_weights(self) -> dict[str, float]:
        """Return the weights of ``COMPONENTS`` scaled to sum to 1."""
        values = {name: float(self.weights.get(name, 0.0)) for name in COMPONENTS}
        total = sum(values.values())
        return {name: value / total for name, value in values.items()}


@dataclass(frozen=True)
class OutreachRanking:
    """The ranked candidates and the clients screened out.

    Attributes
    ----------
    ranked : pandas.DataFrame
        One row per eligible candidate, best first: rank, client_id, name,
        client_type, country, rating, pd, clv, strength, co_lender_ties,
        sector_deals, country_deals, typical_ticket_usd, the components
        ``c_<name>``, score (0..1), suggested_ticket_usd and reasons (reason
        codes joined by commas, strongest first).
    excluded : pandas.DataFrame
        client_id, name, client_type, pd and reason (one of
        ``EXCLUSION_REASONS``).
    settings : OutreachSettings
    gap_usd : float
    """

    ranked: pd.DataFrame
    excluded: pd.DataFrame
    settings: OutreachSettings
    gap_usd: float


def rank_outreach(clients: pd.DataFrame, deals: pd.DataFrame, projects: pd.DataFrame,
                  project_id: str, gap_usd: float, *, credit: pd.DataFrame,
                  clv: pd.Series | None = None, strength: pd.Series | None = None,
                  relationships: pd.DataFrame | None = None,
                  settings: OutreachSettings | None = None) -> OutreachRanking:
    """Screen, score and rank the candidates for a project's funding gap.

    Parameters
    ----------
    clients, deals, projects : pandas.DataFrame
        Canonical tables.
    project_id : str
    gap_usd : float
        Funding still missing, in USD (``funding.FundingInPlace.gap_usd``).
    credit : pandas.DataFrame
        client_id and pd (the PD the credit model uses, 0..1); rating optional.
    clv : pandas.Series, optional
        CLV in USD by client id; without it the value component is 0.
    strength : pandas.Series, optional
        Best staff–client strength score (0..100) by client id.
    relationships : pandas.DataFrame, optional
        Canonical ``relationships`` (source_id, target_id) for warm introductions.
    settings : OutreachSettings, optional

    Raises
    ------
    CaseStudyError
        When the project is unknown or a setting is invalid.
    """
    settings = settings or OutreachSettings()
    project = projects[projects["project_id"].astype(str) == str(project_id)]
    if project.empty:
        raise CaseStudyError("case_study.error.unknown_project", value=project_id,
                             count=len(projects))
    project = project.iloc[0]
    gap_usd = max(float(gap_usd), 0.0)

    table, excluded = _screen(clients, deals, project_id, credit, settings)
    table = _add_experience(table, deals, projects, project, settings)
    table = _add_relationship(table, deals, project_id, strength, relationships,
                              settings)
    table["clv"] = (clv.reindex(table["client_id"]).to_numpy(dtype=float)
                    if clv is not None else np.nan)

    # Components, score and rank.
    positive = table["clv"].where(table["clv"] > 0)
    table["c_value"] = positive.rank(pct=True).fillna(0.0)
    table["c_credit"] = (1 - table["pd"] / settings.pd_cutoff).clip(0, 1)
    table["c_ticket"] = _ticket_component(table["typical_ticket_usd"], gap_usd,
                                          settings)
    weights = settings.normalised_weights()
    table["score"] = sum(weights[name] * table[f"c_{name}"] for name in COMPONENTS)
    table["suggested_ticket_usd"] = _suggested_ticket(table, deals, project_id,
                                                      gap_usd, settings)
    table["reasons"] = [_reasons(row, weights) for _, row in table.iterrows()]
    table = table.sort_values(["score", "client_id"], ascending=[False, True],
                              ignore_index=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return OutreachRanking(ranked=table, excluded=excluded, settings=settings,
                           gap_usd=gap_usd)


def _screen(clients: pd.DataFrame, deals: pd.DataFrame, project_id: str,
            credit: pd.DataFrame, settings: OutreachSettings
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Candidate types, then the committed and the credit screen.
    columns = ["client_id", "name", "client_type", "country"]
    pool = clients.loc[clients["client_type"].isin(settings.candidate_types),
                       columns].copy()
    pool["client_id"] = pool["client_id"].astype(str)
    credit = credit.assign(client_id=credit["client_id"].astype(str))
    credit = credit.drop_duplicates("client_id", keep="last").set_index("client_id")
    pool["pd"] = pool["client_id"].map(credit["pd"]).astype(float)
    pool["rating"] = (pool["client_id"].map(credit["rating"])
                      if "rating" in credit.columns else None)

    reason = pd.Series(None, index=pool.index, dtype=object)
    reason[pool["pd"] > settings.pd_cutoff] = "pd_above_cutoff"
    reason[pool["pd"] >= 1.0] = "in_default"
    reason[pool["pd"].isna()] = "no_pd"
    reason[pool["client_id"].isin(committed_clients(deals, project_id))] = "committed"
    excluded = pool.loc[reason.notna(), ["client_id", "name", "client_type", "pd"]]
    excluded = excluded.assign(reason=reason[reason.notna()])
    return (pool[reason.isna()].reset_index(drop=True),
            excluded.reset_index(drop=True))


def _add_experience(table: pd.DataFrame, deals: pd.DataFrame, projects: pd.DataFrame,
                    project: pd.Series, settings: OutreachSettings) -> pd.DataFrame:
    # Past deals on other projects of the same sector and country.
    past = deals[deals["project_id"].astype(str) != str(project["project_id"])]
    past = past.merge(projects[["project_id", "sector", "country"]], on="project_id",
                      how="left")
    ids = past["client_id"].astype(str)
    sector_deals = ids[past["sector"] == project["sector"]].value_counts()
    country_deals = ids[past["country"] == project["country"]].value_counts()
    table["sector_deals"] = table["client_id"].map(sector_deals).fillna(0).astype(int)
    table["country_deals"] = table["client_id"].map(country_deals).fillna(0).astype(int)
    home = (table["country"] == project["country"]).astype(float)
    k = settings.experience_deals
    table["c_fit"] = (0.5 * np.minimum(1.0, table["sector_deals"] / k)
                      + 0.5 * np.minimum(1.0, (table["country_deals"] + home) / k))

    # Typical ticket: the median of the client's funding deals, in USD.
    funding = past[past["role"].isin(FUNDING_ROLES)]
    usd = to_usd(funding["amount"], funding["currency"])
    typical = usd.groupby(funding["client_id"].astype(str)).median()
    table["typical_ticket_usd"] = table["client_id"].map(typical).astype(float)
    return table


def _add_relationship(table: pd.DataFrame, deals: pd.DataFrame, project_id: str,
                      strength: pd.Series | None,
                      relationships: pd.DataFrame | None,
                      settings: OutreachSettings) -> pd.DataFrame:
    best = (strength.groupby(strength.index.astype(str)).max()
            if strength is not None else pd.Series(dtype=float))
    table["strength"] = table["client_id"].map(best).fillna(0.0).astype(float)

    # Ties (in either direction) to clients already committed to the project.
    ties = pd.Series(0, index=table.index)
    if relationships is not None and not relationships.empty:
        committed = committed_clients(deals, project_id)
        source = relationships["source_id"].astype(str)
        target = relationships["target_id"].astype(str)
        partners = pd.concat([target[source.isin(committed)],
                              source[target.isin(committed)]])
        ties = table["client_id"].map(partners.value_counts()).fillna(0).astype(int)
    table["co_lender_ties"] = ties
    introduced = np.where(ties > 0, settings.introduction_score, 0.0)
    table["c_relationship"] = np.maximum(table["strength"], introduced) / 100
    return table


def _ticket_component(typical: pd.Series, gap_usd: float,
                      settings: OutreachSettings) -> pd.Series:
    if gap_usd <= 0:
        return pd.Series(0.0, index=typical.index)
    share = typical / (settings.max_ticket_share * gap_usd)
    return share.clip(upper=1.0).fillna(0.0)


def _suggested_ticket(table: pd.DataFrame, deals: pd.DataFrame, project_id: str,
                      gap_usd: float, settings: OutreachSettings) -> pd.Series:
    # Without funding history, the median ticket already on the project.
    on_project = deals[(deals["project_id"].astype(str) == str(project_id))
                       & deals["role"].isin(FUNDING_ROLES)]
    project_median = to_usd(on_project["amount"], on_project["currency"]).median()
    fallback = float(project_median) if pd.notna(project_median) else 0.0
    ticket = table["typical_ticket_usd"].fillna(fallback)
    return ticket.clip(upper=settings.max_ticket_share * gap_usd)


def _reasons(row: pd.Series, weights: dict[str, float]) -> str:
    contributions = {name: weights[name] * row[f"c_{name}"] for name in COMPONENTS
                     if row[f"c_{name}"] >= REASON_LEVEL and weights[name] > 0}
    ordered = sorted(contributions, key=lambda name: -contributions[name])
    codes = ordered[:MAX_REASONS]
    # Named only when the introduction, not our own tie, sets the component.
    if row["co_lender_ties"] > 0 and row["strength"] < 100 * row["c_relationship"]:
        codes.append("co_lender")
    return ",".join(codes)
