"""Cached reads keyed on the database file's fingerprint.

``Store.data_version`` changes whenever any process writes the file, so data
imported from the command line shows on the app's next run without a restart,
and no connection is held between runs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..store import Store


@st.cache_data(show_spinner=False, max_entries=64)
def _read_table(path: str, version: tuple, name: str) -> pd.DataFrame:
    return Store(path).read_table(name)


@st.cache_data(show_spinner=False, max_entries=16)
def _row_counts(path: str, version: tuple) -> dict[str, int]:
    return Store(path).row_counts()


@st.cache_data(show_spinner=False, max_entries=16)
def _history(path: str, version: tuple) -> pd.DataFrame:
    return Store(path).import_history()


def cached_table(store: Store, name: str) -> pd.DataFrame:
    """Return a canonical table, read once per version of the file."""
    return _read_table(str(store.path), store.data_version(), name)


def cached_row_counts(store: Store) -> dict[str, int]:
    """Return the row count of each canonical table, read once per version."""
    return _row_counts(str(store.path), store.data_version())


def cached_history(store: Store) -> pd.DataFrame:
    """Return the import log, read once per version of the file."""
    return _history(str(store.path), store.data_version())


def clear_caches() -> None:
    """Drop every cached read, e.g. after this session wrote to the file."""
    st.cache_data.clear()
