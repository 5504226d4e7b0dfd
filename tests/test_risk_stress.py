"""Stress scenarios: PD multipliers by sector and LGD shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import StressScenario, expected_loss, stress_test


@pytest.fixture
def book():
    return pd.DataFrame({
        "client_id": ["e1", "e2", "t1"],
        "sector": ["energy", "Energy", "transport"],
        "pd": [0.01, 0.6, 0.02],
        "lgd": [0.40, 0.95, 0.30],
        "ead": [1_000.0, 2_000.0, 3_000.0],
        "revenue": [50.0, 80.0, 90.0],
    })


def test_identity_scenario_changes_nothing(book):
    result = stress_test(book, StressScenario("none"))
    assert np.allclose(result.clients["el_change"], 0.0)
    assert np.allclose(result.totals["change"], 0.0)


def test_sector_multiplier_and_lgd_shock(book):
    scenario = StressScenario("energy", pd_multiplier={"energy": 2.0, "*": 1.5},
                              lgd_shock_pp=10)
    clients = stress_test(book, scenario).clients.set_index("client_id")
    assert clients.loc["e1", "pd_stressed"] == pytest.approx(0.02)
    assert clients.loc["e2", "pd_stressed"] == 1.0          # capped at 1
    assert clients.loc["t1", "pd_stressed"] == pytest.approx(0.03)
    assert clients.loc["e1", "lgd_stressed"] == pytest.approx(0.50)
    assert clients.loc["e2", "lgd_stressed"] == 1.0         # capped at 1
    assert clients.loc["e1", "el_stressed"] == pytest.approx(expected_loss(0.02, 0.5,
                                                                           1_000.0))


def test_totals_add_up(book):
    result = stress_test(book, StressScenario("all", pd_multiplier=2.0))
    clients, totals = result.clients, result.totals
    assert totals.loc["el", "base"] == pytest.approx(clients["el_base"].sum())
    assert totals.loc["el", "change"] == pytest.approx(clients["el_change"].sum())
    assert totals.loc["capital", "change"] == pytest.approx(
        clients["capital_change"].sum())
    assert totals.loc["el", "change"] > 0
    assert totals.loc["raroc", "change"] < 0


def test_stress_raises_capital_for_performing_clients(book):
    result = stress_test(book, StressScenario("pd", pd_multiplier=1.5))
    clients = result.clients.set_index("client_id")
    assert clients.loc["e1", "capital_change"] > 0
    assert clients.loc["t1", "raroc_change"] < 0
