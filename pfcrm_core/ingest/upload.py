"""Importing one uploaded file into one table chosen by the analyst: the flow of the
upload page and of ``python -m pfcrm_core import``.

:func:`prepare_import` reads the file, picks the sheet and header row that fit the
table (or those the analyst chose), converts and checks every row and compares it
with the store. :func:`commit_import` then writes the new and changed rows in one
transaction, or raises ImportRejected.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.errors import ImportRejected
from pfcrm_core.i18n import translate
from pfcrm_core.ingest.changes import (CHANGED, NEW, UNCHANGED, classify_changes,
                                       values_equal)
from pfcrm_core.ingest.dates import DATE_ORDERS, MONTH_FIRST
from pfcrm_core.ingest.issues import ERROR, Issue
from pfcrm_core.ingest.layout import SheetLayout, detect_layout, remap_layout
from pfcrm_core.ingest.pipeline import import_layouts
from pfcrm_core.ingest.plan import ImportPlan, TableImport
from pfcrm_core.ingest.references import ReferenceIndex
from pfcrm_core.ingest.source import Source, Workbook, read_source
from pfcrm_core.schema import get_table

logger = logging.getLogger(__name__)


@dataclass
class UploadPlan:
    """One file read as one table, compared with the store; nothing written yet.

    Attributes
    ----------
    table_name : str
    file_name : str
    file_type : str
        "xlsx", "xls", "ods", "csv" or "html".
    encoding : str or None
        Text encoding of a CSV file; None for workbooks.
    sheets : list of str
        Sheets with data that the analyst can choose from.
    sheet : str or None
        The sheet read.
    header_row : int
        Row number of the header as shown in Excel (1 when no header was found).
    source_columns : list of (int, str)
        Position and header text of every non-empty header cell.
    mapping : dict
        Column position to canonical column name, for the columns imported.
    accepted : pandas.DataFrame
        Rows without problems, canonical columns, without row numbers.
    problems : list of Issue
        Errors; each rejects its row, or the whole sheet when ``row`` is None.
    notes : list of Issue
        Warnings: assumptions made and rows skipped on purpose.
    inserts, updates : pandas.DataFrame
        Accepted rows whose key is new, and rows that change a stored row.
    unchanged : int
        Accepted rows equal to the stored row with the same key.
    previous : pandas.DataFrame
        The stored versions of the rows in ``updates``.
    rows_in_file : int
        Data rows below the header.
    sha256 : str
        Hash of the file's bytes, for the import log.
    ambiguous_dates : dict
        Column position to the order ("dmy", "mdy" or "ymd") used for the dates of
        that column whose values do not show their order, such as "05/03/2024".
        Pass another order in ``date_orders`` of :func:`prepare_import`.
    """

    table_name: str
    file_name: str
    file_type: str
    encoding: str | None
    sheets: list[str]
    sheet: str | None
    header_row: int
    source_columns: list[tuple[int, str]]
    mapping: dict[int, str]
    accepted: pd.DataFrame
    problems: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    inserts: pd.DataFrame = field(default_factory=pd.DataFrame)
    updates: pd.DataFrame = field(default_factory=pd.DataFrame)
    unchanged: int = 0
    previous: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows_in_file: int = 0
    sha256: str = ""
    ambiguous_dates: dict[int, str] = field(default_factory=dict)

    def notes_text(self, lang: str = "en") -> list[str]:
        """Return each warning as a sentence in ``lang``."""
        return [note.message(lang) for note in self.notes]

    def problems_frame(self, lang: str = "en") -> pd.DataFrame:
        """Return the problems as a table: row, column, value and message."""
        columns = [translate(f"ingest.frame.{k}", lang)
                   for k in ("row", "column", "value", "problem")]
        records = [[p.row, p.column or "", "" if p.value is None else str(p.value),
                    p.message(lang)] for p in self.problems]
        return pd.DataFrame(records, columns=columns)

    def updates_frame(self, lang: str = "en") -> pd.DataFrame:
        """Return one line per changed value of the rows in ``updates``."""
        columns = [translate(f"ingest.frame.{k}", lang)
                   for k in ("key", "column", "stored", "new")]
        if self.updates.empty:
            return pd.DataFrame(columns=columns)
        key = list(get_table(self.table_name).key)
        stored = {_key(row, key): row for row in self.previous.to_dict("records")}
        records = []
        for row in self.updates.to_dict("records"):
            old = stored.get(_key(row, key), {})
            for name, value in row.items():
                if name in key or values_equal(value, old.get(name)):
                    continue
                records.append([", ".join(_key(row, key)), name,
                                _text(old.get(name)), _text(value)])
        return pd.DataFrame(records, columns=columns)

    def updated_keys(self, limit: int = 5) -> str:
        """Return the keys of the first ``limit`` rows in ``updates``, joined by
        commas, with "…" when there are more."""
        key = list(get_table(self.table_name).key)
        labels = [" / ".join(_key(row, key))
                  for row in self.updates.head(limit).to_dict("records")]
        more = ", …" if len(self.updates) > limit else ""
        return ", ".join(labels) + more

    def skipped_rows(self, lang: str = "en") -> list[dict]:
        """Return each row with problems once, with every reason, in row order.

        These rows are left out when the import runs with ``skip_invalid``.
        """
        rows: dict[tuple, dict] = {}
        for problem in self.problems:
            if problem.row is None:
                continue
            entry = rows.setdefault((problem.sheet, problem.row), {
                "sheet": problem.sheet, "row": problem.row, "reasons": []})
            entry["reasons"].append(problem.message(lang))
        return list(rows.values())

    def summary(self, lang: str = "en") -> str:
        """Return one line: file, sheet, header row and row counts."""
        return translate("ingest.upload.summary", lang, file=self.file_name,
                         sheet=self.sheet or "-", header_row=self.header_row,
                         table=self.table_name, rows=self.rows_in_file,
                         new=len(self.inserts), changed=len(self.updates),
                         unchanged=self.unchanged,
                         problems=len({p.row for p in self.problems}))


@dataclass
class ImportResult:
    """Row counts and import id of one :func:`commit_import` call."""

    import_id: int | None
    table_name: str
    inserted: int
    updated: int
    unchanged: int
    skipped: int

    def to_dict(self) -> dict:
        return {"import_id": self.import_id, "table": self.table_name,
                "inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped}


def prepare_import(source: Source, table_name: str, store, *,
                   file_name: str | None = None, sheet: str | None = None,
                   header_row: int | None = None,
                   mapping: dict[int, str | None] | None = None,
                   date_orders: dict[int, str] | None = None,
                   default_date_order: str = MONTH_FIRST) -> UploadPlan:
    """Read a file as ``table_name`` and compare its rows with ``store``.

    Parameters
    ----------
    source : path, bytes or binary file object
    table_name : str
        Canonical table the rows go to.
    store : pfcrm_core.store.Store
        Read for known ids and the stored rows; not written.
    file_name : str, optional
        Name for messages when ``source`` is bytes.
    sheet : str, optional
        Sheet to read; default the one whose header fits the table best.
    header_row : int, optional
        Row number of the header as shown in Excel; default found by search.
    mapping : dict, optional
        Column position (0-based) to canonical column name, or None to ignore the
        column. Replaces the mapping found from the headers.
    date_orders : dict, optional
        Column position (0-based) to "dmy", "mdy" or "ymd": how to read dates such
        as "05/03/2024" in that column. Dates that show their order ("25/12/2023",
        "2024年3月5日", "2024-03-05") are read as written whatever is chosen.
    default_date_order : {"mdy", "dmy", "ymd"}, default "mdy"
        Order for such dates in the other columns, where no value shows the order.

    Raises
    ------
    ImportFileError
        When the file cannot be read.
    KeyError
        When ``table_name`` or ``sheet`` is unknown.
    ValueError
        When a date order is not "dmy", "mdy" or "ymd".
    """
    table = get_table(table_name)
    _check_orders(date_orders, default_date_order)
    workbook = read_source(source, file_name)
    choices = [s.name for s in workbook.sheets if not s.is_empty and not s.hidden]
    layout = _choose_layout(workbook, table.name, sheet, header_row)
    if layout is not None and mapping is not None:
        layout = remap_layout(layout, mapping)

    plan = ImportPlan(workbook.name, workbook.format)
    if layout is None or not layout.matches:
        plan.issues.append(Issue("sheet_unrecognised", ERROR, sheet))
    elif layout.missing_required:
        plan.issues.append(Issue("missing_columns", ERROR, layout.sheet.name,
                                 layout.header_row, params={
                                     "table": table.name,
                                     "columns": ", ".join(layout.missing_required)}))
    else:
        plan.issues += layout.sheet.issues
        references = ReferenceIndex.from_store(store)
        plan.tables = import_layouts([layout], references, date_orders=date_orders,
                                     default_date_order=default_date_order)
        classify_changes(plan, store)
    previous = _stored_rows(store, plan.tables[0]) if plan.tables else None
    return _upload_plan(workbook, table.name, choices, layout, plan, previous,
                        _digest(source))


def commit_import(plan: UploadPlan, store, *, skip_invalid: bool = False,
                  confirm_updates: bool = False) -> ImportResult:
    """Write the new and changed rows of ``plan`` in one transaction.

    Parameters
    ----------
    skip_invalid : bool, default False
        Write the accepted rows even when some rows have problems. Otherwise any
        problem rejects the whole file.
    confirm_updates : bool, default False
        Allow rows that replace stored rows. Otherwise such rows reject the file.

    Raises
    ------
    ImportRejected
        When the plan has problems and ``skip_invalid`` is False, or changes stored
        rows and ``confirm_updates`` is False. Nothing is written then.
    """
    result = check_import(plan, skip_invalid=skip_invalid,
                          confirm_updates=confirm_updates)
    if result.inserted or result.updated:
        result.import_id = store.apply_import(
            plan.table_name, plan.inserts, plan.updates, file_name=plan.file_name,
            sha256=plan.sha256, rows_in_file=plan.rows_in_file,
            rows_rejected=result.skipped)
    logger.info("committed %s into %s: %d new, %d changed, %d skipped",
                plan.file_name, plan.table_name, result.inserted, result.updated,
                result.skipped)
    return result


def check_import(plan: UploadPlan, *, skip_invalid: bool = False,
                 confirm_updates: bool = False) -> ImportResult:
    """Return what :func:`commit_import` would write, without writing.

    Takes the same options and raises ImportRejected in the same cases. The
    result's ``import_id`` is None.
    """
    rejected_rows = len({p.row for p in plan.problems})
    sheet_problem = any(p.row is None for p in plan.problems)
    if plan.problems and (not skip_invalid or sheet_problem):
        raise ImportRejected(
            translate("ingest.summary.rejected", file=plan.file_name,
                      count=len(plan.problems)),
            [p.message() for p in plan.problems])
    if not plan.updates.empty and not confirm_updates:
        raise ImportRejected(translate("ingest.upload.updates_unconfirmed",
                                       count=len(plan.updates),
                                       keys=plan.updated_keys()))
    return ImportResult(None, plan.table_name, len(plan.inserts), len(plan.updates),
                        plan.unchanged, rejected_rows)


def _check_orders(date_orders: dict[int, str] | None, default: str) -> None:
    """Raise ValueError naming a date order that is not one of DATE_ORDERS."""
    for where, order in [("default_date_order", default),
                         *((f"date_orders[{k}]", v) for k, v in
                           (date_orders or {}).items())]:
        if order not in DATE_ORDERS:
            raise ValueError(f"{where} is {order!r}; use one of "
                             f"{', '.join(DATE_ORDERS)}")


def _choose_layout(workbook: Workbook, table: str, sheet: str | None,
                   header_row: int | None) -> SheetLayout | None:
    """Return the layout of the chosen sheet, or of the sheet that fits best."""
    names = [s.name for s in workbook.sheets]
    if sheet is not None and sheet not in names:
        raise KeyError(f"sheet {sheet!r} is not in {workbook.name}; sheets are "
                       f"{', '.join(names)}")
    candidates = [s for s in workbook.sheets
                  if s.name == sheet or (sheet is None and not s.hidden
                                         and not s.is_empty)]
    layouts = [detect_layout(s, table, header_row=header_row) for s in candidates]
    layouts = [layout for layout in layouts if layout is not None]
    return max(layouts, key=lambda layout: layout.score, default=None)


def _upload_plan(workbook: Workbook, table_name: str, choices: list[str],
                 layout: SheetLayout | None, plan: ImportPlan,
                 previous: pd.DataFrame | None, sha256: str) -> UploadPlan:
    """Flatten the plan of one sheet into what the upload page shows."""
    part: TableImport | None = plan.tables[0] if plan.tables else None
    columns = get_table(table_name).column_names
    issues = plan.all_issues()
    upload = UploadPlan(
        table_name=table_name, file_name=workbook.name, file_type=workbook.format,
        encoding=workbook.sheets[0].encoding, sheets=choices,
        sheet=layout.sheet.name if layout else None,
        header_row=layout.header_row if layout else 1,
        source_columns=[(i, h) for i, h in enumerate(layout.headers) if h]
        if layout else [],
        mapping={m.index: m.column.name for m in layout.matches} if layout else {},
        accepted=pd.DataFrame(columns=columns),
        problems=[i for i in issues if i.is_error],
        notes=[i for i in issues if not i.is_error], sha256=sha256)
    if part is None:
        return upload

    frame = part.frame
    upload.accepted = frame.reset_index(drop=True)
    upload.inserts = frame[part.status == NEW].reset_index(drop=True)
    upload.updates = frame[part.status == CHANGED].reset_index(drop=True)
    upload.unchanged = int((part.status == UNCHANGED).sum())
    upload.previous = previous if previous is not None else pd.DataFrame()
    upload.rows_in_file = part.rows_read
    upload.ambiguous_dates = dict(part.ambiguous_dates)
    return upload


def _stored_rows(store, part: TableImport) -> pd.DataFrame:
    """Return the stored versions of the changed rows, for the updates table."""
    changed = part.frame[part.status == CHANGED]
    if changed.empty:
        return pd.DataFrame()
    return store.rows_by_key(part.table.name, changed[list(part.table.key)])


def _digest(source: Source) -> str:
    """Return the SHA-256 of the file's bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(bytes(source)).hexdigest()
    if hasattr(source, "read"):
        source.seek(0)
        return hashlib.sha256(source.read()).hexdigest()
    with open(source, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _key(row: dict, key: list[str]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in key)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)
