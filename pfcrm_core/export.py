"""Exports of tables to CSV and Excel that a spreadsheet cannot execute.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (also after leading
spaces, tabs or a carriage return) is read by Excel and LibreOffice as a formula,
which lets a client name such as ``=HYPERLINK(...)`` run when an analyst opens
the export. Such text cells get a leading apostrophe, which spreadsheets show as
plain text. Numbers are left as numbers, so a negative amount stays negative.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """Return ``value`` with an apostrophe in front when a spreadsheet would run it."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names are neutralised."""
    safe = frame.copy()
    safe.columns = [neutralise_text(str(column)) for column in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_text)
    return safe


def to_csv_bytes(frame: pd.DataFrame, *, bom: bool = True) -> bytes:
    """Return ``frame`` as UTF-8 CSV with neutralised text.

    With ``bom`` (the default, for downloads) the bytes start with a byte-order
    mark, without which Excel reads UTF-8 Chinese as mojibake.
    """
    text = neutralise_frame(frame).to_csv(index=False)
    return text.encode("utf-8-sig" if bom else "utf-8")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Return an XLSX workbook with one sheet per entry, every text cell neutralised."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            neutralise_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
