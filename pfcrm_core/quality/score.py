"""Data-quality scores per canonical table, overall, and the worst fields.

Each of the five dimensions in ``checks.DIMENSIONS`` is a share in [0, 1] of values
that pass. A table's score is the weighted mean of its applicable dimensions, and
the overall score is the mean of the table scores weighted by row count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core import schema
from pfcrm_core.errors import PfcrmError
from pfcrm_core.quality import checks
from pfcrm_core.quality.checks import DIMENSIONS, FieldResult
from pfcrm_core.store import Store

DEFAULT_FRESHNESS_DAYS = 365
DEFAULT_MAX_FIELDS = 20

TABLE_COLUMNS = ["table", "rows", *DIMENSIONS, "score", "not_applicable", "note"]
FIELD_COLUMNS = ["table", "column", "dimension", "share_failing", "failing",
                 "checked", "examples"]


class QualityError(PfcrmError, ValueError):
    """The input to a data-quality measurement is invalid."""


@dataclass(frozen=True)
class QualityReport:
    """The data-quality measurement of a book.

    Attributes
    ----------
    tables : pandas.DataFrame
        One row per measured table in ``schema.LOAD_ORDER``, with columns
        ``TABLE_COLUMNS``. Each dimension is the share of passing values in [0, 1].
        A dimension that does not apply (no reference columns, no event date)
        scores 1.0, is named in ``not_applicable`` (comma-separated) and is left out
        of ``score``. A dimension with nothing to check in a non-empty table (for
        example a reference column with every value missing) is NaN and left out
        too. An empty table has NaN in every dimension and in ``score``, and
        ``note`` is ``"empty"``; otherwise ``note`` is ``""``.
    overall : float
        Mean of the table scores weighted by row count; NaN when no table has rows.
    worst_fields : pandas.DataFrame
        The fields with the largest share of failing values, columns
        ``FIELD_COLUMNS``, at most ``max_fields`` rows, fields without failures
        left out. ``examples`` is a list of up to three ``{"key", "value"}``
        dicts of plain text, in key order.
    as_of : pandas.Timestamp
        Reference date of the validity and timeliness checks.
    freshness_days : int
        Length of the timeliness window in days.
    """

    tables: pd.DataFrame
    overall: float
    worst_fields: pd.DataFrame
    as_of: pd.Timestamp
    freshness_days: int

    def to_dict(self) -> dict:
        """Return the report as JSON-ready builtins, with None in place of NaN."""
        return {
            "as_of": self.as_of.date().isoformat(),
            "freshness_days": self.freshness_days,
            "overall": _builtin(self.overall),
            "tables": _records(self.tables),
            "worst_fields": _records(self.worst_fields),
        }


def measure_quality(store_or_frames: Store | Mapping[str, pd.DataFrame], *,
                    as_of: object = None,
                    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
                    weights: Mapping[str, float] | None = None,
                    max_fields: int = DEFAULT_MAX_FIELDS) -> QualityReport:
    """Measure completeness, validity, uniqueness, referential integrity and timeliness.

    Parameters
    ----------
    store_or_frames : Store or mapping of str to pandas.DataFrame
        A store, whose canonical tables are all read, or frames keyed by canonical
        table name. A mapping may hold a subset of the tables, and only those are
        measured. Each frame needs every canonical column of its table; other
        columns are ignored.
    as_of : date-like, optional
        Reference date for future-date validity and for timeliness. Default: today.
    freshness_days : int, default 365
        A row is timely when the latest event date of its client lies at most this
        many days before ``as_of``.
    weights : mapping of str to float, optional
        Weight of each dimension in a table's score, non-negative. Dimensions left
        out weigh 1. Default: all dimensions weigh 1.
    max_fields : int, default 20
        Maximum number of rows in ``worst_fields``.

    Returns
    -------
    QualityReport

    Raises
    ------
    QualityError
        When the input is neither a store nor a mapping of frames, a table name is
        unknown, a frame lacks canonical columns, or a parameter is out of range.

    Notes
    -----
    Completeness is the share of present cells, with a missing value in a
    required column counted twice (``checks.REQUIRED_WEIGHT``). Validity is the
    share of present values that meet their column's schema rule. Uniqueness is
    the share of rows whose key is complete and unique. Referential integrity is
    the share of present reference values found in the referenced table.
    Timeliness is the share of rows whose client's latest event date lies in the
    window (``checks.EVENT_DATES``).
    """
    as_of = _parse_as_of(as_of)
    _check_positive_int("freshness_days", freshness_days)
    _check_positive_int("max_fields", max_fields)
    dimension_weights = _parse_weights(weights)
    frames = _load_frames(store_or_frames)

    results: list[FieldResult] = []
    table_rows = []
    for name, frame in frames.items():
        table_results = _check_table(frame, schema.get_table(name), frames, as_of,
                                     freshness_days)
        results.extend(table_results)
        table_rows.append(_table_row(name, len(frame), table_results,
                                     dimension_weights))

    tables = pd.DataFrame(table_rows, columns=TABLE_COLUMNS)
    return QualityReport(tables=tables, overall=_overall(tables),
                         worst_fields=_worst_fields(results, max_fields),
                         as_of=as_of, freshness_days=int(freshness_days))


def _check_table(frame: pd.DataFrame, table: schema.Table,
                 frames: dict[str, pd.DataFrame], as_of: pd.Timestamp,
                 freshness_days: int) -> list[FieldResult]:
    """Run every check on one table, rows sorted by key text so examples are stable."""
    frame = frame.reset_index(drop=True)
    order = np.argsort(checks.row_keys(frame, table).to_numpy(dtype=str),
                       kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    keys = checks.row_keys(frame, table)

    return [
        *checks.check_completeness(frame, table, keys),
        *checks.check_validity(frame, table, keys, as_of),
        *checks.check_uniqueness(frame, table, keys),
        *checks.check_references(frame, table, keys, frames),
        *checks.check_timeliness(frame, table, keys, as_of, freshness_days),
    ]


def _table_row(name: str, rows: int, results: list[FieldResult],
               weights: dict[str, float]) -> dict:
    """Aggregate one table's field results into its dimension shares and score."""
    row: dict = {"table": name, "rows": rows, "note": "empty" if rows == 0 else ""}
    not_applicable = []
    for dimension in DIMENSIONS:
        fields = [r for r in results if r.dimension == dimension]
        if not fields and rows > 0:
            not_applicable.append(dimension)
            row[dimension] = 1.0
        else:
            row[dimension] = _passing_share(fields)
    row["not_applicable"] = ", ".join(not_applicable)

    applicable = [d for d in DIMENSIONS
                  if d not in not_applicable and not math.isnan(row[d])]
    total_weight = sum(weights[d] for d in applicable)
    if total_weight > 0:
        row["score"] = sum(weights[d] * row[d] for d in applicable) / total_weight
    else:
        row["score"] = math.nan
    return row


