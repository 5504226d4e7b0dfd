"""The Live page's cached snapshot and the translated activity and import tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..live import LiveSnapshot, live_snapshot
from ..store import Store
from .context import label_of, t

# The catalogue prefix that translates the ``category`` of each activity kind.
CATEGORY_PREFIXES = {
    "interaction": "channel",
    "deal": "role",
    "case": "follow_up_status",
}
IMPORT_COLUMNS = ("import_id", "table_name", "file_name", "rows_added",
                  "rows_updated", "rows_rejected", "imported_at", "undone_at")


@st.cache_data(show_spinner=False, max_entries=8)
def _snapshot(path: str, version: tuple) -> LiveSnapshot:
    return live_snapshot(Store(path))


def cached_snapshot(store: Store) -> LiveSnapshot:
    """Return the live snapshot, read again only when the database file changed.

    The key is ``Store.data_version``, so a write by another process (an import
    from the command line) is picked up at the next run of the fragment.
    """
    return _snapshot(str(store.path), store.data_version())


def activity_table(activity: pd.DataFrame) -> pd.DataFrame:
    """Return the activity rows with the kind and category in the session's language."""
    table = activity.copy()
    table["category"] = [
        label_of(CATEGORY_PREFIXES[kind], value)
        if kind in CATEGORY_PREFIXES and value is not None and value == value
        else value
        for kind, value in zip(table["kind"], table["category"])]
    table["kind"] = table["kind"].map(lambda kind: t(f"live.kind.{kind}"))
    table["client"] = table["name"].fillna(table["client_id"])
    # Rows of different kinds fill different columns; a blank reads better than
    # the grid's grey "None". Amounts and scores become text for the same reason.
    table["amount"] = [_number_text(v, "{:,.0f}") for v in table["amount"]]
    table["score"] = [_number_text(v, "{:.0f}") for v in table["score"]]
    for column in ("detail", "category", "currency", "reference"):
        table[column] = table[column].astype(object).where(table[column].notna(), "")
    # What happened first, the ids last: that is the order an executive reads in.
    return table[["date", "kind", "client", "detail", "category", "amount", "currency",
                  "score", "reference", "client_id"]]


def _number_text(value, pattern: str) -> str:
    return "" if value is None or pd.isna(value) else pattern.format(value)


def activity_columns() -> dict:
    """Return the column configuration of the activity table."""
    return {
        "date": st.column_config.DateColumn(t("live.col.date"), format="YYYY-MM-DD"),
        "kind": t("live.col.kind"),
        "client": t("live.col.client"),
        "client_id": t("live.col.client_id"),
        "reference": t("live.col.reference"),
        "category": t("live.col.category"),
        "detail": st.column_config.TextColumn(t("live.col.detail"), width="large"),
        "amount": st.column_config.TextColumn(t("live.col.amount")),
        "currency": t("live.col.currency"),
        "score": st.column_config.TextColumn(t("live.col.score")),
    }


def imports_table(imports: pd.DataFrame) -> pd.DataFrame:
    """Return the latest imports with the table name in the session's language."""
    table = imports.reindex(columns=list(IMPORT_COLUMNS)).copy()
    table["table_name"] = table["table_name"].map(lambda name: label_of("table", name))
    table["undone_at"] = [
        "" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M:%S}"
        for value in table["undone_at"]]
    return table


def imports_columns() -> dict:
    """Return the column configuration of the imports table."""
    labels = {column: t(f"data.history.col.{column}") for column in IMPORT_COLUMNS}
    labels["imported_at"] = st.column_config.DatetimeColumn(
        labels["imported_at"], format="YYYY-MM-DD HH:mm:ss")
    return labels


def data_page_link() -> None:
    """Link to the Data page; nothing when the app has not registered it."""
    try:
        st.page_link("pages/data/manage.py", label=t("live.go_to_data"),
                     icon=":material/upload_file:")
    except StreamlitAPIException:
        return
