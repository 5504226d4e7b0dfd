"""Client lifetime value: BG/NBD and Gamma-Gamma fits, the CLV table, validation, method."""

import pandas as pd
import plotly.express as px
import streamlit as st

from pfcrm_core.clv import DEFAULT_MARGIN, STAGES, default_calibration_end, top_share
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.ui import active_store, cached_table, fmt_money, label_of, labeller, language, t
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.clv_method import render_method, render_parameters
from pfcrm_core.ui.models import clv_or_warning

store = active_store()
lang = language()

st.title(t("clv.title"))
st.caption(t("clv.caption"))

revenue = cached_table(store, "revenue")
clients = cached_table(store, "clients")
last_date = pd.to_datetime(revenue["date"]).max() if not revenue.empty else None

with st.form("clv_settings"):
    first, second, third = st.columns(3)
    unit = first.selectbox(t("clv.settings.unit"), ["weeks", "days", "months"],
                           format_func=labeller("clv.unit"), key="clv_unit")
    observation_end = first.date_input(
        t("clv.settings.end"), value=last_date.date() if last_date is not None else None,
        key="clv_end")
    horizon = second.number_input(t("clv.settings.horizon"), min_value=1, max_value=240,
                                  value=12, step=1, key="clv_horizon")
    discount = second.number_input(t("clv.settings.discount"), min_value=0.0,
                                   max_value=20.0, value=1.0, step=0.1, format="%.2f",
                                   key="clv_discount")
    margin = third.number_input(t("clv.settings.margin"), min_value=0.0, max_value=100.0,
                                value=DEFAULT_MARGIN * 100, step=5.0,
                                help=t("clv.settings.margin_help"), key="clv_margin")
    validate = third.checkbox(t("clv.settings.validate"), value=True, key="clv_validate")
    calibration_end = third.date_input(t("clv.settings.calibration_end"), value=None,
                                       key="clv_calibration_end")
    st.form_submit_button(t("clv.settings.apply"))

first_revenue = pd.to_datetime(revenue["date"]).min() if not revenue.empty else None
if observation_end is not None and first_revenue is not None \
        and pd.Timestamp(observation_end) < first_revenue:
    st.warning(t("clv.end_before_data", end=f"{observation_end:%Y-%m-%d}",
                 first=f"{first_revenue:%Y-%m-%d}"))
    st.stop()

if validate and calibration_end is None and observation_end is not None and last_date is not None:
    calibration_end = default_calibration_end(first_revenue, observation_end).date()
    st.caption(t("clv.settings.calibration_default", date=f"{calibration_end:%Y-%m-%d}"))

result = clv_or_warning(
    store, unit=unit, observation_end=observation_end,
    calibration_end=calibration_end if validate else None,
    horizon_months=int(horizon), discount_rate_monthly=discount / 100,
    margin=margin / 100)
if result is None:
    st.stop()

for _, message in result.translated_warnings(lang):
    st.warning(message)

table = result.clients.merge(clients[["client_id", "name", "client_type"]],
                             on="client_id", how="left")
table["stage_label"] = table["stage"].map(lambda s: t(f"clv.stage.{s}"))
table["client_type"] = table["client_type"].map(lambda v: label_of("client_type", v))
repeaters = int((table["frequency"] > 0).sum())
share_of_top = top_share(table["clv"])

metrics = st.columns(5)
metrics[0].metric(t("clv.kpi.clients"), f"{len(table):,}")
metrics[1].metric(t("clv.kpi.repeaters"), f"{repeaters:,}")
metrics[2].metric(t("clv.kpi.total"), fmt_money(table["clv"].sum()))
metrics[3].metric(t("clv.kpi.mean"), fmt_money(table["clv"].mean()))
metrics[4].metric(t("clv.kpi.top_share"), f"{share_of_top:.0%}")

table_tab, charts_tab, validation_tab, method_tab = st.tabs([
    t("clv.tab.table"), t("clv.tab.charts"), t("clv.tab.validation"), t("clv.tab.method")])

with table_tab:
    stages = st.multiselect(t("clv.filter.stage"), list(STAGES), default=list(STAGES),
                            format_func=labeller("clv.stage"), key="clv_stages")
    shown = table[table["stage"].isin(stages)].sort_values("clv", ascending=False)
    columns = ["client_id", "name", "client_type", "frequency", "recency", "T",
               "monetary_value", "p_alive", "expected_transactions", "expected_value",
               "clv", "stage_label"]
    client_table(
        shown[columns], key="clv_table", hide_index=True, width="stretch", height=480,
        column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "client_type": t("col.client_type"),
            "frequency": st.column_config.NumberColumn(t("col.frequency"), format="%d"),
            "recency": st.column_config.NumberColumn(t("col.recency"), format="%.1f"),
            "T": st.column_config.NumberColumn(t("col.T"), format="%.1f"),
            "monetary_value": st.column_config.NumberColumn(t("col.monetary_value"),
                                                            format="%,.0f"),
            "p_alive": st.column_config.ProgressColumn(t("col.p_alive"), format="%.2f",
                                                       min_value=0.0, max_value=1.0),
            "expected_transactions": st.column_config.NumberColumn(
                t("col.expected_transactions"), format="%.2f"),
            "expected_value": st.column_config.NumberColumn(t("col.expected_value"),
                                                            format="%,.0f"),
            "clv": st.column_config.NumberColumn(t("col.clv"), format="%,.0f"),
            "stage_label": t("col.stage"),
        })
    export = shown[["client_id", "name", "frequency", "recency", "T", "monetary_value",
                    "p_alive", "expected_transactions", "expected_value", "clv", "stage"]]
    st.download_button(t("clv.download"), to_csv_bytes(export), file_name="clv.csv",
                       mime="text/csv", key="clv_download")

