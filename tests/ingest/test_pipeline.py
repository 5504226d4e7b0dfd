"""End-to-end imports of workbooks laid out as analysts lay them out."""

from __future__ import annotations

import datetime as dt
import pandas as pd
import pytest

from pfcrm_core.errors import ImportRejected
from pfcrm_core.ingest import import_file
from pfcrm_core.store import Store

CLIENT_ROWS = [
    ["2024年客户名单"],
    ["单位：万元", None, None, "制表日期：2024-03-31"],
    [],
    ["客户编号", "客户名称", "客户类型", "行业", "建立关系日期", "客户经理"],
    ["C001", "国家开发银行", "政策性银行", "金融", "2015年3月1日", "张伟"],
    [1002, "华能国际", "发起人", "电力", dt.datetime(2018, 6, 30), "李娜"],
    ["C003 ", "中国电建", "EPC", "建筑", "2019/11/5", "王芳"],
    ["C004", "某市人民政府", "政府部门", "公共", "20200115", None],
    ["合计", None, None, None, None, None],
    ["注：客户类型按内部分类。"],
]

DEAL_ROWS = [
    ["交易清单"],
    ["交易编号", "客户名称", "金额", None, "利差（bp）", "签约日期", "到期日"],
    [None, None, "授信金额（万元）", "币种", None, None, None],
    ["D-1", "国家开发银行", "12,000", "人民币", 180, "2023-01-15", "2038-01-15"],
    ["D-2", "华能国际", 3500.5, "美元", "2.1%", "2023-02-01", "2033-02-01"],
    ["D-3", "不存在的公司", 100, "CNY", 150, "2023-03-01", "2030-03-01"],
    ["D-4", "C003", "-50", "CNY", 150, "2023-04-01", "#REF!"],
    ["小计", None, "15,550.5", None, None, None, None],
]


def test_workbook_two_sheets_reads_clients_and_deals(xlsx):
    path = xlsx({"客户": CLIENT_ROWS, "交易": DEAL_ROWS},
                merged={"交易": ["C2:D2"]})
    plan = import_file(path)

    assert plan.table_names == ["clients", "deals"]
    clients = plan.tables[0]
    assert clients.header_row == 4
    assert clients.rows_read == 4
    frame = clients.frame
    assert list(frame.index) == [5, 6, 7, 8]
    assert list(frame["client_id"]) == ["C001", "1002", "C003", "C004"]
    assert list(frame["client_type"]) == ["bank", "sponsor", "contractor",
                                           "government"]
    assert frame.at[5, "relationship_since"] == dt.date(2015, 3, 1)
    assert frame.at[6, "relationship_since"] == dt.date(2018, 6, 30)
    assert frame.at[8, "relationship_since"] == dt.date(2020, 1, 15)
    codes = {(i.code, i.row) for i in clients.issues}
    assert ("total_row", 9) in codes
    assert ("note_row", 10) in codes


def test_deals_resolve_names_units_and_reject_bad_rows(xlsx):
    path = xlsx({"客户": CLIENT_ROWS, "交易": DEAL_ROWS},
                merged={"交易": ["C2:D2"]})
    deals = import_file(path).tables[1]

    assert deals.header_row == 3
    frame = deals.frame
    assert list(frame.index) == [4, 5]
    assert list(frame["client_id"]) == ["C001", "1002"]
    assert frame.at[4, "amount"] == pytest.approx(120_000_000)
    assert frame.at[5, "amount"] == pytest.approx(35_005_000)
    assert list(frame["currency"]) == ["cny", "usd"]
    assert frame.at[4, "margin_bps"] == pytest.approx(180)
    assert frame.at[5, "margin_bps"] == pytest.approx(210)
    errors = {(i.code, i.row) for i in deals.issues if i.is_error}
    assert errors == {("unknown_reference", 6), ("below_minimum", 7),
                      ("formula_error", 7)}
    assert deals.rows_rejected == 2


