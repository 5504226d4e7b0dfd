"""Case study: a toll-road PPP's funding, its ranked outreach list, simulated
outreach strategies and a workshop that walks through the seven models on it."""

import pandas as pd
import streamlit as st

from pfcrm_core.casestudy import COMPONENTS, STEP_PAGES, STRATEGIES, CaseStudyError
from pfcrm_core.casestudy.outreach import DEFAULT_PD_CUTOFF
from pfcrm_core.casestudy.simulation import DEFAULT_SEED, SimulationSettings
from pfcrm_core.demo.projects import TOLL_ROAD_ID
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.ui import (active_store, cached_table, error_text, fmt_money, label_of,
                           language, t)
from pfcrm_core.ui import case_study as case_ui
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.case_study_method import render_method

store = active_store()

st.title(t("case_study.title"))
st.caption(t("case_study.caption"))

projects = cached_table(store, "projects")
if projects.empty or cached_table(store, "clients").empty:
    st.info(t("case_study.empty"))
    case_ui.link_to("pages/data/manage.py", t("case_study.link.data"))
    st.stop()

# -- settings ---------------------------------------------------------------------
ids = projects["project_id"].astype(str).tolist()
names = dict(zip(ids, projects["name"].fillna("").astype(str)))
default_index = ids.index(TOLL_ROAD_ID) if TOLL_ROAD_ID in ids else 0
project_id = st.selectbox(t("case_study.settings.project"), ids, index=default_index,
                          format_func=lambda pid: f"{pid} · {names.get(pid, '')}",
                          key="case_project")

with st.expander(t("case_study.settings.heading")):
    with st.form("case_settings"):
        st.caption(t("case_study.settings.weights_help"))
        columns = st.columns(len(COMPONENTS))
        defaults = case_ui.weight_defaults()
        weights = {}
        for column, name in zip(columns, COMPONENTS):
            weights[name] = column.number_input(
                case_ui.component_label(name), min_value=0, max_value=100,
                value=defaults[name], step=5, key=f"case_weight_{name}")
        left, middle, right = st.columns(3)
        pd_cutoff = left.number_input(
            t("case_study.settings.pd_cutoff"), min_value=0.05, max_value=100.0,
            value=DEFAULT_PD_CUTOFF * 100, step=0.05, format="%.2f",
            help=t("case_study.settings.pd_cutoff_help"), key="case_pd_cutoff")
        contacts = middle.number_input(
            t("case_study.settings.contacts"), min_value=1, max_value=40,
            value=SimulationSettings().contacts_per_month, step=1,
            key="case_contacts")
        seed = right.number_input(t("case_study.settings.seed"), min_value=0,
                                  value=DEFAULT_SEED, step=1, key="case_seed")
        st.form_submit_button(t("case_study.settings.apply"))

if sum(weights.values()) <= 0:
    st.warning(t("case_study.settings.zero_weights"))
    st.stop()

try:
    case, notes = case_ui.cached_case(store, project_id, weights=weights,
                                      pd_cutoff=pd_cutoff / 100,
                                      contacts_per_month=int(contacts), seed=int(seed))
except CaseStudyError as exc:
    st.warning(error_text(exc))
    st.stop()
for note in notes:
    st.info(note)

card, funding, outreach = case.card, case.funding, case.outreach
ranked, summary = outreach.ranked, case.simulation.summary

# -- project card ------------------------------------------------------------------
st.subheader(case_ui.markdown_escape(card["name"]))
facts = st.columns(4)
facts[0].metric(t("case_study.card.sector"), label_of("sector", card["sector"]))
facts[1].metric(t("case_study.card.country"), str(card["country"]))
facts[2].metric(t("case_study.card.stage"), label_of("stage", card["stage"]))
close_date = card["financial_close_date"]
facts[3].metric(t("case_study.card.close"),
                f"{pd.Timestamp(close_date):%Y-%m-%d}" if pd.notna(close_date)
                else t("case_study.card.not_closed"))
amounts = st.columns(4)
amounts[0].metric(t("case_study.card.cost"), fmt_money(card["total_cost_usd"]))
amounts[1].metric(t("case_study.card.target"), fmt_money(card["target_usd"]))
amounts[2].metric(t("case_study.card.funded"), fmt_money(funding.committed_usd))
amounts[3].metric(t("case_study.card.rate"), f"{funding.rate:.1%}")
st.caption(t("case_study.card.currency_note", currency=str(card["currency"]).upper(),
             as_of=f"{funding.as_of:%Y-%m-%d}"))

