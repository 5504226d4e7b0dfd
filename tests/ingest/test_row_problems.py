"""Every problem of a row at once: duplicate keys, dates in the wrong order,
conversion, range, required and reference problems, sorted by row and column."""

from __future__ import annotations

import pytest

from pfcrm_core.errors import ImportRejected
from pfcrm_core.ingest import check_import, commit_import, prepare_import
from pfcrm_core.ingest.issues import Issue, sort_issues
from pfcrm_core.store import Store

DEALS_HEADER = ("deal_id,client_id,project_id,role,amount,currency,start_date,"
                "maturity_date,margin_bps,fee_income\n")


@pytest.fixture
def store(tmp_path):
    """A store that contains clients TS-0001 and TS-0002 and project P-0001."""
    store = Store(tmp_path / "store.duckdb", busy_timeout=1.0)
    clients = "client_id,name,client_type\nTS-0001,One,bank\nTS-0002,Two,bank\n"
    commit_import(prepare_import(clients.encode(), "clients", store,
                                 file_name="c.csv"), store)
    projects = "project_id,name\nP-0001,Wind farm\n"
    commit_import(prepare_import(projects.encode(), "projects", store,
                                 file_name="p.csv"), store)
    return store


def test_duplicate_client_id_names_rows_column_value(store):
    content = ("client_id,name,client_type\n"
               "TD-1,Dup A,bank\nTD-1,Dup B,bank\nTD-2,Fine,bank\n").encode()
    plan = prepare_import(content, "clients", store, file_name="dupes.csv")

    found = [(p.code, p.row, p.column, p.value) for p in plan.problems]
    assert found == [("conflicting_key", 2, "client_id", "TD-1"),
                     ("conflicting_key", 3, "client_id", "TD-1")]
    english = plan.problems[0].message("en")
    assert "row 2" in english
    assert 'client_id "TD-1" appears in rows 2, 3' in english
    chinese = plan.problems[1].message("zh")
    assert "第 3 行" in chinese
    assert "client_id“TD-1”出现在第 2, 3 行" in chinese


def test_duplicate_deal_id_with_chinese_header(store):
    content = ("交易编号,客户编号,金额\nTE-2,TS-0001,100\nTE-2,TS-0002,200\n"
               "TE-3,TS-0001,5\n").encode("gbk")
    plan = prepare_import(content, "deals", store, file_name="交易.csv")

    messages = [p.message("zh") for p in plan.problems]
    assert [p.row for p in plan.problems] == [2, 3]
    assert all("交易编号“TE-2”出现在第 2, 3 行" in m for m in messages)
    assert len(plan.inserts) == 1


def test_exact_duplicate_row_is_skipped_with_note(store):
    content = "client_id,name\nTD-1,Same\nTD-1,Same\n".encode()
    plan = prepare_import(content, "clients", store, file_name="same.csv")

    assert plan.problems == []
    notes = [n for n in plan.notes if n.code == "duplicate_row"]
    assert [(n.row, n.column, n.value) for n in notes] == [(3, "client_id", "TD-1")]
    assert 'repeats row 2 exactly (client_id "TD-1")' in notes[0].message("en")
    assert len(plan.inserts) == 1


def test_maturity_before_start_rejected(store):
    content = (DEALS_HEADER
               + "TE-1,TS-0001,P-0001,lender,100,USD,2024-05-01,2023-05-01,100,1\n"
               + "TE-2,TS-0001,P-0001,lender,100,USD,2024-05-01,2030-05-01,100,1\n")
    plan = prepare_import(content.encode(), "deals", store, file_name="d.csv")

    assert [(p.code, p.row, p.column, p.value) for p in plan.problems] == [
        ("date_before", 2, "maturity_date", "2023-05-01")]
    message = plan.problems[0].message("en")
    assert ("maturity_date 2023-05-01 is before start_date 2024-05-01"
            in message)
    assert "start_date 2024-05-01" in plan.problems[0].message("zh")
    assert plan.inserts["deal_id"].tolist() == ["TE-2"]
    with pytest.raises(ImportRejected, match="errors found: 1"):
        check_import(plan)


def test_equal_start_and_maturity_accepted(store):
    content = (DEALS_HEADER
               + "TE-1,TS-0001,P-0001,lender,100,USD,2024-05-01,2024-05-01,100,1\n")
    plan = prepare_import(content.encode(), "deals", store, file_name="d.csv")

    assert plan.problems == []


def test_every_problem_of_a_row_reported(store, xlsx):
    rows = [["2024年项目融资交易台账（单位：万元）"],
            ["交易编号", "客户编号", "项目编号", "角色", "金额（万元）", "币种", "起始日",
             "到期日", "利差(bp)", "手续费"],
            ["TD-001", "ＴＳ－０００１", "P-001", "牵头行", "50,000", "人民币",
             "2024年3月5日", "2023年3月5日", "99999", "(1,200)"],
            ["TD-002", None, "P-0001", "lender", "abc", "CNY", "2024-01-01",
             "2030-01-01", 80, 1]]
    path = xlsx({"交易明细": rows})
    plan = prepare_import(path, "deals", store)

    row3 = [(p.code, p.column) for p in plan.problems if p.row == 3]
    assert row3 == [("unknown_reference", "项目编号"), ("date_before", "到期日"),
                    ("above_maximum", "利差(bp)"), ("below_minimum", "手续费")]
    row4 = [(p.code, p.column) for p in plan.problems if p.row == 4]
    assert row4 == [("required", "客户编号"), ("invalid_number", "金额（万元）")]


def test_problems_sorted_by_row_then_column():
    issues = [Issue("b", "error", "s", 5, "B"), Issue("a", "error", "s", 2, "C"),
              Issue("c", "error", "s", 2, "A, C"), Issue("d", "warning", "s"),
              Issue("e", "error", "s", 2, None)]
    ordered = sort_issues(issues, {"A": 0, "B": 1, "C": 2})

    assert [i.code for i in ordered] == ["d", "c", "a", "e", "b"]
