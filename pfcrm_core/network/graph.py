"""Build the client relationship network from the canonical tables.

Nodes are clients (``node_type="client"``, id = ``client_id``) and our staff
(``node_type="staff"``, id = ``"staff:" + name``, so a staff name never collides
with a client id). Edges:

- client–client, ``edge_type="client"``: clients with deals in the same project
  (co-lenders, or sponsor and contractor in one consortium) and rows of
  ``relationships``;
- staff–client, ``edge_type="staff"``: our staff and the clients they interact
  with.

Parallel evidence between two nodes is merged into one edge whose ``evidence``
attribute lists ``(kind, reference, weight)`` tuples: ``("shared_project",
project_id, 1.0)``, ``(relationship kind, "source|target|kind", weight)`` or
``(channel, interaction_id, decayed contribution)``. Every edge carries

- ``strength``: the score from 0 to 100 (see ``strength``), used as the weight of
  degree, eigenvector and PageRank centralities, Louvain and broker measures;
- ``distance``: ``1 / max(strength, STRENGTH_FLOOR)``, used by shortest paths,
  betweenness and closeness, so a strong tie is a short hop and no distance is 0
  or infinite.

Self-loops, ids not in ``clients``, interactions without staff or with an unknown
channel, and invalid weights are returned in a problems table and never drawn.
Nodes and edges are added in sorted order so that every algorithm that iterates
over the graph sees the same order whatever the process's hash seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from pfcrm_core.network import strength as strength_module
from pfcrm_core.network.errors import NetworkError

STAFF_PREFIX = "staff:"

# Strength below which the distance stops growing: distance is at most 1.
STRENGTH_FLOOR = 1.0

TABLES_USED = ("clients", "deals", "relationships", "interactions")
REQUIRED_COLUMNS = {
    "clients": ("client_id",),
    "deals": ("client_id", "project_id"),
    "relationships": ("source_id", "target_id", "kind"),
    "interactions": ("client_id", "date", "channel", "staff"),
}
PROBLEM_COLUMNS = ["table", "key", "problem", "value"]


@dataclass
class BuiltGraph:
    """The network and what was left out of it.

    Attributes
    ----------
    graph : networkx.Graph
        Clients and staff with merged, scored edges.
    problems : pandas.DataFrame
        ``PROBLEM_COLUMNS``: the table, the row key, the problem's translation key
        (``network.problem.*``) and the offending value.
    staff_strength : pandas.DataFrame
        ``strength.staff_client_strength`` of the usable interactions.
    """

    graph: nx.Graph
    problems: pd.DataFrame
    staff_strength: pd.DataFrame


def staff_node(name: str) -> str:
    """Return the node id of a member of staff."""
    return f"{STAFF_PREFIX}{name}"


def is_staff(node) -> bool:
    """Return whether ``node`` is a staff node id."""
    return isinstance(node, str) and node.startswith(STAFF_PREFIX)


def distance_from_strength(strength) -> np.ndarray:
    """Return ``1 / max(strength, STRENGTH_FLOOR)``."""
    return 1.0 / np.maximum(np.asarray(strength, dtype=float), STRENGTH_FLOOR)


def load_tables(store_or_frames) -> dict[str, pd.DataFrame]:
    """Return the tables the network reads, each with its required columns.

    Parameters
    ----------
    store_or_frames : pfcrm_core.store.Store or dict of str to DataFrame
        A store, or frames keyed by table name such as ``generate_demo()`` returns.
        Missing tables other than ``clients`` are treated as empty.

    Raises
    ------
    NetworkError
        When the input is neither, ``clients`` is missing, or a table lacks a
        required column.
    """
    if isinstance(store_or_frames, dict):
        tables = {name: store_or_frames.get(name) for name in TABLES_USED}
    elif hasattr(store_or_frames, "read_table"):
        tables = {name: store_or_frames.read_table(name) for name in TABLES_USED}
    else:
        raise NetworkError("network.error.bad_source",
                           type=type(store_or_frames).__name__)

    if tables["clients"] is None:
        raise NetworkError("network.error.no_clients_table")
    for name, columns in REQUIRED_COLUMNS.items():
        frame = tables[name]
        if frame is None:
            tables[name] = pd.DataFrame(columns=list(columns))
            continue
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise NetworkError("network.error.missing_columns", table=name,
                               columns=", ".join(missing),
                               available=", ".join(map(str, frame.columns)))
    return tables


def default_as_of(tables: dict[str, pd.DataFrame]) -> pd.Timestamp:
    """Return the date of the latest interaction, or today when there is none."""
    dates = pd.to_datetime(tables["interactions"]["date"])
    if dates.notna().any():
        return dates.max().normalize()
    return pd.Timestamp.today().normalize()


def build_graph(tables: dict[str, pd.DataFrame], *, as_of,
                channel_weights: dict[str, float] | None = None,
                half_life_days: float = strength_module.HALF_LIFE_DAYS,
                evidence_for_good: float = strength_module.PAIR_EVIDENCE_FOR_GOOD
                ) -> BuiltGraph:
    """Build the scored network from the canonical tables.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``load_tables`` output.
    as_of : date-like
        Date of the strength scores; later interactions are ignored.
    channel_weights, half_life_days
        Staff–client strength settings (``strength.staff_client_strength``).
    evidence_for_good : float, default 3
        Client–client evidence units that score 60 (``strength.pair_scale``).

    Returns
    -------
    BuiltGraph
    """
    clients = _client_frame(tables["clients"])
    known = set(clients["client_id"])
    problems: list[dict] = []

    pair_evidence = _project_evidence(tables["deals"], known, problems)
    pair_evidence += _relationship_evidence(tables["relationships"], known, problems)
    interactions = _usable_interactions(tables["interactions"], known, as_of,
                                        channel_weights, problems)
    staff_strength = strength_module.staff_client_strength(
        interactions, as_of, channel_weights=channel_weights,
        half_life_days=half_life_days)

    graph = nx.Graph()
    _add_client_nodes(graph, clients)
    _add_staff_nodes(graph, staff_strength)
    _add_client_edges(graph, pair_evidence, strength_module.pair_scale(evidence_for_good))
    contributions = strength_module.interaction_contributions(
        interactions, as_of, channel_weights=channel_weights,
        half_life_days=half_life_days)
    _add_staff_edges(graph, staff_strength, contributions)

    problem_frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    return BuiltGraph(graph=graph, problems=problem_frame, staff_strength=staff_strength)


def client_subgraph(graph: nx.Graph) -> nx.Graph:
    """Return the clients and client–client edges, in the graph's order, as a copy."""
    clients = [n for n, kind in graph.nodes(data="node_type") if kind == "client"]
    sub = nx.Graph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in clients)
    sub.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True)
                       if d.get("edge_type") == "client")
    return sub


