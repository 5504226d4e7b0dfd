"""Dates after the day of the import: rejected for past events, kept for plans."""

from __future__ import annotations

import datetime as dt

import pytest

from pfcrm_core.ingest import import_file
from pfcrm_core.schema import DEAL_START_DAYS_AHEAD, EVENT_DAYS_AHEAD, TABLES

# Date columns that hold plans and may lie any distance ahead.
PLANNED = {("deals", "maturity_date"), ("projects", "financial_close_date")}


def _days_ahead(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _issues(plan, code: str) -> list:
    return [i for i in plan.all_issues() if i.code == code]


def test_every_date_column_is_event_or_plan():
    for table in TABLES.values():
        for column in table.columns:
            if column.kind != "date":
                continue
            planned = (table.name, column.name) in PLANNED
            assert (column.max_days_ahead is None) == planned, column.name


def test_revenue_date_2045_rejected(tmp_path):
    path = tmp_path / "revenue.csv"
    path.write_text("client_id,date,amount\nC1,2045-06-30,10\nC1,2024-06-30,10\n",
                    encoding="utf-8")
    plan = import_file(path, table="revenue")

    [issue] = _issues(plan, "date_in_future")
    assert issue.is_error
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "revenue.csv", 2, "date", "2045-06-30")
    message = issue.message("en")
    assert message.startswith("sheet revenue.csv, row 2, column date: ")
    assert '"2045-06-30" is later than' in message
    assert "“2045-06-30”晚于" in issue.message("zh")
    assert list(plan.accepted("revenue")["amount"]) == [10]


def test_maturity_and_financial_close_2045_accepted(tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,client_id,start_date,maturity_date\n"
                     "D1,C1,2024-01-15,2045-01-15\n", encoding="utf-8")
    projects = tmp_path / "projects.csv"
    projects.write_text("project_id,name,financial_close_date\n"
                        "P1,Wind Farm,2045年3月31日\n", encoding="utf-8")
    deal_plan = import_file(deals, table="deals")
    project_plan = import_file(projects, table="projects")

    assert not deal_plan.errors
    assert deal_plan.accepted("deals").loc[0, "maturity_date"] == dt.date(2045, 1, 15)
    assert not project_plan.errors
    assert project_plan.accepted("projects").loc[0, "financial_close_date"] == \
        dt.date(2045, 3, 31)


def test_deal_start_up_to_a_year_ahead(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,client_id,start_date\n"
                    f"D1,C1,{_days_ahead(DEAL_START_DAYS_AHEAD - 10)}\n"
                    f"D2,C1,{_days_ahead(DEAL_START_DAYS_AHEAD + 10)}\n",
                    encoding="utf-8")
    plan = import_file(path, table="deals")

    assert [i.row for i in _issues(plan, "date_in_future")] == [3]
    assert list(plan.accepted("deals")["deal_id"]) == ["D1"]


@pytest.mark.parametrize("table, header", [
    ("revenue", "client_id,date,amount"),
    ("interactions", "client_id,date,channel"),
    ("feedback", "client_id,date,nps"),
    ("credit", "client_id,as_of,pd"),
    ("clients", "client_id,name,relationship_since"),
    ("relationships", "source_id,target_id,kind,since"),
])
def test_event_dates_within_grace_accepted(tmp_path, table, header):
    soon, late = _days_ahead(EVENT_DAYS_AHEAD - 10), _days_ahead(EVENT_DAYS_AHEAD + 10)
    values = {"revenue": "C1,{},10", "interactions": "C1,{},visit",
              "feedback": "C1,{},9", "credit": "C1,{},0.01",
              "clients": "C{n},Name,{}", "relationships": "C1,C{n},partner,{}"}
    rows = [values[table].format(date, n=n) for n, date in ((1, soon), (2, late))]
    path = tmp_path / f"{table}.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    plan = import_file(path, table=table)

    assert [i.row for i in _issues(plan, "date_in_future")] == [3]
