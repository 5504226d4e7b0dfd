"""Satisfaction & loyalty: NPS, CSAT and CES with intervals, trends, key drivers,
attrition risk, the loyalty programme, and the method."""

from functools import partial

import pandas as pd
import plotly.express as px
import streamlit as st

from pfcrm_core.errors import ModelError
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.satisfaction import (assign_tiers, benefit_economics,
                                     tier_migration)
from pfcrm_core.satisfaction.metrics import CSAT_METHODS, DEFAULT_MIN_N, PERIODS
from pfcrm_core.satisfaction.trends import TREND_PERIODS
from pfcrm_core.ui import active_store, cached_table, labeller, language, t
from pfcrm_core.ui import satisfaction as sat
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.context import error_text

store = active_store()
lang = language()

st.title(t("satisfaction_page.title"))
st.caption(t("satisfaction_page.caption"))

feedback = sat.feedback_table(store)
if feedback.empty:
    st.info(t("satisfaction_page.empty"))
    st.stop()

number = st.column_config.NumberColumn
metrics_tab, trends_tab, drivers_tab, attrition_tab, loyalty_tab, method_tab = st.tabs([
    t("satisfaction_page.tab.metrics"), t("satisfaction_page.tab.trends"),
    t("satisfaction_page.tab.drivers"), t("satisfaction_page.tab.attrition"),
    t("satisfaction_page.tab.loyalty"), t("satisfaction_page.tab.method")])

with st.sidebar:
    csat_method = st.selectbox(t("satisfaction_page.settings.csat_method"),
                               list(CSAT_METHODS), format_func=labeller(
                                   "satisfaction_page.csat_method"),
                               key="sat_csat_method")
    cycle = st.selectbox(t("satisfaction_page.settings.cycle"),
                         ["quarter", "month", "half", "year"],
                         format_func=labeller("satisfaction_page.cycle"),
                         key="sat_cycle", help=t("satisfaction_page.settings.cycle_help"))

csat_unit = "%" if csat_method == "top2" else ""
csat_axis = t(f"satisfaction_page.csat_axis.{csat_method}")


def _segments_or_note():
    """Return the segment labels, or None after showing why there are none."""
    segments, reason = sat.segment_map(store, lang)
    if segments is None:
        st.info(t("satisfaction_page.segment.none", reason=reason))
    return segments


