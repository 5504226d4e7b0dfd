"""The Client profile page under AppTest, run on its own, on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import translate
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "dashboard" / "profile.py")
TIMEOUT = 180
TABS = ["overview", "value_risk", "segment", "network", "voice", "outlook", "changes",
        "brief"]


@pytest.fixture
def new_client_db(demo_copy) -> Path:
    """The demo copy with client N-1, imported with no deals, revenue or surveys."""
    row = pd.DataFrame({"client_id": ["N-1"], "name": ["New Harbour Bank"],
                        "client_type": ["bank"], "region": ["europe"]})
    Store(demo_copy).apply_import("clients", row, pd.DataFrame(),
                                  file_name="new_client.csv", sha256="0" * 64,
                                  rows_in_file=1, rows_rejected=0)
    return demo_copy


def _open(client: str | None, lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    if client is not None:
        app.query_params["client"] = client
    app.run()
    return app


def _show_tab(app: AppTest, name: str, lang: str = "en") -> None:
    app.session_state["profile_tab"] = translate(f"profile.tab.{name}", lang)
    app.run()


def _texts(app: AppTest) -> str:
    parts = [e.value for e in app.markdown] + [e.value for e in app.caption]
    parts += [e.value for e in app.info] + [e.value for e in app.warning]
    parts += [e.value for e in app.header] + [e.value for e in app.text]
    parts += [f"{m.label} {m.value}" for m in app.metric]
    return "\n".join(str(part) for part in parts)


def _assert_clean(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_every_tab_on_demo_client(demo_copy, lang):
    app = _open("C-0243", lang)
    _assert_clean(app)
    assert app.header[0].value == "Heronreach Pension Fund"

    for name in TABS[1:]:
        _show_tab(app, name, lang)
        _assert_clean(app)
        assert app.metric or app.text or app.get("download_button"), name


def test_profile_overview_shows_deals(demo_copy):
    app = _open("C-0243")

    labels = {metric.label for metric in app.metric}

    assert "Live exposure" in labels
    assert any("D-" in str(v) for v in app.dataframe[0].value["deal_id"])
    assert len(app.get("plotly_chart")) == 1


def test_profile_value_tab_in_chinese(demo_copy):
    app = _open("C-0243", "zh")

    _show_tab(app, "value_risk", "zh")

    labels = {metric.label for metric in app.metric}
    assert "客户终身价值（12 个月）" in labels
    assert "违约概率 PD（1 年）" in labels


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_outlook_shows_next_deal(demo_copy, lang):
    app = _open("C-0243", lang)

    _show_tab(app, "outlook", lang)

    _assert_clean(app)
    labels = {metric.label for metric in app.metric}
    assert translate("profile.kpi.next_deal", lang) in labels
    assert translate("profile.gap.no_tasks", lang) in _texts(app)


def test_profile_brief_downloads(demo_copy):
    app = _open("C-0243")

    _show_tab(app, "brief")

    _assert_clean(app)
    keys = {button.key for button in app.get("download_button")}
    assert keys == {"profile_brief_html", "profile_brief_markdown"}


def test_profile_links_degrade_to_text(demo_copy):
    app = _open("C-0243")

    _show_tab(app, "value_risk")

    assert "Open the CLV page (the page is not part of this app)" in _texts(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_unknown_id_offers_search(demo_copy, lang):
    app = _open("C-9999", lang)

    _assert_clean(app)
    assert "C-9999" in app.warning[0].value
    assert app.text_input(key="profile_search_page")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_client_without_history(new_client_db, lang):
    app = _open("N-1", lang)
    _assert_clean(app)
    assert app.header[0].value == "New Harbour Bank"
    assert translate("profile.gap.no_deals", lang) in _texts(app)

    for name in TABS[1:]:
        _show_tab(app, name, lang)
        _assert_clean(app)
    _show_tab(app, "value_risk", lang)
    assert translate("profile.gap.no_credit", lang) in _texts(app)
    _show_tab(app, "network", lang)
    assert translate("profile.gap.isolated", lang) in _texts(app)


def test_profile_search_opens_client(demo_copy):
    app = _open(None)
    assert translate("profile.choose", "en") in _texts(app)

    app.text_input(key="profile_search_page").input("ｈｅｒｏｎｒｅａｃｈ").run()
    app.button(key="profile_search_page_C-0243").click().run()

    _assert_clean(app)
    assert app.query_params["client"] == "C-0243"
    assert app.header[0].value == "Heronreach Pension Fund"


def test_profile_search_without_match(demo_copy):
    app = _open(None, "zh")

    app.text_input(key="profile_search_page").input("不存在的客户").run()

    assert "没有与“不存在的客户”匹配的客户。" in _texts(app)


def test_profile_changes_since_date(demo_copy):
    app = _open("C-0243")
    _show_tab(app, "changes")

    app.date_input(key="profile_since").set_value(pd.Timestamp("2021-01-01").date()).run()

    _assert_clean(app)
    assert "From 2021-01-01" in _texts(app)
    assert "Survey response on" in _texts(app)


def test_profile_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open("C-0243")

    _assert_clean(app)
    assert translate("profile.empty", "en") in _texts(app)
