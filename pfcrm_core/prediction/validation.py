"""Discrimination, calibration and lift of predicted probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score


def auc(labels, predicted) -> float:
    """Return the ROC AUC, or NaN when ``labels`` hold a single class."""
    labels = np.asarray(labels, dtype=int)
    if len(np.unique(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, np.asarray(predicted, dtype=float)))


def brier(labels, predicted) -> float:
    """Return the Brier score: the mean squared gap between probability and outcome."""
    if len(labels) == 0:
        return float("nan")
    return float(brier_score_loss(np.asarray(labels, dtype=int),
                                  np.asarray(predicted, dtype=float)))


def _deciles(predicted: np.ndarray, bins: int) -> np.ndarray:
    # Bin 1 contains the highest probabilities. Ties are split by position, so
    # the bin sizes differ by at most one row.
    order = np.argsort(-predicted, kind="stable")
    ranks = np.empty(len(predicted), dtype=int)
    ranks[order] = np.arange(len(predicted))
    return ranks * min(bins, len(predicted)) // len(predicted) + 1


def calibration_table(labels, predicted, bins: int = 10) -> pd.DataFrame:
    """Compare the mean predicted probability with the observed rate per decile.

    Returns
    -------
    pandas.DataFrame
        One row per bin, lowest probabilities first: ``bin`` (1 = lowest),
        ``n``, ``mean_predicted`` and ``observed_rate``. Empty without rows.
    """
    labels = np.asarray(labels, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    columns = ["bin", "n", "mean_predicted", "observed_rate"]
    if len(labels) == 0:
        return pd.DataFrame(columns=columns)
    count = min(bins, len(labels))
    frame = pd.DataFrame({"label": labels, "predicted": predicted,
                          "bin": count + 1 - _deciles(predicted, bins)})
    table = frame.groupby("bin").agg(n=("label", "size"),
                                     mean_predicted=("predicted", "mean"),
                                     observed_rate=("label", "mean"))
    return table.reset_index()[columns]


def lift_table(labels, predicted, bins: int = 10) -> pd.DataFrame:
    """Return the lift and cumulative gains by decile of predicted probability.

    Returns
    -------
    pandas.DataFrame
        One row per decile, highest probabilities first: ``decile`` (1 = top),
        ``n``, ``positives``, ``rate`` (observed rate in the decile), ``lift``
        (rate over the overall rate), ``cumulative_share`` (share of all rows
        up to this decile) and ``gains`` (share of all positives captured up to
        it). Empty without rows or without positives.
    """
    labels = np.asarray(labels, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    columns = ["decile", "n", "positives", "rate", "lift", "cumulative_share", "gains"]
    if len(labels) == 0 or labels.sum() == 0:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"label": labels, "decile": _deciles(predicted, bins)})
    table = frame.groupby("decile").agg(n=("label", "size"),
                                        positives=("label", "sum")).reset_index()
    table["rate"] = table["positives"] / table["n"]
    table["lift"] = table["rate"] / labels.mean()
    table["cumulative_share"] = table["n"].cumsum() / len(labels)
    table["gains"] = table["positives"].cumsum() / labels.sum()
    return table[columns]
