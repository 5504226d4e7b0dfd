"""Time and peak memory of the satisfaction and feedback analytics on synthetic data.

Steps and targets:

- NPS table and quarterly trend over 1,000,000 responses of 200,000 clients
  (one response per client per quarter, overall, by region and by quarter): 2 s;
- topics (``fit_topics``, 8 topics) over 100,000 comments in Chinese and
  English built from the demo templates: 60 s;
- attrition model (``fit_attrition``) on 100,000 clients with revenue,
  interactions and survey responses over four years: 60 s.

The data are drawn from fixed seeds. ``seconds`` is wall time and ``cpu s`` the
process CPU time, which other load on the machine affects less; the pass column
compares wall time with the target. Peak memory is the tracemalloc peak of a
separate run of each step (allocations made by the step), because tracing slows
the timed run.

Run: ``.venv/bin/python benchmarks/bench_satisfaction.py``
"""

from __future__ import annotations

import os
import platform
import time
import tracemalloc

import numpy as np
import pandas as pd

from pfcrm_core.demo import feedback_text
from pfcrm_core.feedback.topics import fit_topics
from pfcrm_core.satisfaction.attrition import fit_attrition
from pfcrm_core.satisfaction.metrics import satisfaction_table
from pfcrm_core.satisfaction.trends import satisfaction_trend

REGIONS = ("asia pacific", "greater china", "europe", "middle east & africa",
           "americas")


def synthetic_responses(count: int, clients: int, seed: int = 0) -> tuple:
    """Return ``count`` survey responses of ``clients`` clients, and the clients."""
    rng = np.random.default_rng(seed)
    client_ids = np.array([f"C{i:07d}" for i in range(clients)], dtype=object)
    owner = rng.integers(0, clients, count)
    responses = pd.DataFrame({
        "response_id": np.arange(count).astype(str),
        "client_id": client_ids[owner],
        "date": pd.Timestamp("2021-01-01")
        + pd.to_timedelta(rng.integers(0, 5 * 365, count), unit="D"),
        "nps": rng.integers(0, 11, count),
        "csat": rng.integers(1, 6, count),
    })
    table = pd.DataFrame({"client_id": client_ids,
                          "region": rng.choice(REGIONS, clients)})
    return responses, table


def synthetic_comments(count: int, seed: int = 1) -> list[str]:
    """Return ``count`` comments drawn from the demo comment templates."""
    rng = np.random.default_rng(seed)
    sentiments = rng.choice(["positive", "neutral", "negative"], count)
    languages = rng.choice(["zh", "en"], count)
    return feedback_text.draw_comments(rng, sentiments, languages)


def synthetic_book(clients: int, seed: int = 2) -> dict:
    """Return a book of ``clients`` clients; unhappy clients stop activity sooner."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"C{i:07d}" for i in range(clients)], dtype=object)
    satisfaction = rng.standard_normal(clients)
    start = pd.Timestamp("2022-01-01")
    days = 4 * 365
    # Each client is active from day 0 until a lapse day that comes earlier for
    # unhappy clients; about a third lapse within the four years.
    lapse = rng.exponential(days * np.exp(0.8 * satisfaction) * 1.5)
    revenue = _events(rng, ids, lapse, days, per_client=12, start=start)
    revenue["amount"] = rng.gamma(3.0, 10_000.0, len(revenue))
    interactions = _events(rng, ids, lapse + 90, days, per_client=10, start=start)
    responses = _events(rng, ids, lapse, days, per_client=3, start=start)
    responses["nps"] = np.clip(np.rint(7.5 + 1.8 * satisfaction[
        pd.Index(ids).get_indexer(responses["client_id"])]
        + rng.normal(0, 1, len(responses))), 0, 10).astype(int)
    responses["csat"] = np.clip(np.rint(responses["nps"] / 2.5), 1, 5).astype(int)
    responses["response_id"] = np.arange(len(responses)).astype(str)
    responses["follow_up_status"] = "none"
    return {"clients": pd.DataFrame({"client_id": ids}), "revenue": revenue,
            "interactions": interactions, "feedback": responses,
            "deals": pd.DataFrame({"client_id": pd.Series(dtype=object),
                                   "start_date": pd.Series(dtype="datetime64[ns]")})}


def _events(rng, ids, lapse, days, per_client, start) -> pd.DataFrame:
    counts = rng.poisson(per_client, len(ids))
    owner = np.repeat(np.arange(len(ids)), counts)
    offset = rng.random(len(owner)) * days
    keep = offset < np.minimum(lapse[owner], days)
    return pd.DataFrame({
        "client_id": ids[owner[keep]],
        "date": start + pd.to_timedelta(offset[keep].astype(int), unit="D"),
    })


def _measure(step):
    start, cpu_start = time.perf_counter(), time.process_time()
    step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    return seconds, cpu_seconds, peak


def main() -> None:
    responses, clients = synthetic_responses(1_000_000, 200_000)
    comments = synthetic_comments(100_000)
    book = synthetic_book(100_000)

    def nps_and_trends():
        satisfaction_table(responses)
        satisfaction_table(responses, by="region", clients=clients)
        satisfaction_trend(responses, period="quarter")

    steps = [
        ("NPS table and trend", len(responses), nps_and_trends, 2.0),
        ("topics (8, char 2-4-grams)", len(comments),
         lambda: fit_topics(comments, n_topics=8), 60.0),
        ("attrition model", len(book["clients"]),
         lambda: fit_attrition(book), 60.0),
    ]
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.machine()}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'step':<30} {'rows':>10} {'seconds':>8} {'cpu s':>7} {'peak MiB':>9} "
          f"{'target':>7} {'pass':>5}")
    for name, rows, step, target in steps:
        seconds, cpu_seconds, peak = _measure(step)
        verdict = "yes" if seconds <= target else "NO"
        print(f"{name:<30} {rows:>10,} {seconds:>8.2f} {cpu_seconds:>7.2f} "
              f"{peak:>9.0f} {target:>7.0f} {verdict:>5}", flush=True)


if __name__ == "__main__":
    main()
