"""Centralities of the network's nodes, with weights passed explicitly.

Weight conventions (see ``graph``): ``strength`` (0–100, larger = closer tie) is
the weight of weighted degree, eigenvector centrality and PageRank; ``distance``
(``1 / max(strength, 1)``) is the length used by betweenness and closeness. An
edge without the attribute counts 1, as in networkx.

Betweenness and closeness run Dijkstra's algorithm from ``scipy.sparse.csgraph``
and Brandes' dependency accumulation vectorised with numpy (``path_centralities``),
which gives networkx's values (tested) in a fraction of the time. Up to
``exact_max_nodes`` nodes every node is a source and the values are exact
(closeness with the Wasserman–Faust factor for graphs in several components).
Above it ``pivots`` sources are drawn with a fixed seed (Brandes and Pich, 2007):

- betweenness is scaled as networkx scales ``betweenness_centrality(k=...)``;
- closeness is the Eppstein–Wang estimate: each node's mean distance is the mean
  of its distances to the pivots it reaches, and the share of pivots it reaches
  stands for the share of the graph it reaches.

Closeness is in units of 1 / ``distance``, so it exceeds 1 when ties are strong.
"""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csgraph
from scipy.sparse.linalg import eigsh

from pfcrm_core.network.errors import Note

logger = logging.getLogger(__name__)

EXACT_MAX_NODES = 3000
PIVOTS = 500
SEED = 42

CENTRALITY_COLUMNS = ["degree", "weighted_degree", "degree_centrality",
                      "betweenness", "closeness", "eigenvector", "pagerank"]


def centrality_table(G: nx.Graph, *, weight: str = "strength",
                     distance: str = "distance",
                     exact_max_nodes: int = EXACT_MAX_NODES, pivots: int = PIVOTS,
                     seed: int = SEED) -> tuple[pd.DataFrame, list[Note]]:
    """Compute degree, betweenness, closeness, eigenvector and PageRank centralities.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    weight : str, default "strength"
        Edge attribute used as the weight of weighted degree, eigenvector and
        PageRank.
    distance : str, default "distance"
        Edge attribute used as the length of betweenness and closeness.
    exact_max_nodes : int, default 3000
        Largest graph for which betweenness and closeness are exact.
    pivots : int, default 500
        Source nodes of the estimates on larger graphs.
    seed : int, default 42
        Seed of the pivot draw.

    Returns
    -------
    table : pandas.DataFrame
        Indexed by node, ``CENTRALITY_COLUMNS``. Betweenness is normalised to
        [0, 1] as in networkx (``normalized=True``).
    notes : list of Note
        How betweenness and closeness were computed.
    """
    nodes = list(G.nodes)
    table = pd.DataFrame(index=pd.Index(nodes, name="node"))
    if not nodes:
        return table.assign(**{c: pd.Series(dtype=float)
                               for c in CENTRALITY_COLUMNS}), []

    table["degree"] = [G.degree(n) for n in nodes]
    table["weighted_degree"] = [float(G.degree(n, weight=weight)) for n in nodes]
    table["degree_centrality"] = pd.Series(nx.degree_centrality(G))
    eigenvector, main_size = _eigenvector(G, weight)
    table["eigenvector"] = pd.Series(eigenvector)
    table["pagerank"] = pd.Series(nx.pagerank(G, weight=weight))

    notes = []
    if 0 < main_size < len(nodes):
        notes.append(Note("network.note.eigenvector_component",
                          {"component": main_size, "nodes": len(nodes)}))
    if len(nodes) <= exact_max_nodes:
        logger.info("exact betweenness and closeness of %d nodes", len(nodes))
        betweenness, closeness = path_centralities(G, distance=distance)
        notes.append(Note("network.note.paths_exact", {"nodes": len(nodes)}))
    else:
        k = min(pivots, len(nodes))
        logger.info("sampled betweenness and closeness of %d nodes, %d pivots",
                    len(nodes), k)
        betweenness, closeness = path_centralities(G, k, seed=seed,
                                                   distance=distance)
        notes.append(Note("network.note.paths_sampled",
                          {"nodes": len(nodes), "pivots": k, "seed": seed}))
    table["betweenness"] = betweenness
    table["closeness"] = closeness
    return table[CENTRALITY_COLUMNS], notes


