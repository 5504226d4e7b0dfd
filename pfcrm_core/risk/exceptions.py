"""Errors raised by the risk models.

Each carries a translation ``key`` from ``pfcrm_core/locales/risk.json`` and the
``values`` that fill its placeholders, so the app can show it in the user's language.
The exception text itself is the English version.
"""

from __future__ import annotations

from pfcrm_core.errors import KeyedModelError


class RiskDataError(KeyedModelError):
    """The data cannot support the risk calculation requested: a target with one
    class, labels that are not 0/1, a missing column, no usable variable."""


def format_values(values, limit: int = 10) -> str:
    """Return up to ``limit`` values as a comma-separated list for a message."""
    shown = [repr(v) if isinstance(v, str) else str(v) for v in list(values)[:limit]]
    extra = len(values) - len(shown)
    return ", ".join(shown) + (f" and {extra} more" if extra > 0 else "")
