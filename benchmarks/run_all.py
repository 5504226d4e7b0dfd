"""Run every benchmark script in this folder, one process each, and print their tables.

Usage: ``.venv/bin/python benchmarks/run_all.py`` (or ``make bench``). Each script
prints its own table of times, peak memory and targets; see README.md here for the
figures measured on the reference machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    # The scripts import pfcrm_core from the checkout, not from an installed copy.
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n## {script.name}\n", flush=True)
        status |= subprocess.call([sys.executable, str(script)], cwd=HERE.parent, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main())
