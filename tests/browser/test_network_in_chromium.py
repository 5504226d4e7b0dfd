"""The Network page in a real browser: a client name made of HTML stays text, the
drawing loads inside its iframe, and nothing leaves 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager

import pandas as pd
import pytest
from playwright.sync_api import expect

from pfcrm_core.store import Store
from tests.browser.conftest import ARTIFACTS, ROOT, _free_port, _wait_healthy

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "X-001"
PICTURE = 'iframe[data-testid="stIFrame"]'
TIMEOUT_MS = 90_000


def _add_hostile_client(db_path) -> None:
    """Add a client whose name is HTML, with staff interactions and ties."""
    store = Store(db_path)
    rows = {
        "clients": pd.DataFrame({"client_id": [HOSTILE_ID], "name": [HOSTILE_NAME],
                                 "client_type": ["bank"], "sector": ["energy"],
                                 "region": ["europe"]}),
        "interactions": pd.DataFrame({
            "interaction_id": ["X-I1", "X-I2", "X-I3", "X-I4"],
            "client_id": [HOSTILE_ID] * 4,
            "date": pd.to_datetime(["2026-07-15", "2026-08-14", "2026-09-12",
                                    "2026-09-20"]).date,
            "channel": ["meeting", "meeting", "call", "email"],
            "staff": ["Sophie Martin", "Sophie Martin", "Emma Clarke", "Emma Clarke"],
            "notes": [HOSTILE_NAME, "review", "call", "follow-up"]}),
        "relationships": pd.DataFrame({
            "source_id": [HOSTILE_ID, HOSTILE_ID], "target_id": ["C-0378", "C-0250"],
            "kind": ["syndicate", "introduction"], "weight": [2.0, 1.0]}),
    }
    for table, inserts in rows.items():
        store.apply_import(table, inserts, pd.DataFrame(), file_name=f"{table}.csv",
                           sha256=hashlib.sha256(table.encode()).hexdigest(),
                           rows_in_file=len(inserts),
                           rows_rejected=0)


@contextmanager
def _serve(db_path):
    port = _free_port()
    env = {**os.environ, "PFCRM_DB": str(db_path)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--", "--db", str(db_path)]
    with open(db_path.with_suffix(".log"), "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def network_server(tmp_path_factory, demo_db_path):
    """Serve app.py over a copy of the demo database with the hostile client added."""
    db_path = tmp_path_factory.mktemp("network_browser") / "app.duckdb"
    shutil.copy(demo_db_path, db_path)
    _add_hostile_client(db_path)
    with _serve(db_path) as url:
        yield url


def _open_ego_view(page, url: str, lang: str) -> None:
    # The first session of a fresh server opens the default page, then the
    # network page, so that every page is registered before it is requested.
    page.goto(f"{url}/?lang={lang}")
    page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=TIMEOUT_MS)
    # Leaving while the first page still loads its scripts would abort them.
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    page.goto(f"{url}/network?lang={lang}&view=ego&client={HOSTILE_ID}")
    page.frame_locator(PICTURE).locator("canvas").first.wait_for(timeout=TIMEOUT_MS)


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2200})
    time.sleep(1.0)
    page.screenshot(path=str(ARTIFACTS / name))


def test_hostile_name_stays_text(page, network_server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message),
                                      dialog.dismiss()))

    _open_ego_view(page, network_server, "en")

    selected = page.locator('[data-testid="stTable"]').first
    expect(selected.get_by_text(HOSTILE_NAME, exact=True)).to_be_visible(
        timeout=TIMEOUT_MS)
    frame = page.frame_locator(PICTURE)
    assert frame.locator("#legend").count() == 1
    assert page.locator('img[src="x"]').count() == 0
    assert frame.locator('img[src="x"]').count() == 0
    time.sleep(2.0)
    assert dialogs == []
    assert page.request_log.external == [], "\n".join(page.request_log.external)
    assert page.request_log.broken == [], "\n".join(page.request_log.broken)
    _screenshot(page, "network_ego_hostile_en.png")


def test_network_page_in_chinese(page, network_server):
    _open_ego_view(page, network_server, "zh")

    expect(page.get_by_role("heading", name="客户关系网络")).to_be_visible(
        timeout=TIMEOUT_MS)
    expect(page.get_by_text("所选客户")).to_be_visible()
    page.get_by_role("tab", name="引荐路径").click()
    expect(page.get_by_text("最强路径").first).to_be_visible(timeout=TIMEOUT_MS)
    assert page.request_log.external == [], "\n".join(page.request_log.external)
    assert page.request_log.broken == [], "\n".join(page.request_log.broken)
    _screenshot(page, "network_warm_zh.png")
