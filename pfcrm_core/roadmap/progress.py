"""Roadmap progress: stored ticks and store measurements combined per item, per step
and overall, with the suggested next action.

An item is done when

- it is ticked by hand (items without a measure), or
- its measure is met (measured items), or
- it is a measured item marked done by hand with a note, an override for evidence
  that lives outside the store. A stored tick without a note does not override a
  measurement.

Progress is the share of done items, per step and over all items, each item
weighing the same.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pfcrm_core import schema
from pfcrm_core.errors import PfcrmError
from pfcrm_core.quality import DEFAULT_FRESHNESS_DAYS, measure_quality
from pfcrm_core.roadmap.checklist import ITEMS, STEPS, ChecklistItem
from pfcrm_core.roadmap.measures import (MEASURES, MeasureInput, Measurement,
                                         reference_date)
from pfcrm_core.store import Store

logger = logging.getLogger(__name__)

# Enough rows for every failing field of the eight canonical tables, so the report
# lists all of them rather than the default top 20.
ALL_FIELDS = 500


class RoadmapError(PfcrmError):
    """A checklist change is invalid; ``key`` and ``values`` name its message."""

    def __init__(self, message: str, key: str, **values: object):
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class ItemStatus:
    """The state of one checklist item.

    Attributes
    ----------
    item : ChecklistItem
    done : bool
    source : str
        ``manual`` (ticked by hand), ``measured`` (met in the store), ``override``
        (measured item marked done by hand with a note) or ``open`` (not done).
    measurement : Measurement or None
        The evidence of a measured item.
    note, owner : str or None
        Stored with the latest change, if any.
    updated_at : Timestamp or None
        Time of the latest stored change (UTC).
    """

    item: ChecklistItem
    done: bool
    source: str
    measurement: Measurement | None = None
    note: str | None = None
    owner: str | None = None
    updated_at: pd.Timestamp | None = None

    @property
    def key(self) -> str:
        """The item's stable key."""
        return self.item.key


@dataclass(frozen=True)
class StepProgress:
    """One step's items and the share of them done."""

    key: str
    items: tuple[ItemStatus, ...]

    @property
    def done(self) -> int:
        """Number of done items."""
        return sum(status.done for status in self.items)

    @property
    def total(self) -> int:
        """Number of items."""
        return len(self.items)

    @property
    def share(self) -> float:
        """Share of done items in [0, 1]."""
        return self.done / self.total


@dataclass(frozen=True)
class RoadmapProgress:
    """Progress of the whole roadmap.

    Attributes
    ----------
    steps : tuple of StepProgress
        In roadmap order.
    as_of : Timestamp
        Reference date of the measurements.
    """

    steps: tuple[StepProgress, ...]
    as_of: pd.Timestamp

    @property
    def done(self) -> int:
        """Number of done items over all steps."""
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        """Number of items over all steps."""
        return sum(step.total for step in self.steps)

    @property
    def share(self) -> float:
        """Share of done items over all steps, in [0, 1]."""
        return self.done / self.total

    def next_action(self) -> ItemStatus | None:
        """Return the first open item in roadmap order, or None when all are done.

        The steps build on each other (no models before the data, no training
        before the tools), so the earliest open item comes first.
        """
        for step in self.steps:
            for status in step.items:
                if not status.done:
                    return status
        return None

    def to_frame(self) -> pd.DataFrame:
        """Return one row per item: step, item_key, measured, done, source, note,
        owner and updated_at."""
        rows = [
            {"step": step.key, "item_key": status.key,
             "measured": status.item.measured, "done": status.done,
             "source": status.source, "note": status.note, "owner": status.owner,
             "updated_at": status.updated_at}
            for step in self.steps for status in step.items
        ]
        return pd.DataFrame(rows)


