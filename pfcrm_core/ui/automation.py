"""The Automation page's cached reads and its rule editor.

The editor keeps its fields in ``st.session_state`` under ``automation_*`` keys.
Choosing a rule in the selector copies that rule into those keys (in the
selector's callback, before the widgets are drawn), so the same widgets serve a
new rule and an edit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..automation import (
    FACTS,
    OPERATORS,
    PRIORITIES,
    RELATIONSHIP_MANAGER,
    BacktestResult,
    Condition,
    Rule,
    RuleError,
    backtest_dates,
    backtest_rule,
    facts_history,
    load_sources,
    validate_rule,
)
from ..automation.facts import BOOLEAN, CATEGORY
from ..errors import PfcrmError
from ..store import Store
from .context import error_text, language, markdown_text, show_error, t

NEW_RULE = 0
MAX_CONDITIONS = 6
FLASH_KEY = "automation_flash"
BACKTEST_KEY = "automation_backtest_result"


# -- cached reads ------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _sources(path: str, version: tuple) -> dict[str, pd.DataFrame]:
    return load_sources(Store(path))


@st.cache_data(show_spinner=False, max_entries=8)
def _history(path: str, version: tuple, as_of: date) -> dict:
    sources = _sources(path, version)
    return facts_history(sources, backtest_dates(as_of))


def cached_sources(store: Store) -> dict[str, pd.DataFrame]:
    """Return the tables the facts read, once per version of the file."""
    return _sources(str(store.path), store.data_version())


def cached_backtest(store: Store, rule: Rule, as_of: date) -> BacktestResult:
    """Backtest a validated rule; the facts at each month-end are cached per as-of date."""
    version = store.data_version()
    history = _history(str(store.path), version, as_of)
    return backtest_rule(rule, _sources(str(store.path), version), as_of,
                         history=history)


# -- messages that survive a rerun ---------------------------------------------------

def flash(kind: str, text: str) -> None:
    """Keep a message to show on the next run, after ``st.rerun``."""
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    """Show and forget the message kept by ``flash``."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, None))
    # Messages quote rule names and notes: escape them so they show as typed.
    text = None if text is None else markdown_text(text)
    if kind == "success":
        st.success(text)
    elif kind == "warning":
        st.warning(text)


# -- display helpers -----------------------------------------------------------------

def condition_text(condition: dict, lang: str) -> str:
    """Return one condition as a readable line in ``lang``, e.g. ``Days since ... >= 90``."""
    from ..i18n import translate

    value = condition.get("value")
    if isinstance(value, bool):
        value = translate(f"automation_page.bool.{str(value).lower()}", lang)
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    fact = translate(f"automation.fact.{condition['fact']}", lang)
    return f"{fact} {condition['operator']} {value}"


