"""Field-level data-quality checks on one canonical table.

Each check returns one ``FieldResult`` per field it examines: how many values it
checked, how many failed, and up to ``MAX_EXAMPLES`` failing values with the key
of their row. The checks read the column rules of ``pfcrm_core.schema`` and use
pandas only.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core import schema

DIMENSIONS = ("completeness", "validity", "uniqueness", "referential_integrity",
              "timeliness")

MAX_EXAMPLES = 3

# In completeness, a missing value in a required column counts twice, because the
# import rejects such a row and the models cannot use it.
REQUIRED_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0

# Timeliness: the event date of each table, and the column naming the entity whose
# latest event date decides whether its rows are fresh. A client whose last revenue
# booking is two years old makes all its revenue rows stale. Clients, projects,
# deals and relationships have no entry: their dates mark the start of a standing
# fact (relationship since, financial close, deal start), so age alone does not
# make such a row stale.
EVENT_DATES: dict[str, tuple[str, str]] = {
    "revenue": ("date", "client_id"),
    "interactions": ("date", "client_id"),
    "feedback": ("date", "client_id"),
    "credit": ("as_of", "client_id"),
}

NUMERIC_KINDS = ("money", "number", "integer", "share", "bps")


@dataclass(frozen=True)
class FieldResult:
    """The outcome of one check on one field.

    Attributes
    ----------
    table, column, dimension : str
        Where the check ran. ``column`` joins several columns with ", " for a
        composite key.
    checked : int
        Number of values checked (the denominator of the share).
    failing : int
        Number of values that failed.
    weight : float
        Weight of the field in its table's dimension score.
    examples : tuple of dict
        Up to ``MAX_EXAMPLES`` failing values in key order, each
        ``{"key": str, "value": str}`` as plain text.
    """

    table: str
    column: str
    dimension: str
    checked: int
    failing: int
    weight: float = 1.0
    examples: tuple[dict[str, str], ...] = ()


def is_missing(values: pd.Series) -> pd.Series:
    """Return a boolean mask of missing values: NA, NaN, NaT or blank text."""
    missing = values.isna()
    text = values[~missing]
    blank = text.map(lambda value: isinstance(value, str) and not value.strip())
    missing.loc[text.index] = blank.astype(bool)
    return missing.astype(bool)


def format_value(value: object) -> str:
    """Return ``value`` as plain text: dates as ISO dates, missing values as ""."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        if value == value.normalize():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_keys(frame: pd.DataFrame, table: schema.Table) -> pd.Series:
    """Return each row's key as plain text, key columns joined by " / "."""
    # astype(object): mapping an empty date column keeps its datetime dtype.
    parts = [frame[column].map(format_value).astype(object) for column in table.key]
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + " / " + part
    return keys


def _result(table: schema.Table, column: str, dimension: str, failed: pd.Series,
            example_values: pd.Series, keys: pd.Series,
            weight: float = 1.0) -> FieldResult:
    """Build a FieldResult from a boolean mask over the checked values.

    ``failed``, ``example_values`` and ``keys`` share the index of the table's rows.
    """
    failing_index = failed.index[failed.to_numpy(dtype=bool)]
    examples = tuple(
        {"key": keys.loc[index], "value": format_value(example_values.loc[index])}
        for index in failing_index[:MAX_EXAMPLES]
    )
    return FieldResult(table=table.name, column=column, dimension=dimension,
                       checked=int(len(failed)), failing=int(len(failing_index)),
                       weight=weight, examples=examples)


def check_completeness(frame: pd.DataFrame, table: schema.Table,
                       keys: pd.Series) -> list[FieldResult]:
    """Count missing values in every column; required columns weigh double."""
    results = []
    for column in table.columns:
        weight = REQUIRED_WEIGHT if column.required else OPTIONAL_WEIGHT
        missing = is_missing(frame[column.name])
        results.append(_result(table, column.name, "completeness", missing,
                               frame[column.name], keys, weight))
    return results


def check_validity(frame: pd.DataFrame, table: schema.Table, keys: pd.Series,
                   as_of: pd.Timestamp) -> list[FieldResult]:
    """Count present values that break their column's rule in the schema.

    The rules by column kind:

    - ``id``: NFKC-normalised, trimmed text.
    - ``category``: lower-case, trimmed text, and one of ``allowed`` where the schema
      lists allowed values.
    - numeric kinds: finite numbers, whole for ``integer``, inside the column's
      ``minimum`` and ``maximum`` where set. Like the import, a money column without a
      ``minimum`` accepts negative amounts.
    - ``date``: parseable, and at most ``max_days_ahead`` days after ``as_of`` where
      set.
    - ``bool``: true, false, 1 or 0.
    - ``text``: any present value.
    """
    results = []
    for column in table.columns:
        values = frame[column.name]
        present = values[~is_missing(values)]
        valid = _valid_mask(present, column, as_of)
        results.append(_result(table, column.name, "validity", ~valid, present, keys))
    return results


