"""Risk & return: the credit scorecard, PD, EL, capital and RAROC, migration and
stress, and the method."""

import streamlit as st

from pfcrm_core.export import to_csv_bytes
from pfcrm_core.risk import MasterScale, risk_return_table
from pfcrm_core.risk.book import PROJECT_FINANCE_SECTORS
from pfcrm_core.ui import active_store, cached_table, labeller, language, t
from pfcrm_core.ui.risk import (ScorecardSettings, clv_or_reason, development_sample,
                                priced_book, psi_view, render_master_scale,
                                render_method, render_migration, render_rankings,
                                render_report, render_risk_table, render_stress,
                                render_upload_source, render_watchlist,
                                risk_return_figure, riskiest_clients, select_dates,
                                store_scorecard_or_reason)

store = active_store()
lang = language()

st.title(t("risk_page.title"))
st.caption(t("risk_page.caption"))

credit = cached_table(store, "credit")

with st.expander(t("risk_page.settings.heading"), expanded=False):
    first, second, third, fourth = st.columns(4)
    settings = ScorecardSettings(
        base_points=float(first.number_input(
            t("risk_page.settings.base_points"), min_value=0.0, max_value=2000.0,
            value=600.0, step=10.0, key="risk_base_points")),
        base_odds=float(second.number_input(
            t("risk_page.settings.base_odds"), min_value=0.1, max_value=10000.0,
            value=50.0, step=5.0, key="risk_base_odds")),
        pdo=float(third.number_input(
            t("risk_page.settings.pdo"), min_value=1.0, max_value=200.0, value=20.0,
            step=1.0, key="risk_pdo")),
        min_iv=float(fourth.number_input(
            t("risk_page.settings.min_iv"), min_value=0.0, max_value=1.0, value=0.02,
            step=0.01, format="%.3f", key="risk_min_iv")))

if credit.empty:
    store_report, store_reason = None, t("risk_page.no_credit")
else:
    store_report, store_reason = store_scorecard_or_reason(store, settings)

scorecard_tab, return_tab, dynamic_tab, method_tab = st.tabs([
    t("risk_page.tab.scorecard"), t("risk_page.tab.return"), t("risk_page.tab.dynamic"),
    t("risk_page.tab.method")])

# -- Scorecard ------------------------------------------------------------------

with scorecard_tab:
    source = st.radio(t("risk_page.source.label"), ["store", "upload"],
                      format_func=labeller("risk_page.source"), horizontal=True,
                      key="risk_source")
    shown_report = None
    if source == "store":
        if store_report is None:
            st.info(store_reason)
        else:
            shown_report = store_report
            book = priced_book(store, store_report, "irb", PROJECT_FINANCE_SECTORS,
                               False)
            render_report(store_report, book, key="risk_store")
            psi_view(store_report, development_sample(store), book)
            riskiest_clients(book)
    else:
        shown_report = render_upload_source(settings)

# -- Risk & return --------------------------------------------------------------

with return_tab:
    if credit.empty:
        st.info(t("risk_page.no_credit"))
    else:
        if store_report is None:
            st.warning(t("risk_page.return.ratings_only", reason=store_reason))
        left, middle, right = st.columns(3)
        hurdle = left.number_input(t("risk_page.return.hurdle"), min_value=0.0,
                                   max_value=100.0, value=12.0, step=0.5,
                                   key="risk_hurdle") / 100
        cost_income = middle.number_input(t("risk_page.return.cost_income"),
                                          min_value=0.0, max_value=99.0, value=40.0,
                                          step=1.0, key="risk_cost_income") / 100
        approach = right.radio(t("risk_page.return.approach"), ["irb", "slotting"],
                               format_func=labeller("risk_page.approach"),
                               horizontal=True, key="risk_approach")
        sectors_in_book = sorted(cached_table(store, "clients")["sector"].dropna()
                                 .astype(str).unique())
        pf_sectors, short_weights = tuple(PROJECT_FINANCE_SECTORS), False
        if approach == "slotting":
            left, right = st.columns([3, 1])
            pf_sectors = tuple(left.multiselect(
                t("risk_page.return.pf_sectors"), sectors_in_book,
                default=[s for s in sectors_in_book if s in PROJECT_FINANCE_SECTORS],
                key="risk_pf_sectors"))
            short_weights = right.checkbox(t("risk_page.return.short_maturity"),
                                           value=False, key="risk_short_maturity")
            st.caption(t("risk_page.return.slotting_rule"))

        capital_book = priced_book(store, store_report, approach, pf_sectors,
                                   short_weights)
        clv, clv_reason = clv_or_reason(store)
        table = risk_return_table(capital_book, clv, cost_income_ratio=cost_income,
                                  hurdle=hurdle)
        if clv is None:
            st.info(t("risk_page.return.clv_missing", reason=clv_reason))

        render_master_scale(MasterScale(), table)
        render_risk_table(table, hurdle)
        render_rankings(table, has_clv=clv is not None)
        st.subheader(t("risk_page.return.scatter_heading"))
        figure, caption = risk_return_figure(table, hurdle)
        st.plotly_chart(figure, width="stretch", key="risk_scatter")
        st.caption(caption)
        export = table.drop(columns=["unseen_variables"], errors="ignore")
        st.download_button(t("risk_page.return.download"), to_csv_bytes(export),
                           file_name="risk_return.csv", mime="text/csv",
                           key="risk_download")

# -- Dynamic risk ---------------------------------------------------------------

with dynamic_tab:
    if credit.empty:
        st.info(t("risk_page.no_credit"))
    else:
        dates = select_dates(credit)
        if dates is not None:
            render_migration(credit, dates)
            render_watchlist(credit, cached_table(store, "clients"), dates)
        render_stress(capital_book, hurdle=hurdle, cost_income=cost_income)

# -- Method ---------------------------------------------------------------------

with method_tab:
    render_method(shown_report or store_report, settings)
