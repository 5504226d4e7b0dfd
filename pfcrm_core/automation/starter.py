"""Starter rules for the common follow-ups of a project finance coverage team."""

from __future__ import annotations

from .rules import RELATIONSHIP_MANAGER, Condition, Rule

STARTER_RULES: tuple[Rule, ...] = (
    Rule(
        name="Top-fifth client not contacted for 90 days",
        conditions=(Condition("clv_quintile", ">=", 5),
                    Condition("days_since_contact", ">=", 90)),
        owner=RELATIONSHIP_MANAGER, due_days=14, priority="high",
        reason="{client_name} is in the top fifth by value (rank {clv_rank_pct}%) "
               "and was last contacted {days_since_contact} days ago.",
    ),
    Rule(
        name="Rating downgrade",
        conditions=(Condition("rating_downgrade_notches", ">=", 1),),
        owner=RELATIONSHIP_MANAGER, due_days=7, priority="high",
        reason="{client_name} was downgraded {rating_downgrade_notches} notch(es) "
               "over the last year; PD is now {pd}.",
    ),
    Rule(
        name="Facility maturing within 180 days",
        conditions=(Condition("days_to_next_maturity", "<=", 180),),
        owner=RELATIONSHIP_MANAGER, due_days=30, priority="medium",
        reason="A facility of {client_name} matures in {days_to_next_maturity} days; "
               "discuss extension or repayment.",
    ),
    Rule(
        name="Refinancing opportunity",
        conditions=(Condition("refinancing_opportunity", "=", True),),
        owner=RELATIONSHIP_MANAGER, due_days=30, priority="medium",
        reason="{client_name} has a facility maturing within a year at a margin above "
               "the book median; propose a refinancing.",
    ),
    Rule(
        name="Detractor with no follow-up case",
        conditions=(Condition("detractor_without_case", "=", True),),
        owner=RELATIONSHIP_MANAGER, due_days=5, priority="high",
        reason="{client_name} answered NPS {latest_nps} and no follow-up case was "
               "opened; call the client and open a case.",
    ),
)
