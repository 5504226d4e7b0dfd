"""The next-deal model: features, labels, back-test, reasons and minimum history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.prediction import PredictionError, predict_next_deal
from pfcrm_core.prediction.features import (FEATURES, NUMERIC_FEATURES, TYPE_FEATURES,
                                            load_book, model_features,
                                            next_deal_labels, raw_features)
from pfcrm_core.prediction.reasons import REASON_GROUPS, Reason, describe
from pfcrm_core.prediction.validation import auc, calibration_table, lift_table

AS_OF = pd.Timestamp("2024-12-31")


def synthetic_book(seed: int, *, signal: bool, clients: int = 300) -> dict:
    """A book of monthly contacts and deals from 2019 to ``AS_OF``.

    With ``signal`` each client has a propensity that drives both its contacts
    and its deals, so past contacts and deals predict the next deal. Without it
    contacts and deals are drawn independently at one rate for everyone.
    """
    rng = np.random.default_rng(seed)
    ids = [f"C-{i:04d}" for i in range(clients)]
    months = pd.date_range("2019-01-01", AS_OF, freq="MS")
    propensity = rng.beta(0.6, 4.0, clients) if signal else np.full(clients, 0.06)
    contact_rate = 8 * propensity if signal else np.full(clients, 0.5)
    deals, contacts = [], []
    for month in months:
        starts = rng.random(clients) < propensity
        counts = rng.poisson(contact_rate)
        for i in np.flatnonzero(starts):
            day = month + pd.Timedelta(days=int(rng.integers(0, 28)))
            deals.append((ids[i], day, day + pd.DateOffset(years=5), 1e6, "usd"))
        for i in np.flatnonzero(counts):
            for _ in range(counts[i]):
                day = month + pd.Timedelta(days=int(rng.integers(0, 28)))
                contacts.append((ids[i], day))
    types = rng.choice(["bank", "sponsor"], clients)
    return {
        "clients": pd.DataFrame({"client_id": ids, "name": ids, "client_type": types,
                                 "relationship_since": pd.Timestamp("2018-06-01")}),
        "deals": pd.DataFrame(deals, columns=["client_id", "start_date",
                                              "maturity_date", "amount", "currency"]),
        "interactions": pd.DataFrame(contacts, columns=["client_id", "date"]),
    }


@pytest.fixture(scope="module")
def signal_result():
    return predict_next_deal(synthetic_book(1, signal=True), AS_OF)


def _hand_book() -> dict:
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D"],
                            "client_type": ["bank", "investor", "sponsor", None],
                            "relationship_since": pd.to_datetime(
                                ["2020-01-01", "2020-01-01", "2020-01-01", None])})
    deals = pd.DataFrame({
        "client_id": ["A", "A", "B", "C", "D"],
        "start_date": pd.to_datetime(["2023-03-15", "2024-06-30", "2024-12-31",
                                      "2025-01-01", "2024-07-01"]),
        "maturity_date": pd.to_datetime(["2024-10-15", "2030-01-01", "2031-01-01",
                                         "2032-01-01", "2029-01-01"]),
        "amount": [2e6, 3e6, 1e6, 1e6, 1e6],
        "currency": ["usd", "eur", "usd", "usd", "usd"],
    })
    interactions = pd.DataFrame({"client_id": ["A", "A", "A", "B"],
                                 "date": pd.to_datetime(["2024-06-01", "2024-05-01",
                                                         "2023-12-01", "2024-06-15"])})
    feedback = pd.DataFrame({"client_id": ["A", "A"], "nps": [4, 9],
                             "date": pd.to_datetime(["2023-01-01", "2024-03-01"])})
    credit = pd.DataFrame({"client_id": ["A"], "as_of": pd.to_datetime(["2023-12-31"]),
                           "pd": [0.02]})
    return {"clients": clients, "deals": deals, "interactions": interactions,
            "feedback": feedback, "credit": credit}


CUTOFF = pd.Timestamp("2024-06-30")


def test_labels_on_hand_built_book():
    book = load_book(_hand_book())
    ids = pd.Index(["A", "B", "C", "D"])

    labels = next_deal_labels(book, CUTOFF, 6, ids)

    # A's deal starts on the cut-off itself, so it is history, not a label.
    assert labels["A"] == 0
    assert labels["B"] == 1
    assert labels["C"] == 0
    assert labels["D"] == 1


def test_features_on_hand_built_book():
    raw = raw_features(load_book(_hand_book()), CUTOFF)

    assert list(raw.index) == ["A", "B", "C"]
    assert raw.loc["A", "deals_12m"] == 1
    assert raw.loc["A", "deals_36m"] == 2
    assert raw.loc["A", "amount_36m_musd"] == pytest.approx(2 + 3 * 1.08)
    assert raw.loc["A", "months_since_last_deal"] == 0
    assert raw.loc["A", "contacts_90d"] == 2
    assert raw.loc["A", "contacts_180d"] == 2
    assert raw.loc["A", "latest_nps"] == 9
    assert raw.loc["A", "pd"] == 0.02
    assert raw.loc["A", "maturities_12m"] == 1
    assert raw.loc["A", "months_to_maturity"] == pytest.approx(107 / (365.25 / 12))
    assert np.isnan(raw.loc["B", "months_since_last_deal"])
    assert np.isnan(raw.loc["B", "latest_nps"])
    assert raw.loc["B", "contacts_90d"] == 1


def test_client_without_since_joins_at_first_record():
    book = load_book(_hand_book())

    before = raw_features(book, pd.Timestamp("2024-06-30"))
    after = raw_features(book, pd.Timestamp("2024-07-31"))

    assert "D" not in before.index
    assert "D" in after.index
    assert after.loc["D", "tenure_years"] == pytest.approx(30 / 365.25)


def test_features_ignore_later_rows():
    tables = _hand_book()
    later = {name: frame.copy() for name, frame in tables.items()}
    later["deals"] = pd.concat([later["deals"], pd.DataFrame({
        "client_id": ["B"], "start_date": [pd.Timestamp("2024-07-02")],
        "maturity_date": [pd.Timestamp("2024-08-01")], "amount": [9e9],
        "currency": ["usd"]})], ignore_index=True)
    later["interactions"] = pd.concat([later["interactions"], pd.DataFrame({
        "client_id": ["A"] * 5, "date": [pd.Timestamp("2024-07-01")] * 5})])
    later["feedback"] = pd.concat([later["feedback"], pd.DataFrame({
        "client_id": ["B"], "nps": [0], "date": [pd.Timestamp("2024-07-01")]})])
    later["credit"] = pd.concat([later["credit"], pd.DataFrame({
        "client_id": ["A"], "as_of": [pd.Timestamp("2024-07-01")], "pd": [0.5]})])

    expected = raw_features(load_book(tables), CUTOFF)
    actual = raw_features(load_book(later), CUTOFF)

    pd.testing.assert_frame_equal(actual, expected)


def test_model_features_fill_missing_facts():
    later = pd.Timestamp("2024-07-31")
    frame = model_features(raw_features(load_book(_hand_book()), later))

    assert list(frame.columns) == list(FEATURES)
    assert not frame.isna().any().any()
    assert frame.loc["B", "no_prior_deal"] == 1
    assert frame.loc["B", "months_since_last_deal"] == 120
    assert frame.loc["B", "no_survey"] == 1
    assert frame.loc["A", "type_bank"] == 1
    assert frame.loc["D", TYPE_FEATURES].sum() == 0


def test_reason_groups_cover_every_feature():
    grouped = sorted(name for names in REASON_GROUPS.values() for name in names)

    assert grouped == sorted(NUMERIC_FEATURES + TYPE_FEATURES)


def test_auc_with_signal(signal_result):
    validation = signal_result.validation

    assert validation.pooled_auc > 0.7
    assert (validation.by_cutoff["auc"] > 0.65).all()
    assert validation.top_decile_lift > 1.5


def test_auc_without_signal():
    result = predict_next_deal(synthetic_book(2, signal=False), AS_OF)

    assert abs(result.validation.pooled_auc - 0.5) < 0.07


def test_backtest_trains_on_closed_windows(signal_result):
    by_cutoff = signal_result.validation.by_cutoff
    cutoffs = list(signal_result.cutoffs)

    for row in by_cutoff.itertuples():
        closed = [c for c in cutoffs if c + pd.DateOffset(months=6) <= row.cutoff]
        assert row.train_cutoffs == len(closed)
        assert max(closed) < row.cutoff - pd.DateOffset(months=5)


def test_calibration_and_lift_tables(signal_result):
    validation = signal_result.validation
    calibration, lift = validation.calibration, validation.lift
    rows = len(validation.predictions)

    assert list(calibration.columns) == ["bin", "n", "mean_predicted", "observed_rate"]
    assert list(calibration["bin"]) == list(range(1, 11))
    assert calibration["n"].sum() == rows
    assert calibration["mean_predicted"].is_monotonic_increasing
    assert list(lift["decile"]) == list(range(1, 11))
    assert lift["gains"].iloc[-1] == pytest.approx(1.0)
    assert lift["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert lift["rate"].iloc[0] > lift["rate"].iloc[-1]


def test_validation_helpers_on_tiny_inputs():
    assert np.isnan(auc([1, 1, 1], [0.2, 0.5, 0.9]))
    assert auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert calibration_table([], []).empty
    assert lift_table([0, 0], [0.1, 0.2]).empty
    assert len(calibration_table([0, 1, 1], [0.1, 0.5, 0.9])) == 3


def test_reasons_point_the_right_way(signal_result):
    scores = signal_result.scores
    coefficients = signal_result.coefficients.set_index("feature")["coefficient"]
    top, bottom = scores.iloc[0], scores.iloc[-1]

    assert coefficients["log_contacts_180d"] + coefficients["log_contacts_90d"] > 0
    assert top["reasons"][0].contribution > 0
    assert signal_result.reason_texts(top["client_id"])[0].startswith("▲")
    assert bottom["reasons"][0].contribution < 0
    assert signal_result.reason_texts(bottom["client_id"])[0].startswith("▼")
    for reasons in scores["reasons"]:
        sizes = [abs(reason.contribution) for reason in reasons]
        assert sizes == sorted(sizes, reverse=True)


def test_reason_texts_in_both_languages():
    raw = pd.Series({"contacts_90d": 3.0, "months_to_maturity": 4.2,
                     "maturities_12m": 1.0, "client_type": "bank"})

    contacts = Reason("contacts_90d", *describe("contacts_90d", raw), 0.4)
    maturity = Reason("next_maturity", *describe("next_maturity", raw), 0.2)
    single = Reason("maturities_12m", *describe("maturities_12m", raw), -0.1)
    kind = Reason("client_type", *describe("client_type", raw), 0.3)

    assert contacts.text("en") == "▲ 3 contacts in the last 90 days"
    assert contacts.text("zh") == "▲ 过去 90 天有 3 次联系"
    assert maturity.text("en") == "▲ a facility matures in 4 months"
    assert single.text("en") == "▼ 1 facility matures within 12 months"
    assert kind.text("en") == "▲ client type: Bank"
    assert kind.text("zh") == "▲ 客户类型：银行"


def test_reason_amounts_per_language():
    raw = pd.Series({"amount_36m_musd": 123.4, "revenue_12m_musd": 0.0})

    deals = Reason("amount_36m", *describe("amount_36m", raw), 0.5)
    revenue = Reason("revenue_12m", *describe("revenue_12m", raw), -0.2)

    assert deals.values == {"amount": pytest.approx(123.4e6)}
    assert deals.text("en") == "▲ 123.4 m USD of new deals in the last 3 years"
    assert deals.text("zh") == "▲ 过去 3 年新交易金额 1.2 亿美元"
    assert revenue.text("en") == "▼ 0 USD revenue in the last 12 months"
    assert revenue.text("zh") == "▼ 过去 12 个月收入 0美元"


@pytest.mark.parametrize("usd_m, english, chinese", [
    (0.0125, "12.5 k USD", "1.2 万美元"),
    (2.5, "2.5 m USD", "250.0 万美元"),
    (1500.0, "1.5 bn USD", "15.0 亿美元"),
])
def test_reason_revenue_units(usd_m, english, chinese):
    raw = pd.Series({"revenue_12m_musd": usd_m})
    reason = Reason("revenue_12m", *describe("revenue_12m", raw), 0.1)

    assert reason.text("en") == f"▲ {english} revenue in the last 12 months"
    assert reason.text("zh") == f"▲ 过去 12 个月收入 {chinese}"
    assert "百万" not in reason.text("zh")


def test_reason_texts_unknown_client(signal_result):
    with pytest.raises(KeyError, match="client 'X-1' has no score"):
        signal_result.reason_texts("X-1")


def test_same_result_twice():
    tables = synthetic_book(3, signal=True, clients=150)

    first = predict_next_deal(tables, AS_OF, seed=7)
    second = predict_next_deal(tables, AS_OF, seed=7)

    pd.testing.assert_frame_equal(first.coefficients, second.coefficients)
    pd.testing.assert_frame_equal(first.scores.drop(columns="reasons"),
                                  second.scores.drop(columns="reasons"))
    assert list(first.scores["reasons"]) == list(second.scores["reasons"])


def test_as_of_ignores_later_rows():
    tables = synthetic_book(4, signal=True, clients=150)
    as_of = pd.Timestamp("2024-06-30")
    deals, interactions = tables["deals"], tables["interactions"]
    cut = {"clients": tables["clients"],
           "deals": deals[deals["start_date"] <= as_of],
           "interactions": interactions[interactions["date"] <= as_of]}

    full = predict_next_deal(tables, as_of)
    truncated = predict_next_deal(cut, as_of)

    pd.testing.assert_frame_equal(full.scores.drop(columns="reasons"),
                                  truncated.scores.drop(columns="reasons"))


def test_too_little_history():
    tables = synthetic_book(5, signal=True, clients=40)
    recent = tables["deals"]["start_date"] >= pd.Timestamp("2023-01-01")
    tables["deals"] = tables["deals"][recent]

    message = (r"needs at least 30 new deals over 4 quarterly cut-offs, "
               r"and the data has \d+ new deals over \d+ cut-offs")
    with pytest.raises(PredictionError, match=message) as info:
        predict_next_deal(tables, AS_OF)

    assert info.value.key == "prediction.error.too_little_history"
    # The first deal starts after 1 January 2023, so the first quarter-end with a
    # year of history is 2024-03-31, and the last with a complete 6-month window
    # is 2024-06-30.
    assert info.value.values["cutoffs"] == 2


def test_empty_book():
    tables = {"clients": pd.DataFrame(columns=["client_id"]),
              "deals": pd.DataFrame(columns=["client_id", "start_date"])}

    message = "the data has 0 new deals over 0 cut-offs"
    with pytest.raises(PredictionError, match=message):
        predict_next_deal(tables, AS_OF)


def test_missing_deals_table():
    with pytest.raises(PredictionError, match="The deals table is missing"):
        predict_next_deal({"clients": pd.DataFrame(columns=["client_id"])}, AS_OF)


def test_missing_column():
    tables = {"clients": pd.DataFrame(columns=["client_id"]),
              "deals": pd.DataFrame(columns=["client_id"])}

    with pytest.raises(PredictionError, match="lacks the columns start_date"):
        predict_next_deal(tables, AS_OF)


def test_bad_horizon():
    with pytest.raises(PredictionError, match="not 0"):
        predict_next_deal(synthetic_book(6, signal=True, clients=50), AS_OF,
                          horizon_months=0)
