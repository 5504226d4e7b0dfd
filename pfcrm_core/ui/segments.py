"""The Segments page's cached fits, labels, figures and method section.

Fits are cached with ``st.cache_resource`` on the database file, its
``data_version`` and the settings. The results are read-only once fitted, so
sessions can share them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from sklearn.datasets import load_wine
from sklearn.metrics import adjusted_rand_score

from ..clv import ClvResult
from ..errors import ModelError
from ..i18n import catalogue, translate
from ..segmentation import (Migration, Note, SegmentationResult, default_offers,
                            market_opportunities, offer_targets, pca_projection,
                            risk_early_warning, segment_clients, segment_migration,
                            segment_names)
from ..segmentation import clustering, ratings, rules
from ..segmentation.features import FeatureTable, default_as_of
from ..segmentation.maps import QUADRANTS
from ..segmentation.migration import LEFT, NEW
from ..segmentation.preprocessing import build_pipeline, model_input, plan_columns
from ..segmentation.profiles import category_key
from ..store import Store
from .cache import cached_table
from .context import error_text, language, t
from .models import cached_clv

logger = logging.getLogger(__name__)

# The automatic search tries up to 10 segments. Below 20 clients a segment would
# average fewer than two clients, so it would describe individuals, not groups.
MIN_CLIENTS = 20
RANDOM_STATE = 42
# Values at or below this are drawn on the floor of the logarithmic value axis.
VALUE_FLOOR_USD = 1.0
WINE_MIN_ARI = 0.89
WINE_K = 3
BOOK_TABLES = {"revenue": "date", "feedback": "date", "credit": "as_of",
               "deals": "start_date"}


# Cached fits ------------------------------------------------------------------


def book_as_of(store: Store) -> pd.Timestamp | None:
    """Return the latest date in the book (the default as-of date), None without one."""
    tables = {name: cached_table(store, name) for name in BOOK_TABLES}
    try:
        return default_as_of(tables)
    except ModelError:
        return None


def book_start(store: Store) -> pd.Timestamp | None:
    """Return the earliest date in revenue, feedback, credit and deal starts."""
    starts = []
    for name, column in BOOK_TABLES.items():
        values = pd.to_datetime(cached_table(store, name)[column]).dropna()
        if not values.empty:
            starts.append(values.min())
    return min(starts).normalize() if starts else None


def clv_for_segments(store: Store, as_of: date | None
                     ) -> tuple[ClvResult | None, str | None]:
    """Return the CLV fit valid at ``as_of``, or None and the reason it failed.

    At the book's own as-of date (or ``None``) this is the CLV page's default fit.
    At an earlier date the observation ends at ``as_of``, so the CLV uses no later
    revenue.
    """
    latest = book_as_of(store)
    observation_end = None
    if as_of is not None and latest is not None and pd.Timestamp(as_of) < latest:
        observation_end = as_of
    try:
        return cached_clv(store, observation_end=observation_end), None
    except ModelError as exc:
        logger.info("segmenting without CLV: %s", exc)
        return None, error_text(exc)


@st.cache_resource(show_spinner=False, max_entries=16)
def _segment_cached(path: str, version: tuple, method: str, k: int | None,
                    as_of: date | None, nps: str, clv_end: date | None,
                    with_clv: bool, _clv: ClvResult | None) -> SegmentationResult:
    # The CLV fit is fixed by (path, version, clv_end), so it is not hashed.
    return segment_clients(Store(path), as_of=as_of, method=method, k=k,
                           clv=_clv if with_clv else None, nps=nps,
                           random_state=RANDOM_STATE)


def segment_result(store: Store, *, method: str, k: int | None, as_of: date | None,
                   nps: str, clv: ClvResult | None) -> SegmentationResult:
    """Segment the book (or reuse the fit) with the page's settings.

    Raises
    ------
    SegmentationError
        When the data or settings cannot support the segmentation.
    """
    clv_end = None if clv is None else clv.settings["observation_end"]
    with st.spinner(t("segments.fitting")):
        return _segment_cached(str(store.path), store.data_version(), method, k, as_of,
                               nps, clv_end, clv is not None, clv)


@dataclass
class MigrationFit:
    """Migration between two dates and the early-warning inputs."""

    migration: Migration
    features_1: FeatureTable
    features_2: FeatureTable
    names: pd.DataFrame
    method: str
    k: int | None
    with_clv: bool


@st.cache_resource(show_spinner=False, max_entries=8)
def _migration_cached(path: str, version: tuple, date_1: date, date_2: date,
                      method: str, k: int | None, nps: str,
                      _clv_1: ClvResult | None, _clv_2: ClvResult | None
                      ) -> MigrationFit:
    migration, model, features_1, features_2 = segment_migration(
        Store(path), date_1, date_2, method=method, k=k, clv_1=_clv_1, clv_2=_clv_2,
        random_state=RANDOM_STATE, nps=nps)
    first = migration.clients.set_index("client_id")["segment_1"].dropna()
    names = segment_names(features_1.frame.loc[first.index], first, method=method)
    return MigrationFit(migration=migration, features_1=features_1,
                        features_2=features_2, names=names, method=method,
                        k=None if model.selection is None else model.selection.k,
                        with_clv=_clv_1 is not None)


def migration_fit(store: Store, date_1: date, date_2: date, *, method: str,
                  k: int | None, nps: str) -> MigrationFit:
    """Fit segments at ``date_1`` and assign the clients of both dates.

    CLV enters the features only when it can be fitted at both dates, so that a
    segment means the same thing in both columns of the matrix.

    Raises
    ------
    SegmentationError
        When the dates are not ordered or the data cannot support the fit.
    """
    clv_1, _ = clv_for_segments(store, date_1)
    clv_2, _ = clv_for_segments(store, date_2)
    if clv_1 is None or clv_2 is None:
        clv_1 = clv_2 = None
    with st.spinner(t("segments.migration.fitting")):
        return _migration_cached(str(store.path), store.data_version(), date_1, date_2,
                                 method, k, nps, clv_1, clv_2)


def early_warning(fit: MigrationFit, *, rating_notches: int, pd_increase: float,
                  nps_drop: float):
    """Return ``risk_early_warning`` between the two dates of ``fit``."""
    clients = fit.migration.clients.set_index("client_id")
    return risk_early_warning(fit.features_1, fit.features_2,
                              clients["segment_1"].dropna(),
                              clients["segment_2"].dropna(),
                              rating_notches=rating_notches, pd_increase=pd_increase,
                              nps_drop=nps_drop)


@st.cache_data(show_spinner=False, max_entries=8)
def _market_cached(path: str, version: tuple, as_of: date | None):
    cells, notes = market_opportunities(Store(path), as_of=as_of)
    return cells, float(cells.attrs.get("max_share", np.nan)), notes


def market_cells(store: Store, as_of: date | None
                 ) -> tuple[pd.DataFrame, float, list[Note]]:
    """Return the ranked sector x region cells, the share threshold and notes."""
    return _market_cached(str(store.path), store.data_version(), as_of)


@dataclass
class WineCheck:
    """K-means on the UCI wine data through the product's pipeline."""

    ari: float
    auto_k: int
    curve: pd.DataFrame
    projection: pd.DataFrame
    explained_variance: list[float]
    crosstab: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=1)
