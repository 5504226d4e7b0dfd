"""The import pipeline: file → sheets → layouts → typed rows → checked rows → plan.

:func:`import_file` is the entry point for the upload page and the command line.
It reads the file, finds the table in each sheet, converts and validates every
cell, checks references and keys, and, given a store, compares the rows with those
already stored. It writes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from pfcrm_core.ingest.changes import classify_changes
from pfcrm_core.ingest.convert import convert_sheet
from pfcrm_core.ingest.dates import MONTH_FIRST
from pfcrm_core.ingest.issues import ERROR, WARNING, Issue, sort_issues
from pfcrm_core.ingest.keys import fill_generated_keys, find_duplicate_keys
from pfcrm_core.ingest.layout import SheetLayout, detect_layout
from pfcrm_core.ingest.plan import ImportPlan, TableImport
from pfcrm_core.ingest.references import ReferenceIndex, check_references
from pfcrm_core.ingest.source import Source, Workbook, read_source
from pfcrm_core.schema import LOAD_ORDER, get_table

logger = logging.getLogger(__name__)


def import_file(source: Source, filename: str | None = None, *,
                table: str | None = None, sheets: list[str] | None = None,
                column_map: dict[str, str] | None = None, store=None,
                include_hidden: bool = False) -> ImportPlan:
    """Read, convert and check a CSV or Excel file; write nothing.

    Parameters
    ----------
    source : path, bytes or binary file object
        The file, e.g. a path or Streamlit's ``UploadedFile``.
    filename : str, optional
        Name for messages when ``source`` has none.
    table : str, optional
        Canonical table every sheet is read as; detected per sheet when omitted.
    sheets : list of str, optional
        Sheets to read; all visible sheets when omitted.
    column_map : dict, optional
        Header text as written to canonical column name, for headers the synonyms
        miss. Map a header to "" to ignore it.
    store : pfcrm_core.store.Store, optional
        Database to check references against and to compare rows with; it is read,
        not written. Without it, references are checked only within the file.
    include_hidden : bool, default False
        Also read hidden sheets, which usually hold lookup lists.

    Returns
    -------
    ImportPlan

    Raises
    ------
    ImportFileError
        When the file cannot be read at all.
    KeyError
        When ``table`` is not a canonical table name.
    """
    workbook = read_source(source, filename)
    references = ReferenceIndex.from_store(store) if store is not None \
        else ReferenceIndex()
    plan = plan_import(workbook, table=table, sheets=sheets, column_map=column_map,
                       references=references, include_hidden=include_hidden)
    if store is not None:
        classify_changes(plan, store)
    return plan


def plan_import(workbook: Workbook, *, table: str | None = None,
                sheets: list[str] | None = None,
                column_map: dict[str, str] | None = None,
                references: ReferenceIndex | None = None,
                include_hidden: bool = False) -> ImportPlan:
    """Build the plan for sheets already read; see :func:`import_file`."""
    if table is not None:
        get_table(table)
    references = references if references is not None else ReferenceIndex()
    plan = ImportPlan(workbook.name, workbook.format)
    layouts = _layouts(workbook, plan, table, sheets, column_map, include_hidden)
    if not layouts:
        plan.issues.append(Issue("no_table", ERROR, params={"file": workbook.name}))
        return plan

    # Tables load in dependency order so that a clients sheet makes its ids known
    # to the deals sheet of the same workbook.
    by_table = defaultdict(list)
    for layout in layouts:
        by_table[layout.table.name].append(layout)
    for name in LOAD_ORDER:
        if name in by_table:
            plan.tables += import_layouts(by_table[name], references)
    return plan


def _layouts(workbook: Workbook, plan: ImportPlan, table: str | None,
             sheets: list[str] | None, column_map: dict[str, str] | None,
             include_hidden: bool) -> list[SheetLayout]:
    """Find the layout of each selected sheet; record sheets that are skipped."""
    names = {s.name for s in workbook.sheets}
    for requested in sheets or []:
        if requested not in names:
            raise KeyError(f"sheet {requested!r} is not in {workbook.name}; sheets are "
                           f"{', '.join(sorted(names))}")
    layouts = []
    for sheet in workbook.sheets:
        if sheets is not None and sheet.name not in sheets:
            continue
        plan.issues += sheet.issues
        if sheet.hidden and not include_hidden and sheets is None:
            plan.issues.append(Issue("sheet_hidden", WARNING, sheet.name))
            continue
        if sheet.is_empty:
            continue
        layout = detect_layout(sheet, table, column_map)
        if layout is None:
            plan.issues.append(Issue("sheet_unrecognised", WARNING, sheet.name))
            continue
        missing = layout.missing_required
        if missing:
            plan.issues.append(Issue("missing_columns", ERROR, sheet.name,
                                     layout.header_row, params={
                                         "table": layout.table.name,
                                         "columns": ", ".join(missing)}))
            continue
        layouts.append(layout)
    return layouts


def import_layouts(layouts: list[SheetLayout], references: ReferenceIndex, *,
                  date_orders: dict[int, str] | None = None,
                  default_date_order: str = MONTH_FIRST) -> list[TableImport]:
    """Convert and check every sheet of one table, then check keys across them.

    Every problem of a row is reported: conversion, range, required, reference,
    cross-column and key problems. ``date_orders`` and ``default_date_order`` are
    passed to :func:`~pfcrm_core.ingest.convert.convert_sheet` for every sheet.
    Each sheet's issues are sorted by row, then by column position.
    """
    table = layouts[0].table
    parts, rejected, headers = [], {}, {}
    for layout in layouts:
        converted = convert_sheet(layout, date_orders, default_date_order)
        sheet = layout.sheet.name
        headers[sheet] = {m.column.name: m.header for m in layout.matches}
        converted.issues += check_references(
            table.name, sheet, converted.frame, headers[sheet], converted.by_name,
            references, converted.rejected)
        repeats = fill_generated_keys(table, converted.frame)
        if repeats:
            converted.issues.append(Issue("identical_rows_kept", WARNING, sheet,
                                          params={"count": repeats}))
        rejected[sheet] = converted.rejected
        parts.append((layout, converted))

    duplicates = find_duplicate_keys(
        table, [(l.sheet.name, c.frame) for l, c in parts], rejected, headers)
    results = []
    for layout, converted in parts:
        sheet = layout.sheet.name
        positions = {m.header: m.index for m in layout.matches}
        issues = sort_issues(
            converted.issues + [i for i in duplicates if i.sheet == sheet], positions)
        accepted = converted.frame.drop(index=list(rejected[sheet]))
        references.add_frame(table.name, accepted)
        results.append(TableImport(table, sheet, layout.header_row, layout.matches,
                                   layout.ignored_headers, accepted,
                                   len(converted.frame), issues,
                                   ambiguous_dates=converted.ambiguous_dates))
    return results
