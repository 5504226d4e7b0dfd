"""Client segments: which clients to grow, protect, reprice or exit, and why."""

import pandas as pd
import plotly.express as px
import streamlit as st

from pfcrm_core.errors import ModelError
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.segmentation.maps import QUADRANTS
from pfcrm_core.ui import active_store, cached_table, labeller, language, t
from pfcrm_core.ui import segments as seg
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.context import error_text

store = active_store()
lang = language()

st.title(t("segments.title"))
st.caption(t("segments.caption"))

# Thin data: no clients, too few clients, or no dated rows.
clients = cached_table(store, "clients")
if clients.empty:
    st.info(t("segments.empty"))
    st.stop()
if len(clients) < seg.MIN_CLIENTS:
    st.warning(t("segments.thin", count=len(clients), minimum=seg.MIN_CLIENTS))
    st.stop()
latest = seg.book_as_of(store)
if latest is None:
    st.warning(t("segments.no_dates"))
    st.stop()
start = seg.book_start(store)

with st.form("segments_settings"):
    first, second, third, fourth = st.columns(4)
    method = first.selectbox(t("segments.settings.method"), ["kmeans", "gmm", "rules"],
                             format_func=labeller("segments.method_name"),
                             key="seg_method")
    auto_label = t("segments.settings.k_auto")
    k_choice = second.selectbox(
        t("segments.settings.k"), ["auto", *range(2, 11)],
        format_func=lambda v: auto_label if v == "auto" else str(v), key="seg_k",
        help=t("segments.settings.k_help"))
    as_of = third.date_input(t("segments.settings.as_of"), value=latest.date(),
                             min_value=start.date(), max_value=latest.date(),
                             key="seg_as_of")
    nps = fourth.selectbox(t("segments.settings.nps"), ["latest", "mean_12m"],
                           format_func=labeller("segments.nps"), key="seg_nps")
    st.form_submit_button(t("segments.settings.apply"))

as_of = as_of or latest.date()
k = None if k_choice == "auto" else int(k_choice)
clv, clv_problem = seg.clv_for_segments(store, as_of)
if clv_problem:
    st.warning(t("segments.clv.unavailable", reason=clv_problem))
try:
    result = seg.segment_result(store, method=method, k=k, as_of=as_of, nps=nps,
                                clv=clv)
except ModelError as exc:
    st.warning(error_text(exc))
    st.stop()

labels = seg.segment_labels(result.profiles, method, lang)
stability = result.stability
metrics = st.columns(4)
metrics[0].metric(t("segments.kpi.segments"), f"{result.k}",
                  help=t("segments.kpi.segments_help"))
metrics[1].metric(t("segments.kpi.clients"), f"{len(result.labels):,}")
metrics[2].metric(t("segments.kpi.mean_ari"),
                  "–" if stability is None else f"{stability['mean_ari']:.2f}",
                  help=t("segments.kpi.ari_help"))
metrics[3].metric(t("segments.kpi.min_ari"),
                  "–" if stability is None else f"{stability['min_ari']:.2f}",
                  help=t("segments.kpi.ari_help"))
if stability is None:
    st.caption(t("segments.kpi.rules_stability"))
if clv is not None:
    clv_end = clv.settings["observation_end"]
    st.caption(t("segments.clv.used", date=f"{clv_end:%Y-%m-%d}"))

with st.expander(t("segments.notes.heading", count=len(result.notes))):
    for note in result.notes:
        st.markdown(f"- {seg.note_text(note, lang)}")

map_tab, profiles_tab, migration_tab, uses_tab, method_tab = st.tabs([
    t("segments.tab.map"), t("segments.tab.profiles"), t("segments.tab.migration"),
    t("segments.tab.uses"), t("segments.tab.method")])

names = clients[["client_id", "name"]].assign(
    client_id=clients["client_id"].astype(str))
