"""Streamlit helpers shared by the pages: language, the active store, cached reads.

This is the only part of ``pfcrm_core`` that imports Streamlit. Pages call these
helpers and the core modules; they hold no SQL and no model maths.
"""

from .context import (
    active_store,
    column_label,
    error_text,
    fmt_money,
    label_of,
    labeller,
    language,
    render_sidebar,
    show_error,
    t,
)
from .cache import cached_table, cached_row_counts, cached_history, clear_caches

__all__ = [
    "active_store",
    "cached_history",
    "cached_row_counts",
    "cached_table",
    "clear_caches",
    "column_label",
    "error_text",
    "fmt_money",
    "label_of",
    "labeller",
    "language",
    "render_sidebar",
    "show_error",
    "t",
]
