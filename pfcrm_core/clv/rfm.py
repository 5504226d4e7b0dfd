"""Recency, frequency, monetary value and tenure (T) per client from transactions.

Time units
----------
``"days"``
    Calendar days.
``"weeks"``
    Days / 7, fractional (a purchase 10 days after the first is at 1.4286 weeks).
``"months"``
    Days / (365.25 / 12), fractional: average Gregorian months of 30.4375 days.

Dates are calendar days. Transactions of one client on one day are merged into one
transaction whose value is the sum, as in Fader, Hardie and Lee (2005).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.clv.exceptions import ClvDataError

DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12.0}
DAYS_PER_MONTH = DAYS_PER_UNIT["months"]

SUMMARY_COLUMNS = ("client_id", "frequency", "recency", "T", "monetary_value",
                   "first_purchase")
HOLDOUT_COLUMNS = ("frequency_holdout", "monetary_value_holdout", "duration_holdout")


def days_per_unit(unit: str) -> float:
    """Return the number of days in one time ``unit``.

    Raises
    ------
    ValueError
        When ``unit`` is not ``"days"``, ``"weeks"`` or ``"months"``.
    """
    try:
        return DAYS_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"unit={unit!r} is not supported; use one of "
                         f"{', '.join(DAYS_PER_UNIT)}") from None


def months_to_units(months, unit: str):
    """Convert a duration in months (30.4375 days each) to ``unit``."""
    return np.asarray(months, dtype=float) * DAYS_PER_MONTH / days_per_unit(unit)


@dataclass
class DailyTransactions:
    """Transactions merged to one row per client and day, sorted by client then day.

    Attributes
    ----------
    client_ids : ndarray
        Distinct client ids; ``codes`` index into it.
    codes : ndarray of int64
        Client index per row.
    days : ndarray of int64
        Days since 1970-01-01 per row.
    values : ndarray of float64
        Sum of the transaction values of the client on that day.
    """

    client_ids: np.ndarray
    codes: np.ndarray
    days: np.ndarray
    values: np.ndarray


def to_day_number(value, name: str) -> int:
    """Convert a date-like scalar to days since 1970-01-01 (time of day dropped)."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ClvDataError("clv.error.bad_date_argument", name=name,
                           value=repr(value)) from None
    if pd.isna(stamp):
        raise ClvDataError("clv.error.bad_date_argument", name=name, value=repr(value))
    return int(stamp.normalize().value // 86_400_000_000_000)


def day_number_to_date(day: int) -> pd.Timestamp:
    return pd.Timestamp(int(day), unit="D")


def merge_same_day(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "client_id",
    date_col: str = "date",
    value_col: str = "amount",
    last_day: int | None = None,
) -> DailyTransactions:
    """Validate transactions and merge each client's same-day rows.

    Rows after ``last_day`` (days since 1970-01-01) are dropped.

    Raises
    ------
    ClvDataError
        When a column is missing, a date or amount cannot be read, or a client id is
        empty.
    """
    missing = sorted({customer_col, date_col, value_col} - set(transactions.columns))
    if missing:
        raise ClvDataError("clv.error.missing_columns", columns=", ".join(missing),
                           available=", ".join(map(str, transactions.columns)))

    ids = transactions[customer_col]
    if ids.isna().any():
        raise ClvDataError("clv.error.missing_client_id", column=customer_col,
                           count=int(ids.isna().sum()))
    days = _read_days(transactions[date_col], date_col)
    values = _read_values(transactions[value_col], value_col)
    if last_day is not None:
        keep = days <= last_day
        ids, days, values = ids[keep], days[keep], values[keep]

    # Sort by one int64 key (client code, day) and sum rows with equal keys.
    codes, client_ids = pd.factorize(ids, sort=True)
    codes = codes.astype(np.int64)
    first_day = int(days.min()) if days.size else 0
    span = int(days.max()) - first_day + 1 if days.size else 1
    key = codes * span + (days - first_day)
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
    merged_values = np.add.reduceat(values[order], starts) if key.size else values
    merged_key = key[starts]
    return DailyTransactions(
        client_ids=np.asarray(client_ids),
        codes=merged_key // span,
        days=merged_key % span + first_day,
        values=merged_values.astype(np.float64),
    )


def _read_days(column: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(column):
        dates = column
    else:
        try:
            dates = pd.to_datetime(column, errors="raise", format="mixed")
        except (TypeError, ValueError) as error:
            raise ClvDataError("clv.error.bad_dates", column=name,
                               detail=str(error)) from None
    if dates.isna().any():
        first = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise ClvDataError("clv.error.missing_dates", column=name,
                           count=int(dates.isna().sum()), row=first + 1)
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def _read_values(column: pd.Series, name: str) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ClvDataError("clv.error.bad_amounts", column=name, count=int(bad.sum()),
                           row=first + 1, value=repr(column.iloc[first]))
    return values


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    observation_end,
    unit: str = "weeks",
    calibration_end=None,
    customer_col: str = "client_id",
    date_col: str = "date",
    value_col: str = "amount",
) -> pd.DataFrame:
    """Summarise transactions into frequency, recency, T and monetary value per client.

    Same-day transactions of a client are merged into one whose value is the sum.
    Transactions dated after ``observation_end`` are ignored; those dated on it count.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction with a client id, a date and a value.
    observation_end : date-like
        Last day of observation.
    unit : {"weeks", "days", "months"}, default "weeks"
        Time unit of ``recency``, ``T`` and ``duration_holdout`` (see the module
        docstring for the day counts).
    calibration_end : date-like, optional
        Last day of the calibration period. When given, the summary describes the
        calibration period (transactions on or before this day), clients whose first
        purchase is later are left out, and holdout columns are added.
    customer_col, date_col, value_col : str
        Column names in ``transactions``.

    Returns
    -------
    DataFrame
        One row per client, sorted by id, with columns:

        - ``client_id``: the id from ``customer_col``.
        - ``frequency``: repeat transactions, i.e. distinct purchase days minus one.
        - ``recency``: time from the first to the last purchase.
        - ``T``: time from the first purchase to the end of the period, counted as
          whole days ``end - first`` (a purchase on the end day itself gives T = 0).
          This is the convention that reproduces the published BG/NBD fit on CDNOW.
        - ``monetary_value``: mean value of the repeat transactions, 0 when
          ``frequency`` is 0. The first purchase is left out, as in the Gamma-Gamma
          model of Fader, Hardie and Lee (2005).
        - ``first_purchase``: date of the first purchase.
        - with ``calibration_end``: ``frequency_holdout`` (purchase days in the
          holdout period), ``monetary_value_holdout`` (their mean value, 0 if none)
          and ``duration_holdout`` (``observation_end - calibration_end``).

        ``attrs`` stores ``unit``, ``observation_end`` and ``calibration_end``.

    Raises
    ------
    ClvDataError
        When columns are missing, dates or amounts cannot be read, no transaction is
        on or before the end of the period, or ``calibration_end`` is not before
        ``observation_end``.
    """
    scale = days_per_unit(unit)
    end_day = to_day_number(observation_end, "observation_end")
    calibration_day = None
    if calibration_end is not None:
        calibration_day = to_day_number(calibration_end, "calibration_end")
        if calibration_day >= end_day:
            raise ClvDataError(
                "clv.error.calibration_not_before_end",
                calibration_end=str(day_number_to_date(calibration_day).date()),
                observation_end=str(day_number_to_date(end_day).date()))

    daily = merge_same_day(transactions, customer_col=customer_col, date_col=date_col,
                           value_col=value_col, last_day=end_day)
    period_end = end_day if calibration_day is None else calibration_day
    in_period = daily.days <= period_end
    if not in_period.any():
        raise ClvDataError("clv.error.no_transactions_in_period",
                           end=str(day_number_to_date(period_end).date()))

    summary, codes = _summarise_period(daily, in_period, period_end, scale)
    if calibration_day is not None:
        _add_holdout(summary, codes, daily, ~in_period, calibration_day, end_day, scale)

    summary.attrs["unit"] = unit
    summary.attrs["observation_end"] = day_number_to_date(end_day)
    summary.attrs["calibration_end"] = (None if calibration_day is None
                                        else day_number_to_date(calibration_day))
    return summary


def _summarise_period(daily: DailyTransactions, mask: np.ndarray, end_day: int,
                      scale: float) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the period summary and each row's client code."""
    codes = daily.codes[mask]
    days = daily.days[mask]
    values = daily.values[mask]

    # Rows are sorted by client, then day: each client's block starts at its first
    # purchase and ends at its last.
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], codes.size] - 1
    purchase_days = ends - starts + 1
    first_day = days[starts]
    frequency = purchase_days - 1
    repeat_total = np.add.reduceat(values, starts) - values[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary_value = np.where(frequency > 0,
                                  repeat_total / np.maximum(frequency, 1), 0.0)

    summary = pd.DataFrame({
        "client_id": daily.client_ids[codes[starts]],
        "frequency": frequency.astype(np.int64),
        "recency": (days[ends] - first_day) / scale,
        "T": (end_day - first_day) / scale,
        "monetary_value": monetary_value,
        "first_purchase": first_day.astype("datetime64[D]").astype("datetime64[s]"),
    })
    return summary, codes[starts]


def _add_holdout(summary: pd.DataFrame, code: np.ndarray, daily: DailyTransactions,
                 mask: np.ndarray, calibration_day: int, end_day: int,
                 scale: float) -> None:
    n_codes = daily.client_ids.size
    counts = np.bincount(daily.codes[mask], minlength=n_codes)
    totals = np.bincount(daily.codes[mask], weights=daily.values[mask],
                         minlength=n_codes)
    frequency = counts[code]
    summary["frequency_holdout"] = frequency.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        summary["monetary_value_holdout"] = np.where(
            frequency > 0, totals[code] / np.maximum(frequency, 1), 0.0)
    summary["duration_holdout"] = (end_day - calibration_day) / scale
