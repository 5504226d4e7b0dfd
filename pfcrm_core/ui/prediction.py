"""The prediction content of the Automation & Prediction page.

``render_prediction`` draws the next-deal ranking, its back-test and the
quarterly fee forecast. Fits are cached on the database file, its
``data_version`` and the settings. Results are read-only once computed, so
sessions share them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..export import to_csv_bytes
from ..prediction import (FeeForecast, NextDealResult, PredictionError, forecast_fees,
                          predict_next_deal)
from ..store import Store
from .cache import cached_table
from .client_table import client_table
from .context import error_text, fmt_money, label_of, labeller, language, t
from .prediction_method import render_method

TABLES = ("clients", "deals", "revenue", "interactions", "feedback", "credit")
HORIZON_MONTHS = 6
QUARTERS_AHEAD = 4
FEE_KINDS = ("fee", "all")
ACTUAL_COLOUR = "#1f4e79"
FORECAST_COLOUR = "#d35400"
# Back-test coverage below these shares (10 points under each level) is reported
# as intervals that understate the uncertainty.
NARROW_COVERAGE = {80: 0.70, 95: 0.85}


@st.cache_resource(show_spinner=False, max_entries=4)
def _next_deal_cached(path: str, version: tuple, horizon_months: int) -> NextDealResult:
    store = Store(path)
    tables = {name: store.read_table(name) for name in TABLES}
    return predict_next_deal(tables, horizon_months=horizon_months)


@st.cache_resource(show_spinner=False, max_entries=8)
def _fees_cached(path: str, version: tuple, kind: str | None,
                 quarters_ahead: int) -> FeeForecast:
    store = Store(path)
    tables = {name: store.read_table(name) for name in ("revenue", "deals")}
    return forecast_fees(tables, quarters_ahead=quarters_ahead, kind=kind)


def cached_next_deal(store: Store) -> NextDealResult:
    """Fit (or reuse) the next-deal model on the store."""
    with st.spinner(t("prediction.fitting")):
        return _next_deal_cached(str(store.path), store.data_version(), HORIZON_MONTHS)


def cached_fees(store: Store, kind: str | None) -> FeeForecast:
    """Fit (or reuse) the fee forecast on the store's revenue of ``kind``."""
    return _fees_cached(str(store.path), store.data_version(), kind, QUARTERS_AHEAD)


def render_prediction(store: Store) -> None:
    """Draw the next-deal ranking, its validation, the fee forecast and the method."""
    st.subheader(t("prediction.title"))
    try:
        result = cached_next_deal(store)
    except PredictionError as exc:
        result = None
        st.info(error_text(exc))

    ranking_tab, validation_tab, fees_tab = st.tabs([
        t("prediction.tab.ranking"), t("prediction.tab.validation"),
        t("prediction.tab.fees")])
    with ranking_tab:
        if result is not None:
            _render_ranking(store, result)
    with validation_tab:
        if result is not None:
            _render_validation(result)
    with fees_tab:
        forecast = _render_fees(store)
    render_method(result, forecast, HORIZON_MONTHS, QUARTERS_AHEAD)


# Next-deal ranking --------------------------------------------------------------


def ranking_table(result: NextDealResult, clients: pd.DataFrame,
                  lang: str) -> pd.DataFrame:
    """Return the scored clients with name, probability in percent and reasons."""
    names = clients.set_index("client_id")["name"] if "name" in clients else None
    table = result.scores[["client_id", "client_type", "probability"]].copy()
    table.insert(0, "rank", range(1, len(table) + 1))
    table.insert(2, "name", table["client_id"].map(names) if names is not None
                 else table["client_id"])
    table["name"] = table["name"].fillna(table["client_id"])
    table["probability"] = 100 * table["probability"]
    texts = [[reason.text(lang) for reason in reasons]
             for reasons in result.scores["reasons"]]
    for i in range(3):
        table[f"reason_{i + 1}"] = [row[i] if len(row) > i else "" for row in texts]
    return table


def _render_ranking(store: Store, result: NextDealResult) -> None:
    scores = result.scores
    st.caption(t("prediction.ranking.caption", horizon=result.horizon_months,
                  as_of=f"{result.as_of:%Y-%m-%d}"))
    columns = st.columns(4)
    columns[0].metric(t("prediction.kpi.clients"), f"{len(scores):,}")
    expected = scores["probability"].sum()
    columns[1].metric(t("prediction.kpi.expected"), f"{expected:,.0f}",
                      help=t("prediction.kpi.expected_help",
                             horizon=result.horizon_months))
    columns[2].metric(t("prediction.kpi.auc"), f"{result.validation.pooled_auc:.2f}")
    columns[3].metric(t("prediction.kpi.lift"),
                      f"{result.validation.top_decile_lift:.1f}×")

    types = sorted(scores["client_type"].dropna().unique())
    chosen = st.multiselect(t("prediction.filter.client_type"), options=types,
                            default=types, format_func=labeller("client_type"),
                            key="prediction_client_types")
    top = st.slider(t("prediction.filter.top"), min_value=10, max_value=100, value=20,
                    step=10, key="prediction_top")

    table = ranking_table(result, cached_table(store, "clients"), language())
    table = table[table["client_type"].isin(chosen)].head(top)
    table["client_type"] = table["client_type"].map(
        lambda value: label_of("client_type", value))
    # Tall enough for 20 rows, so a longer list scrolls inside the table.
    height = min(len(table), 20) * 35 + 38
    # The client id stays in the frame, hidden, so a selected row opens the profile.
    config = _ranking_columns()
    client_table(table, key="prediction_ranking", column_order=list(config),
                 hide_index=True, width="stretch", height=height, column_config=config)
    st.download_button(t("prediction.download"), to_csv_bytes(table),
                       file_name="next_deal_probability.csv", mime="text/csv",
                       key="prediction_download")


