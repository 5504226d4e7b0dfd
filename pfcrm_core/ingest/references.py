"""Checking that referenced ids exist, and turning names into ids.

Deals, revenue and the other fact tables refer to clients and projects by id. The
ids known are those already in the database plus those accepted earlier in the same
import (a workbook with a clients sheet and a deals sheet). Analysts often write the
client's name instead of its id; a name that belongs to exactly one known client is
replaced by that client's id, with a warning.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import pandas as pd

from pfcrm_core.ingest.issues import ERROR, WARNING, Issue
from pfcrm_core.ingest.vocabulary import fold
from pfcrm_core.schema import TABLES

logger = logging.getLogger(__name__)


class ReferenceIndex:
    """Known ids and names of the tables that other tables refer to.

    Attributes
    ----------
    ids : dict
        Table name to the set of its single-column key values.
    names : dict
        Table name to a mapping from folded name to the ids that carry it.
    """

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        self.names: dict[str, dict[str, set[str]]] = {}

    @classmethod
    def from_store(cls, store) -> "ReferenceIndex":
        """Load the ids and names of every table that other tables refer to.

        Parameters
        ----------
        store : pfcrm_core.store.Store
            Read, not written. Every canonical table exists in a store, so each
            referenced table is known afterwards, even when it has no rows.
        """
        index = cls()
        for target in sorted(_referenced_tables()):
            key = TABLES[target].key[0]
            has_name = "name" in TABLES[target].column_names
            columns = [key, "name"] if has_name else [key]
            rows = store.read_table(target, columns=columns)
            names = rows["name"].tolist() if has_name else None
            index.add(target, rows[key].tolist(), names)
        logger.info("loaded reference ids: %s",
                    {t: len(ids) for t, ids in index.ids.items()})
        return index

    def add(self, table: str, ids, names=None) -> None:
        """Record ids (and their names, in the same order) of ``table``."""
        known = self.ids.setdefault(table, set())
        by_name = self.names.setdefault(table, defaultdict(set))
        names = names if names is not None else [None] * len(ids)
        for key, name in zip(ids, names):
            if key is None or (not isinstance(key, str) and pd.isna(key)):
                continue
            known.add(str(key))
            if isinstance(name, str) and name.strip():
                by_name[fold(name)].add(str(key))

    def add_frame(self, table: str, frame: pd.DataFrame) -> None:
        """Record the ids and names of accepted rows of ``table``."""
        if table not in _referenced_tables():
            return
        key = TABLES[table].key[0]
        names = frame["name"].tolist() if "name" in frame.columns else None
        self.add(table, frame[key].tolist(), names)

    def knows(self, table: str) -> bool:
        return table in self.ids


def check_references(table_name: str, sheet: str, frame: pd.DataFrame,
                     headers: dict[str, str], by_name: dict[str, bool],
                     index: ReferenceIndex, rejected: set[int]) -> list[Issue]:
    """Check the reference columns of every row; resolve names to ids in place.

    Parameters
    ----------
    headers : dict
        Canonical column name to the header as written, for messages.
    by_name : dict
        Canonical column name to True when the file gave names instead of ids.
    rejected : set of int
        Row numbers rejected so far; updated with rows whose reference fails. Rows
        rejected for other problems are checked too, so that every problem of a
        row is reported at once.
    """
    issues: list[Issue] = []
    for column in TABLES[table_name].columns:
        if not column.references or column.name not in headers:
            continue
        target = column.references.split(".")[0]
        header = headers[column.name]
        names_given = by_name.get(column.name, False)
        if not index.knows(target) and not names_given:
            issues.append(Issue("references_unchecked", WARNING, sheet, None, header,
                                params={"table": target}))
            continue
        # Names cannot stand in for ids, so with no known rows each one is rejected.
        issues += _check_column(frame, column.name, target, header, names_given,
                                index, sheet, rejected)
    return issues


def _check_column(frame, name, target, header, names_given, index, sheet,
                  rejected) -> list[Issue]:
    """Resolve and check one reference column."""
    issues = []
    ids, names = index.ids.get(target, set()), index.names.get(target, {})
    values = frame[name]
    # Only values that are not known ids need a look at names, usually few rows.
    unknown = values.notna() & ~values.isin(ids)
    for number, value in values[unknown].items():
        matches = names.get(fold(value), set())
        if len(matches) == 1:
            resolved = next(iter(matches))
            frame.at[number, name] = resolved
            if not names_given:
                issues.append(Issue("resolved_by_name", WARNING, sheet, int(number),
                                    header, value, {"id": resolved}))
            continue
        code = "ambiguous_name" if matches else "unknown_reference"
        issues.append(Issue(code, ERROR, sheet, int(number), header, value,
                            {"table": target, "ids": ", ".join(sorted(matches))}))
        rejected.add(int(number))
    return issues


def _referenced_tables() -> set[str]:
    return {c.references.split(".")[0] for t in TABLES.values() for c in t.columns
            if c.references}
