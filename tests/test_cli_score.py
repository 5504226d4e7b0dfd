"""The score command, run as a real subprocess on the demo store and on a file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GERMAN = ROOT / "tests" / "data" / "germancredit.csv"


def _run(*args, db=None):
    command = [sys.executable, "-m", "pfcrm_core"]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(command + list(args), cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_score_on_german_file_meets_auc():
    result = _run("score", "--file", str(GERMAN), "--target", "creditability",
                  "--bad", "bad", "--json")

    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["auc"] >= 0.78
    assert report["gini"] == pytest.approx(2 * report["auc"] - 1)
    assert 0 < report["ks"] < 1
    assert "status_of_existing_checking_account" in report["iv"]
    assert len(report["riskiest"]) == 10


def test_score_on_store_lists_riskiest(demo_db_path, tmp_path):
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db_path.read_bytes())

    result = _run("score", "--top", "3", db=db)

    assert result.returncode == 0
    assert "AUC=" in result.stdout
    assert "Riskiest 3:" in result.stdout
    assert "rating_notch" in result.stdout


def test_score_file_without_target_is_usage_error():
    result = _run("score", "--file", str(GERMAN))

    assert result.returncode == 2
    assert "--file needs --target" in result.stderr


def test_score_unknown_target_names_columns():
    result = _run("score", "--file", str(GERMAN), "--target", "nope", "--bad", "bad")

    assert result.returncode == 1
    assert "nope" in result.stderr
    assert "Traceback" not in result.stderr


def test_score_missing_file_is_one_line():
    result = _run("score", "--file", "/no/such.csv", "--target", "x")

    assert result.returncode == 1
    assert "was not found" in result.stderr
    assert "Traceback" not in result.stderr
