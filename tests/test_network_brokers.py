"""Constraint, effective size and core numbers against networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from pfcrm_core.network import broker_table


@pytest.mark.parametrize("weight", ["weight", None])
def test_matches_networkx(weight):
    G = nx.les_miserables_graph()
    table, notes = broker_table(G, weight=weight)
    constraint = nx.constraint(G, weight=weight)
    effective = nx.effective_size(G, weight=weight)
    for node in G:
        assert table.loc[node, "constraint"] == pytest.approx(constraint[node])
        assert table.loc[node, "effective_size"] == pytest.approx(effective[node])
    assert table["core_number"].to_dict() == nx.core_number(G)
    assert notes == []


def test_isolated_node_nan():
    G = nx.Graph([("a", "b")])
    G.add_node("c")
    table, _ = broker_table(G)
    assert table["constraint"].isna().loc["c"]


def test_restricted_on_large_products():
    G = nx.karate_club_graph()
    table, notes = broker_table(G, weight="weight", max_products=10, top_nodes=5)
    assert table["constraint"].notna().sum() == 5
    assert notes[0].values == {"measured": 5, "nodes": 34}
    assert table["core_number"].notna().all()
