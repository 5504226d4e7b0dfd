"""BG/NBD: the published CDNOW fit, parameter recovery, gradient, predictions."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime
from scipy.special import hyp2f1

from pfcrm_core.clv import BetaGeoModel, rfm_summary
from pfcrm_core.clv.datasets import (CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END,
                                     CDNOW_PUBLISHED_BGNBD,
                                     CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD,
                                     load_cdnow_revenue)
from pfcrm_core.clv.bg_nbd import _negative_log_likelihood
from pfcrm_core.clv.simulation import CDNOW_BGNBD, simulate_bgnbd_summary


@pytest.fixture(scope="module")
def cdnow_summary():
    return rfm_summary(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END,
                       calibration_end=CDNOW_CALIBRATION_END, unit="weeks")


@pytest.fixture(scope="module")
def cdnow_model(cdnow_summary):
    return BetaGeoModel().fit(cdnow_summary["frequency"], cdnow_summary["recency"],
                              cdnow_summary["T"])


@pytest.mark.parametrize("name", list(CDNOW_PUBLISHED_BGNBD))
def test_bgnbd_cdnow_published_parameter(cdnow_model, name):
    printed, decimals = CDNOW_PUBLISHED_BGNBD[name]

    tolerance = 0.5 * 10.0**-decimals

    assert cdnow_model.params_[name] == pytest.approx(printed, abs=tolerance)


def test_bgnbd_cdnow_published_log_likelihood(cdnow_model):
    published = CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD

    assert cdnow_model.log_likelihood_ == pytest.approx(published, abs=0.1)
    assert cdnow_model.n_clients_ == 2357
    assert cdnow_model.convergence_["converged"]


def test_bgnbd_end_of_day_t_misses_published(cdnow_summary):
    # T counted to the end of 1997-09-30 (one day longer) gives a worse fit.
    model = BetaGeoModel().fit(cdnow_summary["frequency"], cdnow_summary["recency"],
                               cdnow_summary["T"] + 1 / 7)

    assert model.log_likelihood_ < CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD - 5


def test_bgnbd_standard_errors_finite(cdnow_model):
    errors = cdnow_model.standard_errors_

    assert all(np.isfinite(value) and value > 0 for value in errors.values())
    assert errors["r"] == pytest.approx(0.0126, abs=0.001)
    assert list(cdnow_model.params_table()["parameter"]) == ["r", "alpha", "a", "b"]


def test_bgnbd_recovers_simulated_parameters():
    summary = simulate_bgnbd_summary(20_000, 39.0, seed=11, **CDNOW_BGNBD)

    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])

    for name, true_value in CDNOW_BGNBD.items():
        error = model.standard_errors_[name]
        assert abs(model.params_[name] - true_value) < 3 * error, name


def test_bgnbd_recovers_with_varying_t():
    rng = np.random.default_rng(5)
    T = rng.uniform(10, 80, 20_000)
    truth = {"r": 0.8, "alpha": 6.0, "a": 1.4, "b": 4.0}
    summary = simulate_bgnbd_summary(20_000, T, seed=12, **truth)

    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])

    for name, true_value in truth.items():
        error = model.standard_errors_[name]
        assert abs(model.params_[name] - true_value) < 3 * error, name


def test_bgnbd_gradient_matches_finite_differences(cdnow_summary):
    objective = _negative_log_likelihood(
        cdnow_summary["frequency"].to_numpy(float), cdnow_summary["recency"].to_numpy(),
        cdnow_summary["T"].to_numpy(), np.ones(len(cdnow_summary)))
    point = np.array([0.3, 3.5, 1.2, 2.0])

    analytic = objective(point)[1]
    numeric = approx_fprime(point, lambda params: objective(params)[0], 1e-7)

    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def test_bgnbd_weights_equal_repeated_rows():
    summary = simulate_bgnbd_summary(3000, 39.0, seed=31, **CDNOW_BGNBD)
    summary["recency"] = np.floor(summary["recency"])
    rows = summary.groupby(["frequency", "recency", "T"]).size().reset_index()

    weighted = BetaGeoModel().fit(rows["frequency"], rows["recency"], rows["T"],
                                  weights=rows[0])
    expanded = BetaGeoModel().fit(summary["frequency"], summary["recency"],
                                  summary["T"])

    assert len(rows) < len(summary) / 5
    for name in weighted.params_:
        assert weighted.params_[name] == pytest.approx(expanded.params_[name], rel=1e-5)
    assert weighted.log_likelihood_ == pytest.approx(expanded.log_likelihood_)
    assert weighted.n_clients_ == 3000


def test_p_alive_no_repeat_is_one(cdnow_model):
    p_alive = cdnow_model.p_alive([0, 0], [0.0, 0.0], [1.0, 500.0])

    np.testing.assert_array_equal(p_alive, [1.0, 1.0])


def test_p_alive_long_inactivity_small(cdnow_model):
    recent = cdnow_model.p_alive(5, 38.0, 39.0)
    inactive = cdnow_model.p_alive(5, 2.0, 39.0)
    very_inactive = cdnow_model.p_alive(5, 2.0, 300.0)

    assert recent > 0.8
    assert inactive < 0.01
    assert very_inactive < inactive


def test_p_alive_falls_with_time_since_last_purchase(cdnow_model):
    T = np.linspace(10, 200, 50)

    p_alive = cdnow_model.p_alive(np.ones_like(T), np.full_like(T, 10.0), T)

    assert np.all(np.diff(p_alive) < 0)


def test_expected_transactions_zero_horizon(cdnow_model):
    expected = cdnow_model.expected_transactions(0.0, [0, 3], [0.0, 30.0], [39.0, 39.0])

    np.testing.assert_allclose(expected, 0.0, atol=1e-12)


def test_expected_transactions_grow_with_horizon(cdnow_model):
    t = np.linspace(0, 200, 40)

    expected = cdnow_model.expected_transactions(t, 2, 30.0, 39.0)

    assert np.all(np.diff(expected) > 0)


def test_expected_transactions_equals_direct_formula(cdnow_model):
    r, alpha, a, b = cdnow_model.params_.values()
    x, t_x, T, t = 4.0, 30.0, 39.0, 52.0
    z = t / (alpha + T + t)
    direct = ((a + b + x - 1) / (a - 1)
              * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
                 * hyp2f1(r + x, b + x, a + b + x - 1, z))
              / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)))

    assert cdnow_model.expected_transactions(t, x, t_x, T) == pytest.approx(direct,
                                                                           rel=1e-10)


def test_expected_transactions_large_frequency_finite(cdnow_model):
    expected = cdnow_model.expected_transactions(500.0, 400, 0.9, 1.0)

    assert np.isfinite(expected)
    assert expected > 100


def test_unconditional_expectation_matches_simulation():
    model = BetaGeoModel()
    model.params_ = dict(CDNOW_BGNBD)
    summary = simulate_bgnbd_summary(100_000, 39.0, seed=21, **CDNOW_BGNBD)

    expected = model.expected_transactions_unconditional(39.0)
    standard_error = summary["frequency"].std() / np.sqrt(len(summary))

    assert abs(summary["frequency"].mean() - expected) < 3 * standard_error


def test_expectation_near_a_equal_one():
    model = BetaGeoModel()
    model.params_ = {"r": 0.5, "alpha": 5.0, "a": 1.0, "b": 3.0}
    left = BetaGeoModel()
    left.params_ = {"r": 0.5, "alpha": 5.0, "a": 1.0 - 1e-3, "b": 3.0}
    right = BetaGeoModel()
    right.params_ = {"r": 0.5, "alpha": 5.0, "a": 1.0 + 1e-3, "b": 3.0}

    middle = model.expected_transactions(20.0, 2, 10.0, 30.0)
    bounds = [left.expected_transactions(20.0, 2, 10.0, 30.0),
              right.expected_transactions(20.0, 2, 10.0, 30.0)]

    assert np.isfinite(middle)
    assert min(bounds) <= middle <= max(bounds)


def test_bgnbd_unfitted_raises():
    with pytest.raises(RuntimeError, match="BetaGeoModel is not fitted"):
        BetaGeoModel().p_alive(1, 1.0, 2.0)


def test_bgnbd_recency_above_t_raises():
    with pytest.raises(ValueError, match="recency must be <= T; row 1"):
        BetaGeoModel().fit([0, 1], [0.0, 5.0], [3.0, 4.0])


def test_bgnbd_fractional_frequency_raises():
    with pytest.raises(ValueError, match="frequency must contain whole numbers"):
        BetaGeoModel().fit([0.5, 1], [0.0, 1.0], [3.0, 4.0])


def test_bgnbd_negative_penalizer_raises():
    with pytest.raises(ValueError, match="penalizer must be >= 0; got -1"):
        BetaGeoModel(penalizer=-1)
