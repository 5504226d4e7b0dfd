"""The prediction content under Streamlit's AppTest, on real DuckDB files.

``tests/apps/prediction_tab.py`` draws nothing but ``render_prediction``, which
the Automation & Prediction page shows in its Prediction tab.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import translate
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

SCRIPT = Path(__file__).resolve().parent / "apps" / "prediction_tab.py"
TIMEOUT = 300


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(SCRIPT), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = []
    for elements in (app.markdown, app.subheader, app.caption, app.info,
                     app.warning, app.error):
        parts += [str(element.value) for element in elements]
    return "\n".join(parts)


def _ranking(app: AppTest):
    # The ranking is the first table, because AppTest does not expose a dataframe's key.
    return app.dataframe[0].value


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_runs_on_demo_data(demo_copy, lang):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    # On the demo fees the seasonal naive forecast wins the back-test and the
    # tab states it. No other message may appear.
    naive_chosen = translate("prediction.fees.naive_chosen", lang)
    assert [element.value for element in app.info] == [naive_chosen]
    title = ("Prediction: next deal and fee income" if lang == "en"
             else "预测：下一笔交易与费用收入")
    assert app.subheader[0].value == title
    auc_label = "AUC (back-test)" if lang == "en" else "AUC（回测）"
    assert float(_metric(app, auc_label)) > 0.8
    assert len(app.dataframe) >= 5
    assert any("y_{t+h}" in element.value for element in app.latex)
    assert any(r"\mathrm{MASE}" in element.value for element in app.latex)


def test_fee_method_lists_candidates(demo_copy):
    app = _open()

    candidates = next(frame.value for frame in app.dataframe
                      if "chosen" in frame.value.columns)

    assert list(candidates["model"]) == [
        "Seasonal naive (same quarter last year)", "Seasonal naive with drift",
        "Damped Holt-Winters", "Mean of seasonal naive and Holt-Winters"]
    assert list(candidates["chosen"]) == [True, False, False, False]
    texts = _texts(app)
    assert "**Chosen: Seasonal naive (same quarter last year).**" in texts
    assert "has no parameters" in texts
    # The 95 % coverage of 82 % is more than 10 points short, so the tab warns.
    assert "82% inside the 95% interval" in texts
    # The 95 % interval pools horizons, and a caption reports it.
    assert "The 95% interval at horizons 1, 2, 3, 4 uses" in texts


def test_ranking_shows_names_and_reasons(demo_copy):
    app = _open()

    ranking = _ranking(app)

    assert len(ranking) == 20
    assert ranking["probability"].is_monotonic_decreasing
    assert ranking["name"].str.len().gt(0).all()
    assert ranking["reason_1"].str.match("^[▲▼] ").all()


def test_client_type_filter(demo_copy):
    app = _open()

    app.multiselect(key="prediction_client_types").set_value(["bank"]).run()
    app.slider(key="prediction_top").set_value(50).run()
    ranking = _ranking(app)

    assert not app.exception, app.exception
    assert len(ranking) == 50
    assert set(ranking["client_type"]) == {"Bank"}


def test_fee_kind_switch(demo_copy):
    app = _open()
    fees_only = _metric(app, "Forecast for 2026Q4")

    app.radio(key="prediction_fee_kind").set_value("all").run()

    assert not app.exception, app.exception
    assert _metric(app, "Forecast for 2026Q4") != fees_only
    # All revenue picks the mean of seasonal naive and Holt-Winters.
    assert not app.info, [e.value for e in app.info]
    assert "Model: Mean of seasonal naive and Holt-Winters" in _texts(app)
    assert any(r"\tfrac{1}{2}" in element.value for element in app.latex)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_database_explains(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    if lang == "en":
        expected = ("Too little history to predict new deals",
                    "Too little history to forecast")
    else:
        expected = ("历史数据不足，无法预测新交易", "历史数据不足，无法预测：")
    infos = "\n".join(element.value for element in app.info)
    for text in expected:
        assert text in infos


def test_tiny_book_explains(tmp_path, monkeypatch, demo_frames):
    clients = demo_frames["clients"].head(5)
    ids = set(clients["client_id"])
    frames = {"clients": clients, "projects": demo_frames["projects"]}
    for name in ("deals", "revenue", "interactions", "feedback", "credit"):
        frame = demo_frames[name]
        frames[name] = frame[frame["client_id"].isin(ids)]
    path = tmp_path / "tiny.duckdb"
    Store(path).replace_all(frames, label="first 5 demo clients")
    monkeypatch.setenv("PFCRM_DB", str(path))

    app = _open()

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert "needs at least 30 new deals" in _texts(app)
