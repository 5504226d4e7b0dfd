"""Checklist progress in the store: round trip, migration from version 2, key checks."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from pfcrm_core import schema
from pfcrm_core.store import Store
from pfcrm_core.store.roadmap import ChecklistError

# Tables of a version-2 file: the import log, the follow-up cases, the canonical
# tables and their undo history, and the schema version itself.
VERSION_2_TABLES = {"schema_meta", "import_log", "cases", "case_events",
                    *schema.LOAD_ORDER,
                    *(f"history_{name}" for name in schema.LOAD_ORDER)}


def test_new_store_has_empty_checklist(store):
    checklist = store.read_checklist()

    assert checklist.empty
    assert list(checklist.columns) == ["item_key", "done", "note", "owner",
                                       "updated_at"]


def test_checklist_round_trip(store):
    at = datetime(2026, 10, 1, 9, 30)

    store.set_checklist_item("goals.objectives", True, note="Board paper 2026-09",
                             owner="Li Wei", at=at)
    store.set_checklist_item("data.owners", False)

    checklist = store.read_checklist().set_index("item_key")
    assert checklist.loc["goals.objectives", "done"]
    assert checklist.loc["goals.objectives", "note"] == "Board paper 2026-09"
    assert checklist.loc["goals.objectives", "owner"] == "Li Wei"
    assert checklist.loc["goals.objectives", "updated_at"] == pd.Timestamp(at)
    assert not checklist.loc["data.owners", "done"]
    assert pd.isna(checklist.loc["data.owners", "owner"])


def test_later_change_replaces_item(store):
    store.set_checklist_item("goals.kpis", True, owner="Li Wei")
    store.set_checklist_item("goals.kpis", False, note="  ", owner="Anna Berg")

    checklist = store.read_checklist()

    assert len(checklist) == 1
    assert not checklist.loc[0, "done"]
    assert pd.isna(checklist.loc[0, "note"])
    assert checklist.loc[0, "owner"] == "Anna Berg"


def test_unknown_item_key_is_rejected(store):
    with pytest.raises(ChecklistError, match="'goals.nonexistent' is not part of"):
        store.set_checklist_item("goals.nonexistent", True)

    assert store.read_checklist().empty


def test_unknown_item_error_names_catalogue_key(store):
    with pytest.raises(ChecklistError, match="not part of the roadmap") as caught:
        store.set_checklist_item("'; DROP TABLE clients; --", True)

    assert caught.value.key == "roadmap.error.unknown_item"
    assert caught.value.values == {"item": "'; DROP TABLE clients; --"}
    assert store.row_counts()["clients"] == 0


def test_user_text_is_stored_verbatim(store):
    note = "=HYPERLINK(\"x\") '; DROP TABLE checklist_progress; --"

    store.set_checklist_item("goals.sponsor", True, note=note, owner="O'Brien")

    checklist = store.read_checklist()
    assert checklist.loc[0, "note"] == note
    assert checklist.loc[0, "owner"] == "O'Brien"


def _make_version_2(path) -> None:
    con = duckdb.connect(str(path))
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    for name in sorted(tables - VERSION_2_TABLES):
        con.execute(f'DROP TABLE "{name}"')
    con.execute("UPDATE schema_meta SET value = '2' WHERE key = 'version'")
    con.close()


def test_version_two_file_migrates_keeping_data(tmp_path):
    path = tmp_path / "v2.duckdb"
    old = Store(path)
    old.replace_all({"clients": pd.DataFrame({"client_id": ["A", "B"]})}, label="v2")
    old.open_cases(pd.DataFrame({"client_id": ["A"], "response_id": ["R1"],
                                 "due_at": [pd.Timestamp("2026-10-01")]}))
    _make_version_2(path)

    migrated = Store(path)

    assert migrated.schema_version() == schema.SCHEMA_VERSION
    assert migrated.read_checklist().empty
    assert migrated.read_table("clients")["client_id"].tolist() == ["A", "B"]
    assert migrated.read_cases()["response_id"].tolist() == ["R1"]
    migrated.set_checklist_item("data.owners", True)
    assert migrated.read_checklist()["item_key"].tolist() == ["data.owners"]


def test_version_three_file_gains_table(tmp_path):
    path = tmp_path / "v3.duckdb"
    Store(path).replace_all({"clients": pd.DataFrame({"client_id": ["A"]})},
                            label="v3")
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE checklist_progress")
    con.close()

    reopened = Store(path)

    assert reopened.read_checklist().empty
    reopened.set_checklist_item("goals.sponsor", True)
    assert reopened.read_checklist()["done"].tolist() == [True]