# -- workshop mode -----------------------------------------------------------------
steps = case.steps
if st.toggle(t("case_study.workshop.toggle"), key="case_workshop",
             help=t("case_study.workshop.toggle_help")):
    index = case_ui.current_step(len(steps))
    step = steps[index]
    with st.container(border=True):
        st.progress((index + 1) / len(steps),
                    text=t("case_study.workshop.progress", step=index + 1,
                           total=len(steps)))
        heading = t(f"case_study.step.{step.key}.title")
        if step.model is not None:
            heading = t("case_study.workshop.model_heading", number=step.model,
                        title=heading)
        st.markdown(f"### {heading}")
        st.markdown(f"**{t('case_study.workshop.question')}** "
                    f"{t(f'case_study.step.{step.key}.question')}")
        st.metric(t(f"case_study.step.{step.key}.figure_label"),
                  case_ui.figure_text(step))
        st.write(t(f"case_study.step.{step.key}.figure",
                   **case_ui.step_values(step)))
        st.markdown(f"**{t('case_study.workshop.look_at')}** "
                    f"{t(f'case_study.step.{step.key}.look_at')}")
        if step.page != STEP_PAGES["intro"]:
            case_ui.link_to(step.page, t("case_study.workshop.open",
                                         page=t(f"case_study.step.{step.key}.title")))
        back, forward = st.columns(2)
        back.button(t("case_study.workshop.previous"), key="case_prev",
                    disabled=index == 0, on_click=case_ui.move_step,
                    args=(-1, len(steps)), width="stretch")
        forward.button(t("case_study.workshop.next"), key="case_next",
                       disabled=index == len(steps) - 1, on_click=case_ui.move_step,
                       args=(1, len(steps)), width="stretch")

funding_tab, outreach_tab, strategy_tab, method_tab = st.tabs([
    t("case_study.tab.funding"), t("case_study.tab.outreach"),
    t("case_study.tab.strategies"), t("case_study.tab.method")])

# -- funding in place --------------------------------------------------------------
with funding_tab:
    cols = st.columns(3)
    cols[0].metric(t("case_study.funding.gap"), fmt_money(funding.gap_usd))
    cols[1].metric(t("case_study.funding.pace"),
                   t("case_study.funding.per_month",
                     amount=fmt_money(funding.pace_usd_per_month)),
                   help=t("case_study.funding.pace_help", months=funding.pace_months))
    projected = funding.projected_date
    cols[2].metric(t("case_study.funding.projected"),
                   f"{projected:%Y-%m}" if projected is not None
                   else t("case_study.funding.no_projection"))
    if funding.timeline.empty:
        st.info(t("case_study.funding.no_deals"))
    st.plotly_chart(case_ui.funding_figure(funding), width="stretch",
                    key="case_funding_chart")
    st.caption(t("case_study.funding.caption", months=funding.pace_months))
    if not funding.timeline.empty:
        timeline = funding.timeline.assign(
            role=funding.timeline["role"].map(lambda r: label_of("role", r)))
        client_table(
            timeline, key="case_funding_timeline", hide_index=True, width="stretch",
            column_config={
                "date": st.column_config.DateColumn(t("case_study.col.date"),
                                                    format="YYYY-MM-DD"),
                "deal_id": t("case_study.col.deal_id"),
                "client_id": t("col.client_id"),
                "role": t("case_study.col.role"),
                "amount_usd": st.column_config.NumberColumn(
                    t("case_study.col.amount_usd"), format="%,.0f"),
                "committed_usd": st.column_config.NumberColumn(
                    t("case_study.col.committed_usd"), format="%,.0f"),
                "rate": st.column_config.ProgressColumn(
                    t("case_study.col.rate"), format="percent", min_value=0.0,
                    max_value=max(1.0, float(funding.timeline["rate"].max()))),
            })

