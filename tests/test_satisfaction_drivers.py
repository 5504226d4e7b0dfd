"""Key-driver regressions: known coefficients, scipy reference values, IPA table."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pfcrm_core.satisfaction import (SatisfactionError, client_attributes,
                                     fit_drivers)


def _synthetic(n_clients=400, seed=7):
    # NPS = 2 + 1.0 * speed + 0.5 * pricing - 1.0 * (type == sponsor) + noise.
    rng = np.random.default_rng(seed)
    clients = pd.DataFrame({
        "client_id": [f"C{i}" for i in range(n_clients)],
        "client_type": rng.choice(["bank", "sponsor"], n_clients, p=[0.6, 0.4]),
    })
    speed = rng.integers(1, 6, n_clients).astype(float)
    pricing = rng.integers(1, 6, n_clients).astype(float)
    noise = rng.normal(0, 0.5, n_clients)
    nps = 2 + speed + 0.5 * pricing - (clients["client_type"] == "sponsor") + noise
    feedback = pd.DataFrame({
        "response_id": [f"R{i}" for i in range(n_clients)],
        "client_id": clients["client_id"],
        "date": pd.Timestamp("2026-03-01"),
        "nps": np.clip(np.rint(nps), 0, 10).astype(int),
        "speed": speed, "pricing": pricing,
    })
    return feedback, clients


def test_ols_recovers_known_coefficients():
    feedback, clients = _synthetic()
    result = fit_drivers(feedback, clients, categorical=["client_type"], numeric=[])
    table = result.coefficients.set_index("term")
    assert table.loc["speed", "coefficient"] == pytest.approx(1.0, abs=0.1)
    assert table.loc["pricing", "coefficient"] == pytest.approx(0.5, abs=0.1)
    assert table.loc["client_type=sponsor", "coefficient"] == pytest.approx(-1.0,
                                                                           abs=0.2)
    assert table.loc["speed", "p_value"] < 1e-6


def test_classical_standard_error_matches_scipy_linregress():
    feedback, _ = _synthetic()
    result = fit_drivers(feedback, aspects=["speed"], cluster=False)
    row = result.coefficients.set_index("term").loc["speed"]
    reference = stats.linregress(feedback["speed"], feedback["nps"])
    assert row["coefficient"] == pytest.approx(reference.slope)
    assert row["std_error"] == pytest.approx(reference.stderr)
    assert row["p_value"] == pytest.approx(reference.pvalue, rel=1e-6, abs=1e-300)


def test_importance_performance_table():
    feedback, clients = _synthetic()
    ipa = fit_drivers(feedback, clients).importance_performance
    assert ipa["aspect"].tolist() == ["speed", "pricing"]
    assert ipa.loc[0, "quadrant"] in {"keep_up", "concentrate_here"}
    assert ((ipa["performance"] >= 0) & (ipa["performance"] <= 100)).all()


def test_logistic_promoter_model():
    feedback, clients = _synthetic()
    result = fit_drivers(feedback, clients, target="promoter")
    speed = result.coefficients.set_index("term").loc["speed"]
    assert speed["coefficient"] > 0
    assert speed["p_value"] < 0.001
    assert 0 < result.fit_statistic < 1


def test_demo_drivers_run_with_client_attributes(demo_frames):
    attributes = client_attributes(demo_frames)
    result = fit_drivers(demo_frames["feedback"], attributes)
    assert result.n > 1000
    assert "interactions_12m" in set(result.coefficients["term"])
    assert result.coefficients["p_value"].between(0, 1).all()
    assert result.importance_performance.empty


def test_driver_errors():
    feedback, clients = _synthetic(n_clients=20)
    with pytest.raises(SatisfactionError, match="Invalid driver target 'csat'"):
        fit_drivers(feedback, clients, target="csat")
    with pytest.raises(SatisfactionError, match="No driver to analyse"):
        fit_drivers(feedback.drop(columns=["speed", "pricing"]))
    with pytest.raises(SatisfactionError, match="Complete responses: 5;"):
        fit_drivers(feedback.head(5), aspects=["speed"])
