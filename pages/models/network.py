"""Network: who matters in the client network and why, how strong each of our ties
is, where one departure would cut us off, warm introductions and maintenance."""

import pandas as pd
import plotly.express as px
import streamlit as st

from pfcrm_core.errors import ModelError
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.network import (CADENCE_DAYS, CHANNEL_WEIGHTS, explain_strength,
                                warm_introductions)
from pfcrm_core.network.key_clients import KEY_CLIENT_WEIGHTS
from pfcrm_core.network.render import MAX_NODES
from pfcrm_core.network.strength import GOOD_SCORE, HALF_LIFE_DAYS, strength_band
from pfcrm_core.ui import active_store, cached_table, labeller, language, t
from pfcrm_core.ui import network as net
from pfcrm_core.ui.context import error_text
from pfcrm_core.ui.network_method import render_method, render_strength_formula

store = active_store()
lang = language()

st.title(t("network_page.title"))
st.caption(t("network_page.caption"))

if cached_table(store, "clients").empty:
    st.info(t("network_page.no_clients"))
    st.stop()

# -- Settings -------------------------------------------------------------------

dates = net.interaction_dates(store)
with st.expander(t("network_page.settings.heading"), expanded=False):
    with st.form("net_settings"):
        first, second = st.columns(2)
        as_of = first.date_input(
            t("network_page.settings.as_of"),
            value=dates[1].date() if dates else None, key="net_as_of",
            help=t("network_page.settings.as_of_help"))
        half_life = second.number_input(
            t("network_page.settings.half_life"), min_value=1.0, max_value=3650.0,
            value=HALF_LIFE_DAYS, step=10.0, key="net_half_life",
            help=t("network_page.settings.half_life_help"))
        st.caption(t("network_page.settings.weights_heading"))
        channel_columns = st.columns(len(CHANNEL_WEIGHTS))
        channel_weights = {}
        for column, (channel, default) in zip(channel_columns, CHANNEL_WEIGHTS.items()):
            channel_weights[channel] = column.number_input(
                t(f"network_page.channel.{channel}"),
                min_value=0.1 if channel == "meeting" else 0.0, max_value=100.0,
                value=default, step=0.5, key=f"net_weight_{channel}")
        st.form_submit_button(t("network_page.settings.apply"))

# The key-client weights and cadences are edited in their tabs further down. The
# analysis needs them first, so their widget values are read from the session.
key_weights = {part: float(st.session_state.get(f"net_key_{part}", 1.0))
               for part in KEY_CLIENT_WEIGHTS}
key_weights_reset = sum(key_weights.values()) <= 0
if key_weights_reset:
    key_weights = dict.fromkeys(KEY_CLIENT_WEIGHTS, 1.0)
cadence = {tier: int(st.session_state.get(f"net_cadence_{tier}", days))
           for tier, days in CADENCE_DAYS.items()}

settings = net.NetworkSettings(
    as_of=as_of, half_life_days=float(half_life),
    channel_weights=tuple(sorted((c, float(w)) for c, w in channel_weights.items())),
    key_weights=tuple(sorted(key_weights.items())),
    cadence_days=tuple(sorted(cadence.items())))

clv, clv_reason = net.clv_for_network(store)
if clv_reason:
    st.info(t("network_page.clv.unavailable", reason=clv_reason))
try:
    analysis = net.network_analysis(store, settings, clv)
except ModelError as exc:
    st.warning(error_text(exc))
    st.stop()

graph, nodes = analysis.graph, analysis.nodes
staff_count = sum(1 for _, kind in graph.nodes(data="node_type") if kind == "staff")
client_ties = analysis.client_graph.number_of_edges()
staff_ties = len(analysis.staff_strength)
if client_ties + staff_ties == 0:
    st.info(t("network_page.no_ties", clients=len(nodes)))
    st.stop()
if staff_ties == 0:
    st.info(t("network_page.no_interactions"))

s0 = analysis.settings["interaction_scale"]
no_good_tie = int((nodes["good_ties"] == 0).sum())
metrics = st.columns(6)
metrics[0].metric(t("network_page.kpi.clients"), f"{len(nodes):,}")
metrics[1].metric(t("network_page.kpi.staff"), f"{staff_count:,}")
metrics[2].metric(t("network_page.kpi.client_ties"), f"{client_ties:,}")
metrics[3].metric(t("network_page.kpi.staff_ties"), f"{staff_ties:,}")
metrics[4].metric(t("network_page.kpi.communities"),
                  f"{len(analysis.communities.communities):,}",
                  help=t("network_page.kpi.modularity", value=f"{analysis.modularity:.3f}"))
