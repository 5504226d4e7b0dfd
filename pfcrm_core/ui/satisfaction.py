"""The Satisfaction & Loyalty page's cached fits, labels, figures and method section.

Fits are cached on the database file, its ``data_version`` and the settings, so a
new import or a change to a follow-up case refits on the next run. Results are
read-only once computed, so sessions share them.
"""

from __future__ import annotations

import logging
from datetime import date

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from ..errors import ModelError
from ..feedback import chinese_model
from ..network import staff_client_strength
from ..satisfaction import (AttritionResult, DriverResult, SatisfactionError,
                            attrition_labels, client_attributes, default_tiers,
                            fit_attrition, fit_drivers, satisfaction_table,
                            satisfaction_trend)
from ..satisfaction import attrition, loyalty, metrics
from ..store import Store
from .cache import cached_table
from .context import label_of, language, t
from . import segments as seg

logger = logging.getLogger(__name__)

GROUPINGS = ("all", "client", "segment", "client_type", "region", "sector", "period")
SPLITS = ("none", "segment", "client_type", "region")
CATEGORY_PREFIXES = {"client_type": "client_type", "region": "region",
                     "sector": "sector"}
NUMERIC_DRIVERS = ("tenure_years", "rating_notch", "log_exposure_musd",
                   "interactions_12m", "csat")
SIGNIFICANCE = 0.05
BACKTEST_MONTHS = (0, 6, 12)


# Book -------------------------------------------------------------------------


def feedback_table(store: Store) -> pd.DataFrame:
    """Return the stored survey responses (one row per response)."""
    return cached_table(store, "feedback")


def data_end(store: Store) -> pd.Timestamp | None:
    """Return the latest revenue, interaction or response date, None without one."""
    ends = []
    for name in ("revenue", "interactions", "feedback"):
        dates = pd.to_datetime(cached_table(store, name)["date"]).dropna()
        if not dates.empty:
            ends.append(dates.max())
    return max(ends).normalize() if ends else None


def activity_start(store: Store) -> pd.Timestamp | None:
    """Return the earliest revenue or interaction date, None without one."""
    starts = []
    for name in ("revenue", "interactions"):
        dates = pd.to_datetime(cached_table(store, name)["date"]).dropna()
        if not dates.empty:
            starts.append(dates.min())
    return min(starts).normalize() if starts else None


def segment_map(store: Store, lang: str) -> tuple[pd.Series | None, str | None]:
    """Return the segment label per client from the Segments page's default fit.

    The fit (k-means, automatic k, at the book's latest date) shares its cache
    with the Segments page. Returns None and the reason when it cannot be made.
    """
    as_of = seg.book_as_of(store)
    if as_of is None:
        return None, t("satisfaction_page.segment.unavailable")
    clv, _ = seg.clv_for_segments(store, as_of.date())
    try:
        result = seg.segment_result(store, method="kmeans", k=None,
                                    as_of=as_of.date(), nps="latest", clv=clv)
    except ModelError as exc:
        logger.info("grouping satisfaction without segments: %s", exc)
        return None, str(exc)
    labels = seg.segment_labels(result.profiles, "kmeans", lang)
    return result.labels.map(labels).rename("segment"), None


# Metrics and trends -------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _metric_table(path: str, version: tuple, by: tuple, period: str,
                  cycle: str | None, csat_method: str, segments_key: str | None,
                  _segments: pd.Series | None) -> pd.DataFrame:
    store = Store(path)
    return satisfaction_table(store.read_table("feedback"), by=list(by) or None,
                              clients=store.read_table("clients"), segments=_segments,
                              period=period, cycle=cycle, csat_method=csat_method)


def metric_table(store: Store, *, grouping: str, period: str, cycle: str | None,
                 csat_method: str, segments: pd.Series | None = None) -> pd.DataFrame:
    """Return NPS, CSAT and CES with n and 95 % intervals for the chosen grouping.

    The group column is renamed ``group`` and contains the label shown to users.
    """
    by = () if grouping == "all" else (grouping,)
    key = None if segments is None else language()
    table = _metric_table(str(store.path), store.data_version(), by, period, cycle,
                          csat_method, key, segments)
    table = table.copy()
    table.insert(0, "group", group_labels(store, grouping, table))
    return table


