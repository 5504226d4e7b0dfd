"""The Segments page under Streamlit's AppTest, standalone, on real DuckDB files."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import catalogue
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "models" / "segments.py"
UI_HELPERS = ROOT / "pfcrm_core" / "ui" / "segments.py"
TIMEOUT = 300
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_][\w.]*)"\s*[,)]""")


def _subset_db(tmp_path, monkeypatch, demo_frames, count: int) -> Path:
    """A database with the first ``count`` demo clients and their own rows."""
    clients = demo_frames["clients"].head(count)
    ids = set(clients["client_id"])
    frames = {"clients": clients, "projects": demo_frames["projects"]}
    for name in ("deals", "revenue", "feedback", "credit"):
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


def _submit(app: AppTest, label: str = "Segment") -> None:
    next(b for b in app.button if b.label == label).click().run()


def _texts(app: AppTest) -> str:
    parts = []
    for elements in (app.markdown, app.title, app.subheader, app.caption, app.info,
                     app.warning, app.error):
        parts += [str(element.value) for element in elements]
    return "\n".join(parts)


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def _table_with(app: AppTest, column: str) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def _chart_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def _array(value) -> np.ndarray:
    """Decode a Plotly array, which the figure JSON stores as base64 bytes."""
    if isinstance(value, dict) and "bdata" in value:
        shape = [int(n) for n in str(value["shape"]).split(",")]
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return data.reshape(shape)
    return np.asarray(value, dtype=float)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_on_demo_data(demo_copy, lang):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert not app.warning, [w.value for w in app.warning]
    assert app.title[0].value == {"en": "Client segments", "zh": "客户分群"}[lang]


def test_page_shows_segments_and_stability(demo_copy):
    app = _open()

    segments = int(_metric(app, "Segments"))
    mean_ari = float(_metric(app, "Mean ARI"))
    lowest_ari = float(_metric(app, "Lowest ARI"))

    assert 2 <= segments <= 10
    assert 0.0 <= lowest_ari <= mean_ari <= 1.0
    assert "fitted on revenue up to 2026-09-29" in _texts(app)


def test_chinese_page_translates_notes_and_names(demo_copy):
    app = _open("zh")
    texts = _texts(app)
    profiles = _table_with(app, "net_promoter_score")

    assert "数据与拟合说明" in app.expander[0].label
    assert "各列的填补比例" in texts
    assert "存活概率 0.2%" in texts
    for name in profiles["segment_label"]:
        assert re.search(r"[\u4e00-\u9fff]", name), name


def test_risk_value_map_states_thresholds(demo_copy):
    app = _open()
    specs = _chart_specs(app)
    annotations = [a.get("text", "") for spec in specs
                   for a in spec["layout"].get("annotations", [])]

    assert "PD 0.80% (median of the clients on the map)" in _texts(app)
    for quadrant in ("Grow", "Protect", "Reprice", "Exit"):
        assert f"<b>{quadrant}</b>" in annotations
    quadrants = _table_with(app, "quadrant")
    assert quadrants["quadrant"].tolist() == ["Grow", "Protect", "Reprice", "Exit"]
    assert quadrants["clients"].sum() > 0


def test_projection_axes_give_explained_variance(demo_copy):
    app = _open()
    titles = [spec["layout"]["xaxis"]["title"]["text"] for spec in _chart_specs(app)]

    assert any(re.fullmatch(r"Principal component 1 \(\d+\.\d% of variance\)", title)
               for title in titles)


@pytest.mark.parametrize(("method", "curve_heading"), [
    ("kmeans", "Silhouette by k (higher is better)"),
    ("gmm", "BIC by k (lower is better)"),
])
def test_clustering_methods_show_their_curve(demo_copy, method, curve_heading):
    app = _open()

    app.selectbox(key="seg_method").select(method)
    _submit(app)

    assert not app.exception, app.exception
    assert curve_heading in [header.value for header in app.subheader]
    assert _metric(app, "Mean ARI") != "–"


