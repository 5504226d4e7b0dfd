"""Pricing the current book: PD source, slotting categories, capital mix, PSI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.risk import (RiskDataError, build_development_sample, current_book,
                             develop_from_store, encode_target, irb_corporate,
                             risk_return_table, roc_table, slotting, stress_test,
                             StressScenario)
from pfcrm_core.risk.book import (capital_inputs, score_book, slotting_category,
                                  variable_psi)


@pytest.fixture(scope="module")
def fitted(demo_frames):
    report = develop_from_store(demo_frames)
    development = build_development_sample(demo_frames)
    book = current_book(demo_frames)
    return report, development, book


def _book() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["pf", "corp", "short"],
        "sector": ["energy", "financial services", "Transport"],
        "rating": ["BBB", "BB", "A"],
        "pd": [0.002, 0.014, 0.0007],
        "lgd": [0.45, 0.45, 0.45],
        "ead": [1_000_000.0, 1_000_000.0, 1_000_000.0],
        "revenue": [30_000.0, 30_000.0, 30_000.0],
        "maturity_years": [8.0, 3.0, 1.5],
    })


@pytest.mark.parametrize("rating, category", [
    ("AAA", "strong"), ("BBB-", "strong"), ("Baa3", "strong"), ("BB+", "good"),
    ("BB", "good"), ("BB-", "satisfactory"), ("B+", "satisfactory"), ("B", "weak"),
    ("CCC", "weak"), ("C", "weak"), ("D", "default"), ("NR", None), (None, None),
])
def test_slotting_category_from_rating(rating, category):
    assert slotting_category([rating])[0] == category


def test_slotting_category_rejects_text():
    with pytest.raises(RiskDataError, match="cannot be read: 'excellent'"):
        slotting_category(["excellent"])


def test_irb_approach_adds_no_capital():
    table = capital_inputs(_book(), "irb")

    assert "capital" not in table.columns
    assert table["project_finance"].tolist() == [True, False, True]
    assert table["slotting_category"].tolist() == ["strong", None, "strong"]


def test_slotting_capital_for_project_finance_only():
    table = risk_return_table(capital_inputs(_book(), "slotting"))
    rows = table.set_index("client_id")

    assert rows.loc["pf", "capital"] == pytest.approx(0.08 * 0.70 * 1_000_000)
    irb = irb_corporate(0.014, 0.45, 1_000_000.0, 3.0)["capital"].iloc[0]
    assert rows.loc["corp", "capital"] == pytest.approx(irb)
    assert rows.loc["corp", "rwa"] == pytest.approx(irb * 12.5)


def test_short_maturity_weights_are_optional():
    standard = capital_inputs(_book(), "slotting").set_index("client_id")
    short = capital_inputs(_book(), "slotting",
                           short_maturity_weights=True).set_index("client_id")

    assert standard.loc["short", "slotting_risk_weight"] == 0.70
    assert short.loc["short", "slotting_risk_weight"] == 0.50
    assert short.loc["pf", "slotting_risk_weight"] == 0.70


def test_unknown_approach_is_rejected():
    with pytest.raises(ValueError, match="approach must be one of irb, slotting; "
                                         "got 'standardised'"):
        capital_inputs(_book(), "standardised")


def test_stress_holds_slotting_capital_and_moves_irb():
    book = capital_inputs(_book(), "slotting")
    result = stress_test(book, StressScenario("double", pd_multiplier=2.0))
    clients = result.clients.set_index("client_id")

    assert clients.loc["pf", "capital_change"] == 0
    assert clients.loc["corp", "capital_change"] > 0


def test_score_book_chooses_pd_source(fitted):
    report, development, book = fitted
    history = set(development["client_id"]) - {book["client_id"].iloc[0]}

    table = score_book(book, report.model, history)
    first = table.iloc[0]
    in_default = table[table["in_default"]]

    assert first["pd_source"] == "rating"
    assert first["pd"] == pytest.approx(0.0140)
    assert (in_default["pd"] == 1.0).all()
    assert (in_default["grade"] == "D").all()
    scored = table[table["pd_source"] == "scorecard"]
    np.testing.assert_allclose(scored["pd"], scored["model_pd"])


def test_score_book_without_model_uses_ratings(fitted):
    _, _, book = fitted

    table = score_book(book, None, ())

    assert set(table["pd_source"]) <= {"rating", "default"}
    assert table["score"].isna().all()


def test_variable_psi_is_zero_on_same_sample(fitted):
    report, development, _ = fitted

    summary, bins = variable_psi(report.model.binner_, development, development)

    assert summary["psi"].abs().max() == pytest.approx(0.0, abs=1e-12)
    assert set(summary["band"]) == {"stable"}
    assert set(bins["variable"]) == set(summary["variable"])


def test_variable_psi_counts_unseen_values(fitted):
    report, development, book = fitted
    changed = book.assign(sector="space mining")

    summary, _ = variable_psi(report.model.binner_, development, changed, ["sector"])

    assert summary.loc[0, "n_unseen"] == len(book)
    assert summary.loc[0, "band"] == "significant shift"


def test_report_carries_roc_of_test_sample(fitted):
    report, _, _ = fitted

    assert report.roc["fpr"].iloc[0] == 0.0
    assert report.roc["tpr"].iloc[-1] == 1.0
    area = np.trapezoid(report.roc["tpr"], report.roc["fpr"])
    assert area == pytest.approx(report.test["auc"])


def test_roc_table_needs_two_classes():
    with pytest.raises(RiskDataError, match="has 0 bads"):
        roc_table([0, 0, 0], [0.1, 0.2, 0.3])


def test_single_label_is_one_class_whatever_bad_value():
    with pytest.raises(RiskDataError, match="only one value, False"):
        encode_target(pd.Series([False, False, False]), bad_value=True, name="flag")


def test_slotting_function_unchanged_by_book():
    frame = slotting(["strong"], [100.0])

    assert frame["capital"].iloc[0] == pytest.approx(5.6)
