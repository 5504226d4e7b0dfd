"""Streamlit helpers of the roadmap page: cached measurements, the checklists with
their stored ticks, and the data-quality view."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..errors import PfcrmError
from ..export import to_csv_bytes
from ..i18n import translate
from ..quality import DIMENSIONS, EVENT_DATES, QualityReport
from ..roadmap import (ItemStatus, Measurement, StepProgress, load_measure_input,
                       measure_items, record_item, reference_date)
from ..store import Store
from .cache import cached_table
from .context import column_label, error_text, label_of, language, t

FLASH = "roadmap_flash"
OWNER_KEY = "roadmap_owner"

# Pages that help with each step: (page script, label key, material icon).
STEP_PAGES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "goals": (
        ("pages/dashboard/overview.py", "roadmap.link.overview", "dashboard"),
        ("pages/adoption/case_study.py", "roadmap.link.case_study", "menu_book"),
    ),
    "data": (
        ("pages/data/manage.py", "roadmap.link.data", "upload_file"),
    ),
    "tools": (
        ("pages/adoption/advisor.py", "roadmap.link.advisor", "psychology"),
        ("pages/models/clv.py", "roadmap.link.clv", "savings"),
        ("pages/models/satisfaction.py", "roadmap.link.satisfaction",
         "sentiment_satisfied"),
        ("pages/models/segments.py", "roadmap.link.segments", "category"),
        ("pages/models/risk.py", "roadmap.link.risk", "shield"),
        ("pages/models/network.py", "roadmap.link.network", "hub"),
    ),
    "training": (
        ("pages/dashboard/profile.py", "roadmap.link.profile", "person_search"),
        ("pages/adoption/case_study.py", "roadmap.link.case_study", "menu_book"),
    ),
    "improvement": (
        ("pages/models/feedback.py", "roadmap.link.feedback", "forum"),
        ("pages/dashboard/live.py", "roadmap.link.live", "monitoring"),
    ),
}

# Cached measurements ---------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _measure_cached(path: str, version: tuple, as_of: date | None,
                    freshness_days: int) -> tuple[QualityReport, dict, pd.Timestamp]:
    # Shared between sessions: callers only read the report and the measurements.
    data = load_measure_input(Store(path), as_of=as_of, freshness_days=freshness_days)
    return data.quality, measure_items(data), data.as_of


def cached_measurements(store: Store, as_of: date | None, freshness_days: int
                        ) -> tuple[QualityReport, dict[str, Measurement], pd.Timestamp]:
    """Return the quality report, the item measurements and their reference date.

    Computed once per version of the database file and per setting.
    """
    return _measure_cached(str(store.path), store.data_version(), as_of,
                           int(freshness_days))


def default_reference_date(store: Store) -> date:
    """Return the latest event date in the store, or today when it has none."""
    frames = {name: cached_table(store, name) for name in EVENT_DATES}
    latest = reference_date(frames)
    return latest.date() if latest is not None else date.today()


# Text ------------------------------------------------------------------------------


def _join(labels: list[str]) -> str:
    return ("、" if language() == "zh" else ", ").join(labels)


def evidence_text(measurement: Measurement) -> str:
    """Return a measurement's evidence sentence, table names translated."""
    values = dict(measurement.values)
    if "tables" in values:
        values["tables"] = _join([label_of("table", name) for name in values["tables"]])
    return t(measurement.evidence_key, **values)


def item_label(key: str) -> str:
    """Return the text of a checklist item."""
    return t(f"roadmap.item.{key}")


