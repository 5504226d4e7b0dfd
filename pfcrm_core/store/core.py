"""The data-access layer: the only module that opens the DuckDB file.

DuckDB lets one process write a file, and while it has the file open no other
process can even read it. The store therefore opens a connection for each
operation and closes it straight after, so the app never keeps the file open
between runs and the command line can import while the app is open. When another
process has the file open, ``connect`` retries for ``busy_timeout`` seconds and then raises
``StoreBusyError`` with a sentence a user can act on.

Every canonical table (see ``schema``) carries one system column, ``import_id``:
the import that wrote the row (NULL for rows from the demo generator). When an
import replaces a row, the old version is copied to ``history_<table>`` with the
replacing import's id, so ``undo_import`` can put it back.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from .. import schema
from ..errors import SchemaError, StoreBusyError, UndoError
from .automation import AUTOMATION_DDL, AutomationMixin
from .cases import CASES_DDL, CaseBookMixin
from .roadmap import ROADMAP_DDL, RoadmapMixin
from .sql import now as _now
from .sql import quote_identifier
from .sql import run as _run
from .sql import scalar as _scalar

logger = logging.getLogger(__name__)

DEFAULT_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "pfcrm.duckdb"
DB_ENV_VAR = "PFCRM_DB"

_LOCK_PATTERN = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)
_PID_PATTERN = re.compile(r"PID (\d+)")

IMPORT_LOG_DDL = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id BIGINT PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    source VARCHAR NOT NULL,
    rows_in_file BIGINT,
    rows_added BIGINT NOT NULL,
    rows_updated BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    undone_at TIMESTAMP
)
"""


def default_db_path() -> Path:
    """Return the database path from ``PFCRM_DB``, or ``data/pfcrm.duckdb``."""
    value = os.environ.get(DB_ENV_VAR)
    return Path(value).expanduser() if value else DEFAULT_DB_PATH


def _table_ddl(table: schema.Table, name: str | None = None,
               extra: str = "") -> str:
    columns = [f"{quote_identifier(c.name)} {c.sql_type}" for c in table.columns]
    columns.append("import_id BIGINT")
    if extra:
        columns.append(extra)
    target = quote_identifier(name or table.name)
    return f"CREATE TABLE IF NOT EXISTS {target} ({', '.join(columns)})"


def _history_name(table_name: str) -> str:
    return f"history_{table_name}"


def _add_case_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in CASES_DDL:
        _run(con, ddl)


def _add_workflow_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in (*AUTOMATION_DDL, *ROADMAP_DDL):
        _run(con, ddl)


# Each entry upgrades a file from the version in its key to the next one; after the
# steps, ``_create_tables`` adds any table that is still missing.
MIGRATIONS: dict[int, callable] = {
    1: _add_case_tables,
    2: _add_workflow_tables,
}