metrics[5].metric(t("network_page.kpi.no_good_tie"), f"{no_good_tie:,}",
                  help=t("network_page.kpi.no_good_tie_help"))
st.caption(t("network_page.as_of", date=f"{analysis.settings['as_of']:%Y-%m-%d}",
             half_life=f"{analysis.settings['half_life_days']:g}", s0=f"{s0:.2f}"))

labels = net.client_labels(analysis)
client_ids = list(nodes.index)
(picture_tab, strength_tab, key_tab, risk_tab, warm_tab, maintenance_tab,
 method_tab) = st.tabs([t("network_page.tab.picture"), t("network_page.tab.strength"),
                        t("network_page.tab.key_clients"), t("network_page.tab.risk"),
                        t("network_page.tab.warm"), t("network_page.tab.maintenance"),
                        t("network_page.tab.method")])

# -- Picture --------------------------------------------------------------------

with picture_tab:
    requested = st.query_params.get("client")
    ego_default = client_ids.index(requested) if requested in labels else 0
    view_default = net.VIEWS.index(st.query_params.get("view", "top")) \
        if st.query_params.get("view") in net.VIEWS else 0

    first, second, third, fourth = st.columns(4)
    view = first.radio(t("network_page.view.label"), net.VIEWS, index=view_default,
                       format_func=labeller("network_page.view"), key="net_view")
    ego_client = None
    if view == "ego":
        ego_client = second.selectbox(t("network_page.view.client"), client_ids,
                                      index=ego_default, format_func=labels.get,
                                      key="net_ego_client")
    colour_by = third.selectbox(t("network_page.colour.label"), net.COLOUR_BY,
                                format_func=labeller("network_page.colour"),
                                key="net_colour_by")
    size_options = ["exposure"] if clv is None else ["clv", "exposure"]
    size_by = fourth.selectbox(t("network_page.size.label"), size_options,
                               format_func=labeller("network_page.size"),
                               key="net_size_by")

    with st.expander(t("network_page.filters.heading")):
        first, second, third, fourth = st.columns(4)
        min_strength = first.slider(t("network_page.filters.min_strength"), 0, 100, 0,
                                    step=5, key="net_min_strength")
        types = sorted(nodes["client_type"].dropna().astype(str).unique())
        chosen_types = second.multiselect(
            t("network_page.filters.client_types"), types,
            format_func=labeller("client_type"), key="net_client_types")
        community_numbers = list(range(len(analysis.communities.communities)))
        chosen_communities = third.multiselect(
            t("network_page.filters.communities"), community_numbers,
            format_func=lambda n: str(n + 1), key="net_communities")
        max_nodes = fourth.number_input(t("network_page.filters.max_nodes"),
                                        min_value=10, max_value=1000, value=MAX_NODES,
                                        step=50, key="net_max_nodes")
        include_staff = fourth.checkbox(t("network_page.filters.include_staff"),
                                        value=True, key="net_include_staff")

    segments = None
    if colour_by == "segment":
        segments, reason = net.segment_labels(store, lang)
        if segments is None:
            st.warning(t("network_page.colour.segment_unavailable", reason=reason))
            colour_by = "community"
    spec = net.ViewSpec(
        view=view, client=ego_client, colour_by=colour_by,
        size_by=size_by,
        max_nodes=int(max_nodes), include_staff=include_staff,
        min_strength=float(min_strength),
        client_types=tuple(chosen_types) or None,
        communities=tuple(chosen_communities) or None)
    picture, shown = net.network_picture(store, settings, clv, analysis, spec, lang,
                                         segments)

    if view == "communities":
        st.caption(t("network_page.shown.communities", shown=picture.nodes,
                     clients=len(nodes), edges=picture.edges))
    else:
        total_nodes = graph.number_of_nodes() if include_staff else len(nodes)
        total_edges = graph.number_of_edges() if include_staff else client_ties
        st.caption(t("network_page.shown.nodes", shown=picture.nodes,
                     total=total_nodes, edges=picture.edges, total_edges=total_edges))
    if picture.nodes == 0:
        st.info(t("network_page.shown.empty"))

    drawing, legend = st.columns([3, 1])
    with drawing:
        net.show_picture(picture)
    with legend:
        st.markdown(f"**{t('network_page.legend')}**")
        st.dataframe(net.legend_table(picture), hide_index=True, width="stretch",
                     column_config={"swatch": st.column_config.TextColumn("", width=30),
                                    "label": st.column_config.TextColumn("")},
                     key="net_legend")
        for text in net.legend_notes(picture):
            st.caption(text)
        st.caption(t("network_page.picture.hint"))

    if view == "ego":
        st.subheader(t("network_page.ego.heading"))
        row = net.with_labels(nodes.loc[[ego_client]].reset_index(), lang)
        st.table(row[["client_id", "name", "client_type_label", "community_number",
                      "degree", "good_ties", "best_staff"]].rename(columns={
                          column: t(net.COLUMNS[column][0]) for column in
                          ["client_id", "name", "client_type_label", "community_number",
                           "degree", "good_ties", "best_staff"]}).astype(str))

    if view == "communities":
        st.subheader(t("network_page.communities.heading"))
        st.caption(t("network_page.communities.modularity",
                     value=f"{analysis.modularity:.3f}",
                     count=len(analysis.communities.communities)))
        communities = net.community_table(analysis, lang)
        net.show_table(communities, list(communities.columns), key="net_communities_table")
    else:
        st.subheader(t("network_page.nodes.heading"))
        node_rows = net.view_node_table(analysis, shown, lang)
        net.show_table(node_rows, net.NODE_COLUMNS, key="net_node_table", height=360,
                       clients=True)
        st.download_button(t("network_page.download.nodes"),
                           to_csv_bytes(node_rows[[c for c in net.NODE_COLUMNS
                                                   if c in node_rows]]),
                           file_name="network_nodes.csv", mime="text/csv",
                           key="net_nodes_download")
        st.subheader(t("network_page.edges.heading"))
        edge_rows = net.view_edge_table(shown, picture.edges, lang)
        net.show_table(edge_rows, net.EDGE_COLUMNS, key="net_edge_table", height=360)
        st.download_button(t("network_page.download.edges"),
                           to_csv_bytes(edge_rows[[c for c in net.EDGE_COLUMNS
                                                   if c in edge_rows]]),
                           file_name="network_edges.csv", mime="text/csv",
                           key="net_edges_download")
        st.subheader(t("network_page.communities.heading"))
        st.caption(t("network_page.communities.modularity",
                     value=f"{analysis.modularity:.3f}",
                     count=len(analysis.communities.communities)))
        communities = net.community_table(analysis, lang)
        net.show_table(communities, list(communities.columns),
                       key="net_communities_table", height=240)

    st.subheader(t("network_page.notes.heading"))
    for text in net.note_texts(analysis, lang):
        st.markdown(f"- {text}")
    if not analysis.problems.empty:
        with st.expander(t("network_page.problems", count=len(analysis.problems))):
            st.dataframe(net.problem_table(analysis, lang), hide_index=True,
                         width="stretch", key="net_problems")

