"""Basel IRB corporate capital and supervisory slotting."""

from __future__ import annotations

import numpy as np
import pytest

from pfcrm_core.risk import RiskDataError, irb_corporate, slotting


def test_irb_reference_values():
    # PD 1%, LGD 45%, M 2.5 years: K = 0.073853 and a risk weight of 92.32%.
    row = irb_corporate(0.01, 0.45, 1_000_000, 2.5).iloc[0]
    assert row["k"] == pytest.approx(0.073853, abs=1e-6)
    assert row["risk_weight"] == pytest.approx(0.9232, abs=1e-4)
    assert row["rwa"] == pytest.approx(row["k"] * 12.5 * 1_000_000)
    assert row["capital"] == pytest.approx(0.08 * row["rwa"])


def test_irb_correlation_limits():
    table = irb_corporate([0.0005, 0.5], 0.45, 1.0)
    assert table["correlation"].iloc[0] == pytest.approx(0.24, abs=0.01)
    assert table["correlation"].iloc[1] == pytest.approx(0.12, abs=1e-9)


def test_irb_pd_floor():
    floored = irb_corporate(0.0001, 0.45, 1.0).iloc[0]
    at_floor = irb_corporate(0.0005, 0.45, 1.0).iloc[0]
    assert floored["pd"] == 0.0005
    assert floored["k"] == pytest.approx(at_floor["k"])
    unfloored = irb_corporate(0.0001, 0.45, 1.0, pd_floor=0).iloc[0]
    assert unfloored["k"] < floored["k"]


def test_irb_maturity_raises_capital_and_is_clamped():
    k = irb_corporate(0.01, 0.45, 1.0, [0.5, 1.0, 2.5, 5.0, 7.0])["k"].to_numpy()
    assert k[0] == pytest.approx(k[1])
    assert k[3] == pytest.approx(k[4])
    assert np.all(np.diff(k[1:4]) > 0)


def test_irb_defaulted_exposure_has_no_capital():
    row = irb_corporate(1.0, 0.45, 100.0).iloc[0]
    assert row["k"] == 0.0
    assert row["pd"] == 1.0


def test_irb_rejects_percent_inputs():
    with pytest.raises(RiskDataError, match=r"LGD must be a share between 0 and 1.*45"):
        irb_corporate(0.01, 45, 100.0)


@pytest.mark.parametrize(("category", "weight", "el_rate"), [
    ("strong", 0.70, 0.004), ("good", 0.90, 0.008), ("satisfactory", 1.15, 0.028),
    ("weak", 2.50, 0.08), ("default", 0.0, 0.50)])
def test_slotting_weights(category, weight, el_rate):
    row = slotting(category, 1000.0).iloc[0]
    assert row["risk_weight"] == weight
    assert row["capital"] == pytest.approx(0.08 * weight * 1000.0)
    assert row["expected_loss"] == pytest.approx(el_rate * 1000.0)


def test_slotting_short_maturity():
    table = slotting(["strong", "good", "satisfactory"], 100.0, 2.0)
    assert table["risk_weight"].tolist() == [0.50, 0.70, 1.15]
    long = slotting(["strong", "good"], 100.0, 2.5)
    assert long["risk_weight"].tolist() == [0.70, 0.90]


def test_slotting_category_case_insensitive():
    assert slotting(" Strong ", 1.0)["category"].iloc[0] == "strong"


def test_slotting_invalid_category():
    with pytest.raises(RiskDataError, match=r"'excellent' is not valid.*strong, good"):
        slotting("excellent", 1.0)
