"""Time and memory of scorecard fitting and scoring on simulated applications.

Simulates 20 candidate variables (14 numeric with 2% missing values, 6 categorical
with 4 to 12 levels) and a default flag from a logistic model with a bad rate of
about 10%. Then it times ``Scorecard.fit`` on 100,000 rows and ``score_points`` on
1,000,000 rows. Each step runs ``--repeat`` times and the fastest time is printed.
Peak memory is measured in a separate run of the step under tracemalloc
(allocations made by the step, not the input data), because tracing slows the
timed run.

Run: ``.venv/bin/python benchmarks/bench_risk.py [--fit-rows 100000]
[--score-rows 1000000] [--repeat 1]``
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pfcrm_core.risk import Scorecard  # noqa: E402

N_NUMERIC = 14
N_CATEGORICAL = 6
FIT_TARGET_SECONDS = 60.0
SCORE_TARGET_SECONDS = 5.0


def simulate(n_rows: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """Return 20 candidate variables and a 0/1 default flag."""
    rng = np.random.default_rng(seed)
    columns, logit = {}, np.full(n_rows, -2.6)
    for i in range(N_NUMERIC):
        values = rng.normal(size=n_rows)
        logit += (0.35 if i % 2 else -0.25) * values / (1 + i % 3)
        values[rng.random(n_rows) < 0.02] = np.nan
        columns[f"num_{i:02d}"] = values
    for i in range(N_CATEGORICAL):
        levels = 4 + 2 * i
        codes = rng.integers(0, levels, size=n_rows)
        logit += np.linspace(-0.4, 0.4, levels)[codes]
        columns[f"cat_{i:02d}"] = np.array([f"level_{k}" for k in range(levels)],
                                           dtype=object)[codes]
    y = (rng.random(n_rows) < 1 / (1 + np.exp(-np.nan_to_num(logit)))).astype(int)
    return pd.DataFrame(columns), pd.Series(y, name="default")


def measure(step, repeat: int) -> tuple[float, float, object]:
    """Return the fastest time in s, the traced peak in MiB and the step's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit-rows", type=int, default=100_000)
    parser.add_argument("--score-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    X_fit, y_fit = simulate(args.fit_rows, seed=1)
    seconds_fit, peak_fit, model = measure(lambda: Scorecard().fit(X_fit, y_fit),
                                           args.repeat)
    X_score, _ = simulate(args.score_rows, seed=2)
    seconds_score, peak_score, _ = measure(lambda: model.score_points(X_score),
                                           args.repeat)

    rows = [("Scorecard.fit (20 variables)", args.fit_rows, seconds_fit, peak_fit,
             FIT_TARGET_SECONDS),
            ("Scorecard.score_points", args.score_rows, seconds_score, peak_score,
             SCORE_TARGET_SECONDS)]
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"model: {len(model.selected_variables_)} of 20 variables selected, "
          f"bad rate {y_fit.mean():.1%}\n")
    print(f"| {'step':<30} | {'rows':>10} | {'seconds':>8} | {'peak MiB':>9} | "
          f"{'target s':>8} | result |")
    print(f"|{'-' * 32}|{'-' * 12}|{'-' * 10}|{'-' * 11}|{'-' * 10}|--------|")
    status = 0
    for step, n, seconds, peak, target in rows:
        passed = seconds <= target
        status |= 0 if passed else 1
        print(f"| {step:<30} | {n:>10,} | {seconds:>8.2f} | {peak:>9.1f} | "
              f"{target:>8.0f} | {'pass' if passed else 'FAIL':<6} |")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
