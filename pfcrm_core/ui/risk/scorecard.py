"""Cached risk fits and the scorecard views of the Risk & return page.

Fits are keyed on the database file's version and the settings, like the CLV fit,
so a new import refits on the next run. A scorecard on an uploaded table is keyed
on the file's SHA-256 digest instead.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ...clv import ClvDataError
from ...errors import ImportFileError, ModelError, PfcrmError
from ...ingest.tables import default_bad_value, default_target, read_tables, sheet_frame
from ...risk import (ScorecardReport, build_development_sample, current_book,
                    develop_from_store, develop_scorecard)
from ...risk.binning import MISSING_LABEL
from ...risk.book import UNSEEN_LABEL, capital_inputs, score_book
from ...risk.scorecard import BASE_POINTS_LABEL
from ...store import Store
from ..client_table import client_table
from ..context import error_text, label_of, t
from ..models import cached_clv


@dataclass(frozen=True)
class ScorecardSettings:
    """The scaling and selection settings a user sets on the page.

    Attributes
    ----------
    base_points : float
        Score at good:bad odds of ``base_odds``.
    base_odds : float
        Good:bad odds (50 means 50:1) at ``base_points``.
    pdo : float
        Points that double the odds.
    min_iv : float
        Variables below this information value are left out of the model.
    """

    base_points: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0
    min_iv: float = 0.02

    def as_params(self) -> dict:
        return {"base_points": self.base_points, "base_odds": self.base_odds,
                "pdo": self.pdo, "min_iv": self.min_iv}


# -- cached reads and fits ------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=8)
def _store_scorecard(path: str, version: tuple,
                     settings: ScorecardSettings) -> ScorecardReport:
    # Read-only once fitted, so sharing the report between sessions is safe.
    return develop_from_store(Store(path), **settings.as_params())


@st.cache_data(show_spinner=False, max_entries=8)
def _development_sample(path: str, version: tuple) -> pd.DataFrame:
    return build_development_sample(Store(path))


@st.cache_data(show_spinner=False, max_entries=8)
def _current_book(path: str, version: tuple) -> pd.DataFrame:
    return current_book(Store(path))


def store_scorecard(store: Store, settings: ScorecardSettings) -> ScorecardReport:
    """Develop (or reuse) the scorecard on the store's credit history.

    Raises
    ------
    RiskDataError
        When the history cannot support a scorecard (no credit rows, one class).
    """
    with st.spinner(t("risk_page.fitting")):
        return _store_scorecard(str(store.path), store.data_version(), settings)


def development_sample(store: Store) -> pd.DataFrame:
    """Return the store's development sample, built once per version of the file."""
    return _development_sample(str(store.path), store.data_version())


def cached_current_book(store: Store) -> pd.DataFrame:
    """Return the current book (latest credit row per client), once per version."""
    return _current_book(str(store.path), store.data_version())


def store_scorecard_or_reason(store: Store, settings: ScorecardSettings):
    """Return ``(report, None)``, or ``(None, message)`` when none can be fitted."""
    try:
        return store_scorecard(store, settings), None
    except ModelError as exc:
        return None, error_text(exc)


@st.cache_resource(show_spinner=False, max_entries=8)
def _upload_scorecard(digest: str, sheet: str, target: str, bad_value,
                      variables: tuple, settings: ScorecardSettings,
                      _frame: pd.DataFrame) -> ScorecardReport:
    # The frame is hashed through ``digest`` and ``sheet``; hashing it again
    # would cost a pass over every cell.
    return develop_scorecard(_frame, target, bad_value=bad_value,
                             variables=list(variables), **settings.as_params())


def upload_scorecard(content: bytes, sheet: str, frame: pd.DataFrame, target: str,
                     bad_value, variables, settings: ScorecardSettings):
    """Develop (or reuse) a scorecard on an uploaded table.

    Returns ``(report, None)``, or ``(None, message)`` when the table cannot
    support a scorecard (one class, a target that is not binary ...).
    """
    digest = hashlib.sha256(content).hexdigest()
    try:
        with st.spinner(t("risk_page.fitting")):
            report = _upload_scorecard(digest, sheet, target, bad_value,
                                       tuple(variables), settings, frame)
    except ModelError as exc:
        return None, error_text(exc)
    return report, None


# -- uploaded tables ------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=4)
def read_uploaded_tables(content: bytes, file_name: str) -> dict[str, pd.DataFrame]:
    """Read an uploaded file into one DataFrame per non-empty sheet.

    The file goes through the product's reader (format from the content, any
    supported encoding). In each sheet the first non-empty row is the header.

    Raises
    ------
    ImportFileError
        When the file is empty, damaged or of a format without tables.
    """
    return read_tables(content, file_name)


