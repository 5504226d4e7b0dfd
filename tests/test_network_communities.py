"""Louvain communities: karate club values and independence of the hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from pfcrm_core.network import NetworkError, detect_communities

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json
import networkx as nx
from pfcrm_core.network import detect_communities
G = nx.relabel_nodes(nx.les_miserables_graph(), lambda n: "client " + n)
G.add_edges_from((f"x{i}", f"y{i % 7}") for i in range(40))
result = detect_communities(G, weight="weight", seed=42)
print(json.dumps({"communities": result.communities,
                  "modularity": round(result.modularity, 12)}))
"""


def test_karate_club_four_communities():
    # Zachary's karate club with its "weight" attribute; Louvain seed 42.
    result = detect_communities(nx.karate_club_graph(), weight="weight", seed=42)
    assert len(result.communities) == 4
    assert result.modularity == pytest.approx(0.4266, abs=5e-5)


def test_communities_numbered_by_size():
    result = detect_communities(nx.karate_club_graph(), weight="weight", seed=42)
    sizes = [len(c) for c in result.communities]
    assert sizes == sorted(sizes, reverse=True)
    assert result.membership.loc[result.communities[0][0]] == 0
    assert result.sizes().sum() == 34


def test_same_result_any_hash_seed():
    outputs = []
    for hash_seed in ("0", "123"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]["communities"]) > 3


def test_node_order_does_not_matter():
    G = nx.les_miserables_graph()
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, reverse=True))
    H.add_edges_from(sorted(G.edges(data=True), reverse=True))
    first = detect_communities(G, weight="weight")
    second = detect_communities(H, weight="weight")
    assert first.communities == second.communities


def test_bad_resolution_rejected():
    with pytest.raises(NetworkError, match="resolution must be a positive number"):
        detect_communities(nx.karate_club_graph(), resolution=0)


def test_graph_without_edges_has_zero_modularity():
    G = nx.Graph()
    G.add_nodes_from(["A", "B", "C"])

    result = detect_communities(G, seed=42)

    assert result.modularity == 0.0
    assert len(result.communities) == 3