def load_measure_input(store: Store, *, as_of: object = None,
                       freshness_days: int = DEFAULT_FRESHNESS_DAYS) -> MeasureInput:
    """Read the canonical tables, the cases and their quality report from the store.

    Parameters
    ----------
    store : Store
    as_of : date-like, optional
        Reference date of the windows and of the quality report. Default: the
        latest event date in the store (``measures.reference_date``), or today
        when the store has none.
    freshness_days : int, default 365
        Timeliness window of the quality report, in days.
    """
    frames = {name: store.read_table(name) for name in schema.LOAD_ORDER}
    if as_of is None:
        as_of = reference_date(frames) or pd.Timestamp.today().normalize()
    quality = measure_quality(frames, as_of=as_of, freshness_days=freshness_days,
                              max_fields=ALL_FIELDS)
    return MeasureInput(frames=frames, quality=quality, cases=store.read_cases(),
                        as_of=quality.as_of)


def measure_items(data: MeasureInput) -> dict[str, Measurement]:
    """Run the measure of every measured item, keyed by item key."""
    return {item.key: MEASURES[item.measure](data)
            for item in ITEMS.values() if item.measured}


def build_progress(checklist: pd.DataFrame, measurements: Mapping[str, Measurement],
                   as_of: pd.Timestamp) -> RoadmapProgress:
    """Combine stored checklist rows and measurements into the roadmap's progress.

    Parameters
    ----------
    checklist : DataFrame
        ``Store.read_checklist()``. Rows of unknown items are ignored.
    measurements : mapping of str to Measurement
        ``measure_items`` output. A measured item without an entry is open.
    as_of : Timestamp
        Reference date of the measurements.
    """
    stored = {row["item_key"]: row for row in checklist.to_dict(orient="records")}
    steps = tuple(
        StepProgress(step.key, tuple(_item_status(item, stored.get(item.key),
                                                  measurements.get(item.key))
                                     for item in step.items))
        for step in STEPS
    )
    return RoadmapProgress(steps=steps, as_of=pd.Timestamp(as_of))


def _item_status(item: ChecklistItem, row: dict | None,
                 measurement: Measurement | None) -> ItemStatus:
    note = _text_or_none(row, "note")
    ticked = bool(row["done"]) if row else False
    if not item.measured:
        source = "manual" if ticked else "open"
    elif measurement is not None and measurement.met:
        source = "measured"
    elif ticked and note:
        source = "override"
    else:
        source = "open"
    updated_at = pd.Timestamp(row["updated_at"]) if row else None
    return ItemStatus(item=item, done=source != "open", source=source,
                      measurement=measurement, note=note,
                      owner=_text_or_none(row, "owner"), updated_at=updated_at)


def _text_or_none(row: dict | None, column: str) -> str | None:
    if not row:
        return None
    value = row[column]
    return None if value is None or pd.isna(value) else str(value)


def assess_roadmap(store: Store, *, as_of: object = None,
                   freshness_days: int = DEFAULT_FRESHNESS_DAYS) -> RoadmapProgress:
    """Measure the store and combine it with the stored ticks.

    See ``load_measure_input`` for the parameters.
    """
    data = load_measure_input(store, as_of=as_of, freshness_days=freshness_days)
    progress = build_progress(store.read_checklist(), measure_items(data), data.as_of)
    logger.info("roadmap of %s as of %s: %d of %d items done", store.path,
                progress.as_of.date(), progress.done, progress.total)
    return progress


def record_item(store: Store, item_key: str, done: bool, *, note: str | None = None,
                owner: str | None = None) -> None:
    """Store a tick, an untick or an override of one checklist item.

    Raises
    ------
    RoadmapError
        When a measured item is marked done without a note, because an override
        needs a note naming where the evidence is kept.
    ChecklistError
        When ``item_key`` is not a roadmap item (raised by the store).
    """
    item = ITEMS.get(item_key)
    blank_note = note is None or not str(note).strip()
    if item is not None and item.measured and done and blank_note:
        raise RoadmapError(
            f"Checklist item {item_key!r} is measured from the store; marking it done "
            f"by hand needs a note that says where the evidence is.",
            "roadmap.error.note_required")
    store.set_checklist_item(item_key, done, note=note, owner=owner)