def _ranking_columns() -> dict:
    return {
        "rank": st.column_config.NumberColumn(t("prediction.col.rank"), format="%d"),
        "name": t("prediction.col.name"),
        "client_type": t("prediction.col.client_type"),
        "probability": st.column_config.ProgressColumn(
            t("prediction.col.probability"), format="%.0f%%", min_value=0,
            max_value=100),
        "reason_1": t("prediction.col.reason_1"),
        "reason_2": t("prediction.col.reason_2"),
        "reason_3": t("prediction.col.reason_3"),
    }


# Validation ---------------------------------------------------------------------


def _render_validation(result: NextDealResult) -> None:
    validation = result.validation
    st.caption(t("prediction.validation.caption", cutoffs=len(validation.by_cutoff),
                 horizon=result.horizon_months))
    columns = st.columns(4)
    columns[0].metric(t("prediction.kpi.auc"), f"{validation.pooled_auc:.3f}")
    columns[1].metric(t("prediction.kpi.brier"), f"{validation.brier:.3f}")
    columns[2].metric(t("prediction.kpi.base_rate"),
                      f"{100 * validation.base_rate:.1f}%")
    columns[3].metric(t("prediction.kpi.lift"), f"{validation.top_decile_lift:.2f}×")

    by_cutoff = validation.by_cutoff.assign(
        cutoff=validation.by_cutoff["cutoff"].dt.strftime("%Y-%m-%d"))
    st.dataframe(by_cutoff[["cutoff", "train_cutoffs", "clients", "new_deals",
                            "mean_predicted", "observed_rate", "auc", "brier"]],
                 hide_index=True, width="stretch", key="prediction_by_cutoff",
                 column_config=_cutoff_columns())
    left, right = st.columns(2)
    with left:
        st.plotly_chart(_calibration_figure(validation.calibration), width="stretch",
                        key="prediction_calibration")
    with right:
        st.plotly_chart(_lift_figure(validation.lift), width="stretch",
                        key="prediction_lift")


def _cutoff_columns() -> dict:
    share = "%.3f"
    return {
        "cutoff": t("prediction.col.cutoff"),
        "train_cutoffs": t("prediction.col.train_cutoffs"),
        "clients": t("prediction.col.clients"),
        "new_deals": t("prediction.col.new_deals"),
        "mean_predicted": st.column_config.NumberColumn(
            t("prediction.col.mean_predicted"), format=share),
        "observed_rate": st.column_config.NumberColumn(
            t("prediction.col.observed_rate"), format=share),
        "auc": st.column_config.NumberColumn(t("prediction.kpi.auc"), format=share),
        "brier": st.column_config.NumberColumn(t("prediction.kpi.brier"), format=share),
    }


def _calibration_figure(calibration: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines",
                                line={"dash": "dot", "color": "grey"},
                                name=t("prediction.chart.perfect")))
    figure.add_trace(go.Scatter(x=calibration["mean_predicted"],
                                y=calibration["observed_rate"], mode="lines+markers",
                                name=t("prediction.chart.deciles")))
    figure.update_layout(title=t("prediction.chart.calibration"),
                         xaxis_title=t("prediction.col.mean_predicted"),
                         yaxis_title=t("prediction.col.observed_rate"),
                         xaxis_range=[0, 1], yaxis_range=[0, 1],
                         legend={"orientation": "h", "y": -0.25})
    return figure


def _lift_figure(lift: pd.DataFrame) -> go.Figure:
    figure = go.Figure(go.Bar(x=lift["decile"], y=lift["lift"],
                              name=t("prediction.chart.lift")))
    figure.add_hline(y=1.0, line_dash="dot", line_color="grey")
    figure.update_layout(title=t("prediction.chart.lift_title"),
                         xaxis_title=t("prediction.chart.decile"),
                         yaxis_title=t("prediction.chart.lift"),
                         xaxis={"dtick": 1})
    return figure


# Fee forecast -------------------------------------------------------------------


