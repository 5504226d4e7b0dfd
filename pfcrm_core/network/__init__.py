"""The client relationship network: graph, strength, centralities, communities,
brokers, key clients, key-person risk, warm introductions, maintenance and the
offline picture.

``analyse_network`` runs the whole chain on a store or on canonical frames.
"""

from pfcrm_core.network.analysis import (NetworkAnalysis, analyse_network, edge_table,
                                         node_table)
from pfcrm_core.network.brokers import broker_table
from pfcrm_core.network.centrality import centrality_table, path_centralities
from pfcrm_core.network.communities import CommunityResult, detect_communities
from pfcrm_core.network.errors import NetworkError, Note
from pfcrm_core.network.graph import (BuiltGraph, build_graph, client_subgraph,
                                      load_tables, staff_node)
from pfcrm_core.network.key_clients import client_exposure, key_client_table
from pfcrm_core.network.maintenance import (CADENCE_DAYS, client_tiers, coverage_gaps,
                                            overdue_clients)
from pfcrm_core.network.paths import warm_introductions
from pfcrm_core.network.render import (NetworkPicture, external_references,
                                       filter_graph, render_html, view_communities,
                                       view_ego, view_top_clients)
from pfcrm_core.network.risk import KeyPersonRisk, key_person_risk
from pfcrm_core.network.strength import (CHANNEL_WEIGHTS, explain_strength,
                                         interaction_scale, staff_client_strength,
                                         strength_band, strength_score)

__all__ = [
    "BuiltGraph", "CADENCE_DAYS", "CHANNEL_WEIGHTS", "CommunityResult",
    "KeyPersonRisk", "NetworkAnalysis", "NetworkError", "NetworkPicture", "Note",
    "analyse_network", "broker_table", "build_graph", "centrality_table",
    "client_exposure", "client_subgraph", "client_tiers", "coverage_gaps",
    "detect_communities", "edge_table", "explain_strength", "external_references",
    "filter_graph", "interaction_scale", "key_client_table", "key_person_risk",
    "load_tables", "node_table", "overdue_clients", "render_html",
    "path_centralities", "staff_client_strength", "staff_node",
    "strength_band", "strength_score", "view_communities", "view_ego",
    "view_top_clients", "warm_introductions",
]
