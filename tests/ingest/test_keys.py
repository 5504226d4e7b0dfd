"""Generated row ids and repeated keys across the sheets of one import."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pfcrm_core.ingest import import_file
from pfcrm_core.ingest.convert import FRAME_DTYPES
from pfcrm_core.ingest.keys import fill_generated_keys, find_duplicate_keys
from pfcrm_core.schema import get_table


def _frame(table_name: str, rows: list[dict], first_row: int = 2) -> pd.DataFrame:
    """Build a frame as ``convert_sheet`` does: schema columns and dtypes."""
    table = get_table(table_name)
    data = {c.name: pd.Series([r.get(c.name) for r in rows],
                              dtype=FRAME_DTYPES[c.kind]) for c in table.columns}
    frame = pd.DataFrame(data)
    frame.index = pd.Index(range(first_row, first_row + len(rows)), name="row")
    return frame


def test_generated_ids_stable_across_versions(tmp_path):
    # Ids of rows already stored must not change, or importing the same file again
    # would add its rows a second time. So these values are fixed.
    path = tmp_path / "revenue.csv"
    path.write_text("client_id,date,amount,currency,kind\n"
                    "C1,2024-01-05,10,usd,fee\n"
                    "C1,2024-01-05,10,usd,fee\n"
                    "C2,2024年1月6日,\"1,234.5\",,\n"
                    "C3,2024/1/7,0.1,cny,interest\n", encoding="utf-8")
    ids = list(import_file(path).accepted("revenue")["txn_id"])

    assert ids == ["r-66da7b8e849981a0", "r-e72dadd977accf61", "r-6c1d0d599545ec8c",
                   "r-3d7c1218f4b3a6f7"]


def test_generated_ids_integer_and_quoted_text(tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text('client_id,date,nps,csat,comment\nC1,2024-01-05,9,5,好\n'
                    'C1,2024-01-05,,3,"a ""q"""\n', encoding="utf-8")
    ids = list(import_file(path, table="feedback").accepted("feedback")["response_id"])

    assert ids == ["f-d6a8df867075c000", "f-19ac3972b91bce25"]


def test_generated_ids_tell_signed_zero_apart():
    frame = _frame("revenue", [
        {"client_id": "C1", "date": dt.date(2024, 1, 5), "amount": -0.0},
        {"client_id": "C1", "date": dt.date(2024, 1, 5), "amount": 0.0},
    ])
    repeats = fill_generated_keys(get_table("revenue"), frame)

    assert repeats == 0
    assert frame.loc[2, "txn_id"] != frame.loc[3, "txn_id"]


def test_generated_ids_keep_given_ids():
    frame = _frame("revenue", [
        {"txn_id": "T-1", "client_id": "C1", "date": dt.date(2024, 1, 5),
         "amount": 5.0},
        {"client_id": "C1", "date": dt.date(2024, 1, 5), "amount": 5.0},
        {"client_id": "C1", "date": dt.date(2024, 1, 5), "amount": 5.0},
    ])
    repeats = fill_generated_keys(get_table("revenue"), frame)

    assert frame.loc[2, "txn_id"] == "T-1"
    assert frame.loc[3, "txn_id"].startswith("r-")
    assert frame.loc[3, "txn_id"] != frame.loc[4, "txn_id"]
    assert repeats == 2


def test_duplicate_keys_across_sheets():
    table = get_table("clients")
    first = _frame("clients", [{"client_id": "A", "name": "Alpha"},
                               {"client_id": "B", "name": "Beta"},
                               {"client_id": "C", "name": "Gamma"}])
    second = _frame("clients", [{"client_id": "A", "name": "Alpha"},
                                {"client_id": "B", "name": "Bravo"},
                                {"client_id": "D", "name": "Delta"}], first_row=10)
    rejected = {"one": set(), "two": set()}
    issues = find_duplicate_keys(table, [("one", first), ("two", second)], rejected)

    found = [(i.code, i.sheet, i.row) for i in issues]
    assert found == [("duplicate_row", "two", 10), ("conflicting_key", "one", 3),
                     ("conflicting_key", "two", 11)]
    assert (issues[0].column, issues[0].value) == ("client_id", "A")
    assert issues[0].params == {"first": 2}
    assert (issues[1].column, issues[1].value) == ("client_id", "B")
    assert issues[1].params == {"rows": "3, 11"}
    assert rejected == {"one": {3}, "two": {10, 11}}


def test_duplicate_keys_include_rejected_rows():
    table = get_table("clients")
    frame = _frame("clients", [{"client_id": "A", "name": "Alpha"},
                               {"client_id": "A", "name": "Other"},
                               {"client_id": None, "name": "No id"},
                               {"client_id": None, "name": "No id"}])
    rejected = {"s": {3}}
    issues = find_duplicate_keys(table, [("s", frame)], rejected,
                                 {"s": {"client_id": "客户编号"}})

    found = [(i.code, i.row, i.column, i.value) for i in issues]
    assert found == [("conflicting_key", 2, "客户编号", "A"),
                     ("conflicting_key", 3, "客户编号", "A")]
    assert rejected == {"s": {2, 3}}
