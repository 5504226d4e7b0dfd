"""The DuckDB store: schema, versioning, imports with undo, and lock handling."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import time

import duckdb
import pandas as pd
import pytest

from pfcrm_core import schema, store as store_module
from pfcrm_core.errors import SchemaError, StoreBusyError, UndoError
from pfcrm_core.store import Store, quote_identifier


def _clients(*ids, name="Client"):
    return pd.DataFrame({"client_id": list(ids), "name": [f"{name} {i}" for i in ids]})


def _import(store, table, inserts=None, updates=None, name="file.csv"):
    return store.apply_import(table, inserts, updates, file_name=name, sha256="0" * 64,
                              rows_in_file=0 if inserts is None else len(inserts),
                              rows_rejected=0)


def test_new_file_has_every_table(store):
    counts = store.row_counts()

    assert list(counts) == list(schema.LOAD_ORDER)
    assert all(count == 0 for count in counts.values())
    assert store.schema_version() == schema.SCHEMA_VERSION


def test_read_table_returns_canonical_columns(store):
    _import(store, "clients", _clients("C1"))

    frame = store.read_table("clients")

    assert list(frame.columns) == schema.CLIENTS.column_names


def test_unknown_table_lists_allowed_names(store):
    with pytest.raises(KeyError, match="choose one of clients, projects"):
        store.read_table("customers")


def test_newer_schema_version_is_rejected(tmp_path):
    path = tmp_path / "future.duckdb"
    Store(path).row_counts()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_meta SET value = '99' WHERE key = 'version'")
    con.close()

    with pytest.raises(SchemaError, match="schema version 99"):
        Store(path).row_counts()


def test_migration_runs_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    Store(path).row_counts()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_meta SET value = '0' WHERE key = 'version'")
    con.close()
    applied = []
    monkeypatch.setitem(store_module.MIGRATIONS, 0,
                        lambda con: applied.append("0->1"))

    migrated = Store(path)

    assert migrated.schema_version() == schema.SCHEMA_VERSION
    assert applied == ["0->1"]


def test_missing_migration_is_a_clear_error(tmp_path):
    path = tmp_path / "old.duckdb"
    Store(path).row_counts()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_meta SET value = '0' WHERE key = 'version'")
    con.close()

    with pytest.raises(SchemaError, match="No migration from schema version 0"):
        Store(path).row_counts()


def test_import_is_logged(store):
    import_id = _import(store, "clients", _clients("C1", "C2"), name="clients.xlsx")

    history = store.import_history()

    assert import_id == 1
    assert history.loc[0, "file_name"] == "clients.xlsx"
    assert history.loc[0, "rows_added"] == 2


def test_update_keeps_old_row_for_undo(store):
    first = _import(store, "clients", _clients("C1", "C2"))
    second = _import(store, "clients", updates=_clients("C1", name="Renamed"))

    assert store.read_table("clients").set_index("client_id").at["C1", "name"] == \
        "Renamed C1"
    store.undo_import(second)
    restored = store.read_table("clients").set_index("client_id")

    assert restored.at["C1", "name"] == "Client C1"
    assert len(restored) == 2
    assert first == 1


def test_undo_twice_is_rejected(store):
    import_id = _import(store, "clients", _clients("C1"))
    store.undo_import(import_id)

    with pytest.raises(UndoError, match="already undone"):
        store.undo_import(import_id)


def test_undo_unknown_import_is_rejected(store):
    with pytest.raises(UndoError, match="Import 42 was not found"):
        store.undo_import(42)


def test_undo_blocked_by_later_change(store):
    first = _import(store, "clients", _clients("C1"))
    _import(store, "clients", updates=_clients("C1", name="New"))

    with pytest.raises(UndoError, match=r"Later imports \(2\) changed rows"):
        store.undo_import(first)


def test_undo_blocked_by_references(store):
    first = _import(store, "clients", _clients("C1"))
    revenue = pd.DataFrame({"txn_id": ["T1"], "client_id": ["C1"],
                            "date": [pd.Timestamp("2024-01-31")], "amount": [10.0]})
    second = _import(store, "revenue", revenue)

    with pytest.raises(UndoError, match="1 rows in revenue.client_id"):
        store.undo_import(first)
    store.undo_import(second)
    store.undo_import(first)
    assert store.row_counts()["clients"] == 0


def test_failed_import_leaves_store_unchanged(store):
    _import(store, "clients", _clients("C1"))
    bad = pd.DataFrame({"client_id": ["C2"], "relationship_since": ["not a date"]})

    with pytest.raises(duckdb.Error):
        _import(store, "clients", bad)

    assert store.read_table("clients")["client_id"].tolist() == ["C1"]
    assert len(store.import_history()) == 1


def test_replace_all_loads_frames_and_clears_log(store):
    _import(store, "clients", _clients("C1"))

    store.replace_all({"clients": _clients("D1", "D2")}, label="demo data (seed 1)")

    assert store.read_table("clients")["client_id"].tolist() == ["D1", "D2"]
    history = store.import_history()
    assert history["source"].tolist() == ["demo"]


def test_demo_load_cannot_be_undone(store):
    store.replace_all({"clients": _clients("D1")}, label="demo")

    with pytest.raises(UndoError, match="demo data load"):
        store.undo_import(0)


def test_text_is_stored_verbatim(store):
    hostile = "Robert'); DROP TABLE clients;-- <img src=x onerror=alert(1)>"
    _import(store, "clients", pd.DataFrame({"client_id": ["C1"], "name": [hostile]}))

    assert store.read_table("clients").at[0, "name"] == hostile
    assert store.row_counts()["clients"] == 1


def test_query_binds_parameters(store):
    _import(store, "clients", _clients("C1", "C2"))

    frame = store.query("SELECT name FROM clients WHERE client_id = ?", ["C2"])

    assert frame["name"].tolist() == ["Client C2"]


def test_quote_identifier_doubles_quotes():
    assert quote_identifier('we"ird') == '"we""ird"'


def test_data_version_changes_after_write(store):
    store.row_counts()
    before = store.data_version()
    time.sleep(0.01)

    _import(store, "clients", _clients("C1"))

    assert store.data_version() != before


def test_busy_file_gives_a_sentence(tmp_path):
    path = tmp_path / "locked.duckdb"
    Store(path).row_counts()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusyError, match="is in use by process .* try again"):
            Store(path, busy_timeout=0.3).row_counts()
    finally:
        holder.kill()
        holder.wait()


def test_busy_file_is_retried_until_free(tmp_path):
    path = tmp_path / "briefly.duckdb"
    Store(path).row_counts()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(0.5)
            con.close()
        """)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        counts = Store(path, busy_timeout=10).row_counts()
    finally:
        holder.wait()

    assert counts["clients"] == 0


