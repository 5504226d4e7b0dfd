"""Input checks and fitted-state helpers shared by the CLV models."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pfcrm_core.clv.exceptions import BoundaryEstimateWarning

# Shape parameters outside this range mean the likelihood kept improving toward a
# boundary (for example a -> infinity with b -> 0: every client drops out after one
# repeat purchase), so the data do not identify them.
SHAPE_RANGE = (1e-4, 1e4)


def as_float_array(values, name: str) -> np.ndarray:
    """Return ``values`` as a 1-D float array, raising ValueError on NaN or infinity."""
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(array)):
        bad = int(np.flatnonzero(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite; position {bad} is {array[bad]!r}")
    return array


def check_same_length(**arrays: np.ndarray) -> None:
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        found = ", ".join(f"{name}={size}" for name, size in lengths.items())
        raise ValueError(f"arrays must have the same length; got {found}")


def prepare_weights(weights, size: int) -> np.ndarray:
    """Return client weights (default 1 each), raising ValueError when negative."""
    if weights is None:
        return np.ones(size)
    weights = as_float_array(weights, "weights")
    check_same_length(weights=weights, data=np.empty(size))
    if np.any(weights < 0):
        raise ValueError(f"weights must be >= 0; the smallest is {weights.min()!r}")
    return weights


class FittedModel:
    """Fitted-state checks and the parameter table common to the CLV models."""

    _param_names: tuple[str, ...] = ()

    def _check_fitted(self) -> None:
        if getattr(self, "params_", None) is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted; call fit() first")

    def _set_fit(self, info, n_clients: float) -> None:
        self.params_ = dict(zip(self._param_names, map(float, info.params)))
        self.standard_errors_ = dict(zip(self._param_names,
                                         map(float, info.standard_errors)))
        self.covariance_ = info.covariance
        self.log_likelihood_ = info.log_likelihood
        self.n_clients_ = n_clients
        self.convergence_ = info.to_dict()

    def _warn_boundary(self, names: tuple[str, ...], model_name: str) -> None:
        low, high = SHAPE_RANGE
        for name in names:
            value = self.params_[name]
            if not low <= value <= high:
                warnings.warn(BoundaryEstimateWarning(
                    "clv.warning.boundary_estimate", model=model_name, parameter=name,
                    value=f"{value:.3g}"), stacklevel=3)

    def params_table(self) -> pd.DataFrame:
        """Return parameters with standard errors and 95% Wald intervals."""
        self._check_fitted()
        table = pd.DataFrame({
            "parameter": list(self.params_),
            "estimate": list(self.params_.values()),
            "standard_error": list(self.standard_errors_.values()),
        })
        table["lower_95"] = table["estimate"] - 1.959964 * table["standard_error"]
        table["upper_95"] = table["estimate"] + 1.959964 * table["standard_error"]
        return table


def factorize_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a code per row for equal tuples of ``columns``, and the first row of
    each code, codes numbered in order of first appearance."""
    size = columns[0].size
    if size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)

    # Combine one column at a time and renumber, so the key stays below the row count.
    key = np.zeros(size, dtype=np.int64)
    for column in columns:
        codes = pd.factorize(column)[0].astype(np.int64)
        key = pd.factorize(key * (codes.max() + 1) + codes)[0].astype(np.int64)
    first = np.empty(key.max() + 1, dtype=np.int64)
    first[key[::-1]] = np.arange(size)[::-1]
    return key, first