def wine_check() -> WineCheck:
    """Standardise the wine data, fit k-means at k = 3 and by silhouette, score ARI.

    The UCI wine recognition data (178 wines, 13 chemical measurements, 3
    cultivars) ship with scikit-learn, so nothing is downloaded.
    """
    data = load_wine(as_frame=True)
    frame = data.data
    plan = plan_columns(frame, money=(), numeric=tuple(frame.columns), categorical=())
    X = build_pipeline(plan).fit_transform(model_input(frame, plan))

    fixed = clustering.select_clusters(X, "kmeans", k=WINE_K,
                                       random_state=RANDOM_STATE)
    automatic = clustering.select_clusters(X, "kmeans", random_state=RANDOM_STATE)
    target = data.target.to_numpy()
    clusters = pd.Series(fixed.labels + 1, index=frame.index)
    projection, explained = pca_projection(X, clusters, RANDOM_STATE)
    crosstab = pd.crosstab(pd.Series(target + 1, name="cultivar"),
                           pd.Series(fixed.labels + 1, name="cluster"))
    return WineCheck(ari=float(adjusted_rand_score(target, fixed.labels)),
                     auto_k=automatic.k, curve=automatic.curve, projection=projection,
                     explained_variance=explained, crosstab=crosstab)


# Labels -----------------------------------------------------------------------


