"""RFM summary: same-day merging, units, calibration/holdout split, input errors."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.clv import ClvDataError, rfm_summary
from pfcrm_core.clv.datasets import (CDNOW_CALIBRATION_END, CDNOW_OBSERVATION_END,
                                     load_cdnow_revenue)
from pfcrm_core.errors import ModelError


def _transactions():
    return pd.DataFrame({
        "client_id": ["007", "007", "007", "007", "042", "042", "099"],
        "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-29",
                 "2024-01-08", "2024-03-01", "2024-01-20"],
        "amount": [10.0, 5.0, 20.0, 40.0, 100.0, 7.0, 3.0],
    })


def test_rfm_summary_weeks():
    summary = rfm_summary(_transactions(), observation_end="2024-01-29")
    row = summary.set_index("client_id").loc["007"]

    assert list(summary["client_id"]) == ["007", "042", "099"]
    assert row["frequency"] == 2
    assert row["recency"] == pytest.approx(4.0)
    assert row["T"] == pytest.approx(4.0)
    assert row["monetary_value"] == pytest.approx(30.0)
    assert row["first_purchase"] == pd.Timestamp("2024-01-01")


def test_rfm_same_day_merged():
    summary = rfm_summary(_transactions(), observation_end="2024-01-10", unit="days")
    row = summary.set_index("client_id").loc["007"]

    assert row["frequency"] == 0
    assert row["monetary_value"] == 0.0
    assert row["T"] == pytest.approx(9.0)


def test_rfm_ignores_after_observation_end():
    summary = rfm_summary(_transactions(), observation_end="2024-01-29")
    row = summary.set_index("client_id").loc["042"]

    assert row["frequency"] == 0
    assert row["T"] == pytest.approx(3.0)


def test_rfm_purchase_on_end_day_counts():
    summary = rfm_summary(_transactions(), observation_end="2024-01-20", unit="days")
    row = summary.set_index("client_id").loc["099"]

    assert row["T"] == 0.0
    assert row["frequency"] == 0


@pytest.mark.parametrize("unit, days", [("days", 1.0), ("weeks", 7.0),
                                        ("months", 365.25 / 12)])
def test_rfm_units(unit, days):
    summary = rfm_summary(_transactions(), observation_end="2024-03-31", unit=unit)
    row = summary.set_index("client_id").loc["042"]

    assert row["recency"] == pytest.approx(53 / days)
    assert row["T"] == pytest.approx(83 / days)
    assert summary.attrs["unit"] == unit


def test_rfm_calibration_holdout():
    summary = rfm_summary(_transactions(), observation_end="2024-03-31",
                          calibration_end="2024-01-15", unit="days")
    rows = summary.set_index("client_id")

    assert list(rows.index) == ["007", "042"]
    assert rows.loc["007", "frequency"] == 1
    assert rows.loc["007", "T"] == pytest.approx(14.0)
    assert rows.loc["007", "monetary_value"] == pytest.approx(20.0)
    assert rows.loc["007", "frequency_holdout"] == 1
    assert rows.loc["007", "monetary_value_holdout"] == pytest.approx(40.0)
    assert rows.loc["042", "frequency_holdout"] == 1
    assert rows.loc["042", "monetary_value_holdout"] == pytest.approx(7.0)
    assert rows["duration_holdout"].tolist() == [76.0, 76.0]


def test_rfm_datetime_input_equals_text():
    transactions = _transactions()
    as_dates = transactions.assign(date=pd.to_datetime(transactions["date"]))

    text = rfm_summary(transactions, observation_end="2024-03-31")
    dates = rfm_summary(as_dates, observation_end=pd.Timestamp("2024-03-31"))

    pd.testing.assert_frame_equal(text, dates)


def test_rfm_custom_column_names():
    transactions = _transactions().rename(
        columns={"client_id": "cust", "date": "day", "amount": "value"})

    summary = rfm_summary(transactions, observation_end="2024-03-31",
                          customer_col="cust", date_col="day", value_col="value")

    assert list(summary["client_id"]) == ["007", "042", "099"]


def test_rfm_missing_columns():
    transactions = _transactions().drop(columns=["amount"])

    with pytest.raises(ModelError, match="no column amount"):
        rfm_summary(transactions, observation_end="2024-03-31")


def test_rfm_bad_amount_names_row():
    transactions = _transactions()
    transactions["amount"] = transactions["amount"].astype(object)
    transactions.loc[2, "amount"] = "twenty"

    with pytest.raises(ClvDataError, match="first at data row 3: 'twenty'"):
        rfm_summary(transactions, observation_end="2024-03-31")


def test_rfm_bad_date():
    transactions = _transactions()
    transactions.loc[1, "date"] = "not a date"

    with pytest.raises(ClvDataError, match="Column date contains values that are not"):
        rfm_summary(transactions, observation_end="2024-03-31")


def test_rfm_missing_client_id():
    transactions = _transactions()
    transactions.loc[0, "client_id"] = None

    with pytest.raises(ClvDataError, match="1 transactions have no client id"):
        rfm_summary(transactions, observation_end="2024-03-31")


def test_rfm_calibration_after_end():
    with pytest.raises(ClvDataError, match="2024-04-01 must be before the observation"):
        rfm_summary(_transactions(), observation_end="2024-03-31",
                    calibration_end="2024-04-01")


def test_rfm_no_transactions_before_end():
    with pytest.raises(ClvDataError, match="No transaction is dated on or before 2023"):
        rfm_summary(_transactions(), observation_end="2023-12-31")


def test_rfm_unknown_unit():
    with pytest.raises(ValueError, match="unit='years' is not supported"):
        rfm_summary(_transactions(), observation_end="2024-03-31", unit="years")


def test_rfm_cdnow_counts():
    summary = rfm_summary(load_cdnow_revenue(), observation_end=CDNOW_OBSERVATION_END,
                          calibration_end=CDNOW_CALIBRATION_END)

    assert len(summary) == 2357
    assert int((summary["frequency"] > 0).sum()) == 946
    assert summary["client_id"].str.len().eq(5).all()
    assert summary["T"].max() == pytest.approx(272 / 7)
    assert np.all(summary["recency"] <= summary["T"])
    assert summary["duration_holdout"].iloc[0] == pytest.approx(273 / 7)
