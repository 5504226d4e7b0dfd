"""Notes about how a file was read: unit multipliers, formula cells without a saved
value, totals rows, in the app's plan and in the command line report."""

from __future__ import annotations

import openpyxl
import pytest

from pfcrm_core.ingest import commit_import, prepare_import
from pfcrm_core.store import Store


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "store.duckdb", busy_timeout=1.0)
    clients = "client_id,name\nTS-0001,One\nTS-0002,Two\n".encode()
    commit_import(prepare_import(clients, "clients", store, file_name="c.csv"), store)
    return store


def test_scale_stated_per_money_column(store, xlsx):
    rows = [["2024年交易台账（单位：万元）"],
            ["交易编号", "客户编号", "金额（万元）", "手续费", "利差(bp)"],
            ["TD-1", "TS-0001", "50,000", "1,200", "120"],
            ["合计", None, "50000", None, None]]
    plan = prepare_import(xlsx({"交易": rows}), "deals", store)

    assert plan.accepted["amount"].tolist() == [5e8]
    assert plan.accepted["fee_income"].tolist() == [1.2e7]
    scaled = next(n for n in plan.notes if n.code == "amounts_scaled")
    assert scaled.message("en").endswith(
        "金额（万元） × 10,000; 手续费 × 10,000 from the sheet's unit line")
    assert "手续费 × 10,000（依据表格上方的单位行）" in scaled.message("zh")
    totals = [n.row for n in plan.notes if n.code == "total_row"]
    assert totals == [4]


def test_no_scale_note_without_units(store):
    content = "deal_id,client_id,amount\nD1,TS-0001,100\n".encode()
    plan = prepare_import(content, "deals", store, file_name="d.csv")

    assert not any(n.code == "amounts_scaled" for n in plan.notes)


def test_uncached_formula_cells_named(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["client_id", "name", "client_type"])
    sheet.append(["TX-1", '=HYPERLINK("http://x","y")', "bank"])
    sheet.append(["TX-2", "Plain", "bank"])
    sheet.append(["TX-3", "=A4&\" Ltd\"", "bank"])
    sheet.append(["合计", "=COUNTA(B2:B4)", None])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    plan = prepare_import(path, "clients", store)

    notes = [n for n in plan.notes if n.code == "formulas_uncached"]
    assert len(notes) == 1
    assert notes[0].params["cells"] == "B2, B4"
    assert "read as empty: B2, B4" in notes[0].message("en")
    assert "已按空值读取：B2, B4" in notes[0].message("zh")
    assert plan.accepted["name"].isna().tolist() == [True, False, True]


def test_encoding_guess_reaches_upload_notes(store):
    content = "客户编号,客户名称\nA,甲银行\n".encode("gbk")
    plan = prepare_import(content, "clients", store, file_name="客户.csv")

    assert [n.code for n in plan.notes] == ["encoding_guessed"]
