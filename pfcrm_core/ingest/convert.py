"""Turning the data rows of a sheet into a typed frame of one canonical table.

Each cell is converted with its column's format (see ``values``), checked against
the column's rules (required, allowed values, range) and the rules between columns
(see ``rules``), and every failure becomes an ``error`` Issue that rejects its row.
A row with values to the right of the last header is rejected too (see
``extra_cells``). Every problem of a row is reported, not only the first. Columns the
file lacks are added empty.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from pfcrm_core.ingest.categories import column_vocabulary
from pfcrm_core.ingest.dates import MONTH_FIRST
from pfcrm_core.ingest.extra_cells import extra_cell_issues
from pfcrm_core.ingest.headers import ColumnMatch
from pfcrm_core.ingest.issues import ERROR, WARNING, Issue
from pfcrm_core.ingest.layout import SheetLayout, data_rows
from pfcrm_core.ingest.notes import (date_order_note, new_values_note, scale_note,
                                     uncached_note)
from pfcrm_core.ingest.numbers import CellError
from pfcrm_core.ingest.rules import check_row_rules
from pfcrm_core.ingest.values import ColumnFormat, convert, infer_format, is_null
from pfcrm_core.schema import Column, Table

logger = logging.getLogger(__name__)

# pandas dtypes of the frame handed to the store, by column kind.
FRAME_DTYPES = {
    "id": "str", "text": "str", "category": "str", "money": "float64",
    "number": "float64", "integer": "Int64", "share": "float64", "bps": "float64",
    "date": "object", "bool": "boolean",
}


@dataclass
class ConvertedSheet:
    """The rows of one sheet converted to a canonical table.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every data row (rejected ones too), canonical columns in schema order,
        indexed by the row number in the file.
    rejected : set of int
        Row numbers with at least one error.
    by_name : dict
        Canonical column name to True when the file gave names, not ids.
    issues : list of Issue
    ambiguous_dates : dict
        Column position to the order ("dmy", "mdy" or "ymd") used for the dates of
        that column whose values do not show their order.
    """

    frame: pd.DataFrame
    rejected: set[int] = field(default_factory=set)
    by_name: dict[str, bool] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    ambiguous_dates: dict[int, str] = field(default_factory=dict)


def convert_sheet(layout: SheetLayout, date_orders: dict[int, str] | None = None,
                  default_date_order: str = MONTH_FIRST) -> ConvertedSheet:
    """Convert the data rows under ``layout``'s header to typed values.

    Parameters
    ----------
    layout : SheetLayout
    date_orders : dict, optional
        Column position (0-based) to the order ("dmy", "mdy" or "ymd") chosen for
        dates such as "05/03/2024" in that column.
    default_date_order : {"dmy", "mdy", "ymd"}, default "mdy"
        Order for such dates in columns that ``date_orders`` does not name and
        whose other values do not show the order.
    """
    sheet, table = layout.sheet.name, layout.table
    rows, skipped = data_rows(layout)
    issues = _skipped_issues(sheet, skipped)
    numbers = [number for number, _ in rows]
    date_orders = date_orders or {}

    # A row with values beyond the last header was split wrongly or has cells
    # that belong to no column, so it is rejected.
    extra = extra_cell_issues(layout, rows)
    issues += extra
    rejected: set[int] = {issue.row for issue in extra}

    # Settle each column's format from all its cells, then convert cell by cell.
    columns: dict[str, list[object]] = {}
    currencies: dict[int, str] = {}
    ambiguous: dict[int, str] = {}
    for match in layout.matches:
        cells = [r[match.index] if match.index < len(r) else "" for _, r in rows]
        fmt, assumptions = _format(layout, match, cells,
                                   date_orders.get(match.index), default_date_order)
        for code in assumptions:
            if code in ("date_order_assumed", "date_order_chosen"):
                ambiguous[match.index] = fmt.date_order
                issues.append(date_order_note(sheet, match, code, fmt.date_order,
                                              cells, numbers))
            else:
                issues.append(Issue(code, WARNING, sheet=sheet, column=match.header))
        columns[match.column.name] = _convert_column(
            fmt, match, cells, numbers, sheet, issues, rejected, currencies)

    frame = _frame(table, columns, numbers)
    issues += [note for note in (scale_note(layout), uncached_note(layout, numbers))
               if note is not None]
    _fill_currency(layout, frame, currencies, issues, rejected)
    _check_required(layout, frame, issues, rejected)
    issues += check_row_rules(layout, frame, rejected)
    logger.info("sheet %s: %d data rows as %s, %d rejected", sheet, len(rows),
                table.name, len(rejected))
    by_name = {m.column.name: m.by_name for m in layout.matches}
    return ConvertedSheet(frame, rejected, by_name, issues, ambiguous)


def _format(layout: SheetLayout, match: ColumnMatch, cells: list[object],
            date_order: str | None,
            default_date_order: str) -> tuple[ColumnFormat, list[str]]:
    """Infer the column's format, with units from its header or the sheet."""
    column = match.column
    scale = match.unit.scale or layout.unit.scale or 1.0
    percent = match.unit.percent
    vocabulary = column_vocabulary(layout.table.name, column.name)
    if column.kind == "id" or match.by_name:
        column = Column(column.name, "id" if not match.by_name else "text")
    return infer_format(column, cells, scale=scale, percent=percent,
                        date_order=date_order, default_date_order=default_date_order,
                        vocabulary=vocabulary)


