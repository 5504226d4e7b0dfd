"""The Client profile page: client search, cached model results, section views.

Each model's result comes from the cache that its own page fills, called with
that page's default settings, so the profile and the model page show the same
numbers and a fit made on one is reused by the other. The profile adds no cache
of its own except the risk-return table, which is cheap to rebuild.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..errors import ModelError, PfcrmError
from ..i18n import translate
from ..profile import (ClientProfile, Gap, ModelResults, assemble_profile,
                       gap_from_error, search_clients)
from ..profile.brief import (attrition_risk_text, brief_html, brief_markdown,
                             category_label, change_lines, format_usd,
                             next_deal_text, nps_key)
from ..segmentation import default_offers
from ..store import Store
from .cache import cached_table
from .context import active_store, language, markdown_text, t

logger = logging.getLogger(__name__)

PROFILE_PAGE = "pages/dashboard/profile.py"
CLIENT_PARAM = "client"
TABLES = ("clients", "projects", "deals", "revenue", "interactions", "feedback",
          "credit")
SEARCH_RESULTS = 8
# About six rows; a client may be known to dozens of staff, most of them weakly.
STAFF_TABLE_HEIGHT = 250
WIDE_COLUMNS = {"comment", "notes", "evidence_text"}
# The models each tab reads; the brief reads them all.
SECTIONS = ("clv", "risk", "segment", "network", "attrition", "next_deal")
MODEL_PAGES = {
    "clv": ("pages/models/clv.py", ":material/savings:"),
    "risk": ("pages/models/risk.py", ":material/shield:"),
    "segments": ("pages/models/segments.py", ":material/category:"),
    "network": ("pages/models/network.py", ":material/hub:"),
    "satisfaction": ("pages/models/satisfaction.py", ":material/sentiment_satisfied:"),
    "feedback": ("pages/models/feedback.py", ":material/forum:"),
    "automation": ("pages/models/automation.py", ":material/bolt:"),
    "data": ("pages/data/manage.py", ":material/upload_file:"),
}
# Defaults of the model pages, so the profile reuses their cached fits.
ATTRITION_HORIZON_MONTHS = 12
ATTRITION_LOOKBACK_MONTHS = 24
ATTRITION_MIN_EVENTS = 40


# Search -----------------------------------------------------------------------


def open_profile(client_id: str) -> None:
    """Show the profile of ``client_id``: switch to the page with ``?client=ID``.

    When the profile page is not registered (it runs on its own, as in tests),
    the query parameter is set and the script reruns instead.
    """
    params = {CLIENT_PARAM: str(client_id), "lang": language()}
    try:
        st.switch_page(PROFILE_PAGE, query_params=params)
    except StreamlitAPIException:
        st.query_params[CLIENT_PARAM] = str(client_id)
        st.rerun()


def _choose(key: str, client_id: str) -> None:
    # A button callback: remember the choice and clear the search box.
    st.session_state[f"{key}_chosen"] = client_id
    st.session_state[key] = ""


def render_client_search(key: str = "client_search", *, sidebar: bool = True) -> None:
    """Draw the client search: a text input and a button per matching client.

    Choosing a client opens its profile (``open_profile``). Matching is done by
    ``profile.search_clients`` (id or name, in part, NFKC and case-folded).

    Parameters
    ----------
    key : str, default "client_search"
        Widget key of the text input; the result buttons derive theirs from it,
        so two searches on one page need two keys.
    sidebar : bool, default True
        Draw in the sidebar; False draws where the call is made.
    """
    chosen = st.session_state.pop(f"{key}_chosen", None)
    if chosen is not None:
        open_profile(chosen)

    container = st.sidebar if sidebar else st.container()
    with container:
        query = st.text_input(t("profile.search.label"), key=key,
                              placeholder=t("profile.search.placeholder"),
                              help=t("profile.search.help"))
        if not query.strip():
            return
        try:
            clients = cached_table(active_store(), "clients")
        except PfcrmError as exc:
            logger.warning("client search could not read the clients: %s", exc)
            return
        matches = search_clients(clients, query, limit=SEARCH_RESULTS + 1)
        if matches.empty:
            st.caption(t("profile.search.none", query=query.strip()))
            return
        for row in matches.head(SEARCH_RESULTS).itertuples():
            label = f"{row.name} · {row.client_id}" if isinstance(row.name, str) \
                else str(row.client_id)
            st.button(markdown_text(label), key=f"{key}_{row.client_id}",
                      type="tertiary", on_click=_choose, args=(key, row.client_id))
        if len(matches) > SEARCH_RESULTS:
            st.caption(t("profile.search.more", shown=SEARCH_RESULTS))


# Cached results -----------------------------------------------------------------


def profile_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Return the canonical tables the profile reads, once per version of the file."""
    return {name: cached_table(store, name) for name in TABLES}


