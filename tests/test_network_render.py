"""The offline picture: no external resources, names shown as text, views."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pfcrm_core.network import (NetworkError, analyse_network, external_references,
                                render_html, view_communities, view_ego,
                                view_top_clients)

AS_OF = pd.Timestamp("2026-09-30")
ATTACK = "<img src=x onerror=alert(1)>"
LINK_ATTACK = '<a href="javascript:alert(2)">x</a>'


@pytest.fixture(scope="module")
def analysis():
    clients = pd.DataFrame({
        "client_id": ["A", "B", "C", "D"],
        "name": [ATTACK, "Ernst & Young", LINK_ATTACK, "</script><b>bold</b>"],
        "client_type": ["bank", "advisor", "bank", "sponsor"]})
    relationships = pd.DataFrame({"source_id": ["A", "A", "B", "C"],
                                  "target_id": ["B", "C", "C", "D"],
                                  "kind": ["syndicate"] * 4,
                                  "weight": [3.0, 1.0, 2.0, 4.0]})
    interactions = pd.DataFrame({"client_id": ["A", "D"], "date": [AS_OF, AS_OF],
                                 "channel": ["meeting", "call"],
                                 "staff": ["<script>alert(3)</script>", "Ann"]})
    return analyse_network({"clients": clients, "relationships": relationships,
                            "interactions": interactions}, as_of=AS_OF)


def node_data(page: str) -> list[dict]:
    found = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    return json.loads(found.group(1))


def test_no_external_resources(analysis):
    page = render_html(view_top_clients(analysis.graph, include_staff=True)).html
    assert external_references(page) == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", page, re.I)
    assert "vis.Network" in page
    assert "cdn.jsdelivr.net" not in page


def test_names_never_raw_html(analysis):
    page = render_html(view_top_clients(analysis.graph, include_staff=True)).html
    assert "<img" not in page
    assert "</script><b>" not in page
    assert "<script>alert" not in page
    assert "popup.innerHTML" not in page


def test_names_round_trip_as_text(analysis):
    page = render_html(view_top_clients(analysis.graph)).html
    labels = {node["id"]: node for node in node_data(page)}
    assert labels["A"]["title"].splitlines()[0] == ATTACK
    assert labels["B"]["label"] == "Ernst & Young"


def test_legend_escaped_and_returned(analysis):
    picture = render_html(view_top_clients(analysis.graph), color_by="client_type")
    labels = [entry["label"] for entry in picture.legend]
    assert "advisor" in labels
    assert any(entry["kind"] == "width" for entry in picture.legend)
    assert '<div id="legend"' in picture.html


def test_same_inputs_same_page(analysis):
    first = render_html(view_top_clients(analysis.graph), seed=1)
    second = render_html(view_top_clients(analysis.graph), seed=1)
    assert first.html == second.html
    assert first.positions == second.positions


def test_views_and_filters(analysis):
    G = analysis.graph
    assert set(view_top_clients(G, max_nodes=2)) <= {"A", "B", "C", "D"}
    assert len(view_top_clients(G, max_nodes=2)) == 2
    strong = view_top_clients(G, min_strength=70)
    assert all(s >= 70 for _, _, s in strong.edges(data="strength"))
    banks = view_top_clients(G, client_types={"bank"})
    assert set(banks) == {"A", "C"}
    ego = view_ego(G, "D", radius=1)
    assert set(ego) == {"C", "D", "staff:Ann"}
    summary = view_communities(G)
    assert all(n.startswith("community:") for n in summary)
    assert render_html(summary, size_by="clients").nodes == len(summary)


def test_default_cap_three_hundred(demo_frames):
    analysis = analyse_network(demo_frames)
    picture = render_html(view_top_clients(analysis.graph))
    assert picture.nodes == 300
    assert picture.edges <= 2000


def test_view_errors(analysis):
    with pytest.raises(NetworkError, match="Z is not a client in the network"):
        view_ego(analysis.graph, "Z")
    with pytest.raises(NetworkError, match="1 or more; got 0"):
        view_top_clients(analysis.graph, max_nodes=0)
    with pytest.raises(NetworkError, match="cannot be set by degree"):
        render_html(view_top_clients(analysis.graph), size_by="degree")
