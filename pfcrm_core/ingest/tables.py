"""Plain tables from uploaded files, for models that take any table with a target.

Unlike the import pipeline, nothing is mapped to a canonical table: the header is
found, cells become values, and numeric-looking columns become numbers. The
scorecard page and the ``score`` command read uploaded files this way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.ingest.sheet import RawSheet, filled
from pfcrm_core.ingest.source import read_source

# Rows searched for the header of an uploaded table.
HEADER_SCAN_ROWS = 20




def sheet_frame(sheet: RawSheet) -> pd.DataFrame:
    """Turn a sheet's cells into a DataFrame: header row, then one row per record.

    The header is the first row with as many filled cells as the fullest of the
    first ``HEADER_SCAN_ROWS`` non-empty rows, so a title above the table is
    skipped. Empty cells become missing values, and a column whose every filled
    cell is a number becomes numeric (text files store every value as text). The
    index is the row number in the file, as shown in a spreadsheet program.
    """
    kept = [(number, row) for number, row in zip(sheet.row_numbers, sheet.rows)
            if any(filled(cell) for cell in row)]
    if not kept:
        return pd.DataFrame()
    filled_counts = [sum(filled(cell) for cell in row) for _, row in kept]
    widest = max(filled_counts[:HEADER_SCAN_ROWS])
    start = filled_counts.index(widest)
    numbers = [number for number, _ in kept[start:]]
    rows = [row for _, row in kept[start:]]

    width = max(len(row) for row in rows)
    header = _unique_names([rows[0][i] if i < len(rows[0]) else "" for i in
                            range(width)])
    body = [list(row) + [""] * (width - len(row)) for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object,
                         index=pd.Index(numbers[1:], name="row"))
    frame = frame.map(lambda cell: np.nan if not filled(cell) else cell)
    for column in frame.columns:
        frame[column] = _numeric_if_possible(frame[column])
    return frame


def _unique_names(cells: list) -> list[str]:
    names, seen = [], {}
    for position, cell in enumerate(cells, start=1):
        name = str(cell).strip() if filled(cell) else f"column_{position}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name}_{count + 1}")
    return names


def _numeric_if_possible(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if present.empty:
        return values.astype(float)
    if present.map(lambda v: isinstance(v, bool)).any():
        return values
    numbers = pd.to_numeric(present.map(lambda v: str(v).strip()), errors="coerce")
    if numbers.isna().any():
        return values
    return pd.to_numeric(values.map(lambda v: v if pd.isna(v) else str(v).strip()))


def default_target(frame: pd.DataFrame) -> str:
    """Guess the target column: a two-valued column named like a default flag,
    else the last two-valued column, else the last column."""
    two_valued = [c for c in frame.columns if frame[c].dropna().nunique() == 2]
    hints = ("default", "target", "bad", "credit", "违约", "目标")
    for column in two_valued:
        if any(hint in str(column).lower() for hint in hints):
            return column
    return two_valued[-1] if two_valued else frame.columns[-1]


def default_bad_value(target: pd.Series):
    """Guess the label that means default: a usual name, else the rarer label."""
    counts = target.dropna().value_counts()
    usual = {"bad", "1", "1.0", "true", "yes", "y", "default", "defaulted", "违约",
             "坏"}
    for value in counts.index:
        if str(value).strip().lower() in usual:
            return value
    return counts.index[-1] if len(counts) else None



def read_tables(source, file_name: str | None = None) -> dict[str, pd.DataFrame]:
    """Read a CSV or workbook into one DataFrame per non-empty sheet.

    Raises
    ------
    ImportFileError
        When the file is empty, damaged or of a format without tables.
    """
    workbook = read_source(source, file_name)
    return {sheet.name: sheet_frame(sheet) for sheet in workbook.sheets
            if not sheet.is_empty}
