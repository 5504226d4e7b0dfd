"""The Overview page offers the executive report as Excel and as printable HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import translate

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_offers_report_downloads(lang, tmp_path, demo_db_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("PFCRM_DB", str(path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang

    app.run()
    app.switch_page("pages/dashboard/overview.py")
    app.run()

    assert not app.exception
    buttons = {button.key: button for button in app.download_button}
    assert set(buttons) >= {"report_xlsx", "report_html"}
    assert buttons["report_xlsx"].label == translate("report.download_xlsx", lang)
    assert buttons["report_html"].label == translate("report.download_html", lang)