def _clv(store: Store):
    from .models import cached_clv

    if cached_table(store, "revenue").empty:
        return None, Gap("clv.no_revenue")
    try:
        return cached_clv(store), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _risk(store: Store, clv_result):
    from ..risk import risk_return_table
    from ..risk.book import PROJECT_FINANCE_SECTORS
    from .risk import ScorecardSettings, priced_book, store_scorecard

    if cached_table(store, "credit").empty:
        return None, Gap("risk_page.no_credit")
    try:
        report = store_scorecard(store, ScorecardSettings())
    except ModelError as exc:
        # The Risk page then prices the book on the ratings' PDs; so does this.
        logger.info("profile risk without a scorecard: %s", exc)
        report = None
    try:
        book = priced_book(store, report, "irb", PROJECT_FINANCE_SECTORS, False)
        clv = None if clv_result is None \
            else clv_result.clients.set_index("client_id")["clv"]
        return risk_return_table(book, clv), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _segments(store: Store):
    from . import segments as seg

    clients = cached_table(store, "clients")
    if len(clients) < seg.MIN_CLIENTS:
        return None, Gap("segments.thin", {"count": len(clients),
                                           "minimum": seg.MIN_CLIENTS})
    latest = seg.book_as_of(store)
    if latest is None:
        return None, Gap("segments.no_dates")
    clv, _ = seg.clv_for_segments(store, latest.date())
    try:
        return seg.segment_result(store, method="kmeans", k=None, as_of=latest.date(),
                                  nps="latest", clv=clv), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _network(store: Store):
    from . import network as net

    dates = net.interaction_dates(store)
    # The Network page's date field defaults to the latest interaction.
    settings = net.NetworkSettings(as_of=dates[1].date() if dates else None)
    clv, _ = net.clv_for_network(store)
    try:
        return net.network_analysis(store, settings, clv), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _attrition(store: Store):
    from . import satisfaction as sat

    end = sat.data_end(store)
    if end is None:
        return None, Gap("profile.gap.no_dates")
    try:
        return sat.attrition_result(store, as_of=end.date(),
                                    horizon=ATTRITION_HORIZON_MONTHS,
                                    lookback=ATTRITION_LOOKBACK_MONTHS,
                                    min_events=ATTRITION_MIN_EVENTS), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _next_deal(store: Store):
    from .prediction import cached_next_deal

    try:
        return cached_next_deal(store), None
    except ModelError as exc:
        return None, gap_from_error(exc)


def _cases(store: Store) -> pd.DataFrame:
    from .feedback import case_table

    return case_table(store)


def model_results(store: Store, sections: tuple[str, ...] = SECTIONS) -> ModelResults:
    """Load (or reuse) the fitted models that ``sections`` need.

    ``risk`` also needs the CLV fit, for the risk-adjusted CLV. A model that
    cannot run leaves its result None and its reason in ``gaps``.
    """
    results = ModelResults(cases=_cases(store), tasks=store.read_tasks())
    with st.spinner(t("profile.loading")):
        clv = None
        if "clv" in sections or "risk" in sections:
            clv, gap = _clv(store)
            results.clv = None if clv is None else clv.clients
            _keep_gap(results, "clv", gap)
        if "risk" in sections:
            results.risk, gap = _risk(store, clv)
            _keep_gap(results, "risk", gap)
        if "segment" in sections:
            results.segmentation, gap = _segments(store)
            if results.segmentation is not None:
                results.offers = default_offers(results.segmentation.profiles)
            _keep_gap(results, "segment", gap)
        if "network" in sections:
            results.network, gap = _network(store)
            _keep_gap(results, "network", gap)
        if "attrition" in sections:
            results.attrition, gap = _attrition(store)
            _keep_gap(results, "attrition", gap)
        if "next_deal" in sections:
            results.next_deal, gap = _next_deal(store)
            _keep_gap(results, "next_deal", gap)
    return results