with metrics_tab:
    st.markdown(t("satisfaction_page.definitions"))
    first, second = st.columns(2)
    grouping = first.selectbox(t("satisfaction_page.settings.group"), list(sat.GROUPINGS),
                               format_func=labeller("satisfaction_page.group"),
                               key="sat_group")
    period = second.selectbox(t("satisfaction_page.settings.period"), list(PERIODS),
                              index=1, format_func=labeller("satisfaction_page.period"),
                              key="sat_period", disabled=grouping != "period")
    segments = _segments_or_note() if grouping == "segment" else None
    if grouping == "segment" and segments is None:
        grouping = "all"

    try:
        overall = sat.metric_table(store, grouping="all", period=period, cycle=cycle,
                                   csat_method=csat_method).iloc[0]
        table = sat.metric_table(store, grouping=grouping, period=period, cycle=cycle,
                                 csat_method=csat_method, segments=segments)
    except ModelError as exc:
        st.warning(error_text(exc))
        st.stop()

    kpis = st.columns(4)
    kpis[0].metric(t("satisfaction_page.kpi.nps"), f"{overall['nps']:+.1f}",
                   help=t("satisfaction_page.kpi.interval",
                          low=f"{overall['nps_ci_low']:+.1f}",
                          high=f"{overall['nps_ci_high']:+.1f}"))
    kpis[1].metric(t("satisfaction_page.kpi.csat"),
                   f"{overall['csat']:.1f}{csat_unit}",
                   help=t("satisfaction_page.kpi.interval",
                          low=f"{overall['csat_ci_low']:.1f}",
                          high=f"{overall['csat_ci_high']:.1f}"))
    kpis[2].metric(t("satisfaction_page.kpi.responses"), f"{int(overall['n']):,}")
    kpis[3].metric(t("satisfaction_page.kpi.detractors"),
                   f"{overall['detractors_pct']:.1f}%")
    st.caption(t("satisfaction_page.kpi.caption", low=f"{overall['nps_ci_low']:+.1f}",
                 high=f"{overall['nps_ci_high']:+.1f}", n=int(overall["n"])))
    if "ces" not in table:
        st.caption(t("satisfaction_page.ces_absent"))

    small = int(table["small_n"].sum())
    if small:
        st.warning(t("satisfaction_page.small_n", count=small, total=len(table),
                     min_n=DEFAULT_MIN_N))
    if grouping not in ("all", "client"):
        left, right = st.columns(2)
        left.plotly_chart(sat.interval_figure(table, "nps", t("satisfaction_page.kpi.nps")),
                          width="stretch", key="sat_nps_bars")
        right.plotly_chart(sat.interval_figure(table, "csat", csat_axis),
                           width="stretch", key="sat_csat_bars")
        st.caption(t("satisfaction_page.bars_caption", min_n=DEFAULT_MIN_N))

    columns = ["group", "n", "promoters_pct", "passives_pct", "detractors_pct", "nps",
               "nps_ci_low", "nps_ci_high", "csat_n", "csat", "csat_ci_low",
               "csat_ci_high"]
    columns += [c for c in ("ces_n", "ces", "ces_ci_low", "ces_ci_high") if c in table]
    columns.append("small_n")
    csat_format = "%.1f"
    # Grouped by client, a row is one client, and selecting it opens the profile.
    if grouping == "client":
        draw = partial(client_table, key="sat_client_table", column_order=columns)
        shown = table
    else:
        draw, shown = st.dataframe, table[columns]
    draw(
        shown, hide_index=True, width="stretch",
        height=420 if len(table) > 10 else "auto",
        column_config={
            "group": t(f"satisfaction_page.group.{grouping}"),
            "n": number(t("satisfaction_page.col.n"), format="%d"),
            "promoters_pct": number(t("satisfaction_page.col.promoters"), format="%.1f%%"),
            "passives_pct": number(t("satisfaction_page.col.passives"), format="%.1f%%"),
            "detractors_pct": number(t("satisfaction_page.col.detractors"),
                                     format="%.1f%%"),
            "nps": number(t("satisfaction_page.col.nps"), format="%+.1f"),
            "nps_ci_low": number(t("satisfaction_page.col.ci_low"), format="%+.1f"),
            "nps_ci_high": number(t("satisfaction_page.col.ci_high"), format="%+.1f"),
            "csat_n": number(t("satisfaction_page.col.csat_n"), format="%d"),
            "csat": number(csat_axis, format=csat_format),
            "csat_ci_low": number(t("satisfaction_page.col.ci_low"), format=csat_format),
            "csat_ci_high": number(t("satisfaction_page.col.ci_high"), format=csat_format),
            "ces_n": number(t("satisfaction_page.col.ces_n"), format="%d"),
            "ces": number(t("satisfaction_page.col.ces"), format="%.2f"),
            "ces_ci_low": number(t("satisfaction_page.col.ci_low"), format="%.2f"),
            "ces_ci_high": number(t("satisfaction_page.col.ci_high"), format="%.2f"),
            "small_n": st.column_config.CheckboxColumn(t("satisfaction_page.col.small_n")),
        })
    st.download_button(t("satisfaction_page.download"), to_csv_bytes(table),
                       file_name=f"satisfaction_{grouping}.csv", mime="text/csv",
                       key="sat_metrics_download")

with trends_tab:
    first, second, third = st.columns(3)
    trend_period = first.selectbox(t("satisfaction_page.settings.trend_period"),
                                   list(TREND_PERIODS), index=1,
                                   format_func=labeller("satisfaction_page.period"),
                                   key="sat_trend_period")
    split = second.selectbox(t("satisfaction_page.settings.split"), list(sat.SPLITS),
                             format_func=labeller("satisfaction_page.split"),
                             key="sat_split")
    metric = third.selectbox(t("satisfaction_page.settings.metric"), ["nps", "csat"],
                             format_func=labeller("satisfaction_page.metric"),
                             key="sat_trend_metric")
    trend_segments = _segments_or_note() if split == "segment" else None
    if split == "segment" and trend_segments is None:
        split = "none"
    # A survey cycle longer than the step would merge a client's answers across steps.
    trend_cycle = "month" if trend_period == "month" else cycle
    if trend_cycle in ("half", "year"):
        trend_cycle = "quarter"
    trend = sat.trend_table(store, period=trend_period, split=split, cycle=trend_cycle,
                            csat_method=csat_method, segments=trend_segments)
    axis = t("satisfaction_page.kpi.nps") if metric == "nps" else csat_axis
    st.plotly_chart(sat.trend_figure(trend, metric, axis), width="stretch",
                    key="sat_trend_chart")
    st.caption(t("satisfaction_page.trend_caption", cycle=t(
        f"satisfaction_page.cycle.{trend_cycle}")))
    thin = trend[trend["small_n"] & (trend["n"] > 0)]
    if len(thin):
        st.warning(t("satisfaction_page.trend_small_n", count=len(thin),
                     min_n=DEFAULT_MIN_N))

