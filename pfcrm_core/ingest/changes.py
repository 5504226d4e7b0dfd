"""Comparing accepted rows with the rows already stored under the same key.

A row whose key is not stored is "new". A stored row with equal values in every
column the file gave is "unchanged", so importing a file twice adds nothing; any
difference makes it "changed". Columns the file lacks are not compared.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from pfcrm_core.ingest.plan import ImportPlan, TableImport

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

# Relative tolerance for money and other floats read back from DuckDB DOUBLE.
_RELATIVE_TOLERANCE = 1e-9


def classify_changes(plan: ImportPlan, con) -> None:
    """Set ``status`` of every table in ``plan`` by comparing with ``con``."""
    present = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    for part in plan.tables:
        if part.table.name not in present:
            part.status = pd.Series(NEW, index=part.frame.index, dtype="str")
            continue
        part.status = _classify(part, con)


def _classify(part: TableImport, con) -> pd.Series:
    """Return the status of each accepted row of one sheet."""
    table, frame = part.table, part.frame
    stored_columns = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        [table.name]).fetchall()}
    compared = [m.column.name for m in part.columns
                if m.column.name in stored_columns and m.column.name not in table.key]
    status = pd.Series(NEW, index=frame.index, dtype="str")
    if frame.empty:
        return status

    keys = frame[list(table.key)].astype("str").drop_duplicates()
    con.register("pfcrm_import_keys", keys)
    try:
        select = ", ".join(f't."{c}"' for c in (*table.key, *compared))
        join = " AND ".join(f'CAST(t."{k}" AS VARCHAR) = k."{k}"' for k in table.key)
        stored = con.execute(
            f'SELECT {select} FROM "{table.name}" t JOIN pfcrm_import_keys k '
            f"ON {join}").fetchall()
    finally:
        con.unregister("pfcrm_import_keys")

    existing = {tuple(str(v) for v in row[:len(table.key)]): row[len(table.key):]
                for row in stored}
    for number, row in frame.iterrows():
        key = tuple(str(row[k]) for k in table.key)
        if key not in existing:
            continue
        same = all(values_equal(row[c], v) for c, v in zip(compared, existing[key]))
        status[number] = UNCHANGED if same else CHANGED
    return status


def values_equal(new: object, old: object) -> bool:
    """Compare a value read from the file with one stored in DuckDB."""
    new_missing = new is None or (not isinstance(new, str) and pd.isna(new))
    old_missing = old is None or (not isinstance(old, str) and pd.isna(old))
    if new_missing or old_missing:
        return new_missing and old_missing
    if isinstance(old, dt.datetime) and isinstance(new, dt.date):
        old = old.date()
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        return math.isclose(float(new), float(old), rel_tol=_RELATIVE_TOLERANCE)
    return new == old
