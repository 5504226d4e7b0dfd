"""Seeded demo data: a believable project-finance book for the dashboard.

``generate_demo(seed)`` returns one DataFrame per canonical table of
``pfcrm_core.schema``, ready for the store to load.
"""

from pfcrm_core.demo.generator import DEFAULT_SEED, generate_demo, to_canonical
from pfcrm_core.demo.projects import TOLL_ROAD_ID
from pfcrm_core.demo.reference import AS_OF

__all__ = ["AS_OF", "DEFAULT_SEED", "TOLL_ROAD_ID", "generate_demo", "to_canonical"]
