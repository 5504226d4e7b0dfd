"""Building the network: merged evidence, problems table, store input."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.network import NetworkError, build_graph, load_tables, staff_node
from pfcrm_core.network.graph import client_subgraph

AS_OF = pd.Timestamp("2026-09-30")


def small_book() -> dict[str, pd.DataFrame]:
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D"],
                            "name": ["Alpha", "Beta", "Gamma", "Delta"],
                            "client_type": ["bank", "bank", "sponsor", "contractor"]})
    deals = pd.DataFrame({"deal_id": ["1", "2", "3", "4", "5"],
                          "client_id": ["A", "B", "C", "A", "Z"],
                          "project_id": ["P1", "P1", "P1", "P1", "P1"],
                          "amount": [1.0] * 5})
    relationships = pd.DataFrame({
        "source_id": ["A", "A", "C", "A"], "target_id": ["B", "A", "X", "D"],
        "kind": ["syndicate", "introduction", "introduction", "introduction"],
        "weight": [2.0, 1.0, 1.0, None]})
    interactions = pd.DataFrame({
        "interaction_id": ["I1", "I2", "I3", "I4"],
        "client_id": ["A", "A", "B", "Q"],
        "date": [AS_OF, AS_OF, AS_OF, AS_OF],
        "channel": ["meeting", "fax", "call", "call"],
        "staff": ["Ann", "Ann", None, "Ann"]})
    return {"clients": clients, "deals": deals, "relationships": relationships,
            "interactions": interactions}


def test_parallel_evidence_merged():
    G = build_graph(load_tables(small_book()), as_of=AS_OF).graph
    evidence = G.edges["A", "B"]["evidence"]
    assert ("shared_project", "P1", 1.0) in evidence
    assert ("syndicate", "A|B|syndicate", 2.0) in evidence
    assert len(evidence) == 2
    assert G.edges["A", "B"]["evidence_total"] == 3.0
    assert G.edges["A", "B"]["strength"] == pytest.approx(60.0)


def test_missing_weight_counts_one():
    G = build_graph(load_tables(small_book()), as_of=AS_OF).graph
    assert G.edges["A", "D"]["evidence"] == [("introduction", "A|D|introduction", 1.0)]


def test_problems_reported_not_drawn():
    built = build_graph(load_tables(small_book()), as_of=AS_OF)
    G, problems = built.graph, built.problems
    assert not G.has_edge("A", "A")
    assert "X" not in G and "Z" not in G and "Q" not in G
    found = set(zip(problems["table"], problems["problem"], problems["key"]))
    assert ("relationships", "network.problem.self_loop", "A|A|introduction") in found
    assert ("relationships", "network.problem.unknown_client",
            "C|X|introduction") in found
    assert ("deals", "network.problem.unknown_client", "Z") in found
    assert ("interactions", "network.problem.unknown_channel", "I2") in found
    assert ("interactions", "network.problem.missing_staff", "I3") in found
    assert ("interactions", "network.problem.unknown_client", "I4") in found


def test_staff_nodes_and_distance():
    G = build_graph(load_tables(small_book()), as_of=AS_OF).graph
    ann = staff_node("Ann")
    assert G.nodes[ann]["node_type"] == "staff"
    assert G.edges[ann, "A"]["edge_type"] == "staff"
    assert G.edges[ann, "A"]["evidence"] == [("meeting", "I1", 3.0)]
    for _, _, data in G.edges(data=True):
        assert data["distance"] == pytest.approx(1 / max(data["strength"], 1.0))
    assert set(client_subgraph(G)) == {"A", "B", "C", "D"}


def test_store_input_matches_frames(store, demo_frames):
    store.replace_all(demo_frames, label="network test")
    from_store = build_graph(load_tables(store), as_of=AS_OF).graph
    from_frames = build_graph(load_tables(demo_frames), as_of=AS_OF).graph
    assert from_store.number_of_edges() == from_frames.number_of_edges()
    assert sorted(from_store.nodes) == sorted(from_frames.nodes)


def test_bad_input_rejected():
    with pytest.raises(NetworkError, match="got a list"):
        load_tables([1, 2])
    with pytest.raises(NetworkError, match="no clients table"):
        load_tables({"deals": pd.DataFrame()})
    book = small_book()
    book["relationships"] = book["relationships"].drop(columns="kind")
    with pytest.raises(NetworkError, match="relationships table has no column kind"):
        load_tables(book)
