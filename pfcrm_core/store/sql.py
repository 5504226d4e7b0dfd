"""Small SQL helpers shared by the store's modules."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb


def quote_identifier(name: str) -> str:
    """Quote a SQL identifier for DuckDB, doubling embedded quotes."""
    return '"' + name.replace('"', '""') + '"'


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute a statement whose result is not read.

    DuckDB 2 refuses further work on a connection with an unfinished result, so
    statements are run to completion here.
    """
    con.execute(sql, params or [])
    con.complete()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """Return the first column of the first row, or None when there is no row."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def now() -> datetime:
    """Return the current UTC time without a time zone, as DuckDB TIMESTAMP stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