def group_labels(store: Store, grouping: str, table: pd.DataFrame) -> list[str]:
    """Return the label shown for each row's group value."""
    if grouping == "all":
        return [t("satisfaction_page.group.all_clients")] * len(table)
    if grouping == "client_id" or grouping == "client":
        clients = cached_table(store, "clients").set_index("client_id")["name"]
        return [f"{cid} · {clients.get(cid, '')}" for cid in table["client_id"]]
    values = table[grouping]
    if grouping in CATEGORY_PREFIXES:
        return [label_of(CATEGORY_PREFIXES[grouping], v) if pd.notna(v)
                else t("satisfaction_page.group.missing") for v in values]
    return [str(v) if pd.notna(v) else t("satisfaction_page.group.missing")
            for v in values]


@st.cache_data(show_spinner=False, max_entries=16)
def _trend(path: str, version: tuple, period: str, split: str, cycle: str | None,
           csat_method: str, segments_key: str | None,
           _segments: pd.Series | None) -> pd.DataFrame:
    store = Store(path)
    by = split if split in ("client_type", "region") else None
    return satisfaction_trend(store.read_table("feedback"), period=period,
                              segments=_segments if split == "segment" else None,
                              clients=store.read_table("clients"), by=by,
                              cycle=cycle, csat_method=csat_method)


def trend_table(store: Store, *, period: str, split: str, cycle: str | None,
                csat_method: str, segments: pd.Series | None = None) -> pd.DataFrame:
    """Return the NPS and CSAT series per period with a ``series`` label column."""
    key = None if segments is None else language()
    table = _trend(str(store.path), store.data_version(), period, split, cycle,
                   csat_method, key, segments).copy()
    if split == "none":
        table["series"] = t("satisfaction_page.group.all_clients")
    elif split == "segment":
        table["series"] = table["segment"].fillna(t("satisfaction_page.group.missing"))
    else:
        table["series"] = [label_of(CATEGORY_PREFIXES[split], v) for v in table[split]]
    return table


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def trend_figure(table: pd.DataFrame, metric: str, axis_title: str) -> go.Figure:
    """Draw one line per series with its 95 % interval as a shaded band."""
    figure = go.Figure()
    palette = px.colors.qualitative.Plotly
    for i, (name, part) in enumerate(table.groupby("series", sort=True)):
        colour = palette[i % len(palette)]
        x = part["period_start"]
        figure.add_trace(go.Scatter(x=x, y=part[f"{metric}_ci_high"], mode="lines",
                                    line={"width": 0}, showlegend=False,
                                    hoverinfo="skip", legendgroup=name))
        figure.add_trace(go.Scatter(x=x, y=part[f"{metric}_ci_low"], mode="lines",
                                    line={"width": 0}, fill="tonexty",
                                    fillcolor=_rgba(colour, 0.15), showlegend=False,
                                    hoverinfo="skip", legendgroup=name))
        figure.add_trace(go.Scatter(
            x=x, y=part[metric], mode="lines+markers", name=str(name),
            line={"color": colour}, legendgroup=name,
            customdata=np.stack([part["n"], part["period"]], axis=1),
            hovertemplate="%{customdata[1]}: %{y:.1f} (n = %{customdata[0]})"
                          "<extra>" + str(name) + "</extra>"))
    figure.update_layout(yaxis_title=axis_title, xaxis_title="", height=420,
                         legend={"orientation": "h", "y": -0.15})
    return figure


def interval_figure(table: pd.DataFrame, metric: str, axis_title: str) -> go.Figure:
    """Draw each group's value as a bar with its 95 % interval as an error bar."""
    shown = table.sort_values(metric, ascending=True)
    colours = np.where(shown["small_n"], "#bbbbbb", "#1f77b4")
    figure = go.Figure(go.Bar(
        x=shown[metric], y=shown["group"], orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False,
                 "array": shown[f"{metric}_ci_high"] - shown[metric],
                 "arrayminus": shown[metric] - shown[f"{metric}_ci_low"]},
        customdata=shown["n"],
        hovertemplate="%{y}: %{x:.1f} (n = %{customdata})<extra></extra>"))
    figure.update_layout(xaxis_title=axis_title, yaxis_title="",
                         height=160 + 32 * len(shown))
    return figure


