"""Comparing accepted rows with the rows already stored under the same key.

A row whose key is not stored is "new". A stored row with equal values in every
column the file gave is "unchanged", so importing a file twice adds nothing; any
difference makes it "changed". Columns the file lacks are not compared.

The comparison is one merge of the accepted rows with the stored rows on the key,
then one vectorised comparison per column, so it costs no Python loop per row.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from pfcrm_core.ingest.plan import ImportPlan, TableImport

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

# Relative tolerance for money and other floats read back from DuckDB DOUBLE.
_RELATIVE_TOLERANCE = 1e-9

_NUMERIC_KINDS = {"money", "number", "integer", "share", "bps"}
_ROW = "_pfcrm_row"
_STORED_SUFFIX = "_pfcrm_stored"


def classify_changes(plan: ImportPlan, store) -> None:
    """Set ``status`` of every table in ``plan`` by comparing with ``store``.

    Parameters
    ----------
    plan : ImportPlan
        Its tables get ``status``: "new", "changed" or "unchanged" per accepted row.
    store : pfcrm_core.store.Store
        Read for the stored rows with the same keys; not written.
    """
    for part in plan.tables:
        part.status = _classify(part, store)


def _classify(part: TableImport, store) -> pd.Series:
    """Return the status of each accepted row of one sheet."""
    table, frame = part.table, part.frame
    status = pd.Series(NEW, index=frame.index, dtype="str")
    if frame.empty:
        return status
    key = list(table.key)
    stored = store.rows_by_key(table.name, frame[key])
    if stored.empty:
        return status

    # Keys are compared as text, as the file gives them and as DuckDB returns them.
    compared = [m.column.name for m in part.columns if m.column.name not in key]
    incoming = frame[key + compared].copy()
    incoming[_ROW] = frame.index
    stored = stored[key + compared].drop_duplicates(subset=key)
    for name in key:
        incoming[name] = _key_text(incoming[name])
        stored[name] = _key_text(stored[name])
    merged = incoming.merge(stored, on=key, how="inner",
                            suffixes=("", _STORED_SUFFIX))

    same = np.ones(len(merged), dtype=bool)
    for name in compared:
        kind = table.column(name).kind
        same &= columns_equal(merged[name], merged[name + _STORED_SUFFIX], kind)
    rows = merged[_ROW].to_numpy()
    status.loc[rows] = np.where(same, UNCHANGED, CHANGED)
    return status


def _key_text(values: pd.Series) -> pd.Series:
    """Return key values as text: dates as ISO text, missing values as None."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.map(_key_value_text, na_action="ignore")
    return text.astype("object").where(text.notna(), None)


def _key_value_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def columns_equal(new: pd.Series, old: pd.Series, kind: str) -> np.ndarray:
    """Compare a column read from the file with the same column read from DuckDB.

    Parameters
    ----------
    new, old : pandas.Series
        Aligned values: the file's and the stored ones.
    kind : str
        The column's kind (``schema.SQL_TYPES``), which decides how values compare:
        numbers within a relative tolerance of 1e-9, dates by calendar day, the
        rest exactly.

    Returns
    -------
    numpy.ndarray of bool
        True where both are missing or both are present and equal.
    """
    if kind in _NUMERIC_KINDS:
        a = pd.to_numeric(new, errors="coerce").astype("float64").to_numpy()
        b = pd.to_numeric(old, errors="coerce").astype("float64").to_numpy()
        a_missing, b_missing = np.isnan(a), np.isnan(b)
        with np.errstate(invalid="ignore"):
            close = np.abs(a - b) <= _RELATIVE_TOLERANCE * np.maximum(np.abs(a),
                                                                      np.abs(b))
        return (a_missing & b_missing) | (~a_missing & ~b_missing & close)
    if kind == "date":
        new = pd.to_datetime(new, errors="coerce").dt.normalize()
        old = pd.to_datetime(old, errors="coerce").dt.normalize()
    elif kind == "bool":
        new, old = new.astype("boolean"), old.astype("boolean")
    else:
        new, old = new.astype("object"), old.astype("object")
    new_missing, old_missing = new.isna().to_numpy(), old.isna().to_numpy()
    equal = (new == old).fillna(False).to_numpy(dtype=bool)
    return (new_missing & old_missing) | (~new_missing & ~old_missing & equal)


def values_equal(new: object, old: object) -> bool:
    """Compare one value read from the file with one stored in DuckDB."""
    new_missing = new is None or (not isinstance(new, str) and pd.isna(new))
    old_missing = old is None or (not isinstance(old, str) and pd.isna(old))
    if new_missing or old_missing:
        return new_missing and old_missing
    if isinstance(old, dt.datetime) and isinstance(new, dt.date):
        old = old.date()
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        return math.isclose(float(new), float(old), rel_tol=_RELATIVE_TOLERANCE)
    return new == old
