"""Progress of the implementation roadmap's checklists.

One row per checklist item that someone has ticked, unticked or annotated. Items
never touched have no row and count as not done. The item keys are defined in
``pfcrm_core.roadmap.checklist``; the store rejects any other key, so a typo cannot
create progress that no page shows.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..errors import PfcrmError
from .sql import now, run

ROADMAP_DDL: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS checklist_progress (
        item_key VARCHAR PRIMARY KEY,
        done BOOLEAN NOT NULL,
        note VARCHAR,
        owner VARCHAR,
        updated_at TIMESTAMP NOT NULL
    )
    """,
)

class ChecklistError(PfcrmError):
    """A checklist item cannot be stored because its key is not a roadmap item.

    ``key`` and ``values`` name the catalogue message, so the app can show the
    error in the user's language.
    """

    def __init__(self, message: str, key: str, **values: object):
        super().__init__(message)
        self.key = key
        self.values = values


def _known_item_keys() -> tuple[str, ...]:
    # Imported here because the roadmap package reads the store, so a module-level
    # import would be circular.
    from ..roadmap.checklist import ITEM_KEYS

    return ITEM_KEYS


class RoadmapMixin:
    """Checklist methods of ``Store``; they rely on its ``connect`` method."""

    def read_checklist(self) -> pd.DataFrame:
        """Return the stored progress of every touched item, in item key order.

        Returns
        -------
        DataFrame
            Columns ``item_key``, ``done`` (bool), ``note``, ``owner`` and
            ``updated_at`` (UTC, no time zone). Items never stored have no row.
        """
        with self.connect() as con:
            return con.execute("SELECT item_key, done, note, owner, updated_at "
                               "FROM checklist_progress ORDER BY item_key").df()

    def set_checklist_item(self, item_key: str, done: bool, note: str | None = None,
                           owner: str | None = None, *,
                           at: datetime | None = None) -> None:
        """Store whether an item is done, replacing its earlier state.

        Parameters
        ----------
        item_key : str
            A key of ``pfcrm_core.roadmap.checklist.ITEM_KEYS``.
        done : bool
            Whether the item is done.
        note : str, optional
            Free text kept with the item, for example the evidence for a manual
            tick. Blank text is stored as NULL.
        owner : str, optional
            Who changed the item. Blank text is stored as NULL.
        at : datetime, optional
            Time of the change; default now (UTC).

        Raises
        ------
        ChecklistError
            When ``item_key`` is not a roadmap checklist item.
        """
        known = _known_item_keys()
        if item_key not in known:
            raise ChecklistError(
                f"Checklist item {item_key!r} is not part of the roadmap; use one of "
                f"the {len(known)} keys in pfcrm_core.roadmap.checklist.ITEM_KEYS.",
                "roadmap.error.unknown_item", item=str(item_key))

        with self.connect() as con:
            run(con, "INSERT OR REPLACE INTO checklist_progress "
                     "(item_key, done, note, owner, updated_at) VALUES (?, ?, ?, ?, ?)",
                [item_key, bool(done), _blank_to_none(note), _blank_to_none(owner),
                 at or now()])


def _blank_to_none(text: str | None) -> str | None:
    if text is None or not str(text).strip():
        return None
    return str(text).strip()
