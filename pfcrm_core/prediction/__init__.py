"""Prediction: next-deal probability per client and the quarterly fee forecast."""

from .errors import PredictionError
from .fees import FeeForecast, forecast_fees, quarterly_income
from .next_deal import NextDealResult, NextDealValidation, predict_next_deal
from .reasons import Reason

__all__ = [
    "FeeForecast",
    "NextDealResult",
    "NextDealValidation",
    "PredictionError",
    "Reason",
    "forecast_fees",
    "predict_next_deal",
    "quarterly_income",
]
