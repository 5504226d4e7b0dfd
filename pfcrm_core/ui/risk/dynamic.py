"""Views of dynamic risk: rating migration, the watchlist and stress scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ...errors import ModelError
from ...risk import StressScenario, migration_matrix, stress_test, watchlist
from ..client_table import client_table
from ..context import error_text, fmt_money, label_of, t

DEFAULT_PD_MULTIPLIER = 1.5
DEFAULT_LGD_SHOCK_PP = 10.0
WATCHLIST_REASONS = ("downgrade", "pd_ratio", "pd_increase", "default")


def select_dates(credit: pd.DataFrame):
    """Let the user pick the start and end dates among the credit as-of dates.

    Returns ``(start, end)``, or None (with a message) when there are fewer than
    two dates.
    """
    dates = sorted(pd.to_datetime(credit["as_of"]).dt.date.unique())
    if len(dates) < 2:
        st.info(t("risk_page.migration.one_date"))
        return None
    left, right = st.columns(2)
    start = left.selectbox(t("risk_page.migration.start"), dates,
                           index=len(dates) - 2, key="risk_mig_start")
    end = right.selectbox(t("risk_page.migration.end"), dates, index=len(dates) - 1,
                          key="risk_mig_end")
    return start, end


def migration_figure(matrix) -> go.Figure:
    """Heatmap of the shares of each start grade, with share and count in each cell."""
    shares, counts = matrix.shares, matrix.counts
    text = [[f"{share:.0%}<br>({count})" if count else "" for share, count in
             zip(share_row, count_row)]
            for share_row, count_row in zip(shares.to_numpy(), counts.to_numpy())]
    columns = [t("risk_page.migration.not_rated") if c == "NR" else c
               for c in shares.columns]
    figure = go.Figure(go.Heatmap(
        z=shares.to_numpy(), x=columns, y=list(shares.index), text=text,
        texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=1,
        colorbar={"tickformat": ".0%"},
        hovertemplate=(f"{t('risk_page.migration.from')}: %{{y}}<br>"
                       f"{t('risk_page.migration.to')}: %{{x}}<br>"
                       f"{t('risk_page.migration.share')}: %{{z:.1%}}<extra></extra>")))
    figure.update_yaxes(autorange="reversed", title=t("risk_page.migration.from"))
    figure.update_xaxes(side="top", title=t("risk_page.migration.to"))
    figure.update_layout(height=560, margin={"t": 60})
    return figure


def render_migration(credit: pd.DataFrame, dates) -> None:
    """Show the migration matrix between the two dates."""
    st.subheader(t("risk_page.migration.heading"))
    start, end = dates
    try:
        matrix = migration_matrix(credit, start, end)
    except ModelError as exc:
        st.warning(error_text(exc))
        return
    st.plotly_chart(migration_figure(matrix), width="stretch", key="risk_migration")
    moved = matrix.counts.to_numpy()
    total = int(moved.sum())
    columns = list(matrix.counts.columns)
    rows = list(matrix.counts.index)
    stayed = sum(int(matrix.counts.loc[g, g]) for g in rows if g in columns)
    st.caption(t("risk_page.migration.caption", clients=total, stayed=stayed,
                 start=str(start), end=str(end)))


def render_watchlist(credit: pd.DataFrame, clients: pd.DataFrame, dates) -> None:
    """List the clients downgraded, with a PD jump or in default, with reasons."""
    st.subheader(t("risk_page.watchlist.heading"))
    start, end = dates
    try:
        listed = watchlist(credit, start, end)
    except ModelError as exc:
        st.warning(error_text(exc))
        return
    st.caption(t("risk_page.watchlist.rule"))
    if listed.empty:
        st.success(t("risk_page.watchlist.empty"))
        return
    names = clients.set_index("client_id")["name"]
    listed = listed.assign(
        name=listed["client_id"].map(names),
        reason_text=listed["reasons"].map(_reason_text))
    client_table(
        listed[["client_id", "name", "rating_start", "rating_end", "notches_down",
                "pd_start", "pd_end", "pd_ratio", "reason_text"]],
        hide_index=True, width="stretch", key="risk_watchlist",
        column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "rating_start": t("risk_page.col.rating_start"),
            "rating_end": t("risk_page.col.rating_end"),
            "notches_down": st.column_config.NumberColumn(
                t("risk_page.col.notches_down"), format="%d"),
            "pd_start": st.column_config.NumberColumn(t("risk_page.col.pd_start"),
                                                      format="percent"),
            "pd_end": st.column_config.NumberColumn(t("risk_page.col.pd_end"),
                                                    format="percent"),
            "pd_ratio": st.column_config.NumberColumn(t("risk_page.col.pd_ratio"),
                                                      format="%.1f×"),
            "reason_text": t("risk_page.col.reasons"),
        })
    st.caption(t("risk_page.watchlist.count", count=len(listed)))


def _reason_text(reasons: str) -> str:
    codes = [code.strip() for code in str(reasons).split(",") if code.strip()]
    return "; ".join(t(f"risk_page.reason.{code}") for code in codes
                     if code in WATCHLIST_REASONS)


def scenario_inputs(sectors: list[str]) -> StressScenario:
    """Draw the editable PD multipliers by sector and the LGD shock."""
    st.caption(t("risk_page.stress.intro"))
    left, right = st.columns([3, 1])
    defaults = pd.DataFrame({"sector": sectors,
                             "pd_multiplier": DEFAULT_PD_MULTIPLIER})
    with left:
        edited = st.data_editor(
            defaults, hide_index=True, width="stretch", key="risk_stress_table",
            disabled=["sector"],
            column_config={
                "sector": t("col.sector"),
                "pd_multiplier": st.column_config.NumberColumn(
                    t("risk_page.stress.multiplier"), min_value=0.0, max_value=20.0,
                    step=0.1, format="%.2f"),
            })
    shock = right.number_input(t("risk_page.stress.lgd_shock"), min_value=-50.0,
                               max_value=50.0, value=DEFAULT_LGD_SHOCK_PP, step=1.0,
                               key="risk_lgd_shock")
    multipliers = {str(row.sector): float(row.pd_multiplier)
                   for row in edited.itertuples()
                   if pd.notna(row.pd_multiplier)}
    return StressScenario(name="page", pd_multiplier=multipliers,
                          lgd_shock_pp=float(shock))


def render_stress(book: pd.DataFrame, hurdle: float, cost_income: float) -> None:
    """Apply the scenario and show the change in EL, capital and RAROC."""
    st.subheader(t("risk_page.stress.heading"))
    sectors = sorted(book["sector"].dropna().astype(str).unique())
    scenario = scenario_inputs(sectors)
    result = stress_test(book, scenario, cost_income_ratio=cost_income, hurdle=hurdle)
    totals = result.totals
    cards = st.columns(3)
    for card, metric in zip(cards, ("el", "capital")):
        card.metric(t(f"risk_page.stress.{metric}"),
                    fmt_money(totals.loc[metric, "stressed"]),
                    delta=fmt_money(totals.loc[metric, "change"]),
                    delta_color="inverse")
    cards[2].metric(t("risk_page.stress.raroc"),
                    f"{totals.loc['raroc', 'stressed']:.1%}",
                    delta=f"{totals.loc['raroc', 'change']:+.1%}")
    st.caption(t("risk_page.stress.base", el=fmt_money(totals.loc["el", "base"]),
                 capital=fmt_money(totals.loc["capital", "base"]),
                 raroc=f"{totals.loc['raroc', 'base']:.1%}"))

    clients = result.clients.merge(book[["client_id", "name"]], on="client_id",
                                   how="left")
    clients = clients.sort_values("el_change", ascending=False, key=np.abs)
    clients["sector"] = clients["sector"].map(lambda v: label_of("sector", v))
    client_table(
        clients[["client_id", "name", "sector", "pd_base", "pd_stressed", "el_base",
                 "el_stressed", "el_change", "capital_change", "raroc_base",
                 "raroc_stressed"]],
        hide_index=True, width="stretch", height=380, key="risk_stress_clients",
        column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "sector": t("col.sector"),
            "pd_base": st.column_config.NumberColumn(t("risk_page.col.pd_base"),
                                                     format="percent"),
            "pd_stressed": st.column_config.NumberColumn(
                t("risk_page.col.pd_stressed"), format="percent"),
            "el_base": st.column_config.NumberColumn(t("risk_page.col.el_base"),
                                                     format="%,.0f"),
            "el_stressed": st.column_config.NumberColumn(
                t("risk_page.col.el_stressed"), format="%,.0f"),
            "el_change": st.column_config.NumberColumn(t("risk_page.col.el_change"),
                                                       format="%,.0f"),
            "capital_change": st.column_config.NumberColumn(
                t("risk_page.col.capital_change"), format="%,.0f"),
            "raroc_base": st.column_config.NumberColumn(t("risk_page.col.raroc_base"),
                                                        format="percent"),
            "raroc_stressed": st.column_config.NumberColumn(
                t("risk_page.col.raroc_stressed"), format="percent"),
        })
