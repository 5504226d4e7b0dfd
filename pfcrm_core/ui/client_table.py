"""Client tables: an ``st.dataframe`` whose selected row opens that client's profile.

Every table in the app with one client per row draws through ``client_table``, so
a user can go from any list of clients to the profile in one click. The profile
link carries the client and the language in the URL (``?client=ID&lang=xx``), so
the page it opens can be bookmarked and shared.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from .context import language, t
from .profile import CLIENT_PARAM, PROFILE_PAGE

logger = logging.getLogger(__name__)


def selected_client_id(event: Mapping | None, frame: pd.DataFrame,
                       client_column: str = "client_id") -> str | None:
    """Return the client id of the selected row, or None when no row is selected.

    Parameters
    ----------
    event : mapping or None
        The value ``st.dataframe`` returns with ``on_select="rerun"``:
        ``{"selection": {"rows": [...], "columns": [...], "cells": [...]}}``.
        Row numbers are positions in ``frame`` (Streamlit keeps them when the user
        sorts the table in the browser).
    frame : pandas.DataFrame
        The table that was drawn, in the order it was drawn.
    client_column : str, default "client_id"
        The column of ``frame`` that contains the client id.

    Returns
    -------
    str or None
        The id as text; None for no selection, a row number outside ``frame``
        (the table changed since the selection was made) or a missing id.
    """
    selection = (event or {}).get("selection") or {}
    rows = selection.get("rows") or []
    if not rows:
        return None

    row = rows[0]
    if not isinstance(row, int) or not 0 <= row < len(frame):
        return None
    client_id = frame[client_column].iloc[row]
    if pd.isna(client_id) or not str(client_id).strip():
        return None
    return str(client_id).strip()


def open_client_profile(client_id: str) -> None:
    """Switch to the profile page with ``?client=ID`` and the session's language.

    When the profile page is not registered (a page script run on its own, as in
    tests), only the ``client`` query parameter is set and the page goes on. It
    does not rerun, because the selection that triggered the call would trigger
    it again on every run.
    """
    params = {CLIENT_PARAM: client_id, "lang": language()}
    try:
        st.switch_page(PROFILE_PAGE, query_params=params)
    except StreamlitAPIException as exc:
        logger.info("profile page not registered, setting ?client=%s only: %s",
                    client_id, exc)
        st.query_params[CLIENT_PARAM] = client_id


def client_table(frame: pd.DataFrame, *, key: str, client_column: str = "client_id",
                 **dataframe_kwargs):
    """Draw a table of clients; selecting a row opens that client's profile.

    A translated caption above the table explains this. The table is an
    ``st.dataframe`` with ``on_select="rerun"`` and ``selection_mode="single-row"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show, one client per row. It must contain ``client_column``.
        To hide the id, leave it out of ``column_order``.
    key : str
        Widget key of the table; it also stores the selection in session state
        (``{"selection": {"rows": [n]}}``), which tests may set.
    client_column : str, default "client_id"
        The column that contains the client id.
    **dataframe_kwargs
        Passed to ``st.dataframe`` (``column_config``, ``hide_index``, ``width``,
        ``height``, ``column_order``...), except ``key``, ``on_select`` and
        ``selection_mode``, which this function sets.

    Returns
    -------
    streamlit.elements.arrow.DataframeState
        The selection event. When a row is selected the call does not return,
        because ``st.switch_page`` stops the script, unless the profile page is not
        registered (see ``open_client_profile``).

    Raises
    ------
    ValueError
        When ``frame`` has no column ``client_column``.
    """
    if client_column not in frame.columns:
        raise ValueError(
            f"client_table: column {client_column!r} is missing from frame (columns: "
            f"{list(frame.columns)}). Pass the name of the id column as client_column.")

    st.caption(t("client_table.hint"))
    event = st.dataframe(frame, key=key, on_select="rerun",
                         selection_mode="single-row", **dataframe_kwargs)

    client_id = selected_client_id(event, frame, client_column)
    if client_id is not None:
        open_client_profile(client_id)
    return event
