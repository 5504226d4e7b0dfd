"""Conversion of amounts to the reporting currency (USD) at fixed reference rates.

NOTE: the rates are static reference values (USD per unit, rounded, close to
market levels in 2025–2026), so converted totals are indicative. They keep the
executive totals comparable across deals booked in several currencies; they are
not a market-data feed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REPORTING_CURRENCY = "USD"

USD_PER_UNIT = {
    "USD": 1.0,
    "EUR": 1.08,
    "GBP": 1.27,
    "CNY": 0.139,
    "HKD": 0.128,
    "JPY": 0.0067,
    "SGD": 0.74,
    "AUD": 0.66,
    "CAD": 0.73,
    "CHF": 1.12,
    "AED": 0.272,
    "SAR": 0.267,
    "INR": 0.012,
    "BRL": 0.18,
    "ZAR": 0.054,
}


def to_usd(amounts: pd.Series, currencies: pd.Series) -> pd.Series:
    """Convert ``amounts`` to USD using each row's currency code.

    A missing currency is taken as USD. An unknown code gives NaN, so totals skip
    it rather than mixing units; callers report how many rows that affected.
    """
    codes = currencies.fillna(REPORTING_CURRENCY).astype(str).str.upper().str.strip()
    rates = codes.map(USD_PER_UNIT).astype(float)
    return pd.to_numeric(amounts, errors="coerce").astype(float) * rates


def unknown_currencies(currencies: pd.Series) -> list[str]:
    """Return the sorted currency codes that have no reference rate."""
    codes = currencies.dropna().astype(str).str.upper().str.strip()
    return sorted(set(codes) - set(USD_PER_UNIT))


def rate_table() -> pd.DataFrame:
    """Return the reference rates as a table for display."""
    return pd.DataFrame({"currency": list(USD_PER_UNIT),
                         "usd_per_unit": np.array(list(USD_PER_UNIT.values()))})


def revenue_in_usd(revenue: pd.DataFrame) -> pd.DataFrame:
    """Return client_id, date and amount (in USD) for the revenue rows with a known rate.

    This is the transactions table that the CLV models read.
    """
    currencies = revenue["currency"] if "currency" in revenue else pd.Series(
        REPORTING_CURRENCY, index=revenue.index)
    amount = to_usd(revenue["amount"], currencies)
    frame = pd.DataFrame({"client_id": revenue["client_id"],
                          "date": pd.to_datetime(revenue["date"]),
                          "amount": amount})
    return frame[amount.notna()].reset_index(drop=True)