# -- the priced book ------------------------------------------------------------

def priced_book(store: Store, report: ScorecardReport | None, approach: str,
                project_finance_sectors: tuple, short_maturity_weights: bool):
    """Return the current book with PD, PD source, grade and capital inputs."""
    book = cached_current_book(store)
    history = development_sample(store)["client_id"].unique() if report else ()
    scored = score_book(book, report.model if report else None, history)
    return capital_inputs(scored, approach, project_finance_sectors,
                          short_maturity_weights)


def clv_or_reason(store: Store):
    """Return ``(CLV per client id in USD, None)`` or ``(None, reason)``."""
    try:
        result = cached_clv(store)
    except ClvDataError as exc:
        return None, error_text(exc)
    except PfcrmError as exc:
        return None, error_text(exc)
    return result.clients.set_index("client_id")["clv"], None


# -- labels and notes -----------------------------------------------------------

TOP_N = 15

IV_BAND_KEYS = {"useless": "useless", "weak": "weak", "medium": "medium",
                "strong": "strong", "very strong": "suspicious"}


def iv_band_label(band: str) -> str:
    """Translate the core's IV band, naming the range (> 0.5 is "suspicious")."""
    return t(f"risk_page.iv_band.{IV_BAND_KEYS.get(band, band)}")


def variable_label(name: object) -> str:
    """Name a variable of the store's development sample, or show it as uploaded."""
    return label_of("risk_page.feature", name)


def psi_band_label(band: str) -> str:
    return t(f"risk.psi.{band.replace(' ', '_')}")


def bin_label(label: object) -> str:
    """Translate the fixed parts of a bin label; intervals and categories stay."""
    text = str(label)
    fixed = {MISSING_LABEL: "risk_page.bin.missing",
             BASE_POINTS_LABEL: "risk_page.bin.base_points",
             UNSEEN_LABEL: "risk_page.bin.unseen"}
    if text in fixed:
        return t(fixed[text])
    for prefix, key in (("rare: ", "risk_page.bin.rare"),
                        ("special: ", "risk_page.bin.special")):
        text = text.replace(prefix, t(key) + " ")
    return text


def scorecard_notes(report: ScorecardReport, unseen: pd.DataFrame | None) -> list[str]:
    """Explain, in the session's language, every variable left out or changed.

    ``unseen`` is the scored table (``n_unseen`` and ``unseen_variables``) of the
    rows the page shows; values in no fitted bin are scored at the worst WoE.
    """
    model = report.model
    notes = []
    iv_table = report.iv_table
    for row in iv_table.itertuples():
        if row.excluded:
            notes.append(t("risk_page.note.all_missing",
                           variable=variable_label(row.variable)))
        elif row.iv < model.min_iv:
            notes.append(t("risk_page.note.low_iv",
                           variable=variable_label(row.variable),
                           iv=f"{row.iv:.4f}", min_iv=f"{model.min_iv:g}"))
        elif row.variable not in model.selected_variables_:
            notes.append(t("risk_page.note.wrong_sign",
                           variable=variable_label(row.variable)))
        labels = model.binner_.binnings_[row.variable].labels
        if any("rare: " in str(label) for label in labels):
            notes.append(t("risk_page.note.pooled",
                           variable=variable_label(row.variable)))

    if unseen is not None and len(unseen):
        counts = {}
        for names in unseen.loc[unseen["n_unseen"] > 0, "unseen_variables"]:
            for name in str(names).split(", "):
                counts[name] = counts.get(name, 0) + 1
        for name, count in counts.items():
            notes.append(t("risk_page.note.unseen", variable=variable_label(name),
                           count=count))
    if report.n_target_missing:
        notes.append(t("risk_page.note.target_missing", count=report.n_target_missing))
    if not math.isnan(report.score_psi) and report.score_psi >= 0.1:
        notes.append(t("risk_page.note.split", psi=f"{report.score_psi:.3f}"))
    return notes


# -- scorecard views ------------------------------------------------------------

def render_discrimination(report: ScorecardReport) -> None:
    """Show AUC, Gini and KS of the training and test samples as metrics."""
    samples = [("train", report.train), ("test", report.test)]
    columns = st.columns(6)
    position = 0
    for sample, metrics in samples:
        for name in ("auc", "gini", "ks"):
            value = f"{metrics[name]:.3f}" if metrics else "–"
            columns[position].metric(t(f"risk_page.metric.{sample}_{name}"), value)
            position += 1
    st.caption(t("risk_page.metric.sizes", train=report.train["n"],
                 train_bad=report.train["n_bad"],
                 test=report.test.get("n", 0), test_bad=report.test.get("n_bad", 0)))


