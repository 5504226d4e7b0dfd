"""The model advisor: which of the seven CRM models fit a firm, and what they pay.

- ``questions``: the four factors (deal and stakeholder complexity, size,
  technical capability, budget).
- ``weights``: the documented weight table.
- ``scoring``: the fit scores with their reasons.
- ``readiness``: what the store's data can support.
- ``recommend``: the ranked list.
- ``cost_benefit``: cash flows, NPV, IRR and payback.
"""

from .cost_benefit import (MAX_HORIZON_YEARS, CostBenefit, cost_benefit,
                           fee_income_12m, internal_rate_of_return, npv,
                           payback_period)
from .errors import AdvisorInputError
from .questions import FACTORS, LEVELS, Answers
from .readiness import (NOT_READY, PARTLY, READY, Check, Readiness,
                        assess_readiness, measure, readiness_from_store)
from .recommend import READINESS_FACTOR, Recommendation, recommend
from .scoring import ModelFit, score_model, score_models
from .weights import FLOOR_PENALTY, FLOORS, MODEL_PAGES, MODELS, WEIGHTS, weight_table

__all__ = [
    "FACTORS", "FLOORS", "FLOOR_PENALTY", "LEVELS", "MAX_HORIZON_YEARS",
    "MODELS", "MODEL_PAGES", "NOT_READY", "PARTLY", "READINESS_FACTOR", "READY",
    "WEIGHTS", "AdvisorInputError", "Answers", "Check", "CostBenefit", "ModelFit",
    "Readiness", "Recommendation", "assess_readiness", "cost_benefit",
    "fee_income_12m", "internal_rate_of_return", "measure", "npv", "payback_period",
    "readiness_from_store", "recommend", "score_model", "score_models",
    "weight_table",
]
