"""Credit risk and return: WoE scorecards, validation metrics, master scale, Basel
capital, RAROC, rating migration and stress tests.

``develop_scorecard`` fits and validates a scorecard on any table with a binary
target; ``develop_from_store`` does it on the store's credit history. Translation
keys of the labels returned here: ``risk.quadrant.<label>``, ``risk.iv.<band>`` and
``risk.psi.<band>``, with spaces in the band replaced by underscores.
"""

from pfcrm_core.risk.binning import (IV_BANDS, SMOOTHING, VariableBinning, WoEBinner,
                                     iv_strength, woe_iv)
from pfcrm_core.risk.capital import irb_corporate, slotting
from pfcrm_core.risk.dataset import (build_development_sample, client_features,
                                     current_book)
from pfcrm_core.risk.development import (ScorecardReport, develop_from_store,
                                         develop_scorecard)
from pfcrm_core.risk.exceptions import RiskDataError
from pfcrm_core.risk.master_scale import (MasterScale, ParsedRating, parse_rating,
                                          rating_notch, resolve_pd)
from pfcrm_core.risk.metrics import (auc, calibration_table, discrimination, gini, ks,
                                     psi, psi_band, psi_from_labels, psi_table,
                                     roc_table)
from pfcrm_core.risk.migration import MigrationMatrix, migration_matrix, watchlist
from pfcrm_core.risk.raroc import (QUADRANTS, expected_loss, portfolio_raroc, raroc,
                                   risk_return_table)
from pfcrm_core.risk.scorecard import Scorecard
from pfcrm_core.risk.stress import StressResult, StressScenario, stress_test
from pfcrm_core.risk.target import EncodedTarget, encode_target

__all__ = [
    "EncodedTarget", "IV_BANDS", "MasterScale", "MigrationMatrix", "ParsedRating",
    "QUADRANTS", "RiskDataError", "SMOOTHING", "Scorecard", "ScorecardReport",
    "StressResult", "StressScenario", "VariableBinning", "WoEBinner", "auc",
    "build_development_sample", "calibration_table", "client_features",
    "current_book", "develop_from_store", "develop_scorecard", "discrimination",
    "encode_target", "expected_loss", "gini", "irb_corporate", "iv_strength", "ks",
    "migration_matrix", "parse_rating", "portfolio_raroc", "psi", "psi_band",
    "psi_from_labels", "psi_table", "raroc", "rating_notch", "resolve_pd",
    "risk_return_table", "roc_table", "slotting", "stress_test", "watchlist", "woe_iv",
]
