"""Compact amounts for text in either language: "12.3 m USD", "1.2 亿美元".

English writes thousands, millions and billions. Chinese reports write 万 (10^4)
and 亿 (10^8) rather than 百万 (10^6).
"""

from __future__ import annotations

import pandas as pd

# Units per language, largest first: (threshold, suffix after the number).
MONEY_UNITS = {"en": ((1e9, " bn"), (1e6, " m"), (1e3, " k")),
               "zh": ((1e8, " 亿"), (1e4, " 万"))}
# Currency names written after the number in Chinese; others keep their code.
CURRENCY_NAMES_ZH = {"USD": "美元", "EUR": "欧元", "CNY": "元"}


def format_usd(value: float | None, lang: str = "en") -> str:
    """Format an amount in USD with the language's largest unit it reaches.

    Parameters
    ----------
    value : float or None
        Amount in USD (not thousands or millions).
    lang : {"en", "zh"}, default "en"
        Language of the text; any other code is written as English.

    Returns
    -------
    str
        One decimal with a unit ("12.3 m USD", "250.0 万美元"), whole USD below the
        smallest unit ("950 USD", "950美元"), or "–" when ``value`` is missing.
    """
    return format_amount(value, lang, "USD")


def format_amount(value: float | None, lang: str = "en", currency: str = "USD") -> str:
    """Format an amount in ``currency`` like ``format_usd`` ("1.2 bn EUR", "3.0 万欧元")."""
    if _is_missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    value = abs(float(value))
    name = CURRENCY_NAMES_ZH.get(currency, f" {currency}") if lang == "zh" \
        else f" {currency}"
    for threshold, suffix in MONEY_UNITS.get(lang, MONEY_UNITS["en"]):
        if value >= threshold:
            return f"{sign}{value / threshold:,.1f}{suffix}{name}"
    return f"{sign}{value:,.0f}{name}"


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
