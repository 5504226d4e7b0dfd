"""Row keys: ids generated from content, and rows that repeat a key in one import."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

import pandas as pd

from pfcrm_core.ingest.issues import ERROR, WARNING, Issue
from pfcrm_core.schema import Table

# Generated ids start with the table's initial and a dash, so an analyst can tell them
# from ids typed in the file.
_ID_LENGTH = 16


def fill_generated_keys(table: Table, frame: pd.DataFrame) -> int:
    """Fill empty generated keys from a hash of each row's other values.

    The k-th of several identical rows gets a hash over its content and k, so
    identical rows stay separate records (two equal fee payments on one day are two
    payments) while importing the same file again yields the same ids.

    Returns
    -------
    int
        How many rows repeated the content of an earlier row in ``frame``.
    """
    key = table.generated_key
    if key is None or frame.empty:
        return 0
    content_columns = [c for c in table.column_names if c != key]
    seen: dict[str, int] = defaultdict(int)
    repeats = 0
    generated = []
    for row in frame[content_columns].itertuples(index=False, name=None):
        content = json.dumps([_canonical(v) for v in row], ensure_ascii=False)
        occurrence = seen[content]
        seen[content] += 1
        repeats += occurrence > 0
        digest = hashlib.sha256(f"{table.name}|{content}|{occurrence}".encode())
        generated.append(f"{table.name[0]}-{digest.hexdigest()[:_ID_LENGTH]}")
    empty = frame[key].isna()
    frame.loc[empty, key] = pd.Series(generated, index=frame.index)[empty]
    return repeats


def find_duplicate_keys(table: Table, parts: list[tuple[str, pd.DataFrame]],
                        rejected: dict[str, set[int]]) -> list[Issue]:
    """Check that each key occurs once among the accepted rows of all sheets.

    Rows that repeat a key with the same values are dropped with a warning (the
    first is kept). Rows that repeat a key with other values are all rejected,
    because the file does not say which is right. ``rejected`` maps a sheet name to
    its rejected row numbers and is updated in place.
    """
    groups: dict[tuple, list[tuple[str, int, tuple]]] = defaultdict(list)
    for sheet, frame in parts:
        accepted = frame.drop(index=list(rejected[sheet]), errors="ignore")
        keys = accepted[list(table.key)].itertuples(index=False, name=None)
        content = accepted.itertuples(index=False, name=None)
        for number, key, values in zip(accepted.index, keys, content):
            if any(pd.isna(k) for k in key):
                continue
            groups[key].append((sheet, int(number), tuple(map(_canonical, values))))

    issues = []
    for key, rows in groups.items():
        if len(rows) < 2:
            continue
        label = ", ".join(str(k) for k in key)
        if len({values for _, _, values in rows}) == 1:
            first = rows[0]
            for sheet, number, _ in rows[1:]:
                issues.append(Issue("duplicate_row", WARNING, sheet, number,
                                    params={"key": label, "first": first[1]}))
                rejected[sheet].add(number)
            continue
        numbers = ", ".join(str(number) for _, number, _ in rows)
        for sheet, number, _ in rows:
            issues.append(Issue("conflicting_key", ERROR, sheet, number,
                                params={"key": label, "rows": numbers}))
            rejected[sheet].add(number)
    return issues


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