# -- Relationship strength ------------------------------------------------------

with strength_tab:
    render_strength_formula(analysis)
    pairs = analysis.staff_strength
    if pairs.empty:
        st.info(t("network_page.no_interactions"))
    else:
        pairs = net.with_labels(pairs.assign(name=pairs["client_id"].map(nodes["name"])),
                                lang)
        bands = pd.DataFrame({
            "band": ["good", "fair", "poor"] * 2,
            "when": [t("network_page.strength.now")] * 3
            + [t("network_page.strength.before")] * 3})
        now_counts = pairs["band"].value_counts()
        before_counts = pd.Series(strength_band(pairs["score_before"])).value_counts()
        bands["pairs"] = [int(now_counts.get(b, 0)) for b in ("good", "fair", "poor")] \
            + [int(before_counts.get(b, 0)) for b in ("good", "fair", "poor")]
        bands["band_label"] = [t(f"network.band.{b}") for b in bands["band"]]
        figure = px.bar(bands, x="band_label", y="pairs", color="when",
                        barmode="group",
                        labels={"band_label": t("network_page.col.band"),
                                "pairs": t("network_page.strength.pairs"), "when": ""})
        left, right = st.columns(2)
        with left:
            st.subheader(t("network_page.strength.bands_heading"))
            st.plotly_chart(figure, width="stretch", key="net_band_chart")
        with right:
            st.subheader(t("network_page.strength.why_heading"))
            why_client = st.selectbox(
                t("network_page.strength.client"), sorted(pairs["client_id"].unique()),
                format_func=labels.get, key="net_why_client")
            staff_options = pairs.loc[pairs["client_id"] == why_client] \
                .sort_values("score", ascending=False)["staff"].tolist()
            why_staff = st.selectbox(t("network_page.strength.staff"), staff_options,
                                     key="net_why_staff")
            pair = pairs[(pairs["client_id"] == why_client)
                         & (pairs["staff"] == why_staff)].iloc[0]
            st.metric(t("network_page.strength.score"), f"{pair['score']:.0f}",
                      delta=f"{pair['trend']:+.0f}",
                      help=t("network_page.strength.trend_help"))
            st.caption(t("network_page.strength.pair_summary",
                         band=t(f"network.band.{pair['band']}"),
                         sum=f"{pair['decayed_sum']:.2f}", s0=f"{s0:.2f}",
                         count=int(pair["interactions"])))
            reasons = explain_strength(
                cached_table(store, "interactions"), why_staff, why_client,
                analysis.settings["as_of"], top_n=5,
                channel_weights=analysis.settings["channel_weights"],
                half_life_days=analysis.settings["half_life_days"])
            reasons = net.with_labels(reasons, lang)
            reasons["date"] = pd.to_datetime(reasons["date"]).dt.strftime("%Y-%m-%d")
            net.show_table(reasons, ["date", "channel_label", "age_days",
                                     "channel_weight", "contribution", "share",
                                     "notes"], key="net_why_table")
        st.subheader(t("network_page.strength.table_heading"))
        pairs_shown = pairs.sort_values("score", ascending=False)
        pairs_shown = pairs_shown.assign(
            last_date=pd.to_datetime(pairs_shown["last_date"]).dt.strftime("%Y-%m-%d"))
        net.show_table(pairs_shown, ["staff", "name", "interactions", "last_date",
                                     "score", "band_label", "trend", "client_id"],
                       key="net_pairs_table", height=360, clients=True)

