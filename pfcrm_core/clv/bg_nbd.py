"""The BG/NBD model of repeat transactions (beta-geometric / negative binomial).

Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "Counting Your Customers the Easy
Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2).

While alive, a client buys as a Poisson process with rate lambda, and lambda varies
across clients as Gamma(shape r, rate alpha). After each purchase the client drops
out with probability p, and p varies across clients as Beta(a, b). Time is measured
from each client's first purchase, and only repeat purchases are counted.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1

from pfcrm_core.clv._base import (FittedModel, as_float_array, check_same_length,
                                  factorize_rows, prepare_weights)
from pfcrm_core.clv._optimize import maximize_likelihood

# Below this distance from a = 1, (1 - F) / (a - 1) in the expectations loses digits to
# cancellation. The value there is interpolated between a = 1 - and 1 + this step.
_A_NEAR_ONE = 1e-4


class BetaGeoModel(FittedModel):
    """BG/NBD model fitted by maximum likelihood.

    Parameters
    ----------
    penalizer : float, default 0.0
        Weight of the L2 penalty ``penalizer * (r**2 + alpha**2 + a**2 + b**2)`` added
        to the mean negative log-likelihood per client. Use a small value (0.001 to
        0.1) when a fit on thin data drifts to extreme parameters. The penalty depends
        on the time unit through alpha.

    Attributes
    ----------
    params_ : dict
        ``r`` and ``alpha`` (shape and rate of the gamma distribution of purchase
        rates, alpha in the data's time unit) and ``a`` and ``b`` (shape parameters
        of the beta distribution of the dropout probability).
    standard_errors_ : dict
        Standard errors from the inverse observed information matrix, NaN when that
        matrix is not positive definite.
    log_likelihood_ : float
        Log-likelihood at ``params_`` (without the penalty).
    n_clients_ : float
        Number of clients (sum of weights) in the fit.
    convergence_ : dict
        ``converged``, ``iterations``, ``evaluations``, ``message``, ``max_gradient``.
    """

    _param_names = ("r", "alpha", "a", "b")

    def __init__(self, penalizer: float = 0.0):
        if penalizer < 0:
            raise ValueError(f"penalizer must be >= 0; got {penalizer!r}")
        self.penalizer = penalizer
        self.params_ = None

    def fit(self, frequency, recency, T, weights=None) -> "BetaGeoModel":
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        frequency : array-like of int
            Repeat transactions per client (x).
        recency : array-like of float
            Time of the last purchase after the first (t_x), in the time unit.
        T : array-like of float
            Time from the first purchase to the end of calibration, same unit.
        weights : array-like of float, optional
            Number of clients each row stands for (default 1).

        Returns
        -------
        self

        Raises
        ------
        ValueError
            When the arrays differ in length, contain NaN, negative values,
            non-integer frequencies or ``recency > T``.
        """
        x, t_x, T, weights = _check_rft(frequency, recency, T, weights)
        x, t_x, T, weights = _compress(x, t_x, T, weights)
        total = float(weights.sum())
        objective = _negative_log_likelihood(x, t_x, T, weights)

        start = np.array([1.0, max(float(np.average(T, weights=weights)), 1e-3) / 10,
                          1.0, 1.0])
        info = maximize_likelihood(objective, start, total_weight=total,
                                   penalizer=self.penalizer, model_name="BG/NBD")
        self._set_fit(info, total)
        self._warn_boundary(("r", "a", "b"), "BG/NBD")
        return self

    def p_alive(self, frequency, recency, T) -> np.ndarray:
        """Return P(alive at T | x, t_x, T).

        ``1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))**(r + x))``.
        A client with no repeat purchase cannot have dropped out (dropout follows a
        purchase), so the probability is 1 for ``frequency == 0``.
        """
        self._check_fitted()
        r, alpha, a, b = self.params_.values()
        x, t_x, T = _broadcast(frequency, recency, T)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                             + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
        return np.where(x > 0, expit(-log_odds_dead), 1.0)

    def expected_transactions(self, t, frequency, recency, T) -> np.ndarray:
        """Return E[Y(t) | x, t_x, T], the expected purchases in the next ``t`` units.

        ``(a+b+x-1)/(a-1) * (1 - H) * p_alive`` with
        ``H = ((alpha+T)/(alpha+T+t))**(r+x) * 2F1(r+x, b+x; a+b+x-1; z)`` and
        ``z = t/(alpha+T+t)`` (Fader, Hardie and Lee 2005). H is computed in the form
        that Euler's transformation gives, ``(1-z)**(a-1) * 2F1(a+b-1-r, a-1; a+b+x-1;
        z)``, because the direct form returns NaN for large x (at x = 200, T = 1,
        t = 500 with the CDNOW estimates) while this series has a small second
        parameter and stays finite. Near a = 1 the value is interpolated.
        """
        self._check_fitted()
        x, t_x, T = _broadcast(frequency, recency, T)
        t = np.asarray(t, dtype=float)
        if np.any(t < 0):
            raise ValueError(f"t must be >= 0; the smallest is {t.min()!r}")
        return self._expected_if_alive(t, x, T) * self.p_alive(x, t_x, T)

    def expected_transactions_unconditional(self, t) -> np.ndarray:
        """Return E[X(t)], the expected repeat purchases of a new client in ``t`` units
        after the first purchase.

        ``(a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t))**r
        * 2F1(r, b; a + b - 1; t / (alpha + t)))``, evaluated in the same Euler form as
        ``expected_transactions``.
        """
        self._check_fitted()
        t = np.asarray(t, dtype=float)
        if np.any(t < 0):
            raise ValueError(f"t must be >= 0; the smallest is {t.min()!r}")
        zero = np.zeros_like(t)
        return self._expected_if_alive(t, zero, zero)

    def _expected_if_alive(self, t, x, T) -> np.ndarray:
        r, alpha, a, b = self.params_.values()
        if abs(a - 1.0) >= _A_NEAR_ONE:
            return _expected_if_alive(t, x, T, r, alpha, a, b)
        low = _expected_if_alive(t, x, T, r, alpha, 1.0 - _A_NEAR_ONE, b)
        high = _expected_if_alive(t, x, T, r, alpha, 1.0 + _A_NEAR_ONE, b)
        share = (a - (1.0 - _A_NEAR_ONE)) / (2 * _A_NEAR_ONE)
        return low + share * (high - low)