def _render_fees(store: Store) -> FeeForecast | None:
    choice = st.radio(t("prediction.fees.kind"), options=list(FEE_KINDS),
                      format_func=labeller("prediction.fees.kind"), horizontal=True,
                      key="prediction_fee_kind")
    try:
        forecast = cached_fees(store, None if choice == "all" else choice)
    except PredictionError as exc:
        st.info(error_text(exc))
        return None

    next_quarter = forecast.forecast.iloc[0]
    st.caption(t("prediction.fees.caption", quarters=len(forecast.history),
                 as_of=f"{forecast.as_of:%Y-%m-%d}",
                 model=label_of("prediction.fees.model", forecast.chosen_model),
                 candidates=len(forecast.candidates)))
    columns = st.columns(4)
    columns[0].metric(t("prediction.fees.next", quarter=str(next_quarter["quarter"])),
                      fmt_money(next_quarter["forecast"]))
    columns[1].metric(t("prediction.fees.mape"), f"{forecast.mape:.1f}%",
                      help=t("prediction.fees.naive_mape",
                             value=f"{forecast.naive_mape:.1f}"))
    columns[2].metric(t("prediction.fees.mase"), f"{forecast.mase:.2f}",
                      help=t("prediction.fees.mase_help",
                             value=f"{forecast.naive_mase:.2f}"))
    coverage = f"{_percent(forecast.coverage_80)} / {_percent(forecast.coverage_95)}"
    columns[3].metric(t("prediction.fees.coverage"), coverage,
                      help=t("prediction.fees.coverage_help",
                             checked=forecast.coverage_checked))
    _render_fee_findings(forecast)
    st.plotly_chart(_forecast_figure(forecast), width="stretch",
                    key="prediction_fees_chart")
    st.dataframe(_forecast_rows(forecast), hide_index=True, width="stretch",
                 key="prediction_fees_table")
    for note in forecast.notes:
        st.caption(note.message(language()))
    return forecast


def _render_fee_findings(forecast: FeeForecast) -> None:
    # Say what the back-test found whenever it limits how far to trust the forecast.
    if forecast.chosen_model == "seasonal_naive":
        st.info(t("prediction.fees.naive_chosen"))
    elif forecast.selection_mase >= forecast.naive_mase:
        st.warning(t("prediction.fees.selection_weak",
                     selection=f"{forecast.selection_mase:.2f}",
                     naive=f"{forecast.naive_mase:.2f}"))
    if (forecast.coverage_80 < NARROW_COVERAGE[80]
            or forecast.coverage_95 < NARROW_COVERAGE[95]):
        st.warning(t("prediction.fees.narrow",
                     coverage_80=_percent(forecast.coverage_80),
                     coverage_95=_percent(forecast.coverage_95),
                     checked=forecast.coverage_checked))


def _percent(value: float) -> str:
    return "–" if value != value else f"{100 * value:.0f}%"


def _forecast_figure(forecast: FeeForecast) -> go.Figure:
    history, ahead = forecast.history, forecast.forecast
    figure = go.Figure()
    for level, opacity in ((95, 0.15), (80, 0.3)):
        upper = list(ahead[f"upper_{level}"] / 1e6)
        lower = list(ahead[f"lower_{level}"] / 1e6)
        figure.add_trace(go.Scatter(
            x=list(ahead["quarter_start"]) + list(ahead["quarter_start"])[::-1],
            y=upper + lower[::-1],
            fill="toself", mode="none", fillcolor=f"rgba(230,126,34,{opacity})",
            name=t("prediction.chart.interval", level=level)))
    figure.add_trace(go.Scatter(x=history["quarter_start"], y=history["income"] / 1e6,
                                mode="lines+markers", line={"color": ACTUAL_COLOUR},
                                name=t("prediction.chart.actual")))
    figure.add_trace(go.Scatter(
        x=[history["quarter_start"].iloc[-1], *ahead["quarter_start"]],
        y=[history["income"].iloc[-1] / 1e6, *(ahead["forecast"] / 1e6)],
        mode="lines+markers", line={"dash": "dash", "color": FORECAST_COLOUR},
        name=t("prediction.chart.forecast")))
    figure.update_layout(title=t("prediction.chart.fees_title"),
                         yaxis_title=t("prediction.chart.usd_m"), xaxis_title="",
                         legend={"orientation": "h", "y": -0.2})
    return figure


def _forecast_rows(forecast: FeeForecast) -> pd.DataFrame:
    # One unit (USD millions) for every cell, as on the chart's axis.
    rows = forecast.forecast
    table = pd.DataFrame({t("prediction.col.quarter"): rows["quarter"].astype(str)})
    labels = {"forecast": "prediction.chart.forecast",
              "lower_80": "prediction.col.lower_80",
              "upper_80": "prediction.col.upper_80",
              "lower_95": "prediction.col.lower_95",
              "upper_95": "prediction.col.upper_95"}
    unit = t("prediction.chart.usd_m")
    for column, key in labels.items():
        table[f"{t(key)} ({unit})"] = (rows[column] / 1e6).round(1)
    return table
