"""Client profile: what we know about one client, from every model, with a brief."""

import pandas as pd
import streamlit as st

from pfcrm_core.errors import PfcrmError
from pfcrm_core.profile import ProfileError, book_end, client_facts, default_since
from pfcrm_core.ui import active_store, language, show_error, t
from pfcrm_core.ui import profile as prof
from pfcrm_core.ui.context import error_text

store = active_store()
lang = language()

st.title(t("profile.title"))

try:
    tables = prof.profile_tables(store)
except PfcrmError as exc:
    show_error(exc)
    st.stop()

if tables["clients"].empty:
    st.info(t("profile.empty"))
    prof.page_link("data")
    st.stop()

# The client comes from the URL (?client=ID), so a profile can be bookmarked.
client_id = str(st.query_params.get(prof.CLIENT_PARAM, "")).strip()
if not client_id:
    st.caption(t("profile.caption"))
    st.info(t("profile.choose"))
    prof.render_client_search("profile_search_page", sidebar=False)
    st.stop()
try:
    facts = client_facts(tables["clients"], client_id)
except ProfileError as exc:
    st.warning(error_text(exc))
    prof.render_client_search("profile_search_page", sidebar=False)
    st.stop()

as_of = book_end(tables)
header, since_column = st.columns([3, 1], vertical_alignment="bottom")
header.header(prof.markdown_text(facts.get("name") or client_id), anchor=False)
header.caption(t("profile.subheading", client_id=client_id,
                 client_type=prof.label("client_type", facts.get("client_type")),
                 region=prof.label("region", facts.get("region")),
                 date="–" if as_of is None else f"{as_of:%Y-%m-%d}"))
since = None
if as_of is not None:
    since = since_column.date_input(
        t("profile.changes.label"), value=default_since(as_of).date(),
        max_value=(as_of - pd.Timedelta(days=1)).date(), key="profile_since",
        help=t("profile.changes.since_help"))

# Only the open tab runs, so a tab's models load when it is first opened.
names = ["overview", "value_risk", "segment", "network", "voice", "outlook", "changes",
         "brief"]
tabs = st.tabs([t(f"profile.tab.{name}") for name in names], key="profile_tab",
               on_change="rerun")
sections = {"overview": (), "value_risk": ("clv", "risk"), "segment": ("segment",),
            "network": ("network",), "voice": ("attrition",),
            "outlook": ("next_deal",), "changes": (),
            "brief": prof.SECTIONS}
renderers = {"overview": prof.render_overview, "value_risk": prof.render_value_risk,
             "segment": prof.render_segment, "network": prof.render_network,
             "voice": prof.render_voice, "outlook": prof.render_outlook,
             "changes": prof.render_changes,
             "brief": prof.render_brief}

for name, tab in zip(names, tabs):
    if not tab.open:
        continue
    with tab:
        try:
            profile = prof.client_profile(store, client_id, sections[name], since)
        except ProfileError as exc:
            st.warning(error_text(exc))
            continue
        renderers[name](profile)
