"""The Case study page's cached case, its labels, figures and the workshop state.

The case reuses the cached CLV fit and the cached scorecard of the model pages,
then builds the ranking and the simulation once per database version and
settings (``st.cache_resource``: the result is read-only once built).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..casestudy import (COMPONENTS, STRATEGIES, CaseStudy, OutreachSettings,
                         SimulationSettings, WorkshopStep, build_case, closing_curve)
from ..casestudy.funding import FundingInPlace
from ..clv import ClvDataError
from ..errors import ModelError
from ..network import staff_client_strength
from ..risk.book import score_book
from ..store import Store
from .cache import cached_table
from .context import error_text, fmt_money, markdown_text, t
from .models import cached_clv
from .risk.scorecard import (ScorecardSettings, cached_current_book,
                             development_sample, store_scorecard)

logger = logging.getLogger(__name__)

CASE_TABLES = ("clients", "projects", "deals", "revenue", "interactions", "feedback",
               "relationships", "credit")
STEP_KEY = "case_step"
PROFILE_PAGE = "pages/dashboard/profile.py"
PAGE_ICONS = {
    "pages/adoption/case_study.py": ":material/cases:",
    "pages/models/clv.py": ":material/savings:",
    "pages/models/satisfaction.py": ":material/sentiment_satisfied:",
    "pages/models/segments.py": ":material/category:",
    "pages/models/risk.py": ":material/shield:",
    "pages/models/network.py": ":material/hub:",
    "pages/models/feedback.py": ":material/forum:",
    "pages/models/automation.py": ":material/smart_toy:",
}
# url_path of each page in app.py, for a plain link when a page is not registered.
PAGE_URLS = {
    "pages/adoption/case_study.py": "case-study", "pages/models/clv.py": "clv",
    "pages/models/satisfaction.py": "satisfaction",
    "pages/models/segments.py": "segments", "pages/models/risk.py": "risk",
    "pages/models/network.py": "network", "pages/models/feedback.py": "feedback",
    "pages/models/automation.py": "automation", PROFILE_PAGE: "profile",
}


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$]")


# -- model inputs ------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=4)
def _best_strength(path: str, version: tuple) -> pd.Series:
    interactions = Store(path).read_table("interactions")
    if interactions.empty:
        return pd.Series(dtype=float)
    as_of = pd.to_datetime(interactions["date"]).max()
    ties = staff_client_strength(interactions, as_of)
    return ties.groupby(ties["client_id"].astype(str))["score"].max()


def credit_inputs(store: Store) -> tuple[pd.DataFrame, str | None]:
    """Return each client's PD from the scorecard (or rating) and a note when none.

    The scorecard is the Risk & return page's, fitted with its default settings.
    """
    columns = ["client_id", "pd", "rating"]
    if cached_table(store, "credit").empty:
        return pd.DataFrame(columns=columns), t("case_study.note.no_credit")
    try:
        report = store_scorecard(store, ScorecardSettings())
        history = development_sample(store)["client_id"].unique()
        model = report.model
    except ModelError as exc:
        # The ratings' PDs still screen the candidates without a scorecard.
        logger.info("case study without a scorecard: %s", exc)
        report, history, model = None, (), None
    book = score_book(cached_current_book(store), model, history)
    note = None if report else t("case_study.note.rating_pd")
    return book[columns], note


def clv_inputs(store: Store) -> tuple[pd.Series | None, str | None]:
    """Return CLV in USD by client id, or None with the reason."""
    if cached_table(store, "revenue").empty:
        return None, t("case_study.note.no_clv", reason=t("clv.no_revenue"))
    try:
        result = cached_clv(store)
    except (ClvDataError, ModelError) as exc:
        return None, t("case_study.note.no_clv", reason=error_text(exc))
    return result.clients.set_index("client_id")["clv"], None


@st.cache_resource(show_spinner=False, max_entries=8)
def _case(path: str, version: tuple, project_id: str, weights: tuple,
          pd_cutoff: float, contacts_per_month: int, seed: int, _credit: pd.DataFrame,
          _clv: pd.Series | None, _strength: pd.Series) -> CaseStudy:
    # The model inputs are keyed through the file's version, not hashed.
    store = Store(path)
    tables = {name: store.read_table(name) for name in CASE_TABLES}
    return build_case(
        tables, project_id, credit=_credit, clv=_clv, strength=_strength,
        outreach=OutreachSettings(weights=dict(weights), pd_cutoff=pd_cutoff),
        simulation=SimulationSettings(contacts_per_month=contacts_per_month,
                                      seed=seed))


def cached_case(store: Store, project_id: str, *, weights: dict, pd_cutoff: float,
                contacts_per_month: int, seed: int) -> tuple[CaseStudy, list[str]]:
    """Build (or reuse) the case of ``project_id`` and return it with notes on gaps.

    Raises
    ------
    CaseStudyError
        When the project cannot support the case (see ``casestudy.build_case``).
    """
    with st.spinner(t("case_study.building")):
        credit, credit_note = credit_inputs(store)
        clv, clv_note = clv_inputs(store)
        strength = _best_strength(str(store.path), store.data_version())
        case = _case(str(store.path), store.data_version(), project_id,
                     tuple(sorted(weights.items())), pd_cutoff, contacts_per_month,
                     seed, credit, clv, strength)
    return case, [note for note in (credit_note, clv_note) if note]


# -- labels and formats ------------------------------------------------------------

def reason_text(row: pd.Series) -> str:
    """Return the translated reasons of one ranked candidate."""
    codes = [code for code in str(row["reasons"]).split(",") if code]
    values = {"clv": fmt_money(row["clv"]), "pd": f"{row['pd']:.2%}",
              "sector_deals": int(row["sector_deals"]),
              "country_deals": int(row["country_deals"]),
              "ticket": fmt_money(row["typical_ticket_usd"]),
              "strength": f"{row['strength']:.0f}",
              "ties": int(row["co_lender_ties"])}
    if not codes:
        return t("case_study.reason.none")
    return t("case_study.list_separator").join(
        t(f"case_study.reason.{code}", **values) for code in codes)


def months_text(value: float) -> str:
    """Format a number of months; inf is "not reached within the horizon"."""
    if value is None or np.isnan(value):
        return "–"
    if np.isinf(value):
        return t("case_study.months_not_reached")
    return t("case_study.months", months=f"{value:,.0f}")


def figure_text(step: WorkshopStep) -> str:
    """Format a workshop step's key figure for its ``figure_format``."""
    value = step.figure
    if step.figure_format == "months":
        return months_text(value)
    if np.isnan(value):
        return "–"
    if step.figure_format == "share":
        return f"{value:.1%}"
    if step.figure_format == "money":
        return fmt_money(value)
    if step.figure_format == "points":
        return f"{value:+.0f}"
    return f"{value:,.0f}"


