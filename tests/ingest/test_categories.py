"""Vocabularies of category columns: variants map to one canonical value, values
outside an open vocabulary are stored and noted, client_type stays strict."""

from __future__ import annotations

import pytest

from pfcrm_core.demo import reference
from pfcrm_core.ingest import commit_import, prepare_import
from pfcrm_core.ingest.categories import column_vocabulary, get_vocabulary
from pfcrm_core.schema import TABLES
from pfcrm_core.store import Store


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store.duckdb", busy_timeout=1.0)


@pytest.mark.parametrize("table, column, raw, expected", [
    ("revenue", "kind", "fees", "fee"),
    ("revenue", "kind", "Fee", "fee"),
    ("revenue", "kind", "手续费", "fee"),
    ("revenue", "kind", "Commitment Fees", "commitment"),
    ("clients", "sector", "Energy", "energy"),
    ("clients", "sector", "能源", "energy"),
    ("projects", "sector", "Telecoms", "telecom"),
    ("clients", "sector", "financial-services", "financial services"),
    ("clients", "region", "Middle East and Africa", "middle east & africa"),
    ("clients", "region", "中东及非洲", "middle east & africa"),
    ("clients", "region", "APAC", "asia pacific"),
    ("clients", "region", "大中华区", "greater china"),
    ("deals", "role", "牵头行", "arranger"),
    ("deals", "role", "MLA", "arranger"),
    ("deals", "role", "Lenders", "lender"),
    ("deals", "role", "EPC 总承包", "epc"),
    ("deals", "role", "off-taker", "offtake"),
    ("projects", "stage", "Under Construction", "construction"),
    ("projects", "stage", "融资关闭", "financial close"),
    ("interactions", "channel", "E-mail", "email"),
    ("interactions", "channel", "电话", "call"),
    ("feedback", "follow_up_status", "In-Progress", "in progress"),
    ("feedback", "follow_up_status", "已关闭", "closed"),
    ("relationships", "kind", "Sponsor Group", "sponsor_group"),
    ("relationships", "kind", "银团", "syndicate"),
    ("deals", "currency", "USD", "usd"),
    ("deals", "currency", "US$", "usd"),
    ("deals", "currency", "美元", "usd"),
    ("deals", "currency", "$", "usd"),
    ("revenue", "currency", "RMB", "cny"),
    ("revenue", "currency", "人民币", "cny"),
    ("revenue", "currency", "元", "cny"),
    ("projects", "currency", "欧元", "eur"),
    ("projects", "currency", "€", "eur"),
])
def test_variant_maps_to_canonical(table, column, raw, expected):
    assert column_vocabulary(table, column).lookup(raw) == expected


def test_every_category_column_has_vocabulary():
    missing = [(t.name, c.name) for t in TABLES.values() for c in t.columns
               if c.kind == "category" and column_vocabulary(t.name, c.name) is None]
    assert missing == []


@pytest.mark.parametrize("name, values", [
    ("sector", reference.INFRASTRUCTURE_SECTORS
     + tuple(reference.CLIENT_TYPE_SECTOR.values())),
    ("region", reference.REGIONS),
    ("stage", reference.PROJECT_STAGES),
    ("role", reference.DEAL_ROLES),
    ("revenue_kind", reference.REVENUE_KINDS),
    ("channel", reference.CHANNELS),
    ("follow_up_status", reference.FOLLOW_UP_STATUSES),
    ("relationship_kind", reference.RELATIONSHIP_KINDS),
    ("currency", tuple(reference.FX_TO_USD)),
])
def test_demo_values_are_known(name, values):
    assert set(values) <= set(get_vocabulary(name).known)


def test_unknown_value_stored_and_noted(store):
    content = ("client_id,name,sector,region\n"
               "A,Alpha,Mining,Europe\nB,Beta,mining ,欧洲\nC,Gamma,MINING,Europe\n"
               "D,Delta,Ports,europe\n").encode()
    plan = prepare_import(content, "clients", store, file_name="c.csv")

    assert plan.problems == []
    assert plan.accepted["sector"].tolist() == ["mining", "mining", "mining", "ports"]
    assert plan.accepted["region"].tolist() == ["europe"] * 4
    notes = [n for n in plan.notes if n.code == "category_new_values"]
    assert [n.column for n in notes] == ["sector"]
    english = notes[0].message("en")
    assert ("new values in column sector" in english)
    assert "'Mining' (3 rows) — stored as 'mining'" in english
    assert "'Ports' (1 row) — stored as 'ports'" in english
    assert "energy, transport" in english
    chinese = notes[0].message("zh")
    assert "列 sector 中有不在已知取值" in chinese
    assert "“Mining”（3 行）— 存为“mining”" in chinese


def test_chinese_header_names_column_in_note(store):
    content = "客户编号,客户名称,行业\nA,甲,Mining\nB,乙,能源\n".encode("gbk")
    plan = prepare_import(content, "clients", store, file_name="客户.csv")

    note = next(n for n in plan.notes if n.code == "category_new_values")
    assert "new values in column 行业" in note.message("en")
    assert "'Mining' (1 row) — stored as 'mining'" in note.message("en")
    assert plan.accepted["sector"].tolist() == ["mining", "energy"]


def test_fee_and_fees_stored_once(store, tmp_path):
    clients = "client_id,name\nA,Alpha\n".encode()
    commit_import(prepare_import(clients, "clients", store, file_name="c.csv"), store)
    revenue = ("client_id,date,amount,currency,kind\n"
               "A,2024-01-05,100,USD,fee\nA,2024-02-05,100,US$,fees\n"
               "A,2024-03-05,100,美元,手续费\nA,2024-04-05,100,RMB,Fees\n").encode()
    commit_import(prepare_import(revenue, "revenue", store, file_name="r.csv"), store)

    stored = store.read_table("revenue")
    assert set(stored["kind"]) == {"fee"}
    assert sorted(set(stored["currency"])) == ["cny", "usd"]


def test_client_type_stays_strict(store):
    content = "client_id,name,client_type\nA,Alpha,Banks\nB,Beta,alien\n".encode()
    plan = prepare_import(content, "clients", store, file_name="c.csv")

    assert plan.accepted["client_type"].tolist() == ["bank"]
    assert [(p.code, p.row, p.value) for p in plan.problems] == [
        ("not_allowed", 3, "alien")]


def test_unknown_currency_code_noted(store):
    clients = "client_id,name\nA,Alpha\n".encode()
    commit_import(prepare_import(clients, "clients", store, file_name="c.csv"), store)
    revenue = "client_id,date,amount,currency\nA,2024-01-05,100,NOK\n".encode()
    plan = prepare_import(revenue, "revenue", store, file_name="r.csv")

    assert plan.accepted["currency"].tolist() == ["nok"]
    note = next(n for n in plan.notes if n.code == "category_new_values")
    assert "'NOK' (1 row) — stored as 'nok'" in note.message("en")