with charts_tab:
    left, right = st.columns(2)
    with left:
        st.subheader(t("clv.chart.distribution"))
        figure = px.histogram(table, x="clv", nbins=60, labels={"clv": t("col.clv")})
        figure.update_yaxes(title_text=t("clv.chart.clients_axis"))
        st.plotly_chart(figure, width="stretch", key="clv_hist")
    with right:
        st.subheader(t("clv.chart.alive_vs_clv"))
        figure = px.scatter(table, x="p_alive", y="clv", color="stage_label",
                            hover_data={"client_id": True, "name": True},
                            labels={"p_alive": t("col.p_alive"), "clv": t("col.clv"),
                                    "stage_label": t("col.stage")})
        st.plotly_chart(figure, width="stretch", key="clv_scatter")
    left, right = st.columns(2)
    with left:
        st.subheader(t("clv.chart.stages"))
        stage_counts = table["stage"].value_counts().reindex(list(STAGES), fill_value=0)
        figure = px.bar(x=[t(f"clv.stage.{s}") for s in stage_counts.index],
                        y=stage_counts.values,
                        labels={"x": t("col.stage"), "y": t("clv.kpi.clients")})
        st.plotly_chart(figure, width="stretch", key="clv_stage_bar")
    with right:
        st.subheader(t("clv.chart.top"))
        top = table.nlargest(15, "clv")
        top = top.assign(label=top["name"].fillna(top["client_id"]).astype(str))
        figure = px.bar(top.iloc[::-1], x="clv", y="label", orientation="h",
                        labels={"clv": t("col.clv"), "label": t("col.name")})
        st.plotly_chart(figure, width="stretch", key="clv_top_bar")

with validation_tab:
    validation = result.validation
    if validation is None:
        st.info(t("clv.validation.off"))
    else:
        settings = result.settings
        st.write(t("clv.validation.setup", calibration_end=f"{settings['calibration_end']:%Y-%m-%d}",
                   end=f"{settings['observation_end']:%Y-%m-%d}", clients=validation.n_clients))
        cols = st.columns(4)
        cols[0].metric(t("clv.validation.mae"), f"{validation.mae:.3f}")
        cols[1].metric(t("clv.validation.rmse"), f"{validation.rmse:.3f}")
        cols[2].metric(t("clv.validation.totals"),
                       f"{validation.predicted_total:,.0f} / {validation.actual_total:,.0f}")
        cols[3].metric(t("clv.validation.ape"), f"{validation.aggregate_percentage_error:+.1f}%")
        by_frequency = validation.by_frequency.melt(
            id_vars=["frequency", "clients"], value_vars=["actual_mean", "predicted_mean"],
            var_name="series", value_name="mean")
        by_frequency["series"] = by_frequency["series"].map(
            {"actual_mean": t("clv.validation.actual"),
             "predicted_mean": t("clv.validation.predicted")})
        figure = px.bar(by_frequency, x="frequency", y="mean", color="series",
                        barmode="group",
                        labels={"frequency": t("clv.validation.calibration_frequency"),
                                "mean": t("clv.validation.holdout_mean"),
                                "series": ""})
        st.plotly_chart(figure, width="stretch", key="clv_validation_bar")
        st.dataframe(
            validation.by_frequency, hide_index=True, width="stretch",
            column_config={
                "frequency": t("clv.validation.calibration_frequency"),
                "clients": t("clv.kpi.clients"),
                "actual_mean": st.column_config.NumberColumn(t("clv.validation.actual"),
                                                             format="%.3f"),
                "predicted_mean": st.column_config.NumberColumn(
                    t("clv.validation.predicted"), format="%.3f"),
            })
        if validation.cumulative is not None:
            curve = validation.cumulative.melt(id_vars=["date"],
                                               value_vars=["actual", "predicted"],
                                               var_name="series", value_name="purchases")
            curve["series"] = curve["series"].map(
                {"actual": t("clv.validation.actual"),
                 "predicted": t("clv.validation.predicted")})
            figure = px.line(curve, x="date", y="purchases", color="series",
                             labels={"date": "", "purchases": t("clv.validation.cumulative"),
                                     "series": ""})
            figure.add_vline(x=pd.Timestamp(settings["calibration_end"]), line_dash="dot")
            st.plotly_chart(figure, width="stretch", key="clv_cumulative")

with method_tab:
    render_parameters(result)
    render_method()
