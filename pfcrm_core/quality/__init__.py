"""Data-quality measurement: completeness, validity, uniqueness, referential
integrity and timeliness of the canonical tables, per table and overall.
"""

from pfcrm_core.quality.checks import DIMENSIONS, EVENT_DATES, FieldResult
from pfcrm_core.quality.score import (DEFAULT_FRESHNESS_DAYS, QualityError,
                                      QualityReport, measure_quality)

__all__ = [
    "DEFAULT_FRESHNESS_DAYS", "DIMENSIONS", "EVENT_DATES", "FieldResult",
    "QualityError", "QualityReport", "measure_quality",
]
