"""Loyalty tiers, tier migration and benefit cost against credited retention."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.satisfaction import (SatisfactionError, assign_tiers, benefit_economics,
                                     default_tiers, loyalty_inputs, tier_migration)


def _inputs():
    return pd.DataFrame({
        "client_id": ["A", "B", "C", "D"],
        "clv": [5e6, 2e6, 3e5, 5e6],
        "nps": [10.0, 8.0, np.nan, 9.0],
        "tenure_years": [8.0, 4.0, 2.0, 8.0],
        "strength": [0.9, 0.5, 0.1, 0.2],
    })


def test_tiers_follow_every_condition():
    tiers = assign_tiers(_inputs())
    assert tiers["tier"].tolist() == ["platinum", "gold", "silver", "silver"]


def test_tiers_skip_strength_without_column():
    tiers = assign_tiers(_inputs().drop(columns="strength"))
    assert tiers["tier"].tolist() == ["platinum", "gold", "silver", "platinum"]


def test_edited_thresholds_change_tiers():
    table = default_tiers()
    table.loc[table["tier"] == "platinum", "min_nps"] = 11
    assert assign_tiers(_inputs(), table)["tier"].iloc[0] == "gold"
    repeated = pd.concat([table, table.tail(1)])
    with pytest.raises(SatisfactionError, match="repeats tier base"):
        assign_tiers(_inputs(), repeated)


def test_migration_matrix_counts_moves():
    before = pd.DataFrame({"client_id": ["A", "B", "C"],
                           "tier": ["gold", "gold", "silver"]})
    after = pd.DataFrame({"client_id": ["A", "B", "D"],
                          "tier": ["platinum", "gold", "base"]})
    matrix = tier_migration(before, after)
    assert matrix.loc["gold", "platinum"] == 1
    assert matrix.loc["gold", "gold"] == 1
    assert matrix.loc["silver", "none"] == 1
    assert matrix.loc["none", "base"] == 1
    assert matrix.to_numpy().sum() == 4


def test_benefit_economics_attribution():
    assigned = pd.DataFrame({
        "client_id": list("ABCDEF"),
        "tier": ["gold", "gold", "base", "base", "base", "base"],
        "clv": [1e6, 3e6, 1e5, 1e5, 1e5, 1e5],
    })
    retained = pd.Series({"A": True, "B": True, "C": True, "D": True, "E": False,
                          "F": False})
    table = benefit_economics(assigned, retained).set_index("tier")
    assert table.loc["gold", "retention_rate"] == 1.0
    assert table.loc["gold", "base_rate"] == 0.5
    assert table.loc["gold", "credited_clients"] == pytest.approx(1.0)
    assert table.loc["gold", "credited_value"] == pytest.approx(2e6)
    assert table.loc["gold", "benefit_cost"] == pytest.approx(50_000)
    assert table.loc["gold", "net_value"] == pytest.approx(1_950_000)
    assert table.loc["platinum", "n"] == 0


def test_loyalty_inputs_on_demo(demo_frames):
    clv = pd.DataFrame({"client_id": demo_frames["clients"]["client_id"],
                        "clv": 1e6})
    strength = pd.DataFrame({"client_id": ["C-0001", "C-0001"],
                             "strength": [0.2, 0.7]})
    inputs = loyalty_inputs(clv, demo_frames["feedback"], demo_frames["clients"],
                            as_of="2026-09-30", strength=strength)
    assert len(inputs) == len(demo_frames["clients"])
    assert inputs.set_index("client_id").loc["C-0001", "strength"] == 0.7
    assert inputs["nps"].dropna().between(0, 10).all()
    assert set(assign_tiers(inputs)["tier"]) <= {"platinum", "gold", "silver", "base"}
