"""Starter rules for the common follow-ups of a project finance coverage team.

Their names and reason templates live in the catalogue
(``automation.starter.<key>.name`` and ``.reason``). The starters are seeded in the
language of the page or command that first reads the rules. Once stored, they are
the firm's own data and are shown as written.
"""

from __future__ import annotations

from ..i18n import DEFAULT_LANGUAGE, translate
from .rules import RELATIONSHIP_MANAGER, Condition, Rule

# key, conditions, due in days, priority
_STARTERS = (
    ("top_fifth_no_contact", (Condition("clv_quintile", ">=", 5),
                              Condition("days_since_contact", ">=", 90)), 14, "high"),
    ("rating_downgrade", (Condition("rating_downgrade_notches", ">=", 1),), 7, "high"),
    ("maturing", (Condition("days_to_next_maturity", "<=", 180),), 30, "medium"),
    ("refinancing", (Condition("refinancing_opportunity", "=", True),), 30, "medium"),
    ("detractor_no_case", (Condition("detractor_without_case", "=", True),), 5, "high"),
)


def starter_rules(lang: str = DEFAULT_LANGUAGE) -> tuple[Rule, ...]:
    """Return the starter rules with names and reasons in ``lang`` ("en" or "zh")."""
    return tuple(
        Rule(name=translate(f"automation.starter.{key}.name", lang),
             conditions=conditions, owner=RELATIONSHIP_MANAGER, due_days=due_days,
             priority=priority,
             reason=translate(f"automation.starter.{key}.reason", lang))
        for key, conditions, due_days, priority in _STARTERS)


STARTER_RULES: tuple[Rule, ...] = starter_rules()
