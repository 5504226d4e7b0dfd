"""Views of the priced book: master scale, EL, capital, RAROC, rankings, scatter,
stability of the scorecard's variables and the riskiest clients."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from ...risk import (QUADRANTS, MasterScale, ScorecardReport, portfolio_raroc, psi,
                     psi_band)
from ...risk.book import variable_psi
from ..client_table import client_table
from ..context import fmt_money, label_of, t
from .scorecard import psi_band_label, variable_label

QUADRANT_COLOURS = {"grow": "#2e7d32", "protect": "#1565c0", "reprice": "#ef6c00",
                    "exit": "#c62828"}
TOP_N = 15


def render_master_scale(scale: MasterScale, table: pd.DataFrame) -> None:
    """Show the master scale with the number of clients and the EAD in each grade."""
    st.subheader(t("risk_page.scale.heading"))
    grades = scale.table()
    by_grade = table.groupby("grade").agg(clients=("client_id", "size"),
                                          ead=("ead", "sum"))
    grades = grades.join(by_grade, on="grade")
    grades[["clients", "ead"]] = grades[["clients", "ead"]].fillna(0)
    left, right = st.columns([2, 3])
    with left:
        st.dataframe(
            grades, hide_index=True, width="stretch", height=420, key="risk_scale",
            column_config={
                "grade": t("risk_page.col.grade"),
                "pd": st.column_config.NumberColumn(t("risk_page.col.pd"),
                                                    format="percent"),
                "pd_lower": st.column_config.NumberColumn(t("risk_page.col.pd_lower"),
                                                          format="percent"),
                "pd_upper": st.column_config.NumberColumn(t("risk_page.col.pd_upper"),
                                                          format="percent"),
                "clients": st.column_config.NumberColumn(t("risk_page.col.clients"),
                                                         format="%d"),
                "ead": st.column_config.NumberColumn(t("risk_page.col.ead"),
                                                     format="%,.0f"),
            })
    with right:
        figure = px.bar(grades, x="grade", y="ead",
                        labels={"grade": t("risk_page.col.grade"),
                                "ead": t("risk_page.col.ead")})
        st.plotly_chart(figure, width="stretch", key="risk_scale_bar")
    st.caption(t("risk_page.scale.caption"))



def render_kpis(table: pd.DataFrame, hurdle: float) -> None:
    exposed = table[table["ead"] > 0]
    book_raroc = portfolio_raroc(table)
    below = int((exposed["raroc"] < hurdle).sum())
    cards = st.columns(3) + st.columns(3)
    cards[0].metric(t("risk_page.kpi.clients"), f"{len(exposed):,}")
    cards[1].metric(t("risk_page.kpi.ead"), fmt_money(exposed["ead"].sum()))
    cards[2].metric(t("risk_page.kpi.el"), fmt_money(table["el"].sum()))
    cards[3].metric(t("risk_page.kpi.capital"), fmt_money(table["capital"].sum()))
    cards[4].metric(t("risk_page.kpi.raroc"), f"{book_raroc:.1%}",
                    delta=f"{book_raroc - hurdle:+.1%}",
                    help=t("risk_page.kpi.raroc_help", hurdle=f"{hurdle:.1%}"))
    cards[5].metric(t("risk_page.kpi.below_hurdle"), f"{below:,}")


def capital_basis(table: pd.DataFrame) -> pd.Series:
    """Label each client's capital: IRB, or slotting with its category."""
    labels = pd.Series(t("risk_page.basis.irb"), index=table.index)
    if "slotting_risk_weight" in table.columns:
        slotted = table["slotting_risk_weight"].notna()
        labels[slotted] = [t("risk_page.basis.slotting",
                             category=t(f"risk_page.slotting.{category}"))
                           for category in table.loc[slotted, "slotting_category"]]
    return labels


