"""The Satisfaction & loyalty page under Streamlit's AppTest, standalone, on real
DuckDB files."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "models" / "satisfaction.py"
TIMEOUT = 300


def _subset_db(tmp_path, monkeypatch, demo_frames, count: int) -> Path:
    """A database with the first ``count`` demo clients and their own rows."""
    clients = demo_frames["clients"].head(count)
    ids = set(clients["client_id"])
    frames = {"clients": clients, "projects": demo_frames["projects"]}
    for name in ("deals", "revenue", "interactions", "feedback", "credit"):
        frame = demo_frames[name]
        frames[name] = frame[frame["client_id"].isin(ids)]
    path = tmp_path / f"subset_{count}.duckdb"
    Store(path).replace_all(frames, label=f"first {count} demo clients")
    monkeypatch.setenv("PFCRM_DB", str(path))
    return path


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = []
    for elements in (app.markdown, app.title, app.subheader, app.caption, app.info,
                     app.success, app.warning, app.error):
        parts += [str(element.value) for element in elements]
    return "\n".join(parts)


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_on_demo_data(demo_copy, lang):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == ("Satisfaction & loyalty" if lang == "en"
                                  else "满意度与忠诚度")
    assert len(app.metric) >= 10


def test_definitions_and_interval_shown(demo_copy):
    app = _open()

    texts = _texts(app)

    assert "promoters, 7–8 passives, 0–6 detractors" in texts
    assert "NPS 95% interval" in texts
    nps = float(_metric(app, "NPS"))
    assert -100 <= nps <= 100


@pytest.mark.parametrize("grouping", ["client_type", "region", "period", "client",
                                      "segment"])
def test_grouping_shows_table(demo_copy, grouping):
    app = _open()

    app.selectbox(key="sat_group").set_value(grouping).run()

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.dataframe[0].value["n"].sum() > 0


def test_client_grouping_warns_small_n(demo_copy):
    app = _open()

    app.selectbox(key="sat_group").set_value("client").run()

    assert "fewer than 30 answers" in _texts(app)


def test_csat_mean_changes_scale(demo_copy):
    app = _open()

    app.selectbox(key="sat_csat_method").set_value("mean").run()

    value = float(_metric(app, "CSAT"))
    assert 1 <= value <= 5


def test_trend_by_client_type(demo_copy):
    app = _open()

    app.selectbox(key="sat_split").set_value("client_type").run()
    app.selectbox(key="sat_trend_period").set_value("month").run()

    assert not app.exception, app.exception
    assert "shaded bands the 95% interval" in _texts(app)


def test_attrition_model_and_fallback(demo_copy):
    app = _open()

    assert _metric(app, "Method") == "Logistic regression"
    auc = float(_metric(app, "AUC on later cut-offs"))
    assert 0.5 < auc <= 1.0

    app.number_input(key="sat_attrition_min_events").set_value(100_000)
    next(b for b in app.button if b.label == "Apply").click().run()

    assert not app.exception, app.exception
    assert _metric(app, "Method") == "Transparent rules"
    assert "Too few events — ranked by transparent rules" in _texts(app)


def test_attrition_reasons_translated(demo_copy):
    app = _open("zh")

    risk = next(frame.value for frame in app.dataframe if "reason_1" in frame.value)

    reasons = set(risk["reason_1"]) - {""}
    assert reasons
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in reason) for reason in reasons)


def test_tier_thresholds_editable(demo_copy):
    app = _open()
    gold_before = int(_metric(app, "Gold").replace(",", ""))

    # The editor's state as the browser sends it after two cells of "Gold" change.
    app.session_state["sat_tiers_en"] = {
        "edited_rows": {1: {"min_nps": 0.0, "min_strength": 0.0}},
        "added_rows": [], "deleted_rows": []}
    app.run()

    assert not app.exception, app.exception
    assert int(_metric(app, "Gold").replace(",", "")) > gold_before


def test_method_shows_backtest(demo_copy):
    app = _open()

    texts = _texts(app)

    assert "Attrition AUC on later cut-offs" in texts
    backtest = next(frame.value for frame in app.dataframe if "auc" in frame.value)
    assert len(backtest) >= 2
    assert backtest["auc"].between(0.5, 1.0).all()


def test_sentiment_accuracy_on_request(demo_copy):
    app = _open()

    app.toggle(key="sat_sentiment_check").set_value(True).run()

    accuracy = _metric(app, "Accuracy on held-out Chinese texts")
    assert float(accuracy.rstrip("%")) > 75


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_database_explains(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open(lang)

    assert not app.exception, app.exception
    expected = "no survey responses yet" if lang == "en" else "尚无调查回复"
    assert expected in _texts(app)


def test_tiny_book_shows_messages(tmp_path, monkeypatch, demo_frames):
    _subset_db(tmp_path, monkeypatch, demo_frames, 6)

    app = _open()

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.warning