def test_messages_in_chinese_name_location(xlsx):
    path = xlsx({"客户": CLIENT_ROWS, "交易": DEAL_ROWS})
    plan = import_file(path)
    unknown = next(i for i in plan.errors if i.code == "unknown_reference")

    message = unknown.message("zh")
    assert message.startswith("工作表 交易，第 6 行，列 客户名称")
    assert "不存在的公司" in message
    assert "不存在的公司" in unknown.message("en")


def test_raise_if_rejected_lists_each_error(xlsx):
    plan = import_file(xlsx({"客户": CLIENT_ROWS, "交易": DEAL_ROWS}))

    pattern = r"book\.xlsx was rejected; errors found: 3"
    with pytest.raises(ImportRejected, match=pattern) as caught:
        plan.raise_if_rejected()
    assert len(caught.value.problems) == 3
    assert any("#REF!" in p for p in caught.value.problems)


def test_csv_in_gbk_with_title_and_totals(tmp_path):
    text = ("收入明细\r\n"
            "客户编号,交易日期,收入金额（万元）,币种,收入类型\r\n"
            "C001,2024/1/5,\"1,200.50\",人民币,手续费\r\n"
            "C001,2024/1/5,\"1,200.50\",人民币,手续费\r\n"
            "C002,2024/2/5,80,美元,利息\r\n"
            "合计,,\"2,481.00\",,\r\n")
    path = tmp_path / "收入.csv"
    path.write_bytes(text.encode("gbk"))

    plan = import_file(path)
    revenue = plan.tables[0]
    assert revenue.table.name == "revenue"
    assert revenue.header_row == 2
    assert list(revenue.frame["amount"]) == pytest.approx([12_005_000, 12_005_000,
                                                           800_000])
    assert revenue.frame["txn_id"].nunique() == 3
    codes = [i.code for i in plan.warnings]
    assert "encoding_guessed" in codes
    assert "identical_rows_kept" in codes
    assert "total_row" in codes


def test_generated_ids_same_on_reimport(tmp_path):
    path = tmp_path / "revenue.csv"
    path.write_text("client id,date,amount\nC1,2024-01-05,10\nC1,2024-01-05,10\n",
                    encoding="utf-8")

    first = list(import_file(path).accepted("revenue")["txn_id"])
    second = list(import_file(path).accepted("revenue")["txn_id"])
    assert first == second
    assert first[0] != first[1]


