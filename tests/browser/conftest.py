"""A live app server on a free loopback port and Debian's chromium driven by Playwright.

Every request the page makes is recorded, so tests can assert that nothing left
127.0.0.1. Set PFCRM_SKIP_BROWSER=1 to skip these tests on a machine without
chromium; without it, a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app server at {url} did not become healthy in {timeout} s")


@contextmanager
def _serve_app(db_path: Path):
    """Start app.py the way ``make run`` does, on a free port, and yield its URL."""
    port = _free_port()
    log_path = db_path.with_suffix(".log")
    env = {**os.environ, "PFCRM_DB": str(db_path)}
    command = [sys.executable, "-m", "pfcrm_core.serve", "run", str(ROOT / "app.py"),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--", "--db", str(db_path)]
    with open(log_path, "w") as log:
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


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, demo_db_path):
    """Serve app.py on a free port over a writable copy of the demo database."""
    db_path = tmp_path_factory.mktemp("browser") / "app.duckdb"
    shutil.copy(demo_db_path, db_path)
    with _serve_app(db_path) as url:
        yield url


@pytest.fixture
def fresh_app_server(tmp_path, demo_db_path):
    """A server of its own that no other test has sent a request to yet."""
    db_path = tmp_path / "app.duckdb"
    shutil.copy(demo_db_path, db_path)
    with _serve_app(db_path) as url:
        yield url


@dataclass
class RequestLog:
    """URLs the page requested, those that failed, and those to other hosts."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[str]:
        """Failed requests, less loopback requests the browser itself cancelled.

        Streamlit reruns replace page elements while their scripts load, and the
        browser then aborts those loopback requests (net::ERR_ABORTED); that is not
        a missing file. Any other failure, and any failure to another host, counts.
        """
        return [entry for entry in self.failed
                if not (entry.endswith("(net::ERR_ABORTED)")
                        and urlparse(entry.split(" ")[0]).hostname in LOOPBACK_HOSTS)]

    @property
    def external(self) -> list[str]:
        return [url for url in self.requests
                if urlparse(url).scheme in ("http", "https", "ws", "wss")
                and urlparse(url).hostname not in LOOPBACK_HOSTS]


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("PFCRM_SKIP_BROWSER") == "1":
        pytest.skip("PFCRM_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run 'make test', which installs Debian's "
                    f"chromium, or set PFCRM_SKIP_BROWSER=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A fresh page whose requests are recorded in ``page.request_log``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    log = RequestLog()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("requestfailed", lambda r: log.failed.append(f"{r.url} ({r.failure})"))
    page.on("websocket", lambda ws: log.requests.append(ws.url))
    page.request_log = log
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
