"""Values to the right of the table's last header, which belong to no column.

In a CSV or TSV file such values mean that the row has more fields than the
header. Usually a value contains the delimiter without quotes, so the text after
the delimiter was split off and the value before it was cut short. In a workbook
they are cells with no header above them. Either way the row is not what the
analyst wrote, so each such row gets an ``error`` Issue that rejects it.

Extra cells that are empty or contain only blanks are accepted: Excel and many
report generators end rows with a trailing delimiter or write empty formatted
cells to the right of a table.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from pfcrm_core.ingest.issues import ERROR, Issue, phrase
from pfcrm_core.ingest.layout import SheetLayout
from pfcrm_core.ingest.notes import LISTED_VALUES
from pfcrm_core.ingest.sheet import filled

# Characters of each extra value shown in a message before "...".
_SHOWN_CHARACTERS = 60


def table_width(layout: SheetLayout) -> int:
    """Return the number of columns of the table: up to the last column with a
    header, or the last column imported when the analyst mapped one by position."""
    positions = [i for i, header in enumerate(layout.headers) if header]
    positions += [m.index for m in layout.matches]
    return max(positions, default=-1) + 1


def extra_cell_issues(layout: SheetLayout,
                      rows: list[tuple[int, list[object]]]) -> list[Issue]:
    """Return one error for each data row with values beyond the table's width.

    Parameters
    ----------
    layout : SheetLayout
    rows : list of (row number, cells)
        The data rows, as :func:`~pfcrm_core.ingest.layout.data_rows` returns them.

    Returns
    -------
    list of Issue
        Code ``extra_fields`` for a text file and ``extra_cells`` for a workbook or
        HTML table. ``column`` is the letter of the first extra cell, ``value`` its
        value, and the message lists every extra cell with its value.
    """
    width = table_width(layout)
    code = "extra_fields" if layout.sheet.encoding is not None else "extra_cells"
    issues = []
    for number, cells in rows:
        extra = [(index, cell) for index, cell in enumerate(cells[width:], width)
                 if filled(cell)]
        if not extra:
            continue
        listed = [phrase("ingest.note.extra_cell",
                         cell=f"{get_column_letter(index + 1)}{number}",
                         value=_shorten(cell))
                  for index, cell in extra[:LISTED_VALUES]]
        if len(extra) > LISTED_VALUES:
            listed.append(phrase("ingest.note.more_values",
                                 count=len(extra) - LISTED_VALUES))
        first_index, first_value = extra[0]
        issues.append(Issue(code, ERROR, layout.sheet.name, number,
                            get_column_letter(first_index + 1), first_value,
                            {"cells": listed, "last": get_column_letter(width)}))
    return issues


def _shorten(cell: object) -> str:
    """Return a cell as Excel shows it (5.0 as "5"), cut to a short length."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell)
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return text[:_SHOWN_CHARACTERS - 3] + "..."
