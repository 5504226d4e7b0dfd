"""Builders of real spreadsheet files for the import tests."""

from __future__ import annotations

import openpyxl
import pytest


def write_xlsx(path, sheets: dict[str, list[list[object]]], hidden=(), merged=None):
    """Write a workbook with one sheet per entry; rows start at A1.

    ``merged`` maps a sheet name to ranges such as ``["A1:D1"]``.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merged or {}).get(name, []):
            sheet.merge_cells(cell_range)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    """Return a function that writes a workbook into tmp_path and returns its path."""
    def build(sheets, name="book.xlsx", **options):
        return write_xlsx(tmp_path / name, sheets, **options)
    return build
