"""Encoding of a binary default target: bad = 1, good = 0, missing = excluded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.risk.exceptions import RiskDataError, format_values


@dataclass(frozen=True)
class EncodedTarget:
    """A binary target aligned with the input rows.

    Attributes
    ----------
    is_bad : numpy.ndarray of bool
        True for a bad (default) row; False for a good row and for a row whose
        target is missing.
    observed : numpy.ndarray of bool
        True where the target is present. Rows with a missing target are left out
        of every count and fit; they are never counted as bad.
    n_missing : int
        Number of rows with a missing target.
    bad_value : object
        The label that means bad (1 when the labels were 0/1 or booleans).
    good_value : object
        The other label.
    """

    is_bad: np.ndarray
    observed: np.ndarray
    n_missing: int
    bad_value: object
    good_value: object


def encode_target(y, bad_value=None, name: str | None = None) -> EncodedTarget:
    """Encode a binary target as bad/good flags.

    Parameters
    ----------
    y : array-like or pandas.Series
        Target labels, one per row. Missing labels (None, NaN, NaT, pd.NA) are
        excluded and counted.
    bad_value : object, optional
        The label that means default (for example ``"bad"`` or ``True``). When not
        given, the labels must be 0/1 (or booleans), and 1 (True) is bad.
    name : str, optional
        Column name for messages; default ``y.name`` or ``"target"``.

    Raises
    ------
    RiskDataError
        When every target is missing, when ``bad_value`` is not among the labels,
        when there are more than two distinct labels, when ``bad_value`` is not
        given and the labels are not 0/1, or when only one class is present.
    """
    series = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y, dtype=object))
    column = name or (str(series.name) if series.name is not None else "target")
    missing = series.isna().to_numpy()
    present = series[~missing]
    if present.empty:
        raise RiskDataError("risk.error.target_all_missing", column=column,
                            rows=len(series))

    distinct = _distinct_labels(present)
    if len(distinct) > 2:
        raise RiskDataError("risk.error.target_not_binary", column=column,
                            count=len(distinct), values=format_values(distinct))

    # One label is one class, whichever label was named as bad.
    if len(distinct) == 1:
        raise RiskDataError("risk.error.target_one_class", column=column,
                            value=format_values(distinct), rows=len(present),
                            missing=int(missing.sum()))
    if bad_value is None:
        is_bad_present, bad_label, good_label = _zero_one_labels(present, distinct,
                                                                 column)
    else:
        is_bad_present, bad_label, good_label = _named_bad_label(present, distinct,
                                                                 bad_value, column)

    n_bad = int(is_bad_present.sum())
    if n_bad == 0 or n_bad == len(present):
        raise RiskDataError("risk.error.target_one_class", column=column,
                            value=format_values(distinct), rows=len(present),
                            missing=int(missing.sum()))

    is_bad = np.zeros(len(series), dtype=bool)
    is_bad[~missing] = is_bad_present
    return EncodedTarget(is_bad=is_bad, observed=~missing, n_missing=int(missing.sum()),
                         bad_value=bad_label, good_value=good_label)


def _distinct_labels(present: pd.Series) -> list:
    values = pd.unique(present.to_numpy(dtype=object))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _zero_one_labels(present: pd.Series, distinct: list, column: str):
    allowed = all(isinstance(v, (bool, np.bool_, int, np.integer, float, np.floating))
                  and v in (0, 1) for v in distinct)
    if not allowed:
        raise RiskDataError("risk.error.target_labels", column=column,
                            values=format_values(distinct))
    is_bad = present.to_numpy(dtype=object) == 1
    bad_label = next((v for v in distinct if v == 1), 1)
    good_label = next((v for v in distinct if v == 0), 0)
    return is_bad.astype(bool), bad_label, good_label


def _named_bad_label(present: pd.Series, distinct: list, bad_value, column: str):
    if not any(v == bad_value for v in distinct):
        raise RiskDataError("risk.error.bad_value_not_found", column=column,
                            bad_value=repr(bad_value), values=format_values(distinct))
    is_bad = present.to_numpy(dtype=object) == bad_value
    others = [v for v in distinct if v != bad_value]
    return is_bad.astype(bool), bad_value, others[0] if others else None
