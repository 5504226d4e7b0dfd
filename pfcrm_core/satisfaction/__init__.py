"""Satisfaction and loyalty: NPS, CSAT and CES with intervals, trends, key drivers,
attrition risk and the loyalty programme.
"""

from pfcrm_core.satisfaction.attrition import (AttritionResult, attrition_labels,
                                               calibration_table, fit_attrition)
from pfcrm_core.satisfaction.drivers import (DriverResult, client_attributes,
                                             fit_drivers, importance_performance)
from pfcrm_core.satisfaction.errors import Note, SatisfactionError
from pfcrm_core.satisfaction.loyalty import (assign_tiers, benefit_economics,
                                             default_tiers, loyalty_inputs,
                                             tier_migration)
from pfcrm_core.satisfaction.metrics import (csat_summary, latest_per_cycle,
                                             nps_category, nps_summary,
                                             satisfaction_table, wilson_interval)
from pfcrm_core.satisfaction.trends import satisfaction_trend

__all__ = [
    "AttritionResult", "DriverResult", "Note", "SatisfactionError", "assign_tiers",
    "attrition_labels", "benefit_economics", "calibration_table", "client_attributes",
    "csat_summary", "default_tiers", "fit_attrition", "fit_drivers",
    "importance_performance", "latest_per_cycle", "loyalty_inputs", "nps_category",
    "nps_summary", "satisfaction_table", "satisfaction_trend", "tier_migration",
    "wilson_interval",
]