def _expected_if_alive(t, x, T, r, alpha, a, b) -> np.ndarray:
    """Compute the expected purchases in the next t units of a client alive at T.

    This is E[Y(t) | x, t_x, T] without its P(alive) factor.

    The Euler form is used first. Where it is not finite, which happens when a is
    very large (a boundary fit), the direct form is used, whose series is then close
    to 1.
    """
    t, x, T = np.broadcast_arrays(np.asarray(t, float), np.asarray(x, float),
                                  np.asarray(T, float))
    z = t / (alpha + T + t)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        euler = (1.0 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        failed = ~np.isfinite(euler)
        if np.any(failed):
            zf, xf = z[failed], x[failed]
            euler = np.array(euler, dtype=float)
            euler[failed] = ((1.0 - zf) ** (r + xf)
                             * hyp2f1(r + xf, b + xf, a + b + xf - 1, zf))
    return (a + b + x - 1) / (a - 1) * (1.0 - euler)


def _broadcast(frequency, recency, T):
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    T = np.asarray(T, dtype=float)
    return np.broadcast_arrays(x, t_x, T)


def _check_rft(frequency, recency, T, weights):
    x = as_float_array(frequency, "frequency")
    t_x = as_float_array(recency, "recency")
    T = as_float_array(T, "T")
    check_same_length(frequency=x, recency=t_x, T=T)
    weights = prepare_weights(weights, x.size)
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must contain whole numbers >= 0 (repeat purchases)")
    if np.any(t_x < 0):
        raise ValueError(f"recency must be >= 0; the smallest is {t_x.min()!r}")
    if np.any(t_x > T * (1 + 1e-12) + 1e-12):
        row = int(np.flatnonzero(t_x > T * (1 + 1e-12) + 1e-12)[0])
        raise ValueError(f"recency must be <= T; row {row} has recency {t_x[row]!r} "
                         f"and T {T[row]!r}")
    return x, t_x, T, weights


def _compress(x, t_x, T, weights):
    """Collapse rows with equal (x, t_x, T) into one row whose weight is the sum."""
    keep = weights > 0
    x, t_x, T, weights = x[keep], t_x[keep], T[keep], weights[keep]
    row_codes, first = factorize_rows(x, t_x, T)
    totals = np.bincount(row_codes, weights=weights)
    return x[first], t_x[first], T[first], totals


def _negative_log_likelihood(x, t_x, T, weights):
    """Build the mean negative log-likelihood with its analytic gradient.

    Per client, log L = A1 + log(exp(A3) + [x > 0] exp(A4)) where
    A1 = lgamma(r+x) - lgamma(r) + r log(alpha) + log B(a, b+x) - log B(a, b),
    A3 = -(r+x) log(alpha+T) and
    A4 = log(a) - log(b+x-1) - (r+x) log(alpha+t_x).
    Terms that depend on x alone are computed once per distinct x.
    """
    unique_x, x_index = np.unique(x, return_inverse=True)
    weight_per_x = np.bincount(x_index, weights=weights)
    total = weights.sum()
    repeat = unique_x > 0
    repeat_rows = x > 0
    shifted_b_offset = np.where(repeat, unique_x - 1, 0.0)

    def objective(params):
        r, alpha, a, b = params
        log_alpha_T = np.log(alpha + T)
        log_alpha_tx = np.log(alpha + t_x)
        r_x = r + x

        # Terms of A1, summed per distinct x.
        a1 = (gammaln(r + unique_x) - gammaln(r) + gammaln(a + b)
              + gammaln(b + unique_x) - gammaln(b) - gammaln(a + b + unique_x))
        c4 = np.where(repeat, np.log(a) - np.log(b + shifted_b_offset), -np.inf)

        a3 = -r_x * log_alpha_T
        a4 = c4[x_index] - r_x * log_alpha_tx
        log_sum = np.logaddexp(a3, a4)
        share4 = np.where(repeat_rows, np.exp(a4 - log_sum), 0.0)
        share3 = 1.0 - share4
        log_likelihood = (weight_per_x @ a1 + total * r * np.log(alpha)
                          + weights @ log_sum)

        # Gradient: per-x digamma terms plus the mixture shares of A3 and A4.
        digamma_ab = digamma(a + b)
        digamma_abx = digamma(a + b + unique_x)
        d_r = (weight_per_x @ (digamma(r + unique_x) - digamma(r))
               + total * np.log(alpha)
               - weights @ (share3 * log_alpha_T + share4 * log_alpha_tx))
        d_alpha = (total * r / alpha
                   - weights @ (r_x * (share3 / (alpha + T) + share4 / (alpha + t_x))))
        weighted_share4 = weights * share4
        share4_per_x = np.bincount(x_index, weights=weighted_share4,
                                   minlength=unique_x.size)
        d_a = weight_per_x @ (digamma_ab - digamma_abx) + share4_per_x.sum() / a
        inverse_b = np.where(repeat, 1.0 / (b + shifted_b_offset), 0.0)
        d_b = (weight_per_x @ (digamma_ab + digamma(b + unique_x) - digamma(b)
                               - digamma_abx)
               - share4_per_x @ inverse_b)

        gradient = -np.array([d_r, d_alpha, d_a, d_b]) / total
        return -log_likelihood / total, gradient

    return objective
