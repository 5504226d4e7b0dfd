"""Client segmentation: features, rule segments and RFM, k-means and Gaussian
mixtures, profiles with generated names, migration between dates, and their uses.

``segment_clients`` runs the whole chain on a store or on canonical frames.
"""

from pfcrm_core.segmentation.clustering import (ClusterSelection, select_clusters,
                                                stability)
from pfcrm_core.segmentation.errors import Note, SegmentationError
from pfcrm_core.segmentation.features import FeatureTable, build_features
from pfcrm_core.segmentation.maps import pca_projection, quadrant, risk_value_map
from pfcrm_core.segmentation.migration import (Migration, migration_matrix,
                                               segment_migration)
from pfcrm_core.segmentation.model import SegmentModel, fit_segment_model
from pfcrm_core.segmentation.preprocessing import (ColumnPlan, build_pipeline,
                                                   plan_columns)
from pfcrm_core.segmentation.profiles import profile_table, segment_names
from pfcrm_core.segmentation.ratings import parse_rating, parse_ratings
from pfcrm_core.segmentation.result import SegmentationResult, segment_clients
from pfcrm_core.segmentation.rules import rating_band, rfm_scores, rule_segments
from pfcrm_core.segmentation.uses import (EarlyWarning, default_offers,
                                          market_opportunities, offer_targets,
                                          risk_early_warning)

__all__ = [
    "ClusterSelection", "ColumnPlan", "EarlyWarning", "FeatureTable", "Migration",
    "Note", "SegmentModel", "SegmentationError", "SegmentationResult",
    "build_features", "build_pipeline", "default_offers", "fit_segment_model",
    "market_opportunities", "migration_matrix", "offer_targets", "parse_rating",
    "parse_ratings", "pca_projection", "plan_columns", "profile_table", "quadrant",
    "rating_band", "rfm_scores", "risk_early_warning", "risk_value_map",
    "rule_segments", "segment_clients", "segment_migration", "segment_names",
    "select_clusters", "stability",
]