def _keep_gap(results: ModelResults, section: str, gap: Gap | None) -> None:
    if gap is not None:
        results.gaps[section] = gap


def client_profile(store: Store, client_id: str, sections: tuple[str, ...] = (),
                   since: date | None = None) -> ClientProfile:
    """Assemble the profile with the models of ``sections`` loaded.

    Raises
    ------
    ProfileError
        When the client id is unknown or ``since`` is not before the latest data.
    """
    results = model_results(store, sections)
    return assemble_profile(profile_tables(store), client_id, results, since=since)


# Small renderers ------------------------------------------------------------------


def page_link(name: str) -> None:
    """Link to a model page; plain text when the page is not registered."""
    page, icon = MODEL_PAGES[name]
    label = t(f"profile.link.{name}")
    try:
        st.page_link(page, label=label, icon=icon)
    except StreamlitAPIException:
        st.caption(t("profile.link.unavailable", label=label))


def show_gap(profile: ClientProfile, section: str) -> bool:
    """Show the section's gap as one line; return whether there was one."""
    gap = profile.gaps.get(section)
    if gap is None:
        return False
    st.info(gap.message(language()))
    return True


def label(prefix: str, value) -> str:
    """Translate a stored category value in the session's language."""
    return category_label(prefix, value, language())


def money(value) -> str:
    """Format an amount in USD for the session's language."""
    return format_usd(value, language())