def step_label(key: str) -> str:
    """Return the title of a step."""
    return t(f"roadmap.step.{key}")


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    """Return user text with Markdown characters escaped, so it shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def flash(message: str, kind: str = "success") -> None:
    """Keep a message for the next run of the page."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    """Show and forget the message of the previous run, if any."""
    if FLASH in st.session_state:
        kind, message = st.session_state.pop(FLASH)
        (st.success if kind == "success" else st.error)(message)


# Checklists ------------------------------------------------------------------------


def _store_item(path: str, item_key: str, done: bool, note: str | None) -> None:
    """Write one change, and keep a confirmation or the error for the next run.

    The owner is read when the change is made, so a name typed in the same run
    as the tick is recorded.
    """
    owner = str(st.session_state.get(OWNER_KEY) or "").strip() or None
    try:
        record_item(Store(path), item_key, done, note=note, owner=owner)
    except PfcrmError as exc:
        flash(error_text(exc), "error")
        return
    flash(t("roadmap.saved", item=item_label(item_key)))


def _on_tick(path: str, item_key: str, widget_key: str) -> None:
    _store_item(path, item_key, bool(st.session_state[widget_key]), None)


def _on_override(path: str, item_key: str, note_key: str) -> None:
    _store_item(path, item_key, True, st.session_state.get(note_key))


def _on_remove_override(path: str, item_key: str) -> None:
    _store_item(path, item_key, False, None)


def render_step_links(step_key: str) -> None:
    """Link to the pages that help with a step, or name them as plain text when they
    are not registered (the page runs on its own)."""
    st.caption(t("roadmap.links"))
    columns = st.columns(3)
    for index, (page, label_key, icon) in enumerate(STEP_PAGES[step_key]):
        with columns[index % 3]:
            try:
                st.page_link(page, label=t(label_key), icon=f":material/{icon}:")
            except StreamlitAPIException:
                st.caption(t("roadmap.link.unavailable", label=t(label_key)))


def render_checklist(store: Store, step: StepProgress) -> None:
    """Draw a step's items: a checkbox per manual item, evidence per measured item."""
    for status in step.items:
        if status.item.measured:
            _render_measured_item(store, status)
        else:
            _render_manual_item(store, status)


def _render_manual_item(store: Store, status: ItemStatus) -> None:
    widget_key = f"roadmap_item_{status.key}"
    # The stored state wins, so a tick made in another session shows here too.
    st.session_state[widget_key] = status.done
    st.checkbox(item_label(status.key), key=widget_key, on_change=_on_tick,
                args=(str(store.path), status.key, widget_key))
    if status.done and status.updated_at is not None:
        when = f"{status.updated_at:%Y-%m-%d}"
        if status.owner:
            st.caption(t("roadmap.item.done_by", owner=escape_markdown(status.owner),
                         date=when))
        else:
            st.caption(t("roadmap.item.done_on", date=when))


def _render_measured_item(store: Store, status: ItemStatus) -> None:
    widget_key = f"roadmap_item_{status.key}"
    st.session_state[widget_key] = status.done
    st.checkbox(f"{item_label(status.key)} · *{t('roadmap.badge.measured')}*",
                key=widget_key, disabled=True)
    measurement = status.measurement
    if measurement.met:
        state = f":green[:material/check_circle: {t('roadmap.item.met')}]"
    else:
        state = f":orange[:material/pending: {t('roadmap.item.not_met')}]"
    st.caption(f"{state} {evidence_text(measurement)}")

    if status.source == "override":
        st.caption(t("roadmap.item.overridden"))
        st.text(status.note)
        st.button(t("roadmap.override.remove"), key=f"roadmap_unset_{status.key}",
                  on_click=_on_remove_override,
                  args=(str(store.path), status.key))
    elif not measurement.met:
        with st.expander(t("roadmap.override.open")):
            note_key = f"roadmap_note_{status.key}"
            st.text_input(t("roadmap.override.note"), key=note_key,
                          help=t("roadmap.override.note_help"))
            st.button(t("roadmap.override.submit"),
                      key=f"roadmap_override_{status.key}",
                      on_click=_on_override,
                      args=(str(store.path), status.key, note_key))


# Data quality ----------------------------------------------------------------------


def _dimension_label(dimension: str) -> str:
    return t(f"quality.dimension.{dimension}")


def _shares_shown(tables: pd.DataFrame) -> pd.DataFrame:
    """Return the dimension shares with not-applicable dimensions set to NaN."""
    shares = tables[list(DIMENSIONS)].astype(float).copy()
    for index, names in tables["not_applicable"].items():
        for dimension in filter(None, (n.strip() for n in names.split(","))):
            shares.loc[index, dimension] = float("nan")
    return shares


def quality_heatmap(report: QualityReport) -> go.Figure:
    """Return a heat map of tables by dimension, shares printed in each cell."""
    tables = report.tables[report.tables["rows"] > 0]
    shares = _shares_shown(tables)
    shares["score"] = tables["score"].astype(float)
    text = shares.map(lambda v: t("roadmap.quality.not_applicable") if pd.isna(v)
                      else f"{v:.1%}")
    figure = go.Figure(go.Heatmap(
        z=shares.to_numpy(), text=text.to_numpy(), texttemplate="%{text}",
        x=[_dimension_label(d) for d in DIMENSIONS] + [t("quality.column.score")],
        y=[label_of("table", name) for name in tables["table"]],
        colorscale="RdYlGn", zmin=0.5, zmax=1.0, hoverongaps=False,
        colorbar={"tickformat": ".0%"}))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(height=80 + 40 * len(tables), margin={"t": 20, "b": 20})
    return figure