money = st.column_config.NumberColumn
client_columns = {"client_id": t("col.client_id"), "name": t("col.name"),
                  "segment_label": t("segments.col.segment")}

with map_tab:
    st.subheader(t("segments.map.risk_value_heading"))
    settings = result.risk_value_settings
    st.caption(t(
        "segments.map.thresholds",
        risk_axis=seg.feature_label(settings["risk_axis"]),
        risk=seg.risk_text(settings["risk_threshold"], settings["risk_axis"]),
        risk_source=t(f"segments.threshold.{settings['threshold_source']['risk']}"),
        value_axis=seg.feature_label(settings["value_axis"]),
        value=seg.value_text(settings["value_threshold"]),
        value_source=t(f"segments.threshold.{settings['threshold_source']['value']}"),
        floor=seg.value_text(seg.VALUE_FLOOR_USD)))
    st.plotly_chart(seg.risk_value_figure(result, labels), width="stretch",
                    key="seg_risk_value")
    st.dataframe(
        seg.quadrant_table(result), hide_index=True, width="stretch",
        column_config={
            "quadrant": t("segments.col.quadrant"), "rule": t("segments.col.rule"),
            "action": t("segments.col.action"),
            "clients": money(t("segments.col.clients"), format="%d"),
            "exposure_usd": money(t("segments.col.exposure"), format="%,.0f"),
            "value_usd": money(t("segments.col.value_total",
                                 axis=seg.feature_label(settings["value_axis"])),
                               format="%,.0f")})

    quadrant = st.selectbox(t("segments.map.quadrant_clients"), list(QUADRANTS),
                            format_func=labeller("segments.quadrant"),
                            key="seg_quadrant")
    members = result.risk_value[result.risk_value["quadrant"] == quadrant]
    members = members.merge(names, on="client_id", how="left").assign(
        segment_label=lambda frame: frame["segment"].map(labels),
        risk_shown=lambda frame: frame["risk"].map(
            lambda v: seg.risk_text(v, settings["risk_axis"])))
    members = members.sort_values("exposure_usd", ascending=False)
    client_table(
        members[["client_id", "name", "segment_label", "risk_shown", "value",
                 "exposure_usd"]], key="seg_quadrant_clients", hide_index=True,
        width="stretch", height=320,
        column_config={
            **client_columns,
            "risk_shown": seg.feature_label(settings["risk_axis"]),
            "value": money(seg.feature_label(settings["value_axis"]), format="%,.0f"),
            "exposure_usd": money(t("segments.col.exposure"), format="%,.0f")})
    st.download_button(
        t("segments.download"),
        to_csv_bytes(members[["client_id", "name", "segment", "segment_label", "risk",
                              "value", "exposure_usd", "quadrant"]]),
        file_name=f"segments_{quadrant}.csv", mime="text/csv",
        key="seg_quadrant_download")

    st.subheader(t("segments.map.projection_heading"))
    st.caption(t("segments.map.projection_caption"))
    st.plotly_chart(seg.projection_figure(result, labels), width="stretch",
                    key="seg_projection")