def render_iv_table(report: ScorecardReport, key: str) -> None:
    table = report.iv_table.copy()
    table["in_model"] = table["variable"].isin(report.model.selected_variables_)
    table["variable"] = table["variable"].map(variable_label)
    table["strength_label"] = table["strength"].map(iv_band_label)
    st.dataframe(
        table[["variable", "iv", "strength_label", "n_bins", "in_model"]],
        hide_index=True, width="stretch", key=key,
        column_config={
            "variable": t("risk_page.col.variable"),
            "iv": st.column_config.NumberColumn(t("risk_page.col.iv"), format="%.4f"),
            "strength_label": t("risk_page.col.strength"),
            "n_bins": st.column_config.NumberColumn(t("risk_page.col.n_bins"),
                                                    format="%d"),
            "in_model": st.column_config.CheckboxColumn(t("risk_page.col.in_model")),
        })
    st.caption(t("risk_page.iv.bands"))


def render_points_table(report: ScorecardReport, key: str) -> None:
    table = report.scorecard_table.copy()
    base = table["variable"] == BASE_POINTS_LABEL
    base_points = float(table.loc[base, "points"].sum())
    table = table[~base].copy()
    client_types = table["variable"] == "client_type"
    table["bin"] = table["bin"].map(bin_label)
    table.loc[client_types, "bin"] = table.loc[client_types, "bin"].map(
        lambda value: label_of("client_type", value))
    table["variable"] = table["variable"].map(variable_label)
    st.dataframe(
        table[["variable", "bin", "count", "bad_rate", "woe", "points"]],
        hide_index=True, width="stretch", height=420, key=key,
        column_config={
            "variable": t("risk_page.col.variable"),
            "bin": t("risk_page.col.bin"),
            "count": st.column_config.NumberColumn(t("risk_page.col.count"),
                                                   format="%d"),
            "bad_rate": st.column_config.NumberColumn(t("risk_page.col.bad_rate"),
                                                      format="percent"),
            "woe": st.column_config.NumberColumn(t("risk_page.col.woe"),
                                                 format="%.3f"),
            "points": st.column_config.NumberColumn(t("risk_page.col.points"),
                                                    format="%.1f"),
        })
    st.caption(t("risk_page.scorecard.base_points", points=f"{base_points:.1f}"))


def calibration_figure(report: ScorecardReport) -> go.Figure:
    """Plot the observed bad rate (bars) and the mean PD (line) by PD decile."""
    table = report.calibration
    figure = go.Figure()
    figure.add_bar(x=table["bin"], y=table["observed_bad_rate"],
                   name=t("risk_page.chart.observed"), marker_color="#90a4ae")
    figure.add_scatter(x=table["bin"], y=table["predicted_pd"], mode="lines+markers",
                       name=t("risk_page.chart.predicted"), line_color="#c62828")
    figure.update_layout(xaxis_title=t("risk_page.chart.decile"),
                         yaxis_title=t("risk_page.chart.bad_rate"),
                         yaxis_tickformat=".0%", legend_title_text="",
                         margin={"t": 30})
    return figure


def roc_figure(report: ScorecardReport) -> go.Figure:
    """Plot the ROC curve against the diagonal of a model that cannot discriminate."""
    roc = report.roc
    figure = go.Figure()
    figure.add_scatter(x=roc["fpr"], y=roc["tpr"], mode="lines",
                       name=t("risk_page.chart.roc"))
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dot"},
                       name=t("risk_page.chart.random"))
    figure.update_layout(xaxis_title=t("risk_page.chart.fpr"),
                         yaxis_title=t("risk_page.chart.tpr"), legend_title_text="",
                         margin={"t": 30})
    return figure


def render_report(report: ScorecardReport, scored_rows: pd.DataFrame | None,
                  key: str) -> None:
    """Show the discrimination metrics, the IV and points tables, charts and notes."""
    render_discrimination(report)
    left, right = st.columns(2)
    with left:
        st.subheader(t("risk_page.scorecard.iv_heading"))
        render_iv_table(report, key=f"{key}_iv")
    with right:
        st.subheader(t("risk_page.scorecard.points_heading"))
        render_points_table(report, key=f"{key}_points")
    sample = "test" if report.test else "train"
    left, right = st.columns(2)
    with left:
        st.subheader(t("risk_page.scorecard.calibration_heading"))
        st.plotly_chart(calibration_figure(report), width="stretch",
                        key=f"{key}_calibration")
        st.caption(t(f"risk_page.scorecard.on_{sample}"))
    with right:
        st.subheader(t("risk_page.scorecard.roc_heading"))
        st.plotly_chart(roc_figure(report), width="stretch", key=f"{key}_roc")
        st.caption(t(f"risk_page.scorecard.on_{sample}"))

    st.subheader(t("risk_page.scorecard.notes_heading"))
    notes = scorecard_notes(report, scored_rows)
    if notes:
        st.markdown("\n".join(f"- {note}" for note in notes))
    else:
        st.write(t("risk_page.note.none"))