def path_centralities(G: nx.Graph, pivots: int | None = None, *, seed: int = SEED,
                      distance: str = "distance") -> tuple[np.ndarray, np.ndarray]:
    """Compute normalised betweenness and closeness from all nodes or ``pivots``.

    With ``pivots=None`` every node is a source and the values equal networkx's
    ``betweenness_centrality(G, weight=distance)`` and
    ``closeness_centrality(G, distance=distance)``. Otherwise ``pivots`` sources
    are drawn with ``seed`` and the values are estimates, scaled as networkx
    scales ``betweenness_centrality(G, k=pivots)``.

    Returns
    -------
    betweenness, closeness : numpy.ndarray
        One value per node in ``G.nodes`` order.
    """
    n = G.number_of_nodes()
    matrix = nx.to_scipy_sparse_array(G, weight=distance, format="csr")
    arcs = matrix.tocoo()
    if pivots is None or pivots >= n:
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=pivots,
                                                             replace=False))

    dependency = np.zeros(n)
    distance_sum = np.zeros(n)
    reached = np.zeros(n)
    for chunk in np.array_split(sources, max(1, len(sources) // 50)):
        dist = csgraph.dijkstra(matrix, directed=True, indices=chunk)
        for row, source in enumerate(chunk):
            dependency += _brandes_dependency(dist[row], arcs.row, arcs.col,
                                              arcs.data, source)
        finite = np.isfinite(dist)
        distance_sum += np.where(finite, dist, 0.0).sum(axis=0)
        reached += finite.sum(axis=0)

    # A source cannot lie between itself and a target, so its sum covers one
    # source fewer; (n − 2) targets remain for each source and intermediate node.
    k = len(sources)
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    pairs = (k - is_source) * (n - 2.0)
    betweenness = np.divide(dependency, pairs, out=np.zeros(n), where=pairs > 0)

    # Wasserman–Faust closeness: share of the other nodes reached / mean distance.
    others = reached - is_source
    mean_distance = np.divide(distance_sum, others, out=np.zeros(n), where=others > 0)
    share = others / max(k - 1, 1)
    closeness = np.divide(share, mean_distance, out=np.zeros(n),
                          where=mean_distance > 0)
    return betweenness, closeness


def _brandes_dependency(dist: np.ndarray, tail: np.ndarray, head: np.ndarray,
                        length: np.ndarray, source: int) -> np.ndarray:
    """Return each node's dependency on ``source`` (Brandes 2001), vectorised.

    ``tail``, ``head`` and ``length`` list both directions of every edge. An arc
    lies on a shortest path when ``dist[tail] + length == dist[head]`` up to a
    relative 1e-9, so paths whose lengths differ only by rounding count as ties.
    Arcs are processed by level: a node's level is the most arcs on a shortest
    path to it, so all arcs into a level come from lower levels.
    """
    n = len(dist)
    reachable = np.isfinite(dist)
    usable = reachable[tail] & reachable[head]
    tail, head, length = tail[usable], head[usable], length[usable]
    head_dist = dist[head]
    on_path = (np.abs(dist[tail] + length - head_dist) <= 1e-9 * head_dist) \
        & (head != source)
    tail, head = tail[on_path], head[on_path]

    level = np.zeros(n, dtype=np.int64)
    while True:
        updated = level.copy()
        np.maximum.at(updated, head, level[tail] + 1)
        if np.array_equal(updated, level):
            break
        level = updated

    order = np.argsort(level[head], kind="stable")
    tail, head = tail[order], head[order]
    groups = np.split(np.arange(len(head)),
                      np.flatnonzero(np.diff(level[head])) + 1)

    # Shortest-path counts forward, then dependencies backward.
    sigma = np.zeros(n)
    sigma[source] = 1.0
    for group in groups:
        np.add.at(sigma, head[group], sigma[tail[group]])
    delta = np.zeros(n)
    for group in reversed(groups):
        t, h = tail[group], head[group]
        np.add.at(delta, t, sigma[t] / sigma[h] * (1.0 + delta[h]))
    delta[source] = 0.0
    return delta


def _eigenvector(G: nx.Graph, weight: str) -> tuple[dict, int]:
    """Return eigenvector centrality on the largest connected component, 0 elsewhere.

    The leading eigenvector of a graph in several components is not unique
    (networkx raises ``AmbiguousSolution``), so the component with the most nodes
    (ties: the one with the smallest node in sorted order) carries the values.
    Also returns that component's node count.
    """
    values = {n: 0.0 for n in G}
    if G.number_of_edges() == 0:
        return values, 0
    components = sorted(nx.connected_components(G),
                        key=lambda c: (-len(c), min(map(str, c))))
    main = [n for n in G if n in components[0]]
    if len(main) < 3:
        # scipy's sparse eigensolver needs at least 3 nodes.
        found = nx.eigenvector_centrality(G.subgraph(main), weight=weight,
                                          max_iter=1000)
    else:
        # The same leading eigenvector as nx.eigenvector_centrality_numpy, on a
        # matrix built once (a subgraph view is slow to convert).
        matrix = nx.to_scipy_sparse_array(G, nodelist=main, weight=weight,
                                          dtype=float, format="csr")
        _, vectors = eigsh(matrix, k=1, which="LA", maxiter=1000 * len(main))
        vector = np.abs(vectors[:, 0])
        vector = vector / np.linalg.norm(vector)
        found = dict(zip(main, vector))
    values.update({n: abs(v) for n, v in found.items()})
    return values, len(main)
