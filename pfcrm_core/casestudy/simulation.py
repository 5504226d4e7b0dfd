"""Simulated outreach strategies: a seeded Monte Carlo of closing a funding gap.

SIMULATED: every figure here comes from the assumptions below, not from
observed commitments.

Assumptions, all set in ``SimulationSettings``:

- The bank contacts ``contacts_per_month`` institutions a month, one at a time,
  in the strategy's order, and each contacted institution responds in the month
  of contact.
- A contacted candidate commits with probability
  p = p_min + (p_max - p_min) x score, its outreach score in [0, 1].
- A commitment is the suggested ticket times a lognormal factor with mean 1 and
  log-sd ``ticket_sigma``.
- Outreach stops when the gap is closed, the candidates run out or
  ``horizon_months`` pass.
- Every strategy uses the same responses and tickets in a run (common random
  numbers), so differences between strategies come from the order and the
  rates alone.

Strategies:

- ``ranked``: all eligible candidates, best outreach score first;
- ``relationships``: only candidates with a relationship component of at least
  ``relationship_level``, best score first;
- ``broad``: all eligible candidates in random order at ``broad_contact_factor``
  times the contact rate, with the commit probability times
  ``broad_conversion_factor`` (a generic approach persuades less);
- ``random``: all eligible candidates in random order, a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.casestudy.errors import CaseStudyError

STRATEGIES = ("ranked", "relationships", "broad", "random")
PERCENTILES = (10, 50, 90)
FUNDING_CHECK_MONTHS = 6
DEFAULT_SEED = 20261204


@dataclass(frozen=True)
class SimulationSettings:
    """The assumptions of the strategy simulation (see the module docstring)."""

    n_runs: int = 1000
    contacts_per_month: int = 4
    horizon_months: int = 36
    # NOTE: p_min and p_max are assumptions, not fitted to observed win rates,
    # because the store records commitments but not the outreach behind them.
    p_min: float = 0.05
    p_max: float = 0.50
    ticket_sigma: float = 0.35
    broad_contact_factor: int = 2
    broad_conversion_factor: float = 0.8
    relationship_level: float = 0.6
    seed: int = DEFAULT_SEED

    def __post_init__(self):
        for name in ("n_runs", "contacts_per_month", "horizon_months",
                     "broad_contact_factor"):
            if getattr(self, name) < 1:
                raise CaseStudyError("case_study.error.simulation_count", name=name,
                                     value=getattr(self, name))
        if not 0 <= self.p_min <= self.p_max <= 1:
            raise CaseStudyError("case_study.error.probabilities",
                                 low=self.p_min, high=self.p_max)


@dataclass(frozen=True)
class SimulationResult:
    """The simulated runs and their summary per strategy.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per strategy and run. The columns are strategy, run, closed
        (bool), months (months to close, inf when not closed), contacts (made
        until the gap closed or outreach stopped), funding_6m and simulated
        (always True). funding_6m is the USD committed in the first
        ``FUNDING_CHECK_MONTHS`` months, capped at the gap.
    summary : pandas.DataFrame
        One row per strategy in ``STRATEGIES`` order: candidates, share_closed,
        months_p10/p50/p90, contacts_p10/p50/p90, funding_6m_p10/p50/p90 and
        simulated. Percentiles pick observed values (``inverted_cdf``), so a
        percentile of runs that did not close is inf.
    settings : SimulationSettings
    gap_usd : float
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    settings: SimulationSettings
    gap_usd: float