def rules_table(rules: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the rules as a display table with readable conditions and labels."""
    from ..i18n import translate

    if rules.empty:
        return pd.DataFrame(columns=["rule_id", "name", "conditions", "owner",
                                     "due_days", "priority", "enabled"])
    shown = rules[["rule_id", "name", "conditions", "owner", "due_days", "priority",
                   "enabled"]].copy()
    shown["conditions"] = shown["conditions"].map(
        lambda items: translate("automation_page.and", lang).join(
            condition_text(item, lang) for item in items))
    shown["owner"] = shown["owner"].map(
        lambda owner: translate("automation_page.owner.manager", lang)
        if owner == RELATIONSHIP_MANAGER else owner)
    shown["priority"] = shown["priority"].map(
        lambda value: translate(f"automation.priority.{value}", lang))
    return shown


# -- the rule editor -------------------------------------------------------------------

def load_editor(rules: pd.DataFrame) -> None:
    """Copy the rule chosen in ``automation_rule_choice`` into the editor's fields."""
    choice = st.session_state.get("automation_rule_choice", NEW_RULE)
    state = st.session_state
    state.pop(BACKTEST_KEY, None)
    if choice == NEW_RULE or choice not in set(rules["rule_id"]):
        rule = Rule(name="", conditions=(Condition("days_since_contact", ">=", 90),))
    else:
        rule = Rule.from_dict(rules[rules["rule_id"] == choice].iloc[0].to_dict())

    state["automation_name"] = rule.name
    state["automation_owner_mode"] = ("manager" if rule.owner == RELATIONSHIP_MANAGER
                                      else "person")
    state["automation_owner_name"] = "" if rule.owner == RELATIONSHIP_MANAGER \
        else rule.owner
    state["automation_due_days"] = int(rule.due_days)
    state["automation_priority"] = rule.priority
    state["automation_reason"] = rule.reason
    state["automation_enabled"] = bool(rule.enabled)
    state["automation_n_conditions"] = len(rule.conditions)
    for i, condition in enumerate(rule.conditions):
        _load_condition(i, condition)


def _load_condition(i: int, condition: Condition) -> None:
    state = st.session_state
    kind = FACTS[condition.fact].kind
    state[f"automation_cond_fact_{i}"] = condition.fact
    state[f"automation_cond_op_{i}_{kind}"] = condition.operator
    if kind == BOOLEAN:
        state[f"automation_cond_bool_{i}"] = bool(condition.value)
    elif kind == CATEGORY:
        value = condition.value
        state[f"automation_cond_text_{i}"] = (", ".join(value)
                                              if isinstance(value, (list, tuple))
                                              else str(value))
    else:
        state[f"automation_cond_num_{i}"] = float(condition.value)


def _change_condition_count(delta: int) -> None:
    state = st.session_state
    count = state.get("automation_n_conditions", 1) + delta
    state["automation_n_conditions"] = min(max(count, 1), MAX_CONDITIONS)
    state.pop(BACKTEST_KEY, None)


def render_rule_fields() -> Rule:
    """Draw the editor's widgets and return the rule they describe (not validated)."""
    lang = language()
    st.text_input(t("automation_page.rule.name"), key="automation_name", max_chars=120)

    st.markdown(f"**{t('automation_page.rule.conditions')}**")
    st.caption(t("automation_page.rule.conditions_help"))
    count = st.session_state.setdefault("automation_n_conditions", 1)
    conditions = [_condition_row(i, lang) for i in range(count)]
    add, remove, _ = st.columns([1, 1, 2])
    add.button(t("automation_page.rule.add_condition"), key="automation_add_condition",
               on_click=_change_condition_count, args=(1,),
               disabled=count >= MAX_CONDITIONS)
    remove.button(t("automation_page.rule.remove_condition"),
                  key="automation_remove_condition", on_click=_change_condition_count,
                  args=(-1,), disabled=count <= 1)

    first, second, third = st.columns(3)
    mode = first.radio(t("automation_page.rule.owner"), ["manager", "person"],
                       format_func=_bound_label("automation_page.owner_mode", lang),
                       key="automation_owner_mode", horizontal=True)
    person = first.text_input(t("automation_page.rule.owner_name"),
                              key="automation_owner_name",
                              disabled=mode != "person")
    due_days = second.number_input(t("automation_page.rule.due_days"), min_value=0,
                                   max_value=365, step=1, key="automation_due_days")
    priority = third.selectbox(t("automation_page.rule.priority"), list(PRIORITIES),
                               format_func=_bound_label("automation.priority", lang),
                               key="automation_priority")
    enabled = third.checkbox(t("automation_page.rule.enabled"),
                             key="automation_enabled",
                             help=t("automation_page.rule.enabled_help"))
    reason = st.text_area(t("automation_page.rule.reason"), key="automation_reason",
                          help=t("automation_page.rule.reason_help",
                                 facts=", ".join("{" + name + "}" for name in FACTS)))
    return Rule(
        name=str(st.session_state.get("automation_name") or "").strip(),
        conditions=tuple(conditions),
        owner=RELATIONSHIP_MANAGER if mode == "manager" else (person or "").strip(),
        due_days=int(due_days), priority=priority, reason=reason or "",
        enabled=bool(enabled))


def _condition_row(i: int, lang: str) -> Condition:
    fact_column, operator_column, value_column = st.columns([3, 1, 2])
    fact = fact_column.selectbox(
        t("automation_page.rule.fact", number=i + 1), list(FACTS),
        format_func=_bound_label("automation.fact", lang),
        key=f"automation_cond_fact_{i}")
    kind = FACTS[fact].kind
    operator = operator_column.selectbox(t("automation_page.rule.operator"),
                                         list(OPERATORS[kind]),
                                         key=f"automation_cond_op_{i}_{kind}")
    label = t("automation_page.rule.value")
    if kind == BOOLEAN:
        value = value_column.selectbox(
            label, [True, False], key=f"automation_cond_bool_{i}",
            format_func=lambda v, lang=lang: _translate(
                f"automation_page.bool.{str(v).lower()}", lang))
    elif kind == CATEGORY:
        value = value_column.text_input(label, key=f"automation_cond_text_{i}",
                                        help=t("automation_page.rule.category_help"))
    else:
        spec = FACTS[fact]
        st.session_state.setdefault(f"automation_cond_num_{i}", 0.0)
        fraction = spec.maximum is not None and spec.maximum <= 1
        value = value_column.number_input(label, key=f"automation_cond_num_{i}",
                                          step=0.01 if fraction else 1.0,
                                          format="%.4f" if fraction else "%.0f",
                                          help=t("automation_page.rule.range_help",
                                                 minimum=_bound(spec.minimum),
                                                 maximum=_bound(spec.maximum)))
    return Condition(fact, operator, value)


def _bound(value) -> str:
    return "–" if value is None else f"{value:g}"


def _translate(key: str, lang: str) -> str:
    from ..i18n import translate

    return translate(key, lang)


def _bound_label(prefix: str, lang: str):
    return lambda value: _translate(f"{prefix}.{value}", lang)


def checked_rule(rule: Rule, *, draft: bool = False) -> Rule | None:
    """Return the validated rule, or show why it is invalid and return None.

    With ``draft`` a rule without a name is accepted, so a rule can be backtested
    before it is named.
    """
    if draft and not rule.name:
        rule = replace(rule, name=t("automation_page.rule.new"))
    try:
        return validate_rule(rule)
    except RuleError as exc:
        st.error(error_text(exc))
    return None


def render_backtest(result: BacktestResult) -> None:
    """Show a backtest: headline counts, firings per month and the hit rate."""
    cols = st.columns(4)
    cols[0].metric(t("automation_page.backtest.firings"), f"{result.total_firings:,}",
                   help=t("automation_page.backtest.firings_help"))
    cols[1].metric(t("automation_page.backtest.new_firings"),
                   f"{result.total_new_firings:,}",
                   help=t("automation_page.backtest.new_firings_help"))
    cols[2].metric(t("automation_page.backtest.clients"),
                   f"{result.distinct_clients:,}")
    hit = "–" if pd.isna(result.hit_rate) else f"{result.hit_rate:.0%}"
    base = "–" if pd.isna(result.base_rate) else f"{result.base_rate:.0%}"
    cols[3].metric(t("automation_page.backtest.hit_rate"), hit,
                   help=t("automation_page.backtest.hit_rate_help",
                          days=result.outcome_days, base=base))
    st.caption(t("automation_page.backtest.summary", clients=result.distinct_clients,
                 outcome=result.clients_with_outcome, days=result.outcome_days,
                 hit=hit, base=base))

    periods = result.periods
    figure = go.Figure()
    figure.add_bar(x=periods["period_end"], y=periods["firings"],
                   name=t("automation_page.backtest.firings"))
    figure.add_bar(x=periods["period_end"], y=periods["new_firings"],
                   name=t("automation_page.backtest.new_firings"))
    figure.update_layout(barmode="group", height=320, margin={"t": 30, "b": 10},
                         xaxis_title=t("automation_page.backtest.month_end"),
                         yaxis_title=t("automation_page.backtest.clients_axis"),
                         legend={"orientation": "h", "y": 1.12})
    st.plotly_chart(figure, width="stretch", key="automation_backtest_chart")


def backtest_summary(store: Store, rules: list[Rule], as_of: date) -> pd.DataFrame:
    """Backtest every stored rule and return one row of headline counts per rule."""
    rows = []
    for rule in rules:
        result = cached_backtest(store, rule, as_of)
        rows.append({"name": rule.name, "firings": result.total_firings,
                     "new_firings": result.total_new_firings,
                     "clients": result.distinct_clients,
                     "hit_rate": result.hit_rate, "base_rate": result.base_rate})
    return pd.DataFrame(rows, columns=["name", "firings", "new_firings", "clients",
                                       "hit_rate", "base_rate"])


def run_backtest(store: Store, rule: Rule, as_of: date) -> None:
    """Backtest the rule and keep the result with the rule it belongs to."""
    try:
        with st.spinner(t("automation_page.backtest.running")):
            result = cached_backtest(store, rule, as_of)
    except PfcrmError as exc:
        show_error(exc)
        return
    st.session_state[BACKTEST_KEY] = (_comparable(rule), as_of, result)


def stored_backtest(rule: Rule, as_of: date) -> BacktestResult | None:
    """Return the kept backtest when it belongs to this rule and date, else None."""
    kept = st.session_state.get(BACKTEST_KEY)
    if kept is None:
        return None
    try:
        rule = validate_rule(replace(rule, name=rule.name or "draft"))
    except RuleError:
        return None
    rule_dict, kept_as_of, result = kept
    if kept_as_of != as_of or rule_dict != _comparable(rule):
        return None
    return result


def _comparable(rule: Rule) -> dict:
    """Return what decides a backtest's result: the conditions, not name or owner."""
    return {"conditions": [c.to_dict() for c in rule.conditions]}
