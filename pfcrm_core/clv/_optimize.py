"""Maximum likelihood on log-parameters, shared by the BG/NBD and Gamma-Gamma models."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.optimize import minimize

from pfcrm_core.clv.exceptions import ClvConvergenceWarning

# Objective: parameters on the natural scale -> (mean negative log-likelihood,
# its gradient with respect to the natural parameters).
Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]

# Largest absolute gradient of the mean negative log-likelihood (per client, with
# respect to the log-parameters) that still counts as a maximum. BFGS often ends with
# "precision loss" at a maximum because the mean log-likelihood is flat to 1e-12.
GRADIENT_TOLERANCE = 1e-5


@dataclass
class FitInfo:
    """Outcome of a likelihood maximisation.

    Attributes
    ----------
    params : ndarray
        Maximum likelihood estimates on the natural scale.
    log_likelihood : float
        Total (weighted) log-likelihood at ``params``, without the penalty.
    standard_errors : ndarray
        Square roots of the diagonal of the inverse observed information matrix, NaN
        where that matrix is not positive definite.
    converged : bool
        Whether the largest gradient component is below ``GRADIENT_TOLERANCE``.
    iterations, evaluations : int
        Optimizer iterations and objective evaluations.
    message : str
        The optimizer's final message.
    max_gradient : float
        Largest absolute component of the per-client gradient on the log scale.
    """

    params: np.ndarray
    log_likelihood: float
    standard_errors: np.ndarray
    converged: bool
    iterations: int
    evaluations: int
    message: str
    max_gradient: float
    covariance: np.ndarray = field(repr=False, default=None)

    def to_dict(self) -> dict:
        return {
            "converged": bool(self.converged),
            "iterations": int(self.iterations),
            "evaluations": int(self.evaluations),
            "message": str(self.message),
            "max_gradient": float(self.max_gradient),
        }


def maximize_likelihood(
    objective: Objective,
    start: np.ndarray,
    *,
    total_weight: float,
    penalizer: float,
    model_name: str,
) -> FitInfo:
    """Minimise ``objective`` plus an L2 penalty over log-parameters with BFGS.

    The penalty is ``penalizer * sum(params ** 2)`` on the natural scale, added to the
    mean negative log-likelihood. Standard errors come from a central-difference
    Hessian of the analytic gradient of the unpenalised total log-likelihood.
    """
    start = np.asarray(start, dtype=float)

    def log_scale(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = objective(params)
        value += penalizer * np.sum(params**2)
        gradient = gradient + 2.0 * penalizer * params
        return value, gradient * params

    # BFGS, then one restart from its end point, because the first run can stop early
    # on "precision loss" when the line search meets the flat top of the likelihood.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(log_scale, np.log(start), jac=True, method="BFGS",
                          options={"gtol": 1e-9, "maxiter": 1000})
        iterations, evaluations = result.nit, result.nfev
        if not np.all(np.isfinite(result.x)):
            raise FloatingPointError(f"{model_name} fit diverged from {start}")
        result2 = minimize(log_scale, result.x, jac=True, method="BFGS",
                           options={"gtol": 1e-9, "maxiter": 1000})
        iterations += result2.nit
        evaluations += result2.nfev
        if result2.fun <= result.fun:
            result = result2

    params = np.exp(result.x)
    value, gradient = log_scale(result.x)
    max_gradient = float(np.max(np.abs(gradient)))
    converged = bool(np.isfinite(value) and max_gradient < GRADIENT_TOLERANCE)
    if not converged:
        warnings.warn(ClvConvergenceWarning(
            "clv.warning.convergence", model=model_name,
            gradient=f"{max_gradient:.2g}", message=str(result.message)),
            stacklevel=3)

    mean_nll, _ = objective(params)
    covariance = _covariance(objective, params, total_weight)
    with np.errstate(invalid="ignore"):
        standard_errors = np.sqrt(np.diag(covariance))
    return FitInfo(
        params=params,
        log_likelihood=float(-mean_nll * total_weight),
        standard_errors=standard_errors,
        converged=converged,
        iterations=int(iterations),
        evaluations=int(evaluations),
        message=str(result.message),
        max_gradient=max_gradient,
        covariance=covariance,
    )


def _covariance(objective: Objective, params: np.ndarray,
                total_weight: float) -> np.ndarray:
    """Invert the observed information matrix; NaN when it is not positive definite."""
    size = params.size
    hessian = np.empty((size, size))
    for j in range(size):
        step = 1e-5 * params[j]
        up = params.copy()
        down = params.copy()
        up[j] += step
        down[j] -= step
        hessian[:, j] = (objective(up)[1] - objective(down)[1]) / (2.0 * step)
    hessian = 0.5 * (hessian + hessian.T) * total_weight

    try:
        np.linalg.cholesky(hessian)
    except np.linalg.LinAlgError:
        return np.full((size, size), np.nan)
    return np.linalg.inv(hessian)