def feature_label(column: str) -> str:
    """Return a feature's name in the session's language, or the column name."""
    key = f"segments.feature.{column}"
    return t(key) if key in catalogue() else str(column)


def category_label(column: str, value: object) -> str:
    """Return a client type, sector or region in the session's language.

    Values that the catalogue does not list are shown as stored.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    prefix = "client_type" if column == "client_type" else f"segments.{column}"
    key = f"{prefix}.{category_key(value)}"
    return t(key) if key in catalogue() else str(value)


def segment_labels(profiles: pd.DataFrame, method: str, lang: str) -> dict:
    """Return segment id -> label: ``"S1 · name"`` for clusters, the name for rules."""
    labels = {}
    for segment, name in zip(profiles["segment"], profiles[f"name_{lang}"]):
        labels[segment] = name if method == "rules" else f"{segment} · {name}"
    return labels


def segment_colours(labels: dict) -> dict:
    """Return label -> colour, the same on every chart of the page."""
    palette = px.colors.qualitative.Plotly if len(labels) <= 10 \
        else px.colors.qualitative.Alphabet
    return {label: palette[i % len(palette)]
            for i, label in enumerate(labels.values())}


def note_text(note: Note, lang: str) -> str:
    """Return a note in ``lang`` with feature names translated as well."""
    values = dict(note.values)
    if "column" in values:
        values["column"] = feature_label(values["column"])
    if note.key == "segmentation.note.imputed_shares" and values.get("shares") != "-":
        values["shares"] = _translate_shares(values["shares"])
    return translate(note.key, lang, **values)


def _translate_shares(shares: str) -> str:
    # "clv 0.2%, nps 10.7%" -> the same list with the features' display names.
    parts = []
    for item in shares.split(", "):
        column, _, share = item.rpartition(" ")
        parts.append(f"{feature_label(column)} {share}")
    return t("segments.list_separator").join(parts)


def basis_text(basis: str) -> str:
    """Return the features behind a generated name in the session's language."""
    columns = [part.strip() for part in str(basis).split(",") if part.strip()]
    return t("segments.list_separator").join(feature_label(c) for c in columns)


# Risk x value map --------------------------------------------------------------


def risk_text(value: float, axis: str) -> str:
    """Return a risk figure as shown to users: PD in %, a notch as its symbol."""
    if axis == "pd":
        return f"{value:.2%}"
    return ratings.notch_symbol(value) or "–"


def value_text(value: float) -> str:
    """Return an amount in USD as shown to users."""
    return t("segments.amount_usd", amount=f"{value:,.0f}")


def quadrant_table(result: SegmentationResult) -> pd.DataFrame:
    """Return one row per quadrant: rule, action, clients, exposure and value."""
    points, settings = result.risk_value, result.risk_value_settings
    risk = risk_text(settings["risk_threshold"], settings["risk_axis"])
    value = value_text(settings["value_threshold"])
    rows = []
    for name in QUADRANTS:
        members = points[points["quadrant"] == name]
        rows.append({
            "quadrant": t(f"segments.quadrant.{name}"),
            "rule": t(f"segments.quadrant.{name}.rule", risk=risk, value=value,
                      risk_axis=feature_label(settings["risk_axis"]),
                      value_axis=feature_label(settings["value_axis"])),
            "action": t(f"segments.quadrant.{name}.action"),
            "clients": int(len(members)),
            "exposure_usd": float(members["exposure_usd"].sum()),
            "value_usd": float(members["value"].sum()),
        })
    return pd.DataFrame(rows)


