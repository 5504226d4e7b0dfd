"""``python -m pfcrm_core run-rules`` as a real subprocess on copies of the demo book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pfcrm_core.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PFCRM_DB"}
    return subprocess.run([sys.executable, "-m", "pfcrm_core", "--db", str(db), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def demo_file(tmp_path, demo_db_path) -> Path:
    path = tmp_path / "rules.duckdb"
    shutil.copy(demo_db_path, path)
    return path


def test_run_rules_creates_then_dedupes(demo_file):
    first = run_cli(demo_file, "run-rules", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["as_of"] == "2026-09-30"
    assert len(report["rules"]) == 5
    assert report["created"] > 0
    assert report["created"] == len(Store(demo_file).read_tasks())

    second = run_cli(demo_file, "run-rules", "--json")
    again = json.loads(second.stdout)
    assert second.returncode == 0
    assert again["created"] == 0
    assert sum(rule["existing"] for rule in again["rules"]) == report["created"]


def test_dry_run_writes_nothing(demo_file):
    result = run_cli(demo_file, "run-rules", "--dry-run", "--as-of", "2026-06-30")
    assert result.returncode == 0, result.stderr
    assert "Rules run at 2026-06-30 (dry run, nothing written): would create" \
        in result.stdout
    assert "Rating downgrade:" in result.stdout
    assert Store(demo_file).read_tasks().empty


def test_missing_database_is_an_error(tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    result = run_cli(missing, "run-rules")
    assert result.returncode == 1
    assert f"the database {missing} was not found" in result.stderr
    assert not missing.exists()


def test_busy_database_is_an_error(demo_file):
    holder = duckdb.connect(str(demo_file))
    try:
        env_timeout = run_cli(demo_file, "run-rules")
    finally:
        holder.close()
    assert env_timeout.returncode == 1
    assert "is in use by" in env_timeout.stderr
    assert "Traceback" not in env_timeout.stderr


def test_bad_date_is_a_usage_error(demo_file):
    result = run_cli(demo_file, "run-rules", "--as-of", "30/09/2026")
    assert result.returncode == 2
    assert "--as-of" in result.stderr


def test_closed_pipe_ends_quietly(demo_file):
    # The reader goes away before the command prints, as `| head -1` does.
    process = subprocess.Popen(
        [sys.executable, "-m", "pfcrm_core", "--db", str(demo_file), "run-rules",
         "--dry-run"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    process.stdout.close()
    _, stderr = process.communicate(timeout=300)

    assert process.returncode == 1
    assert "Traceback" not in stderr