def _convert_column(fmt: ColumnFormat, match: ColumnMatch, cells: list[object],
                    numbers: list[int], sheet: str, issues: list[Issue],
                    rejected: set[int], currencies: dict[int, str]) -> list[object]:
    """Convert one column's cells; record errors, the currencies cells named, and
    category values outside the column's vocabulary.

    Each distinct cell is converted and checked once, and the rows then only look
    up the outcome.
    """
    today = dt.date.today()
    outcomes: dict[tuple, _Outcome] = {}
    values: list[object] = []
    new_values: dict[str, tuple[str, int]] = {}
    for number, raw in zip(numbers, cells):
        key = (type(raw), raw)
        outcome = outcomes.get(key)
        if outcome is None:
            outcome = _outcome(fmt, match.column, raw, today)
            outcomes[key] = outcome
        values.append(outcome.value)
        if outcome.error:
            issues.append(Issue(outcome.error, ERROR, sheet, number, match.header,
                                raw, outcome.params))
            rejected.add(number)
        if outcome.warning == "category_new":
            written, count = new_values.get(outcome.value, (str(raw).strip(), 0))
            new_values[outcome.value] = (written, count + 1)
        elif outcome.warning:
            issues.append(Issue(outcome.warning, WARNING, sheet, number,
                                match.header, raw))
        if outcome.currency:
            currencies[number] = outcome.currency
    if new_values:
        issues.append(new_values_note(sheet, match, fmt.vocabulary, new_values))
    return values


class _Outcome(NamedTuple):
    """A converted cell: its value, the error code and parameters that reject its
    row, a warning code, and the currency the cell named."""

    value: object = None
    error: str | None = None
    params: dict | None = None
    warning: str | None = None
    currency: str | None = None


_EMPTY = _Outcome()


def _outcome(fmt: ColumnFormat, column: Column, raw: object,
             today: dt.date) -> _Outcome:
    """Convert one cell and check it against the column's range.

    A cell that cannot be converted has no value and no warning. A value out of
    range is kept with its error, its warning and its currency, so the row's other
    problems are still reported.
    """
    if is_null(raw, fmt.column.kind):
        return _EMPTY
    try:
        cell = convert(fmt, raw)
    except CellError as error:
        return _Outcome(error=error.code, params=error.params)
    problem = _range_problem(column, cell.value, today)
    code, params = problem if problem else (None, None)
    return _Outcome(cell.value, code, params, cell.warning, cell.currency)


def _range_problem(column: Column, value: object,
                   today: dt.date) -> tuple[str, dict] | None:
    """Return the code and parameters of a range violation, or None.

    Dates of columns with ``max_days_ahead`` are checked against ``today``; other
    dates, such as maturities, may lie any distance ahead.
    """
    if isinstance(value, dt.date):
        return _future_problem(column, value, today)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if column.minimum is not None and value < column.minimum:
        return "below_minimum", {"minimum": _plain(column.minimum)}
    if column.maximum is not None and value > column.maximum:
        return "above_maximum", {"maximum": _plain(column.maximum)}
    return None


def _future_problem(column: Column, value: dt.date,
                    today: dt.date) -> tuple[str, dict] | None:
    """Return the code and parameters of a date too far after ``today``, or None."""
    if column.max_days_ahead is None:
        return None
    latest = today + dt.timedelta(days=column.max_days_ahead)
    if value <= latest:
        return None
    return "date_in_future", {"latest": latest.isoformat(),
                              "days": column.max_days_ahead}


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _frame(table: Table, columns: dict[str, list[object]],
           numbers: list[int]) -> pd.DataFrame:
    """Build the frame in schema column order with the kind's dtype."""
    data = {}
    for column in table.columns:
        values = columns.get(column.name, [None] * len(numbers))
        data[column.name] = pd.Series(values, dtype=FRAME_DTYPES[column.kind]
                                      if column.kind != "date" else "object")
    frame = pd.DataFrame(data)
    frame.index = pd.Index(numbers, name="row", dtype="int64")
    return frame


def _fill_currency(layout: SheetLayout, frame: pd.DataFrame,
                   currencies: dict[int, str], issues: list[Issue],
                   rejected: set[int]) -> None:
    """Fill an empty currency from a money cell or header; reject conflicts."""
    if "currency" not in frame.columns:
        return
    header_currency = next((m.unit.currency for m in layout.matches
                            if m.unit.currency), None) or layout.unit.currency
    named = pd.Series(currencies, dtype="str").reindex(frame.index)
    if header_currency:
        named = named.fillna(header_currency)
    current = frame["currency"]
    frame["currency"] = current.fillna(named)
    conflicts = current.notna() & named.notna() & (current != named)
    header = next((m.header for m in layout.matches if m.column.name == "currency"),
                  None)
    for number in frame.index[conflicts]:
        issues.append(Issue("currency_conflict", ERROR, layout.sheet.name,
                            int(number), header, current[number],
                            {"named": named[number]}))
        rejected.add(int(number))


def _check_required(layout: SheetLayout, frame: pd.DataFrame, issues: list[Issue],
                    rejected: set[int]) -> None:
    """Reject rows that lack a value in a required column the file has.

    A cell that failed conversion has no value too, but its own error gives the
    reason, so it gets no second one.
    """
    headers = {m.column.name: m.header for m in layout.matches}
    failed = {(i.row, i.column) for i in issues if i.is_error}
    for column in layout.table.columns:
        if not column.required or column.name not in headers:
            continue
        if column.name == layout.table.generated_key:
            continue
        header = headers[column.name]
        for number in frame.index[frame[column.name].isna()]:
            if (int(number), header) in failed:
                continue
            issues.append(Issue("required", ERROR, layout.sheet.name, int(number),
                                header))
            rejected.add(int(number))


def _skipped_issues(sheet: str, skipped: dict[str, list[int]]) -> list[Issue]:
    """Turn the skipped rows into one warning per row."""
    return [Issue(reason, WARNING, sheet, number)
            for reason, numbers in skipped.items() for number in numbers]