# Drivers ------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _drivers(path: str, version: tuple, target: str, with_csat: bool) -> DriverResult:
    store = Store(path)
    feedback = store.read_table("feedback")
    attributes = client_attributes(store)
    aspects = ["csat"] if with_csat and feedback["csat"].notna().any() else []
    return fit_drivers(feedback, attributes, target=target, aspects=aspects)


def driver_result(store: Store, *, target: str, with_csat: bool) -> DriverResult:
    """Fit (or reuse) the key-driver model on the stored responses.

    Raises
    ------
    SatisfactionError
        When the data cannot support the model.
    """
    with st.spinner(t("satisfaction_page.fitting")):
        return _drivers(str(store.path), store.data_version(), target, with_csat)


def term_label(variable: str, level: str) -> str:
    """Return a driver term in the session's language: ``Client type = Bank``."""
    if variable == "intercept":
        return t("satisfaction_page.driver.intercept")
    if variable in CATEGORY_PREFIXES:
        name = t(f"col.{variable}")
        shown = (t("satisfaction_page.driver.other") if level == "other"
                 else label_of(CATEGORY_PREFIXES[variable], level))
        return f"{name} = {shown}"
    if variable in NUMERIC_DRIVERS:
        return t(f"satisfaction_page.driver.{variable}")
    return variable


def coefficient_figure(coefficients: pd.DataFrame, axis_title: str) -> go.Figure:
    """Draw each coefficient with its 95 % interval, significant ones in colour."""
    shown = coefficients[coefficients["variable"] != "intercept"].iloc[::-1]
    significant = shown["p_value"] < SIGNIFICANCE
    colours = np.where(significant, np.where(shown["coefficient"] > 0, "#2ca02c",
                                             "#d62728"), "#bbbbbb")
    figure = go.Figure(go.Bar(
        x=shown["coefficient"], y=shown["label"], orientation="h",
        marker_color=colours,
        error_x={"type": "data", "symmetric": False,
                 "array": shown["ci_high"] - shown["coefficient"],
                 "arrayminus": shown["coefficient"] - shown["ci_low"]},
        customdata=shown["p_value"],
        hovertemplate="%{y}: %{x:.3f} (p = %{customdata:.3f})<extra></extra>"))
    figure.add_vline(x=0, line_color="#444444")
    figure.update_layout(xaxis_title=axis_title, yaxis_title="",
                         height=160 + 26 * len(shown))
    return figure


def importance_figure(table: pd.DataFrame) -> go.Figure:
    """Draw importance against performance with the median lines of the quadrants."""
    figure = px.scatter(table, x="performance", y="importance", text="label",
                        labels={"performance": t("satisfaction_page.ipa.performance"),
                                "importance": t("satisfaction_page.ipa.importance")})
    figure.update_traces(textposition="top center", marker={"size": 14})
    figure.add_vline(x=table["performance"].median(), line_dash="dot")
    figure.add_hline(y=table["importance"].median(), line_dash="dot")
    figure.update_layout(height=380)
    return figure


# Attrition ----------------------------------------------------------------------


def store_cases_for_attrition(store: Store) -> pd.DataFrame | None:
    """Return the stored cases' ``response_id`` and ``closed_at``, None without cases."""
    cases = store.read_cases()
    if cases.empty:
        return None
    return cases[["response_id", "closed_at"]]


@st.cache_resource(show_spinner=False, max_entries=16)
def _attrition(path: str, version: tuple, as_of: date, horizon: int, lookback: int,
               min_events: int) -> AttritionResult:
    store = Store(path)
    tables = {name: store.read_table(name) for name in
              ("clients", "deals", "revenue", "interactions", "feedback")}
    starts = [pd.to_datetime(tables[name]["date"]).min()
              for name in ("revenue", "interactions") if not tables[name].empty]
    as_of = pd.Timestamp(as_of)
    # Cut-offs whose horizon ends by the scoring date, so no label uses later data.
    cutoffs = attrition.default_cutoffs(as_of, min(starts), horizon, lookback) \
        if starts else []
    if not cutoffs:
        raise SatisfactionError("satisfaction.error.no_cutoffs",
                                data_end=str(as_of.date()), horizon=horizon,
                                lookback=lookback)
    return fit_attrition(tables, as_of=as_of, cutoffs=cutoffs, horizon_months=horizon,
                         lookback_months=lookback, min_events=min_events,
                         cases=store_cases_for_attrition(store))


