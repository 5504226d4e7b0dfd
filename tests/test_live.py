"""The live snapshot on real DuckDB files, including an import by another process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from pfcrm_core.live import (ACTIVITY_COLUMNS, DETAIL_MAX_CHARS, latest_activity,
                             live_snapshot)
from pfcrm_core.overview import compute_kpis
from pfcrm_core.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_store(tmp_path, demo_db_path) -> Store:
    path = tmp_path / "live.duckdb"
    shutil.copy(demo_db_path, path)
    return Store(path, busy_timeout=5.0)


def _import_interactions(path: Path, csv: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pfcrm_core", "--db", str(path), "import", str(csv),
         "--table", "interactions"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_snapshot_of_empty_store(store):
    snapshot = live_snapshot(store)

    assert snapshot.activity.empty
    assert list(snapshot.activity.columns) == list(ACTIVITY_COLUMNS)
    assert snapshot.kpis is None
    assert snapshot.data_as_of is None
    assert snapshot.imports.empty
    assert snapshot.file_modified_at is not None
    assert snapshot.read_at.tzinfo is not None
    assert sum(snapshot.row_counts.values()) == 0


def test_snapshot_of_demo(demo_store):
    snapshot = live_snapshot(demo_store, activity_limit=30, import_limit=5)
    frames = {name: demo_store.read_table(name) for name in
              ("clients", "deals", "revenue")}
    expected = compute_kpis(frames["clients"], frames["deals"], frames["revenue"],
                            pd.Timestamp("2026-09-30"))

    assert snapshot.data_as_of == pd.Timestamp("2026-09-30")
    assert snapshot.kpis == expected
    assert len(snapshot.activity) == 30
    assert snapshot.activity["date"].is_monotonic_decreasing
    assert snapshot.activity["name"].notna().all()
    assert snapshot.imports["import_id"].tolist() == [0]
    assert snapshot.row_counts["clients"] == 600


def test_snapshot_shows_cli_import(demo_store, tmp_path):
    before = live_snapshot(demo_store)
    version = demo_store.data_version()
    csv = tmp_path / "new_interactions.csv"
    pd.DataFrame({
        "interaction_id": ["I-LIVE-1", "I-LIVE-2"],
        "client_id": ["C-0001", "C-0002"],
        "date": ["2026-10-15", "2026-10-14"],
        "channel": ["meeting", "call"],
        "staff": ["Li Wei", "Anna Berg"],
        "notes": ["Term sheet for the toll road refinancing", "Quarterly review"],
    }).to_csv(csv, index=False)

    completed = _import_interactions(demo_store.path, csv)
    assert completed.returncode == 0, completed.stderr
    after = live_snapshot(demo_store)

    top = after.activity.head(2)
    assert top["reference"].tolist() == ["I-LIVE-1", "I-LIVE-2"]
    assert top["kind"].tolist() == ["interaction", "interaction"]
    assert top["detail"].iloc[0] == "Li Wei: Term sheet for the toll road refinancing"
    assert after.imports["import_id"].iloc[0] == 1
    assert after.imports["table_name"].iloc[0] == "interactions"
    assert after.imports["rows_added"].iloc[0] == 2
    assert after.row_counts["interactions"] == before.row_counts["interactions"] + 2
    assert after.file_modified_at >= before.file_modified_at
    assert demo_store.data_version() != version


def test_snapshot_rejects_bad_limit(store):
    with pytest.raises(ValueError, match="activity_limit must be at least 1; got 0"):
        live_snapshot(store, activity_limit=0)
    with pytest.raises(ValueError, match="import_limit must be at least 1; got -1"):
        live_snapshot(store, import_limit=-1)


def test_activity_orders_ties_and_cuts_text():
    clients = pd.DataFrame({"client_id": ["C1", "C2"], "name": ["Alpha Bank", "Beta"]})
    interactions = pd.DataFrame({
        "interaction_id": ["I2", "I1"], "client_id": ["C1", "C2"],
        "date": ["2026-01-05", "2026-01-05"], "channel": ["call", "email"],
        "staff": [None, "Ana"], "notes": ["x" * 300, None]})
    deals = pd.DataFrame({
        "deal_id": ["D1"], "client_id": ["C1"], "project_id": ["P1"],
        "role": ["lender"], "amount": [1e6], "currency": ["USD"],
        "start_date": ["2026-01-05"]})
    feedback = pd.DataFrame({
        "response_id": ["R1"], "client_id": ["C9"], "date": ["2026-01-06"],
        "nps": [3], "comment": ["Slow answers"]})
    cases = pd.DataFrame({
        "case_id": [7], "client_id": ["C2"], "opened_at": [datetime(2026, 1, 4, 9)],
        "status": ["open"], "triggers": ["nps"]})

    activity = latest_activity({"clients": clients, "interactions": interactions,
                                "deals": deals, "feedback": feedback}, cases, limit=10)

    assert activity["kind"].tolist() == ["feedback", "interaction", "interaction",
                                         "deal", "case"]
    assert activity["reference"].tolist() == ["R1", "I1", "I2", "D1", "7"]
    assert pd.isna(activity["name"].iloc[0])
    assert activity["score"].iloc[0] == 3
    assert activity["detail"].iloc[1] == "Ana"
    assert len(activity["detail"].iloc[2]) == DETAIL_MAX_CHARS
    assert activity["detail"].iloc[2].endswith("…")
    assert activity["amount"].iloc[3] == 1e6
    assert activity["category"].iloc[4] == "open"


def test_activity_respects_limit():
    revenue = pd.DataFrame({
        "txn_id": [f"T{i}" for i in range(5)], "client_id": ["C1"] * 5,
        "date": pd.date_range("2026-01-01", periods=5), "amount": [1.0] * 5,
        "currency": ["USD"] * 5, "kind": ["fee"] * 5})

    activity = latest_activity({"revenue": revenue}, limit=2)

    assert activity["reference"].tolist() == ["T4", "T3"]
