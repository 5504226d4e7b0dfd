"""CLV discounting, horizon, units and lifecycle stages."""

import numpy as np
import pytest

from pfcrm_core.clv import (BetaGeoModel, GammaGammaModel, customer_lifetime_value,
                            lifecycle_stage, months_to_units, rfm_summary)
from pfcrm_core.clv.datasets import CDNOW_OBSERVATION_END, load_cdnow_revenue


def _fit(unit):
    summary = rfm_summary(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END,
                          unit=unit)
    bgnbd = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    gamma_gamma = GammaGammaModel().fit(summary["frequency"], summary["monetary_value"])
    return bgnbd, gamma_gamma, summary


@pytest.fixture(scope="module")
def fitted():
    return _fit("weeks")


def test_clv_columns(fitted):
    table = customer_lifetime_value(*fitted)

    assert list(table.columns) == ["client_id", "frequency", "recency", "T",
                                   "monetary_value", "p_alive", "expected_transactions",
                                   "expected_value", "clv"]
    assert len(table) == 2357
    assert (table["clv"] > 0).all()


def test_clv_zero_discount_is_undiscounted_sum(fitted):
    bgnbd, gamma_gamma, summary = fitted

    table = customer_lifetime_value(bgnbd, gamma_gamma, summary, horizon_months=12,
                                    discount_rate_monthly=0.0, margin=0.4)
    horizon = months_to_units(12, "weeks")
    expected = bgnbd.expected_transactions(horizon, summary["frequency"],
                                           summary["recency"], summary["T"])
    value = gamma_gamma.expected_average_value(summary["frequency"],
                                               summary["monetary_value"])

    np.testing.assert_allclose(table["clv"], expected * value * 0.4, rtol=1e-10)
    np.testing.assert_allclose(table["expected_transactions"], expected, rtol=1e-12)


def test_clv_discounting_by_month(fitted):
    bgnbd, gamma_gamma, summary = fitted
    row = summary.iloc[:1]
    t = months_to_units(np.arange(4), "weeks")
    cumulative = bgnbd.expected_transactions(t, row["frequency"].iloc[0],
                                             row["recency"].iloc[0], row["T"].iloc[0])
    value = gamma_gamma.expected_average_value(row["frequency"], row["monetary_value"])
    by_hand = sum(np.diff(cumulative)[m - 1] / 1.02**m for m in (1, 2, 3)) * value[0]

    table = customer_lifetime_value(bgnbd, gamma_gamma, row, horizon_months=3,
                                    discount_rate_monthly=0.02)

    assert table["clv"].iloc[0] == pytest.approx(by_hand, rel=1e-12)


def test_clv_longer_horizon_never_lower(fitted):
    values = [customer_lifetime_value(*fitted, horizon_months=months)["clv"].to_numpy()
              for months in (0, 1, 6, 12, 24, 60)]

    np.testing.assert_array_equal(values[0], 0.0)
    for shorter, longer in zip(values, values[1:]):
        assert np.all(longer >= shorter)


def test_clv_higher_discount_lower_value(fitted):
    low = customer_lifetime_value(*fitted, discount_rate_monthly=0.005)["clv"]
    high = customer_lifetime_value(*fitted, discount_rate_monthly=0.03)["clv"]

    assert np.all(high < low)


def test_clv_margin_scales_linearly(fitted):
    full = customer_lifetime_value(*fitted, margin=1.0)["clv"]
    part = customer_lifetime_value(*fitted, margin=0.25)["clv"]

    np.testing.assert_allclose(part, 0.25 * full, rtol=1e-12)


def test_clv_same_in_days_weeks_months(fitted):
    weeks = customer_lifetime_value(*fitted)
    days = customer_lifetime_value(*_fit("days"))
    months = customer_lifetime_value(*_fit("months"))

    np.testing.assert_allclose(days["clv"], weeks["clv"], rtol=1e-4)
    np.testing.assert_allclose(months["clv"], weeks["clv"], rtol=1e-4)
    np.testing.assert_allclose(days["p_alive"], weeks["p_alive"], rtol=1e-4, atol=1e-8)


def test_bgnbd_alpha_scales_with_unit(fitted):
    bgnbd_days = _fit("days")[0]

    assert bgnbd_days.params_["alpha"] == pytest.approx(7 * fitted[0].params_["alpha"],
                                                        rel=1e-4)
    assert bgnbd_days.params_["r"] == pytest.approx(fitted[0].params_["r"], rel=1e-4)


def test_clv_unit_missing_raises(fitted):
    bgnbd, gamma_gamma, summary = fitted
    bare = summary.copy()
    bare.attrs = {}

    with pytest.raises(ValueError, match="the time unit is unknown: pass unit="):
        customer_lifetime_value(bgnbd, gamma_gamma, bare)


@pytest.mark.parametrize("argument, value, message", [
    ("horizon_months", 1.5, "horizon_months must be a whole number >= 0; got 1.5"),
    ("discount_rate_monthly", -0.1, "discount_rate_monthly must be >= 0"),
    ("margin", -1.0, "margin must be >= 0"),
])
def test_clv_invalid_argument_raises(fitted, argument, value, message):
    with pytest.raises(ValueError, match=message):
        customer_lifetime_value(*fitted, **{argument: value})


@pytest.mark.parametrize("frequency, recency, T, p_alive, stage", [
    (0, 0.0, 8.0, 1.0, "new"),
    (2, 5.0, 10.0, 0.1, "new"),
    (3, 50.0, 52.0, 0.95, "active"),
    (3, 50.0, 52.0, 0.5, "at_risk"),
    (3, 50.0, 52.0, 0.2, "lapsed"),
    (0, 0.0, 30.0, 1.0, "at_risk"),
    (0, 0.0, 60.0, 1.0, "lapsed"),
    (4, 20.0, 50.0, 0.9, "at_risk"),
    (4, 20.0, 80.0, 0.9, "lapsed"),
])
def test_lifecycle_stage_rules(frequency, recency, T, p_alive, stage):
    result = lifecycle_stage([frequency], [recency], [T], [p_alive], unit="weeks")

    assert result[0] == stage


def test_lifecycle_inactivity_rule_off():
    result = lifecycle_stage([0], [0.0], [60.0], [1.0], unit="weeks",
                             at_risk_inactive_months=None, lapsed_inactive_months=None)

    assert result[0] == "active"


def test_lifecycle_thresholds_out_of_order():
    with pytest.raises(ValueError, match="0 <= lapsed_p_alive <= at_risk_p_alive"):
        lifecycle_stage([1], [1.0], [20.0], [0.5], unit="weeks", lapsed_p_alive=0.8,
                        at_risk_p_alive=0.5)


def test_top_share_of_skewed_values():
    from pfcrm_core.clv import top_share

    values = [100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]

    assert top_share(values) == pytest.approx(1.0)
    assert top_share([1.0] * 10) == pytest.approx(0.2)


def test_top_share_without_value_is_nan():
    from pfcrm_core.clv import top_share

    assert np.isnan(top_share([0.0, float("nan")]))