def attrition_result(store: Store, *, as_of: date, horizon: int, lookback: int,
                     min_events: int) -> AttritionResult:
    """Train, test and score the attrition model (or reuse the fit).

    Raises
    ------
    SatisfactionError
        When no cut-off can be labelled before ``as_of``.
    """
    with st.spinner(t("satisfaction_page.fitting")):
        return _attrition(str(store.path), store.data_version(), as_of, horizon,
                          lookback, min_events)


def attrition_backtest(store: Store, *, end: date, horizon: int, lookback: int,
                       min_events: int) -> pd.DataFrame:
    """Refit at earlier scoring dates and report the AUC on each one's later cut-offs."""
    rows = []
    for months in BACKTEST_MONTHS:
        as_of = (pd.Timestamp(end) - pd.DateOffset(months=months)).date()
        try:
            result = attrition_result(store, as_of=as_of, horizon=horizon,
                                      lookback=lookback, min_events=min_events)
        except SatisfactionError:
            continue
        rows.append({
            "as_of": as_of, "method": t(f"satisfaction_page.attrition.method_"
                                        f"{result.method}"),
            "train": cutoff_range(result.train_cutoffs),
            "test": cutoff_range(result.test_cutoffs),
            "n_test": result.n_test, "events_test": result.events_test,
            "auc": result.auc})
    return pd.DataFrame(rows)


def cutoff_range(cutoffs: list) -> str:
    if not cutoffs:
        return "–"
    return f"{cutoffs[0]:%Y-%m-%d} – {cutoffs[-1]:%Y-%m-%d} ({len(cutoffs)})"


def calibration_figure(calibration: pd.DataFrame) -> go.Figure:
    """Draw the observed attrition rate against the mean predicted risk per bin."""
    top = float(max(calibration["mean_predicted"].max(),
                    calibration["observed_rate"].max(), 0.01))
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines",
                                line={"dash": "dot", "color": "#888888"},
                                name=t("satisfaction_page.attrition.perfect")))
    figure.add_trace(go.Scatter(
        x=calibration["mean_predicted"], y=calibration["observed_rate"],
        mode="lines+markers", name=t("satisfaction_page.attrition.observed"),
        customdata=calibration["n"],
        hovertemplate="%{x:.1%} → %{y:.1%} (n = %{customdata})<extra></extra>"))
    figure.update_layout(xaxis_title=t("satisfaction_page.attrition.predicted"),
                         yaxis_title=t("satisfaction_page.attrition.observed"),
                         xaxis_tickformat=".0%", yaxis_tickformat=".0%", height=380,
                         legend={"orientation": "h", "y": -0.2})
    return figure


def risk_table(store: Store, result: AttritionResult, lang: str) -> pd.DataFrame:
    """Return per client: name, type, risk and the three reasons in ``lang``."""
    clients = cached_table(store, "clients")[["client_id", "name", "client_type"]]
    reasons = result.reason_names(lang)
    table = result.scores.drop(columns=["reason_1", "reason_2", "reason_3"]).merge(
        reasons, on="client_id", how="left")
    table = table.merge(clients, on="client_id", how="left")
    table["client_type"] = [label_of("client_type", v) for v in table["client_type"]]
    return table


def rules_table() -> pd.DataFrame:
    """Return the transparent attrition rules with their translated names."""
    rows = []
    for name, feature, low, high, points in attrition.RULES:
        rows.append({"rule": t(f"satisfaction.reason.{name}"),
                     "feature": t(f"satisfaction_page.feature.{feature}"),
                     "range": f"[{low:g}, {high:g})", "points": points})
    return pd.DataFrame(rows)


