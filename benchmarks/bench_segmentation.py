"""Time and peak memory of client segmentation on a synthetic book of 100,000 clients.

The synthetic feature frame has the shape ``features.build_features`` returns
(client type, sector, region, rating notch, PD, exposure, fee income, CLV,
P(alive), NPS, RFM inputs), drawn from a fixed seed with a latent segment per
client, so clusters exist. Building features from stored tables is not timed
here. Steps: preprocessing, k-means with automatic k (MiniBatchKMeans above 20,000
clients, silhouette on a 5,000-client sample), stability over 5 seeds, profiles,
projection and risk x value map, and the Gaussian mixture with automatic k (BIC on
a 10,000-client sample). Peak memory is the tracemalloc peak of a separate run of
each step (allocations made by the step), because tracing slows the timed run.

Run: ``.venv/bin/python benchmarks/bench_segmentation.py [--clients 100000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np
import pandas as pd

from pfcrm_core.schema import CLIENT_TYPES
from pfcrm_core.segmentation import clustering
from pfcrm_core.segmentation.maps import pca_projection, risk_value_map
from pfcrm_core.segmentation.model import fit_segment_model, segment_ids
from pfcrm_core.segmentation.profiles import profile_table
from pfcrm_core.segmentation.rules import rfm_scores

TARGET_SECONDS = 20.0
SECTORS = ("energy", "transport", "water", "social infrastructure", "telecom",
           "financial services")
REGIONS = ("asia pacific", "greater china", "europe", "middle east & africa",
           "americas")


def synthetic_features(count: int, seed: int = 0) -> pd.DataFrame:
    """Return a seeded feature frame of ``count`` clients with 4 latent segments."""
    rng = np.random.default_rng(seed)
    segment = rng.choice(4, size=count, p=[0.4, 0.3, 0.2, 0.1])
    notch = np.clip(np.rint(rng.normal([8, 11, 13, 16], 2.0)[segment]), 1, 22)
    scale = np.array([3e8, 8e7, 2e7, 5e6])[segment]
    frame = pd.DataFrame({
        "client_type": rng.choice(CLIENT_TYPES, size=count).astype(object),
        "sector": rng.choice(SECTORS, size=count).astype(object),
        "region": rng.choice(REGIONS, size=count).astype(object),
        "rating_notch": notch,
        "pd": np.minimum(0.0001 * np.exp(0.45 * notch), 1.0),
        "default_12m": (rng.random(count) < 0.0001 * np.exp(0.45 * notch)) * 1.0,
        "exposure_usd": scale * rng.lognormal(0, 0.8, count),
        "fee_income_12m_usd": scale * 1e-3 * rng.lognormal(0, 0.8, count),
        "clv": scale * 2e-3 * rng.lognormal(0, 0.8, count),
        "p_alive": np.clip(rng.normal([0.95, 0.8, 0.5, 0.2], 0.1)[segment], 0, 1),
        "nps": np.clip(np.rint(rng.normal([8.5, 7.5, 6.0, 4.0], 1.5)[segment]), 0, 10),
        "recency_days": rng.exponential([20, 60, 150, 400])[segment],
        "frequency_12m": rng.poisson([15, 8, 3, 1])[segment].astype(float),
        "revenue_12m_usd": scale * 1.5e-3 * rng.lognormal(0, 0.8, count),
    }, index=pd.Index([f"C-{i:07d}" for i in range(count)], name="client_id"))
    missing = rng.random(count) < 0.1
    frame.loc[missing, "nps"] = np.nan
    return frame


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


def run(count: int) -> list[dict]:
    frame = synthetic_features(count)
    rows = []

    seconds, peak, (model, X) = measure(
        lambda: fit_segment_model(frame, "kmeans", random_state=42))
    rows.append(_row("preprocess + k-means auto k", count, seconds, peak,
                     f"k={model.selection.k}"))
    total = seconds

    labels = model.assign(frame, X)
    k = model.selection.k
    steps = (
        ("stability, seeds 0..4", lambda: clustering.stability(X, "kmeans", k),
         lambda r: f"mean ARI {r['mean_ari']:.3f}"),
        ("profiles and names", lambda: profile_table(frame, labels),
         lambda r: f"{len(r)} segments"),
        ("PCA projection", lambda: pca_projection(X, labels, 42), lambda r: ""),
        ("risk x value map", lambda: risk_value_map(frame, labels), lambda r: ""),
        ("RFM scores", lambda: rfm_scores(frame), lambda r: ""),
    )
    for name, step, describe in steps:
        seconds, peak, result = measure(step)
        total += seconds
        rows.append(_row(name, count, seconds, peak, describe(result)))
    rows.append(_row("k-means segmentation, total", count, total, None, "",
                     TARGET_SECONDS))

    seconds, peak, selection = measure(
        lambda: clustering.select_clusters(X, "gmm", random_state=42))
    labels_gmm = segment_ids(selection.labels, frame.index)
    rows.append(_row("Gaussian mixture auto k", count, seconds, peak,
                     f"k={selection.k}, {labels_gmm.nunique()} used", TARGET_SECONDS))
    return rows


def _row(step, count, seconds, peak, note, target=None) -> dict:
    status = ""
    if target is not None:
        status = "pass" if seconds <= target else "FAIL"
    return {"step": step, "clients": f"{count:,}", "seconds": f"{seconds:.2f}",
            "peak MiB": "" if peak is None else f"{peak:.0f}",
            "target s": "" if target is None else f"{target:.0f}",
            "result": status, "note": note}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000,
                        help="number of synthetic clients (default 100000)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    table = pd.DataFrame(run(args.clients))
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
