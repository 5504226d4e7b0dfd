"""Backtest of a rule: how often it would have fired over the past year.

The rule is evaluated at each month-end of the 12 months before the as-of date,
on facts computed from the rows known at that month-end only. A client "fires" at
a month-end when it meets all conditions there. A firing is *new* when the client
did not meet them at the previous month-end, which for the first period is the
month-end before it (evaluated only for that). A client has at most one open task
per rule, so new firings estimate the tasks the rule would have raised.

The hit rate is the share of the clients that fired who had a new deal or an
interaction within ``outcome_days`` of their first firing. It is compared with the
base rate, the same share over all clients and all month-ends. In a busy book most
clients are contacted within a few months anyway, so a useful rule picks clients
whose hit rate is above the base rate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .facts import client_facts
from .rules import Rule, evaluate_rule

logger = logging.getLogger(__name__)

DEFAULT_MONTHS = 12
DEFAULT_OUTCOME_DAYS = 90


@dataclass(frozen=True)
class BacktestResult:
    """Firings of one rule at past month-ends.

    Attributes
    ----------
    periods : DataFrame
        One row per month-end: period_end, firings (clients matching), new_firings.
    distinct_clients : int
        Clients that fired at least once.
    clients_with_outcome : int
        Of those, clients with a new deal or interaction within ``outcome_days``
        after their first firing, counting only outcomes up to the as-of date.
    hit_rate : float
        ``clients_with_outcome / distinct_clients``; NaN when nothing fired.
    base_rate : float
        The same share over every client at every month-end; NaN without clients.
    outcome_days : int
        Days after a firing in which an outcome counts.
    """

    periods: pd.DataFrame
    distinct_clients: int
    clients_with_outcome: int
    hit_rate: float
    base_rate: float
    outcome_days: int

    @property
    def total_firings(self) -> int:
        """Client-months matched over the whole backtest."""
        return int(self.periods["firings"].sum())

    @property
    def total_new_firings(self) -> int:
        """New firings over the whole backtest: an estimate of the tasks raised."""
        return int(self.periods["new_firings"].sum())

    @property
    def lift(self) -> float:
        """``hit_rate / base_rate``; NaN when either is missing or the base is 0."""
        if pd.isna(self.hit_rate) or pd.isna(self.base_rate) or self.base_rate == 0:
            return float("nan")
        return self.hit_rate / self.base_rate


def period_ends(as_of, months: int = DEFAULT_MONTHS) -> list[pd.Timestamp]:
    """Return the ``months`` month-ends before ``as_of``, oldest first.

    A month-end equal to ``as_of`` counts as the last one.
    """
    as_of = pd.Timestamp(as_of).normalize()
    last = as_of if as_of.is_month_end else as_of - pd.offsets.MonthEnd(1)
    return list(pd.date_range(end=last, periods=months, freq="ME"))


def backtest_dates(as_of, months: int = DEFAULT_MONTHS) -> list[pd.Timestamp]:
    """Return the month-ends a backtest evaluates: one baseline, then ``months`` periods.

    The baseline month-end only decides which firings in the first period are new.
    """
    return period_ends(as_of, months + 1)


def facts_history(sources: dict[str, pd.DataFrame],
                  dates: list[pd.Timestamp]) -> dict[pd.Timestamp, pd.DataFrame]:
    """Compute the facts at each date; shared by the backtests of several rules."""
    logger.info("computing client facts at %d dates", len(dates))
    return {date: client_facts(sources, date) for date in dates}


def backtest_rule(rule: Rule, sources: dict[str, pd.DataFrame], as_of, *,
                  months: int = DEFAULT_MONTHS,
                  outcome_days: int = DEFAULT_OUTCOME_DAYS,
                  history: dict[pd.Timestamp, pd.DataFrame] | None = None
                  ) -> BacktestResult:
    """Evaluate a validated rule at past month-ends and measure what followed.

    Parameters
    ----------
    rule : Rule
        A rule that passed ``validate_rule``; its ``enabled`` flag is ignored.
    sources : dict of DataFrame
        From ``prepare_sources``; outcomes are read from its deals and interactions.
    as_of : date-like
        The backtest covers the ``months`` month-ends up to this date.
    months : int, default 12
        Number of month-ends.
    outcome_days : int, default 90
        Days after a client's first firing in which a new deal or contact counts.
    history : dict, optional
        Facts per date of ``backtest_dates`` from ``facts_history``; computed when
        not given.
    """
    as_of = pd.Timestamp(as_of).normalize()
    dates = backtest_dates(as_of, months)
    history = history if history is not None else facts_history(sources, dates)

    baseline = history[dates[0]]
    previous = set(baseline.loc[evaluate_rule(rule, baseline), "client_id"])
    rows, first_fired = [], {}
    for date in dates[1:]:
        facts = history[date]
        fired = set(facts.loc[evaluate_rule(rule, facts), "client_id"])
        rows.append({"period_end": date, "firings": len(fired),
                     "new_firings": len(fired - previous)})
        for client in fired:
            first_fired.setdefault(client, date)
        previous = fired

    outcome_dates = _outcome_dates(sources)
    with_outcome = sum(_had_outcome(outcome_dates, client, date, as_of, outcome_days)
                       for client, date in first_fired.items())
    distinct = len(first_fired)
    return BacktestResult(
        periods=pd.DataFrame(rows, columns=["period_end", "firings", "new_firings"]),
        distinct_clients=distinct,
        clients_with_outcome=int(with_outcome),
        hit_rate=with_outcome / distinct if distinct else float("nan"),
        base_rate=_base_rate(outcome_dates, {date: history[date] for date in dates[1:]},
                             as_of, outcome_days),
        outcome_days=outcome_days,
    )


def _outcome_dates(sources: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Return each client's sorted dates of new deals and interactions."""
    deals = sources["deals"][["client_id", "start_date"]]
    events = pd.concat([deals.rename(columns={"start_date": "date"}),
                        sources["interactions"][["client_id", "date"]]],
                       ignore_index=True).dropna()
    events["date"] = pd.to_datetime(events["date"]).astype("datetime64[ns]")
    return {client: np.sort(group.to_numpy())
            for client, group in events.groupby("client_id")["date"]}


def _had_outcome(outcome_dates: dict[str, np.ndarray], client: str, fired_at,
                 as_of, outcome_days: int) -> bool:
    dates = outcome_dates.get(client)
    if dates is None:
        return False
    end = min(fired_at + pd.Timedelta(days=outcome_days), as_of)
    # First event strictly after the firing; it counts when it is not after the end.
    position = np.searchsorted(dates, np.datetime64(fired_at, "ns"), side="right")
    return bool(position < len(dates) and dates[position] <= np.datetime64(end, "ns"))


def _base_rate(outcome_dates: dict[str, np.ndarray],
               history: dict[pd.Timestamp, pd.DataFrame], as_of,
               outcome_days: int) -> float:
    hits = total = 0
    for date, facts in history.items():
        for client in facts["client_id"]:
            hits += _had_outcome(outcome_dates, client, date, as_of, outcome_days)
            total += 1
    return hits / total if total else float("nan")
