"""Calibration/holdout validation of a fitted BG/NBD model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.clv.bg_nbd import BetaGeoModel
from pfcrm_core.clv.rfm import (HOLDOUT_COLUMNS, days_per_unit, merge_same_day,
                                to_day_number)


@dataclass
class ValidationResult:
    """Holdout predictions of a BG/NBD model against what the clients did.

    Attributes
    ----------
    by_frequency : DataFrame
        One row per calibration frequency ``0, 1, ..., max_frequency - 1`` and
        ``max_frequency+``: ``frequency`` (label), ``clients``, ``actual_mean`` and
        ``predicted_mean`` (repeat purchases per client in the holdout period).
    mae, rmse : float
        Mean absolute and root mean squared error per client of the predicted holdout
        purchases.
    aggregate_percentage_error : float
        ``100 * (predicted total - actual total) / actual total``, NaN when no client
        bought in the holdout period.
    actual_total, predicted_total : float
        Holdout purchases of all clients, actual and expected.
    n_clients : int
        Clients in the calibration summary.
    cumulative : DataFrame or None
        Cumulative repeat purchases of the calibration clients per time unit since
        the first client's first purchase: ``period``, ``date`` (end of the period),
        ``actual``, ``predicted`` and ``holdout`` (whether the period ends after the
        calibration end). None when no transactions were given.
    """

    by_frequency: pd.DataFrame
    mae: float
    rmse: float
    aggregate_percentage_error: float
    actual_total: float
    predicted_total: float
    n_clients: int
    cumulative: pd.DataFrame | None = None

    def to_dict(self) -> dict:
        """Return the result as JSON-ready lists and numbers."""
        result = {
            "mae": _json_float(self.mae),
            "rmse": _json_float(self.rmse),
            "aggregate_percentage_error": _json_float(self.aggregate_percentage_error),
            "actual_total": _json_float(self.actual_total),
            "predicted_total": _json_float(self.predicted_total),
            "n_clients": int(self.n_clients),
            "by_frequency": _records(self.by_frequency),
            "cumulative": None,
        }
        if self.cumulative is not None:
            cumulative = self.cumulative.assign(
                date=self.cumulative["date"].dt.strftime("%Y-%m-%d"))
            result["cumulative"] = _records(cumulative)
        return result


def holdout_validation(
    summary_with_holdout: pd.DataFrame,
    model: BetaGeoModel,
    *,
    transactions: pd.DataFrame | None = None,
    max_frequency: int = 7,
    customer_col: str = "client_id",
    date_col: str = "date",
    value_col: str = "amount",
) -> ValidationResult:
    """Compare the model's holdout predictions with the holdout purchases.

    Parameters
    ----------
    summary_with_holdout : DataFrame
        ``rfm_summary(..., calibration_end=...)`` output, in the unit ``model`` was
        fitted in.
    model : BetaGeoModel
        Model fitted on the calibration columns of ``summary_with_holdout``.
    transactions : DataFrame, optional
        The transactions the summary was built from. When given, the result includes
        the cumulative repeat purchase curve.
    max_frequency : int, default 7
        Calibration frequencies of this value and above share the last row.
    customer_col, date_col, value_col : str
        Column names in ``transactions``.

    Raises
    ------
    ValueError
        When the holdout columns are missing.
    """
    missing = sorted(set(HOLDOUT_COLUMNS) - set(summary_with_holdout.columns))
    if missing:
        raise ValueError(f"summary has no holdout columns ({', '.join(missing)}); "
                         "build it with rfm_summary(..., calibration_end=...)")

    summary = summary_with_holdout
    actual = summary["frequency_holdout"].to_numpy(dtype=float)
    predicted = model.expected_transactions(
        summary["duration_holdout"].to_numpy(dtype=float), summary["frequency"],
        summary["recency"], summary["T"])

    errors = predicted - actual
    actual_total = float(actual.sum())
    predicted_total = float(predicted.sum())
    percentage = (100.0 * (predicted_total - actual_total) / actual_total
                  if actual_total > 0 else float("nan"))

    cumulative = None
    if transactions is not None:
        cumulative = cumulative_repeat_transactions(
            summary, model, transactions, customer_col=customer_col,
            date_col=date_col, value_col=value_col)

    return ValidationResult(
        by_frequency=_table_by_frequency(summary["frequency"].to_numpy(), actual,
                                         predicted, max_frequency),
        mae=float(np.mean(np.abs(errors))),
        rmse=float(np.sqrt(np.mean(errors**2))),
        aggregate_percentage_error=percentage,
        actual_total=actual_total,
        predicted_total=predicted_total,
        n_clients=int(len(summary)),
        cumulative=cumulative,
    )


def cumulative_repeat_transactions(
    summary: pd.DataFrame,
    model: BetaGeoModel,
    transactions: pd.DataFrame,
    *,
    customer_col: str = "client_id",
    date_col: str = "date",
    value_col: str = "amount",
) -> pd.DataFrame:
    """Return actual and expected cumulative repeat purchases per time unit.

    The clients are those of ``summary``; each enters at its first purchase s_i, and
    the expected count at time t is ``sum_i E[X(t - s_i)]`` over clients with
    s_i < t, with the unconditional BG/NBD expectation E[X(t)]. Time runs from the
    earliest first purchase to ``summary.attrs["observation_end"]`` in whole units of
    ``summary.attrs["unit"]``; the last period may end on the observation end.
    """
    unit = summary.attrs["unit"]
    scale = days_per_unit(unit)
    end_day = to_day_number(summary.attrs["observation_end"], "observation_end")
    calibration_end = summary.attrs.get("calibration_end")

    first_days = summary["first_purchase"].to_numpy().astype("datetime64[D]").astype(
        np.int64)
    origin = int(first_days.min())
    period_count = int(np.ceil((end_day - origin) / scale))
    periods = np.arange(1, period_count + 1)
    period_days = np.minimum(periods * scale, end_day - origin)

    # Actual: repeat purchase days (first purchase excluded) of the summary's clients.
    daily = merge_same_day(transactions, customer_col=customer_col, date_col=date_col,
                           value_col=value_col, last_day=end_day)
    in_summary = np.isin(daily.client_ids, summary["client_id"].to_numpy())
    rows = in_summary[daily.codes]
    is_first = np.r_[True, daily.codes[1:] != daily.codes[:-1]]
    repeat_offsets = np.sort(daily.days[rows & ~is_first] - origin)
    actual = np.searchsorted(repeat_offsets, period_days, side="right")

    # Expected: one E[X(t)] curve per distinct entry day, weighted by its clients.
    entry_days, entry_counts = np.unique(first_days - origin, return_counts=True)
    elapsed = (period_days[:, None] - entry_days[None, :]) / scale
    expected = model.expected_transactions_unconditional(np.maximum(elapsed, 0.0))
    predicted = expected @ entry_counts

    dates = pd.to_datetime(origin + np.floor(period_days).astype(np.int64), unit="D")
    holdout = (np.zeros(period_count, bool) if calibration_end is None
               else dates > pd.Timestamp(calibration_end))
    return pd.DataFrame({"period": periods, "date": dates, "actual": actual,
                         "predicted": predicted, "holdout": holdout})


def _table_by_frequency(frequency, actual, predicted, max_frequency) -> pd.DataFrame:
    bucket = np.minimum(frequency, max_frequency).astype(np.int64)
    counts = np.bincount(bucket, minlength=max_frequency + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        actual_mean = np.bincount(bucket, weights=actual,
                                  minlength=max_frequency + 1) / counts
        predicted_mean = np.bincount(bucket, weights=predicted,
                                     minlength=max_frequency + 1) / counts
    labels = [str(i) for i in range(max_frequency)] + [f"{max_frequency}+"]
    return pd.DataFrame({"frequency": labels, "clients": counts,
                         "actual_mean": actual_mean, "predicted_mean": predicted_mean})


def _json_float(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _records(frame: pd.DataFrame) -> list[dict]:
    records = frame.to_dict(orient="records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, (float, np.floating)):
                record[key] = _json_float(value)
            elif isinstance(value, np.integer):
                record[key] = int(value)
            elif isinstance(value, np.bool_):
                record[key] = bool(value)
    return records


def default_calibration_end(first_date, observation_end, share: float = 2 / 3):
    """Return the date ``share`` of the way from ``first_date`` to ``observation_end``.

    The calibration period is then the first two thirds of the history by default,
    and the rest is the holdout.
    """
    first, end = pd.Timestamp(first_date), pd.Timestamp(observation_end)
    return (first + (end - first) * share).normalize()