def _passing_share(fields: list[FieldResult]) -> float:
    checked = sum(f.weight * f.checked for f in fields)
    if checked == 0:
        return math.nan
    failing = sum(f.weight * f.failing for f in fields)
    return 1.0 - failing / checked


def _overall(tables: pd.DataFrame) -> float:
    scored = tables[tables["score"].notna() & (tables["rows"] > 0)]
    if scored.empty:
        return math.nan
    return float(np.average(scored["score"], weights=scored["rows"]))


def _worst_fields(results: list[FieldResult], max_fields: int) -> pd.DataFrame:
    order = {name: i for i, name in enumerate(schema.LOAD_ORDER)}
    failing = [r for r in results if r.failing > 0]
    failing.sort(key=lambda r: (-r.failing / r.checked, order[r.table], r.column,
                                DIMENSIONS.index(r.dimension)))
    rows = [
        {"table": r.table, "column": r.column, "dimension": r.dimension,
         "share_failing": r.failing / r.checked, "failing": r.failing,
         "checked": r.checked, "examples": [dict(e) for e in r.examples]}
        for r in failing[:max_fields]
    ]
    return pd.DataFrame(rows, columns=FIELD_COLUMNS)


def _load_frames(store_or_frames: object) -> dict[str, pd.DataFrame]:
    """Return the frames to measure, in ``schema.LOAD_ORDER``."""
    if isinstance(store_or_frames, Store):
        return {name: store_or_frames.read_table(name) for name in schema.LOAD_ORDER}
    if not isinstance(store_or_frames, Mapping):
        raise QualityError(
            f"measure_quality expects a Store or a mapping of table name to "
            f"DataFrame, got {type(store_or_frames).__name__}")

    unknown = sorted(set(store_or_frames) - set(schema.LOAD_ORDER), key=str)
    if unknown:
        raise QualityError(f"unknown table(s) {unknown}; choose from "
                           f"{', '.join(schema.LOAD_ORDER)}")
    frames = {}
    for name in schema.LOAD_ORDER:
        if name in store_or_frames:
            frames[name] = _checked_frame(name, store_or_frames[name])
    return frames


def _checked_frame(name: str, frame: object) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise QualityError(f"table {name!r} must be a pandas DataFrame, got "
                           f"{type(frame).__name__}")
    table = schema.get_table(name)
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise QualityError(f"table {name!r} is missing column(s) "
                           f"{', '.join(missing)}; add them, empty where unknown")
    return frame[table.column_names]


def _parse_as_of(as_of: object) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        parsed = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise QualityError(f"as_of must be a date, got {as_of!r}") from exc
    if pd.isna(parsed):
        raise QualityError(f"as_of must be a date, got {as_of!r}")
    return parsed.normalize()


def _check_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise QualityError(f"{name} must be a positive whole number, got {value!r}")


def _parse_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    parsed = dict.fromkeys(DIMENSIONS, 1.0)
    if weights is None:
        return parsed
    unknown = sorted(set(weights) - set(DIMENSIONS), key=str)
    if unknown:
        raise QualityError(f"unknown dimension(s) {unknown} in weights; choose from "
                           f"{', '.join(DIMENSIONS)}")
    for dimension, weight in weights.items():
        if not isinstance(weight, (int, float)) or not math.isfinite(weight) \
                or weight < 0:
            raise QualityError(f"weight of {dimension} must be a finite number >= 0, "
                               f"got {weight!r}")
        parsed[dimension] = float(weight)
    if sum(parsed.values()) == 0:
        raise QualityError("weights are all 0; give at least one dimension a "
                           "positive weight")
    return parsed


def _builtin(value: object) -> object:
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{column: _builtin(value) for column, value in record.items()}
            for record in frame.to_dict(orient="records")]
