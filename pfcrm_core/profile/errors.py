"""The profile's error and the gap that stands for a section without data."""

from __future__ import annotations

from dataclasses import dataclass, field

from pfcrm_core.errors import KeyedError
from pfcrm_core.i18n import catalogue, translate


class ProfileError(KeyedError):
    """A profile cannot be built: the client id is unknown or a date is invalid."""


@dataclass(frozen=True)
class Gap:
    """Why a section has nothing to show for this client, as a translatable line."""

    key: str
    values: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the line in ``lang`` ("en" or "zh")."""
        return translate(self.key, lang, **self.values)


def gap_from_error(exc: Exception) -> Gap:
    """Return the gap of a model error that carries ``key`` and ``values``.

    Errors without a catalogue key become ``profile.gap.model_failed`` with the
    English message as its value, so the reason is still shown."""
    key = getattr(exc, "key", None)
    if key and key in catalogue():
        return Gap(key, dict(getattr(exc, "values", None) or {}))
    return Gap("profile.gap.model_failed", {"error": str(exc)})
