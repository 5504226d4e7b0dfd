"""Translatable model errors and notes shared by the model packages.

Both carry a translation ``key`` from ``pfcrm_core/locales`` and the ``values``
that fill its placeholders, so the app can show them in the user's language. The
exception text itself is the English message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pfcrm_core.errors import KeyedModelError  # noqa: F401  (re-exported)
from pfcrm_core.i18n import translate


@dataclass(frozen=True)
class Note:
    """A fact about the data or the fit that a reader of the results needs.

    Attributes
    ----------
    key : str
        Translation key of the message.
    values : dict
        Placeholder values of the message.
    """

    key: str
    values: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the note's text in ``lang`` ("en" or "zh")."""
        return translate(self.key, lang, **self.values)

    def to_dict(self) -> dict:
        """Return the note as a JSON-ready dict with the English message."""
        return {"key": self.key, "values": dict(self.values),
                "message": self.message("en")}