# Loyalty ------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _strength(path: str, version: tuple, as_of: date) -> pd.DataFrame:
    interactions = Store(path).read_table("interactions")
    if interactions.empty:
        return pd.DataFrame(columns=["client_id", "strength"])
    table = staff_client_strength(interactions, as_of)
    return pd.DataFrame({"client_id": table["client_id"],
                         "strength": table["score"].astype(float) / 100.0})


def loyalty_at(store: Store, as_of: date) -> pd.DataFrame:
    """Return CLV, latest NPS, tenure and strength (0..1) per client at ``as_of``.

    CLV is the CLV page's default fit with the observation ending at ``as_of``.

    Raises
    ------
    ModelError
        When the CLV cannot be fitted on the revenue up to ``as_of``.
    """
    from .models import cached_clv

    clv = cached_clv(store, observation_end=as_of)
    strength = _strength(str(store.path), store.data_version(), as_of)
    return loyalty.loyalty_inputs(clv.clients, feedback_table(store),
                                  cached_table(store, "clients"), as_of=as_of,
                                  strength=strength)


def tier_editor_default(lang: str) -> pd.DataFrame:
    """Return the default tiers with names and benefits written in ``lang``."""
    tiers = default_tiers()
    tiers["tier"] = [label_of("satisfaction.tier", v) for v in tiers["tier"]]
    tiers["benefits"] = [t(key) for key in tiers["benefits"]]
    return tiers


def clean_tiers(edited: pd.DataFrame) -> pd.DataFrame:
    """Return the edited tier table without blank rows, names stripped."""
    tiers = edited.copy()
    tiers["tier"] = tiers["tier"].astype("string").str.strip()
    tiers = tiers[tiers["tier"].notna() & (tiers["tier"] != "")]
    for column in ("min_clv", "min_nps", "min_tenure_years", "min_strength",
                   "annual_cost"):
        tiers[column] = pd.to_numeric(tiers[column], errors="coerce")
    tiers["annual_cost"] = tiers["annual_cost"].fillna(0.0)
    return tiers.reset_index(drop=True)


def tier_name(value: str) -> str:
    """Return a tier's display name; ``none`` is the clients without a tier."""
    return t("satisfaction.tier.none") if value == loyalty.NO_TIER else str(value)


def retention_after(store: Store, start: date, horizon: int,
                    lookback: int) -> pd.DataFrame:
    """Return ``client_id`` and ``attrited`` over ``horizon`` months after ``start``.

    Raises
    ------
    SatisfactionError
        When the horizon ends after the data.
    """
    tables = {name: cached_table(store, name) for name in
              ("clients", "deals", "revenue", "interactions", "feedback")}
    return attrition_labels(tables, start, horizon_months=horizon,
                            lookback_months=lookback)


def migration_figure(matrix: pd.DataFrame, date_1: date, date_2: date) -> go.Figure:
    """Draw the tier migration counts as a heat map, rows at the first date."""
    rows = [tier_name(v) for v in matrix.index]
    columns = [tier_name(v) for v in matrix.columns]
    figure = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=columns, y=rows, text=matrix.to_numpy(),
        texttemplate="%{text}", colorscale="Blues", showscale=False,
        hovertemplate="%{y} → %{x}: %{z}<extra></extra>"))
    figure.update_yaxes(autorange="reversed",
                        title=t("satisfaction_page.loyalty.rows", date=f"{date_1}"))
    figure.update_xaxes(side="top",
                        title=t("satisfaction_page.loyalty.columns", date=f"{date_2}"))
    figure.update_layout(height=160 + 55 * len(rows))
    return figure


def economics_figure(table: pd.DataFrame) -> go.Figure:
    """Draw each tier's benefit cost beside the value of the retention credited."""
    figure = go.Figure()
    names = [tier_name(v) for v in table["tier"]]
    figure.add_trace(go.Bar(x=names, y=table["benefit_cost"],
                            name=t("satisfaction_page.loyalty.col.benefit_cost")))
    figure.add_trace(go.Bar(x=names, y=table["credited_value"],
                            name=t("satisfaction_page.loyalty.col.credited_value")))
    figure.update_layout(barmode="group", yaxis_title="USD", height=360,
                         legend={"orientation": "h", "y": -0.2})
    return figure