def risk_value_figure(result: SegmentationResult, labels: dict) -> go.Figure:
    """Draw the risk x value bubbles with threshold lines and quadrant labels.

    PD and value use logarithmic axes because both span several orders of
    magnitude; value at or below ``VALUE_FLOOR_USD`` is drawn on the floor.
    """
    points = result.risk_value.copy()
    settings = result.risk_value_settings
    risk_axis, value_axis = settings["risk_axis"], settings["value_axis"]
    points["segment_label"] = points["segment"].map(labels)
    points["value_plotted"] = points["value"].clip(lower=VALUE_FLOOR_USD)
    points["risk_shown"] = points["risk"].map(lambda v: risk_text(v, risk_axis))
    points["value_shown"] = points["value"].map(value_text)
    points["exposure_shown"] = points["exposure_usd"].map(value_text)

    figure = px.scatter(
        points, x="risk", y="value_plotted", size="exposure_usd",
        color="segment_label", size_max=40, log_y=True, log_x=risk_axis == "pd",
        color_discrete_map=segment_colours(labels),
        category_orders={"segment_label": list(labels.values())},
        custom_data=["client_id", "risk_shown", "value_shown", "exposure_shown"],
        labels={"risk": feature_label(risk_axis),
                "value_plotted": t("segments.map.value_axis",
                                   axis=feature_label(value_axis)),
                "segment_label": t("segments.col.segment")})
    figure.update_traces(
        marker={"sizemin": 3, "opacity": 0.7},
        hovertemplate=t("segments.map.hover", client="%{customdata[0]}",
                        risk="%{customdata[1]}", value="%{customdata[2]}",
                        exposure="%{customdata[3]}") + "<extra></extra>")
    top = np.log10(max(float(points["value_plotted"].max()), VALUE_FLOOR_USD * 10))
    # Room below the floor, so the bottom quadrant labels do not cover points.
    figure.update_yaxes(range=[np.log10(VALUE_FLOOR_USD) - 0.8, top + 0.5])
    if risk_axis == "pd":
        figure.update_xaxes(tickformat=".2~%")
    else:
        notches = list(range(1, ratings.DEFAULT_NOTCH + 1, 3))
        figure.update_xaxes(tickvals=notches,
                            ticktext=[ratings.notch_symbol(n) for n in notches])
    _draw_quadrants(figure, settings)
    figure.update_layout(height=560, legend={"orientation": "h", "y": -0.2})
    return figure


def _draw_quadrants(figure: go.Figure, settings: dict) -> None:
    figure.add_vline(x=settings["risk_threshold"], line_dash="dash",
                     line_color="grey")
    figure.add_hline(y=max(settings["value_threshold"], VALUE_FLOOR_USD),
                     line_dash="dash", line_color="grey")
    # Grow is low risk and high value, so it sits top left.
    corners = {"grow": (0.01, 0.99, "left", "top"),
               "protect": (0.99, 0.99, "right", "top"),
               "reprice": (0.01, 0.01, "left", "bottom"),
               "exit": (0.99, 0.01, "right", "bottom")}
    for name, (x, y, xanchor, yanchor) in corners.items():
        figure.add_annotation(
            x=x, y=y, xref="paper", yref="paper", xanchor=xanchor, yanchor=yanchor,
            text=f"<b>{t(f'segments.quadrant.{name}')}</b>", showarrow=False,
            font={"size": 16}, bgcolor="rgba(255,255,255,0.75)")


def projection_figure(result: SegmentationResult, labels: dict) -> go.Figure:
    """Draw the clients on the first two principal components, coloured by segment."""
    projection = result.projection.assign(
        segment_label=result.projection["segment"].map(labels))
    ratios = list(result.explained_variance) + [0.0, 0.0]
    figure = px.scatter(
        projection, x="pc1", y="pc2", color="segment_label", hover_name="client_id",
        color_discrete_map=segment_colours(labels),
        category_orders={"segment_label": list(labels.values())},
        labels={"pc1": t("segments.map.pc_axis", number=1, share=f"{ratios[0]:.1%}"),
                "pc2": t("segments.map.pc_axis", number=2, share=f"{ratios[1]:.1%}"),
                "segment_label": t("segments.col.segment")})
    figure.update_traces(marker={"size": 7, "opacity": 0.75})
    figure.update_layout(height=520, legend={"orientation": "h", "y": -0.2})
    return figure


