"""Cost-benefit of adopting a model: NPV, IRR and payback against hand computations."""

from __future__ import annotations

import doctest
import importlib

import pandas as pd
import pytest

from pfcrm_core.advisor import (AdvisorInputError, cost_benefit, fee_income_12m,
                                internal_rate_of_return, npv, payback_period)


def test_annuity_case_by_hand():
    # -100 then 30 a year for 5 years at 10%: NPV = -100 + 30 * (1 - 1.1**-5) / 0.1
    # = -100 + 30 * 3.790787 = 13.7236. Cumulative 30, 60, 90, 120 passes 100 in
    # year 4 after 10 of its 30: payback 3 + 10/30. Discounted flows 27.2727,
    # 24.7934, 22.5394, 20.4904, 18.6276 sum to 95.0959 after year 4, so the
    # discounted payback is 4 + 4.9041 / 18.6276 = 4.2633.
    result = cost_benefit(100.0, 0.0, 30.0, 0.10, 5)

    assert result.npv == pytest.approx(13.7236, abs=1e-4)
    assert result.payback_years == pytest.approx(3 + 10 / 30)
    assert result.discounted_payback_years == pytest.approx(4.2633, abs=1e-4)
    assert result.irr == pytest.approx(0.152382, abs=1e-6)
    assert npv(result.irr, result.cash_flows["net"]) == pytest.approx(0.0, abs=1e-9)


def test_running_cost_reduces_net_flow():
    # -1000 then 500 - 200 = 300 a year for 4 years at 0%: NPV = 200, payback
    # 3 + 100/300 years; at 0% both paybacks are equal.
    result = cost_benefit(1000.0, 200.0, 500.0, 0.0, 4)
    flows = result.cash_flows

    assert flows["net"].tolist() == [-1000.0, 300.0, 300.0, 300.0, 300.0]
    assert flows["cost"].tolist() == [1000.0, 200.0, 200.0, 200.0, 200.0]
    assert result.npv == pytest.approx(200.0)
    assert result.payback_years == pytest.approx(3 + 1 / 3)
    assert result.discounted_payback_years == pytest.approx(3 + 1 / 3)


def test_exact_payback_at_year_end():
    result = cost_benefit(200.0, 0.0, 100.0, 0.05, 3)

    assert result.payback_years == pytest.approx(2.0)


def test_never_pays_back():
    # -500 then 50 a year for 5 years: cumulative -250 at the end. The IRR solves
    # (1 - (1 + r)**-5) / r = 10, which gives r = -0.19402 (0.806**-5 = 2.939).
    result = cost_benefit(500.0, 0.0, 50.0, 0.08, 5)

    assert result.payback_years is None
    assert result.discounted_payback_years is None
    assert result.npv < 0
    assert result.irr == pytest.approx(-0.19402, abs=1e-5)


def test_no_irr_without_sign_change():
    result = cost_benefit(100.0, 10.0, 5.0, 0.05, 3)

    assert result.irr is None
    assert result.irr_above_range is False
    assert result.payback_years is None


def test_irr_above_bracket():
    result = cost_benefit(1.0, 0.0, 1000.0, 0.05, 3)

    assert result.irr is None
    assert result.irr_above_range is True
    assert result.payback_years == pytest.approx(0.001)


def test_no_one_off_cost_pays_back_at_once():
    result = cost_benefit(0.0, 10.0, 20.0, 0.05, 2)

    assert result.payback_years == 0.0
    assert result.irr is None


def test_discounted_payback_later_than_simple():
    result = cost_benefit(250_000.0, 50_000.0, 150_000.0, 0.12, 5)

    assert result.discounted_payback_years > result.payback_years
    assert result.payback_years == pytest.approx(2.5)


def test_helpers_on_raw_flows():
    assert npv(0.0, [-10, 4, 4, 4]) == pytest.approx(2.0)
    assert payback_period([-10, 4, 4, 4]) == pytest.approx(2.5)
    assert payback_period([-10, 4, -4, 4]) is None
    assert internal_rate_of_return([0, 0]) is None
    assert internal_rate_of_return([-100, 110]) == pytest.approx(0.10)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"one_off_cost": -1.0}, r"one_off_cost = -1.0 is out of range; enter a number "
                             r"of at least 0"),
    ({"yearly_running_cost": float("nan")}, r"yearly_running_cost = nan is invalid"),
    ({"yearly_benefit": "abc"}, r"yearly_benefit = 'abc' is invalid; enter a finite"),
    ({"discount_rate": 1.5}, r"discount_rate = 1.5 is out of range; enter a number "
                             r"from 0 to 1"),
    ({"discount_rate": -0.01}, r"discount_rate = -0.01 is out of range"),
    ({"horizon_years": 0}, r"horizon_years = 0 is invalid; enter a whole number of "
                           r"years from 1 to 30"),
    ({"horizon_years": 2.5}, r"horizon_years = 2.5 is invalid"),
    ({"horizon_years": 31}, r"horizon_years = 31 is invalid"),
])
def test_invalid_inputs(kwargs, message):
    inputs = {"one_off_cost": 100.0, "yearly_running_cost": 0.0, "yearly_benefit": 30.0,
              "discount_rate": 0.1, "horizon_years": 5}
    inputs.update(kwargs)

    with pytest.raises(AdvisorInputError, match=message) as caught:
        cost_benefit(**inputs)
    assert caught.value.key.startswith("advisor.error.")


def test_fee_income_excludes_interest():
    revenue = pd.DataFrame({
        "date": ["2025-09-30", "2025-10-01", "2026-06-30", "2026-09-30", "2026-09-30"],
        "amount": [1000.0, 100.0, 50.0, 999.0, 10.0],
        "currency": ["USD"] * 5,
        "kind": ["fee", "fee", None, "interest", "advisory"],
    })

    assert fee_income_12m(revenue) == pytest.approx(160.0)
    assert fee_income_12m(revenue, as_of="2026-06-30") == pytest.approx(1150.0)
    assert fee_income_12m(revenue.iloc[0:0]) == 0.0


def test_docstring_example_runs():
    module = importlib.import_module("pfcrm_core.advisor.cost_benefit")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