def render_risk_table(table: pd.DataFrame, hurdle: float) -> None:
    """Show the KPIs and one row per client with PD, EL, capital and RAROC."""
    st.subheader(t("risk_page.return.table_heading"))
    render_kpis(table, hurdle)
    shown = table.assign(
        pd_source_label=table["pd_source"].map(
            lambda source: t(f"risk_page.pd_source.{source}")),
        basis=capital_basis(table),
        quadrant_label=table["quadrant"].map(
            lambda q: t(f"risk.quadrant.{q}") if isinstance(q, str) else ""))
    shown = shown.assign(sector=shown["sector"].map(lambda v: label_of("sector", v)))
    columns = ["client_id", "name", "sector", "rating", "grade", "pd",
               "pd_source_label", "lgd", "ead", "el", "basis", "capital", "revenue",
               "raroc", "economic_profit", "clv", "risk_adjusted_clv", "quadrant_label"]
    client_table(
        shown[columns], hide_index=True, width="stretch", height=420,
        key="risk_table",
        column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "sector": t("col.sector"), "rating": t("risk_page.col.rating"),
            "grade": t("risk_page.col.grade"),
            "pd": st.column_config.NumberColumn(t("risk_page.col.pd"),
                                                format="percent"),
            "pd_source_label": t("risk_page.col.pd_source"),
            "lgd": st.column_config.NumberColumn(t("risk_page.col.lgd"),
                                                 format="percent"),
            "ead": st.column_config.NumberColumn(t("risk_page.col.ead"),
                                                 format="%,.0f"),
            "el": st.column_config.NumberColumn(t("risk_page.col.el"), format="%,.0f"),
            "basis": t("risk_page.col.basis"),
            "capital": st.column_config.NumberColumn(t("risk_page.col.capital"),
                                                     format="%,.0f"),
            "revenue": st.column_config.NumberColumn(t("risk_page.col.revenue"),
                                                     format="%,.0f"),
            "raroc": st.column_config.NumberColumn(t("risk_page.col.raroc"),
                                                   format="percent"),
            "economic_profit": st.column_config.NumberColumn(
                t("risk_page.col.economic_profit"), format="%,.0f"),
            "clv": st.column_config.NumberColumn(t("col.clv"), format="%,.0f"),
            "risk_adjusted_clv": st.column_config.NumberColumn(
                t("risk_page.col.risk_adjusted_clv"), format="%,.0f"),
            "quadrant_label": t("risk_page.col.quadrant"),
        })
    counts = table["pd_source"].value_counts()
    st.caption(t("risk_page.return.pd_sources",
                 scorecard=int(counts.get("scorecard", 0)),
                 rating=int(counts.get("rating", 0)),
                 default=int(counts.get("default", 0)),
                 none=int(counts.get("none", 0))))


def render_rankings(table: pd.DataFrame, has_clv: bool) -> None:
    """Show the top clients by RAROC and by risk-adjusted CLV side by side.

    A client with a small exposure and a large fee can have a RAROC of thousands
    of percent, so the rankings start from a minimum EAD (default: the median EAD
    of the clients with exposure).
    """
    exposed = table.loc[table["ead"] > 0, "ead"]
    median = float(exposed.median() / 1e6) if len(exposed) else 0.0
    minimum = st.columns(3)[0].number_input(
        t("risk_page.rank.min_ead"), min_value=0.0, value=round(median, 1), step=1.0,
        key="risk_rank_min_ead")
    table = table[table["ead"] >= minimum * 1e6]
    st.caption(t("risk_page.rank.caption", clients=len(table)))
    left, right = st.columns(2)
    config = {"name": t("col.name"),
              "raroc": st.column_config.NumberColumn(t("risk_page.col.raroc"),
                                                     format="percent"),
              "risk_adjusted_clv": st.column_config.NumberColumn(
                  t("risk_page.col.risk_adjusted_clv"), format="%,.0f"),
              "ead": st.column_config.NumberColumn(t("risk_page.col.ead"),
                                                   format="%,.0f")}
    with left:
        st.subheader(t("risk_page.rank.raroc", count=TOP_N))
        top = table.dropna(subset=["raroc"]).nsmallest(TOP_N, "raroc_rank")
        client_table(top[["client_id", "name", "raroc", "ead"]],
                     column_order=["name", "raroc", "ead"],
                     hide_index=True, width="stretch", column_config=config,
                     key="risk_rank_raroc")
    with right:
        st.subheader(t("risk_page.rank.clv", count=TOP_N))
        if not has_clv:
            st.info(t("risk_page.rank.no_clv"))
            return
        top = table.dropna(subset=["risk_adjusted_clv"]).nsmallest(TOP_N,
                                                                   "clv_rank")
        client_table(top[["client_id", "name", "risk_adjusted_clv", "raroc"]],
                     column_order=["name", "risk_adjusted_clv", "raroc"],
                     hide_index=True, width="stretch", column_config=config,
                     key="risk_rank_clv")


