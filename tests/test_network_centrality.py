"""Centralities on classic graphs and against networkx, through the product code."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from pfcrm_core.network import centrality_table, path_centralities


def test_florentine_medici_highest():
    # Padgett's Florentine families (networkx.florentine_families_graph): the
    # Medici have betweenness 0.5220 and degree centrality 0.4286 (6 of 14).
    table, _ = centrality_table(nx.florentine_families_graph())
    assert table["betweenness"].idxmax() == "Medici"
    assert table["degree_centrality"].idxmax() == "Medici"
    assert table.loc["Medici", "betweenness"] == pytest.approx(0.5220, abs=5e-5)
    assert table.loc["Medici", "degree_centrality"] == pytest.approx(0.4286, abs=5e-5)


def test_exact_matches_networkx_with_ties():
    rng = np.random.default_rng(7)
    G = nx.gnm_random_graph(120, 400, seed=7)
    for u, v in G.edges:
        G.edges[u, v]["distance"] = float(rng.integers(1, 4))
    G.add_edge(500, 501, distance=1.0)
    betweenness, closeness = path_centralities(G)
    expected_b = nx.betweenness_centrality(G, weight="distance")
    expected_c = nx.closeness_centrality(G, distance="distance")
    assert np.allclose(betweenness, [expected_b[n] for n in G], atol=1e-12)
    assert np.allclose(closeness, [expected_c[n] for n in G], atol=1e-12)


def test_weights_passed_explicitly():
    G = nx.les_miserables_graph()
    for u, v in G.edges:
        G.edges[u, v]["strength"] = G.edges[u, v]["weight"]
    table, _ = centrality_table(G)
    expected = nx.pagerank(G, weight="weight")
    assert table.loc["Valjean", "pagerank"] == pytest.approx(expected["Valjean"])
    eigen = nx.eigenvector_centrality_numpy(G, weight="weight")
    assert table.loc["Valjean", "eigenvector"] == pytest.approx(eigen["Valjean"])
    assert table.loc["Valjean", "weighted_degree"] == G.degree("Valjean",
                                                               weight="weight")


def test_sampled_above_threshold_noted():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=3)
    table, notes = centrality_table(G, exact_max_nodes=100, pivots=150, seed=42)
    again, _ = centrality_table(G, exact_max_nodes=100, pivots=150, seed=42)
    assert [n.key for n in notes] == ["network.note.paths_sampled"]
    assert notes[0].values == {"nodes": 300, "pivots": 150, "seed": 42}
    assert table["betweenness"].equals(again["betweenness"])
    exact = nx.betweenness_centrality(G)
    exact_values = np.array([exact[n] for n in G])
    assert np.corrcoef(table["betweenness"], exact_values)[0, 1] > 0.9
    assert table["betweenness"].mean() == pytest.approx(exact_values.mean(), rel=0.15)


def test_disconnected_eigenvector_noted():
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    table, notes = centrality_table(G)
    assert table.loc["x", "eigenvector"] == 0.0
    assert table.loc["a", "eigenvector"] == pytest.approx(1 / np.sqrt(3))
    assert "network.note.eigenvector_component" in [n.key for n in notes]
