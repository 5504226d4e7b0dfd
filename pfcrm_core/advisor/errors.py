"""The error raised for advisor answers or cost-benefit inputs that are out of range."""

from __future__ import annotations

from pfcrm_core.notes import KeyedModelError


class AdvisorInputError(KeyedModelError):
    """An answer or a cost-benefit input is invalid.

    Attributes
    ----------
    key : str
        Translation key of the message in ``pfcrm_core/locales/advisor.json``.
    values : dict
        Placeholder values of the message: the input's name, the value received and
        the allowed range.
    """
