"""The one-table upload flow against a real store, and the templates."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pfcrm_core.errors import ImportRejected
from pfcrm_core.ingest import (commit_import, import_file, prepare_import,
                               template_csv, template_xlsx)
from pfcrm_core.ingest.headers import HeaderIndex
from pfcrm_core.schema import LOAD_ORDER, get_table
from pfcrm_core.store import Store

CLIENTS = "客户编号,客户名称,客户类型\nK-1,Kestrel Bank,银行\nK-2,Harbour Fund,投资人\n"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store.duckdb", busy_timeout=1.0)


def test_prepare_and_commit_new_rows(store):
    plan = prepare_import(CLIENTS.encode("gbk"), "clients", store,
                          file_name="客户.csv")

    assert plan.file_type == "csv"
    assert plan.encoding == "gb18030"
    assert plan.header_row == 1
    assert plan.mapping == {0: "client_id", 1: "name", 2: "client_type"}
    assert len(plan.inserts) == 2
    result = commit_import(plan, store)
    assert result.inserted == 2
    assert result.import_id is not None
    stored = store.read_table("clients")
    assert list(stored["client_type"]) == ["bank", "investor"]


def test_reimport_unchanged_then_update(store):
    commit_import(prepare_import(CLIENTS.encode(), "clients", store,
                                 file_name="a.csv"), store)
    again = prepare_import(CLIENTS.encode(), "clients", store, file_name="a.csv")
    assert again.unchanged == 2
    assert again.inserts.empty

    changed = CLIENTS.replace("Harbour Fund", "Harbour Capital")
    plan = prepare_import(changed.encode(), "clients", store, file_name="b.csv")
    assert len(plan.updates) == 1
    updates = plan.updates_frame("en")
    assert updates.to_dict("records") == [{"Key": "K-2", "Column": "name",
                                           "Stored value": "Harbour Fund",
                                           "New value": "Harbour Capital"}]
    with pytest.raises(ImportRejected,
                       match=r"would replace stored rows with other values: 1 \(K-2\)"):
        commit_import(plan, store)
    assert commit_import(plan, store, confirm_updates=True).updated == 1
    assert store.read_table("clients")["name"].tolist()[1] == "Harbour Capital"


def test_problems_reject_unless_skipped(store):
    bad = CLIENTS + "K-3,Odd Co,spaceship\n"
    plan = prepare_import(bad.encode(), "clients", store, file_name="bad.csv")

    frame = plan.problems_frame("en")
    assert frame.loc[0, "Row"] == 4
    assert frame.loc[0, "Value"] == "spaceship"
    with pytest.raises(ImportRejected, match="bad.csv was rejected; errors found: 1"):
        commit_import(plan, store)
    assert store.row_counts()["clients"] == 0
    result = commit_import(plan, store, skip_invalid=True)
    assert result.inserted == 2
    assert result.skipped == 1


def test_header_row_and_mapping_overrides(store):
    content = "report\ncode,title\nK-9,Nine\n".encode()
    plan = prepare_import(content, "clients", store, file_name="x.csv")
    assert plan.problems[0].code == "sheet_unrecognised"

    plan = prepare_import(content, "clients", store, file_name="x.csv",
                          header_row=2, mapping={0: "client_id", 1: "name"})
    assert plan.source_columns == [(0, "code"), (1, "title")]
    assert plan.accepted.loc[0, "name"] == "Nine"


def test_deals_reference_store_clients_by_name(store):
    commit_import(prepare_import(CLIENTS.encode(), "clients", store,
                                 file_name="c.csv"), store)
    deals = "交易编号,客户名称,金额（万元）\nD1,Kestrel Bank,12\n".encode()
    plan = prepare_import(deals, "deals", store, file_name="d.csv")

    assert plan.accepted.loc[0, "client_id"] == "K-1"
    assert plan.accepted.loc[0, "amount"] == pytest.approx(120_000)


@pytest.mark.parametrize("name", LOAD_ORDER)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_template_headers_map_back(name, lang):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(name, lang)))
    headers = [cell.value for cell in book.active[1]]
    matches = HeaderIndex(get_table(name)).match(headers)

    assert [m.column.name for m in matches] == get_table(name).column_names


def test_csv_template_imports_back(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_bytes(template_csv("deals") + b"D1,C1,,,5,,,,,\r\n")
    plan = import_file(path)

    assert plan.tables[0].table.name == "deals"
    assert plan.accepted("deals").loc[0, "amount"] == 5