def quality_table(report: QualityReport) -> pd.DataFrame:
    """Return the per-table shares as percent text, "n/a" where a dimension does not
    apply, with translated table names."""
    tables = report.tables
    shares = _shares_shown(tables)
    shares["score"] = tables["score"].astype(float)
    not_applicable = t("roadmap.quality.not_applicable")
    cells = shares.map(lambda v: not_applicable if pd.isna(v) else f"{v:.1%}")
    cells.insert(0, "rows", tables["rows"])
    cells.insert(0, "table", tables["table"].map(lambda v: label_of("table", v)))
    return cells


def _examples_text(examples: list[dict]) -> str:
    # ``translate`` takes the catalogue key positionally, so a placeholder may be
    # called ``key`` too; ``t`` would take it as its own argument.
    lang = language()
    parts = []
    for example in examples:
        if example["value"] == "":
            parts.append(translate("quality.example.missing", lang,
                                   key=example["key"]))
        else:
            parts.append(translate("quality.example", lang, key=example["key"],
                                   value=example["value"]))
    return "; ".join(parts)


def worst_fields_table(report: QualityReport, limit: int) -> pd.DataFrame:
    """Return the worst fields with translated names, the share failing in percent and
    the examples as plain text."""
    fields = report.worst_fields.head(limit)
    return pd.DataFrame({
        "table": fields["table"].map(lambda v: label_of("table", v)),
        "column": [column_label(table, column) if "," not in column else column
                   for table, column in zip(fields["table"], fields["column"])],
        "dimension": fields["dimension"].map(_dimension_label),
        "share_failing": fields["share_failing"].astype(float) * 100,
        "failing": fields["failing"],
        "checked": fields["checked"],
        "examples": fields["examples"].map(_examples_text),
    })


def field_results_csv(report: QualityReport) -> bytes:
    """Return every failing field as CSV, examples flattened to "key: value" text."""
    fields = report.worst_fields.copy()
    fields["examples"] = fields["examples"].map(
        lambda examples: "; ".join(f"{e['key']}: {e['value']}" for e in examples))
    return to_csv_bytes(fields)


WORST_SHOWN = 20


def render_quality(report: QualityReport) -> None:
    """Draw the data-quality tab: scores, the heat map, the worst fields, the CSV."""
    measured = report.tables[report.tables["rows"] > 0]
    if measured.empty:
        st.info(t("roadmap.quality.empty"))
        return

    metrics = st.columns(3)
    metrics[0].metric(t("roadmap.kpi.quality"), f"{report.overall:.1%}")
    metrics[1].metric(t("roadmap.quality.tables_measured"), f"{len(measured)}")
    metrics[2].metric(t("roadmap.quality.failing_fields"),
                      f"{len(report.worst_fields)}")
    st.caption(t("roadmap.quality.caption", as_of=f"{report.as_of:%Y-%m-%d}",
                 days=report.freshness_days))

    st.subheader(t("roadmap.quality.heading"))
    st.plotly_chart(quality_heatmap(report), width="stretch", key="roadmap_heatmap")
    number = st.column_config.NumberColumn
    st.dataframe(quality_table(report), hide_index=True, width="stretch",
                 key="roadmap_quality_table", column_config={
                     "table": t("quality.column.table"),
                     "rows": number(t("quality.column.rows"), format="%d"),
                     **{d: _dimension_label(d) for d in DIMENSIONS},
                     "score": t("quality.column.score"),
                 })

    st.subheader(t("roadmap.quality.worst"))
    if report.worst_fields.empty:
        st.success(t("roadmap.quality.no_failures"))
        return
    worst = worst_fields_table(report, WORST_SHOWN)
    st.caption(t("roadmap.quality.worst_caption", count=len(worst)))
    st.dataframe(worst, hide_index=True, width="stretch", key="roadmap_worst_fields",
                 column_config={
                     "table": t("quality.column.table"),
                     "column": t("quality.column.column"),
                     "dimension": t("quality.column.dimension"),
                     "share_failing": st.column_config.ProgressColumn(
                         t("quality.column.share_failing"), format="%.1f%%",
                         min_value=0.0, max_value=100.0),
                     "failing": number(t("quality.column.failing"), format="%d"),
                     "checked": number(t("quality.column.checked"), format="%d"),
                     "examples": st.column_config.TextColumn(
                         t("quality.column.examples"), width="large"),
                 })
    st.download_button(t("roadmap.quality.download"), field_results_csv(report),
                       file_name="data_quality_fields.csv", mime="text/csv",
                       key="roadmap_quality_download")