# -- Key clients ----------------------------------------------------------------

with key_tab:
    with st.form("net_key_form"):
        st.caption(t("network_page.key.weights_heading"))
        columns = st.columns(len(KEY_CLIENT_WEIGHTS))
        for column, part in zip(columns, KEY_CLIENT_WEIGHTS):
            column.number_input(t(f"network_page.part.{part}"), min_value=0.0,
                                max_value=10.0, value=1.0, step=0.5,
                                key=f"net_key_{part}")
        st.form_submit_button(t("network_page.settings.apply"))
    if key_weights_reset:
        st.warning(t("network_page.key.zero_weights"))
    st.markdown(t("network_page.key.explain"))
    key_rows = net.with_labels(nodes.reset_index(), lang)
    top = key_rows.head(20)
    parts = net.key_parts(top, dict(settings.key_weights), lang)
    figure = px.bar(parts, x="points", y="name", color="part", orientation="h",
                    labels={"points": t("network_page.col.key_score"), "name": "",
                            "part": ""})
    figure.update_yaxes(autorange="reversed")
    st.plotly_chart(figure, width="stretch", key="net_key_chart")
    net.show_table(key_rows, ["key_rank", "name", "client_type_label", "key_score",
                              "network_pct", "clv_pct", "exposure_pct", "pagerank",
                              "clv", "exposure", "tier", "client_id"],
                   key="net_key_table", height=360, clients=True)
    st.download_button(t("network_page.download.key_clients"),
                       to_csv_bytes(key_rows[["client_id", "name", "key_rank",
                                              "key_score", "network_pct", "clv_pct",
                                              "exposure_pct", "pagerank", "clv",
                                              "exposure", "tier"]]),
                       file_name="key_clients.csv", mime="text/csv",
                       key="net_key_download")

# -- Key-person risk ------------------------------------------------------------