def simulate_strategies(ranked: pd.DataFrame, gap_usd: float,
                        settings: SimulationSettings | None = None
                        ) -> SimulationResult:
    """Simulate each of ``STRATEGIES`` on the ranked candidates.

    Parameters
    ----------
    ranked : pandas.DataFrame
        ``outreach.OutreachRanking.ranked``: score, c_relationship and
        suggested_ticket_usd, best first.
    gap_usd : float
        Funding to raise, in USD.
    settings : SimulationSettings, optional
    """
    settings = settings or SimulationSettings()
    rng = np.random.default_rng(settings.seed)
    count = len(ranked)
    runs = settings.n_runs

    # Shared draws: each candidate's response and ticket in each run.
    responses = rng.random((runs, count))
    tickets = ranked["suggested_ticket_usd"].to_numpy(dtype=float) * rng.lognormal(
        -settings.ticket_sigma ** 2 / 2, settings.ticket_sigma, (runs, count))
    shuffled = rng.permuted(np.tile(np.arange(count), (runs, 1)), axis=1)
    scores = ranked["score"].to_numpy(dtype=float)
    probability = settings.p_min + (settings.p_max - settings.p_min) * scores
    warm = np.flatnonzero(ranked["c_relationship"].to_numpy(dtype=float)
                          >= settings.relationship_level)

    plans = {
        "ranked": (np.tile(np.arange(count), (runs, 1)), 1, 1.0),
        "relationships": (np.tile(warm, (runs, 1)), 1, 1.0),
        "broad": (shuffled, settings.broad_contact_factor,
                  settings.broad_conversion_factor),
        "random": (shuffled, 1, 1.0),
    }
    frames = []
    for strategy in STRATEGIES:
        order, factor, conversion = plans[strategy]
        frame = _run(order, responses, tickets, probability * conversion, gap_usd,
                     settings.contacts_per_month * factor, settings.horizon_months)
        frames.append(frame.assign(strategy=strategy, run=np.arange(runs)))
    table = pd.concat(frames, ignore_index=True).assign(simulated=True)
    table = table[["strategy", "run", "closed", "months", "contacts", "funding_6m",
                   "simulated"]]
    summary = _summarise(table, {"ranked": count, "relationships": len(warm),
                                 "broad": count, "random": count})
    return SimulationResult(runs=table, summary=summary, settings=settings,
                            gap_usd=float(gap_usd))


def _run(order: np.ndarray, responses: np.ndarray, tickets: np.ndarray,
         probability: np.ndarray, gap_usd: float, per_month: int,
         horizon_months: int) -> pd.DataFrame:
    runs = responses.shape[0]
    limit = min(order.shape[1], per_month * horizon_months)
    order = order[:, :limit]
    if gap_usd <= 0:
        return pd.DataFrame({"closed": True, "months": 0.0, "contacts": 0.0,
                             "funding_6m": 0.0}, index=range(runs))

    # Commitments in contact order, then the first contact that closes the gap.
    rows = np.arange(runs)[:, None]
    committed = responses[rows, order] < probability[order]
    raised = np.cumsum(np.where(committed, tickets[rows, order], 0.0), axis=1)
    reached = raised >= gap_usd
    closed = reached.any(axis=1) if limit else np.zeros(runs, dtype=bool)
    first = np.where(closed, reached.argmax(axis=1) if limit else 0, limit - 1)
    contacts = np.where(closed, first + 1, limit).astype(float)
    months = np.where(closed, np.ceil(contacts / per_month), np.inf)

    # Funding after the first months, capped at the gap.
    within = min(limit, per_month * FUNDING_CHECK_MONTHS)
    early = raised[:, within - 1] if within else np.zeros(runs)
    return pd.DataFrame({"closed": closed, "months": months, "contacts": contacts,
                         "funding_6m": np.minimum(early, gap_usd)})


def _summarise(table: pd.DataFrame, candidates: dict[str, int]) -> pd.DataFrame:
    rows = []
    for strategy in STRATEGIES:
        runs = table[table["strategy"] == strategy]
        row = {"strategy": strategy, "candidates": candidates[strategy],
               "share_closed": float(runs["closed"].mean())}
        for column in ("months", "contacts", "funding_6m"):
            values = np.percentile(runs[column].to_numpy(dtype=float), PERCENTILES,
                                   method="inverted_cdf")
            row.update({f"{column}_p{p}": float(v) for p, v in zip(PERCENTILES,
                                                                   values)})
        rows.append(row)
    return pd.DataFrame(rows).assign(simulated=True)


def closing_curve(result: SimulationResult) -> pd.DataFrame:
    """Return the share of runs that closed the gap by each month, per strategy.

    Returns
    -------
    pandas.DataFrame
        strategy, month (0..horizon) and share_closed (0..1), one row per pair.
    """
    months = np.arange(result.settings.horizon_months + 1)
    frames = []
    for strategy in STRATEGIES:
        closed = result.runs.loc[result.runs["strategy"] == strategy, "months"]
        closed = np.sort(closed.to_numpy(dtype=float))
        share = np.searchsorted(closed, months, side="right") / max(len(closed), 1)
        frames.append(pd.DataFrame({"strategy": strategy, "month": months,
                                    "share_closed": share}))
    return pd.concat(frames, ignore_index=True)