# Profiles, curves, RFM and migration ----------------------------------------


def curve_figure(result: SegmentationResult) -> go.Figure | None:
    """Draw the silhouette (k-means) or BIC (Gaussian mixture) curve over k."""
    if not result.curves:
        return None
    name, curve = next(iter(result.curves.items()))
    figure = px.line(curve, x="k", y=name, markers=True,
                     labels={"k": t("segments.curve.k"),
                             name: t(f"segments.curve.{name}")})
    figure.add_vline(x=result.k, line_dash="dash", line_color="firebrick",
                     annotation_text=t("segments.curve.chosen", k=result.k))
    figure.update_xaxes(dtick=1)
    return figure


def rfm_by_segment(result: SegmentationResult, labels: dict) -> pd.DataFrame:
    """Return the mean recency, frequency and monetary scores of each segment."""
    scores = result.rfm.join(result.labels.rename("segment"))
    means = scores.groupby("segment")[["recency_score", "frequency_score",
                                       "monetary_score", "rfm_total"]].mean()
    means = means.reindex([s for s in labels if s in means.index])
    means.insert(0, "segment_label", [labels[s] for s in means.index])
    return means.reset_index()


def migration_figure(fit: MigrationFit) -> go.Figure:
    """Draw the migration matrix: colour is the row share, text share and count."""
    migration = fit.migration
    shares, counts = migration.row_shares, migration.counts
    labels = migration_labels(fit)
    labels[NEW] = t("segments.migration.new")
    labels[LEFT] = t("segments.migration.left")

    def label(segment):
        return labels.get(segment, str(segment))

    text = [[f"{share:.0%}<br>({count:,})" for share, count in zip(srow, crow)]
            for srow, crow in zip(shares.to_numpy(), counts.to_numpy())]
    figure = go.Figure(go.Heatmap(
        z=shares.to_numpy(), x=[label(c) for c in shares.columns],
        y=[label(r) for r in shares.index], text=text, texttemplate="%{text}",
        colorscale="Blues", zmin=0, zmax=1,
        colorbar={"title": t("segments.migration.share"), "tickformat": ".0%"},
        hovertemplate="%{y} → %{x}: %{text}<extra></extra>"))
    figure.update_yaxes(autorange="reversed",
                        title=t("segments.migration.rows",
                                date=f"{migration.date_1:%Y-%m-%d}"))
    figure.update_xaxes(side="top", title=t("segments.migration.columns",
                                            date=f"{migration.date_2:%Y-%m-%d}"))
    figure.update_layout(height=160 + 60 * len(shares.index))
    return figure


def migration_labels(fit: MigrationFit) -> dict:
    """Return segment id -> label of the segments fitted at the first date."""
    names = fit.names.reset_index().rename(columns={"index": "segment"})
    return segment_labels(names, fit.method, language())


def signals_text(signals: str) -> str:
    """Return the early-warning signals ("rating, pd") in the session's language."""
    parts = [part.strip() for part in str(signals).split(",") if part.strip()]
    return t("segments.list_separator").join(t(f"segments.signal.{p}") for p in parts)


def stayed_share(migration: Migration) -> float:
    """Return the share of clients present at both dates who kept their segment."""
    both = migration.clients.dropna(subset=["segment_1", "segment_2"])
    if both.empty:
        return float("nan")
    return float((both["segment_1"] == both["segment_2"]).mean())


# Precision marketing ----------------------------------------------------------


def offers_table(result: SegmentationResult, labels: dict, lang: str) -> pd.DataFrame:
    """Return the editable offers: segment label, offer text and the rule behind it."""
    offers = default_offers(result.profiles)
    return pd.DataFrame({
        "segment": offers["segment"].map(labels),
        "offer": offers[f"offer_{lang}"],
        "reason": offers["offer_key"].map(
            lambda key: t(f"segments.offer_reason.{key}")),
    })