def _valid_mask(values: pd.Series, column: schema.Column,
                as_of: pd.Timestamp) -> pd.Series:
    if column.kind in NUMERIC_KINDS:
        return _valid_numbers(values, column)
    if column.kind == "date":
        return _valid_dates(values, column, as_of)
    rule = {"id": _is_valid_id, "category": _category_rule(column),
            "bool": _is_bool, "text": lambda value: True}[column.kind]
    return values.map(rule).astype(bool)


def _is_valid_id(value: object) -> bool:
    if not isinstance(value, str):
        return False
    return value == unicodedata.normalize("NFKC", value).strip()


def _category_rule(column: schema.Column):
    allowed = set(column.allowed) if column.allowed else None

    def is_valid(value: object) -> bool:
        if not isinstance(value, str) or value != value.strip().lower():
            return False
        return allowed is None or value in allowed

    return is_valid


def _is_bool(value: object) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    return isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1)


def _valid_numbers(values: pd.Series, column: schema.Column) -> pd.Series:
    is_bool = values.map(lambda value: isinstance(value, (bool, np.bool_)))
    numbers = pd.to_numeric(values.where(~is_bool.astype(bool)), errors="coerce")
    numbers = numbers.astype("float64")
    valid = pd.Series(np.isfinite(numbers.to_numpy()), index=values.index)
    if column.kind == "integer":
        valid &= numbers.map(lambda x: math.isfinite(x) and float(x).is_integer())
    if column.minimum is not None:
        valid &= numbers >= column.minimum
    if column.maximum is not None:
        valid &= numbers <= column.maximum
    return valid.astype(bool)


def _valid_dates(values: pd.Series, column: schema.Column,
                 as_of: pd.Timestamp) -> pd.Series:
    dates = to_dates(values)
    valid = dates.notna()
    if column.max_days_ahead is not None:
        latest_allowed = as_of + pd.Timedelta(days=column.max_days_ahead)
        valid &= dates <= latest_allowed
    return valid.astype(bool)


def to_dates(values: pd.Series) -> pd.Series:
    """Parse ``values`` as dates; unparseable values become NaT."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None).astype("datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    return values.map(_parse_date).astype("datetime64[ns]")


def _parse_date(value: object) -> pd.Timestamp:
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        return pd.NaT
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError):
        return pd.NaT


def check_uniqueness(frame: pd.DataFrame, table: schema.Table,
                     keys: pd.Series) -> list[FieldResult]:
    """Count rows whose key is incomplete or shared with another row."""
    key_columns = list(table.key)
    incomplete = pd.Series(False, index=frame.index)
    for column in key_columns:
        incomplete |= is_missing(frame[column])
    repeated = keys.duplicated(keep=False)
    failed = incomplete | repeated
    return [_result(table, ", ".join(key_columns), "uniqueness", failed, keys, keys)]


def check_references(frame: pd.DataFrame, table: schema.Table, keys: pd.Series,
                     frames: dict[str, pd.DataFrame]) -> list[FieldResult]:
    """Count present reference values not found in the referenced table.

    A referenced table absent from ``frames`` counts as empty, so every present
    value of a column pointing to it fails.
    """
    results = []
    for column in table.columns:
        if column.references is None:
            continue
        target_table, target_column = column.references.split(".")
        target = frames.get(target_table)
        known: set[str] = set()
        if target is not None:
            target_values = target[target_column]
            known = set(target_values[~is_missing(target_values)].map(format_value))
        values = frame[column.name]
        present = values[~is_missing(values)]
        failed = ~present.map(format_value).isin(known)
        results.append(_result(table, column.name, "referential_integrity", failed,
                               present, keys))
    return results


def check_timeliness(frame: pd.DataFrame, table: schema.Table, keys: pd.Series,
                     as_of: pd.Timestamp, freshness_days: int) -> list[FieldResult]:
    """Count rows whose entity's latest event date is older than the window.

    A row is fresh when the latest event date of its entity (``EVENT_DATES``) lies
    on or after ``as_of - freshness_days`` days. A row whose entity column is
    missing is judged on its own date. Rows without any event date fail. Tables
    without an entry in ``EVENT_DATES`` return no results.
    """
    if table.name not in EVENT_DATES:
        return []
    date_column, entity_column = EVENT_DATES[table.name]

    dates = to_dates(frame[date_column])
    entity = frame[entity_column].map(format_value)
    entity = entity.where(~is_missing(frame[entity_column]))
    latest = dates.groupby(entity).transform("max").reindex(frame.index)
    latest = latest.fillna(dates)

    window_start = as_of - pd.Timedelta(days=freshness_days)
    failed = ~(latest >= window_start)
    return [_result(table, date_column, "timeliness", failed, latest, keys)]

