"""Key-person risk: clients whose only good tie to us runs through one person.

A tie is good when its strength is at least ``good`` (60, see ``strength``). For
each member of staff the risk is the set of clients for whom they hold the only
good tie, because those clients would be left without a good tie if that person
left. Bridges and articulation points of the staff–client graph (every
staff–client tie, whatever its strength) show the same fragility in structure: a
bridge is a tie whose loss disconnects part of the graph, and an articulation
point a person or client whose loss does.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from pfcrm_core.network.strength import GOOD_SCORE


@dataclass
class KeyPersonRisk:
    """Key-person risk of the staff–client ties.

    Attributes
    ----------
    staff : pandas.DataFrame
        One row per member of staff: ``staff``, ``clients`` (ties),
        ``good_ties``, ``sole_good_ties`` (clients for whom this person holds the
        only good tie) and ``sole_good_clients`` (their ids, sorted), most at risk
        first.
    clients : pandas.DataFrame
        One row per client: ``client_id``, ``staff_ties``, ``good_ties``,
        ``best_staff``, ``best_strength`` and ``sole_good_staff`` (the one person
        with a good tie, or None).
    bridges : pandas.DataFrame
        ``staff``, ``client_id``, ``strength`` of each bridge.
    articulation_points : pandas.DataFrame
        ``node``, ``node_type`` and ``name`` of each articulation point.
    """

    staff: pd.DataFrame
    clients: pd.DataFrame
    bridges: pd.DataFrame
    articulation_points: pd.DataFrame


def staff_client_graph(G: nx.Graph) -> nx.Graph:
    """Return the staff–client ties of ``G`` with their nodes, as a copy."""
    H = nx.Graph()
    for u, v, data in G.edges(data=True):
        if data.get("edge_type") == "staff":
            H.add_node(u, **G.nodes[u])
            H.add_node(v, **G.nodes[v])
            H.add_edge(u, v, strength=data.get("strength", 0.0))
    return H


def key_person_risk(G: nx.Graph, *, good: float = GOOD_SCORE) -> KeyPersonRisk:
    """Find the staff holding clients' only good tie, bridges and cut points.

    Parameters
    ----------
    G : networkx.Graph
        The network from ``graph.build_graph``; only ``edge_type="staff"`` edges
        are read. Clients without any staff tie appear with zero ties.
    good : float, default 60
        Strength from which a tie is good.
    """
    H = staff_client_graph(G)
    ties = [(u, v, d["strength"]) if G.nodes[u].get("node_type") == "staff"
            else (v, u, d["strength"]) for u, v, d in H.edges(data=True)]
    tie_frame = pd.DataFrame(ties, columns=["staff_node", "client_id", "strength"])
    tie_frame["staff"] = [G.nodes[n]["name"] for n in tie_frame["staff_node"]]
    tie_frame["good"] = tie_frame["strength"].round(6) >= good

    clients = _client_ties(G, tie_frame)
    staff = _staff_risk(G, tie_frame, clients)
    bridges = _bridges(G, H)
    points = sorted(nx.articulation_points(H), key=str) if len(H) else []
    articulation = pd.DataFrame({
        "node": points,
        "node_type": [G.nodes[n].get("node_type") for n in points],
        "name": [G.nodes[n].get("name") for n in points]})
    return KeyPersonRisk(staff=staff, clients=clients, bridges=bridges,
                         articulation_points=articulation)


def _client_ties(G: nx.Graph, ties: pd.DataFrame) -> pd.DataFrame:
    client_ids = sorted(n for n, kind in G.nodes(data="node_type") if kind == "client")
    ordered = ties.sort_values(["client_id", "strength", "staff"],
                               ascending=[True, False, True], kind="stable")
    best = ordered.groupby("client_id").first()
    good = ties[ties["good"]]
    good_count = good.groupby("client_id").size()
    sole = good.groupby("client_id")["staff"].first()[good_count == 1]

    table = pd.DataFrame({"client_id": client_ids})
    table["staff_ties"] = table["client_id"].map(ties.groupby("client_id").size()) \
        .fillna(0).astype(int)
    table["good_ties"] = table["client_id"].map(good_count).fillna(0).astype(int)
    table["best_staff"] = table["client_id"].map(best["staff"])
    table["best_strength"] = table["client_id"].map(best["strength"]).fillna(0.0)
    table["sole_good_staff"] = table["client_id"].map(sole)
    return table


def _staff_risk(G: nx.Graph, ties: pd.DataFrame, clients: pd.DataFrame) -> pd.DataFrame:
    names = sorted(G.nodes[n]["name"] for n, kind in G.nodes(data="node_type")
                   if kind == "staff")
    sole = clients.dropna(subset=["sole_good_staff"])
    sole_lists = sole.groupby("sole_good_staff")["client_id"].apply(sorted)

    table = pd.DataFrame({"staff": names})
    table["clients"] = table["staff"].map(ties.groupby("staff").size()) \
        .fillna(0).astype(int)
    table["good_ties"] = table["staff"].map(ties[ties["good"]].groupby("staff").size()) \
        .fillna(0).astype(int)
    table["sole_good_clients"] = [sole_lists.get(name, []) for name in names]
    table["sole_good_ties"] = table["sole_good_clients"].map(len).astype(int)
    table = table.sort_values(["sole_good_ties", "good_ties", "staff"],
                              ascending=[False, False, True], kind="stable")
    columns = ["staff", "clients", "good_ties", "sole_good_ties", "sole_good_clients"]
    return table[columns].reset_index(drop=True)


def _bridges(G: nx.Graph, H: nx.Graph) -> pd.DataFrame:
    rows = []
    for u, v in nx.bridges(H):
        staff, client = (u, v) if G.nodes[u].get("node_type") == "staff" else (v, u)
        rows.append({"staff": G.nodes[staff]["name"], "client_id": client,
                     "strength": H.edges[u, v]["strength"]})
    frame = pd.DataFrame(rows, columns=["staff", "client_id", "strength"])
    return frame.sort_values(["staff", "client_id"]).reset_index(drop=True)
