"""Parse credit ratings of several scales onto one ordinal notch scale.

The common scale has 22 notches, best first: 1 is AAA (Moody's Aaa), 10 is BBB-
(Baa3), the last investment-grade notch, 21 is C and 22 is default (D, SD, RD).
S&P and Fitch symbols and Moody's symbols map notch for notch, so ``BBB+`` and
``Baa1`` both give 8. Moody's has no default symbol, and its lowest grade C maps to
notch 21.

Internal grades 1..10 map through ``INTERNAL_GRADE_NOTCH``, a typical bank master
scale. NOTE: that mapping is an assumption, not a standard; pass the bank's own
mapping as ``internal_scale`` when it differs.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

SP_SCALE = ("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
            "BB+", "BB", "BB-", "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C")
MOODYS_SCALE = ("Aaa", "Aa1", "Aa2", "Aa3", "A1", "A2", "A3", "Baa1", "Baa2", "Baa3",
                "Ba1", "Ba2", "Ba3", "B1", "B2", "B3", "Caa1", "Caa2", "Caa3", "Ca",
                "C")
DEFAULT_SYMBOLS = ("D", "SD", "RD")

DEFAULT_NOTCH = 22
LAST_INVESTMENT_GRADE_NOTCH = 10
LAST_SPECULATIVE_NOTCH = 16

# Internal grade to notch: 1 ~ AA+, 2 ~ A, 3 ~ BBB+, 4 ~ BBB, 5 ~ BBB-, 6 ~ BB,
# 7 ~ BB-, 8 ~ B, 9 ~ CCC, 10 = default.
INTERNAL_GRADE_NOTCH = {1: 2, 2: 6, 3: 8, 4: 9, 5: 10, 6: 12, 7: 13, 8: 15, 9: 18,
                        10: 22}

# Values that mean "no rating" rather than an unreadable one.
NOT_RATED = ("NR", "WR", "N/A", "NA", "UNRATED", "未评级", "无评级", "-")

SCALE_SP = "s&p/fitch"
SCALE_MOODYS = "moody's"
SCALE_INTERNAL = "internal"

_SYMBOL_NOTCH = {
    **{symbol: notch for notch, symbol in enumerate(SP_SCALE, start=1)},
    **{symbol.upper(): notch for notch, symbol in enumerate(MOODYS_SCALE, start=1)},
    **{symbol: DEFAULT_NOTCH for symbol in DEFAULT_SYMBOLS},
}
_MOODYS_UPPER = {symbol.upper() for symbol in MOODYS_SCALE} - set(SP_SCALE)

# Outlooks, watch marks and qualifiers that do not change the notch.
_QUALIFIERS = re.compile(
    r"\((P|EXP|SF|U|F)\)|\b(STABLE|POSITIVE|NEGATIVE|DEVELOPING|WATCH\w*|OUTLOOK|"
    r"SF|PI|U)\b|\*[+-]?|\(.*?\)|[（].*?[）]")


def parse_rating(value, internal_scale: dict[int, int] | None = None
                 ) -> tuple[float, str | None]:
    """Return the notch (1 best .. 22 default) and the scale of one rating.

    Parameters
    ----------
    value : str, int or None
        A rating such as ``"BBB-"``, ``"Baa3"``, ``"bbb− (stable)"`` or an internal
        grade ``7``. Case, full-width characters and the Unicode minus are accepted.
    internal_scale : dict of int to int, optional
        Internal grade to notch; default ``INTERNAL_GRADE_NOTCH``.

    Returns
    -------
    (float, str or None)
        The notch, NaN when the value is missing, not rated or unreadable, and the
        scale (``"s&p/fitch"``, ``"moody's"``, ``"internal"``), ``"missing"``,
        ``"not rated"`` or ``"unknown"``.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan, "missing"
    if value is pd.NA:
        return np.nan, "missing"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)

    text = _normalise(value)
    if not text:
        return np.nan, "missing"
    if text in NOT_RATED:
        return np.nan, "not rated"

    if text.isdigit():
        grades = INTERNAL_GRADE_NOTCH if internal_scale is None else internal_scale
        notch = grades.get(int(text))
        if notch is None:
            return np.nan, "unknown"
        return float(notch), SCALE_INTERNAL

    notch = _SYMBOL_NOTCH.get(text)
    if notch is None:
        return np.nan, "unknown"
    # Symbols that both scales use (AAA, C) are reported as S&P/Fitch, with the
    # same notch either way.
    scale = SCALE_MOODYS if text in _MOODYS_UPPER else SCALE_SP
    return float(notch), scale


def parse_ratings(values: pd.Series, internal_scale: dict[int, int] | None = None
                  ) -> pd.DataFrame:
    """Parse a column of ratings; see ``parse_rating``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``values``, columns ``rating_notch`` (float, NaN when missing
        or unreadable) and ``rating_scale``.
    """
    unique = pd.unique(values.astype(object))
    parsed = {_cache_key(v): parse_rating(v, internal_scale) for v in unique}
    pairs = [parsed[_cache_key(v)] for v in values.astype(object)]
    return pd.DataFrame({"rating_notch": [p[0] for p in pairs],
                         "rating_scale": [p[1] for p in pairs]},
                        index=values.index)


def notch_symbol(notch: float) -> str | None:
    """Return the S&P symbol of a notch (``D`` for 22), None for NaN."""
    if notch is None or np.isnan(notch):
        return None
    index = int(round(notch))
    if index >= DEFAULT_NOTCH:
        return "D"
    return SP_SCALE[max(index, 1) - 1]


def _normalise(value) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.replace("\u2212", "-").replace("\u2013", "-").upper()
    text = _QUALIFIERS.sub(" ", text)
    return re.sub(r"\s+", "", text)


def _cache_key(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value
