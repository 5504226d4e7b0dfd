"""Client lifetime value: RFM summaries, BG/NBD and Gamma-Gamma models, discounted CLV,
lifecycle stages and holdout validation.

``fit_clv`` runs the whole chain on a transactions table (client_id, date, amount).
"""

from pfcrm_core.clv.bg_nbd import BetaGeoModel
from pfcrm_core.clv.data_checks import (MIN_CLIENTS, MIN_REPEAT_CLIENTS, WEAK_CLIENTS,
                                        WEAK_REPEAT_CLIENTS, check_data_size)
from pfcrm_core.clv.datasets import load_cdnow_clients, load_cdnow_revenue
from pfcrm_core.clv.exceptions import (BoundaryEstimateWarning, ClvConvergenceWarning,
                                       ClvDataError, ClvWarning,
                                       FrequencyMonetaryCorrelationWarning,
                                       NonPositiveMonetaryValueWarning, ThinDataWarning)
from pfcrm_core.clv.gamma_gamma import GammaGammaModel
from pfcrm_core.clv.lifetime_value import (DEFAULT_MARGIN, STAGES,
                                           customer_lifetime_value,
                                           lifecycle_stage, top_share)
from pfcrm_core.clv.pipeline import ClvResult, fit_clv
from pfcrm_core.clv.rfm import DAYS_PER_UNIT, months_to_units, rfm_summary
from pfcrm_core.clv.validation import (ValidationResult, cumulative_repeat_transactions,
                                       default_calibration_end, holdout_validation)

__all__ = [
    "BetaGeoModel",
    "BoundaryEstimateWarning",
    "ClvConvergenceWarning",
    "ClvDataError",
    "ClvResult",
    "ClvWarning",
    "DAYS_PER_UNIT",
    "DEFAULT_MARGIN",
    "FrequencyMonetaryCorrelationWarning",
    "GammaGammaModel",
    "MIN_CLIENTS",
    "MIN_REPEAT_CLIENTS",
    "NonPositiveMonetaryValueWarning",
    "STAGES",
    "ThinDataWarning",
    "ValidationResult",
    "WEAK_CLIENTS",
    "WEAK_REPEAT_CLIENTS",
    "check_data_size",
    "cumulative_repeat_transactions",
    "default_calibration_end",
    "customer_lifetime_value",
    "fit_clv",
    "holdout_validation",
    "lifecycle_stage",
    "load_cdnow_clients",
    "load_cdnow_revenue",
    "months_to_units",
    "rfm_summary",
    "top_share",
]
