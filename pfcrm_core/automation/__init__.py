"""Digital CRM automation: rules on client facts that raise follow-up tasks.

``facts`` computes the client facts at an as-of date from the canonical tables.
``rules`` validates and evaluates rules, and ``backtest`` replays a rule over the
past year. ``run`` evaluates the stored rules and writes tasks, ``ics`` exports
tasks as calendar entries, and ``starter`` contains the rules a new database
starts with.
"""

from .backtest import (
    BacktestResult,
    backtest_dates,
    backtest_rule,
    facts_history,
    period_ends,
)
from .facts import FACTS, FactSpec, client_facts, load_sources, prepare_sources
from .ics import tasks_to_ics
from .rules import (
    OPERATORS,
    PRIORITIES,
    RELATIONSHIP_MANAGER,
    Condition,
    Rule,
    RuleError,
    evaluate_rule,
    propose_tasks,
    render_reason,
    validate_rule,
)
from .run import RunReport, default_as_of, run_rules, stored_rules
from .starter import STARTER_RULES

__all__ = [
    "FACTS",
    "OPERATORS",
    "PRIORITIES",
    "RELATIONSHIP_MANAGER",
    "STARTER_RULES",
    "BacktestResult",
    "Condition",
    "FactSpec",
    "Rule",
    "RuleError",
    "RunReport",
    "backtest_dates",
    "backtest_rule",
    "client_facts",
    "default_as_of",
    "evaluate_rule",
    "facts_history",
    "load_sources",
    "period_ends",
    "prepare_sources",
    "propose_tasks",
    "render_reason",
    "run_rules",
    "stored_rules",
    "tasks_to_ics",
    "validate_rule",
]
