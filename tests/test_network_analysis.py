"""analyse_network on the demo book, from frames and from a DuckDB store."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.network import NetworkError, analyse_network
from pfcrm_core.network.strength import GOOD_SCORE
from pfcrm_core.store import Store


@pytest.fixture(scope="module")
def analysis(demo_frames):
    return analyse_network(demo_frames)


def test_tables_cover_every_client(analysis, demo_frames):
    nodes = analysis.nodes
    assert set(nodes.index) == set(demo_frames["clients"]["client_id"])
    for column in ("betweenness", "closeness", "pagerank", "eigenvector",
                   "community", "constraint", "core_number", "key_score", "tier"):
        assert column in nodes
    assert nodes["key_rank"].is_monotonic_increasing


def test_edges_carry_evidence(analysis):
    edges = analysis.edges
    assert set(edges["edge_type"]) == {"client", "staff"}
    assert (edges["evidence_count"] > 0).all()
    assert edges["strength"].between(0, 100).all()
    assert len(edges) == analysis.graph.number_of_edges()


def test_demo_has_no_problems_and_notes(analysis):
    assert analysis.problems.empty
    keys = [note.key for note in analysis.notes]
    assert "network.note.paths_exact" in keys
    assert "network.note.modularity" in keys
    assert analysis.modularity > 0.2
    assert all(message for _, message in analysis.translated_notes("zh"))


def test_key_person_uses_good_threshold(analysis):
    clients = analysis.key_person.clients
    sole = clients.dropna(subset=["sole_good_staff"])
    assert (sole["good_ties"] == 1).all()
    assert (analysis.coverage_gaps["best_strength"] < GOOD_SCORE).all()


def test_clv_enters_key_score(demo_frames):
    clv = pd.DataFrame({"client_id": demo_frames["clients"]["client_id"],
                        "clv": range(len(demo_frames["clients"]))})
    result = analyse_network(demo_frames, clv=clv,
                             key_weights={"network": 0, "exposure": 0, "clv": 1})
    top = result.nodes.index[0]
    assert top == clv["client_id"].iloc[-1]


def test_store_and_frames_agree(demo_db_path, analysis):
    from_store = analyse_network(Store(demo_db_path))
    assert from_store.modularity == pytest.approx(analysis.modularity)
    assert from_store.nodes["pagerank"].sort_index().equals(
        analysis.nodes["pagerank"].sort_index())


def test_bad_arguments_rejected(demo_frames):
    with pytest.raises(NetworkError, match="as_of must be a date"):
        analyse_network(demo_frames, as_of="soon")
    with pytest.raises(NetworkError, match="Unknown key-client part size"):
        analyse_network(demo_frames, key_weights={"size": 1})