def test_conflicting_keys_rejected_identical_skipped(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("client_id,name\nA,Alpha\nA,Alpha\nB,Beta\nB,Bravo\n",
                    encoding="utf-8")
    part = import_file(path).tables[0]

    assert list(part.frame["client_id"]) == ["A"]
    codes = {(i.code, i.row) for i in part.issues}
    assert ("duplicate_row", 3) in codes
    assert ("conflicting_key", 4) in codes
    assert ("conflicting_key", 5) in codes


def test_missing_required_column_rejects_sheet(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("deal id,amount,margin\nD1,100,150\n", encoding="utf-8")
    plan = import_file(path)

    assert plan.tables == []
    missing = [i for i in plan.errors if i.code == "missing_columns"]
    assert len(missing) == 1
    assert "client_id" in missing[0].message()


def test_unrecognised_file_reports_no_table(tmp_path):
    path = tmp_path / "misc.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    plan = import_file(path)

    assert [i.code for i in plan.errors] == ["no_table"]
    assert [i.code for i in plan.warnings] == ["sheet_unrecognised"]


def test_column_map_overrides_headers(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("代码,全称\nX1,Foo Bank\n", encoding="utf-8")
    plan = import_file(path, table="clients",
                       column_map={"代码": "client_id", "全称": "name"})

    assert plan.accepted("clients").loc[0, "name"] == "Foo Bank"
    assert plan.accepted("clients").loc[0, "client_id"] == "X1"


def test_unknown_table_name_raises(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("client_id\nA\n", encoding="utf-8")
    with pytest.raises(KeyError, match="unknown table 'deal'"):
        import_file(path, table="deal")


def test_hidden_sheet_skipped_unless_named(xlsx):
    path = xlsx({"客户": CLIENT_ROWS, "lists": [["客户编号"], ["Z9"]]},
                hidden=("lists",))
    plan = import_file(path)
    assert [p.sheet for p in plan.tables] == ["客户"]
    assert any(i.code == "sheet_hidden" and i.sheet == "lists" for i in plan.warnings)

    named = import_file(path, sheets=["lists"], table="clients")
    assert list(named.accepted("clients")["client_id"]) == ["Z9"]


def test_missing_sheet_name_raises(xlsx):
    path = xlsx({"客户": CLIENT_ROWS})
    with pytest.raises(KeyError, match="sheet 'deals' is not in book.xlsx"):
        import_file(path, sheets=["deals"])


def _store(tmp_path) -> Store:
    """Create a store with four clients, two of them with one name."""
    store = Store(tmp_path / "pfcrm.duckdb", busy_timeout=1.0)
    clients = pd.DataFrame({
        "client_id": ["C001", "C009", "C010", "C011"],
        "name": ["国家开发银行", "亚洲开发银行", "同名公司", "同名公司"],
        "client_type": ["bank", "bank", "bank", "sponsor"],
    })
    store.replace_all({"clients": clients}, label="four clients")
    return store


def test_references_checked_against_database(tmp_path):
    store = _store(tmp_path)
    path = tmp_path / "deals.csv"
    path.write_text("deal id,client,amount\nD1,亚洲开发银行,5\nD2,C001,6\n"
                    "D3,同名公司,7\nD4,C404,8\n", encoding="utf-8")
    part = import_file(path, store=store).tables[0]

    assert list(part.frame["client_id"]) == ["C009", "C001"]
    errors = {(i.code, i.row) for i in part.issues if i.is_error}
    assert errors == {("ambiguous_name", 4), ("unknown_reference", 5)}
    assert part.counts == {"new": 2}


def test_changes_classified_against_database(tmp_path):
    store = _store(tmp_path)
    path = tmp_path / "clients.csv"
    path.write_text("client id,name,type\nC001,国家开发银行,bank\n"
                    "C009,亚洲开发银行,investor\nC100,New Co,sponsor\n",
                    encoding="utf-8")
    part = import_file(path, store=store).tables[0]

    assert dict(part.status) == {2: "unchanged", 3: "changed", 4: "new"}
    assert part.counts == {"unchanged": 1, "changed": 1, "new": 1}


def test_names_rejected_without_known_clients(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("deal id,客户名称,amount\nD1,华能国际,5\n", encoding="utf-8")
    part = import_file(path).tables[0]

    assert part.frame.empty
    assert [i.code for i in part.issues] == ["unknown_reference"]


def test_repeated_header_and_currency_conflict(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,client_id,amount,currency\n"
                    "D1,C1,USD 5m,\n"
                    "deal_id,client_id,amount,currency\n"
                    "D2,C1,¥300,usd\n"
                    "D3,C1,400,eur\n", encoding="utf-8")
    part = import_file(path).tables[0]

    assert list(part.frame["currency"]) == ["usd", "eur"]
    assert part.frame.iloc[0]["amount"] == pytest.approx(5_000_000)
    codes = {(i.code, i.row) for i in part.issues}
    assert ("repeated_header", 3) in codes
    assert ("currency_conflict", 4) in codes


def test_header_currency_fills_missing_column(tmp_path):
    path = tmp_path / "revenue.csv"
    path.write_text("客户编号,日期,收入（美元）\nC1,2024-01-31,100\n", encoding="utf-8")
    frame = import_file(path).accepted("revenue")

    assert frame.loc[0, "currency"] == "usd"
    assert frame.loc[0, "amount"] == pytest.approx(100)


def test_plan_report_and_chinese_message(tmp_path):
    good = tmp_path / "clients.csv"
    good.write_text("client_id,name\nA,Alpha\n", encoding="utf-8")
    bad = tmp_path / "deals.csv"
    bad.write_text("deal_id,client_id,amount\nD1,A,abc\n", encoding="utf-8")
    report = import_file(good).to_dict()
    [error] = import_file(bad).errors

    assert report["tables"][0]["table"] == "clients"
    assert report["tables"][0]["columns"] == {"client_id": "client_id",
                                              "name": "name"}
    assert report["issues"] == []
    assert "“abc”不是数字" in error.message("zh")