with risk_tab:
    risk = analysis.key_person
    st.markdown(t("network_page.risk.explain", good=f"{GOOD_SCORE:.0f}"))
    ties = risk.clients.assign(name=risk.clients["client_id"].map(nodes["name"]))
    counts = ties["good_ties"].clip(upper=3).value_counts().reindex(range(4),
                                                                      fill_value=0)
    metrics = st.columns(4)
    for column, (number, count) in zip(metrics, counts.items()):
        column.metric(t(f"network_page.risk.good_ties_{number}"), f"{count:,}")
    if staff_ties == 0:
        st.info(t("network_page.no_interactions"))
    else:
        st.subheader(t("network_page.risk.staff_heading"))
        staff_rows = risk.staff.assign(sole_good_names=[
            ", ".join(str(nodes["name"].get(c, c)) for c in clients)
            for clients in risk.staff["sole_good_clients"]])
        net.show_table(staff_rows, ["staff", "clients", "good_ties", "sole_good_ties",
                                    "sole_good_names"], key="net_risk_staff")
        st.subheader(t("network_page.risk.clients_heading"))
        net.show_table(ties.sort_values(["good_ties", "best_strength"]),
                       ["name", "staff_ties", "good_ties", "best_staff",
                        "best_strength", "sole_good_staff", "client_id"],
                       key="net_risk_clients", height=300, clients=True)
        left, right = st.columns(2)
        with left:
            st.subheader(t("network_page.risk.bridges_heading"))
            st.caption(t("network_page.risk.bridges_explain"))
            bridges = risk.bridges.assign(
                name=risk.bridges["client_id"].map(nodes["name"]))
            net.show_table(bridges, ["staff", "name", "strength", "client_id"],
                           key="net_bridges", height=300, clients=True)
        with right:
            st.subheader(t("network_page.risk.points_heading"))
            st.caption(t("network_page.risk.points_explain"))
            points = risk.articulation_points.assign(node_type_label=[
                t(f"network_page.node_type.{kind}")
                for kind in risk.articulation_points["node_type"]])
            net.show_table(points, ["name", "node_type_label"], key="net_points",
                           height=300)

# -- Warm introductions ---------------------------------------------------------

with warm_tab:
    st.markdown(t("network_page.warm.explain"))
    gaps = analysis.coverage_gaps
    warm_default = client_ids.index(gaps["client_id"].iloc[0]) if not gaps.empty else 0
    target = st.selectbox(t("network_page.warm.target"), client_ids,
                          index=warm_default, format_func=labels.get,
                          key="net_warm_target",
                          help=t("network_page.warm.target_help"))
    paths = warm_introductions(graph, target, count=3)
    if paths.empty:
        st.info(t("network_page.warm.none"))
    for path in paths.itertuples():
        title = t("network_page.warm.best") if path.rank == 1 \
            else t("network_page.warm.alternative", number=path.rank - 1)
        st.markdown(f"**{title}** · " + t(
            "network_page.warm.summary", hops=path.hops,
            weakest=f"{path.weakest_strength:.0f}",
            distance=f"{path.total_distance:.4f}"))
        hops = net.hop_table(path, lang)
        st.table(hops)

# -- Maintenance ----------------------------------------------------------------

with maintenance_tab:
    with st.form("net_cadence_form"):
        st.caption(t("network_page.maintenance.cadence_heading"))
        columns = st.columns(len(CADENCE_DAYS))
        for column, (tier, days) in zip(columns, CADENCE_DAYS.items()):
            column.number_input(t("network_page.maintenance.tier_cadence", tier=tier),
                                min_value=1, max_value=730, value=days, step=5,
                                key=f"net_cadence_{tier}")
        st.form_submit_button(t("network_page.settings.apply"))
    st.markdown(t("network_page.maintenance.explain"))
    overdue = analysis.overdue.join(nodes[["name"]]).reset_index()
    late = overdue[overdue["overdue"]]
    metrics = st.columns(4)
    metrics[0].metric(t("network_page.maintenance.overdue"), f"{len(late):,}")
    for column, tier in zip(metrics[1:], CADENCE_DAYS):
        column.metric(t("network_page.maintenance.overdue_tier", tier=tier),
                      f"{int((late['tier'] == tier).sum()):,}")
    st.subheader(t("network_page.maintenance.overdue_heading"))
    late = late.assign(
        last_interaction=pd.to_datetime(late["last_interaction"]).dt.strftime("%Y-%m-%d"),
        days_overdue=late["days_overdue"].where(late["days_since"].notna()))
    net.show_table(late, ["name", "tier", "last_interaction", "days_since",
                          "cadence_days", "days_overdue", "client_id"],
                   key="net_overdue", height=320, clients=True)
    st.caption(t("network_page.maintenance.never"))
    st.subheader(t("network_page.maintenance.gaps_heading"))
    st.caption(t("network_page.maintenance.gaps_explain", good=f"{GOOD_SCORE:.0f}"))
    gaps = gaps.assign(name=gaps["client_id"].map(nodes["name"]))
    net.show_table(gaps, ["name", "tier", "value_score", "best_staff", "best_strength",
                          "good_ties", "client_id"], key="net_gaps", height=320,
                   clients=True)

# -- Method ---------------------------------------------------------------------

with method_tab:
    render_method(analysis)