def text_columns(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Return ``frame[columns]`` as text cells, so values show exactly as stored."""
    shown = frame[list(columns)].copy()
    for column in shown.columns:
        shown[column] = ["" if _blank(v) else str(v) for v in shown[column]]
    return shown


def _blank(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def column_config(columns: dict[str, str], formats: dict[str, str] | None = None
                  ) -> dict:
    """Return ``st.dataframe`` column labels (catalogue keys) and number formats."""
    formats = formats or {}
    config = {}
    for column, key in columns.items():
        if column in formats:
            config[column] = st.column_config.NumberColumn(t(key),
                                                           format=formats[column])
        else:
            config[column] = st.column_config.TextColumn(t(key))
    return config


# Figures ---------------------------------------------------------------------------


def revenue_figure(revenue: pd.DataFrame) -> go.Figure:
    """Draw the client's revenue per quarter (USD), stacked by revenue type."""
    figure = go.Figure()
    for kind, rows in revenue.groupby("kind", sort=True):
        figure.add_trace(go.Bar(x=rows["period_start"], y=rows["amount_usd"],
                                name=label("revenue_kind", kind)))
    figure.update_layout(barmode="stack", height=320, margin={"t": 10},
                         yaxis_title=t("profile.chart.revenue_axis"),
                         legend={"orientation": "h", "y": -0.2})
    figure.update_xaxes(tickformat="%Y Q%q")
    return figure


def rating_figure(ratings: pd.DataFrame) -> go.Figure:
    """Draw the rating history as notches, best at the top, labelled by rating."""
    from ..risk.master_scale import EXTERNAL_GRADES

    rows = ratings.dropna(subset=["notch"])
    figure = go.Figure(go.Scatter(
        x=rows["as_of"], y=rows["notch"], mode="lines+markers+text",
        text=rows["rating"].astype(str), textposition="top center",
        line={"shape": "hv"}, hovertemplate="%{x|%Y-%m-%d}: %{text}<extra></extra>"))
    low, high = int(rows["notch"].min()), int(rows["notch"].max())
    ticks = list(range(max(low - 2, 0), min(high + 2, len(EXTERNAL_GRADES) - 1) + 1))
    figure.update_yaxes(autorange="reversed", tickvals=ticks,
                        ticktext=[EXTERNAL_GRADES[i] for i in ticks],
                        title_text=t("profile.chart.notch_axis"))
    figure.update_layout(height=300, margin={"t": 10})
    return figure


def satisfaction_figure(responses: pd.DataFrame) -> go.Figure:
    """Draw each response's NPS score (0–10) and CSAT (1–5) over time."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=responses["date"], y=responses["nps"],
                                mode="lines+markers", name=t("profile.series.nps")))
    figure.add_trace(go.Scatter(x=responses["date"], y=responses["csat"],
                                mode="lines+markers", name=t("profile.series.csat")))
    figure.update_layout(height=300, margin={"t": 10},
                         yaxis={"range": [-0.5, 10.5],
                                "title": t("profile.chart.score_axis")},
                         legend={"orientation": "h", "y": -0.2})
    return figure


def attrition_text(view: dict) -> str:
    """Return the attrition risk with its rank in the session's language."""
    return attrition_risk_text(view, language())


def reason_texts(view: dict) -> list[str]:
    """Return the attrition reasons in the session's language."""
    return [translate(f"satisfaction.reason.{name}", language())
            for name in view["reasons"]]


# Sections ---------------------------------------------------------------------------


def render_overview(profile: ClientProfile) -> None:
    """Draw the client's facts, deals with exposure and maturities, and revenue."""
    facts, summary = profile.facts, profile.deal_summary
    st.subheader(t("profile.section.facts"))
    cells = [
        ("profile.fact.client_type", label("client_type", facts.get("client_type"))),
        ("profile.fact.sector", label("sector", facts.get("sector"))),
        ("profile.fact.region", label("region", facts.get("region"))),
        ("profile.fact.country", facts.get("country") or "–"),
        ("profile.fact.credit_rating", facts.get("credit_rating") or "–"),
        ("profile.fact.relationship_since", _date_text(facts.get("relationship_since"))),
        ("profile.fact.relationship_manager", facts.get("relationship_manager") or "–"),
    ]
    columns = st.columns(3)
    for number, (key, value) in enumerate(cells):
        columns[number % 3].markdown(f"{t(key)}  \n**{markdown_text(value)}**")

    st.subheader(t("profile.section.deals"))
    revenue = profile.revenue_summary
    columns = st.columns(4)
    columns[0].metric(t("profile.kpi.exposure"), money(summary["exposure_usd"]))
    columns[1].metric(t("profile.kpi.live_deals"),
                      f"{summary['live_deals']} / {summary['deals']}")
    columns[2].metric(t("profile.kpi.next_maturity"),
                      _date_text(summary["next_maturity"]))
    columns[3].metric(t("profile.kpi.revenue_12m"), money(revenue["revenue_12m_usd"]),
                      delta=_growth(revenue), help=t("profile.kpi.revenue_prior_12m")
                      + ": " + money(revenue["revenue_prior_12m_usd"]))
    if not show_gap(profile, "deals"):
        _deal_table(profile.deals)

    st.subheader(t("profile.section.revenue"))
    if not show_gap(profile, "revenue"):
        st.plotly_chart(revenue_figure(profile.revenue), width="stretch",
                        key="profile_revenue_chart")


def _date_text(value) -> str:
    return "–" if value is None or _blank(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _growth(revenue: dict) -> str | None:
    prior = revenue["revenue_prior_12m_usd"]
    if prior <= 0:
        return None
    return f"{revenue['revenue_12m_usd'] / prior - 1:+.0%}"


def _deal_table(deals: pd.DataFrame) -> None:
    shown = deals.assign(
        project=[name if isinstance(name, str) else (pid or "–")
                 for name, pid in zip(deals["project_name"], deals["project_id"])],
        role_label=[label("role", v) for v in deals["role"]],
        stage_label=[label("stage", v) for v in deals["project_stage"]],
        currency=deals["currency"].astype("string").str.upper())
    columns = {"deal_id": "profile.col.deal", "project": "profile.col.project",
               "stage_label": "profile.col.project_stage", "role_label": "profile.col.role",
               "amount": "profile.col.amount", "currency": "profile.col.currency",
               "amount_usd": "profile.col.amount_usd", "start_date": "profile.col.start",
               "maturity_date": "profile.col.maturity",
               "years_to_maturity": "profile.col.years_to_maturity",
               "live": "profile.col.live"}
    config = column_config(columns, {"amount": "%,.0f", "amount_usd": "%,.0f",
                                     "years_to_maturity": "%.1f"})
    config["start_date"] = st.column_config.DateColumn(t("profile.col.start"))
    config["maturity_date"] = st.column_config.DateColumn(t("profile.col.maturity"))
    config["live"] = st.column_config.CheckboxColumn(t("profile.col.live"))
    st.dataframe(shown[list(columns)], hide_index=True, width="stretch",
                 column_config=config, key="profile_deals")


def render_value_risk(profile: ClientProfile) -> None:
    """Draw CLV, P(alive) and stage, then score, PD, EL, RAROC and the ratings."""
    st.subheader(t("profile.section.value"))
    st.caption(t("profile.source.clv"))
    if not show_gap(profile, "clv"):
        clv = profile.clv
        columns = st.columns(4)
        columns[0].metric(t("profile.kpi.clv"), money(clv.get("clv")))
        columns[1].metric(t("profile.kpi.p_alive"), _fraction(clv.get("p_alive")))
        columns[2].metric(t("profile.kpi.stage"), label("clv.stage", clv.get("stage")))
        columns[3].metric(t("profile.kpi.expected_transactions"),
                          _number(clv.get("expected_transactions"), "{:.2f}"))
    page_link("clv")

    st.subheader(t("profile.section.risk"))
    st.caption(t("profile.source.risk"))
    if not show_gap(profile, "risk"):
        _risk_metrics(profile.risk)
    st.markdown(f"**{t('profile.section.ratings')}**")
    ratings = profile.ratings
    if not show_gap(profile, "ratings"):
        if ratings["notch"].notna().sum() < 2:
            last = ratings.iloc[-1]
            st.info(t("profile.gap.one_rating", rating=str(last["rating"]),
                      date=_date_text(last["as_of"])))
        else:
            st.plotly_chart(rating_figure(ratings), width="stretch",
                            key="profile_rating_chart")
    page_link("risk")


def _fraction(value, pattern: str = "{:.0%}") -> str:
    return _number(value, pattern)


def _number(value, pattern: str) -> str:
    return "–" if value is None or _blank(value) else pattern.format(value)


def _risk_metrics(risk: dict) -> None:
    columns = st.columns(3)
    columns[0].metric(t("profile.kpi.rating"), str(risk.get("rating") or "–"))
    columns[1].metric(t("profile.kpi.score"), _number(risk.get("score"), "{:,.0f}"))
    columns[2].metric(t("profile.kpi.pd"), _number(risk.get("pd"), "{:.2%}"),
                      help=t("profile.kpi.pd_source") + ": "
                      + t(f"profile.pd_source.{risk.get('pd_source') or 'none'}"))
    columns = st.columns(3)
    columns[0].metric(t("profile.kpi.el"), money(risk.get("el")))
    hurdle = risk.get("hurdle")
    columns[1].metric(
        t("profile.kpi.raroc"), _number(risk.get("raroc"), "{:.1%}"),
        help=None if hurdle is None else t(
            "profile.hurdle", raroc=_number(risk.get("raroc"), "{:.1%}"),
            hurdle=f"{hurdle:.0%}"))
    columns[2].metric(t("profile.kpi.quadrant"),
                      label("risk.quadrant", risk.get("quadrant")))


def render_segment(profile: ClientProfile) -> None:
    """Draw the client's segment, its size and the segment's proposed offer."""
    st.subheader(t("profile.section.segment"))
    if not show_gap(profile, "segment"):
        segment = profile.segment
        st.caption(t("profile.source.segment", date=_date_text(segment["as_of"])))
        lang = language()
        columns = st.columns([2, 1, 2])
        columns[0].metric(t("profile.kpi.segment"),
                          f"{segment['segment']} · {segment[f'name_{lang}']}")
        columns[1].metric(t("profile.kpi.segment_size"), f"{segment['size']:,}")
        columns[2].metric(t("profile.kpi.offer"), str(segment.get(f"offer_{lang}") or "–"))
        if segment.get("offer_key"):
            st.caption(t(f"segments.offer_reason.{segment['offer_key']}"))
    page_link("segments")



def render_network(profile: ClientProfile) -> None:
    """Draw centralities and community, strongest ties, staff ties and warm paths."""
    st.subheader(t("profile.section.network"))
    if show_gap(profile, "network"):
        page_link("network")
        return
    view, measures = profile.network, profile.network.measures
    columns = st.columns(6)
    columns[0].metric(t("profile.kpi.community"),
                      f"{int(measures['community']) + 1} / {view.communities}")
    columns[1].metric(t("profile.kpi.key_rank"), _number(measures.get("key_rank"),
                                                         "{:,.0f}"))
    columns[2].metric(t("profile.kpi.degree"), _number(measures.get("degree"),
                                                       "{:,.0f}"))
    columns[3].metric(t("profile.kpi.betweenness"),
                      _number(measures.get("betweenness"), "{:.4f}"))
    columns[4].metric(t("profile.kpi.pagerank"), _number(measures.get("pagerank"),
                                                         "{:.4f}"))
    columns[5].metric(t("profile.kpi.closeness"), _number(measures.get("closeness"),
                                                          "{:.2f}"))

    st.markdown(f"**{t('profile.section.ties')}**")
    if view.ties.empty:
        st.info(t("profile.gap.no_ties"))
    else:
        from .network import evidence_text

        ties = view.ties.assign(
            band_label=[label("network.band", b) for b in view.ties["band"]],
            evidence_text=[evidence_text(e, language()) for e in view.ties["evidence"]])
        _table(ties, {"name": "profile.col.client", "client_id": "col.client_id",
                      "strength": "profile.col.strength",
                      "band_label": "profile.col.band",
                      "evidence_text": "profile.col.evidence"},
               {"strength": "%.0f"}, key="profile_ties")

    st.markdown(f"**{t('profile.section.staff')}**")
    if view.staff.empty:
        st.info(t("profile.gap.no_staff"))
    else:
        _staff_tables(view)

    st.markdown(f"**{t('profile.section.warm')}**")
    _warm_paths(view.warm_paths)
    page_link("network")


def _staff_tables(view) -> None:
    # Rounded first, so a fall of 0.3 shows as 0 and not as "-0".
    staff = view.staff.assign(band_label=[label("network.band", b)
                                          for b in view.staff["band"]],
                              trend=view.staff["trend"].astype(float).round() + 0.0)
    _table(staff, {"staff": "profile.col.staff", "interactions":
                   "profile.col.interactions", "last_date": "profile.col.last_contact",
                   "score": "profile.col.strength", "band_label": "profile.col.band",
                   "trend": "profile.col.trend"},
           {"interactions": "%d", "score": "%.0f", "trend": "%+.0f"},
           key="profile_staff", dates=("last_date",), height=STAFF_TABLE_HEIGHT)
    if view.staff_reasons.empty:
        return
    best = view.staff.iloc[0]
    st.caption(t("profile.section.staff_reasons", staff=str(best["staff"]),
                 score=f"{best['score']:.0f}"))
    reasons = view.staff_reasons.assign(
        channel_label=[label("channel", c) for c in view.staff_reasons["channel"]])
    columns = {"date": "profile.col.date", "channel_label": "profile.col.channel",
               "share": "profile.col.share"}
    if "notes" in reasons:
        columns["notes"] = "profile.col.notes"
    _table(reasons.assign(share=reasons["share"] * 100), columns, {"share": "%.0f%%"},
           key="profile_staff_reasons", dates=("date",))


def _warm_paths(paths: pd.DataFrame) -> None:
    if paths.empty:
        st.info(t("profile.network.no_warm_path"))
        return
    for path in paths.itertuples():
        key = "profile.network.warm_summary" if path.rank == 1 \
            else "profile.network.alternative"
        st.text(t(key, path=" → ".join(str(n) for n in path.names), hops=path.hops,
                  weakest=f"{path.weakest_strength:.0f}"))


def _table(frame: pd.DataFrame, columns: dict[str, str], formats: dict[str, str],
           *, key: str, dates: tuple[str, ...] = (),
           height: int | str = "auto") -> None:
    config = column_config(columns, formats)
    for column in dates:
        config[column] = st.column_config.DateColumn(t(columns[column]))
    shown = frame[list(columns)].copy()
    for column in columns:
        if column not in formats and column not in dates:
            shown[column] = ["" if _blank(v) else str(v) for v in shown[column]]
    for column in set(columns) & WIDE_COLUMNS:
        config[column] = st.column_config.TextColumn(t(columns[column]), width="large")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config,
                 key=key, height=height)


def render_voice(profile: ClientProfile) -> None:
    """Draw NPS and CSAT over time, the comments, the cases and attrition risk."""
    st.subheader(t("profile.section.voice"))
    if not show_gap(profile, "feedback"):
        _satisfaction(profile)
    page_link("satisfaction")

    st.markdown(f"**{t('profile.section.cases')}**")
    if not show_gap(profile, "cases"):
        _cases_table(profile.cases)
    page_link("feedback")

    st.markdown(f"**{t('profile.section.attrition')}**")
    if not show_gap(profile, "attrition"):
        view = profile.attrition
        st.caption(t("profile.source.attrition", date=_date_text(view["as_of"])))
        value = f"{view['risk']:.1%}" if view["method"] == "logistic" \
            else f"{view['risk']:.2f}"
        st.metric(t("profile.kpi.attrition"), value)
        st.caption(attrition_text(view))
        reasons = reason_texts(view)
        if reasons:
            st.text(t("profile.attrition.reasons", reasons="; ".join(reasons)))
        else:
            st.text(t("profile.attrition.no_reasons"))


def _satisfaction(profile: ClientProfile) -> None:
    from ..satisfaction.metrics import DEFAULT_MIN_N

    summary, responses = profile.satisfaction, profile.feedback
    nps = _number(summary["nps"]["nps"], "{:+.0f}")
    columns = st.columns(3)
    columns[0].metric(t("profile.kpi.nps"), nps)
    columns[1].metric(t("profile.kpi.latest_nps"), _number(summary["latest_nps"], "{}"))
    columns[2].metric(t("profile.kpi.csat"), _number(summary["csat"]["csat"],
                                                     "{:.0f}%"))
    notes = [t(nps_key(summary["nps"]["n"]), nps=nps, n=summary["nps"]["n"]),
             t("profile.brief.latest_nps", score=_number(summary["latest_nps"], "{}"),
               date=_date_text(summary["latest_date"]))]
    if summary["nps"]["small_n"]:
        notes.append(t("profile.small_n", minimum=DEFAULT_MIN_N))
    st.caption(" · ".join(notes))

    st.markdown(f"**{t('profile.section.nps_csat')}**")
    if len(responses) < 2:
        st.info(t("profile.gap.one_response", date=_date_text(responses["date"].iloc[-1])))
    else:
        st.plotly_chart(satisfaction_figure(responses), width="stretch",
                        key="profile_satisfaction_chart")

    st.markdown(f"**{t('profile.section.comments')}**")
    comments = responses.dropna(subset=["comment"]).iloc[::-1]
    if comments.empty:
        st.info(t("profile.gap.no_comments"))
        return
    comments = comments.assign(
        category_label=[label("satisfaction.category", c) for c in comments["category"]],
        follow_label=[label("follow_up_status", s)
                      for s in comments["follow_up_status"]])
    _table(comments, {"date": "profile.col.date", "nps": "profile.col.nps",
                      "category_label": "profile.col.category",
                      "csat": "profile.col.csat", "comment": "profile.col.comment",
                      "follow_label": "profile.col.follow_up"},
           {"nps": "%d", "csat": "%d"}, key="profile_comments", dates=("date",))


def _cases_table(cases: pd.DataFrame) -> None:
    from .feedback import trigger_text

    closed = int(cases["status"].eq("closed").sum())
    columns = st.columns(2)
    columns[0].metric(t("profile.kpi.open_cases"), f"{len(cases) - closed:,}")
    columns[1].metric(t("profile.kpi.closed_cases"), f"{closed:,}")
    shown = cases.assign(
        status_label=[label("feedback_page.status", s) for s in cases["status"]],
        trigger_label=cases["triggers"].map(trigger_text),
        cause_label=[label("feedback.root_cause", c) if isinstance(c, str) else ""
                     for c in cases["root_cause"]])
    _table(shown, {"case_id": "profile.col.case", "status_label": "profile.col.status",
                   "opened_at": "profile.col.opened", "due_at": "profile.col.due",
                   "closed_at": "profile.col.closed", "owner": "profile.col.owner",
                   "trigger_label": "profile.col.triggers",
                   "cause_label": "profile.col.root_cause"},
           {"case_id": "%d"}, key="profile_cases",
           dates=("opened_at", "due_at", "closed_at"))


def render_outlook(profile: ClientProfile) -> None:
    """Draw the client's tasks from the automation rules and its next-deal chance."""
    st.subheader(t("profile.section.outlook"))
    st.markdown(f"**{t('profile.section.tasks')}**")
    if not show_gap(profile, "tasks"):
        _task_table(profile.tasks)

    st.markdown(f"**{t('profile.section.next_deal')}**")
    if not show_gap(profile, "next_deal"):
        view = profile.next_deal
        st.caption(t("profile.source.next_deal", date=_date_text(view["as_of"]),
                     auc=f"{view['pooled_auc']:.2f}"))
        st.metric(t("profile.kpi.next_deal"), f"{view['probability']:.0%}")
        st.caption(next_deal_text(view, language()))
        reasons = [reason.text(language()) for reason in view["reasons"]]
        st.text("\n".join(reasons) if reasons else t("profile.next_deal.no_reasons"))
    page_link("automation")


def _task_table(tasks: pd.DataFrame) -> None:
    shown = tasks.assign(
        status_label=[label("automation.status", v) for v in tasks["status"]],
        priority_label=[label("automation.priority", v) for v in tasks["priority"]],
        due=[_date_text(v) for v in tasks["due_at"]])
    columns = {"title": "profile.col.task", "rule_name": "profile.col.rule",
               "reason": "profile.col.reason", "owner": "profile.col.owner",
               "due": "profile.col.due", "priority_label": "profile.col.priority",
               "status_label": "profile.col.status"}
    open_count = int((tasks["status"] != "done").sum())
    st.caption(t("profile.tasks.count", open=open_count, done=len(tasks) - open_count))
    st.dataframe(text_columns(shown, columns), hide_index=True, width="stretch",
                 column_config=column_config(columns), key="profile_tasks")


def render_changes(profile: ClientProfile) -> None:
    """Draw what changed since the chosen date, one block per kind of change."""
    if show_gap(profile, "changes"):
        return
    changes = profile.changes
    st.caption(t("profile.changes.window", since=_date_text(changes.since),
                 until=_date_text(changes.until)))
    lines = change_lines(changes, language())
    st.text("\n".join(f"• {line}" for line in lines))

    blocks = [
        ("profile.changes.new_deals", changes.new_deals,
         {"deal_id": "profile.col.deal", "project_name": "profile.col.project",
          "amount_usd": "profile.col.amount_usd", "start_date": "profile.col.start",
          "maturity_date": "profile.col.maturity"},
         {"amount_usd": "%,.0f"}, ("start_date", "maturity_date")),
        ("profile.changes.rating_moves", changes.rating_moves,
         {"as_of": "profile.col.date", "rating_before": "profile.col.rating_before",
          "rating": "profile.col.rating", "notch_change": "profile.col.notch_change"},
         {"notch_change": "%+.0f"}, ("as_of",)),
        ("profile.changes.new_feedback", changes.new_feedback,
         {"date": "profile.col.date", "nps": "profile.col.nps",
          "csat": "profile.col.csat", "comment": "profile.col.comment"},
         {"nps": "%d", "csat": "%d"}, ("date",)),
        ("profile.changes.closed_cases", changes.closed_cases,
         {"case_id": "profile.col.case", "closed_at": "profile.col.closed",
          "root_cause": "profile.col.root_cause"}, {"case_id": "%d"}, ("closed_at",)),
        ("profile.changes.strength", changes.strength,
         {"staff": "profile.col.staff", "score_before": "profile.col.score_before",
          "score": "profile.col.score_now", "change": "profile.col.change"},
         {"score_before": "%.0f", "score": "%.0f", "change": "%+.0f"}, ()),
    ]
    for number, (title, frame, columns, formats, dates) in enumerate(blocks):
        st.markdown(f"**{t(title)}**")
        if frame.empty:
            st.caption(t("profile.changes.none_of_kind"))
        else:
            _table(frame, columns, formats, key=f"profile_change_{number}", dates=dates)


def render_brief(profile: ClientProfile) -> None:
    """Offer the meeting brief as HTML and Markdown downloads, with a preview."""
    lang = language()
    st.caption(t("profile.brief.explain"))
    document = brief_html(profile, lang)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", profile.client_id) or "client"
    left, right = st.columns(2)
    left.download_button(t("profile.brief.download_html"), document.encode("utf-8"),
                         file_name=f"brief_{stem}_{lang}.html", mime="text/html",
                         key="profile_brief_html", icon=":material/print:")
    right.download_button(t("profile.brief.download_markdown"),
                          brief_markdown(profile, lang).encode("utf-8"),
                          file_name=f"brief_{stem}_{lang}.md", mime="text/markdown",
                          key="profile_brief_markdown", icon=":material/description:")
    st.markdown(f"**{t('profile.brief.preview')}**")
    st.iframe(document, height=900, alt=t("profile.brief.preview_alt"))
