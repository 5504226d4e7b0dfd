"""The Model advisor page's cached reads, recommendation cards, chart and method."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..advisor import (FACTORS, FLOOR_PENALTY, FLOORS, READINESS_FACTOR, CostBenefit,
                       Readiness, Recommendation, fee_income_12m, readiness_from_store,
                       weight_table)
from ..advisor import readiness as readiness_module
from ..store import Store
from .context import fmt_money, t

BADGE_COLOURS = {"ready": "green", "partly": "orange", "not_ready": "red"}
BADGE_ICONS = {"ready": ":material/check_circle:", "partly": ":material/error:",
               "not_ready": ":material/cancel:"}
MODEL_ICONS = {
    "clv": ":material/savings:", "satisfaction": ":material/sentiment_satisfied:",
    "segmentation": ":material/category:", "risk": ":material/shield:",
    "network": ":material/hub:", "feedback": ":material/forum:",
    "digital": ":material/smart_toy:",
}

NPV_FORMULA = (r"\mathrm{NPV} = -C_0 + \sum_{t=1}^{H} \frac{B - R}{(1+r)^t},"
               r"\qquad \sum_{t=0}^{H} \frac{CF_t}{(1+\mathrm{IRR})^t} = 0")
PAYBACK_FORMULA = (r"\text{payback} = (k-1) + \frac{-\sum_{t=0}^{k-1} CF_t}{CF_k},"
                   r"\quad k = \min\{k : \textstyle\sum_{t=0}^{k} CF_t \ge 0\}")
SCORE_FORMULA = (r"\text{fit}_m = 100\Big(b_m + \sum_{f} w_{m,f}\,"
                 r"\frac{a_f - 1}{3}\Big)\cdot p_m,\qquad"
                 r"\text{priority}_m = \text{fit}_m \cdot \rho(\text{readiness}_m)")


@st.cache_data(show_spinner=False, max_entries=8)
def _readiness(path: str, version: tuple) -> dict[str, Readiness]:
    return readiness_from_store(Store(path))


@st.cache_data(show_spinner=False, max_entries=8)
def _fee_income(path: str, version: tuple) -> float:
    return fee_income_12m(Store(path).read_table("revenue"))


def cached_readiness(store: Store) -> dict[str, Readiness]:
    """Return the data readiness of every model, measured once per file version."""
    return _readiness(str(store.path), store.data_version())


def cached_fee_income(store: Store) -> float:
    """Return the store's non-interest revenue of the last 12 months, in USD."""
    return _fee_income(str(store.path), store.data_version())


def render_recommendation(item: Recommendation) -> None:
    """Draw one model's card: rank, scores, readiness badge, reasons, data, link."""
    name = t(f"advisor.model.{item.model}")
    with st.container(border=True):
        st.subheader(f"{item.rank}. {name}")
        if item.readiness is not None:
            status = item.readiness.status
            st.badge(t(f"advisor.status.{status}"), icon=BADGE_ICONS[status],
                     color=BADGE_COLOURS[status])
        st.caption(t(f"advisor.model.{item.model}.summary"))

        scores = st.columns(2)
        scores[0].metric(t("advisor.fit_score"), f"{item.fit.score:.0f}",
                         help=t("advisor.fit_score_help"))
        scores[1].metric(t("advisor.priority"), f"{item.priority:.0f}",
                         help=t("advisor.priority_help"))

        st.markdown(f"**{t('advisor.reasons')}**")
        st.markdown("\n".join(f"- {t(note.key, **note.values)}"
                              for note in item.fit.reasons))
        st.markdown(f"**{t('advisor.needs')}** {t(f'advisor.needs.{item.model}')}")
        if item.readiness is not None:
            render_checks(item.readiness)
        model_page_link(item.page, name, MODEL_ICONS[item.model])


def render_checks(readiness: Readiness) -> None:
    """List what the data has and what is missing for one model."""
    lines = []
    for check in readiness.checks:
        mark = {"ready": "✅", "partly": "🟠", "not_ready": "❌"}[check.status]
        lines.append(f"- {mark} {t(f'advisor.check.{check.name}', **check.values)}")
    st.markdown(f"**{t('advisor.data_found')}**\n\n" + "\n".join(lines))
    if not readiness.missing:
        st.caption(t("advisor.nothing_missing"))


def model_page_link(page: str, label: str, icon: str) -> None:
    """Link to a model page; plain text when the app has not registered the page."""
    try:
        st.page_link(page, label=t("advisor.open_page", model=label), icon=icon)
    except StreamlitAPIException:
        st.caption(t("advisor.page_unavailable", model=label))


