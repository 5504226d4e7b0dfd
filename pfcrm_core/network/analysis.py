"""One call from the book to the network, its measures and the tables beside it.

Centralities, communities and broker measures describe the market: they are
computed on the client–client graph (shared projects and recorded
relationships). Staff ties enter key-person risk, warm introductions, coverage
gaps and the picture.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from pfcrm_core.network import centrality, communities, graph, key_clients, maintenance
from pfcrm_core.network import strength as strength_module
from pfcrm_core.network.brokers import broker_table
from pfcrm_core.network.errors import NetworkError, Note
from pfcrm_core.network.risk import KeyPersonRisk, key_person_risk

logger = logging.getLogger(__name__)

NODE_ATTRIBUTES = ("community", "pagerank", "clv", "exposure", "key_score", "tier")


@dataclass
class NetworkAnalysis:
    """Everything ``analyse_network`` produces.

    Attributes
    ----------
    graph : networkx.Graph
        Clients and staff with scored edges (``graph.build_graph``); client nodes
        also carry ``NODE_ATTRIBUTES`` for the picture.
    client_graph : networkx.Graph
        The clients and client–client edges that the measures are computed on.
    nodes : pandas.DataFrame
        One row per client, indexed by client id: name, type, region, the
        centralities, community, broker measures, key-client parts and tier.
    edges : pandas.DataFrame
        One row per edge (``edge_table``).
    communities : communities.CommunityResult
    modularity : float
    staff_strength : pandas.DataFrame
        Staff–client strength (``strength.staff_client_strength``).
    key_person : risk.KeyPersonRisk
    overdue : pandas.DataFrame
        ``maintenance.overdue_clients``.
    coverage_gaps : pandas.DataFrame
        ``maintenance.coverage_gaps``.
    problems : pandas.DataFrame
        Rows left out of the graph (``graph.PROBLEM_COLUMNS``).
    notes : list of Note
        How measures were computed (exact or sampled, restricted, missing parts).
    settings : dict
        The settings used, for display.
    """

    graph: nx.Graph
    client_graph: nx.Graph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    communities: communities.CommunityResult
    modularity: float
    staff_strength: pd.DataFrame
    key_person: KeyPersonRisk
    overdue: pd.DataFrame
    coverage_gaps: pd.DataFrame
    problems: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def translated_notes(self, lang: str) -> list[tuple[str, str]]:
        """Return ``(key, message)`` of every note in ``lang`` ("en" or "zh")."""
        return [(note.key, note.message(lang)) for note in self.notes]


def analyse_network(store_or_frames, *, as_of=None, clv=None,
                    channel_weights: dict[str, float] | None = None,
                    half_life_days: float = strength_module.HALF_LIFE_DAYS,
                    evidence_for_good: float = strength_module.PAIR_EVIDENCE_FOR_GOOD,
                    seed: int = 42,
                    exact_max_nodes: int = centrality.EXACT_MAX_NODES,
                    pivots: int = centrality.PIVOTS,
                    key_weights: dict[str, float] | None = None,
                    cadence_days: dict[str, int] | None = None,
                    tier_shares: dict[str, float] | None = None) -> NetworkAnalysis:
    """Build the client network of a book and compute every measure.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
        The book (``graph.load_tables``).
    as_of : date-like, optional
        Date of the strength scores; default the latest interaction date.
    clv : ClvResult, DataFrame or Series, optional
        Per-client CLV (``client_id``, ``clv``); without it the key-client score
        and tiers use network position and exposure only.
    channel_weights, half_life_days
        Staff–client strength settings (``strength``).
    evidence_for_good : float, default 3
        Client–client evidence units that score 60.
    seed : int, default 42
        Seed of Louvain and of the pivot draw of sampled centralities.
    exact_max_nodes, pivots
        See ``centrality.centrality_table``.
    key_weights : dict, optional
        Weights of ``network``, ``clv``, ``exposure`` (``key_clients``).
    cadence_days, tier_shares : dict, optional
        See ``maintenance``.

    Raises
    ------
    NetworkError
        For invalid input or settings; the message names the value.
    """
    tables = graph.load_tables(store_or_frames)
    as_of = _as_of(tables, as_of)
    built = graph.build_graph(tables, as_of=as_of, channel_weights=channel_weights,
                              half_life_days=half_life_days,
                              evidence_for_good=evidence_for_good)
    client_graph = graph.client_subgraph(built.graph)
    logger.info("network as of %s: %d clients, %d client ties, %d staff ties",
                as_of.date(), client_graph.number_of_nodes(),
                client_graph.number_of_edges(),
                built.graph.number_of_edges() - client_graph.number_of_edges())

    # Market measures on the client–client graph.
    measures, notes = centrality.centrality_table(
        client_graph, exact_max_nodes=exact_max_nodes, pivots=pivots, seed=seed)
    found = communities.detect_communities(client_graph, seed=seed)
    brokers, broker_notes = broker_table(client_graph)
    notes += broker_notes

    # Value: CLV, exposure, key-client score and tiers.
    client_ids = list(client_graph.nodes)
    clv_values = key_clients.clv_series(clv)
    exposure = key_clients.client_exposure(tables["deals"], as_of)
    key_table, key_notes = key_clients.key_client_table(
        client_ids, pagerank=measures["pagerank"], clv=clv_values, exposure=exposure,
        weights=key_weights)
    notes += key_notes
    tiers = maintenance.client_tiers(client_ids, clv=clv_values, exposure=exposure,
                                     tier_shares=tier_shares)

    # Staff: key-person risk, overdue clients and coverage gaps.
    risk = key_person_risk(built.graph)
    overdue = maintenance.overdue_clients(tables["interactions"], tiers, as_of,
                                          cadence_days=cadence_days)
    gaps = maintenance.coverage_gaps(tiers, risk.clients)

    nodes = node_table(client_graph, measures, found, brokers, key_table, tiers,
                       risk.clients)
    _annotate(built.graph, nodes)
    _annotate(client_graph, nodes)
    notes.append(Note("network.note.modularity",
                      {"modularity": f"{found.modularity:.3f}",
                       "communities": len(found.communities), "seed": seed}))
    settings = {"as_of": as_of, "half_life_days": half_life_days,
                "channel_weights": strength_module.validate_channel_weights(
                    channel_weights),
                "interaction_scale": strength_module.interaction_scale(
                    channel_weights, half_life_days),
                "pair_scale": strength_module.pair_scale(evidence_for_good),
                "seed": seed}
    return NetworkAnalysis(
        graph=built.graph, client_graph=client_graph, nodes=nodes,
        edges=edge_table(built.graph), communities=found,
        modularity=found.modularity, staff_strength=built.staff_strength,
        key_person=risk, overdue=overdue, coverage_gaps=gaps,
        problems=built.problems, notes=notes, settings=settings)


def node_table(G: nx.Graph, measures: pd.DataFrame,
               found: communities.CommunityResult, brokers: pd.DataFrame,
               key_table: pd.DataFrame, tiers: pd.DataFrame,
               ties: pd.DataFrame) -> pd.DataFrame:
    """Return one row per client with every measure, sorted by key-client rank."""
    index = pd.Index(list(G.nodes), name="client_id")
    table = pd.DataFrame({
        "name": [G.nodes[n].get("name") for n in index],
        "client_type": [G.nodes[n].get("client_type") for n in index],
        "region": [G.nodes[n].get("region") for n in index],
    }, index=index)
    table = table.join(measures).join(found.membership.rename("community"))
    table = table.join(brokers).join(key_table).join(tiers)
    staff_ties = ties.set_index("client_id")[["good_ties", "best_staff",
                                              "best_strength"]]
    table = table.join(staff_ties)
    return table.sort_values(["key_rank", "name"], kind="stable")


def edge_table(G: nx.Graph) -> pd.DataFrame:
    """Return one row per edge: ends, type, strength, band, distance and evidence.

    ``evidence`` keeps the list of ``(kind, reference, weight)`` tuples;
    ``evidence_summary`` counts them by kind, e.g. "shared_project × 2, syndicate × 1".
    """
    rows = []
    for u, v, data in G.edges(data=True):
        evidence = data.get("evidence", [])
        counts: dict[str, int] = {}
        for kind, _, _ in evidence:
            counts[kind] = counts.get(kind, 0) + 1
        rows.append({
            "source": u, "target": v,
            "source_name": G.nodes[u].get("name"),
            "target_name": G.nodes[v].get("name"),
            "edge_type": data.get("edge_type"),
            "strength": data.get("strength"), "band": data.get("band"),
            "distance": data.get("distance"), "trend": data.get("trend"),
            "evidence_total": data.get("evidence_total"),
            "evidence_count": len(evidence),
            "evidence_summary": ", ".join(f"{k} × {c}"
                                          for k, c in sorted(counts.items())),
            "evidence": evidence,
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["strength", "source", "target"],
                             ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def _annotate(G: nx.Graph, nodes: pd.DataFrame) -> None:
    # The picture reads these attributes from the graph's nodes.
    for column in NODE_ATTRIBUTES:
        values = nodes[column].to_dict()
        for node, value in values.items():
            G.nodes[node][column] = None if pd.isna(value) else value


def _as_of(tables: dict, as_of) -> pd.Timestamp:
    if as_of is None:
        return graph.default_as_of(tables)
    try:
        return pd.Timestamp(as_of).normalize()
    except (TypeError, ValueError):
        raise NetworkError("network.error.bad_as_of", value=as_of) from None
