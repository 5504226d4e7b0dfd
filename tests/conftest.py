"""Shared fixtures: stores in temporary DuckDB files and the demo book built once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pfcrm_core.store import Store  # noqa: E402

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty store in its own DuckDB file."""
    return Store(tmp_path / "test.duckdb", busy_timeout=1.0)


@pytest.fixture(scope="session")
def demo_frames():
    """The demo book's tables, generated once per test session."""
    from pfcrm_core.demo import DEFAULT_SEED, generate_demo

    return generate_demo(seed=DEFAULT_SEED)


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory, demo_frames) -> Path:
    """A DuckDB file holding the demo book; tests must not write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    Store(path).replace_all(demo_frames, label="demo data (tests)")
    return path


@pytest.fixture
def fresh_caches():
    """Clear Streamlit's caches around a test: they outlive an AppTest in one process."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def demo_copy(tmp_path, demo_db_path, monkeypatch) -> Path:
    """A writable copy of the demo database, selected through PFCRM_DB."""
    import shutil

    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("PFCRM_DB", str(path))
    return path


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    """A database path with nothing in it yet, selected through PFCRM_DB."""
    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv("PFCRM_DB", str(path))
    return path
