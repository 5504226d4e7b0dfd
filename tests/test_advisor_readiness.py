"""Data readiness per model on an empty store, a small store and the demo book."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.advisor import (MODELS, NOT_READY, PARTLY, READY, assess_readiness,
                                measure, readiness_from_store)
from pfcrm_core.advisor import readiness as readiness_module
from pfcrm_core.clv import data_checks
from pfcrm_core.store import Store


def _small_book() -> dict[str, pd.DataFrame]:
    """40 clients with attributes, 12 with repeat revenue, 5 defaults, 2 comments."""
    ids = [f"C{i:03d}" for i in range(40)]
    clients = pd.DataFrame({"client_id": ids, "name": ids, "client_type": "bank",
                            "sector": "energy", "region": "asia"})
    revenue_ids = ids[:35]
    rows = [(f"T{i}", c, "2025-01-15", 100.0, "USD", "fee")
            for i, c in enumerate(revenue_ids)]
    rows += [(f"R{i}", c, "2025-11-15", 50.0, "USD", "fee")
             for i, c in enumerate(ids[:12])]
    revenue = pd.DataFrame(rows, columns=["txn_id", "client_id", "date", "amount",
                                          "currency", "kind"])
    credit = pd.DataFrame({"client_id": ids[:20], "as_of": "2025-12-31",
                           "rating": "BB", "defaulted": [True] * 5 + [False] * 15})
    feedback = pd.DataFrame({"response_id": ["F1", "F2", "F3"],
                             "client_id": ids[:3], "date": "2025-06-01",
                             "nps": [9, 3, None],
                             "comment": ["Quick answers", "  ", "Slow term sheet"]})
    relationships = pd.DataFrame({"source_id": ["C000", "C001"],
                                  "target_id": ["C001", "C002"],
                                  "kind": "syndicate"})
    interactions = pd.DataFrame({"interaction_id": ["I1", "I2"],
                                 "client_id": ["C000", "C001"], "date": "2025-06-01",
                                 "staff": ["Ana", None]})
    deals = pd.DataFrame({"deal_id": ["D1", "D2"], "client_id": ["C000", "C001"],
                          "start_date": ["2024-01-01", "2025-01-01"],
                          "amount": [1e6, 2e6], "currency": "USD"})
    return {"clients": clients, "revenue": revenue, "credit": credit,
            "feedback": feedback, "relationships": relationships,
            "interactions": interactions, "deals": deals}


def test_empty_store_not_ready(store):
    readiness = readiness_from_store(store)

    assert list(readiness) == list(MODELS)
    for model, item in readiness.items():
        assert item.status == NOT_READY, model
        assert item.missing, model


def test_small_book_counts():
    measured = measure(_small_book())

    assert measured["revenue_clients"] == 35
    assert measured["repeat_clients"] == 12
    assert measured["revenue_months"] == pytest.approx(10.0)
    assert measured["attribute_clients"] == 40
    assert measured["defaults"] == 5
    assert measured["performing"] == 15
    assert measured["nps_responses"] == 2
    assert measured["comments"] == 2
    assert measured["linked_clients"] == 3
    assert measured["staff_clients"] == 1
    assert measured["deal_clients"] == 2
    assert measured["deal_months"] == pytest.approx(12.0)


def test_small_book_statuses():
    readiness = assess_readiness(_small_book())
    status = {model: item.status for model, item in readiness.items()}

    assert status == {"clv": PARTLY, "satisfaction": PARTLY, "segmentation": READY,
                      "risk": PARTLY, "network": PARTLY, "feedback": PARTLY,
                      "digital": PARTLY}
    defaults = next(c for c in readiness["risk"].checks if c.name == "defaults")
    assert defaults.values == {"found": "5", "minimum": "1", "recommended": "50"}
    assert [c.name for c in readiness["clv"].missing] == [
        "revenue_clients", "repeat_clients", "revenue_months"]


def test_small_store_matches_frames(tmp_path):
    store = Store(tmp_path / "small.duckdb")
    frames = _small_book()
    store.replace_all(frames, label="small book")

    from_store = readiness_from_store(store)
    from_frames = assess_readiness(frames)

    for model in MODELS:
        assert from_store[model] == from_frames[model], model


def test_clv_below_minimum_not_ready():
    book = _small_book()
    book["revenue"] = book["revenue"][book["revenue"]["txn_id"].str.startswith("T")]

    readiness = assess_readiness(book)["clv"]

    assert readiness.status == NOT_READY
    repeat = next(c for c in readiness.checks if c.name == "repeat_clients")
    assert repeat.found == 0
    assert repeat.minimum == data_checks.MIN_REPEAT_CLIENTS


def test_one_class_credit_not_ready():
    book = _small_book()
    book["credit"] = book["credit"].assign(defaulted=False)

    assert assess_readiness(book)["risk"].status == NOT_READY


def test_demo_all_ready(demo_db_path):
    readiness = readiness_from_store(Store(demo_db_path))
    checks = {check.name: check.found for item in readiness.values()
              for check in item.checks}

    assert {item.status for item in readiness.values()} == {READY}
    assert checks["defaults"] == 107
    assert checks["performing"] == 2631
    assert checks["nps_responses"] == 3000
    assert checks["attribute_clients"] == 600


def test_segmentation_minimum_matches_page():
    from pfcrm_core.ui import segments

    assert readiness_module.SEGMENTATION_MIN_CLIENTS == segments.MIN_CLIENTS
