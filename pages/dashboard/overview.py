"""Overview: executive KPIs, client mix, exposure, fee income trend, top clients by CLV.

The page ends with the executive report of the same figures as Excel and as HTML.
"""

import plotly.express as px
import streamlit as st

from pfcrm_core import overview, report
from pfcrm_core.errors import PfcrmError
from pfcrm_core.ui import (active_store, cached_table, fmt_money, label_of, language,
                           show_error, t)
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.models import clv_or_warning

store = active_store()

st.title(t("overview.title"))

try:
    clients = cached_table(store, "clients")
    deals = cached_table(store, "deals")
    revenue = cached_table(store, "revenue")
except PfcrmError as exc:
    show_error(exc)
    st.stop()

if clients.empty:
    st.info(t("overview.empty"))
    st.page_link("pages/data/manage.py", label=t("overview.go_to_data"), icon=":material/upload_file:")
    st.stop()

as_of = overview.default_as_of(revenue, deals)
kpis = overview.compute_kpis(clients, deals, revenue, as_of)
st.caption(t("overview.as_of", date=f"{as_of:%Y-%m-%d}"))

growth = kpis.revenue_growth
columns = st.columns(4)
columns[0].metric(t("overview.kpi.clients"), f"{kpis.clients:,}",
                  help=t("overview.kpi.clients_help", active=kpis.active_clients))
columns[1].metric(t("overview.kpi.active"), f"{kpis.active_clients:,}")
columns[2].metric(t("overview.kpi.exposure"), fmt_money(kpis.exposure_usd),
                  help=t("overview.kpi.exposure_help", deals=kpis.live_deals))
columns[3].metric(t("overview.kpi.revenue"), fmt_money(kpis.revenue_12m_usd),
                  delta=None if growth is None else f"{growth:+.1%}",
                  help=t("overview.kpi.revenue_help"))
if kpis.unknown_currencies:
    st.warning(t("overview.unknown_currencies",
                 codes=", ".join(kpis.unknown_currencies)))

left, right = st.columns(2)
with left:
    st.subheader(t("overview.mix.heading"))
    mix = overview.clients_by_type(clients)
    mix["label"] = mix["client_type"].map(lambda v: label_of("client_type", v))
    figure = px.bar(mix, x="label", y="clients",
                    labels={"label": t("overview.mix.type"), "clients": t("overview.mix.count")})
    st.plotly_chart(figure, width="stretch", key="mix_chart")

with right:
    st.subheader(t("overview.exposure.heading"))
    exposure = overview.exposure_by(deals, clients, as_of, by="client_type")
    exposure["label"] = exposure["client_type"].map(lambda v: label_of("client_type", v))
    figure = px.bar(exposure, x="label", y="exposure_usd",
                    labels={"label": t("overview.mix.type"),
                            "exposure_usd": t("overview.exposure.axis")})
    st.plotly_chart(figure, width="stretch", key="exposure_chart")

st.subheader(t("overview.trend.heading"))
trend = overview.fee_income_trend(revenue)
trend["kind"] = trend["kind"].map(lambda v: label_of("revenue_kind", v))
figure = px.bar(trend, x="period", y="amount_usd", color="kind",
                labels={"period": t("overview.trend.period"),
                        "amount_usd": t("overview.trend.axis"),
                        "kind": t("overview.trend.kind")})
st.plotly_chart(figure, width="stretch", key="trend_chart")

st.subheader(t("overview.top.heading"))
result = clv_or_warning(store)
finite = result.clients[result.clients["clv"].notna()] if result is not None else None
if finite is not None and finite.empty:
    st.warning(t("overview.top.no_finite"))
elif finite is not None:
    top = finite.nlargest(15, "clv").merge(
        clients[["client_id", "name", "client_type", "sector", "region"]],
        on="client_id", how="left")
    for column, prefix in (("client_type", "client_type"), ("sector", "sector"),
                           ("region", "region")):
        top[column] = top[column].map(lambda v, prefix=prefix: label_of(prefix, v))
    client_table(
        top[["client_id", "name", "client_type", "sector", "region", "p_alive",
             "expected_transactions", "clv"]],
        key="overview_top_clients", hide_index=True, width="stretch",
        column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "client_type": t("col.client_type"), "sector": t("col.sector"),
            "region": t("col.region"),
            "p_alive": st.column_config.NumberColumn(t("col.p_alive"), format="%.2f"),
            "expected_transactions": st.column_config.NumberColumn(
                t("col.expected_transactions"), format="%.2f"),
            "clv": st.column_config.NumberColumn(t("col.clv"), format="%,.0f"),
        })
    st.page_link("pages/models/clv.py", label=t("overview.top.link"), icon=":material/savings:")

st.divider()
st.subheader(t("report.heading"))
lang = language()
tables = report.executive_tables(
    clients, deals, revenue, clv_clients=None if result is None else result.clients,
    as_of=as_of, lang=lang)
file_stem = f"pfcrm_report_{as_of:%Y%m%d}_{lang}"
xlsx_column, html_column = st.columns(2)
xlsx_column.download_button(
    t("report.download_xlsx"), data=report.report_xlsx(tables, lang),
    file_name=f"{file_stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="report_xlsx", help=t("report.download_xlsx_help"), on_click="ignore",
    icon=":material/table_view:", width="stretch")
html_column.download_button(
    t("report.download_html"),
    data=report.report_html(tables, lang, t("report.title", date=f"{as_of:%Y-%m-%d}")),
    file_name=f"{file_stem}.html", mime="text/html", key="report_html",
    help=t("report.download_html_help"), on_click="ignore", icon=":material/print:",
    width="stretch")
