"""Rules and tasks in real DuckDB files: saving, dedupe, working, migration from v2."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from pfcrm_core import schema
from pfcrm_core.automation import STARTER_RULES, run_rules, stored_rules
from pfcrm_core.store import Store
from pfcrm_core.store.automation import TASK_COLUMNS, TaskError

RULE = {"rule_id": None, "name": "Quiet client",
        "conditions": [{"fact": "days_since_contact", "operator": ">=", "value": 90.0}],
        "owner": "relationship manager", "due_days": 14, "priority": "high",
        "reason": "{client_name}", "enabled": True}


def _proposals(*pairs) -> pd.DataFrame:
    return pd.DataFrame({
        "rule_id": [rule_id for rule_id, _ in pairs],
        "rule_name": ["Quiet client"] * len(pairs),
        "client_id": [client for _, client in pairs],
        "title": [f"Call {client}" for _, client in pairs],
        "reason": ["quiet"] * len(pairs),
        "owner": ["Ann"] * len(pairs),
        "due_at": [date(2026, 10, 14)] * len(pairs),
        "priority": ["high"] * len(pairs),
    })


def test_save_update_and_read_rule(store):
    rule_id = store.save_rule(RULE)
    store.save_rule({**RULE, "rule_id": rule_id, "due_days": 7})
    rules = store.read_rules()
    assert list(rules["rule_id"]) == [rule_id]
    assert rules.loc[0, "due_days"] == 7
    assert rules.loc[0, "conditions"] == RULE["conditions"]


def test_duplicate_name_rejected(store):
    store.save_rule(RULE)
    with pytest.raises(TaskError, match="A rule named 'quiet CLIENT' already exists"):
        store.save_rule({**RULE, "name": "quiet CLIENT"})


def test_unknown_rule_rejected(store):
    with pytest.raises(TaskError, match="Rule 42 was not found"):
        store.save_rule({**RULE, "rule_id": 42})
    with pytest.raises(TaskError, match="Rule 42 was not found"):
        store.delete_rule(42)


def test_enable_and_delete_keep_tasks(store):
    rule_id = store.save_rule(RULE)
    store.set_rule_enabled(rule_id, False)
    assert not bool(store.read_rules().loc[0, "enabled"])
    store.create_tasks(_proposals((rule_id, "C-1")))
    store.save_rule({**RULE, "rule_id": rule_id, "name": "Renamed"})
    assert store.read_tasks().loc[0, "rule_name"] == "Renamed"
    store.delete_rule(rule_id)
    tasks = store.read_tasks()
    assert len(tasks) == 1
    assert tasks.loc[0, "rule_name"] == "Quiet client"


def test_create_tasks_dedupes_open_tasks(store):
    first = store.create_tasks(_proposals((1, "C-1"), (1, "C-2"), (1, "C-1")),
                               as_of=date(2026, 9, 30))
    assert list(first["created"]) == [True, True, False]
    second = store.create_tasks(_proposals((1, "C-1"), (2, "C-1")))
    assert list(second["created"]) == [False, True]
    assert len(store.read_tasks()) == 3


def test_done_task_allows_a_new_one(store):
    store.create_tasks(_proposals((1, "C-1")))
    task_id = int(store.read_tasks().loc[0, "task_id"])
    store.close_task(task_id, note="called")
    again = store.create_tasks(_proposals((1, "C-1")))
    assert list(again["created"]) == [True]
    assert list(store.read_tasks(status="open")["client_id"]) == ["C-1"]


def test_dry_run_writes_nothing(store):
    outcome = store.create_tasks(_proposals((1, "C-1")), dry_run=True)
    assert list(outcome["created"]) == [True]
    assert store.read_tasks().empty


def test_read_tasks_contract_and_filters(store):
    store.create_tasks(_proposals((1, "C-1"), (1, "C-2")))
    tasks = store.read_tasks()
    assert list(tasks.columns) == TASK_COLUMNS
    assert list(store.read_tasks(client_id="C-2")["client_id"]) == ["C-2"]
    assert store.read_tasks(status="done").empty
    with pytest.raises(TaskError, match="Task status 'closed' is invalid.*done"):
        store.read_tasks(status="closed")


def test_work_and_close_task(store):
    store.create_tasks(_proposals((1, "C-1")))
    task_id = int(store.read_tasks().loc[0, "task_id"])
    store.update_task(task_id, status="in progress", owner="Bob", note="left message")
    task = store.read_tasks().iloc[0]
    assert task["status"] == "in progress"
    assert task["owner"] == "Bob"
    assert task["note"] == "left message"
    assert pd.isna(task["closed_at"])

    store.close_task(task_id, note="met client", at=datetime(2026, 10, 2, 9, 0))
    task = store.read_tasks().iloc[0]
    assert task["status"] == "done"
    assert task["closed_at"] == pd.Timestamp("2026-10-02 09:00")
    events = store.read_task_events(task_id)
    assert list(events["status"]) == ["open", "in progress", "done"]


def test_closed_and_missing_tasks_rejected(store):
    store.create_tasks(_proposals((1, "C-1")))
    store.close_task(1)
    with pytest.raises(TaskError, match="Task 1 is already done"):
        store.update_task(1, note="late")
    with pytest.raises(TaskError, match="Task 9 was not found"):
        store.close_task(9)
    with pytest.raises(TaskError, match="Task status 'waiting' is invalid"):
        store.update_task(1, status="waiting")


def test_starter_rules_seeded_once(store):
    assert len(stored_rules(store)) == len(STARTER_RULES)
    for rule_id in store.read_rules()["rule_id"]:
        store.delete_rule(int(rule_id))
    assert stored_rules(store) == []


def test_version_2_file_migrates_to_3(tmp_path):
    path = tmp_path / "v2.duckdb"
    Store(path).open_cases(pd.DataFrame({"client_id": ["C-1"], "response_id": ["S-1"],
                                         "due_at": [date(2026, 10, 1)]}))
    with duckdb.connect(str(path)) as con:
        for table in ("task_events", "tasks", "automation_rules"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE schema_meta SET value = '2' WHERE key = 'version'")

    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION == 3
    assert list(store.read_cases()["response_id"]) == ["S-1"]
    rule_id = store.save_rule(RULE)
    assert list(store.read_rules()["rule_id"]) == [rule_id]
    assert store.read_tasks().empty


def test_version_3_file_without_tables_gets_them(tmp_path):
    path = tmp_path / "early3.duckdb"
    Store(path).schema_version()
    with duckdb.connect(str(path)) as con:
        for table in ("task_events", "tasks", "automation_rules"):
            con.execute(f"DROP TABLE {table}")
    assert Store(path).read_tasks().empty


def test_starters_seeded_in_first_language(store):
    rules = stored_rules(store, "zh")

    assert [rule.name for rule in rules][:2] == ["价值前五分之一且 90 天未联系的客户", "评级下调"]
    assert "{client_name}" in rules[0].reason
    assert [rule.name for rule in stored_rules(store, "en")] == [r.name for r in rules]


def test_due_dates_count_from_the_run_day(demo_copy):
    store = Store(demo_copy)

    run_rules(store, date(2026, 9, 30), today=date(2026, 12, 4))

    tasks = store.read_tasks()
    rules = {rule.rule_id: rule for rule in stored_rules(store)}
    expected = [date(2026, 12, 4) + timedelta(days=rules[r].due_days)
                for r in tasks["rule_id"]]
    assert [pd.Timestamp(d).date() for d in tasks["due_at"]] == expected