with drivers_tab:
    first, second = st.columns(2)
    target = first.selectbox(t("satisfaction_page.settings.target"), ["nps", "promoter"],
                             format_func=labeller("satisfaction_page.target"),
                             key="sat_driver_target")
    with_csat = second.checkbox(t("satisfaction_page.settings.with_csat"), value=True,
                                key="sat_driver_csat",
                                help=t("satisfaction_page.settings.with_csat_help"))
    try:
        drivers = sat.driver_result(store, target=target, with_csat=with_csat)
    except ModelError as exc:
        st.warning(error_text(exc))
        drivers = None
    if drivers is not None:
        cols = st.columns(3)
        cols[0].metric(t("satisfaction_page.drivers.n"), f"{drivers.n:,}")
        cols[1].metric(t("satisfaction_page.drivers.clients"), f"{drivers.n_clients:,}")
        cols[2].metric(t(f"satisfaction_page.drivers.fit_{target}"),
                       f"{drivers.fit_statistic:.3f}")
        for note in drivers.notes:
            st.caption(note.message(lang))
        coefficients = drivers.coefficients.assign(
            label=[sat.term_label(v, lvl) for v, lvl in
                   zip(drivers.coefficients["variable"], drivers.coefficients["level"])],
            significant=drivers.coefficients["p_value"] < sat.SIGNIFICANCE)
        st.subheader(t("satisfaction_page.drivers.heading"))
        st.caption(t(f"satisfaction_page.drivers.caption_{target}"))
        st.plotly_chart(sat.coefficient_figure(
            coefficients, t(f"satisfaction_page.drivers.axis_{target}")),
            width="stretch", key="sat_coefficients")
        st.dataframe(
            coefficients[["label", "coefficient", "std_error", "ci_low", "ci_high",
                          "p_value", "significant", "std_coefficient"]],
            hide_index=True, width="stretch",
            column_config={
                "label": t("satisfaction_page.drivers.term"),
                "coefficient": number(t("satisfaction_page.drivers.coefficient"),
                                      format="%.3f"),
                "std_error": number(t("satisfaction_page.drivers.std_error"),
                                    format="%.3f"),
                "ci_low": number(t("satisfaction_page.col.ci_low"), format="%.3f"),
                "ci_high": number(t("satisfaction_page.col.ci_high"), format="%.3f"),
                "p_value": number(t("satisfaction_page.drivers.p_value"), format="%.4f"),
                "significant": st.column_config.CheckboxColumn(
                    t("satisfaction_page.drivers.significant")),
                "std_coefficient": number(t("satisfaction_page.drivers.std_coefficient"),
                                          format="%.3f")})

        st.subheader(t("satisfaction_page.ipa.heading"))
        ipa = drivers.importance_performance
        if ipa.empty:
            st.info(t("satisfaction_page.ipa.none"))
        else:
            ipa = ipa.assign(
                label=[sat.term_label(a, "") for a in ipa["aspect"]],
                quadrant_label=[t(f"satisfaction.quadrant.{q}") for q in ipa["quadrant"]])
            if len(ipa) < 2:
                st.caption(t("satisfaction_page.ipa.one_aspect"))
            st.plotly_chart(sat.importance_figure(ipa), width="stretch", key="sat_ipa")
            st.dataframe(
                ipa[["label", "importance", "performance", "mean", "p_value",
                     "quadrant_label"]], hide_index=True, width="stretch",
                column_config={
                    "label": t("satisfaction_page.ipa.aspect"),
                    "importance": number(t("satisfaction_page.ipa.importance"),
                                         format="%.3f"),
                    "performance": number(t("satisfaction_page.ipa.performance"),
                                          format="%.1f"),
                    "mean": number(t("satisfaction_page.ipa.mean"), format="%.2f"),
                    "p_value": number(t("satisfaction_page.drivers.p_value"),
                                      format="%.4f"),
                    "quadrant_label": t("satisfaction_page.ipa.quadrant")})

end = sat.data_end(store)

