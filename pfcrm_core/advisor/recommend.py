"""The ranked recommendation: fit to the firm combined with the data's readiness.

    priority = fit score * READINESS_FACTOR[status]

A model the data cannot support yet is kept in the list, lower down, with what is
missing, because collecting that data is part of adopting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .questions import Answers
from .readiness import NOT_READY, PARTLY, READY, Readiness
from .scoring import ModelFit, score_models
from .weights import MODEL_PAGES, MODELS

READINESS_FACTOR = {READY: 1.0, PARTLY: 0.75, NOT_READY: 0.5}


@dataclass(frozen=True)
class Recommendation:
    """One model in the ranked list.

    Attributes
    ----------
    rank : int
        1 for the first model to adopt.
    model : str
        One of ``MODELS``.
    priority : float
        Fit score times the readiness factor, 0 to 100.
    fit : ModelFit
        Score and reasons from the answers.
    readiness : Readiness or None
        Data readiness; None when no data was assessed.
    page : str
        The model's page script, for a link.
    """

    rank: int
    model: str
    priority: float
    fit: ModelFit
    readiness: Readiness | None
    page: str


def recommend(answers: Answers,
              readiness: dict[str, Readiness] | None = None) -> list[Recommendation]:
    """Rank the seven models for a firm's answers and, if given, its data readiness.

    Ties keep the ``MODELS`` order, so the ranking is deterministic.
    """
    fits = {fit.model: fit for fit in score_models(answers)}
    rows = []
    for model in MODELS:
        ready = readiness.get(model) if readiness else None
        factor = READINESS_FACTOR[ready.status] if ready is not None else 1.0
        rows.append((round(fits[model].score * factor, 1), model, ready))
    rows.sort(key=lambda row: (-row[0], MODELS.index(row[1])))
    return [Recommendation(rank=i + 1, model=model, priority=priority,
                           fit=fits[model], readiness=ready, page=MODEL_PAGES[model])
            for i, (priority, model, ready) in enumerate(rows)]
