"""Row keys: ids generated from content, and rows that repeat a key in one import."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

import numpy as np
import pandas as pd

from pfcrm_core.ingest.issues import ERROR, WARNING, Issue
from pfcrm_core.schema import Table

# Generated ids start with the table's initial and a dash, so an analyst can tell them
# from ids typed in the file.
_ID_LENGTH = 16
_SHEET = "_pfcrm_sheet"
_ROW_NUMBER = "_pfcrm_row_number"


def fill_generated_keys(table: Table, frame: pd.DataFrame) -> int:
    """Fill empty generated keys from a hash of each row's other values.

    The k-th of several identical rows gets a hash over its content and k, so
    identical rows stay separate records (two equal fee payments on one day are two
    payments) while importing the same file again yields the same ids. The content
    is the JSON list of the row's values (see :func:`_canonical`), so the ids stay
    equal to those of earlier imports.

    Returns
    -------
    int
        How many rows repeated the content of an earlier row in ``frame``.
    """
    key = table.generated_key
    if key is None or frame.empty:
        return 0
    content_columns = [c for c in table.column_names if c != key]
    fragments = [_json_fragments(frame[c]) for c in content_columns]
    contents = pd.Series(["[" + ", ".join(parts) + "]" for parts in zip(*fragments)],
                         index=frame.index, dtype="object")
    occurrences = contents.groupby(contents, sort=False).cumcount()

    empty = frame[key].isna()
    generated = [_generated_id(table.name, content, occurrence) for content, occurrence
                 in zip(contents[empty], occurrences[empty])]
    frame.loc[empty, key] = pd.Series(generated, index=frame.index[empty],
                                      dtype="object")
    return int((occurrences > 0).sum())


def _json_fragments(values: pd.Series) -> list[str]:
    """Return each value's JSON text, computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [json.dumps(_canonical(u), ensure_ascii=False) for u in uniques]
    texts.append("null")
    fragments = np.asarray(texts, dtype="object")[codes]
    if pd.api.types.is_float_dtype(values.dtype):
        # factorize takes -0.0 and 0.0 for one value, but their JSON texts differ.
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        zero = numbers == 0
        fragments[zero & np.signbit(numbers)] = json.dumps(-0.0)
        fragments[zero & ~np.signbit(numbers)] = json.dumps(0.0)
    return list(fragments)


def _generated_id(table_name: str, content: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{table_name}|{content}|{occurrence}".encode())
    return f"{table_name[0]}-{digest.hexdigest()[:_ID_LENGTH]}"


def find_duplicate_keys(table: Table, parts: list[tuple[str, pd.DataFrame]],
                        rejected: dict[str, set[int]],
                        headers: dict[str, dict[str, str]] | None = None) -> list[Issue]:
    """Check that each key occurs once among the rows of all sheets.

    Rows that repeat a key with the same values are dropped with a warning (the
    first is kept). Rows that repeat a key with other values are all rejected,
    because the file does not say which is right. Rows already rejected for other
    problems take part too, so that the analyst sees every problem of a row at once.

    Parameters
    ----------
    table : Table
    parts : list of (sheet name, frame)
        Converted rows of each sheet, indexed by row number.
    rejected : dict
        Sheet name to its rejected row numbers; updated in place.
    headers : dict, optional
        Sheet name to a mapping from canonical column name to the header as written,
        for messages; canonical names are used where it has none.

    Returns
    -------
    list of Issue
        ``duplicate_row`` warnings and ``conflicting_key`` errors. Each names the key
        columns as written in ``column``, the key in ``value`` and, in ``params``,
        the other rows (``first`` or ``rows``).
    """
    repeated = _rows_with_repeated_keys(table, parts)
    if repeated.empty:
        return []

    groups: dict[tuple, list[tuple[str, int, tuple]]] = defaultdict(list)
    key_columns = list(table.key)
    value_columns = [c for c in repeated.columns if c not in (_SHEET, _ROW_NUMBER)]
    for record in repeated.to_dict("records"):
        key = tuple(record[k] for k in key_columns)
        values = tuple(_canonical(record[c]) for c in value_columns)
        groups[key].append((record[_SHEET], int(record[_ROW_NUMBER]), values))

    issues = []
    for key, rows in groups.items():
        label = ", ".join(str(k) for k in key)
        if len({values for _, _, values in rows}) == 1:
            first = rows[0]
            for sheet, number, _ in rows[1:]:
                issues.append(Issue("duplicate_row", WARNING, sheet, number,
                                    _key_header(key_columns, headers, sheet), label,
                                    {"first": first[1]}))
                rejected[sheet].add(number)
            continue
        numbers = ", ".join(str(number) for _, number, _ in rows)
        for sheet, number, _ in rows:
            issues.append(Issue("conflicting_key", ERROR, sheet, number,
                                _key_header(key_columns, headers, sheet), label,
                                {"rows": numbers}))
            rejected[sheet].add(number)
    return issues


def _key_header(key_columns: list[str], headers: dict[str, dict[str, str]] | None,
                sheet: str) -> str:
    """Return the key columns as written in ``sheet``, joined by commas."""
    written = (headers or {}).get(sheet, {})
    return ", ".join(written.get(name, name) for name in key_columns)


def _rows_with_repeated_keys(table: Table,
                             parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Return the rows whose complete key occurs more than once, in sheet and row
    order, with their sheet name and row number as columns."""
    frames = []
    for sheet, frame in parts:
        keyed = frame[frame[list(table.key)].notna().all(axis=1)]
        keyed = keyed.assign(**{_SHEET: sheet})
        keyed[_ROW_NUMBER] = keyed.index
        frames.append(keyed.reset_index(drop=True))
    if not frames:
        return pd.DataFrame()
    combined = pd.concat(frames, ignore_index=True)
    return combined[combined.duplicated(subset=list(table.key), keep=False)]


def _canonical(value: object) -> object:
    """Return a JSON-stable form of a cell value: NaN and None alike, floats
    rounded to 9 significant digits, dates as ISO text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