with profiles_tab:
    st.subheader(t("segments.profiles.heading"))
    st.caption(t("segments.profiles.caption"))
    profiles = result.profiles.assign(
        segment_label=result.profiles["segment"].map(labels),
        basis=result.profiles["name_basis"].map(seg.basis_text))
    for column in ("client_type", "sector", "region"):
        if f"top_{column}" in profiles:
            profiles[f"top_{column}"] = profiles[f"top_{column}"].map(
                lambda value, column=column: seg.category_label(column, value))
    profile_columns = [
        column for column in [
            "segment_label", "size", "share", "rating", "mean_pd", "default_rate",
            "mean_exposure_usd", "mean_fee_income_12m_usd", "mean_clv", "mean_p_alive",
            "nps_mean", "net_promoter_score", "top_client_type", "top_sector",
            "top_region", "basis"]
        if column in profiles]
    st.dataframe(
        profiles[profile_columns], hide_index=True, width="stretch",
        column_config={
            "segment_label": t("segments.col.segment"),
            "size": money(t("segments.col.size"), format="%d"),
            "share": money(t("segments.col.share"), format="percent"),
            "rating": t("segments.col.rating"),
            "mean_pd": money(t("segments.col.mean_pd"), format="percent"),
            "default_rate": money(t("segments.col.default_rate"), format="percent"),
            "mean_exposure_usd": money(t("segments.col.mean_exposure"),
                                       format="%,.0f"),
            "mean_fee_income_12m_usd": money(t("segments.col.mean_fee_income"),
                                             format="%,.0f"),
            "mean_clv": money(t("segments.col.mean_clv"), format="%,.0f"),
            "mean_p_alive": money(t("segments.col.mean_p_alive"), format="%.2f"),
            "nps_mean": money(t("segments.col.nps_mean"), format="%.1f"),
            "net_promoter_score": money(t("segments.col.net_promoter_score"),
                                        format="%+.0f"),
            "top_client_type": t("segments.col.top_client_type"),
            "top_sector": t("segments.col.top_sector"),
            "top_region": t("segments.col.top_region"),
            "basis": t("segments.col.basis")})

    left, right = st.columns(2)
    with left:
        curve = seg.curve_figure(result)
        if curve is not None:
            st.subheader(t(f"segments.curve.{next(iter(result.curves))}_heading"))
            st.plotly_chart(curve, width="stretch", key="seg_curve")
        elif method == "rules":
            st.info(t("segments.curve.rules"))
        else:
            st.info(t("segments.curve.given", k=result.k))
    with right:
        st.subheader(t("segments.rfm.heading"))
        rfm = seg.rfm_by_segment(result, labels)
        long = rfm.melt(id_vars=["segment_label"],
                        value_vars=["recency_score", "frequency_score",
                                    "monetary_score"],
                        var_name="score", value_name="mean")
        long["score"] = long["score"].map(lambda s: t(f"segments.rfm.{s}"))
        figure = px.bar(long, x="mean", y="segment_label", color="score",
                        orientation="h", barmode="group", range_x=[0, 5],
                        labels={"segment_label": "", "mean": t("segments.rfm.mean"),
                                "score": ""})
        figure.update_layout(height=220 + 60 * len(rfm),
                             legend={"orientation": "h", "y": 1.02,
                                     "yanchor": "bottom"})
        figure.update_yaxes(autorange="reversed")
        st.plotly_chart(figure, width="stretch", key="seg_rfm")
    rfm_note = next(note for note in result.notes if note.key.startswith(
        "segmentation.note.rfm_"))
    st.caption(seg.note_text(rfm_note, lang))
    with st.expander(t("segments.rfm.clients")):
        scores = result.rfm.join(result.labels.rename("segment")).reset_index()
        scores = scores.merge(names, on="client_id", how="left").assign(
            segment_label=lambda frame: frame["segment"].map(labels))
        client_table(
            scores[["client_id", "name", "segment_label", "recency_score",
                    "frequency_score", "monetary_score", "rfm_cell", "rfm_total"]],
            key="seg_rfm_clients", hide_index=True, width="stretch", height=320,
            column_config={**client_columns,
                           "recency_score": t("segments.rfm.recency_score"),
                           "frequency_score": t("segments.rfm.frequency_score"),
                           "monetary_score": t("segments.rfm.monetary_score"),
                           "rfm_cell": t("segments.rfm.cell"),
                           "rfm_total": t("segments.rfm.total")})

