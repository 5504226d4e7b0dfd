"""Rule validation, each operator, task proposals and reason templates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.automation import (
    STARTER_RULES,
    Condition,
    Rule,
    RuleError,
    evaluate_rule,
    propose_tasks,
    render_reason,
    validate_rule,
)

FACTS = pd.DataFrame({
    "client_id": ["A", "B", "C", "D"],
    "client_name": ["Alpha", "Beta", "Gamma", "Delta"],
    "relationship_manager": ["Ann", None, "Cy", ""],
    "client_type": ["bank", "investor", "Bank", None],
    "clv_rank_pct": [100.0, 80.0, 50.0, np.nan],
    "clv_quintile": [5.0, 4.0, 3.0, np.nan],
    "days_since_contact": [120.0, 90.0, 10.0, np.nan],
    "rating_downgrade_notches": [2.0, 0.0, -1.0, np.nan],
    "days_to_next_maturity": [90.0, np.nan, 400.0, 10.0],
    "refinancing_opportunity": [True, False, False, True],
    "latest_nps": [4.0, 9.0, np.nan, 6.0],
    "detractor_without_case": [True, False, False, False],
    "pd": [0.01, 0.002, np.nan, 0.5],
})


def _rule(*conditions, **fields) -> Rule:
    return validate_rule(Rule(name=fields.pop("name", "test rule"),
                              conditions=tuple(Condition(*c) for c in conditions),
                              **fields))


def _matches(*conditions) -> list[str]:
    rule = _rule(*conditions)
    return list(FACTS.loc[evaluate_rule(rule, FACTS), "client_id"])


@pytest.mark.parametrize("operator, value, expected", [
    ("<", 90, ["C"]),
    ("<=", 90, ["B", "C"]),
    (">", 90, ["A"]),
    (">=", 90, ["A", "B"]),
    ("=", 90, ["B"]),
    ("!=", 90, ["A", "C"]),
])
def test_number_operators_skip_missing(operator, value, expected):
    assert _matches(("days_since_contact", operator, value)) == expected


def test_boolean_operator():
    assert _matches(("refinancing_opportunity", "=", True)) == ["A", "D"]
    assert _matches(("refinancing_opportunity", "=", "false")) == ["B", "C"]


def test_category_operators_ignore_case():
    assert _matches(("client_type", "=", "BANK")) == ["A", "C"]
    assert _matches(("client_type", "!=", "bank")) == ["B"]
    assert _matches(("client_type", "in", "investor, bank")) == ["A", "B", "C"]


def test_conditions_are_joined_by_and():
    assert _matches(("clv_quintile", ">=", 5), ("days_since_contact", ">=", 90)) == \
        ["A"]
    assert _matches(("clv_quintile", ">=", 4), ("days_since_contact", ">=", 90)) == \
        ["A", "B"]


@pytest.mark.parametrize("rule, match", [
    (Rule("", (Condition("pd", ">", 0.1),)), "Rule name '' is invalid"),
    (Rule("r", ()), "has no conditions"),
    (Rule("r", (Condition("ebitda", ">", 1),)),
     "fact 'ebitda' is unknown.*clv_rank_pct"),
    (Rule("r", (Condition("pd", "in", 1),)), "operator 'in' cannot be used with pd"),
    (Rule("r", (Condition("refinancing_opportunity", ">", True),)),
     "operator '>' cannot be used"),
    (Rule("r", (Condition("pd", ">", "high"),)), "pd needs a number.*'high'"),
    (Rule("r", (Condition("pd", ">", 2),)), "out of range.*from 0 to 1"),
    (Rule("r", (Condition("latest_nps", "<", None),)), "latest_nps needs a number"),
    (Rule("r", (Condition("refinancing_opportunity", "=", "maybe"),)),
     "needs true or false.*'maybe'"),
    (Rule("r", (Condition("client_type", "in", " , "),)), "client_type needs a value"),
    (Rule("r", (Condition("pd", ">", 0.1),), owner=""), "owner is empty"),
    (Rule("r", (Condition("pd", ">", 0.1),), due_days=400), "Due in '400' days"),
    (Rule("r", (Condition("pd", ">", 0.1),), due_days=1.5), "Due in '1.5' days"),
    (Rule("r", (Condition("pd", ">", 0.1),), priority="urgent"),
     "Priority 'urgent' is invalid.*high, medium, low"),
    (Rule("r", (Condition("pd", ">", 0.1),), reason="{client_name.__class__}"),
     r"uses \{client_name.__class__\}"),
    (Rule("r", (Condition("pd", ">", 0.1),), reason="{pd!r}"), r"uses \{pd\}"),
    (Rule("r", (Condition("pd", ">", 0.1),), reason="{ebitda}"), r"uses \{ebitda\}"),
    (Rule("r", (Condition("pd", ">", 0.1),), reason="open { brace"), "unmatched brace"),
])
def test_invalid_rules_name_the_field(rule, match):
    with pytest.raises(RuleError, match=match):
        validate_rule(rule)


def test_rule_error_carries_translation_key():
    with pytest.raises(RuleError) as caught:
        validate_rule(Rule("r", (Condition("pd", ">", 0.1),), priority="urgent"))
    assert caught.value.key == "automation.error.priority"
    assert caught.value.values["value"] == "urgent"


def test_starter_rules_are_valid():
    names = [validate_rule(rule).name for rule in STARTER_RULES]
    assert len(names) == 5
    assert len(set(names)) == 5


def test_rule_round_trips_through_dict():
    rule = _rule(("client_type", "in", "bank,investor"), ("pd", ">=", 0.01),
                 owner="Risk desk", due_days=3, priority="low", reason="{client_name}")
    again = validate_rule(Rule.from_dict(rule.to_dict()))
    assert again == rule


def test_proposals_owner_due_and_reason():
    rule = _rule(("days_since_contact", ">=", 90), name="Call", due_days=14,
                 priority="high", reason="{client_name}: {days_since_contact} days, "
                                         "PD {pd}").with_id(7)
    proposals = propose_tasks([rule], FACTS, "2026-09-30")
    assert list(proposals["client_id"]) == ["A", "B"]
    assert list(proposals["owner"]) == ["Ann", "unassigned"]
    assert set(proposals["due_at"].astype(str)) == {"2026-10-14"}
    assert proposals.loc[0, "reason"] == "Alpha: 120 days, PD 0.01"
    assert proposals.loc[0, "title"] == "Call: Alpha"
    assert set(proposals["rule_id"]) == {7}


def test_named_owner_and_disabled_rule():
    named = _rule(("pd", ">", 0.1), name="Risky", owner="Risk desk").with_id(1)
    disabled = _rule(("pd", ">", 0.0), name="Off", enabled=False).with_id(2)
    proposals = propose_tasks([named, disabled], FACTS, "2026-09-30")
    assert list(proposals["client_id"]) == ["D"]
    assert list(proposals["owner"]) == ["Risk desk"]


def test_reason_keeps_small_pd():
    rule = _rule(("pd", ">", 0.0), reason="PD {pd}, rank {clv_rank_pct}")
    row = {**FACTS.iloc[1].to_dict(), "pd": 0.0005, "clv_rank_pct": 74.0712}
    assert render_reason(rule, row) == "PD 0.0005, rank 74.07"


def test_empty_reason_lists_conditions():
    rule = _rule(("days_since_contact", ">=", 90), ("latest_nps", "<=", 6))
    text = render_reason(rule, FACTS.iloc[0].to_dict())
    assert text == "days_since_contact >= 90 (is 120); latest_nps <= 6 (is 4)"


def test_no_match_gives_empty_frame():
    rule = _rule(("pd", ">", 0.9)).with_id(1)
    proposals = propose_tasks([rule], FACTS, "2026-09-30")
    assert proposals.empty
    assert "client_id" in proposals.columns
