"""Fit scores of the seven models: the weight table, floors, reasons and ranking."""

from __future__ import annotations

import pytest

from pfcrm_core.advisor import (FACTORS, FLOOR_PENALTY, MODEL_PAGES, MODELS, WEIGHTS,
                                AdvisorInputError, Answers, recommend, score_model,
                                score_models, weight_table)
from pfcrm_core.advisor.readiness import NOT_READY, PARTLY, READY, Readiness
from pfcrm_core.i18n import catalogue

ROOT_PAGES = ("clv", "satisfaction", "segments", "risk", "network", "feedback",
              "automation")


def test_weight_rows_add_up_to_one():
    for model, row in WEIGHTS.items():
        assert sum(row) == pytest.approx(1.0), model
        assert min(row) >= 0, model


def test_weight_table_shape():
    table = weight_table()

    assert list(table.index) == list(MODELS)
    assert list(table.columns) == ["base", *FACTORS]


def test_scores_at_lowest_and_highest_answers():
    lowest = {fit.model: fit.score for fit in score_models(Answers(1, 1, 1, 1))}
    highest = {fit.model: fit.score for fit in score_models(Answers(4, 4, 4, 4))}

    assert lowest["satisfaction"] == pytest.approx(45.0)
    assert lowest["risk"] == pytest.approx(100 * 0.20 * FLOOR_PENALTY)
    assert lowest["digital"] == pytest.approx(100 * 0.05 * FLOOR_PENALTY)
    assert all(score == pytest.approx(100.0) for score in highest.values())


def test_score_by_hand():
    # network: 100 * (0.20 + 0.50 * 1 + 0.05 * 1/3 + 0.15 * 1/3 + 0.10 * 0) = 76.67
    fit = score_model("network", Answers(complexity=4, size=2, capability=2, budget=1))

    assert fit.score == pytest.approx(76.7)
    assert fit.contributions["complexity"] == pytest.approx(50.0)
    assert fit.below_floor == ()


def test_network_rises_with_complexity():
    scores = [score_model("network", Answers(complexity=level)).score
              for level in (1, 2, 3, 4)]

    assert scores == sorted(scores)
    assert scores[0] < scores[-1]


def test_floor_halves_scorecard():
    below = score_model("risk", Answers(capability=2))
    at = score_model("risk", Answers(capability=3))

    assert below.below_floor == ("capability",)
    assert below.reasons[0].key == "advisor.reason.risk.base"
    assert below.reasons[1].key == "advisor.reason.floor.capability"
    assert below.reasons[1].values == {"level": 2, "floor": 3}
    assert at.below_floor == ()
    assert below.score < at.score / 2 + 1e-9


def test_digital_needs_budget():
    fit = score_model("digital", Answers(capability=4, budget=2))

    assert fit.below_floor == ("budget",)


def test_reasons_follow_answers():
    high = score_model("network", Answers(complexity=4))
    low = score_model("network", Answers(complexity=1))

    assert high.reasons[1].key == "advisor.reason.network.complexity.high"
    assert low.reasons[1].key == "advisor.reason.network.complexity.low"


def test_every_reason_key_exists():
    keys = catalogue()
    for complexity in (1, 4):
        for capability in (1, 4):
            for budget in (1, 4):
                answers = Answers(complexity, 2, capability, budget)
                for fit in score_models(answers):
                    for note in fit.reasons:
                        assert note.key in keys, note.key


def test_ranking_changes_with_answers():
    small = [item.model for item in recommend(Answers(1, 1, 1, 1))]
    complex_firm = [item.model for item in recommend(Answers(4, 1, 1, 1))]

    assert small[:2] == ["satisfaction", "feedback"]
    assert complex_firm[0] == "network"
    assert [item.rank for item in recommend(Answers())] == list(range(1, 8))


def test_readiness_lowers_priority():
    readiness = {model: Readiness(model, READY, ()) for model in MODELS}
    readiness["satisfaction"] = Readiness("satisfaction", NOT_READY, ())
    readiness["feedback"] = Readiness("feedback", PARTLY, ())

    ranking = {item.model: item for item in recommend(Answers(1, 1, 1, 1), readiness)}

    assert ranking["satisfaction"].priority == pytest.approx(22.5)
    assert ranking["feedback"].priority == pytest.approx(30.0)
    assert ranking["clv"].rank == 1


def test_model_pages_are_model_scripts():
    assert set(MODEL_PAGES) == set(MODELS)
    for model, page in MODEL_PAGES.items():
        assert page.startswith("pages/models/"), model
    assert sorted(p.split("/")[-1][:-3] for p in MODEL_PAGES.values()) == sorted(
        ROOT_PAGES)


@pytest.mark.parametrize("kwargs", [{"size": 0}, {"budget": 5}, {"capability": True},
                                    {"complexity": 2.5}])
def test_invalid_answer(kwargs):
    with pytest.raises(AdvisorInputError, match=r"choose a level from 1 to 4"):
        Answers(**kwargs)
