"""Fit scores of the seven CRM models for a firm's answers, with the reasons."""

from __future__ import annotations

from dataclasses import dataclass

from pfcrm_core.notes import Note

from .questions import FACTORS, Answers
from .weights import FLOOR_PENALTY, FLOORS, MODELS, WEIGHTS

# The two heaviest factors of a model are given as its reasons; an answer at
# HIGH_LEVEL or above supports the model, a lower one holds it back.
REASON_FACTORS = 2
HIGH_LEVEL = 3


@dataclass(frozen=True)
class ModelFit:
    """How well one model fits the firm.

    Attributes
    ----------
    model : str
        One of ``MODELS``.
    score : float
        Fit score from 0 to 100 (see ``weights``).
    contributions : dict of str to float
        Points each factor adds to the score, before any floor penalty.
    reasons : tuple of Note
        Why the model fits or does not, in order of importance.
    below_floor : tuple of str
        Factors whose answer is below the model's floor.
    """

    model: str
    score: float
    contributions: dict
    reasons: tuple
    below_floor: tuple


def score_models(answers: Answers) -> list[ModelFit]:
    """Score every model for ``answers``, best fit first (ties in ``MODELS`` order)."""
    fits = [score_model(model, answers) for model in MODELS]
    return sorted(fits, key=lambda fit: -fit.score)


def score_model(model: str, answers: Answers) -> ModelFit:
    """Score one model: the weighted answers, halved when an answer is below a floor."""
    base, *weights = WEIGHTS[model]
    levels = answers.normalised()
    contributions = {factor: 100 * weight * levels[factor]
                     for factor, weight in zip(FACTORS, weights)}
    score = 100 * base + sum(contributions.values())

    below = tuple(factor for factor, floor in FLOORS.get(model, {}).items()
                  if getattr(answers, factor) < floor)
    if below:
        score *= FLOOR_PENALTY
    # The model's general fit comes first, then any floor, then the heaviest factors.
    reasons = ((Note(f"advisor.reason.{model}.base"),)
               + _floor_reasons(model, answers, below)
               + _factor_reasons(model, answers, dict(zip(FACTORS, weights))))
    return ModelFit(model=model, score=round(score, 1), contributions=contributions,
                    reasons=reasons, below_floor=below)


def _floor_reasons(model: str, answers: Answers, below: tuple) -> tuple:
    return tuple(Note(f"advisor.reason.floor.{factor}", {
        "level": getattr(answers, factor), "floor": FLOORS[model][factor]})
        for factor in below)


def _factor_reasons(model: str, answers: Answers, weights: dict) -> tuple:
    important = sorted(FACTORS, key=lambda f: (-weights[f], FACTORS.index(f)))
    reasons = []
    for factor in important[:REASON_FACTORS]:
        high = getattr(answers, factor) >= HIGH_LEVEL
        direction = "high" if high else "low"
        reasons.append(Note(f"advisor.reason.{model}.{factor}.{direction}"))
    return tuple(reasons)