with attrition_tab:
    st.markdown(t("satisfaction_page.attrition.label_definition"))
    with st.form("sat_attrition_settings"):
        first, second, third, fourth = st.columns(4)
        as_of = first.date_input(t("satisfaction_page.attrition.as_of"),
                                 value=end.date() if end is not None else None,
                                 max_value=end.date() if end is not None else None,
                                 key="sat_attrition_as_of",
                                 help=t("satisfaction_page.attrition.as_of_help"))
        horizon = second.number_input(t("satisfaction_page.attrition.horizon"),
                                      min_value=3, max_value=36, value=12, step=3,
                                      key="sat_attrition_horizon")
        lookback = third.number_input(t("satisfaction_page.attrition.lookback"),
                                      min_value=6, max_value=60, value=24, step=6,
                                      key="sat_attrition_lookback")
        min_events = fourth.number_input(t("satisfaction_page.attrition.min_events"),
                                         min_value=1, max_value=100_000, value=40,
                                         step=10, key="sat_attrition_min_events",
                                         help=t("satisfaction_page.attrition."
                                                "min_events_help"))
        st.form_submit_button(t("satisfaction_page.apply"))
    st.caption(t("satisfaction_page.attrition.label_now", horizon=int(horizon),
                 lookback=int(lookback)))

    attrition = None
    if as_of is None:
        st.info(t("satisfaction_page.attrition.no_dates"))
    else:
        try:
            attrition = sat.attrition_result(store, as_of=as_of, horizon=int(horizon),
                                             lookback=int(lookback),
                                             min_events=int(min_events))
        except ModelError as exc:
            st.warning(error_text(exc))
    if attrition is not None:
        if attrition.method == "rules":
            st.warning(t("satisfaction_page.attrition.fallback",
                         events=attrition.events_train, minimum=int(min_events)))
        for note in attrition.notes:
            if note.key != "satisfaction.note.too_few_events":
                st.caption(note.message(lang))
        cols = st.columns(4)
        cols[0].metric(t("satisfaction_page.attrition.auc"),
                       "–" if pd.isna(attrition.auc) else f"{attrition.auc:.3f}",
                       help=t("satisfaction_page.attrition.auc_help"))
        cols[1].metric(t("satisfaction_page.attrition.events"),
                       f"{attrition.events_train:,} / {attrition.events_test:,}")
        cols[2].metric(t("satisfaction_page.attrition.scored"),
                       f"{len(attrition.scores):,}")
        cols[3].metric(t("satisfaction_page.attrition.method"),
                       t(f"satisfaction_page.attrition.method_{attrition.method}"))
        st.caption(t("satisfaction_page.attrition.split",
                     train=sat.cutoff_range(attrition.train_cutoffs),
                     test=sat.cutoff_range(attrition.test_cutoffs)))

        left, right = st.columns([2, 3])
        with left:
            st.subheader(t("satisfaction_page.attrition.calibration"))
            if attrition.calibration.empty:
                st.info(t("satisfaction_page.attrition.no_test"))
            else:
                st.plotly_chart(sat.calibration_figure(attrition.calibration),
                                width="stretch", key="sat_calibration")
        with right:
            st.subheader(t("satisfaction_page.attrition.clients"))
            risk = sat.risk_table(store, attrition, lang)
            risk_format = "%.1f%%" if attrition.method == "logistic" else "%.2f"
            shown = risk.assign(risk=risk["risk"] * (100 if attrition.method ==
                                                     "logistic" else 1))
            client_table(
                shown[["client_id", "name", "client_type", "risk", "reason_1",
                       "reason_2", "reason_3", "latest_nps", "recency_days",
                       "open_complaints"]],
                key="sat_attrition_clients", hide_index=True, width="stretch",
                height=420,
                column_config={
                    "client_id": t("col.client_id"), "name": t("col.name"),
                    "client_type": t("col.client_type"),
                    "risk": number(t(f"satisfaction_page.attrition.risk_"
                                     f"{attrition.method}"), format=risk_format),
                    "reason_1": t("satisfaction_page.attrition.reason_1"),
                    "reason_2": t("satisfaction_page.attrition.reason_2"),
                    "reason_3": t("satisfaction_page.attrition.reason_3"),
                    "latest_nps": number(t("satisfaction_page.feature.latest_nps"),
                                         format="%.1f"),
                    "recency_days": number(t("satisfaction_page.feature.recency_days"),
                                           format="%.0f"),
                    "open_complaints": number(
                        t("satisfaction_page.feature.open_complaints"), format="%d")})
            st.download_button(t("satisfaction_page.download"), to_csv_bytes(risk),
                               file_name="attrition_risk.csv", mime="text/csv",
                               key="sat_risk_download")
        if not attrition.coefficients.empty:
            with st.expander(t("satisfaction_page.attrition.coefficients")):
                coefficients = attrition.coefficients.assign(
                    feature=[t(f"satisfaction_page.feature.{f}")
                             for f in attrition.coefficients["feature"]])
                st.dataframe(coefficients, hide_index=True, width="stretch",
                             column_config={
                                 "feature": t("satisfaction_page.rules.feature"),
                                 "coefficient": number(
                                     t("satisfaction_page.drivers.coefficient"),
                                     format="%+.3f")})