class Store(CaseBookMixin, AutomationMixin, RoadmapMixin):
    """A DuckDB file holding the canonical tables, the import log and undo history.

    The follow-up cases of the feedback loop (``CaseBookMixin``), the automation
    rules and their tasks (``AutomationMixin``) and the roadmap checklists
    (``RoadmapMixin``) are stored here too.

    Parameters
    ----------
    path : str or Path, optional
        The database file. Default: ``PFCRM_DB`` or ``data/pfcrm.duckdb``. The
        parent folder is created when missing.
    busy_timeout : float, default 5.0
        Seconds to keep retrying while another process has the file open.
    """

    def __init__(self, path: str | Path | None = None, *, busy_timeout: float = 5.0):
        self.path = Path(path).expanduser() if path else default_db_path()
        self.busy_timeout = busy_timeout
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections ---------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the file for one operation, creating or migrating the schema.

        Raises
        ------
        StoreBusyError
            When another process still has the file open after ``busy_timeout``.
        SchemaError
            When the file was written by a newer version of PF-CRM.
        """
        con = self._open_with_retry()
        try:
            if not self._schema_ready:
                self._ensure_schema(con)
                self._schema_ready = True
            yield con
        finally:
            con.close()

    def _open_with_retry(self) -> duckdb.DuckDBPyConnection:
        """Open the file, retrying while another process holds its lock.

        Logs once when the wait starts and once when it ends, with the seconds
        waited and the number of attempts, not once per attempt.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        deadline = start + self.busy_timeout
        delay = 0.05
        attempts = 0
        while True:
            attempts += 1
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.IOException as exc:
                if not _LOCK_PATTERN.search(str(exc)):
                    raise
                if time.monotonic() >= deadline:
                    logger.warning("gave up opening %s after waiting %.1f s (%d "
                                   "attempts): %s", self.path,
                                   time.monotonic() - start, attempts, exc)
                    raise StoreBusyError(self._busy_message(exc)) from None
                if attempts == 1:
                    logger.info("database %s is locked by another process; retrying "
                                "for up to %g s", self.path, self.busy_timeout)
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if attempts > 1:
                logger.info("opened %s after waiting %.1f s (%d attempts)", self.path,
                            time.monotonic() - start, attempts)
            return con

    def _busy_message(self, exc: Exception) -> str:
        pid = _PID_PATTERN.search(str(exc))
        holder = f"process {pid.group(1)}" if pid else "another process"
        return (f"The database {self.path} is in use by {holder} and stayed locked for "
                f"{self.busy_timeout:g} seconds. Wait until that process finishes (for "
                f"example an import from the command line), or close it, then try again.")

    # -- schema --------------------------------------------------------------

    def _ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        _run(con, "CREATE TABLE IF NOT EXISTS schema_meta "
                    "(key VARCHAR PRIMARY KEY, value VARCHAR)")
        version = _scalar(con, "SELECT value FROM schema_meta WHERE key = 'version'")
        if version is None:
            self._create_tables(con)
            _run(con, "INSERT INTO schema_meta VALUES ('version', ?)",
                        [str(schema.SCHEMA_VERSION)])
            return

        version = int(version)
        if version > schema.SCHEMA_VERSION:
            raise SchemaError(
                f"The database {self.path} has schema version {version}, but this "
                f"version of PF-CRM reads up to {schema.SCHEMA_VERSION}. Update PF-CRM, "
                f"or choose another database file.")
        if version < schema.SCHEMA_VERSION:
            self._migrate(con, version)
        # Idempotent: also covers files that reached version 3 before these tables
        # were defined, which no migration step would create.
        _add_workflow_tables(con)

    def _create_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        _run(con, IMPORT_LOG_DDL)
        _add_case_tables(con)
        _add_workflow_tables(con)
        for table in schema.TABLES.values():
            _run(con, _table_ddl(table))
            _run(con, _table_ddl(table, _history_name(table.name),
                                   "replaced_by_import BIGINT"))

    def _migrate(self, con: duckdb.DuckDBPyConnection, version: int) -> None:
        _run(con, "BEGIN TRANSACTION")
        try:
            while version < schema.SCHEMA_VERSION:
                step = MIGRATIONS.get(version)
                if step is None:
                    raise SchemaError(
                        f"No migration from schema version {version} of {self.path}; "
                        f"rebuild it with 'python -m pfcrm_core demo' or restore a backup.")
                logger.info("migrating %s from schema version %d", self.path, version)
                step(con)
                version += 1
            self._create_tables(con)
            _run(con, "UPDATE schema_meta SET value = ? WHERE key = 'version'",
                        [str(version)])
            _run(con, "COMMIT")
        except BaseException:
            _run(con, "ROLLBACK")
            raise

    def schema_version(self) -> int:
        """Return the schema version stored in the file."""
        with self.connect() as con:
            version = _scalar(con, "SELECT value FROM schema_meta WHERE key = 'version'")
        return int(version)

    # -- reads ---------------------------------------------------------------

    def exists(self) -> bool:
        """Return whether the database file exists, without opening or creating it."""
        return self.path.exists()

    def data_version(self) -> tuple:
        """Return a fingerprint of the file that changes whenever data is written.

        It is read from file metadata only, so it never takes the lock. The app uses
        it as a cache key, which shows data that another process imported.
        """
        parts = []
        for path in (self.path, Path(f"{self.path}.wal")):
            try:
                stat = path.stat()
                parts.append((stat.st_mtime_ns, stat.st_size))
            except FileNotFoundError:
                parts.append(None)
        return (str(self.path), *parts)

    def read_table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Return a canonical table as a DataFrame, in key order.

        Parameters
        ----------
        name : str
            A canonical table name (``schema.LOAD_ORDER``).
        columns : list of str, optional
            Canonical columns to return; default all of them.
        """
        table = schema.get_table(name)
        selected = columns or table.column_names
        for column in selected:
            table.column(column)
        select = ", ".join(quote_identifier(c) for c in selected)
        order = ", ".join(quote_identifier(c) for c in table.key)
        sql = f"SELECT {select} FROM {quote_identifier(table.name)} ORDER BY {order}"
        with self.connect() as con:
            return con.execute(sql).df()

    def key_values(self, table_name: str, column: str) -> set[str]:
        """Return the distinct non-null values of one column, e.g. all client ids."""
        table = schema.get_table(table_name)
        table.column(column)
        sql = (f"SELECT DISTINCT {quote_identifier(column)} FROM "
               f"{quote_identifier(table.name)} WHERE {quote_identifier(column)} "
               f"IS NOT NULL")
        with self.connect() as con:
            return {row[0] for row in con.execute(sql).fetchall()}

    def rows_by_key(self, table_name: str, keys: pd.DataFrame) -> pd.DataFrame:
        """Return the stored rows whose key matches a row of ``keys``.

        ``keys`` must have the table's key columns; other columns are ignored.
        """
        table = schema.get_table(table_name)
        if keys.empty:
            return pd.DataFrame(columns=table.column_names)

        with self.connect() as con:
            con.register("incoming_keys", self._key_frame(table, keys))
            try:
                return con.execute(self._join_on_key_sql(table)).df()
            finally:
                con.unregister("incoming_keys")

    def _key_frame(self, table: schema.Table, keys: pd.DataFrame) -> pd.DataFrame:
        missing = sorted(set(table.key) - set(keys.columns))
        if missing:
            raise ValueError(f"keys for table {table.name!r} lack columns {missing}")
        return keys[list(table.key)].drop_duplicates().reset_index(drop=True)

    def _join_on_key_sql(self, table: schema.Table) -> str:
        select = ", ".join(f"t.{quote_identifier(c)}" for c in table.column_names)
        condition = " AND ".join(
            f"t.{quote_identifier(c)} = k.{quote_identifier(c)}" for c in table.key)
        return (f"SELECT {select} FROM {quote_identifier(table.name)} t "
                f"JOIN incoming_keys k ON {condition}")

    def row_counts(self) -> dict[str, int]:
        """Return the number of rows in each canonical table."""
        with self.connect() as con:
            return {
                name: _scalar(con, f"SELECT count(*) FROM {quote_identifier(name)}")
                for name in schema.LOAD_ORDER
            }

    def import_history(self) -> pd.DataFrame:
        """Return the import log, newest first."""
        with self.connect() as con:
            return con.execute("SELECT * FROM import_log ORDER BY import_id DESC").df()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only SQL statement with bound parameters.

        For aggregates that models need; user values must go in ``params``, never
        into ``sql``.
        """
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    # -- writes --------------------------------------------------------------

    def apply_import(self, table_name: str, inserts: pd.DataFrame,
                     updates: pd.DataFrame, *, file_name: str, sha256: str,
                     rows_in_file: int, rows_rejected: int) -> int:
        """Write one import in a single transaction and log it.

        New rows from ``inserts`` are added. Each row of ``updates`` replaces the
        stored row with the same key, whose old version is kept for undo. Either
        every row is written or none is.

        Returns
        -------
        int
            The new import id.
        """
        table = schema.get_table(table_name)
        inserts = self._canonical_frame(table, inserts)
        updates = self._canonical_frame(table, updates)

        with self.connect() as con:
            _run(con, "BEGIN TRANSACTION")
            try:
                import_id = self._next_import_id(con)
                self._save_and_delete_old(con, table, updates, import_id)
                self._insert_rows(con, table, pd.concat([inserts, updates]), import_id)
                _run(con, 
                    "INSERT INTO import_log VALUES (?, ?, ?, ?, 'file', ?, ?, ?, ?, ?, NULL)",
                    [import_id, table.name, file_name, sha256, rows_in_file,
                     len(inserts), len(updates), rows_rejected, _now()])
                _run(con, "COMMIT")
            except BaseException:
                _run(con, "ROLLBACK")
                raise

        logger.info("import %d into %s from %s: %d added, %d updated, %d rejected",
                    import_id, table.name, file_name, len(inserts), len(updates),
                    rows_rejected)
        return import_id

    def _canonical_frame(self, table: schema.Table, frame: pd.DataFrame | None
                         ) -> pd.DataFrame:
        if frame is None or frame.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in table.column_names})
        frame = frame.copy()
        for column in table.column_names:
            if column not in frame.columns:
                frame[column] = None
        return frame[table.column_names].reset_index(drop=True)

    def _next_import_id(self, con: duckdb.DuckDBPyConnection) -> int:
        return _scalar(con, "SELECT coalesce(max(import_id), 0) + 1 FROM import_log")

    def _save_and_delete_old(self, con, table: schema.Table, updates: pd.DataFrame,
                             import_id: int) -> None:
        if updates.empty:
            return
        name = quote_identifier(table.name)
        history = quote_identifier(_history_name(table.name))
        condition = " AND ".join(
            f"t.{quote_identifier(c)} = k.{quote_identifier(c)}" for c in table.key)
        con.register("incoming_keys", self._key_frame(table, updates))
        try:
            _run(con, f"INSERT INTO {history} SELECT t.*, ? FROM {name} t "
                        f"WHERE EXISTS (SELECT 1 FROM incoming_keys k WHERE {condition})",
                        [import_id])
            _run(con, f"DELETE FROM {name} t WHERE EXISTS "
                        f"(SELECT 1 FROM incoming_keys k WHERE {condition})")
        finally:
            con.unregister("incoming_keys")

    def _insert_rows(self, con, table: schema.Table, rows: pd.DataFrame,
                     import_id: int | None) -> None:
        if rows.empty:
            return
        casts = ", ".join(
            f"CAST({quote_identifier(c.name)} AS {c.sql_type}) AS {quote_identifier(c.name)}"
            for c in table.columns)
        con.register("incoming_rows", rows)
        try:
            _run(con, f"INSERT INTO {quote_identifier(table.name)} "
                        f"SELECT {casts}, CAST(? AS BIGINT) FROM incoming_rows",
                        [import_id])
        finally:
            con.unregister("incoming_rows")

    def replace_all(self, frames: dict[str, pd.DataFrame], *, label: str) -> None:
        """Replace every canonical table with ``frames`` (the demo data), in one transaction.

        All stored rows, the undo history and the import log are cleared first;
        callers must have the user's confirmation.
        """
        with self.connect() as con:
            _run(con, "BEGIN TRANSACTION")
            try:
                _run(con, "DELETE FROM import_log")
                for name in reversed(schema.LOAD_ORDER):
                    _run(con, f"DELETE FROM {quote_identifier(name)}")
                    _run(con, f"DELETE FROM {quote_identifier(_history_name(name))}")
                for name in schema.LOAD_ORDER:
                    table = schema.TABLES[name]
                    frame = self._canonical_frame(table, frames.get(name))
                    self._insert_rows(con, table, frame, None)
                _run(con, 
                    "INSERT INTO import_log VALUES (0, 'all', ?, NULL, 'demo', ?, ?, 0, 0, ?, NULL)",
                    [label, sum(len(f) for f in frames.values()),
                     sum(len(f) for f in frames.values()), _now()])
                _run(con, "COMMIT")
            except BaseException:
                _run(con, "ROLLBACK")
                raise
        logger.info("replaced all tables in %s with %s", self.path, label)

    # -- undo ----------------------------------------------------------------

    def undo_import(self, import_id: int) -> dict:
        """Undo an import: remove the rows it added and restore the rows it changed.

        Raises
        ------
        UndoError
            When the import does not exist, was already undone, came from the demo
            generator, a later import changed the same rows, or rows in other
            tables refer to rows it added.
        """
        with self.connect() as con:
            entry = self._undoable_entry(con, import_id)
            table = schema.get_table(entry["table_name"])
            self._check_no_later_changes(con, table, import_id)
            self._check_no_references(con, table, import_id)

            _run(con, "BEGIN TRANSACTION")
            try:
                counts = self._restore(con, table, import_id)
                _run(con, "UPDATE import_log SET undone_at = ? WHERE import_id = ?",
                            [_now(), import_id])
                _run(con, "COMMIT")
            except BaseException:
                _run(con, "ROLLBACK")
                raise

        logger.info("undid import %d on %s: %s", import_id, table.name, counts)
        return {"import_id": import_id, "table": table.name, **counts}

    def _undoable_entry(self, con, import_id: int) -> dict:
        frame = con.execute("SELECT * FROM import_log WHERE import_id = ?",
                            [import_id]).df()
        if frame.empty:
            raise UndoError(f"Import {import_id} was not found in {self.path}; "
                            f"choose an id from the import history.")
        entry = frame.iloc[0].to_dict()
        if entry["source"] != "file":
            raise UndoError(f"Import {import_id} is the demo data load and cannot be "
                            f"undone; reset to the demo data or import files instead.")
        if pd.notna(entry["undone_at"]):
            raise UndoError(f"Import {import_id} ({entry['file_name']}) was already "
                            f"undone at {entry['undone_at']:%Y-%m-%d %H:%M:%S}.")
        return entry

    def _check_no_later_changes(self, con, table: schema.Table, import_id: int) -> None:
        history = quote_identifier(_history_name(table.name))
        later = con.execute(
            f"SELECT DISTINCT h.replaced_by_import FROM {history} h "
            f"JOIN import_log l ON l.import_id = h.replaced_by_import "
            f"WHERE h.import_id = ? AND l.undone_at IS NULL ORDER BY 1",
            [import_id]).fetchall()
        if later:
            ids = ", ".join(str(r[0]) for r in later)
            raise UndoError(f"Later imports ({ids}) changed rows that import {import_id} "
                            f"wrote in {table.name}; undo those first.")

    def _check_no_references(self, con, table: schema.Table, import_id: int) -> None:
        blockers = []
        for other in schema.TABLES.values():
            for column in other.columns:
                if column.references is None:
                    continue
                ref_table, ref_column = column.references.split(".")
                if ref_table != table.name:
                    continue
                count = self._count_dependent_rows(con, table, other, column.name,
                                                   ref_column, import_id)
                if count:
                    blockers.append(f"{count} rows in {other.name}.{column.name}")
        if blockers:
            raise UndoError(
                f"Import {import_id} added {table.name} rows that other data refers to "
                f"({'; '.join(blockers)}). Undo the imports of those rows first.")

    def _count_dependent_rows(self, con, table, other, column, ref_column,
                              import_id) -> int:
        # Rows added by this import (not restored from history) that others refer to.
        added = (f"SELECT {quote_identifier(ref_column)} AS ref FROM "
                 f"{quote_identifier(table.name)} WHERE import_id = ? AND "
                 f"{quote_identifier(ref_column)} NOT IN (SELECT "
                 f"{quote_identifier(ref_column)} FROM "
                 f"{quote_identifier(_history_name(table.name))} "
                 f"WHERE replaced_by_import = ? AND {quote_identifier(ref_column)} "
                 f"IS NOT NULL)")
        sql = (f"SELECT count(*) FROM {quote_identifier(other.name)} o "
               f"WHERE o.{quote_identifier(column)} IN ({added})")
        return _scalar(con, sql, [import_id, import_id])

    def _restore(self, con, table: schema.Table, import_id: int) -> dict:
        name = quote_identifier(table.name)
        history = quote_identifier(_history_name(table.name))
        columns = ", ".join(quote_identifier(c) for c in table.column_names)
        removed = _scalar(con, f"SELECT count(*) FROM {name} WHERE import_id = ?",
                          [import_id])
        _run(con, f"DELETE FROM {name} WHERE import_id = ?", [import_id])
        restored = _scalar(con, f"SELECT count(*) FROM {history} "
                           f"WHERE replaced_by_import = ?", [import_id])
        _run(con, f"INSERT INTO {name} SELECT {columns}, import_id FROM {history} "
                    f"WHERE replaced_by_import = ?", [import_id])
        _run(con, f"DELETE FROM {history} WHERE replaced_by_import = ?", [import_id])
        return {"removed": removed - restored, "restored": restored}
