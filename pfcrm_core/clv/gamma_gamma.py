"""The Gamma-Gamma model of the average value of repeat transactions.

Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: Using Iso-Value
Curves for Customer Base Analysis", Journal of Marketing Research 42(4), and
Fader, P. S. and Hardie, B. G. S. (2013), "The Gamma-Gamma Model of Monetary Value".

A client's transaction values are Gamma(shape p, rate nu), and nu varies across
clients as Gamma(shape q, rate gamma). The mean transaction value of a client is then
p / nu, and the population mean is p * gamma / (q - 1) when q > 1. The model assumes
that spend is independent of the purchase process, so the fit checks the correlation
between frequency and average spend.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import digamma, gammaln

from pfcrm_core.clv._base import (FittedModel, as_float_array, check_same_length,
                                  prepare_weights)
from pfcrm_core.clv._optimize import maximize_likelihood
from pfcrm_core.clv.exceptions import (FrequencyMonetaryCorrelationWarning,
                                       NonPositiveMonetaryValueWarning)

# Pearson correlation between frequency and average spend above which the
# independence assumption is in doubt. On CDNOW it is 0.11. A correlation below 0.3
# is commonly called weak.
CORRELATION_WARNING_THRESHOLD = 0.3


class GammaGammaModel(FittedModel):
    """Gamma-Gamma spend model fitted by maximum likelihood.

    Parameters
    ----------
    penalizer : float, default 0.0
        Weight of the L2 penalty ``penalizer * (p**2 + q**2 + gamma**2)`` added to the
        mean negative log-likelihood per client.
    correlation_threshold : float, default 0.3
        Absolute Pearson correlation between frequency and monetary value above
        which ``fit`` warns with ``FrequencyMonetaryCorrelationWarning``.

    Attributes
    ----------
    params_ : dict
        ``p`` (shape of the transaction values), ``q`` and ``gamma`` (shape and rate,
        in money units, of the gamma distribution of the clients' rate nu).
    standard_errors_ : dict
        Standard errors from the inverse observed information matrix.
    log_likelihood_ : float
        Log-likelihood at ``params_`` of the clients in the fit.
    n_clients_ : float
        Number of clients in the fit: those with frequency > 0 and monetary value > 0.
    correlation_ : float
        Pearson correlation between frequency and monetary value of those clients
        (NaN when either does not vary).
    convergence_ : dict
        ``converged``, ``iterations``, ``evaluations``, ``message``, ``max_gradient``.
    """

    _param_names = ("p", "q", "gamma")

    def __init__(self, penalizer: float = 0.0,
                 correlation_threshold: float = CORRELATION_WARNING_THRESHOLD):
        if penalizer < 0:
            raise ValueError(f"penalizer must be >= 0; got {penalizer!r}")
        self.penalizer = penalizer
        self.correlation_threshold = correlation_threshold
        self.params_ = None

    def fit(self, frequency, monetary_value, weights=None) -> "GammaGammaModel":
        """Fit the model to the clients with at least one repeat transaction.

        The likelihood of a client with x repeat transactions of mean value m is
        (Fader and Hardie 2013)::

            Gamma(p x + q) / (Gamma(p x) Gamma(q)) * gamma**q * m**(p x - 1)
            * x**(p x) / (gamma + m x)**(p x + q)

        Parameters
        ----------
        frequency : array-like of int
            Repeat transactions per client. Clients with 0 are left out.
        monetary_value : array-like of float
            Mean value of each client's repeat transactions. Clients with a value of
            0 or less are left out with a ``NonPositiveMonetaryValueWarning``.
        weights : array-like of float, optional
            Number of clients each row stands for (default 1).

        Returns
        -------
        self

        Raises
        ------
        ValueError
            When the arrays differ in length or contain NaN, or no client has both
            frequency > 0 and monetary value > 0.
        """
        x = as_float_array(frequency, "frequency")
        m = as_float_array(monetary_value, "monetary_value")
        check_same_length(frequency=x, monetary_value=m)
        weights = prepare_weights(weights, x.size)

        non_positive = (x > 0) & (m <= 0) & (weights > 0)
        if non_positive.any():
            warnings.warn(NonPositiveMonetaryValueWarning(
                "clv.warning.non_positive_monetary", count=int(non_positive.sum())),
                stacklevel=2)
        used = (x > 0) & (m > 0) & (weights > 0)
        if not used.any():
            raise ValueError("no client has frequency > 0 and monetary_value > 0; the "
                             "Gamma-Gamma model needs repeat transactions with a value")
        x, m, weights = x[used], m[used], weights[used]

        self.correlation_ = _weighted_correlation(x, m, weights)
        if abs(self.correlation_) > self.correlation_threshold:
            warnings.warn(FrequencyMonetaryCorrelationWarning(
                "clv.warning.frequency_monetary_correlation",
                correlation=f"{self.correlation_:.2f}",
                threshold=f"{self.correlation_threshold:.2f}"), stacklevel=2)

        total = float(weights.sum())
        objective = _negative_log_likelihood(x, m, weights)
        mean_value = float(np.average(m, weights=weights))
        info = maximize_likelihood(objective, np.array([1.0, 2.0, mean_value]),
                                   total_weight=total, penalizer=self.penalizer,
                                   model_name="Gamma-Gamma")
        self._set_fit(info, total)
        self._warn_boundary(("p", "q"), "Gamma-Gamma")
        return self

    def expected_average_value(self, frequency, monetary_value) -> np.ndarray:
        """Return E[M | x, m], the expected mean value of future transactions.

        By Bayes' rule under the model::

            p (gamma + x m) / (p x + q - 1)

        a weighted mean of the population mean ``p gamma / (q - 1)`` and the client's
        own mean ``m``. For ``frequency == 0`` it is the population mean.

        Raises
        ------
        ValueError
            When ``q <= 1``, because the population mean is then infinite.
        """
        self._check_fitted()
        p, q, gamma = self.params_.values()
        if q <= 1:
            raise ValueError(f"q = {q:.4g} <= 1: the Gamma-Gamma population mean is "
                             "infinite, so expected values cannot be computed")
        x = np.asarray(frequency, dtype=float)
        m = np.where(x > 0, np.asarray(monetary_value, dtype=float), 0.0)
        return p * (gamma + x * m) / (p * x + q - 1)

    def expected_population_mean(self) -> float:
        """Return the mean transaction value of a new client, ``p gamma / (q - 1)``."""
        return float(self.expected_average_value(0, 0))


def _weighted_correlation(x, y, weights) -> float:
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    covariance = np.cov(x, y, aweights=weights)
    return float(covariance[0, 1] / np.sqrt(covariance[0, 0] * covariance[1, 1]))


def _negative_log_likelihood(x, m, weights):
    """Build the mean negative log-likelihood with its analytic gradient."""
    unique_x, x_index = np.unique(x, return_inverse=True)
    weight_per_x = np.bincount(x_index, weights=weights)
    total = weights.sum()
    weighted_x = weights * x
    # Terms that do not depend on the parameters, summed once.
    sum_log_m = weights @ np.log(m)
    sum_x_log_xm = weights @ (x * np.log(x * m))

    def objective(params):
        p, q, gamma = params
        px = p * unique_x
        log_gamma_xm = np.log(gamma + x * m)
        log_likelihood = (weight_per_x @ (gammaln(px + q) - gammaln(px))
                          - total * gammaln(q) + total * q * np.log(gamma)
                          - sum_log_m + p * sum_x_log_xm
                          - weights @ ((p * x + q) * log_gamma_xm))

        digamma_pxq = digamma(px + q)
        d_p = (weight_per_x @ (unique_x * (digamma_pxq - digamma(px))) + sum_x_log_xm
               - weighted_x @ log_gamma_xm)
        d_q = (weight_per_x @ digamma_pxq - total * digamma(q) + total * np.log(gamma)
               - weights @ log_gamma_xm)
        d_gamma = total * q / gamma - weights @ ((p * x + q) / (gamma + x * m))

        gradient = -np.array([d_p, d_q, d_gamma]) / total
        return -log_likelihood / total, gradient

    return objective
