"""Notes about a whole column or sheet: how ambiguous dates were read, category
values outside the vocabulary, amounts multiplied by a unit, and formula cells
that read as empty.

Each note is a ``warning`` Issue that names the column (or the cells) and states
what was assumed, so the analyst can check it before the rows are written.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from pfcrm_core.ingest.categories import Vocabulary
from pfcrm_core.ingest.dates import is_ambiguous, read_date
from pfcrm_core.ingest.headers import ColumnMatch
from pfcrm_core.ingest.issues import WARNING, Issue, phrase
from pfcrm_core.ingest.layout import SheetLayout
from pfcrm_core.ingest.numbers import CellError

# Row numbers and values listed in a note before "and N more".
LISTED_ROWS = 5
LISTED_VALUES = 10


def date_order_note(sheet: str, match: ColumnMatch, code: str, order: str,
                    cells: Sequence[object], numbers: Sequence[int]) -> Issue:
    """Describe how the ambiguous dates of one column were read.

    Parameters
    ----------
    code : {"date_order_assumed", "date_order_chosen"}
        Whether ``order`` is the default or the analyst's choice.
    order : {"dmy", "mdy", "ymd"}
    cells, numbers : sequences
        The column's raw cells and their row numbers.
    """
    rows = [number for number, raw in zip(numbers, cells)
            if isinstance(raw, str) and is_ambiguous(raw)]
    example = next(raw for raw in cells if isinstance(raw, str) and is_ambiguous(raw))
    try:
        example_date = read_date(example, order)[0].isoformat()
    except CellError:
        example_date = "-"
    return Issue(code, WARNING, sheet, column=match.header, params={
        "count": len(rows), "rows": row_numbers(rows),
        "order": phrase(f"ingest.date_order.{order}"), "example": example.strip(),
        "example_date": example_date})


def new_values_note(sheet: str, match: ColumnMatch, vocabulary: Vocabulary,
                    found: dict[str, tuple[str, int]]) -> Issue:
    """List the values of a column that are outside its vocabulary.

    ``found`` maps each stored value to the first text written for it and the
    number of rows that have it, in the order first met.
    """
    items = [phrase("ingest.note.new_value", value=written, stored=stored,
                    rows=row_count(count))
             for stored, (written, count) in list(found.items())[:LISTED_VALUES]]
    more = len(found) - LISTED_VALUES
    if more > 0:
        items.append(phrase("ingest.note.more_values", count=more))
    return Issue("category_new_values", WARNING, sheet, column=match.header, params={
        "values": items, "known": ", ".join(vocabulary.known)})


def scale_note(layout: SheetLayout) -> Issue | None:
    """State the unit multiplier of every money column whose cells were scaled."""
    items = []
    for match in layout.matches:
        if match.column.kind != "money":
            continue
        if match.unit.scale not in (None, 1.0):
            items.append(phrase("ingest.note.scale_header", header=match.header,
                                factor=f"{match.unit.scale:,.0f}"))
        elif match.unit.scale is None and layout.unit.scale not in (None, 1.0):
            items.append(phrase("ingest.note.scale_sheet", header=match.header,
                                factor=f"{layout.unit.scale:,.0f}"))
    if not items:
        return None
    return Issue("amounts_scaled", WARNING, layout.sheet.name,
                 params={"columns": items})


def uncached_note(layout: SheetLayout, data_numbers: Sequence[int]) -> Issue | None:
    """Name the formula cells without a saved value among the imported cells."""
    sheet = layout.sheet
    used = {m.index for m in layout.matches}
    data = set(data_numbers)
    cells = []
    for row, column in sorted(sheet.uncached):
        if row >= len(sheet.row_numbers) or column not in used:
            continue
        number = sheet.row_numbers[row]
        if number in data:
            cells.append(f"{get_column_letter(column + 1)}{number}")
    if not cells:
        return None
    return Issue("formulas_uncached", WARNING, sheet.name, params={
        "count": len(cells), "cells": listed(cells, LISTED_VALUES)})


def listed(items: Sequence[object], limit: int) -> str:
    """Return the first ``limit`` items joined by commas, with "…" when there are
    more."""
    text = ", ".join(str(item) for item in items[:limit])
    return text + ", …" if len(items) > limit else text


def row_numbers(numbers: Sequence[int]):
    """Return "row 4" or "rows 4, 7, …" as a Phrase."""
    key = "ingest.where.row" if len(numbers) == 1 else "ingest.where.rows"
    return phrase(key, rows=listed(numbers, LISTED_ROWS))


def row_count(count: int):
    """Return "1 row" or "N rows" as a Phrase."""
    key = "ingest.count.row" if count == 1 else "ingest.count.rows"
    return phrase(key, count=f"{count:,}")
