"""Errors and notes of the satisfaction, loyalty and feedback-loop analytics.

Both carry a translation ``key`` from ``pfcrm_core/locales/satisfaction.json`` and
the ``values`` that fill its placeholders, so the app can show them in the user's
language. The exception text itself is the English message.
"""

from __future__ import annotations

from pfcrm_core.errors import KeyedModelError
from pfcrm_core.segmentation.errors import Note

__all__ = ["Note", "SatisfactionError", "require_columns"]


class SatisfactionError(KeyedModelError):
    """The data or settings cannot support a satisfaction or feedback analysis."""


def require_columns(frame, columns, table: str) -> None:
    """Raise ``SatisfactionError`` naming the ``columns`` that ``frame`` lacks."""
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise SatisfactionError("satisfaction.error.missing_columns", table=table,
                                missing=", ".join(missing),
                                present=", ".join(map(str, frame.columns)))
