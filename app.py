"""PF-CRM: the router. Lists every page, grouped in sections, and draws the shared sidebar.

Run with ``make run``, or ``python -m pfcrm_core.serve run app.py -- --db PATH``.
"""

import logging
from pathlib import Path

import streamlit as st

from pfcrm_core.errors import PfcrmError
from pfcrm_core.ui import active_store, render_sidebar, show_error, t
from pfcrm_core.ui.profile import render_client_search

FAVICON = Path(__file__).parent / "pfcrm_core" / "ui" / "static" / "favicon.png"

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A local icon: a ":material/...:" page icon makes the browser fetch the favicon
# from a font CDN, and the app must work offline.
st.set_page_config(page_title="PF-CRM", page_icon=str(FAVICON), layout="wide")

pages = {
    t("app.section.dashboard"): [
        st.Page("pages/dashboard/overview.py", title=t("app.page.overview"),
                icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/dashboard/live.py", title=t("live.title"),
                icon=":material/monitoring:", url_path="live"),
        st.Page("pages/dashboard/profile.py", title=t("profile.title"),
                icon=":material/person_search:", url_path="profile"),
    ],
    t("app.section.models"): [
        st.Page("pages/models/clv.py", title=t("app.page.clv"),
                icon=":material/savings:", url_path="clv"),
        st.Page("pages/models/satisfaction.py", title=t("satisfaction_page.title"),
                icon=":material/sentiment_satisfied:", url_path="satisfaction"),
        st.Page("pages/models/segments.py", title=t("segments.title"),
                icon=":material/category:", url_path="segments"),
        st.Page("pages/models/risk.py", title=t("risk_page.nav_title"),
                icon=":material/shield:", url_path="risk"),
        st.Page("pages/models/network.py", title=t("network_page.title"),
                icon=":material/hub:", url_path="network"),
        st.Page("pages/models/feedback.py", title=t("feedback_page.title"),
                icon=":material/forum:", url_path="feedback"),
        st.Page("pages/models/automation.py", title=t("automation_page.title"),
                icon=":material/bolt:", url_path="automation"),
    ],
    t("app.section.adoption"): [
        st.Page("pages/adoption/advisor.py", title=t("advisor.title"),
                icon=":material/recommend:", url_path="advisor"),
        st.Page("pages/adoption/roadmap.py", title=t("roadmap.title"),
                icon=":material/route:", url_path="roadmap"),
        st.Page("pages/adoption/case_study.py", title=t("case_study.nav_title"),
                icon=":material/cases:", url_path="case-study"),
    ],
    t("app.section.data"): [
        st.Page("pages/data/manage.py", title=t("app.page.data"),
                icon=":material/upload_file:", url_path="data"),
    ],
}

# Sixteen pages in four sections: show them all rather than a "View more" button.
page = st.navigation(pages, position="sidebar", expanded=True)
render_sidebar(active_store())
render_client_search()
try:
    page.run()
except PfcrmError as exc:
    # A busy or unreadable database file reaches here from any page.
    show_error(exc)