def _client_frame(clients: pd.DataFrame) -> pd.DataFrame:
    frame = clients[clients["client_id"].notna()].copy()
    frame["client_id"] = frame["client_id"].astype(str)
    frame = frame.drop_duplicates("client_id").sort_values("client_id")
    return frame.reset_index(drop=True)


def _project_evidence(deals: pd.DataFrame, known: set, problems: list) -> list:
    frame = deals[["client_id", "project_id"]].dropna().astype(str)
    unknown = frame[~frame["client_id"].isin(known)]
    for client_id in sorted(set(unknown["client_id"])):
        problems.append({"table": "deals", "key": client_id,
                         "problem": "network.problem.unknown_client",
                         "value": client_id})
    frame = frame[frame["client_id"].isin(known)].drop_duplicates()

    # Every pair of distinct clients in one project, once per project.
    pairs = frame.merge(frame, on="project_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["client_id_a"] < pairs["client_id_b"]]
    pairs = pairs.sort_values(["client_id_a", "client_id_b", "project_id"])
    return [(a, b, ("shared_project", project, 1.0)) for a, b, project in
            zip(pairs["client_id_a"], pairs["client_id_b"], pairs["project_id"])]


def _relationship_evidence(relationships: pd.DataFrame, known: set,
                           problems: list) -> list:
    frame = pd.DataFrame({
        "source": relationships["source_id"].astype(object),
        "target": relationships["target_id"].astype(object),
        "kind": relationships["kind"].astype(object),
        "weight": pd.to_numeric(relationships.get("weight"), errors="coerce")
        if "weight" in relationships else np.nan})
    frame["weight"] = frame["weight"].fillna(1.0).astype(float)
    frame["key"] = (frame["source"].astype(str) + "|" + frame["target"].astype(str)
                    + "|" + frame["kind"].astype(str))
    source = frame["source"].astype(str)
    target = frame["target"].astype(str)

    # The first failing check names each rejected row's problem.
    checks = (
        (frame["source"].isna() | ~source.isin(known), "unknown_client", "source"),
        (frame["target"].isna() | ~target.isin(known), "unknown_client", "target"),
        (source == target, "self_loop", "source"),
        (~np.isfinite(frame["weight"]) | (frame["weight"] <= 0), "invalid_weight",
         "weight"),
    )
    rejected = pd.Series(False, index=frame.index)
    for mask, problem, column in checks:
        mask = mask & ~rejected
        for key, value in zip(frame.loc[mask, "key"], frame.loc[mask, column]):
            problems.append({"table": "relationships", "key": key,
                             "problem": f"network.problem.{problem}", "value": value})
        rejected |= mask

    usable = frame[~rejected]
    first = np.minimum(source[~rejected], target[~rejected])
    second = np.maximum(source[~rejected], target[~rejected])
    kinds = usable["kind"].fillna("relationship").astype(str).str.strip().str.lower()
    return [(a, b, (kind, key, weight)) for a, b, kind, key, weight in
            zip(first, second, kinds, usable["key"], usable["weight"])]


def _usable_interactions(interactions: pd.DataFrame, known: set, as_of,
                         channel_weights, problems: list) -> pd.DataFrame:
    weights = strength_module.validate_channel_weights(channel_weights)
    frame = interactions.copy()
    if "interaction_id" not in frame:
        frame["interaction_id"] = [f"row {i + 1}" for i in range(len(frame))]
    channel = frame["channel"].astype("string").str.strip().str.lower()
    checks = (
        (~frame["client_id"].astype(str).isin(known) | frame["client_id"].isna(),
         "network.problem.unknown_client", frame["client_id"]),
        (frame["staff"].isna() | (frame["staff"].astype(str).str.strip() == ""),
         "network.problem.missing_staff", frame["staff"]),
        (~channel.isin(list(weights)).fillna(False).astype(bool),
         "network.problem.unknown_channel", frame["channel"]),
    )
    bad = pd.Series(False, index=frame.index)
    for mask, problem, values in checks:
        mask = mask & ~bad
        for key, value in zip(frame.loc[mask, "interaction_id"], values[mask]):
            problems.append({"table": "interactions", "key": str(key),
                             "problem": problem, "value": value})
        bad |= mask
    frame = frame[~bad].copy()
    frame["client_id"] = frame["client_id"].astype(str)
    frame["staff"] = frame["staff"].astype(str).str.strip()
    return frame


def _add_client_nodes(graph: nx.Graph, clients: pd.DataFrame) -> None:
    names = clients["name"] if "name" in clients else clients["client_id"]
    types = clients["client_type"] if "client_type" in clients \
        else pd.Series(None, index=clients.index)
    regions = clients["region"] if "region" in clients \
        else pd.Series(None, index=clients.index)
    for client_id, name, client_type, region in zip(clients["client_id"], names,
                                                    types, regions):
        graph.add_node(client_id, node_type="client",
                       name=str(name) if pd.notna(name) else client_id,
                       client_type=client_type if pd.notna(client_type) else None,
                       region=region if pd.notna(region) else None)


def _add_staff_nodes(graph: nx.Graph, staff_strength: pd.DataFrame) -> None:
    for name in sorted(set(staff_strength["staff"])):
        graph.add_node(staff_node(name), node_type="staff", name=name,
                       client_type=None, region=None)


def _add_client_edges(graph: nx.Graph, pair_evidence: list, scale: float) -> None:
    merged: dict[tuple[str, str], list] = {}
    for a, b, item in sorted(pair_evidence, key=lambda e: (e[0], e[1], e[2][0],
                                                            e[2][1])):
        merged.setdefault((a, b), []).append(item)
    for (a, b), evidence in merged.items():
        total = sum(weight for _, _, weight in evidence)
        score = 100.0 * (1.0 - math.exp(-total / scale))
        graph.add_edge(a, b, edge_type="client", evidence=evidence,
                       evidence_total=total, strength=score,
                       distance=1.0 / max(score, STRENGTH_FLOOR),
                       band=strength_module.band_of(score))


def _add_staff_edges(graph: nx.Graph, staff_strength: pd.DataFrame,
                     contributions: pd.DataFrame) -> None:
    evidence: dict[tuple[str, str], list] = {}
    ordered = contributions.sort_values(["staff", "client_id", "date",
                                         "interaction_id"])
    for staff, client_id, channel, interaction_id, value in zip(
            ordered["staff"], ordered["client_id"], ordered["channel"],
            ordered["interaction_id"], ordered["contribution"]):
        evidence.setdefault((staff, client_id), []).append(
            (str(channel), str(interaction_id), float(value)))

    for row in staff_strength.itertuples(index=False):
        score = float(row.score)
        graph.add_edge(staff_node(row.staff), row.client_id, edge_type="staff",
                       evidence=evidence.get((row.staff, row.client_id), []),
                       evidence_total=float(row.decayed_sum), strength=score,
                       distance=float(distance_from_strength(score)),
                       band=str(row.band), trend=float(row.trend),
                       last_date=row.last_date)
