"""Automation rules: conditions on client facts that raise a task when all hold.

A rule is a list of conditions ``(fact, operator, value)`` joined by AND, plus what
the task it raises looks like: owner, days until due, priority and a reason
template. A condition on a missing fact value is false, so a client without a
rating never matches a rating rule.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field, replace

import pandas as pd

from ..notes import KeyedModelError
from .facts import BOOLEAN, CATEGORY, FACTS, NUMBER

RELATIONSHIP_MANAGER = "relationship manager"
UNASSIGNED = "unassigned"
PRIORITIES = ("high", "medium", "low")
MAX_DUE_DAYS = 365
MAX_NAME_LENGTH = 120
MAX_REASON_LENGTH = 500

OPERATORS = {
    NUMBER: ("<", "<=", ">", ">=", "=", "!="),
    BOOLEAN: ("=",),
    CATEGORY: ("=", "!=", "in"),
}
# Placeholders a reason template may use besides the fact names.
CLIENT_FIELDS = ("client_id", "client_name", "rule_name")


class RuleError(KeyedModelError):
    """A rule is invalid; the message names the field, the value and what is allowed."""


@dataclass(frozen=True)
class Condition:
    """One test on a fact, such as ``days_since_contact >= 90``."""

    fact: str
    operator: str
    value: object

    def to_dict(self) -> dict:
        """Return the condition as a JSON-ready dict."""
        value = self.value
        if isinstance(value, (list, tuple)):
            value = list(value)
        return {"fact": self.fact, "operator": self.operator, "value": value}


@dataclass(frozen=True)
class Rule:
    """A rule and the task it raises for each client that meets all conditions.

    Attributes
    ----------
    name : str
        Unique name, shown in the task list.
    conditions : tuple of Condition
        Joined by AND; at least one.
    owner : str
        A person's name, or ``"relationship manager"`` for the client's
        relationship manager.
    due_days : int
        Days from the evaluation date to the task's due date, 0 to 365.
    priority : str
        ``high``, ``medium`` or ``low``.
    reason : str
        Template of the task's reason; ``{fact}``, ``{client_name}``,
        ``{client_id}`` and ``{rule_name}`` are filled in.
    enabled : bool
        Disabled rules are kept but not run.
    rule_id : int, optional
        Set once the rule is stored.
    """

    name: str
    conditions: tuple[Condition, ...]
    owner: str = RELATIONSHIP_MANAGER
    due_days: int = 14
    priority: str = "medium"
    reason: str = ""
    enabled: bool = True
    rule_id: int | None = field(default=None, compare=False)

    @classmethod
    def from_dict(cls, data: dict) -> "Rule":
        """Build a rule from a dict such as ``to_dict`` or a stored row returns."""
        conditions = tuple(Condition(c["fact"], c["operator"], c.get("value"))
                           for c in data.get("conditions") or ())
        rule_id = data.get("rule_id")
        rule_id = None if rule_id is None or pd.isna(rule_id) else int(rule_id)
        return cls(name=str(data.get("name") or "").strip(), conditions=conditions,
                   owner=str(data.get("owner") or "").strip(),
                   due_days=data.get("due_days", 14),
                   priority=str(data.get("priority") or ""),
                   reason=str(data.get("reason") or ""),
                   enabled=bool(data.get("enabled", True)),
                   rule_id=rule_id)

    def to_dict(self) -> dict:
        """Return the rule as a JSON-ready dict (conditions as a list of dicts)."""
        return {"rule_id": self.rule_id, "name": self.name,
                "conditions": [c.to_dict() for c in self.conditions],
                "owner": self.owner, "due_days": self.due_days,
                "priority": self.priority, "reason": self.reason,
                "enabled": self.enabled}

    def with_id(self, rule_id: int) -> "Rule":
        """Return a copy of the rule with its stored id."""
        return replace(self, rule_id=int(rule_id))


def validate_rule(rule: Rule) -> Rule:
    """Check every field of a rule and return it with normalised condition values.

    Raises
    ------
    RuleError
        On the first invalid field, naming it, the value received and what is
        allowed.
    """
    if not rule.name or len(rule.name) > MAX_NAME_LENGTH:
        raise RuleError("automation.error.name", value=rule.name,
                        maximum=MAX_NAME_LENGTH)
    if not rule.conditions:
        raise RuleError("automation.error.no_conditions", name=rule.name)
    conditions = tuple(_validate_condition(c, i + 1)
                       for i, c in enumerate(rule.conditions))

    if not rule.owner:
        raise RuleError("automation.error.owner", manager=RELATIONSHIP_MANAGER)
    if isinstance(rule.due_days, bool) or not _is_whole(rule.due_days) \
            or not 0 <= int(rule.due_days) <= MAX_DUE_DAYS:
        raise RuleError("automation.error.due_days", value=rule.due_days,
                        maximum=MAX_DUE_DAYS)
    if rule.priority not in PRIORITIES:
        raise RuleError("automation.error.priority", value=rule.priority,
                        allowed=", ".join(PRIORITIES))
    _validate_reason(rule.reason)
    return replace(rule, conditions=conditions, due_days=int(rule.due_days))


def _validate_condition(condition: Condition, position: int) -> Condition:
    spec = FACTS.get(condition.fact)
    if spec is None:
        raise RuleError("automation.error.fact", position=position,
                        value=condition.fact, allowed=", ".join(FACTS))
    allowed = OPERATORS[spec.kind]
    if condition.operator not in allowed:
        raise RuleError("automation.error.operator", position=position,
                        fact=condition.fact, value=condition.operator,
                        allowed=" ".join(allowed))
    value = _normalise_value(condition, spec, position)
    return Condition(condition.fact, condition.operator, value)


def _normalise_value(condition: Condition, spec, position: int):
    value = condition.value
    if spec.kind == BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        raise RuleError("automation.error.boolean", position=position,
                        fact=condition.fact, value=value)

    if spec.kind == CATEGORY:
        if condition.operator == "in":
            items = value if isinstance(value, (list, tuple)) else str(value).split(",")
            items = tuple(str(item).strip().lower() for item in items)
            items = tuple(item for item in items if item)
            if not items:
                raise RuleError("automation.error.category", position=position,
                                fact=condition.fact, value=value)
            return items
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            raise RuleError("automation.error.category", position=position,
                            fact=condition.fact, value=value)
        return text

    number = _as_number(value)
    if number is None:
        raise RuleError("automation.error.number", position=position,
                        fact=condition.fact, value=value)
    low = -math.inf if spec.minimum is None else spec.minimum
    high = math.inf if spec.maximum is None else spec.maximum
    if not low <= number <= high:
        raise RuleError("automation.error.range", position=position,
                        fact=condition.fact, value=value, minimum=_bound(spec.minimum),
                        maximum=_bound(spec.maximum))
    return number


def _as_number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_whole(value) -> bool:
    number = _as_number(value)
    return number is not None and float(number).is_integer()


def _bound(value) -> str:
    return "∞" if value is None else f"{value:g}"


def _validate_reason(reason: str) -> None:
    if len(reason) > MAX_REASON_LENGTH:
        raise RuleError("automation.error.reason_length", length=len(reason),
                        maximum=MAX_REASON_LENGTH)
    allowed = set(FACTS) | set(CLIENT_FIELDS)
    try:
        fields = list(string.Formatter().parse(reason))
    except ValueError:
        raise RuleError("automation.error.reason_syntax", value=reason) from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        # Only bare names: attribute access, indexing, conversions and format specs
        # are rejected, so a template cannot reach into Python objects.
        if name not in allowed or spec or conversion:
            raise RuleError("automation.error.reason_field", value="{" + name + "}",
                            allowed=", ".join(sorted(allowed)))


def evaluate_rule(rule: Rule, facts: pd.DataFrame) -> pd.Series:
    """Return a boolean mask of the rows of ``facts`` that meet all the rule's conditions.

    ``rule`` must have passed ``validate_rule``. A missing fact value never matches.
    """
    mask = pd.Series(True, index=facts.index)
    for condition in rule.conditions:
        mask &= _condition_mask(condition, facts[condition.fact])
    return mask


def _condition_mask(condition: Condition, values: pd.Series) -> pd.Series:
    kind = FACTS[condition.fact].kind
    present = values.notna()
    if kind == CATEGORY:
        text = values.astype(object).where(present).map(
            lambda v: str(v).lower() if isinstance(v, str) else v)
        if condition.operator == "in":
            return present & text.isin(condition.value)
        equal = text == condition.value
        return present & (equal if condition.operator == "=" else ~equal)
    if kind == BOOLEAN:
        return present & (values.astype(bool) == condition.value)

    numbers = values.astype(float)
    compare = {
        "<": numbers < condition.value,
        "<=": numbers <= condition.value,
        ">": numbers > condition.value,
        ">=": numbers >= condition.value,
        "=": numbers == condition.value,
        "!=": numbers != condition.value,
    }[condition.operator]
    return present & compare


def propose_tasks(rules: list[Rule], facts: pd.DataFrame, as_of) -> pd.DataFrame:
    """Return one task proposal per enabled rule and matching client.

    Parameters
    ----------
    rules : list of Rule
        Validated rules with their ``rule_id``; disabled rules are skipped.
    facts : DataFrame
        From ``client_facts`` at ``as_of``.
    as_of : date-like
        The evaluation date; ``due_at = as_of + due_days``.

    Returns
    -------
    DataFrame
        Columns rule_id, rule_name, client_id, title, reason, owner, due_at and
        priority. Whether a task already exists is decided by the store.
    """
    as_of = pd.Timestamp(as_of).normalize()
    frames = []
    for rule in rules:
        if not rule.enabled:
            continue
        matched = facts[evaluate_rule(rule, facts)]
        if matched.empty:
            continue
        frames.append(pd.DataFrame({
            "rule_id": rule.rule_id,
            "rule_name": rule.name,
            "client_id": matched["client_id"].to_numpy(),
            "title": [f"{rule.name}: {name}" for name in matched["client_name"]],
            "reason": [render_reason(rule, row) for row in matched.to_dict("records")],
            "owner": _owners(rule, matched),
            "due_at": (as_of + pd.Timedelta(days=rule.due_days)).date(),
            "priority": rule.priority,
        }))
    if not frames:
        return pd.DataFrame(columns=["rule_id", "rule_name", "client_id", "title",
                                     "reason", "owner", "due_at", "priority"])
    return pd.concat(frames, ignore_index=True)


def _owners(rule: Rule, matched: pd.DataFrame) -> list[str]:
    if rule.owner != RELATIONSHIP_MANAGER:
        return [rule.owner] * len(matched)
    return [manager if isinstance(manager, str) and manager.strip() else UNASSIGNED
            for manager in matched["relationship_manager"]]


def render_reason(rule: Rule, fact_row: dict) -> str:
    """Fill the rule's reason template with one client's facts.

    Numbers are written with up to four significant digits (a PD of 0.0005 stays
    0.0005), missing values as ``n/a``. An
    empty template gives the conditions themselves, such as
    ``days_since_contact >= 90 (is 120)``.
    """
    values = {name: _format_fact(fact_row.get(name)) for name in FACTS}
    values.update({"client_id": str(fact_row.get("client_id", "")),
                   "client_name": str(fact_row.get("client_name", "")),
                   "rule_name": rule.name})
    if rule.reason.strip():
        return rule.reason.format_map(values)
    return "; ".join(f"{c.fact} {c.operator} {_format_value(c.value)} "
                     f"(is {values[c.fact]})" for c in rule.conditions)


def _format_fact(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, (bool, str)):
        return str(value)
    number = float(value)
    return f"{number:.0f}" if number.is_integer() else f"{number:.4g}"


def _format_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return _format_fact(value)
