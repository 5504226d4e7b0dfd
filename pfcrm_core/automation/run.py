"""Run the stored rules against the store: facts at the as-of date, then new tasks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from .facts import client_facts, load_sources
from .rules import Rule, propose_tasks, validate_rule
from .starter import starter_rules

logger = logging.getLogger(__name__)

# Columns of the event tables that tell how far the data runs.
EVENT_DATES = (("revenue", "date"), ("interactions", "date"), ("feedback", "date"),
               ("credit", "as_of"))


@dataclass(frozen=True)
class RunReport:
    """The outcome of one run of the rules.

    Attributes
    ----------
    as_of : date
        The evaluation date.
    per_rule : DataFrame
        One row per enabled rule: rule_id, rule_name, matched (clients meeting the
        conditions), created (new tasks) and existing (clients that already had an
        open task from the rule, so none was created).
    dry_run : bool
        When True nothing was written and ``created`` counts the tasks a real run
        would create.
    """

    as_of: date
    per_rule: pd.DataFrame
    dry_run: bool

    @property
    def created(self) -> int:
        """Tasks created (or, in a dry run, that would be) over all rules."""
        return int(self.per_rule["created"].sum()) if not self.per_rule.empty else 0

    def to_dict(self) -> dict:
        """Return the report as a JSON-ready dict."""
        return {"as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
                "created": self.created,
                "rules": self.per_rule.to_dict(orient="records")}


def default_as_of(sources: dict[str, pd.DataFrame], today: date | None = None) -> date:
    """Return the last event date in the data, or ``today`` when that is earlier.

    Evaluating at the end of the data rather than at today keeps an extract that is
    a few weeks old from making every client look uncontacted.
    """
    today = today or date.today()
    latest = [sources[name][column].max() for name, column in EVENT_DATES
              if name in sources and not sources[name].empty]
    latest = [value for value in latest if pd.notna(value)]
    if not latest:
        return today
    return min(pd.Timestamp(max(latest)).date(), today)


def stored_rules(store, lang: str = "en") -> list[Rule]:
    """Return the store's rules as validated ``Rule`` objects, seeding the starters.

    The starter rules are written on the first call for a database only, in
    ``lang`` ("en" or "zh"), so a user who deletes them does not get them back.
    """
    store.seed_rules([rule.to_dict() for rule in starter_rules(lang)])
    return [validate_rule(Rule.from_dict(row))
            for row in store.read_rules().to_dict(orient="records")]


def run_rules(store, as_of=None, *, dry_run: bool = False,
              sources: dict[str, pd.DataFrame] | None = None,
              lang: str = "en", today: date | None = None) -> RunReport:
    """Evaluate the enabled rules at ``as_of`` and store one task per new match.

    Parameters
    ----------
    store : Store
        The database with the canonical tables, the rules and the tasks.
    as_of : date-like, optional
        Evaluation date; default ``default_as_of``.
    dry_run : bool, default False
        Count the tasks without writing them.
    sources : dict of DataFrame, optional
        Tables from ``load_sources``, when the caller has read them already.
    lang : {"en", "zh"}, default "en"
        Language of the starter rules, when the database has no rules yet.
    today : date, optional
        The day the tasks are created; default today. Due dates count from it
        (or from ``as_of`` when that is later), so tasks raised on an extract
        that ends weeks ago are not overdue when they are made.

    Returns
    -------
    RunReport
    """
    sources = sources if sources is not None else load_sources(store)
    as_of = pd.Timestamp(as_of).date() if as_of is not None else default_as_of(sources)
    rules = [rule for rule in stored_rules(store, lang) if rule.enabled]
    facts = client_facts(sources, as_of)
    proposals = propose_tasks(rules, facts, as_of)
    proposals = _due_from_run_day(proposals, as_of, today or date.today())

    outcome = store.create_tasks(proposals, as_of=as_of, dry_run=dry_run)
    per_rule = _per_rule(rules, outcome)
    logger.info("ran %d rules at %s: %d tasks %s", len(rules), as_of,
                int(per_rule["created"].sum()) if not per_rule.empty else 0,
                "would be created" if dry_run else "created")
    return RunReport(as_of=as_of, per_rule=per_rule, dry_run=dry_run)


def _due_from_run_day(proposals: pd.DataFrame, as_of: date,
                      today: date) -> pd.DataFrame:
    """Move due dates so they count from the later of ``as_of`` and ``today``."""
    shift = max(today - as_of, timedelta(0))
    if proposals.empty or not shift:
        return proposals
    return proposals.assign(due_at=[due + shift for due in proposals["due_at"]])


def _per_rule(rules: list[Rule], outcome: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rule in rules:
        mine = outcome[outcome["rule_id"] == rule.rule_id] if not outcome.empty \
            else outcome
        created = int(mine["created"].sum()) if not mine.empty else 0
        rows.append({"rule_id": rule.rule_id, "rule_name": rule.name,
                     "matched": len(mine), "created": created,
                     "existing": len(mine) - created})
    return pd.DataFrame(rows, columns=["rule_id", "rule_name", "matched", "created",
                                       "existing"])