def cash_flow_figure(result: CostBenefit) -> go.Figure:
    """Draw the yearly net cash flows as bars and the cumulative sums as lines."""
    flows = result.cash_flows
    figure = go.Figure()
    colours = ["#c0392b" if value < 0 else "#2e86c1" for value in flows["net"]]
    figure.add_bar(x=flows["year"], y=flows["net"], name=t("advisor.cb.net"),
                   marker_color=colours)
    figure.add_scatter(x=flows["year"], y=flows["cumulative"], mode="lines+markers",
                       name=t("advisor.cb.cumulative"), line={"color": "#7f8c8d"})
    figure.add_scatter(x=flows["year"], y=flows["cumulative_discounted"],
                       mode="lines+markers", name=t("advisor.cb.cumulative_discounted"),
                       line={"color": "#27ae60"})
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.update_layout(height=380, legend={"orientation": "h", "y": -0.25},
                         xaxis={"title": t("advisor.cb.year"), "dtick": 1},
                         yaxis={"title": t("advisor.cb.usd")})
    return figure


def flows_columns() -> dict:
    """Return the column configuration of the cash-flow table."""
    money = {column: st.column_config.NumberColumn(t(f"advisor.cb.col.{column}"),
                                                   format="%,.0f")
             for column in ("cost", "benefit", "net", "discounted", "cumulative",
                            "cumulative_discounted")}
    return {"year": st.column_config.NumberColumn(t("advisor.cb.year"), format="%d"),
            "discount_factor": st.column_config.NumberColumn(
                t("advisor.cb.col.discount_factor"), format="%.4f"),
            **money}


def years_text(value: float | None) -> str:
    """Return a payback period as "3.3 years" ("0.25 years" under a year), or
    "not within the horizon"."""
    if value is None:
        return t("advisor.cb.never")
    return t("advisor.cb.years", years=f"{value:.2f}" if value < 1 else f"{value:.1f}")


def irr_text(result: CostBenefit) -> str:
    """Return the IRR as a percentage, "above 1,000%", or "none"."""
    if result.irr is not None:
        return f"{result.irr:.1%}"
    if result.irr_above_range:
        return t("advisor.cb.irr_above")
    return t("advisor.cb.no_irr")


def render_method(fee_income: float) -> None:
    """Show the scoring formula, the weight table, the readiness rules and the NPV."""
    st.subheader(t("advisor.method.scoring"))
    st.latex(SCORE_FORMULA)
    st.markdown(t("advisor.method.scoring_text", penalty=FLOOR_PENALTY,
                  ready=READINESS_FACTOR["ready"], partly=READINESS_FACTOR["partly"],
                  not_ready=READINESS_FACTOR["not_ready"]))
    table = weight_table().reset_index()
    table["model"] = table["model"].map(lambda m: t(f"advisor.model.{m}"))
    table["floors"] = [", ".join(f"{t(f'advisor.factor.{f}.name')} ≥ {level}"
                                 for f, level in FLOORS.get(m, {}).items()) or "–"
                       for m in weight_table().index]
    labels = {"model": t("advisor.method.col.model"),
              "base": t("advisor.method.col.base"),
              "floors": t("advisor.method.col.floors")}
    labels.update({f: t(f"advisor.factor.{f}.name") for f in FACTORS})
    st.dataframe(table.rename(columns=labels), hide_index=True, width="stretch",
                 key="advisor_weights")
    st.markdown(t("advisor.method.weights_why"))

    st.subheader(t("advisor.method.readiness"))
    st.markdown(t("advisor.method.readiness_text",
                  scorecard=readiness_module.SCORECARD_RECOMMENDED_DEFAULTS,
                  clients=readiness_module.PREDICTION_RECOMMENDED_CLIENTS,
                  months=readiness_module.PREDICTION_RECOMMENDED_MONTHS))

    st.subheader(t("advisor.method.npv"))
    st.latex(NPV_FORMULA)
    st.latex(PAYBACK_FORMULA)
    st.markdown(t("advisor.method.npv_text", fee_income=fmt_money(fee_income)))


def flows_frame(result: CostBenefit) -> pd.DataFrame:
    """Return the cash-flow table in the column order the page shows."""
    return result.cash_flows[["year", "cost", "benefit", "net", "discount_factor",
                              "discounted", "cumulative", "cumulative_discounted"]]
