"""Development sample and current book from a real DuckDB store of the demo book."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import (RiskDataError, build_development_sample, current_book,
                             develop_from_store, risk_return_table)
from pfcrm_core.risk.dataset import FEATURES, TARGET
from pfcrm_core.store import Store


@pytest.fixture(scope="module")
def demo_store(demo_db_path):
    return Store(demo_db_path)


@pytest.fixture(scope="module")
def sample(demo_store):
    return build_development_sample(demo_store)


@pytest.fixture(scope="module")
def report(demo_store):
    return develop_from_store(demo_store)


def test_sample_has_features_and_target(sample):
    assert list(sample.columns) == ["client_id", "as_of", *FEATURES, TARGET]
    assert not sample.duplicated(["client_id", "as_of"]).any()


def test_sample_leaves_out_default_rows(sample, demo_frames):
    credit = demo_frames["credit"]
    d_rows = credit[credit["rating"] == "D"]
    assert len(sample) == len(credit) - len(d_rows)
    assert sample["rating_notch"].max() < 21
    rated_defaults = int((credit["defaulted"] & (credit["rating"] != "D")).sum())
    assert int(sample[TARGET].sum()) == rated_defaults


def test_no_rows_after_default(sample, demo_frames):
    credit = demo_frames["credit"]
    first_d = credit[credit["rating"] == "D"].groupby("client_id")["as_of"].min()
    joined = sample.merge(first_d.rename("d_date"), left_on="client_id",
                          right_index=True)
    assert (joined["as_of"] < joined["d_date"]).all()


def test_fee_window_before_first_revenue_is_missing(sample, demo_frames):
    first_revenue = demo_frames["revenue"]["date"].min()
    early = sample["as_of"] - pd.DateOffset(months=12) < first_revenue
    assert sample.loc[early, "fee_income_12m"].isna().all()
    assert sample.loc[~early, "fee_income_12m"].notna().all()


def test_fee_income_by_hand(sample, demo_frames):
    row = sample[sample["fee_income_12m"] > 0].iloc[0]
    revenue = demo_frames["revenue"]
    fees = revenue[(revenue["client_id"] == row["client_id"])
                   & (revenue["kind"] == "fee")
                   & (revenue["date"] > row["as_of"] - pd.DateOffset(months=12))
                   & (revenue["date"] <= row["as_of"])]
    assert row["fee_income_12m"] == pytest.approx(fees["amount"].sum())


def test_margin_only_from_live_priced_deals(sample, demo_frames):
    deals = demo_frames["deals"]
    no_margin = set(deals["client_id"]) - set(deals.loc[deals["margin_bps"].notna(),
                                                        "client_id"])
    assert sample.loc[sample["client_id"].isin(no_margin), "margin_bps"].isna().all()
    priced = sample["margin_bps"].dropna()
    assert priced.between(0, 5000).all()


def test_demo_scorecard_discriminates(report):
    # The demo draws defaults from the rating's PD, so the scorecard must rank
    # clients far better than chance. Test AUC measured on the default seed: 0.85.
    assert report.test["auc"] > 0.75
    assert report.train["auc"] > 0.75
    assert "rating_notch" in report.model.selected_variables_
    assert report.iv_table["variable"].iloc[0] == "rating_notch"


def test_demo_split_keeps_clients_apart(demo_store, report):
    assert report.train["n"] + report.test["n"] == len(
        build_development_sample(demo_store))


def test_current_book_and_raroc(demo_store, report):
    book = current_book(demo_store)
    assert book["client_id"].is_unique
    assert (book["as_of"] == book["credit_as_of"].max()).all()
    performing = book[~book["in_default"]].copy()
    performing["pd"] = report.model.predict_pd(performing)
    table = risk_return_table(performing)
    assert set(table["quadrant"].dropna()) <= {"grow", "protect", "reprice", "exit"}
    assert (table["el"] >= 0).all()


def test_empty_store_has_no_history(store):
    with pytest.raises(RiskDataError, match=r"credit table is empty"):
        build_development_sample(store)


def test_missing_tables_named():
    with pytest.raises(RiskDataError, match=r"no table 'credit'"):
        build_development_sample({"clients": pd.DataFrame(), "deals": pd.DataFrame(),
                                  "revenue": pd.DataFrame()})