def offer_clients(edited: pd.DataFrame, result: SegmentationResult, labels: dict,
                  clients: pd.DataFrame) -> pd.DataFrame:
    """Return one row per client and offer from the edited offers table.

    Rows without a segment or an offer text are ignored.
    """
    ids = {label: segment for segment, label in labels.items()}
    offers = edited.assign(segment=edited["segment"].map(ids))
    offers = offers.dropna(subset=["segment", "offer"])
    offers = offers[offers["offer"].astype(str).str.strip() != ""]
    targets = offer_targets(offers[["segment", "offer"]], result.labels)
    names = clients[["client_id", "name"]].assign(
        client_id=clients["client_id"].astype(str))
    targets = targets.merge(names, on="client_id", how="left")
    targets["segment_label"] = targets["segment"].map(labels)
    return targets[["client_id", "name", "segment", "segment_label", "offer"]]


# Method -----------------------------------------------------------------------

KMEANS_OBJECTIVE = (r"\min_{C_1,\dots,C_k}\ \sum_{j=1}^{k}\sum_{x_i \in C_j}"
                    r"\lVert x_i - \mu_j \rVert^2")
SILHOUETTE = (r"s(i) = \frac{b(i) - a(i)}{\max\{a(i),\, b(i)\}},\qquad"
              r"\bar s = \frac{1}{n}\sum_{i=1}^{n} s(i)")
GMM_DENSITY = (r"p(x) = \sum_{j=1}^{k} \pi_j\, \mathcal{N}\big(x \mid \mu_j,"
               r"\operatorname{diag}(\sigma_j^2 + \lambda)\big)")
BIC = r"\mathrm{BIC} = -2 \ln \hat L + p \ln n"
ARI = (r"\mathrm{ARI} = \frac{\sum_{ij}\binom{n_{ij}}{2} - "
       r"\big[\sum_i\binom{a_i}{2}\sum_j\binom{b_j}{2}\big]/\binom{n}{2}}"
       r"{\tfrac12\big[\sum_i\binom{a_i}{2}+\sum_j\binom{b_j}{2}\big] - "
       r"\big[\sum_i\binom{a_i}{2}\sum_j\binom{b_j}{2}\big]/\binom{n}{2}}")
PIPELINE = (r"x^{\text{money}} \mapsto \frac{\operatorname{sign}(x)\ln(1+|x|) - m}{s},"
            r"\quad x^{\text{num}} \mapsto \frac{x - m}{s},\quad "
            r"x^{\text{cat}} \mapsto \text{one-hot}")


def render_method() -> None:
    """Show the pipeline, the formulas, the RFM rules and the assumptions."""
    st.subheader(t("segments.method.heading"))
    st.markdown(t("segments.method.pipeline"))
    st.latex(PIPELINE)
    st.markdown(t("segments.method.kmeans", n_init=clustering.N_INIT,
                  threshold=f"{clustering.MINIBATCH_THRESHOLD:,}"))
    st.latex(KMEANS_OBJECTIVE)
    st.markdown(t("segments.method.silhouette",
                  sample=f"{clustering.SILHOUETTE_SAMPLE:,}"))
    st.latex(SILHOUETTE)
    st.markdown(t("segments.method.gmm", covariance_type=clustering.COVARIANCE_TYPE,
                  reg_covar=clustering.REG_COVAR))
    st.latex(GMM_DENSITY)
    st.latex(BIC)
    st.markdown(t("segments.method.ari",
                  seeds=", ".join(map(str, clustering.STABILITY_SEEDS))))
    st.latex(ARI)
    st.markdown(t("segments.method.rules"))
    st.markdown(t("segments.method.rfm", threshold=rules.SMALL_BOOK_THRESHOLD,
                  recency=", ".join(map(str, rules.RECENCY_CUTOFFS_DAYS)),
                  frequency=", ".join(map(str, rules.FREQUENCY_CUTOFFS)),
                  monetary=", ".join(f"{c:,.0f}" for c in rules.MONETARY_CUTOFFS_USD)))
    st.markdown(t("segments.method.quadrants"))
    st.markdown(t("segments.method.assumptions"))


