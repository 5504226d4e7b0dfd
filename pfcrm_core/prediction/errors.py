"""The error raised when the data cannot support a prediction."""

from __future__ import annotations

from pfcrm_core.notes import KeyedModelError


class PredictionError(KeyedModelError):
    """The book is too thin or malformed for the next-deal model or the fee forecast.

    Attributes
    ----------
    key : str
        Translation key of the message in ``pfcrm_core/locales/prediction.json``.
    values : dict
        Placeholder values of the message.
    """


def require_columns(frame, columns, table: str) -> None:
    """Raise ``PredictionError`` naming the ``columns`` that ``frame`` lacks."""
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise PredictionError("prediction.error.missing_columns", table=table,
                              missing=", ".join(missing),
                              present=", ".join(map(str, frame.columns)))
