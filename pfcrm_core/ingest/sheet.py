"""The grid of cells read from one sheet or text file, before any column is known."""

from __future__ import annotations

from dataclasses import dataclass, field

from pfcrm_core.ingest.issues import Issue


@dataclass
class RawSheet:
    """Cells of one sheet as read from the file.

    Attributes
    ----------
    name : str
        Sheet name; for a text file, the file name.
    rows : list of list
        Cell values row by row: str, float, int, bool, datetime.date or
        datetime.datetime; "" for an empty cell. Rows may differ in length.
    row_numbers : list of int
        For each entry of ``rows``, the row number shown to the analyst (1-based Excel
        row, or the line where a CSV record starts).
    hidden : bool
        The sheet is hidden or very hidden in the workbook.
    merged : list of tuple
        Merged ranges as ``(first_row, first_col, last_row, last_col)`` indexes
        into ``rows``, inclusive.
    issues : list of Issue
        What the reader noticed about the sheet, such as an encoding guessed.
    encoding : str or None
        Text encoding of a CSV file; None for workbook sheets.
    uncached : list of (row, column)
        Indexes into ``rows`` of formula cells without a saved value, which read as
        empty (.xlsx only).
    """

    name: str
    rows: list[list[object]]
    row_numbers: list[int]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    encoding: str | None = None
    uncached: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.rows) != len(self.row_numbers):
            raise ValueError(f"sheet {self.name!r} has {len(self.rows)} rows but "
                             f"{len(self.row_numbers)} row numbers; give one each")

    @property
    def is_empty(self) -> bool:
        return not any(filled(cell) for row in self.rows for cell in row)


def filled(cell: object) -> bool:
    """Return whether a cell contains something other than blanks."""
    return cell is not None and not (isinstance(cell, str) and not cell.strip())