def risk_return_figure(table: pd.DataFrame, hurdle: float) -> tuple[go.Figure, str]:
    """Return the PD-RAROC bubble chart and a caption on clipped points.

    RAROC of a client with little capital can reach thousands of percent. The y
    axis therefore stops at Tukey's fences, the quartiles -/+ 1.5 interquartile
    ranges (at least -10% to three times the hurdle). Points beyond sit on its edge.
    """
    data = table.dropna(subset=["raroc", "pd"])
    data = data[data["pd"] > 0].copy()
    low, high = -0.1, 3 * hurdle
    if len(data):
        q1, q3 = np.quantile(data["raroc"], [0.25, 0.75])
        low = min(q1 - 1.5 * (q3 - q1), low)
        high = max(q3 + 1.5 * (q3 - q1), high)
        low = max(low, float(data["raroc"].min()))
    data["raroc_shown"] = data["raroc"].clip(low, high)
    data["quadrant_label"] = data["quadrant"].map(lambda q: t(f"risk.quadrant.{q}"))
    colours = {t(f"risk.quadrant.{q}"): QUADRANT_COLOURS[q] for q in QUADRANTS}

    figure = px.scatter(
        data, x="pd", y="raroc_shown", size="ead", color="quadrant_label",
        color_discrete_map=colours, log_x=True, size_max=40,
        category_orders={"quadrant_label": list(colours)},
        hover_name="name",
        hover_data={"pd": ":.2%", "raroc": ":.1%", "ead": ":,.0f",
                    "raroc_shown": False, "quadrant_label": False},
        labels={"pd": t("risk_page.col.pd"), "raroc_shown": t("risk_page.col.raroc"),
                "raroc": t("risk_page.col.raroc"), "ead": t("risk_page.col.ead"),
                "quadrant_label": t("risk_page.col.quadrant")})
    figure.update_yaxes(tickformat=".0%", range=[low - 0.05, high + 0.05])
    figure.update_xaxes(tickformat=".3~%")
    figure.add_hline(y=hurdle, line_dash="dash",
                     annotation_text=t("risk_page.chart.hurdle",
                                       hurdle=f"{hurdle:.0%}"))
    threshold = table.attrs.get("pd_threshold", float(table["pd"].median()))
    figure.add_vline(x=threshold, line_dash="dot")
    _label_quadrants(figure)
    figure.update_layout(legend_title_text="", margin={"t": 30}, height=520)

    clipped = int((data["raroc"] != data["raroc_shown"]).sum())
    caption = t("risk_page.return.scatter_caption", threshold=f"{threshold:.2%}",
                clipped=clipped, low=f"{low:.0%}", high=f"{high:.0%}")
    return figure, caption


def _label_quadrants(figure: go.Figure) -> None:
    corners = {"grow": (0.01, 0.99, "left", "top"),
               "protect": (0.99, 0.99, "right", "top"),
               "reprice": (0.01, 0.01, "left", "bottom"),
               "exit": (0.99, 0.01, "right", "bottom")}
    for quadrant, (x, y, xanchor, yanchor) in corners.items():
        figure.add_annotation(x=x, y=y, xref="paper", yref="paper", showarrow=False,
                              xanchor=xanchor, yanchor=yanchor,
                              text=f"<b>{t(f'risk.quadrant.{quadrant}')}</b>",
                              font={"color": QUADRANT_COLOURS[quadrant], "size": 14})


def psi_view(report: ScorecardReport, development: pd.DataFrame,
             book: pd.DataFrame) -> None:
    """Show the PSI of the score and of each variable, development sample vs book."""
    st.subheader(t("risk_page.psi.heading"))
    summary, _ = variable_psi(report.model.binner_, development, book)
    score_psi = psi(report.model.score_points(development), book["score"])
    st.metric(t("risk_page.psi.score"), f"{score_psi:.3f}",
              help=psi_band_label(psi_band(score_psi)))
    summary["band_label"] = summary["band"].map(psi_band_label)
    summary["in_model"] = summary["variable"].isin(report.model.selected_variables_)
    summary["variable"] = summary["variable"].map(variable_label)
    st.dataframe(
        summary[["variable", "psi", "band_label", "in_model", "n_unseen"]],
        hide_index=True, width="stretch", key="risk_psi",
        column_config={
            "variable": t("risk_page.col.variable"),
            "psi": st.column_config.NumberColumn(t("risk_page.col.psi"), format="%.3f"),
            "band_label": t("risk_page.col.psi_band"),
            "in_model": st.column_config.CheckboxColumn(t("risk_page.col.in_model")),
            "n_unseen": st.column_config.NumberColumn(t("risk_page.col.n_unseen"),
                                                      format="%d"),
        })
    st.caption(t("risk_page.psi.caption", development=len(development),
                 current=len(book)))
