"""Dates such as 05/03/2024: the exact note, the per-column override, and values
that show their order."""

from __future__ import annotations

import datetime as dt

import pytest

from pfcrm_core.ingest import prepare_import
from pfcrm_core.store import Store

CLIENTS = ("client_id,name,relationship_since\n"
           "A,Alpha,05/03/2020\nB,Beta,2019-01-01\nC,Gamma,07/04/2021\n")


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store.duckdb", busy_timeout=1.0)


def test_ambiguous_note_is_exact(store):
    plan = prepare_import(CLIENTS.encode(), "clients", store, file_name="c.csv")

    notes = [n for n in plan.notes if n.code == "date_order_assumed"]
    assert [n.column for n in notes] == ["relationship_since"]
    english = notes[0].message("en")
    assert "column relationship_since" in english
    assert ": 2 (rows 2, 4)" in english
    assert "read month first (mm/dd/yyyy)" in english
    assert "05/03/2020 read as 2020-05-03" in english
    assert "4 March" not in english
    chinese = notes[0].message("zh")
    assert "共 2 个（第 2, 4 行）" in chinese
    assert "05/03/2020 读作 2020-05-03" in chinese
    assert plan.ambiguous_dates == {2: "mdy"}


def test_override_reads_day_first(store):
    plan = prepare_import(CLIENTS.encode(), "clients", store, file_name="c.csv",
                          date_orders={2: "dmy"})

    assert plan.accepted["relationship_since"].tolist() == [
        dt.date(2020, 3, 5), dt.date(2019, 1, 1), dt.date(2021, 4, 7)]
    note = next(n for n in plan.notes if n.code == "date_order_chosen")
    assert "read day first (dd/mm/yyyy) as chosen" in note.message("en")
    assert "05/03/2020 read as 2020-03-05" in note.message("en")
    assert plan.ambiguous_dates == {2: "dmy"}


def test_default_order_applies_to_ambiguous_columns(store):
    plan = prepare_import(CLIENTS.encode(), "clients", store, file_name="c.csv",
                          default_date_order="dmy")

    assert plan.accepted["relationship_since"].tolist()[0] == dt.date(2020, 3, 5)
    assert any(n.code == "date_order_assumed" for n in plan.notes)


def test_unambiguous_values_decide_the_order(store):
    content = ("client_id,name,relationship_since\n"
               "A,Alpha,05/03/2020\nB,Beta,25/12/2019\nC,Gamma,2021年4月7日\n")
    plan = prepare_import(content.encode(), "clients", store, file_name="c.csv",
                          default_date_order="mdy")

    assert plan.accepted["relationship_since"].tolist() == [
        dt.date(2020, 3, 5), dt.date(2019, 12, 25), dt.date(2021, 4, 7)]
    assert not any(n.code.startswith("date_order") for n in plan.notes)
    assert plan.ambiguous_dates == {}


def test_chinese_and_iso_dates_ignore_override(store):
    content = ("client_id,name,relationship_since\n"
               "A,Alpha,05/03/2020\nB,Beta,2021年4月7日\nC,Gamma,2019-01-02\n")
    plan = prepare_import(content.encode(), "clients", store, file_name="c.csv",
                          date_orders={2: "dmy"})

    assert plan.accepted["relationship_since"].tolist() == [
        dt.date(2020, 3, 5), dt.date(2021, 4, 7), dt.date(2019, 1, 2)]


def test_year_first_for_two_digit_years(store):
    content = "client_id,name,relationship_since\nA,Alpha,20/03/05\nB,Beta,05/03/2020\n"
    plan = prepare_import(content.encode(), "clients", store, file_name="c.csv",
                          date_orders={2: "ymd"})

    assert plan.accepted["relationship_since"].tolist() == [dt.date(2020, 3, 5)]
    assert [(p.code, p.row) for p in plan.problems] == [("date_order_mismatch", 3)]


def test_invalid_order_raises(store):
    with pytest.raises(ValueError, match="date_orders\\[2\\] is 'dm'; use one of"):
        prepare_import(CLIENTS.encode(), "clients", store, file_name="c.csv",
                       date_orders={2: "dm"})
