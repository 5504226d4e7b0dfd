"""Time and peak memory of the client network on a synthetic book.

The synthetic book (fixed seed) has 10,000 clients in 20 regions, client–client
relationships drawn mostly within a region, 3,000 projects of 2 to 6 clients
each, and 40,000 interactions of 50 members of staff, so the graph has about
10,000 client nodes and 100,000 edges. Steps: building the graph, centralities
(betweenness and closeness from 500 pivots, because the graph is above the exact
limit of 3,000 nodes), Louvain communities, broker measures, key-person risk, one
warm introduction, the whole ``analyse_network`` call, and the HTML of the
default view (top 300 clients). Peak memory is the tracemalloc peak of a separate
run of each step (allocations made by the step), because tracing slows the timed
run.

Run: ``.venv/bin/python benchmarks/bench_network.py [--clients 10000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pfcrm_core.network import (analyse_network, broker_table, build_graph,  # noqa: E402
                                centrality_table, client_subgraph, detect_communities,
                                key_person_risk, render_html, view_top_clients,
                                warm_introductions)
from pfcrm_core.network.graph import load_tables  # noqa: E402

AS_OF = pd.Timestamp("2026-09-30")
ANALYSIS_TARGET_SECONDS = 15.0
HTML_TARGET_SECONDS = 1.0


def synthetic_book(clients: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Return clients, projects' deals, relationships and interactions."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"C-{i:06d}" for i in range(clients)])
    region = rng.integers(20, size=clients)
    client_frame = pd.DataFrame({
        "client_id": ids, "name": [f"Client {i}" for i in range(clients)],
        "client_type": rng.choice(["bank", "sponsor", "contractor", "investor"],
                                  size=clients),
        "region": [f"region {r}" for r in region]})

    # Relationships: 85 % within the region, the rest anywhere.
    count = 7 * clients
    first = rng.integers(clients, size=count)
    members = [np.flatnonzero(region == r) for r in range(20)]
    same = rng.random(count) < 0.85
    second = np.where(same, [members[region[f]][rng.integers(len(members[region[f]]))]
                             for f in first], rng.integers(clients, size=count))
    keep = first != second
    a, b = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
    relationships = pd.DataFrame({
        "source_id": ids[a], "target_id": ids[b],
        "kind": rng.choice(["syndicate", "introduction", "consortium"], size=len(a)),
        "weight": rng.integers(1, 4, size=len(a)).astype(float)}) \
        .drop_duplicates(["source_id", "target_id", "kind"])

    # Deals: 3,000 projects with 2 to 6 clients from one region.
    rows = []
    for project in range(clients * 3 // 10):
        pool = members[rng.integers(20)]
        for client in rng.choice(pool, size=rng.integers(2, 7), replace=False):
            rows.append((f"P-{project:05d}", ids[client], "lender",
                         float(rng.lognormal(17, 1)), "usd"))
    deals = pd.DataFrame(rows, columns=["project_id", "client_id", "role", "amount",
                                        "currency"])
    deals.insert(0, "deal_id", [f"D-{i:06d}" for i in range(len(deals))])
    deals["start_date"] = AS_OF - pd.Timedelta(days=400)
    deals["maturity_date"] = AS_OF + pd.Timedelta(days=2000)

    # Interactions: 50 staff, each covering clients of a few regions.
    count = 4 * clients
    staff = rng.integers(50, size=count)
    client = np.array([members[(s % 20)][rng.integers(len(members[s % 20]))]
                       for s in staff])
    interactions = pd.DataFrame({
        "interaction_id": [f"I-{i:07d}" for i in range(count)],
        "client_id": ids[client],
        "date": AS_OF - pd.to_timedelta(rng.integers(0, 730, size=count), unit="D"),
        "channel": rng.choice(["meeting", "call", "email", "note"], size=count,
                              p=[0.25, 0.3, 0.35, 0.1]),
        "staff": [f"Staff {s}" for s in staff]})
    return {"clients": client_frame, "deals": deals, "relationships": relationships,
            "interactions": interactions}


def measure(step) -> tuple[float, float, object]:
    """Return the time in s, the traced peak in MiB and the step's result."""
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, result


def run(clients: int) -> list[dict]:
    """Time every step; return one row per step."""
    book = synthetic_book(clients)
    tables = load_tables(book)
    rows = []

    def record(step, target, seconds, peak, G):
        rows.append({"step": step, "nodes": G.number_of_nodes(),
                     "edges": G.number_of_edges(), "seconds": seconds,
                     "peak_mib": peak, "target_s": target,
                     "result": "" if target is None else
                     ("pass" if seconds <= target else "FAIL")})

    seconds, peak, built = measure(lambda: build_graph(tables, as_of=AS_OF))
    G = built.graph
    record("build graph", None, seconds, peak, G)
    clients_only = client_subgraph(G)

    for step, call in (
            ("centralities", lambda: centrality_table(clients_only)),
            ("communities (Louvain)", lambda: detect_communities(clients_only)),
            ("brokers", lambda: broker_table(clients_only)),
            ("key-person risk", lambda: key_person_risk(G))):
        seconds, peak, _ = measure(call)
        record(step, None, seconds, peak, clients_only if step != "key-person risk"
               else G)

    target = next(iter(clients_only.nodes))
    seconds, peak, _ = measure(lambda: warm_introductions(G, target))
    record("warm introduction", None, seconds, peak, G)

    seconds, peak, analysis = measure(lambda: analyse_network(book, as_of=AS_OF))
    record("analyse_network (all)", ANALYSIS_TARGET_SECONDS, seconds, peak,
           analysis.graph)

    def default_view():
        return render_html(view_top_clients(analysis.graph))
    seconds, peak, picture = measure(default_view)
    rows.append({"step": "HTML, default view", "nodes": picture.nodes,
                 "edges": picture.edges, "seconds": seconds, "peak_mib": peak,
                 "target_s": HTML_TARGET_SECONDS,
                 "result": "pass" if seconds <= HTML_TARGET_SECONDS else "FAIL"})
    for note in analysis.notes:
        print("note:", note.message("en"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000,
                        help="number of synthetic clients (default 10000)")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}")
    table = pd.DataFrame(run(args.clients))
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}",
                          na_rep=""))


if __name__ == "__main__":
    main()
