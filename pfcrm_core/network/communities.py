"""Communities of the network by Louvain modularity optimisation.

``networkx.community.louvain_communities`` visits nodes in the graph's order and
keeps communities as Python sets, whose iteration order for string ids depends on
the process's hash seed (``PYTHONHASHSEED``). To get the same partition in every
process, the graph is copied with nodes and edges in sorted order and relabelled
to the integers 0..n−1 (integers hash to themselves) before Louvain runs with a
fixed seed. Communities are then numbered 0, 1, … by size, largest first, ties by
their smallest node id.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from pfcrm_core.network.errors import NetworkError

SEED = 42


@dataclass
class CommunityResult:
    """Louvain communities of a graph.

    Attributes
    ----------
    communities : list of list
        Node ids of each community, sorted; community ``i`` is ``communities[i]``.
    membership : pandas.Series
        Community number of each node, indexed by node.
    modularity : float
        Newman's modularity of the partition with the same edge weight and
        resolution; 0 for a graph without edges.
    weight : str or None
        Edge attribute used as weight.
    seed : int
        Seed of the Louvain run.
    """

    communities: list[list]
    membership: pd.Series
    modularity: float
    weight: str | None
    seed: int

    def sizes(self) -> pd.Series:
        """Return the number of nodes of each community, indexed by number."""
        return pd.Series([len(c) for c in self.communities], name="size",
                         index=pd.RangeIndex(len(self.communities), name="community"))


def node_sort_key(node) -> tuple:
    """Return a key that sorts nodes of mixed types without comparing across types."""
    return type(node).__name__, node


def sorted_graph(G: nx.Graph) -> nx.Graph:
    """Return a copy of ``G`` with nodes and edges inserted in sorted order.

    Nodes sort by type name, then value (numbers numerically, strings
    lexicographically); each edge is written with its smaller end first.
    """
    nodes = sorted(G.nodes, key=node_sort_key)
    rank = {node: i for i, node in enumerate(nodes)}
    edges = sorted(((u, v) if rank[u] <= rank[v] else (v, u) for u, v in G.edges),
                   key=lambda e: (rank[e[0]], rank[e[1]]))
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    H.add_edges_from((u, v, G.edges[u, v]) for u, v in edges)
    return H


def detect_communities(G: nx.Graph, *, weight: str | None = "strength",
                       resolution: float = 1.0, seed: int = SEED) -> CommunityResult:
    """Partition ``G`` into communities with the Louvain method.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    weight : str or None, default "strength"
        Edge attribute used as weight; None treats every edge as 1.
    resolution : float, default 1.0
        Louvain resolution; below 1 favours larger communities.
    seed : int, default 42
        Seed of the Louvain run.

    Returns
    -------
    CommunityResult
        The same result for the same graph whatever the order of its nodes and
        the process's hash seed.
    """
    if not resolution > 0:
        raise NetworkError("network.error.bad_resolution", value=resolution)
    ordered = sorted_graph(G)
    nodes = list(ordered.nodes)
    if not nodes:
        return CommunityResult([], pd.Series(dtype=int), 0.0, weight, seed)
    integer_graph = nx.convert_node_labels_to_integers(ordered, ordering="default")

    found = nx.community.louvain_communities(integer_graph, weight=weight,
                                             resolution=resolution, seed=seed)
    parts = [sorted(found_part) for found_part in found]
    parts.sort(key=lambda part: (-len(part), part[0]))
    communities = [[nodes[i] for i in part] for part in parts]
    # Modularity is undefined without edge weight (networkx divides by it), and
    # every node is then its own community, so it is reported as 0.
    modularity = 0.0
    if integer_graph.size(weight=weight) > 0:
        modularity = nx.community.modularity(integer_graph, [set(p) for p in parts],
                                             weight=weight, resolution=resolution)

    membership = pd.Series(
        {node: number for number, part in enumerate(communities) for node in part},
        name="community")
    membership = membership.reindex(list(G.nodes))
    return CommunityResult(communities=communities, membership=membership,
                           modularity=float(modularity), weight=weight, seed=seed)