with loyalty_tab:
    st.markdown(t("satisfaction_page.loyalty.intro"))
    st.caption(t("satisfaction_page.loyalty.edit_hint"))
    edited = st.data_editor(
        sat.tier_editor_default(lang), num_rows="dynamic", hide_index=True,
        width="stretch", key=f"sat_tiers_{lang}",
        column_config={
            "tier": st.column_config.TextColumn(t("satisfaction_page.loyalty.col.tier"),
                                                required=True),
            "min_clv": number(t("satisfaction_page.loyalty.col.min_clv"),
                              format="%,.0f", min_value=0),
            "min_nps": number(t("satisfaction_page.loyalty.col.min_nps"), min_value=0,
                              max_value=10, format="%.0f"),
            "min_tenure_years": number(t("satisfaction_page.loyalty.col.min_tenure"),
                                       min_value=0, format="%.1f"),
            "min_strength": number(t("satisfaction_page.loyalty.col.min_strength"),
                                   min_value=0.0, max_value=1.0, format="%.2f"),
            "annual_cost": number(t("satisfaction_page.loyalty.col.annual_cost"),
                                  min_value=0, format="%,.0f"),
            "benefits": st.column_config.TextColumn(
                t("satisfaction_page.loyalty.col.benefits"), width="large")})
    tiers = sat.clean_tiers(edited)

    default_1 = (end - pd.DateOffset(months=12)).date() if end is not None else None
    with st.form("sat_loyalty_dates"):
        first, second, third = st.columns(3)
        date_1 = first.date_input(t("satisfaction_page.loyalty.date_1"), value=default_1,
                                  max_value=end.date() if end is not None else None,
                                  key="sat_loyalty_date_1")
        date_2 = second.date_input(t("satisfaction_page.loyalty.date_2"),
                                   value=end.date() if end is not None else None,
                                   max_value=end.date() if end is not None else None,
                                   key="sat_loyalty_date_2")
        retention_months = third.number_input(
            t("satisfaction_page.loyalty.retention_months"), min_value=3, max_value=36,
            value=12, step=3, key="sat_loyalty_months")
        st.form_submit_button(t("satisfaction_page.apply"))

    before = after = None
    if tiers.empty:
        st.warning(t("satisfaction_page.loyalty.no_tiers"))
    elif date_1 is None or date_2 is None:
        st.info(t("satisfaction_page.loyalty.pick_dates"))
    else:
        try:
            before = assign_tiers(sat.loyalty_at(store, date_1), tiers)
            after = assign_tiers(sat.loyalty_at(store, date_2), tiers)
        except ModelError as exc:
            st.warning(error_text(exc))
            before = after = None

    if after is not None:
        counts = after["tier"].value_counts()
        cols = st.columns(min(len(tiers) + 1, 6))
        for col, name in zip(cols, [*tiers["tier"], "none"]):
            col.metric(sat.tier_name(name), f"{int(counts.get(name, 0)):,}")
        st.caption(t("satisfaction_page.loyalty.as_of", date=f"{date_2}"))

        st.subheader(t("satisfaction_page.loyalty.migration"))
        matrix = tier_migration(before, after, tiers)
        st.plotly_chart(sat.migration_figure(matrix, date_1, date_2), width="stretch",
                        key="sat_tier_migration")
        stayed = sum(matrix.iloc[i, i] for i in range(len(matrix)))
        st.caption(t("satisfaction_page.loyalty.stayed", stayed=int(stayed),
                     total=int(matrix.to_numpy().sum())))

        st.subheader(t("satisfaction_page.loyalty.economics"))
        try:
            retained = sat.retention_after(store, date_1, int(retention_months),
                                           lookback=24)
            economics = benefit_economics(before, retained, tiers)
        except ModelError as exc:
            st.info(error_text(exc))
            economics = None
        if economics is not None:
            st.caption(t("satisfaction_page.loyalty.economics_caption",
                         date=f"{date_1}", months=int(retention_months)))
            st.plotly_chart(sat.economics_figure(economics), width="stretch",
                            key="sat_economics")
            shown = economics.assign(tier=[sat.tier_name(v) for v in economics["tier"]])
            st.dataframe(
                shown, hide_index=True, width="stretch",
                column_config={
                    "tier": t("satisfaction_page.loyalty.col.tier"),
                    "n": number(t("satisfaction_page.loyalty.col.clients"), format="%d"),
                    "retention_rate": number(t("satisfaction_page.loyalty.col.retention"),
                                             format="percent"),
                    "base_rate": number(t("satisfaction_page.loyalty.col.base_rate"),
                                        format="percent"),
                    "uplift": number(t("satisfaction_page.loyalty.col.uplift"),
                                     format="percent"),
                    "credited_clients": number(
                        t("satisfaction_page.loyalty.col.credited_clients"),
                        format="%.1f"),
                    "mean_clv": number(t("satisfaction_page.loyalty.col.mean_clv"),
                                       format="%,.0f"),
                    "credited_value": number(
                        t("satisfaction_page.loyalty.col.credited_value"),
                        format="%,.0f"),
                    "benefit_cost": number(t("satisfaction_page.loyalty.col.benefit_cost"),
                                           format="%,.0f"),
                    "net_value": number(t("satisfaction_page.loyalty.col.net_value"),
                                        format="%,.0f"),
                    "value_per_cost": number(
                        t("satisfaction_page.loyalty.col.value_per_cost"),
                        format="%.2f")})
            st.warning(t("satisfaction_page.loyalty.caveat"))

        with st.expander(t("satisfaction_page.loyalty.clients")):
            clients = cached_table(store, "clients")[["client_id", "name"]]
            members = after.merge(clients, on="client_id", how="left").assign(
                tier=lambda frame: frame["tier"].map(sat.tier_name))
            member_columns = ["client_id", "name", "tier", "clv", "nps", "tenure_years"]
            member_columns += ["strength"] if "strength" in members else []
            client_table(members[member_columns], key="sat_loyalty_members",
                         hide_index=True, width="stretch",
                         height=360, column_config={
                             "client_id": t("col.client_id"), "name": t("col.name"),
                             "tier": t("satisfaction_page.loyalty.col.tier"),
                             "clv": number(t("col.clv"), format="%,.0f"),
                             "nps": number(t("satisfaction_page.loyalty.col.nps"),
                                           format="%.0f"),
                             "tenure_years": number(
                                 t("satisfaction_page.loyalty.col.tenure"),
                                 format="%.1f"),
                             "strength": number(
                                 t("satisfaction_page.loyalty.col.strength"),
                                 format="%.2f")})
            st.download_button(t("satisfaction_page.download"),
                               to_csv_bytes(members[member_columns]),
                               file_name="loyalty_tiers.csv", mime="text/csv",
                               key="sat_tiers_download")

with method_tab:
    sat.render_method()
    st.subheader(t("satisfaction_page.method.validation_heading"))
    if end is not None:
        backtest = sat.attrition_backtest(store, end=end.date(), horizon=12, lookback=24,
                                          min_events=40)
        if backtest.empty:
            st.info(t("satisfaction_page.method.no_backtest"))
        else:
            st.markdown(t("satisfaction_page.method.backtest"))
            st.dataframe(backtest, hide_index=True, width="stretch", column_config={
                "as_of": t("satisfaction_page.attrition.as_of"),
                "method": t("satisfaction_page.attrition.method"),
                "train": t("satisfaction_page.method.train_cutoffs"),
                "test": t("satisfaction_page.method.test_cutoffs"),
                "n_test": number(t("satisfaction_page.method.n_test"), format="%d"),
                "events_test": number(t("satisfaction_page.method.events_test"),
                                      format="%d"),
                "auc": number(t("satisfaction_page.attrition.auc"), format="%.3f")})
    st.markdown(t("satisfaction_page.method.sentiment"))
    if st.toggle(t("satisfaction_page.method.sentiment_run"), key="sat_sentiment_check"):
        sat.render_sentiment_check()