def parameter_rows(result: SegmentationResult) -> pd.DataFrame:
    """Return the fitted parameters of ``result`` as a two-column table."""
    plan = result.model.plan
    selection = result.model.selection
    rows = [
        (t("segments.param.method"), t(f"segments.method_name.{result.method}")),
        (t("segments.param.as_of"), f"{result.features.as_of:%Y-%m-%d}"),
        (t("segments.param.clients"), f"{len(result.labels):,}"),
        (t("segments.param.k"), str(result.k)),
        (t("segments.param.columns"),
         t("segments.list_separator").join(feature_label(c) for c in plan.columns)),
        (t("segments.param.dropped"),
         t("segments.list_separator").join(feature_label(c) for c in plan.dropped)
         or "–"),
        (t("segments.param.random_state"), str(result.model.random_state)),
    ]
    if selection is not None:
        k_source = "segments.param.k_auto" if selection.curve is not None \
            else "segments.param.k_given"
        rows.append((t("segments.param.k_source"), t(k_source)))
        rows.append((t("segments.param.estimator"), type(selection.estimator).__name__))
    if result.method == "gmm":
        rows.append((t("segments.param.covariance"),
                     f"{clustering.COVARIANCE_TYPE}, "
                     f"reg_covar = {clustering.REG_COVAR}"))
    if result.method == "kmeans":
        rows.append((t("segments.param.n_init"), str(clustering.N_INIT)))
    if result.stability is not None:
        rows.append((t("segments.param.seeds"),
                     ", ".join(map(str, result.stability["seeds"]))))
    return pd.DataFrame(rows, columns=[t("segments.param.name"),
                                       t("segments.param.value")])


def render_validation(result: SegmentationResult) -> None:
    """Show the chosen k's silhouette or BIC, the stability and the wine check."""
    st.subheader(t("segments.validation.heading"))
    for name, curve in result.curves.items():
        chosen = curve.loc[curve["k"] == result.k, name]
        if not chosen.empty:
            st.write(t(f"segments.validation.{name}", k=result.k,
                       value=f"{float(chosen.iloc[0]):,.3f}"))
    if result.stability is None:
        st.write(t("segments.validation.no_stability"))
    else:
        st.write(t("segments.validation.stability",
                   mean=f"{result.stability['mean_ari']:.3f}",
                   minimum=f"{result.stability['min_ari']:.3f}",
                   pairs=len(result.stability["pairs"])))

    st.markdown(t("segments.wine.intro", k=WINE_K, minimum=WINE_MIN_ARI))
    check = wine_check()
    passed = check.ari >= WINE_MIN_ARI and check.auto_k == WINE_K
    cols = st.columns(3)
    cols[0].metric(t("segments.wine.ari"), f"{check.ari:.3f}")
    cols[1].metric(t("segments.wine.auto_k"), str(check.auto_k))
    cols[2].metric(t("segments.wine.result"),
                   t("segments.wine.passed" if passed else "segments.wine.failed"))
    left, right = st.columns(2)
    projection = check.projection.assign(
        cluster=check.projection["segment"].astype(str))
    ratios = check.explained_variance
    figure = px.scatter(
        projection, x="pc1", y="pc2", color="cluster",
        category_orders={"cluster": ["1", "2", "3"]},
        color_discrete_sequence=px.colors.qualitative.Plotly,
        labels={"pc1": t("segments.map.pc_axis", number=1, share=f"{ratios[0]:.1%}"),
                "pc2": t("segments.map.pc_axis", number=2, share=f"{ratios[1]:.1%}"),
                "cluster": t("segments.wine.cluster")})
    left.plotly_chart(figure, width="stretch", key="seg_wine_projection")
    crosstab = check.crosstab.copy()
    crosstab.index = [t("segments.wine.cultivar_row", number=i) for i in crosstab.index]
    crosstab.columns = [t("segments.wine.cluster_column", number=c)
                        for c in crosstab.columns]
    left.dataframe(crosstab, width="stretch")
    figure = px.line(check.curve, x="k", y="silhouette", markers=True,
                     labels={"k": t("segments.curve.k"),
                             "silhouette": t("segments.curve.silhouette")})
    figure.add_vline(x=check.auto_k, line_dash="dash", line_color="firebrick")
    right.plotly_chart(figure, width="stretch", key="seg_wine_curve")
    st.caption(t("segments.wine.source"))