def riskiest_clients(rows: pd.DataFrame, uploaded: bool = False) -> None:
    """List the rows with the highest scorecard PD, with the variables scored as unseen.

    ``rows`` is the scored book (performing clients are listed), or for an upload
    the ``Scorecard.score_table`` of the table with its target as target_value.
    """
    st.subheader(t("risk_page.riskiest.heading", count=TOP_N))
    if uploaded:
        # The index of an uploaded table is the row number in the file.
        table = rows.assign(row=rows.index, model_pd=rows["pd"])
        columns = ["row", "target_value", "score", "model_pd", "n_unseen",
                   "unseen_variables"]
    else:
        table = rows[~rows["in_default"]]
        columns = ["client_id", "name", "rating", "score", "model_pd", "n_unseen",
                   "unseen_variables"]
    top = table.nlargest(TOP_N, "model_pd")
    # Rows of the book are clients, so selecting one opens the profile. Rows of an
    # uploaded table are not clients.
    draw = st.dataframe if uploaded else client_table
    draw(
        top[columns], hide_index=True, width="stretch", key="risk_riskiest",
        column_config={
            "row": st.column_config.NumberColumn(t("risk_page.col.row"), format="%d"),
            "target_value": t("risk_page.col.target_value"),
            "client_id": t("col.client_id"), "name": t("col.name"),
            "rating": t("risk_page.col.rating"),
            "score": st.column_config.NumberColumn(t("risk_page.col.score"),
                                                   format="%.0f"),
            "model_pd": st.column_config.NumberColumn(t("risk_page.col.model_pd"),
                                                      format="percent"),
            "n_unseen": st.column_config.NumberColumn(t("risk_page.col.n_unseen"),
                                                      format="%d"),
            "unseen_variables": t("risk_page.col.unseen_variables"),
        })
    st.caption(t("risk_page.riskiest.caption"))


# -- the uploaded-table source --------------------------------------------------

def render_upload_source(settings: ScorecardSettings) -> ScorecardReport | None:
    """Let the user upload a table and pick the target, bad value and variables.

    Shows the scorecard developed on it, or why none can be; returns the report
    or None.
    """
    uploaded = st.file_uploader(t("risk_page.upload.label"),
                                type=["csv", "txt", "tsv", "xlsx", "xls", "ods"],
                                key="risk_upload")
    if uploaded is None:
        st.info(t("risk_page.upload.hint"))
        return None
    content = uploaded.getvalue()
    try:
        tables = read_uploaded_tables(content, uploaded.name)
    except ImportFileError as exc:
        st.error(error_text(exc))
        return None

    # The sheet, the target, the label of a default and the candidates.
    sheets = list(tables)
    sheet = sheets[0]
    if len(sheets) > 1:
        sheet = st.selectbox(t("risk_page.upload.sheet"), sheets, key="risk_sheet")
    frame = tables[sheet]
    st.caption(t("risk_page.upload.size", rows=len(frame), columns=len(frame.columns)))
    columns = list(frame.columns)
    left, right = st.columns(2)
    target = left.selectbox(t("risk_page.upload.target"), columns,
                            index=columns.index(default_target(frame)),
                            key="risk_target")
    values = sorted(frame[target].dropna().unique().tolist(), key=str)
    if not values:
        st.warning(t("risk_page.upload.empty_target", column=target))
        return None
    bad_value = right.selectbox(t("risk_page.upload.bad_value"), values,
                                index=values.index(default_bad_value(frame[target])),
                                key=f"risk_bad_value_{target}")
    candidates = [c for c in columns if c != target]
    variables = st.multiselect(t("risk_page.upload.variables"), candidates,
                               default=candidates, key=f"risk_variables_{target}")
    if not variables:
        st.warning(t("risk_page.upload.no_variables"))
        return None

    # The scorecard, scored back on every row of the table.
    report, reason = upload_scorecard(content, sheet, frame, target, bad_value,
                                      variables, settings)
    if report is None:
        st.error(reason)
        return None
    scored = report.model.score_table(frame)
    render_report(report, scored, key="risk_upload_report")
    st.info(t("risk_page.psi.upload_only"))
    riskiest_clients(scored.assign(target_value=frame[target]), uploaded=True)
    return report