# -- outreach list -----------------------------------------------------------------
with outreach_tab:
    st.write(t("case_study.outreach.intro", eligible=len(ranked),
               excluded=len(outreach.excluded), cutoff=f"{pd_cutoff:.2f}%",
               gap=fmt_money(funding.gap_usd)))
    if ranked.empty:
        st.warning(t("case_study.outreach.none"))
    else:
        candidates = ranked.copy()
        candidates["client_type"] = candidates["client_type"].map(
            lambda v: label_of("client_type", v))
        candidates["reason_text"] = [case_ui.reason_text(row)
                                     for _, row in ranked.iterrows()]
        candidates["pd"] = 100 * candidates["pd"]
        components = {f"c_{name}": st.column_config.ProgressColumn(
            case_ui.component_label(name), format="%.2f", min_value=0.0,
            max_value=1.0) for name in COMPONENTS}
        columns = ["rank", "name", "client_type", "rating", "pd", "score",
                   "suggested_ticket_usd", "reason_text", *components]
        client_table(
            candidates[[*columns, "client_id"]], key="case_outreach_table",
            column_order=columns, hide_index=True, width="stretch", height=460,
            column_config={
                "rank": st.column_config.NumberColumn(t("case_study.col.rank"),
                                                      format="%d"),
                "name": t("col.name"),
                "client_type": t("col.client_type"),
                "rating": t("case_study.col.rating"),
                "pd": st.column_config.NumberColumn(t("case_study.col.pd"),
                                                    format="%.3f%%"),
                "score": st.column_config.ProgressColumn(
                    t("case_study.col.score"), format="%.2f", min_value=0.0,
                    max_value=1.0),
                **components,
                "suggested_ticket_usd": st.column_config.NumberColumn(
                    t("case_study.col.ticket"), format="%,.0f"),
                "reason_text": st.column_config.TextColumn(
                    t("case_study.col.reasons"), width="large"),
            })
        st.download_button(t("case_study.outreach.download"),
                           to_csv_bytes(ranked.drop(columns=["country"])),
                           file_name=f"outreach_{project_id}.csv", mime="text/csv",
                           key="case_outreach_download")
        st.markdown(f"**{t('case_study.outreach.top_profiles')}**")
        for _, row in ranked.head(5).iterrows():
            case_ui.link_to(case_ui.PROFILE_PAGE,
                            t("case_study.outreach.profile_link", rank=int(row["rank"]),
                              name=case_ui.markdown_escape(row["name"]),
                              ticket=fmt_money(
                                  row["suggested_ticket_usd"])),
                            query_params={"client": row["client_id"],
                                          "lang": language()})
    with st.expander(t("case_study.outreach.excluded", count=len(outreach.excluded))):
        excluded = outreach.excluded.assign(
            pd=100 * outreach.excluded["pd"],
            reason=outreach.excluded["reason"].map(
                lambda r: t(f"case_study.exclusion.{r}")),
            client_type=outreach.excluded["client_type"].map(
                lambda v: label_of("client_type", v)))
        client_table(excluded, key="case_excluded", hide_index=True, width="stretch",
                     column_config={
                         "client_id": t("col.client_id"), "name": t("col.name"),
                         "client_type": t("col.client_type"),
                         "pd": st.column_config.NumberColumn(t("case_study.col.pd"),
                                                             format="%.3f%%"),
                         "reason": t("case_study.col.exclusion")})

# -- simulated strategies ----------------------------------------------------------
with strategy_tab:
    st.warning(t("case_study.sim.banner"), icon=":material/science:")
    by_strategy = summary.set_index("strategy")
    st.markdown(t("case_study.sim.takeaway",
                  ranked=case_ui.months_text(by_strategy.loc["ranked", "months_p50"]),
                  contacts=f"{by_strategy.loc['ranked', 'contacts_p50']:,.0f}",
                  random=case_ui.months_text(by_strategy.loc["random", "months_p50"]),
                  share=f"{by_strategy.loc['ranked', 'share_closed']:.0%}"))
    table = summary.assign(strategy=summary["strategy"].map(case_ui.strategy_label))
    for column in ("months_p10", "months_p50", "months_p90"):
        table[column] = summary[column].map(case_ui.months_text)
    table = table.drop(columns=["simulated"])
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={
            "strategy": t("case_study.sim.strategy"),
            "candidates": st.column_config.NumberColumn(
                t("case_study.sim.candidates"), format="%d"),
            "share_closed": st.column_config.NumberColumn(
                t("case_study.sim.share_closed",
                  months=case.simulation.settings.horizon_months), format="percent"),
            "months_p10": t("case_study.sim.months_p10"),
            "months_p50": t("case_study.sim.months_p50"),
            "months_p90": t("case_study.sim.months_p90"),
            **{f"contacts_p{p}": st.column_config.NumberColumn(
                t(f"case_study.sim.contacts_p{p}"), format="%d") for p in (10, 50, 90)},
            **{f"funding_6m_p{p}": st.column_config.NumberColumn(
                t(f"case_study.sim.funding_p{p}"), format="%,.0f")
               for p in (10, 50, 90)},
        })
    left, right = st.columns(2)
    left.plotly_chart(case_ui.closing_figure(case), width="stretch",
                      key="case_closing_chart")
    right.plotly_chart(case_ui.funding_box_figure(case), width="stretch",
                       key="case_funding_box")
    for strategy in STRATEGIES:
        st.markdown("- " + t("case_study.sim.strategy_line",
                             name=case_ui.strategy_label(strategy),
                             text=t(f"case_study.strategy_help.{strategy}")))
    st.caption(t("case_study.sim.footer", runs=f"{case.simulation.settings.n_runs:,}",
                 seed=case.simulation.settings.seed))

with method_tab:
    render_method(case)
