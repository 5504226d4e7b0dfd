"""fit_clv end to end: CDNOW, JSON output, thin-data errors and warnings, samples."""

import json

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.clv import (STAGES, ClvDataError, ThinDataWarning, check_data_size,
                            fit_clv)
from pfcrm_core.clv.datasets import (CDNOW_CALIBRATION_END, CDNOW_CLIENTS_CSV,
                                     CDNOW_OBSERVATION_END, CDNOW_PUBLISHED_BGNBD,
                                     CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD,
                                     CDNOW_REVENUE_CSV, SAMPLES_DIR, load_cdnow_revenue)
from pfcrm_core.clv.simulation import simulate_transactions
from pfcrm_core.errors import ModelError


@pytest.fixture(scope="module")
def cdnow_result():
    return fit_clv(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END,
                   calibration_end=CDNOW_CALIBRATION_END)


def test_fit_clv_calibration_model_published(cdnow_result):
    model = cdnow_result.calibration_bgnbd

    for name, (printed, decimals) in CDNOW_PUBLISHED_BGNBD.items():
        tolerance = 0.5 * 10.0**-decimals
        assert model.params_[name] == pytest.approx(printed, abs=tolerance), name
    assert model.log_likelihood_ == pytest.approx(CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD,
                                                  abs=0.1)


def test_fit_clv_client_table(cdnow_result):
    clients = cdnow_result.clients

    assert len(clients) == 2357
    assert set(clients["stage"]) <= set(STAGES)
    assert (clients["clv"] >= 0).all()
    assert clients["client_id"].iloc[0] == "00004"
    assert cdnow_result.warnings == []


def test_fit_clv_to_dict_json(cdnow_result):
    data = json.loads(json.dumps(cdnow_result.to_dict()))
    parameters = data["parameters"]

    assert list(parameters) == ["r", "alpha", "a", "b", "log_likelihood", "p", "q",
                                "gamma", "gamma_gamma_log_likelihood"]
    assert data["settings"]["calibration_end"] == CDNOW_CALIBRATION_END
    assert data["settings"]["unit"] == "weeks"
    assert data["n_clients"] == 2357
    assert data["calibration_parameters"]["log_likelihood"] == pytest.approx(
        CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD, abs=0.1)
    assert data["validation"]["by_frequency"][0]["clients"] == 1411
    assert sum(data["stage_counts"].values()) == 2357
    assert "clients" not in data


def test_fit_clv_to_dict_with_clients(cdnow_result):
    data = json.loads(json.dumps(cdnow_result.to_dict(include_clients=True)))

    assert len(data["clients"]) == 2357
    assert data["clients"][0]["client_id"] == "00004"


def test_fit_clv_parameter_meanings(cdnow_result):
    parameters = cdnow_result.parameters

    assert set(parameters) == {"r", "alpha", "a", "b", "p", "q", "gamma"}
    assert "in weeks" in parameters["alpha"]["meaning"]
    assert parameters["q"]["standard_error"] > 0


def test_fit_clv_default_observation_end():
    result = fit_clv(load_cdnow_revenue())

    assert result.settings["observation_end"] == pd.Timestamp(CDNOW_OBSERVATION_END)
    assert result.validation is None


def _clients(n_clients, repeat_clients, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(n_clients):
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
        rows.append((f"K{index:03d}", day, float(rng.uniform(10, 100))))
        if index < repeat_clients:
            later = day + pd.Timedelta(days=int(rng.integers(1, 200)))
            rows.append((f"K{index:03d}", later, float(rng.uniform(10, 100))))
    return pd.DataFrame(rows, columns=["client_id", "date", "amount"])


def test_fit_clv_too_few_clients():
    with pytest.raises(ModelError, match="at least 30 clients with transactions; the "
                                         "data have 20"):
        fit_clv(_clients(20, 10), observation_end="2024-12-31")


def test_fit_clv_no_repeat_purchases():
    with pytest.raises(ClvDataError, match="repeat purchase .*; 0 of the 50 clients"):
        fit_clv(_clients(50, 0), observation_end="2024-12-31")


def test_fit_clv_thin_data_warns():
    result = fit_clv(_clients(120, 40, seed=2), observation_end="2024-12-31")
    codes = [code for code, _ in result.warnings]

    assert "clv.warning.thin_data" in codes
    message = dict(result.warnings)["clv.warning.thin_data"]
    assert "Only 120 clients, 40 of them with a repeat purchase" in message
    assert "120" in dict(result.translated_warnings("zh"))["clv.warning.thin_data"]


def test_fit_clv_boundary_fit_stays_finite():
    # Every repeat buyer buys exactly once more: BG/NBD drives a up and b to 0.
    result = fit_clv(_clients(120, 40, seed=2), observation_end="2024-12-31")
    codes = [code for code, _ in result.warnings]

    assert "clv.warning.boundary_estimate" in codes
    assert np.isfinite(result.clients["clv"]).all()
    assert np.isfinite(result.clients["expected_transactions"]).all()


def test_check_data_size_thresholds():
    frequency = np.r_[np.ones(15), np.zeros(85)]

    with pytest.warns(ThinDataWarning, match="Only 100 clients, 15 of them"):
        check_data_size(frequency)
    with pytest.raises(ClvDataError, match="at least 20 clients with a repeat"):
        check_data_size(frequency, min_repeat_clients=20)


def test_fit_clv_simulated_days_unit():
    transactions = simulate_transactions(3000, unit="days", seed=4, bgnbd={
        "r": 0.5, "alpha": 60.0, "a": 0.8, "b": 3.0})

    result = fit_clv(transactions, unit="days", calibration_end="2021-06-30")

    assert result.bgnbd.params_["r"] == pytest.approx(0.5, rel=0.25)
    assert result.validation.n_clients == 3000
    assert abs(result.validation.aggregate_percentage_error) < 15


def test_samples_converter_reproduces_committed_files(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_cdnow_csv",
                                                  SAMPLES_DIR / "make_cdnow_csv.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    clients_path, revenue_path = module.convert(out_dir=tmp_path)

    assert clients_path.read_bytes() == CDNOW_CLIENTS_CSV.read_bytes()
    assert revenue_path.read_bytes() == CDNOW_REVENUE_CSV.read_bytes()


def test_samples_keep_leading_zeros():
    clients = pd.read_csv(CDNOW_CLIENTS_CSV, dtype=str)
    revenue = pd.read_csv(CDNOW_REVENUE_CSV, dtype=str)

    assert len(clients) == 2357
    assert len(revenue) == 6919
    assert clients["client_id"].str.fullmatch(r"\d{5}").all()
    assert clients["name"].iloc[0] == "CDNOW 00004"
    assert revenue["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