def step_values(step: WorkshopStep) -> dict:
    """Return the step's placeholders formatted for its sentence."""
    formatted = {}
    for name, value in step.values.items():
        if name in ("gap", "target"):
            formatted[name] = fmt_money(value)
        elif name == "cutoff":
            formatted[name] = f"{value:.2%}"
        elif name == "random":
            formatted[name] = months_text(value)
        else:
            formatted[name] = f"{value:,.0f}"
    return formatted


# -- links -------------------------------------------------------------------------

def markdown_escape(text: object) -> str:
    """Escape Markdown's special characters, so stored text shows as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", str(text))


def link_to(page: str, label: str, *, query_params: dict | None = None) -> None:
    """Link to a page of the app; a plain URL link when the page is not registered.

    The page script can run on its own (``streamlit run`` on the file, or AppTest),
    where ``st.page_link`` rejects pages that ``app.py`` has not registered.
    """
    try:
        st.page_link(page, label=label, icon=PAGE_ICONS.get(page),
                     query_params=query_params)
    except StreamlitAPIException:
        url = PAGE_URLS.get(page, "")
        if query_params:
            url += "?" + urlencode(query_params)
        st.markdown(f"[{markdown_text(label)}]({url})")


# -- figures -----------------------------------------------------------------------

def funding_figure(funding: FundingInPlace) -> go.Figure:
    """Draw committed USD over time against the target, with the projection."""
    timeline = funding.timeline
    figure = go.Figure()
    if not timeline.empty:
        dates = list(timeline["date"]) + [funding.as_of]
        committed = list(timeline["committed_usd"]) + [funding.committed_usd]
        figure.add_trace(go.Scatter(
            x=dates, y=committed, mode="lines+markers", line_shape="hv",
            name=t("case_study.funding.committed"),
            hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} USD<extra></extra>"))
    if funding.projected_date is not None and funding.gap_usd > 0:
        figure.add_trace(go.Scatter(
            x=[funding.as_of, funding.projected_date],
            y=[funding.committed_usd, funding.target_usd], mode="lines",
            line={"dash": "dot"}, name=t("case_study.funding.projection"),
            hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} USD<extra></extra>"))
    figure.add_hline(y=funding.target_usd, line_dash="dash", line_color="firebrick",
                     annotation_text=t("case_study.funding.target_line"))
    figure.add_vline(x=funding.as_of, line_dash="dot", line_color="grey")
    figure.update_layout(height=420, legend={"orientation": "h", "y": -0.15},
                         yaxis_title=t("case_study.funding.axis"), xaxis_title="")
    return figure


def strategy_label(strategy: str) -> str:
    """Return the translated name of a simulated strategy."""
    return t(f"case_study.strategy.{strategy}")


def closing_figure(case: CaseStudy) -> go.Figure:
    """Draw the simulated share of runs with the gap closed by each month."""
    curve = closing_curve(case.simulation)
    curve["strategy"] = curve["strategy"].map(strategy_label)
    figure = px.line(curve, x="month", y="share_closed", color="strategy",
                     category_orders={"strategy": [strategy_label(s)
                                                   for s in STRATEGIES]},
                     labels={"month": t("case_study.sim.month_axis"),
                             "share_closed": t("case_study.sim.share_axis"),
                             "strategy": t("case_study.sim.strategy")})
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
    figure.update_layout(height=420, title=t("case_study.sim.chart_title"),
                         legend={"orientation": "h", "y": -0.25})
    return figure


def funding_box_figure(case: CaseStudy) -> go.Figure:
    """Draw the simulated funding raised in the first months, per strategy."""
    runs = case.simulation.runs.assign(
        strategy=case.simulation.runs["strategy"].map(strategy_label))
    figure = px.box(runs, x="strategy", y="funding_6m", points=False,
                    labels={"strategy": t("case_study.sim.strategy"),
                            "funding_6m": t("case_study.sim.funding_axis")})
    figure.update_layout(height=400, title=t("case_study.sim.box_title"))
    return figure


def component_label(name: str) -> str:
    """Return the translated name of a score component."""
    return t(f"case_study.component.{name}")


def weight_defaults() -> dict[str, float]:
    """Return the default weight of each component, in percent."""
    defaults = OutreachSettings().normalised_weights()
    return {name: round(100 * defaults[name]) for name in COMPONENTS}


# -- workshop state ----------------------------------------------------------------

def current_step(count: int) -> int:
    """Return the workshop's step index in the session, kept within 0..count-1."""
    index = int(st.session_state.get(STEP_KEY, 0))
    index = min(max(index, 0), count - 1)
    st.session_state[STEP_KEY] = index
    return index


def move_step(delta: int, count: int) -> None:
    """Move the workshop ``delta`` steps, within 0..count-1 (a button callback)."""
    index = int(st.session_state.get(STEP_KEY, 0)) + delta
    st.session_state[STEP_KEY] = min(max(index, 0), count - 1)