with migration_tab:
    st.subheader(t("segments.migration.heading"))
    default_first = max(pd.Timestamp(as_of) - pd.DateOffset(months=12), start)
    with st.form("segments_migration"):
        first, second, third, fourth, fifth = st.columns(5)
        date_1 = first.date_input(t("segments.migration.date_1"),
                                  value=default_first.date(), min_value=start.date(),
                                  max_value=latest.date(), key="seg_date_1")
        date_2 = second.date_input(t("segments.migration.date_2"), value=as_of,
                                   min_value=start.date(), max_value=latest.date(),
                                   key="seg_date_2")
        notches = third.number_input(t("segments.warning.notches"), min_value=1,
                                     max_value=10, value=1, step=1, key="seg_notches")
        pd_rise = fourth.number_input(t("segments.warning.pd_rise"), min_value=0.0,
                                      max_value=100.0, value=0.0, step=0.1,
                                      format="%.2f", key="seg_pd_rise")
        nps_drop = fifth.number_input(t("segments.warning.nps_drop"), min_value=0.5,
                                      max_value=10.0, value=1.0, step=0.5,
                                      key="seg_nps_drop")
        st.form_submit_button(t("segments.migration.apply"))

    fit = None
    if date_1 is None or date_2 is None:
        st.info(t("segments.migration.pick_dates"))
    else:
        try:
            fit = seg.migration_fit(store, date_1, date_2, method=method,
                                    k=None if method == "rules" else result.k, nps=nps)
        except ModelError as exc:
            st.warning(error_text(exc))
    if fit is not None:
        st.caption(t("segments.migration.caption", date_1=f"{date_1:%Y-%m-%d}",
                     k=fit.k or "–"))
        if not fit.with_clv:
            st.caption(t("segments.migration.no_clv"))
        st.metric(t("segments.migration.stayed"),
                  f"{seg.stayed_share(fit.migration):.0%}")
        st.plotly_chart(seg.migration_figure(fit), width="stretch",
                        key="seg_migration")

        st.subheader(t("segments.warning.heading"))
        warning = seg.early_warning(fit, rating_notches=int(notches),
                                    pd_increase=pd_rise / 100, nps_drop=nps_drop)
        migration_labels = seg.migration_labels(fit)
        rising = warning.segments[warning.segments["rose"]]
        cols = st.columns(2)
        cols[0].metric(t("segments.warning.flagged"), f"{len(warning.clients):,}")
        cols[1].metric(t("segments.warning.rising"), f"{len(rising):,}")
        flagged = warning.clients.merge(names, on="client_id", how="left").assign(
            segment_label=lambda frame: frame["segment"].map(migration_labels),
            signals=lambda frame: frame["signals"].map(seg.signals_text))
        client_table(
            flagged[["client_id", "name", "segment_label", "signals", "rating_1",
                     "rating_2", "notch_change", "pd_1", "pd_2", "nps_1", "nps_2"]],
            key="seg_warning_clients", hide_index=True, width="stretch", height=360,
            column_config={
                **client_columns,
                "signals": t("segments.warning.signals"),
                "rating_1": t("segments.warning.rating_1"),
                "rating_2": t("segments.warning.rating_2"),
                "notch_change": money(t("segments.warning.notch_change"),
                                      format="%+d"),
                "pd_1": money(t("segments.warning.pd_1"), format="percent"),
                "pd_2": money(t("segments.warning.pd_2"), format="percent"),
                "nps_1": money(t("segments.warning.nps_1"), format="%.1f"),
                "nps_2": money(t("segments.warning.nps_2"), format="%.1f")})
        st.download_button(t("segments.download"), to_csv_bytes(flagged),
                           file_name="segments_early_warning.csv", mime="text/csv",
                           key="seg_warning_download")
        rates = warning.segments.assign(
            segment_label=warning.segments["segment"].map(migration_labels))
        st.dataframe(
            rates[["segment_label", "clients_1", "clients_2", "default_rate_1",
                   "default_rate_2", "change", "rose"]],
            hide_index=True, width="stretch",
            column_config={
                "segment_label": t("segments.col.segment"),
                "clients_1": money(t("segments.warning.clients_1"), format="%d"),
                "clients_2": money(t("segments.warning.clients_2"), format="%d"),
                "default_rate_1": money(t("segments.warning.default_rate_1"),
                                        format="percent"),
                "default_rate_2": money(t("segments.warning.default_rate_2"),
                                        format="percent"),
                "change": money(t("segments.warning.change"), format="percent"),
                "rose": st.column_config.CheckboxColumn(t("segments.warning.rose"))})
        st.caption(t("segments.warning.caption"))

