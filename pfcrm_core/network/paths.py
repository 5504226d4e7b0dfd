"""Warm introductions: the strongest chains of ties from our staff to a client.

A chain's length is the sum of its hops' ``distance`` (``1 / max(strength, 1)``,
see ``graph``), so the shortest chain is the one of strong ties, and a chain of
two strong hops can beat one weak direct tie. A virtual source joined to every
member of staff at distance 0 lets one search cover all staff; the first
``count`` loopless chains come from ``networkx.shortest_simple_paths`` (Yen's
algorithm). A chain that passes through a second member of staff is skipped,
because the chain from that person is shorter.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from pfcrm_core.network.errors import NetworkError

PATH_COLUMNS = ["rank", "staff", "path", "names", "hop_strengths", "hops",
                "total_distance", "weakest_strength"]
MAX_CANDIDATES = 50
_SOURCE = ("__any_staff__",)


def warm_introductions(G: nx.Graph, target, *, count: int = 3,
                       distance: str = "distance",
                       strength: str = "strength") -> pd.DataFrame:
    """Return up to ``count`` strongest chains from any staff member to ``target``.

    Parameters
    ----------
    G : networkx.Graph
        The network from ``graph.build_graph``.
    target : str
        Client id of the client to reach.
    count : int, default 3
        Chains to return: the strongest and ``count − 1`` alternatives.

    Returns
    -------
    pandas.DataFrame
        ``PATH_COLUMNS``, strongest first: ``path`` lists node ids from the staff
        node to ``target``, ``names`` their names, ``hop_strengths`` the strength
        of each hop. Empty when no staff member reaches ``target``.

    Raises
    ------
    NetworkError
        When ``target`` is not a client of ``G`` or ``count`` is below 1.
    """
    if target not in G or G.nodes[target].get("node_type") != "client":
        raise NetworkError("network.error.unknown_target", value=target)
    if count < 1:
        raise NetworkError("network.error.bad_count", value=count)

    search = nx.Graph()
    search.add_weighted_edges_from(G.edges(data=distance, default=1.0),
                                   weight=distance)
    staff = [n for n, kind in G.nodes(data="node_type") if kind == "staff"]
    search.add_weighted_edges_from(((_SOURCE, n, 0.0) for n in staff), weight=distance)
    if target not in search or _SOURCE not in search \
            or not nx.has_path(search, _SOURCE, target):
        return pd.DataFrame(columns=PATH_COLUMNS)

    chains = nx.shortest_simple_paths(search, _SOURCE, target, weight=distance)
    rows = []
    for chain in itertools.islice(chains, MAX_CANDIDATES):
        path = chain[1:]
        if any(G.nodes[n].get("node_type") == "staff" for n in path[1:]):
            continue
        rows.append(_path_row(G, path, len(rows) + 1, distance, strength))
        if len(rows) == count:
            break
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def _path_row(G: nx.Graph, path: list, rank: int, distance: str,
              strength: str) -> dict:
    hops = list(zip(path, path[1:]))
    strengths = [float(G.edges[u, v].get(strength, 0.0)) for u, v in hops]
    return {
        "rank": rank,
        "staff": G.nodes[path[0]].get("name"),
        "path": list(path),
        "names": [G.nodes[n].get("name", n) for n in path],
        "hop_strengths": strengths,
        "hops": len(hops),
        "total_distance": float(sum(G.edges[u, v].get(distance, 1.0)
                                    for u, v in hops)),
        "weakest_strength": min(strengths) if strengths else None,
    }
