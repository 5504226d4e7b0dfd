"""Gamma-Gamma: the published CDNOW fit, recovery, warnings, expected values."""

import warnings

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from pfcrm_core.clv import (FrequencyMonetaryCorrelationWarning, GammaGammaModel,
                            NonPositiveMonetaryValueWarning, rfm_summary)
from pfcrm_core.clv.datasets import (CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END,
                                     CDNOW_PUBLISHED_GAMMA_GAMMA, load_cdnow_revenue)
from pfcrm_core.clv.gamma_gamma import _negative_log_likelihood
from pfcrm_core.clv.simulation import (CDNOW_BGNBD, CDNOW_GAMMA_GAMMA,
                                       simulate_bgnbd_summary, simulate_monetary_values)


@pytest.fixture(scope="module")
def cdnow_summary():
    return rfm_summary(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END,
                       calibration_end=CDNOW_CALIBRATION_END)


@pytest.fixture(scope="module")
def cdnow_model(cdnow_summary):
    return GammaGammaModel().fit(cdnow_summary["frequency"],
                                 cdnow_summary["monetary_value"])


@pytest.mark.parametrize("name", list(CDNOW_PUBLISHED_GAMMA_GAMMA))
def test_gamma_gamma_cdnow_published_parameter(cdnow_model, name):
    printed, decimals = CDNOW_PUBLISHED_GAMMA_GAMMA[name]

    tolerance = 0.5 * 10.0**-decimals

    assert cdnow_model.params_[name] == pytest.approx(printed, abs=tolerance)


def test_gamma_gamma_cdnow_clients_and_correlation(cdnow_model):
    assert cdnow_model.n_clients_ == 946
    assert round(cdnow_model.correlation_, 2) == 0.11
    assert cdnow_model.convergence_["converged"]


def test_gamma_gamma_mean_of_all_purchases_misses_published(cdnow_summary):
    # Including the first purchase in the average (the other common definition)
    # does not reproduce the published estimates.
    revenue = load_cdnow_revenue()
    revenue["date"] = revenue["date"].astype("datetime64[s]")
    calibration = revenue[revenue["date"] <= CDNOW_CALIBRATION_END]
    daily = calibration.groupby(["client_id", "date"])["amount"].sum()
    mean_all = daily.groupby(level="client_id").mean()
    repeaters = cdnow_summary.set_index("client_id")
    repeaters = repeaters[repeaters["frequency"] > 0]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GammaGammaModel().fit(repeaters["frequency"],
                                      mean_all.loc[repeaters.index])

    assert model.params_["p"] != pytest.approx(6.25, abs=0.005)


def test_gamma_gamma_recovers_simulated_parameters():
    summary = simulate_bgnbd_summary(20_000, 39.0, seed=100, **CDNOW_BGNBD)
    monetary = simulate_monetary_values(summary["frequency"], seed=200,
                                        **CDNOW_GAMMA_GAMMA)

    model = GammaGammaModel().fit(summary["frequency"], monetary)

    for name, true_value in CDNOW_GAMMA_GAMMA.items():
        assert abs(model.params_[name] - true_value) < 3 * model.standard_errors_[name]


def test_gamma_gamma_gradient_matches_finite_differences(cdnow_summary):
    repeat = cdnow_summary[cdnow_summary["frequency"] > 0]
    objective = _negative_log_likelihood(repeat["frequency"].to_numpy(float),
                                         repeat["monetary_value"].to_numpy(),
                                         np.ones(len(repeat)))
    point = np.array([4.0, 2.5, 20.0])

    analytic = objective(point)[1]
    numeric = approx_fprime(point, lambda params: objective(params)[0], 1e-7)

    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.filterwarnings("ignore::pfcrm_core.clv.BoundaryEstimateWarning")
def test_gamma_gamma_warns_on_correlation():
    rng = np.random.default_rng(8)
    frequency = rng.integers(1, 10, 500)
    monetary = 10.0 * frequency * rng.gamma(20.0, 1 / 20.0, 500)

    with pytest.warns(FrequencyMonetaryCorrelationWarning,
                      match=r"correlated \(r = 0\.\d\d, above 0\.30\)"):
        model = GammaGammaModel().fit(frequency, monetary)

    assert model.correlation_ > 0.8


def test_gamma_gamma_skips_non_positive_values(cdnow_summary):
    frequency = np.r_[cdnow_summary["frequency"], [2, 3]]
    monetary = np.r_[cdnow_summary["monetary_value"], [0.0, -5.0]]

    with pytest.warns(NonPositiveMonetaryValueWarning, match="2 clients with repeat"):
        model = GammaGammaModel().fit(frequency, monetary)

    assert model.n_clients_ == 946


def test_gamma_gamma_no_usable_clients():
    with pytest.raises(ValueError, match="no client has frequency > 0"):
        GammaGammaModel().fit([0, 0, 0], [0.0, 0.0, 0.0])


def test_expected_value_frequency_zero_is_population_mean(cdnow_model):
    p, q, gamma = cdnow_model.params_.values()

    value = cdnow_model.expected_average_value(0, 123.0)

    assert value == pytest.approx(p * gamma / (q - 1))
    assert cdnow_model.expected_population_mean() == pytest.approx(value)


def test_expected_value_shrinks_toward_population(cdnow_model):
    population = cdnow_model.expected_population_mean()

    one = cdnow_model.expected_average_value(1, 100.0)
    many = cdnow_model.expected_average_value(50, 100.0)

    assert population < one < many < 100.0
    assert many > 90.0


def test_gamma_gamma_infinite_mean_raises():
    model = GammaGammaModel()
    model.params_ = {"p": 2.0, "q": 0.9, "gamma": 10.0}

    with pytest.raises(ValueError, match="q = 0.9 <= 1"):
        model.expected_average_value(1, 10.0)


def test_gamma_gamma_money_scale_invariant(cdnow_summary):
    # Amounts in millions (project finance fees) only rescale gamma.
    scaled = GammaGammaModel().fit(cdnow_summary["frequency"],
                                   cdnow_summary["monetary_value"] * 1e6)
    base = GammaGammaModel().fit(cdnow_summary["frequency"],
                                 cdnow_summary["monetary_value"])

    assert scaled.params_["p"] == pytest.approx(base.params_["p"], rel=1e-4)
    assert scaled.params_["q"] == pytest.approx(base.params_["q"], rel=1e-4)
    assert scaled.params_["gamma"] == pytest.approx(base.params_["gamma"] * 1e6,
                                                    rel=1e-4)
