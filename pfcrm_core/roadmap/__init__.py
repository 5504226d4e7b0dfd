"""The implementation roadmap: five steps with checklists whose progress is stored,
some items measured from the store, progress per step and overall, and the next
action.
"""

from pfcrm_core.roadmap.checklist import (ITEM_KEYS, ITEMS, STEP_KEYS, STEPS,
                                          ChecklistItem, Step)
from pfcrm_core.roadmap.measures import (MEASURES, MeasureInput, Measurement,
                                         reference_date)
from pfcrm_core.roadmap.progress import (ItemStatus, RoadmapError, RoadmapProgress,
                                         StepProgress, assess_roadmap, build_progress,
                                         load_measure_input, measure_items,
                                         record_item)

__all__ = [
    "ITEMS", "ITEM_KEYS", "MEASURES", "STEPS", "STEP_KEYS", "ChecklistItem",
    "ItemStatus", "MeasureInput", "Measurement", "RoadmapError", "RoadmapProgress",
    "Step", "StepProgress", "assess_roadmap", "build_progress", "load_measure_input",
    "measure_items", "record_item", "reference_date",
]
