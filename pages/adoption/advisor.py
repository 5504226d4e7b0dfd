"""Model advisor: the CRM models that fit the firm, its data readiness, their payoff."""

import streamlit as st

from pfcrm_core.advisor import (FACTORS, LEVELS, MAX_HORIZON_YEARS, AdvisorInputError,
                                Answers, cost_benefit, recommend)
from pfcrm_core.errors import PfcrmError
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.ui import active_store, error_text, fmt_money, labeller, show_error, t
from pfcrm_core.ui.advisor import (cached_fee_income, cached_readiness,
                                   cash_flow_figure, flows_columns, flows_frame,
                                   irr_text, render_method, render_recommendation,
                                   years_text)

# Placeholder inputs for a first look, to be replaced by the firm's own estimates.
DEFAULT_ONE_OFF_USD = 2_000_000.0
DEFAULT_RUNNING_USD = 500_000.0
DEFAULT_UPLIFT_PCT = 0.5
DEFAULT_DISCOUNT_PCT = 8.0
DEFAULT_HORIZON_YEARS = 5

store = active_store()

st.title(t("advisor.title"))
st.caption(t("advisor.caption"))

try:
    readiness = cached_readiness(store)
    fee_income = cached_fee_income(store)
except PfcrmError as exc:
    show_error(exc)
    readiness, fee_income = None, 0.0

# The four questions; the explanation of the chosen level is shown under each.
st.subheader(t("advisor.questions"))
columns = st.columns(len(FACTORS))
levels = {}
for column, factor in zip(columns, FACTORS):
    with column:
        level_label = labeller(f"advisor.factor.{factor}.level")
        levels[factor] = st.radio(t(f"advisor.factor.{factor}.question"), LEVELS,
                                  index=1, format_func=level_label,
                                  key=f"advisor_{factor}")
        st.caption(t(f"advisor.factor.{factor}.level.{levels[factor]}.help"))
answers = Answers(**levels)

if readiness is not None and all(r.status == "not_ready" for r in readiness.values()):
    st.info(t("advisor.no_data"))

ranking_tab, cost_tab, method_tab = st.tabs([
    t("advisor.tab.ranking"), t("advisor.tab.cost_benefit"), t("advisor.tab.method")])

with ranking_tab:
    ranking = recommend(answers, readiness)
    st.caption(t("advisor.ranking_caption"))
    # Two cards a row, so the ranking reads left to right, then down.
    for start in range(0, len(ranking), 2):
        for column, item in zip(st.columns(2), ranking[start:start + 2]):
            with column:
                render_recommendation(item)

with cost_tab:
    st.caption(t("advisor.cb.caption"))
    first, second, third = st.columns(3)
    one_off = first.number_input(
        t("advisor.cb.one_off"), min_value=0.0, value=DEFAULT_ONE_OFF_USD,
        step=10_000.0, format="%.0f", help=t("advisor.cb.one_off_help"),
        key="advisor_one_off")
    running = first.number_input(
        t("advisor.cb.running"), min_value=0.0, value=DEFAULT_RUNNING_USD,
        step=5_000.0, format="%.0f", help=t("advisor.cb.running_help"),
        key="advisor_running")
    base_income = second.number_input(
        t("advisor.cb.base_income"), min_value=0.0, value=round(fee_income, 0),
        step=100_000.0, format="%.0f", help=t("advisor.cb.base_income_help"),
        key="advisor_base_income")
    uplift = second.number_input(t("advisor.cb.uplift"), min_value=-100.0,
                                 max_value=100.0, value=DEFAULT_UPLIFT_PCT, step=0.5,
                                 format="%.2f", help=t("advisor.cb.uplift_help"),
                                 key="advisor_uplift")
    discount = third.number_input(t("advisor.cb.discount"), min_value=0.0,
                                  max_value=100.0, value=DEFAULT_DISCOUNT_PCT, step=0.5,
                                  format="%.2f", key="advisor_discount")
    horizon = third.number_input(t("advisor.cb.horizon"), min_value=1,
                                 max_value=MAX_HORIZON_YEARS,
                                 value=DEFAULT_HORIZON_YEARS, step=1,
                                 key="advisor_horizon")

    benefit = base_income * uplift / 100
    st.write(t("advisor.cb.benefit_line", benefit=fmt_money(benefit),
               base=fmt_money(base_income), uplift=f"{uplift:g}"))
    try:
        result = cost_benefit(one_off, running, benefit, discount / 100, int(horizon))
    except AdvisorInputError as exc:
        st.error(error_text(exc))
        result = None

    if result is not None:
        metrics = st.columns(4)
        metrics[0].metric(t("advisor.cb.npv"), fmt_money(result.npv),
                          help=t("advisor.cb.npv_help", rate=f"{discount:g}"))
        metrics[1].metric(t("advisor.cb.irr"), irr_text(result))
        metrics[2].metric(t("advisor.cb.payback"), years_text(result.payback_years))
        metrics[3].metric(t("advisor.cb.discounted_payback"),
                          years_text(result.discounted_payback_years))
        verdict = "positive" if result.npv > 0 else "negative"
        (st.success if result.npv > 0 else st.warning)(
            t(f"advisor.cb.verdict.{verdict}", npv=fmt_money(result.npv),
              years=int(horizon)))
        st.plotly_chart(cash_flow_figure(result), width="stretch", key="advisor_chart")
        flows = flows_frame(result)
        st.dataframe(flows, hide_index=True, width="stretch",
                     column_config=flows_columns(), key="advisor_flows")
        st.download_button(t("advisor.cb.download"), to_csv_bytes(flows),
                           file_name="cost_benefit.csv", mime="text/csv",
                           key="advisor_download")

with method_tab:
    render_method(fee_income)