def _hold_lock(path, seconds: float) -> subprocess.Popen:
    """Start a process that holds ``path`` open for ``seconds``; wait until it does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep({seconds})
            con.close()
        """)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_lock_wait_logged_twice_on_give_up(tmp_path, caplog):
    path = tmp_path / "locked.duckdb"
    Store(path).row_counts()
    holder = _hold_lock(path, 30)
    try:
        with caplog.at_level(logging.INFO, logger="pfcrm_core.store.core"):
            with pytest.raises(StoreBusyError, match="stayed locked for 1.5 seconds"):
                Store(path, busy_timeout=1.5).row_counts()
    finally:
        holder.kill()
        holder.wait()

    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "is locked by another process; retrying for up to 1.5 s" in messages[0]
    assert "gave up opening" in messages[1]
    assert "attempts" in messages[1]


def test_lock_wait_logged_twice_on_success(tmp_path, caplog):
    path = tmp_path / "briefly.duckdb"
    Store(path).row_counts()
    holder = _hold_lock(path, 1.0)
    try:
        with caplog.at_level(logging.INFO, logger="pfcrm_core.store.core"):
            Store(path, busy_timeout=20).row_counts()
    finally:
        holder.wait()

    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "is locked by another process" in messages[0]
    assert "opened" in messages[1] and "after waiting" in messages[1]
