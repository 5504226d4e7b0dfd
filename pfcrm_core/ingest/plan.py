"""The outcome of reading a file: accepted rows per table and every issue found.

Nothing is written to the database here. The store applies an ImportPlan; the upload
page and the command line show its summary and issues first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from pfcrm_core.errors import ImportRejected
from pfcrm_core.i18n import translate
from pfcrm_core.ingest.headers import ColumnMatch
from pfcrm_core.ingest.issues import Issue
from pfcrm_core.schema import LOAD_ORDER, Table


@dataclass
class TableImport:
    """The rows of one sheet for one canonical table.

    Attributes
    ----------
    table : Table
    sheet : str
    header_row : int
        Row number of the header in the file.
    columns : list of ColumnMatch
        File columns used, with their canonical column and unit.
    ignored_headers : list of str
        Headers that match no canonical column.
    frame : pandas.DataFrame
        Accepted rows: canonical columns in schema order, indexed by row number.
    rows_read : int
        Data rows below the header (totals, notes and blank rows excluded).
    issues : list of Issue
    status : pandas.Series or None
        "new", "changed" or "unchanged" per accepted row, once compared with the
        database by ``changes.classify_changes``.
    ambiguous_dates : dict
        Column position to the order ("dmy", "mdy" or "ymd") used for the dates of
        that column whose values do not show their order.
    """

    table: Table
    sheet: str
    header_row: int
    columns: list[ColumnMatch]
    ignored_headers: list[str]
    frame: pd.DataFrame
    rows_read: int
    issues: list[Issue] = field(default_factory=list)
    status: pd.Series | None = None
    ambiguous_dates: dict[int, str] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return len({i.row for i in self.issues if i.is_error and i.row is not None})

    @property
    def counts(self) -> dict[str, int]:
        """Accepted rows by status; all "accepted" before comparison."""
        if self.status is None:
            return {"accepted": len(self.frame)}
        return dict(Counter(self.status))


@dataclass
class ImportPlan:
    """Everything read from one file.

    Attributes
    ----------
    source : str
        File name.
    format : str
        "xlsx", "xls", "ods", "csv" or "html".
    tables : list of TableImport
        In load order, so that referenced tables come first.
    issues : list of Issue
        Issues about the file or a sheet as a whole (sheet skipped, no table found).
    """

    source: str
    format: str
    tables: list[TableImport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def all_issues(self) -> list[Issue]:
        found = list(self.issues)
        for part in self.tables:
            found += part.issues
        return found

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.all_issues() if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.all_issues() if not i.is_error]

    @property
    def table_names(self) -> list[str]:
        names = {part.table.name for part in self.tables}
        return [name for name in LOAD_ORDER if name in names]

    def accepted(self, table: str) -> pd.DataFrame:
        """Return the accepted rows of ``table`` from all sheets, without the row
        numbers.

        Raises
        ------
        KeyError
            When no sheet of the file was read as ``table``.
        """
        frames = [p.frame for p in self.tables if p.table.name == table]
        if not frames:
            raise KeyError(f"the file has no {table!r} rows; tables found: "
                           f"{', '.join(self.table_names) or 'none'}")
        return pd.concat(frames, ignore_index=True)

    def raise_if_rejected(self, lang: str = "en") -> None:
        """Raise ImportRejected listing every error, when there is one.

        Use it where an import must be all or nothing; otherwise the accepted rows
        can be applied and the errors shown.
        """
        errors = self.errors
        if not errors:
            return
        message = translate("ingest.summary.rejected", lang, file=self.source,
                            count=len(errors))
        raise ImportRejected(message, [e.message(lang) for e in errors])

    def summary(self, lang: str = "en") -> str:
        """Return a few lines saying what each sheet gave and what went wrong."""
        lines = [translate("ingest.summary.file", lang, file=self.source,
                           format=self.format)]
        for part in self.tables:
            lines.append(translate(
                "ingest.summary.table", lang, sheet=part.sheet,
                table=part.table.name, header_row=part.header_row,
                read=part.rows_read, accepted=len(part.frame),
                rejected=part.rows_rejected))
            if part.status is not None:
                counts = part.counts
                lines.append(translate(
                    "ingest.summary.changes", lang, new=counts.get("new", 0),
                    changed=counts.get("changed", 0),
                    unchanged=counts.get("unchanged", 0)))
            if part.ignored_headers:
                lines.append(translate("ingest.summary.ignored", lang,
                                       headers=", ".join(part.ignored_headers)))
        lines.append(translate("ingest.summary.issues", lang,
                               errors=len(self.errors), warnings=len(self.warnings)))
        return "\n".join(lines)

    def to_dict(self, lang: str = "en") -> dict:
        """Return a JSON-serialisable report (no row data)."""
        return {
            "source": self.source,
            "format": self.format,
            "tables": [{
                "table": p.table.name, "sheet": p.sheet, "header_row": p.header_row,
                "columns": {m.header: m.column.name for m in p.columns},
                "ignored_headers": p.ignored_headers, "rows_read": p.rows_read,
                "rows_rejected": p.rows_rejected, "counts": p.counts,
            } for p in self.tables],
            "issues": [i.to_dict(lang) for i in self.all_issues()],
        }