def test_rules_method_has_no_stability(demo_copy):
    app = _open()

    app.selectbox(key="seg_method").select("rules")
    _submit(app)

    assert not app.exception, app.exception
    assert _metric(app, "Mean ARI") == "–"
    assert "Rule segments are fixed by rating band and sector" in _texts(app)
    profiles = _table_with(app, "net_promoter_score")
    assert "Investment-grade financial-services clients" in set(
        profiles["segment_label"])


def test_k_override_sets_segment_count(demo_copy):
    app = _open()

    app.selectbox(key="seg_k").select(4)
    _submit(app)

    assert not app.exception, app.exception
    assert _metric(app, "Segments") == "4"
    assert "The number of segments was set to 4" in _texts(app)
    parameters = _table_with(app, "Parameter").set_index("Parameter")["Value"]
    assert parameters["How k was set"] == "set by the user"


def test_offers_editor_drives_client_list(demo_copy):
    app = _open()
    editor = app.data_editor[0]
    first_segment = editor.value["segment"].iloc[0]
    profiles = _table_with(app, "net_promoter_score")
    size = int(profiles.loc[profiles["segment_label"] == first_segment, "size"].iloc[0])
    deleted = list(range(1, len(editor.value)))

    app.session_state[editor.key] = {
        "edited_rows": {0: {"offer": "Invite to the infrastructure forum"}},
        "added_rows": [], "deleted_rows": deleted}
    app.run()

    assert not app.exception, app.exception
    targets = next(frame.value for frame in app.dataframe
                   if list(frame.value.columns) == ["client_id", "name",
                                                    "segment_label", "offer"])
    assert set(targets["offer"]) == {"Invite to the infrastructure forum"}
    assert set(targets["segment_label"]) == {first_segment}
    assert len(targets) == size


def test_migration_rejects_unordered_dates(demo_copy):
    app = _open()

    app.date_input(key="seg_date_1").set_value(date(2026, 6, 30))
    app.date_input(key="seg_date_2").set_value(date(2025, 6, 30))
    _submit(app, "Compare")

    assert not app.exception, app.exception
    assert "must be before the second date" in _texts(app)


def test_migration_shows_matrix_and_warning(demo_copy):
    app = _open()
    specs = _chart_specs(app)
    heatmaps = [trace for spec in specs for trace in spec["data"]
                if trace.get("type") == "heatmap"]

    assert len(heatmaps) == 1
    shares = _array(heatmaps[0]["z"])
    assert shares.sum(axis=1) == pytest.approx(np.ones(shares.shape[0]))
    assert int(_metric(app, "Clients flagged").replace(",", "")) > 0


def test_market_opportunities_are_ranked(demo_copy):
    app = _open()

    cells = _table_with(app, "headroom_usd")

    assert cells["rank"].tolist() == list(range(1, len(cells) + 1))
    assert cells["headroom_usd"].is_monotonic_decreasing


def test_wine_check_passes(demo_copy):
    app = _open()

    assert _metric(app, "Check") == "passed"
    assert float(_metric(app, "ARI with the cultivars (k = 3)")) >= 0.89
    assert _metric(app, "k chosen by the silhouette") == "3"


def test_without_clv_segments_and_says_so(tmp_path, monkeypatch, demo_frames):
    _subset_db(tmp_path, monkeypatch, demo_frames, 25)

    app = _open()

    assert not app.exception, app.exception
    assert "CLV could not be fitted" in app.warning[0].value
    assert int(_metric(app, "Clients segmented")) == 25


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tiny_database_gets_thin_data_message(tmp_path, monkeypatch, demo_frames,
                                              lang):
    _subset_db(tmp_path, monkeypatch, demo_frames, 5)

    app = _open(lang)

    assert not app.exception, app.exception
    message = app.warning[0].value
    assert "5" in message
    assert "20" in message
    assert not app.metric


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_database_points_to_data_page(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open(lang)

    assert not app.exception, app.exception
    assert {"en": "no clients yet", "zh": "还没有客户"}[lang] in app.info[0].value


@pytest.mark.parametrize("source", [PAGE, UI_HELPERS], ids=lambda p: p.name)
def test_keys_used_exist(source):
    keys = LITERAL_KEY.findall(source.read_text(encoding="utf-8"))

    missing = sorted(set(keys) - set(catalogue()))

    assert keys
    assert missing == []