# Method -------------------------------------------------------------------------

NPS = (r"\mathrm{NPS} = 100\,\frac{P - D}{n},\qquad s_i \in \{+1, 0, -1\},\qquad"
       r"\mathrm{NPS} = 100\,\bar s")
NPS_SE = (r"\mathrm{SE} = 100\sqrt{\frac{\tilde p + \tilde d - (\tilde p - \tilde d)^2}"
          r"{n}},\quad \tilde p = \frac{P+1}{n+3},\ \tilde d = \frac{D+1}{n+3},\quad"
          r"\mathrm{NPS} \pm 1.96\,\mathrm{SE}")
WILSON = (r"\frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} + "
          r"\frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}},\qquad z = 1.96")
MEAN_CI = r"\bar x \pm t_{0.975,\,n-1}\,\frac{s}{\sqrt n}"
OLS = (r"y_i = \beta_0 + \sum_j \beta_j x_{ij} + \varepsilon_i,\qquad "
       r"\hat V = c\,B^{-1}\Big(\sum_g s_g s_g^\top\Big)B^{-1},\quad "
       r"c = \frac{G}{G-1}\cdot\frac{N-1}{N-K}")
LOGIT = (r"P(\text{attrition}\mid x) = \frac{1}{1 + e^{-(\beta_0 + \beta^\top z)}},"
         r"\qquad z = \frac{x - \mu}{\sigma}")
CREDIT = (r"\text{credited clients} = (r_{\text{tier}} - r_{\text{base}})\,n_{\text{tier}},"
          r"\quad \text{credited value} = \text{credited clients}\cdot"
          r"\overline{\mathrm{CLV}}_{\text{tier}},\quad \text{cost} = n_{\text{tier}}"
          r"\cdot c_{\text{tier}}")


def render_method(min_n: int = metrics.DEFAULT_MIN_N) -> None:
    """Show the formulas and the assumptions of every section of the page."""
    st.subheader(t("satisfaction_page.method.metrics_heading"))
    st.markdown(t("satisfaction_page.method.nps"))
    st.latex(NPS)
    st.latex(NPS_SE)
    st.markdown(t("satisfaction_page.method.csat"))
    st.latex(WILSON)
    st.latex(MEAN_CI)
    st.markdown(t("satisfaction_page.method.cycle", min_n=min_n))

    st.subheader(t("satisfaction_page.method.drivers_heading"))
    st.markdown(t("satisfaction_page.method.drivers"))
    st.latex(OLS)

    st.subheader(t("satisfaction_page.method.attrition_heading"))
    st.markdown(t("satisfaction_page.method.attrition"))
    st.latex(LOGIT)
    st.markdown(t("satisfaction_page.method.rules",
                  maximum=attrition.MAX_RULE_POINTS))
    st.dataframe(rules_table(), hide_index=True, width="stretch", column_config={
        "rule": t("satisfaction_page.rules.rule"),
        "feature": t("satisfaction_page.rules.feature"),
        "range": t("satisfaction_page.rules.range"),
        "points": t("satisfaction_page.rules.points")})

    st.subheader(t("satisfaction_page.method.loyalty_heading"))
    st.markdown(t("satisfaction_page.method.loyalty"))
    st.latex(CREDIT)


def render_sentiment_check() -> None:
    """Train (or reuse) the Chinese sentiment model and show its held-out accuracy."""
    with st.spinner(t("satisfaction_page.method.sentiment_training")):
        model = cached_chinese_model()
    cols = st.columns(3)
    cols[0].metric(t("satisfaction_page.method.sentiment_accuracy"),
                   f"{model.test_accuracy:.1%}")
    cols[1].metric(t("satisfaction_page.method.sentiment_train"), f"{model.n_train:,}")
    cols[2].metric(t("satisfaction_page.method.sentiment_test"), f"{model.n_test:,}")


@st.cache_resource(show_spinner=False)
def cached_chinese_model():
    """Return the Chinese sentiment model, trained once and shared by every session."""
    return chinese_model()
