"""Discrimination, calibration and stability measures of a PD model.

- AUC: the probability that a random bad gets a higher PD than a random good.
- Gini (accuracy ratio) = 2 * AUC - 1.
- KS: the maximum distance between the cumulative PD distributions of bads and
  goods, ``max |TPR - FPR|`` over all cut-offs, as a fraction in [0, 1].
- Calibration table: predicted against observed bad rate by decile of PD.
- PSI (population stability index) = sum over bins of (a - e) * ln(a / e), where e
  and a are the shares of the development (expected) and current (actual) sample in
  each bin, with bins taken from the development sample.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve

from pfcrm_core.risk.exceptions import RiskDataError

# Conventional PSI bands: upper bound (exclusive) and label.
PSI_BANDS = ((0.1, "stable"), (0.25, "some shift"), (math.inf, "significant shift"))

# Share given to an empty bin so that ln(a / e) stays finite.
PSI_FLOOR = 1e-4


def _binary_inputs(y_true, pd_values) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float).reshape(-1)
    scores = np.asarray(pd_values, dtype=float).reshape(-1)
    if y.shape != scores.shape:
        raise ValueError(f"y_true has {y.size} values but the PDs {scores.size}; "
                         f"pass one PD per row")
    if np.isnan(y).any() or np.isnan(scores).any():
        raise ValueError("y_true and the PDs must not contain NaN; drop rows with a "
                         "missing target or PD first")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y_true must be 0 (good) or 1 (bad); encode the target "
                         "with encode_target first")
    n_bad = int(y.sum())
    if n_bad in (0, y.size):
        raise RiskDataError("risk.error.metric_one_class", rows=y.size, bads=n_bad)
    return y, scores


def auc(y_true, pd_values) -> float:
    """Return the area under the ROC curve of PDs against 0/1 (1 = bad) outcomes.

    Raises
    ------
    RiskDataError
        When the outcomes contain only goods or only bads.
    """
    y, scores = _binary_inputs(y_true, pd_values)
    return float(roc_auc_score(y, scores))


def gini(y_true, pd_values) -> float:
    """Return the Gini coefficient (accuracy ratio), ``2 * AUC - 1``."""
    return 2.0 * auc(y_true, pd_values) - 1.0


def ks(y_true, pd_values) -> float:
    """Return the Kolmogorov-Smirnov statistic, ``max(TPR - FPR)``, in [0, 1]."""
    y, scores = _binary_inputs(y_true, pd_values)
    fpr, tpr, _ = roc_curve(y, scores)
    return float(np.max(np.abs(tpr - fpr)))


def discrimination(y_true, pd_values) -> dict:
    """Return ``{"auc", "gini", "ks", "n", "n_bad"}`` for one sample."""
    y, _ = _binary_inputs(y_true, pd_values)
    value = auc(y_true, pd_values)
    return {"auc": value, "gini": 2.0 * value - 1.0, "ks": ks(y_true, pd_values),
            "n": int(y.size), "n_bad": int(y.sum())}


def roc_table(y_true, pd_values) -> pd.DataFrame:
    """Return the ROC curve: fpr, tpr and threshold (the PD cut-off), from (0, 0).

    The first row has an infinite threshold (no row flagged bad).
    """
    y, scores = _binary_inputs(y_true, pd_values)
    fpr, tpr, thresholds = roc_curve(y, scores)
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": thresholds})


def calibration_table(y_true, pd_values, n_bins: int = 10) -> pd.DataFrame:
    """Compare predicted and observed bad rates by quantile of PD.

    Rows are ranked by PD (ties broken by position) and cut into ``n_bins`` groups
    of equal size, so ties never leave a group empty.

    Returns
    -------
    pandas.DataFrame
        One row per group, lowest PD first: bin (1..n_bins), count, bads,
        pd_min, pd_max, predicted_pd (mean PD), observed_bad_rate, difference
        (observed minus predicted).
    """
    y, scores = _binary_inputs(y_true, pd_values)
    n_bins = max(1, min(int(n_bins), y.size))
    order = np.argsort(scores, kind="stable")
    groups = np.empty(y.size, dtype=np.int64)
    groups[order] = np.arange(y.size) * n_bins // y.size
    frame = pd.DataFrame({"bin": groups + 1, "y": y, "pd": scores})
    table = frame.groupby("bin").agg(count=("y", "size"), bads=("y", "sum"),
                                     pd_min=("pd", "min"), pd_max=("pd", "max"),
                                     predicted_pd=("pd", "mean"),
                                     observed_bad_rate=("y", "mean")).reset_index()
    table["bads"] = table["bads"].astype(np.int64)
    table["difference"] = table["observed_bad_rate"] - table["predicted_pd"]
    return table


def psi_band(value: float) -> str:
    """Return the PSI band: < 0.1 stable, 0.1-0.25 some shift, >= 0.25 significant."""
    for upper, label in PSI_BANDS:
        if value < upper:
            return label
    return PSI_BANDS[-1][1]


def psi_table(expected, actual, n_bins: int = 10, edges=None,
              floor: float = PSI_FLOOR) -> pd.DataFrame:
    """Compare the distribution of a score (or PD) in two samples, bin by bin.

    Parameters
    ----------
    expected : array-like of float
        The development sample; its quantiles set the bins.
    actual : array-like of float
        The current sample (for example today's book).
    n_bins : int, default 10
        Number of quantile bins of ``expected``; ties can give fewer.
    edges : array-like of float, optional
        Interior bin edges to use instead of quantiles; bins are right-closed.
    floor : float, default 1e-4
        Share used for a bin that is empty in either sample.

    Returns
    -------
    pandas.DataFrame
        bin, lower, upper, expected_count, actual_count, expected_share,
        actual_share, psi (the bin's contribution). ``table["psi"].sum()`` is the
        PSI.
    """
    e = _finite(expected, "expected")
    a = _finite(actual, "actual")
    if edges is None:
        quantiles = np.linspace(0, 1, int(n_bins) + 1)[1:-1]
        edges = np.unique(np.quantile(e, quantiles))
    edges = np.asarray(edges, dtype=float)
    size = len(edges) + 1
    e_counts = np.bincount(np.searchsorted(edges, e, side="left"), minlength=size)
    a_counts = np.bincount(np.searchsorted(edges, a, side="left"), minlength=size)
    e_share = np.maximum(e_counts / e.size, floor)
    a_share = np.maximum(a_counts / a.size, floor)
    return pd.DataFrame({
        "bin": np.arange(1, size + 1),
        "lower": np.concatenate([[-np.inf], edges]),
        "upper": np.concatenate([edges, [np.inf]]),
        "expected_count": e_counts,
        "actual_count": a_counts,
        "expected_share": e_counts / e.size,
        "actual_share": a_counts / a.size,
        "psi": (a_share - e_share) * np.log(a_share / e_share),
    })


def psi(expected, actual, n_bins: int = 10, edges=None,
        floor: float = PSI_FLOOR) -> float:
    """Return the population stability index of ``actual`` against ``expected``."""
    return float(psi_table(expected, actual, n_bins, edges, floor)["psi"].sum())


def psi_from_labels(expected, actual, floor: float = PSI_FLOOR) -> pd.DataFrame:
    """Compare two samples of bin labels (for example a variable's WoE bins).

    Returns the same columns as ``psi_table`` without lower/upper, one row per
    label seen in either sample, expected labels first.
    """
    e = pd.Series(np.asarray(expected, dtype=object))
    a = pd.Series(np.asarray(actual, dtype=object))
    labels = list(pd.unique(pd.concat([e, a], ignore_index=True)))
    e_counts = e.value_counts().reindex(labels, fill_value=0).to_numpy()
    a_counts = a.value_counts().reindex(labels, fill_value=0).to_numpy()
    e_share = np.maximum(e_counts / max(e.size, 1), floor)
    a_share = np.maximum(a_counts / max(a.size, 1), floor)
    return pd.DataFrame({
        "bin": labels,
        "expected_count": e_counts,
        "actual_count": a_counts,
        "expected_share": e_counts / max(e.size, 1),
        "actual_share": a_counts / max(a.size, 1),
        "psi": (a_share - e_share) * np.log(a_share / e_share),
    })


def _finite(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    array = array[~np.isnan(array)]
    if array.size == 0:
        raise ValueError(f"{name} has no non-missing values; PSI needs both samples")
    return array
