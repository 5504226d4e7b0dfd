"""Follow-up cases in the store: opened once per response, worked, closed, kept."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from pfcrm_core import schema
from pfcrm_core.i18n import translate
from pfcrm_core.store import Store
from pfcrm_core.store.cases import CaseError


def _proposals(*response_ids):
    return pd.DataFrame({
        "client_id": [f"C{r}" for r in response_ids],
        "response_id": list(response_ids),
        "due_at": [pd.Timestamp("2026-03-09")] * len(response_ids),
        "owner": ["Li Wei"] * len(response_ids),
        "triggers": ["nps"] * len(response_ids),
    })


def test_open_cases_once_per_response(store):
    first = store.open_cases(_proposals("R1", "R2"))
    second = store.open_cases(_proposals("R2", "R3"))

    cases = store.read_cases()

    assert first == 2
    assert second == 1
    assert sorted(cases["response_id"]) == ["R1", "R2", "R3"]
    assert set(cases["status"]) == {"open"}


def test_contact_sets_first_contact_once(store):
    store.open_cases(_proposals("R1"))
    first = datetime(2026, 3, 3, 10, 0)

    store.record_case_event(1, "contact", note="Called the CFO", author="Li Wei", at=first)
    store.record_case_event(1, "contact", note="Follow-up call", at=datetime(2026, 3, 5))

    case = store.read_cases().iloc[0]
    assert case["first_contact_at"] == pd.Timestamp(first)
    assert len(store.read_case_events(1)) == 3


def test_status_and_escalation(store):
    store.open_cases(_proposals("R1"))

    store.record_case_event(1, "status", status="in progress")
    store.record_case_event(1, "escalated", note="Overdue")

    case = store.read_cases().iloc[0]
    assert case["status"] == "in progress"
    assert pd.notna(case["escalated_at"])


def test_close_case_records_outcome(store):
    store.open_cases(_proposals("R1"))

    store.close_case(1, root_cause="credit_process", resolved=True,
                     action_taken="Cut approval steps from 5 to 3", client_informed=True)

    case = store.read_cases().iloc[0]
    assert case["status"] == "closed"
    assert case["root_cause"] == "credit_process"
    assert bool(case["resolved"])
    assert bool(case["client_informed"])
    assert store.read_case_events(1)["kind"].tolist() == ["opened", "closed"]


def test_closed_case_rejects_events(store):
    store.open_cases(_proposals("R1"))
    store.close_case(1, root_cause="pricing", resolved=False)

    with pytest.raises(CaseError, match="Case 1 is closed"):
        store.record_case_event(1, "note", note="late")
    with pytest.raises(CaseError, match="Case 1 is closed"):
        store.close_case(1, root_cause="pricing", resolved=True)


def test_unknown_case_is_rejected(store):
    with pytest.raises(CaseError, match="Case 9 was not found"):
        store.record_case_event(9, "note", note="x")


def test_close_needs_root_cause(store):
    store.open_cases(_proposals("R1"))

    with pytest.raises(CaseError, match="needs a root cause"):
        store.close_case(1, root_cause="", resolved=True)


@pytest.mark.parametrize("kind, status, message", [
    ("closed", None, "cannot be recorded on a case"),
    ("opened", None, "cannot be recorded on a case"),
    ("status", "closed", "is not allowed here"),
    ("status", "done", "is not allowed here"),
])
def test_invalid_event_is_rejected(store, kind, status, message):
    store.open_cases(_proposals("R1"))

    with pytest.raises(CaseError, match=message):
        store.record_case_event(1, kind, status=status)


def test_cases_survive_reopening(store):
    store.open_cases(_proposals("R1"))
    store.record_case_event(1, "note", note="用户说审批太慢 <b>urgent</b>")

    reopened = Store(store.path)

    events = reopened.read_case_events(1)
    assert events["note"].tolist()[-1] == "用户说审批太慢 <b>urgent</b>"


def test_version_one_file_gains_case_tables(tmp_path):
    path = tmp_path / "v1.duckdb"
    Store(path).replace_all({"clients": pd.DataFrame({"client_id": ["A"]})}, label="v1")
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE cases")
    con.execute("DROP TABLE case_events")
    con.execute("UPDATE schema_meta SET value = '1' WHERE key = 'version'")
    con.close()

    migrated = Store(path)

    assert migrated.schema_version() == schema.SCHEMA_VERSION
    assert migrated.read_cases().empty
    assert migrated.read_table("clients")["client_id"].tolist() == ["A"]


def test_case_errors_are_translated(store):
    store.open_cases(_proposals("R1"))

    with pytest.raises(CaseError) as caught:
        store.record_case_event(9, "note")

    assert caught.value.key == "cases.error.unknown"
    assert translate(caught.value.key, "zh", **caught.value.values) == "未找到案例 9；请从列表中选择案例。"
