"""Key-person risk, warm introductions and maintenance on a hand-made book."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.network import (NetworkError, build_graph, client_tiers, coverage_gaps,
                                key_person_risk, load_tables, overdue_clients,
                                staff_node, warm_introductions)

AS_OF = pd.Timestamp("2026-09-30")


def monthly(staff, client, count=120):
    return [(staff, client, AS_OF - pd.Timedelta(days=30 * i), "meeting")
            for i in range(count)]


def book() -> dict[str, pd.DataFrame]:
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D", "E"],
                            "name": ["Alpha", "Beta", "Gamma", "Delta", "Eps"]})
    rows = monthly("Ann", "A") + monthly("Bob", "A") + monthly("Ann", "B") \
        + [("Bob", "C", AS_OF - pd.Timedelta(days=400), "email")]
    interactions = pd.DataFrame(rows, columns=["staff", "client_id", "date",
                                               "channel"])
    relationships = pd.DataFrame({"source_id": ["B", "B", "C"],
                                  "target_id": ["D", "C", "D"],
                                  "kind": ["syndicate"] * 3,
                                  "weight": [6.0, 1.0, 6.0]})
    return {"clients": clients, "interactions": interactions,
            "relationships": relationships}


@pytest.fixture
def graph():
    return build_graph(load_tables(book()), as_of=AS_OF).graph


def test_sole_good_tie_found(graph):
    risk = key_person_risk(graph)
    staff = risk.staff.set_index("staff")
    assert staff.loc["Ann", "sole_good_clients"] == ["B"]
    assert staff.loc["Bob", "sole_good_ties"] == 0
    clients = risk.clients.set_index("client_id")
    assert clients.loc["A", "good_ties"] == 2
    assert clients.loc["B", "sole_good_staff"] == "Ann"
    assert clients.loc["E", "staff_ties"] == 0


def test_bridges_and_articulation_points(graph):
    risk = key_person_risk(graph)
    bridges = set(zip(risk.bridges["staff"], risk.bridges["client_id"]))
    # The ties form the path B – Ann – A – Bob – C, so every tie is a bridge.
    assert bridges == {("Ann", "A"), ("Ann", "B"), ("Bob", "A"), ("Bob", "C")}
    points = set(risk.articulation_points["node"])
    assert points == {staff_node("Ann"), staff_node("Bob"), "A"}


def test_warm_introduction_prefers_strong_chain(graph):
    paths = warm_introductions(graph, "D")
    first = paths.iloc[0]
    assert first["path"] == [staff_node("Ann"), "B", "D"]
    assert first["hop_strengths"][1] == pytest.approx(graph.edges["B", "D"]["strength"])
    assert len(paths) == 3
    assert list(paths["total_distance"]) == sorted(paths["total_distance"])
    assert all(sum(graph.nodes[n]["node_type"] == "staff" for n in p) == 1
               for p in paths["path"])


def test_warm_introduction_errors(graph):
    with pytest.raises(NetworkError, match="Z is not a client in the network"):
        warm_introductions(graph, "Z")
    with pytest.raises(NetworkError, match="staff:Ann is not a client in the network"):
        warm_introductions(graph, staff_node("Ann"))
    assert warm_introductions(graph, "E").empty


def test_tiers_and_overdue():
    clv = pd.Series({"A": 100.0, "B": 50.0, "C": 10.0, "D": 5.0, "E": 1.0})
    tiers = client_tiers(list("ABCDE"), clv=clv, exposure=None,
                         tier_shares={"A": 0.2, "B": 0.4})
    assert list(tiers["tier"]) == ["A", "B", "B", "C", "C"]
    interactions = book()["interactions"]
    overdue = overdue_clients(interactions, tiers, AS_OF,
                              cadence_days={"A": 30, "B": 60, "C": 120})
    assert not overdue.loc["A", "overdue"]
    assert overdue.loc["C", "days_since"] == 400
    assert overdue.loc["C", "days_overdue"] == 340
    assert overdue.loc["D", "overdue"]
    assert overdue.index[0] in ("D", "E")


def test_coverage_gaps(graph):
    clv = pd.Series({"A": 1.0, "B": 1.0, "C": 100.0, "D": 90.0, "E": 1.0})
    tiers = client_tiers(list("ABCDE"), clv=clv, exposure=None,
                         tier_shares={"A": 0.4, "B": 0.2})
    gaps = coverage_gaps(tiers, key_person_risk(graph).clients)
    assert list(gaps["client_id"]) == ["D", "C"]


def test_invalid_maintenance_settings():
    tiers = client_tiers(list("AB"), clv=None, exposure=None)
    with pytest.raises(NetworkError, match="positive number of days for each tier"):
        overdue_clients(book()["interactions"], tiers, AS_OF, cadence_days={"A": 0})
    with pytest.raises(NetworkError, match="Tier shares need A and B"):
        client_tiers(list("AB"), clv=None, exposure=None,
                     tier_shares={"A": 0.8, "B": 0.5})
