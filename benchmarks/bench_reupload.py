"""Preview time of re-uploading a large revenue file, and how long each store
connection stays open meanwhile.

The case: a revenue CSV is imported into a store that contains its clients, then the
same file is prepared again (:func:`prepare_import`), as when an analyst uploads
it a second time. Every row is then "unchanged". The script prints the wall time of
the second preview, the peak resident memory of the process, and each DuckDB
connection opened during that preview with the seconds it stayed open, because
while a connection is open no other process can use the database file.

Input: ``--file PATH`` (a revenue CSV with client_id, date, amount, currency and
kind columns), or a generated file of ``--rows`` rows with the same columns.

Run: ``.venv/bin/python benchmarks/bench_reupload.py [--file PATH] [--rows 292542]
[--repeat 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pfcrm_core.ingest import commit_import, prepare_import  # noqa: E402
from pfcrm_core.store import Store  # noqa: E402

SEED = 20_240_131


class TimedStore(Store):
    """A store that records how long each connection stays open, in seconds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_seconds: list[float] = []

    @contextmanager
    def connect(self):
        start = time.perf_counter()
        try:
            with super().connect() as con:
                yield con
        finally:
            self.open_seconds.append(time.perf_counter() - start)


def write_revenue(path: Path, rows: int) -> None:
    """Write a revenue CSV of ``rows`` rows over 600 clients."""
    rng = random.Random(SEED)
    start = dt.date(2015, 1, 1)
    lines = ["client_id,date,amount,currency,kind"]
    for _ in range(rows):
        day = start + dt.timedelta(days=rng.randrange(3650))
        lines.append(f"C-{rng.randint(1, 600):04d},{day.isoformat()},"
                     f"{rng.lognormvariate(9, 1.5):.2f},USD,"
                     f"{rng.choice(['fees', 'interest', 'advisory'])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="revenue CSV to import twice")
    parser.add_argument("--rows", type=int, default=292_542,
                        help="rows of the generated file when --file is not given")
    parser.add_argument("--repeat", type=int, default=3,
                        help="re-upload previews to run; the best time is printed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pfcrm-reupload-") as folder:
        source = args.file
        if source is None:
            source = Path(folder) / "revenue.csv"
            write_revenue(source, args.rows)
        ids = pd.read_csv(source, usecols=["client_id"], dtype=str)["client_id"]
        clients = pd.DataFrame({"client_id": sorted(ids.str.strip().unique())})
        store = TimedStore(Path(folder) / "bench.duckdb")
        store.replace_all({"clients": clients}, label="benchmark clients")

        start = time.perf_counter()
        first = prepare_import(source, "revenue", store)
        commit_import(first, store, skip_invalid=True)
        first_seconds = time.perf_counter() - start

        preview_seconds = float("inf")
        for _ in range(args.repeat):
            store.open_seconds.clear()
            start = time.perf_counter()
            again = prepare_import(source, "revenue", store)
            preview_seconds = min(preview_seconds, time.perf_counter() - start)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"file: {source.name}, {again.rows_in_file:,} rows")
    print(f"{'step':<40}{'value':>12}")
    print(f"{'first import (preview + commit), s':<40}{first_seconds:>12.1f}")
    print(f"{'re-upload preview (best), s':<40}{preview_seconds:>12.1f}")
    print(f"{'rows unchanged on re-upload':<40}{again.unchanged:>12,}")
    print(f"{'connections opened during preview':<40}{len(store.open_seconds):>12}")
    print(f"{'longest connection, s':<40}{max(store.open_seconds):>12.2f}")
    print(f"{'all connections together, s':<40}{sum(store.open_seconds):>12.2f}")
    print(f"{'peak resident memory, MiB':<40}{peak_mib:>12.0f}")


if __name__ == "__main__":
    main()
