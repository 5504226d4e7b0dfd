"""The weight table that scores the seven CRM models against the firm's answers.

A model's fit score is

    score = 100 * (base + sum over factors of weight[factor] * x[factor])

where ``x`` is the answer mapped to [0, 1] (level 1 is 0, level 4 is 1). Each
row's base and weights add up to 1, so every score lies between ``100 * base``
(all answers at level 1) and 100 (all at level 4). When an answer is below a
model's floor (``FLOORS``) the score is multiplied by ``FLOOR_PENALTY``, because
the model cannot be built or run well without that capability or budget.

Why each row looks as it does:

- ``clv``: valuable when the book is large and revenue recurs; needs analysts
  who can fit and check a probabilistic model.
- ``satisfaction``: surveys and NPS work for any firm at low cost; gains with
  the number of clients surveyed.
- ``segmentation``: needs enough clients to form groups, so size dominates.
- ``risk``: a credit scorecard and RAROC need model-building and validation
  skills and matter more as deals grow complex; it has a capability floor.
- ``network``: its value rises with the number of stakeholders per deal
  (lenders, sponsors, agencies, contractors), so complexity dominates.
- ``feedback``: a closed follow-up loop is mostly process, so its base is high;
  budget pays for the staff time to work the cases.
- ``digital``: rules, tasks and prediction need a budget for integration and a
  team to maintain them; it has both a capability and a budget floor.
"""

from __future__ import annotations

import pandas as pd

from .questions import FACTORS

MODELS = ("clv", "satisfaction", "segmentation", "risk", "network", "feedback",
          "digital")

# The page of each model, for links from the advisor.
MODEL_PAGES = {
    "clv": "pages/models/clv.py",
    "satisfaction": "pages/models/satisfaction.py",
    "segmentation": "pages/models/segments.py",
    "risk": "pages/models/risk.py",
    "network": "pages/models/network.py",
    "feedback": "pages/models/feedback.py",
    "digital": "pages/models/automation.py",
}

# base, complexity, size, capability, budget; each row adds up to 1.
WEIGHTS = {
    "clv":          (0.35, 0.05, 0.25, 0.20, 0.15),
    "satisfaction": (0.45, 0.15, 0.20, 0.05, 0.15),
    "segmentation": (0.30, 0.10, 0.35, 0.15, 0.10),
    "risk":         (0.20, 0.20, 0.25, 0.30, 0.05),
    "network":      (0.20, 0.50, 0.05, 0.15, 0.10),
    "feedback":     (0.40, 0.15, 0.15, 0.05, 0.25),
    "digital":      (0.05, 0.15, 0.20, 0.25, 0.35),
}

# The lowest answer level at which a model can be run well.
FLOORS = {
    "risk": {"capability": 3},
    "digital": {"capability": 2, "budget": 3},
}
FLOOR_PENALTY = 0.5


def weight_table() -> pd.DataFrame:
    """Return the weight table: one row per model, columns ``base`` and the factors."""
    return pd.DataFrame.from_dict(WEIGHTS, orient="index",
                                  columns=["base", *FACTORS]).rename_axis("model")
