"""Errors and warnings raised by the CLV models.

Each carries a translation ``key`` from ``pfcrm_core/locales/clv.json`` and the
``values`` that fill its placeholders, so the app can show it in the user's language.
The exception or warning text itself is the English version.
"""

from __future__ import annotations

from pfcrm_core.errors import KeyedModelError
from pfcrm_core.i18n import translate


class ClvDataError(KeyedModelError):
    """The data cannot support a CLV fit: too few clients, no repeat purchases, or
    transactions that cannot be read."""


class ClvWarning(UserWarning):
    """Base class of the statistical caveats of a CLV fit.

    Attributes
    ----------
    key : str
        Translation key of the message, also used as the warning code.
    values : dict
        Placeholder values of the message.
    """

    def __init__(self, key: str, **values: object):
        super().__init__(translate(key, "en", **values))
        self.key = key
        self.values = values


class ThinDataWarning(ClvWarning):
    """Few clients or few repeat buyers: the fit runs, but the estimates are loose."""


class FrequencyMonetaryCorrelationWarning(ClvWarning):
    """Frequency and average spend are correlated, against the Gamma-Gamma assumption
    that spend is independent of the transaction process."""


class NonPositiveMonetaryValueWarning(ClvWarning):
    """Some repeat buyers have an average repeat spend of zero or less; the
    Gamma-Gamma fit leaves them out."""


class ClvConvergenceWarning(ClvWarning):
    """The likelihood maximisation stopped before its convergence criterion held."""


class BoundaryEstimateWarning(ClvWarning):
    """A shape parameter went to an extreme value that the data do not identify."""
