"""The Automation page's method section: rule semantics, fact formulas, the backtest."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..automation.backtest import DEFAULT_MONTHS, DEFAULT_OUTCOME_DAYS
from ..automation.facts import (
    DETRACTOR_MAX_NPS,
    DETRACTOR_WINDOW_DAYS,
    DOWNGRADE_WINDOW_DAYS,
    FACTS,
    REFINANCING_WINDOW_DAYS,
    REVENUE_WINDOW_DAYS,
)
from .context import t

RULE_FIRES = (r"\text{fires}(c, d) = \bigwedge_{k=1}^{K} "
              r"\big[\, f_k(c, d) \;\mathrm{op}_k\; v_k \,\big]")
CLV_RANK = (r"\text{clv\_rank\_pct}(c, d) = 100 \cdot "
            r"\frac{\#\{c' : R(c', d) \le R(c, d)\}}{N(d)}")
TRAILING_REVENUE = (r"R(c, d) = \sum_{d-365 < s \le d} "
                    r"\text{revenue}_{\text{USD}}(c, s)")
DOWNGRADE = (r"\text{rating\_downgrade\_notches}(c, d) = "
             r"n\big(\text{rating}(c, d)\big) - n\big(\text{rating}(c, d-365)\big)")
HIT_RATE = (r"\text{hit rate} = \frac{\#\{c \in F : \exists\, e(c) \in "
            rf"(d_c, \min(d_c + {DEFAULT_OUTCOME_DAYS}, d_0)]\}}}}{{|F|}}")


def render_method() -> None:
    """Show how rules are evaluated, how each fact is computed and how the backtest works."""
    st.subheader(t("automation_page.method.rules_heading"))
    st.markdown(t("automation_page.method.rules"))
    st.latex(RULE_FIRES)

    st.subheader(t("automation_page.method.facts_heading"))
    st.latex(CLV_RANK)
    st.latex(TRAILING_REVENUE)
    st.latex(DOWNGRADE)
    for name in FACTS:
        st.markdown(f"- **{t(f'automation.fact.{name}')}** (`{name}`): "
                    + t(f"automation_page.method.fact.{name}",
                        revenue_days=REVENUE_WINDOW_DAYS,
                        downgrade_days=DOWNGRADE_WINDOW_DAYS,
                        refinancing_days=REFINANCING_WINDOW_DAYS,
                        detractor_days=DETRACTOR_WINDOW_DAYS,
                        detractor_nps=DETRACTOR_MAX_NPS))
    st.warning(t("automation_page.method.clv_proxy"))

    st.subheader(t("automation_page.method.backtest_heading"))
    st.markdown(t("automation_page.method.backtest", months=DEFAULT_MONTHS,
                  days=DEFAULT_OUTCOME_DAYS))
    st.latex(HIT_RATE)
    st.markdown(t("automation_page.method.hit_rate", days=DEFAULT_OUTCOME_DAYS))
    st.markdown(t("automation_page.method.limits"))


def render_validation(summary: pd.DataFrame) -> None:
    """Show the backtest of every stored rule: how often it fires and its hit rate."""
    st.subheader(t("automation_page.method.validation_heading"))
    st.caption(t("automation_page.method.validation_caption"))
    st.dataframe(summary, hide_index=True, width="stretch", column_config={
        "name": t("automation_page.col.rule"),
        "firings": st.column_config.NumberColumn(t("automation_page.backtest.firings"),
                                                 format="%d"),
        "new_firings": st.column_config.NumberColumn(
            t("automation_page.backtest.new_firings"), format="%d"),
        "clients": st.column_config.NumberColumn(t("automation_page.backtest.clients"),
                                                 format="%d"),
        "hit_rate": st.column_config.NumberColumn(
            t("automation_page.backtest.hit_rate"), format="percent"),
        "base_rate": st.column_config.NumberColumn(
            t("automation_page.method.base_rate"), format="percent"),
    })
