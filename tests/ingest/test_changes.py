"""Comparing imported rows with stored rows, and loading known ids, through a Store."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.ingest import ReferenceIndex, import_file
from pfcrm_core.ingest.changes import columns_equal
from pfcrm_core.store import Store

CLIENTS = pd.DataFrame({"client_id": ["C1", "C2"], "name": ["Alpha Bank", "Beta Fund"]})
PROJECTS = pd.DataFrame({"project_id": ["P1"], "name": ["Solar One"]})
CREDIT = pd.DataFrame({
    "client_id": ["C1", "C1", "C2"],
    "as_of": [dt.date(2023, 12, 31), dt.date(2024, 6, 30), dt.date(2024, 6, 30)],
    "rating": ["BBB", "BBB-", "A"],
    "pd": [0.012, 0.015, 0.004],
    "ead": [1_000_000.0, 1_250_000.0, None],
    "defaulted": [False, False, None],
})


@pytest.fixture
def filled(tmp_path) -> Store:
    store = Store(tmp_path / "filled.duckdb", busy_timeout=1.0)
    store.replace_all({"clients": CLIENTS, "projects": PROJECTS, "credit": CREDIT},
                      label="change tests")
    return store


def test_reference_index_from_store(filled):
    index = ReferenceIndex.from_store(filled)

    assert index.ids["clients"] == {"C1", "C2"}
    assert index.ids["projects"] == {"P1"}
    assert index.names["clients"]["alpha bank"] == {"C1"}


def test_reference_index_from_empty_store(tmp_path):
    index = ReferenceIndex.from_store(Store(tmp_path / "empty.duckdb"))

    assert index.knows("clients")
    assert index.ids["clients"] == set()


def test_credit_rows_compared_on_date_key(filled, tmp_path):
    path = tmp_path / "credit.csv"
    path.write_text(
        "client_id,as_of,rating,pd,ead,defaulted\n"
        "C1,2023-12-31,BBB,1.2%,\"1,000,000\",no\n"          # equal, pd as percent
        "C1,2024年6月30日,BBB-,0.015,1250000.0000000001,否\n"  # equal within 1e-9
        "C2,2024/06/30,A,0.004,,\n"                          # equal, missing both
        "C2,2024-12-31,A,0.004,,\n"                          # new key
        "C1,2022-12-31,BBB,0.013,1000000,no\n",             # new date, same client
        encoding="utf-8")
    part = import_file(path, store=filled).tables[0]

    assert dict(part.status) == {2: "unchanged", 3: "unchanged", 4: "unchanged",
                                 5: "new", 6: "new"}


def test_changed_value_in_each_kind(filled, tmp_path):
    path = tmp_path / "credit.csv"
    path.write_text(
        "client_id,as_of,rating,pd,ead,defaulted\n"
        "C1,2023-12-31,BBB+,0.012,1000000,no\n"     # text differs
        "C1,2024-06-30,BBB-,0.016,1250000,no\n"     # share differs
        "C2,2024-06-30,A,0.004,5,\n",               # money missing in store
        encoding="utf-8")
    part = import_file(path, store=filled).tables[0]

    assert dict(part.status) == {2: "changed", 3: "changed", 4: "changed"}


def test_boolean_change_detected(filled, tmp_path):
    path = tmp_path / "credit.csv"
    path.write_text("client_id,as_of,defaulted\nC1,2023-12-31,yes\n"
                    "C1,2024-06-30,no\n", encoding="utf-8")
    part = import_file(path, store=filled).tables[0]

    assert dict(part.status) == {2: "changed", 3: "unchanged"}


def test_columns_missing_from_file_not_compared(filled, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("client_id,country\nC1,\nC3,Chile\n", encoding="utf-8")
    part = import_file(path, table="clients", store=filled).tables[0]

    assert dict(part.status) == {2: "unchanged", 3: "new"}


@pytest.mark.parametrize("kind, new, old, expected", [
    ("money", [1.0, None, 2.0, 3.0], [1.0 + 1e-12, None, None, 3.1],
     [True, True, False, False]),
    ("integer", [7, None], [7.0, np.nan], [True, True]),
    ("date", [dt.date(2024, 1, 5), None, dt.date(2024, 1, 5)],
     [pd.Timestamp("2024-01-05"), pd.NaT, pd.Timestamp("2024-01-06")],
     [True, True, False]),
    ("bool", [True, None, False], [True, None, True], [True, True, False]),
    ("text", ["a", None, "b"], ["a", None, "B"], [True, True, False]),
])
def test_columns_equal_by_kind(kind, new, old, expected):
    result = columns_equal(pd.Series(new, dtype="object"),
                           pd.Series(old, dtype="object"), kind)

    assert result.tolist() == expected
