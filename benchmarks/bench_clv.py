"""Time and memory of the CLV steps on simulated transactions.

Simulates clients from the published CDNOW parameters (first purchases spread over
2020, observation to 2021-12-31, weeks), then times ``rfm_summary``, the BG/NBD fit,
the Gamma-Gamma fit and the 12-month CLV table. Each step runs ``--repeat`` times and
the fastest time is printed. Peak memory is measured in a separate run of the step
under tracemalloc (allocations made by the step, not the input data), because
tracing slows the timed run.

Run: ``.venv/bin/python benchmarks/bench_clv.py [--sizes 10000 100000 1000000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
import warnings

import pandas as pd

from pfcrm_core.clv import (BetaGeoModel, GammaGammaModel, customer_lifetime_value,
                            rfm_summary)
from pfcrm_core.clv.simulation import simulate_transactions

OBSERVATION_END = "2021-12-31"
# Target for both fits on 1,000,000 clients on a 2-core machine.
FIT_TARGET_SECONDS = {1_000_000: 5.0}


def measure(step, repeat: int) -> tuple[float, float, object]:
    """Return the fastest time in s, the traced peak in MiB and the step's result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20, result


def run_size(n_clients: int, repeat: int) -> list[dict]:
    transactions = simulate_transactions(n_clients, observation_end=OBSERVATION_END,
                                         seed=n_clients)
    rows = []

    seconds, peak, summary = measure(
        lambda: rfm_summary(transactions, observation_end=OBSERVATION_END), repeat)
    rows.append(_row("rfm_summary", n_clients, seconds, peak, None,
                     f"{len(transactions):,} transactions"))

    def fit_bgnbd():
        return BetaGeoModel().fit(summary["frequency"], summary["recency"],
                                  summary["T"])

    def fit_gamma_gamma():
        return GammaGammaModel().fit(summary["frequency"], summary["monetary_value"])

    bg_seconds, bg_peak, bgnbd = measure(fit_bgnbd, repeat)
    rows.append(_row("BG/NBD fit", n_clients, bg_seconds, bg_peak, None,
                     f"{bgnbd.convergence_['evaluations']} evaluations"))
    gg_seconds, gg_peak, gamma_gamma = measure(fit_gamma_gamma, repeat)
    rows.append(_row("Gamma-Gamma fit", n_clients, gg_seconds, gg_peak, None,
                     f"{int(gamma_gamma.n_clients_):,} repeat clients"))
    rows.append(_row("both fits", n_clients, bg_seconds + gg_seconds,
                     max(bg_peak, gg_peak), FIT_TARGET_SECONDS.get(n_clients), ""))

    seconds, peak, _ = measure(
        lambda: customer_lifetime_value(bgnbd, gamma_gamma, summary), repeat)
    rows.append(_row("CLV table, 12 months", n_clients, seconds, peak, None, ""))
    return rows


def _row(step, n_clients, seconds, peak, target, note) -> dict:
    if target is None:
        verdict = "-"
    else:
        verdict = "pass" if seconds <= target else "FAIL"
    return {"step": step, "clients": f"{n_clients:,}", "seconds": f"{seconds:.2f}",
            "peak MiB": f"{peak:.0f}",
            "target s": "-" if target is None else f"{target:g}",
            "result": verdict, "note": note}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[10_000, 100_000, 1_000_000],
                        help="numbers of clients to simulate")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per step; the fastest is reported")
    args = parser.parse_args()

    warnings.simplefilter("ignore")
    rows = []
    for n_clients in args.sizes:
        rows.extend(run_size(n_clients, args.repeat))

    print(f"python {platform.python_version()}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