with uses_tab:
    st.subheader(t("segments.offers.heading"))
    st.caption(t("segments.offers.caption"))
    offers = seg.offers_table(result, labels, lang)
    edited = st.data_editor(
        offers, hide_index=True, width="stretch", num_rows="dynamic",
        key=f"seg_offers_{method}_{k_choice}_{as_of}_{nps}_{lang}",
        column_config={
            "segment": st.column_config.SelectboxColumn(
                t("segments.col.segment"), options=list(labels.values()),
                required=True, width="medium"),
            "offer": st.column_config.TextColumn(t("segments.offers.offer"),
                                                 width="large", required=True),
            "reason": st.column_config.TextColumn(t("segments.offers.reason"),
                                                  disabled=True)})
    targets = seg.offer_clients(edited, result, labels, clients)
    st.write(t("segments.offers.summary", clients=targets["client_id"].nunique(),
               offers=len(edited.dropna(subset=["segment", "offer"]))))
    client_table(targets[["client_id", "name", "segment_label", "offer"]],
                 key="seg_offer_clients", hide_index=True, width="stretch", height=320,
                 column_config={**client_columns,
                                "offer": t("segments.offers.offer")})
    st.download_button(t("segments.offers.download"), to_csv_bytes(targets),
                       file_name="segment_offers.csv", mime="text/csv",
                       key="seg_offers_download")

    st.subheader(t("segments.warning.heading"))
    st.caption(t("segments.uses.warning_pointer"))

    st.subheader(t("segments.market.heading"))
    cells, max_share, market_notes = seg.market_cells(store, as_of)
    for note in market_notes:
        st.caption(seg.note_text(note, lang))
    if cells.empty:
        st.info(t("segments.market.none"))
    else:
        st.caption(t("segments.market.caption", share=f"{max_share:.1%}"))
        ranked = cells[cells["rank"].notna()].assign(
            sector=lambda frame: frame["sector"].map(
                lambda v: seg.category_label("sector", v)),
            region=lambda frame: frame["region"].map(
                lambda v: seg.category_label("region", v)))
        ranked = ranked.assign(cell=ranked["sector"] + " · " + ranked["region"])
        figure = px.bar(ranked.head(10).iloc[::-1], x="headroom_usd", y="cell",
                        orientation="h",
                        labels={"headroom_usd": t("segments.market.headroom"),
                                "cell": ""})
        st.plotly_chart(figure, width="stretch", key="seg_market")
        st.dataframe(
            ranked[["rank", "sector", "region", "projects", "market_size_usd",
                    "our_exposure_usd", "share", "headroom_usd", "clients"]],
            hide_index=True, width="stretch",
            column_config={
                "rank": money(t("segments.market.rank"), format="%d"),
                "sector": t("col.sector"), "region": t("col.region"),
                "projects": money(t("segments.market.projects"), format="%d"),
                "market_size_usd": money(t("segments.market.size"), format="%,.0f"),
                "our_exposure_usd": money(t("segments.market.ours"), format="%,.0f"),
                "share": money(t("segments.market.share"), format="percent"),
                "headroom_usd": money(t("segments.market.headroom"), format="%,.0f"),
                "clients": money(t("segments.market.clients"), format="%d")})

with method_tab:
    st.subheader(t("segments.param.heading"))
    st.dataframe(seg.parameter_rows(result), hide_index=True, width="stretch")
    seg.render_validation(result)
    seg.render_method()
