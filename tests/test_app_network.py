"""The Network page under Streamlit's AppTest, on real DuckDB files, in both languages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "models" / "network.py"
TIMEOUT = 300


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = []
    for elements in (app.markdown, app.title, app.subheader, app.caption, app.info,
                     app.warning, app.error):
        parts += [str(element.value) for element in elements]
    return "\n".join(parts)


# AppTest does not expose the keys of dataframes, so each table is found by a
# column that only it has.
TABLE_COLUMNS = {
    "net_node_table": "betweenness", "net_edge_table": "evidence_summary",
    "net_communities_table": "top_clients", "net_legend": "swatch",
    "net_why_table": "contribution", "net_key_table": "network_pct",
}


def _frame(app: AppTest, key: str) -> pd.DataFrame:
    column = TABLE_COLUMNS[key]
    frames = [e.value for e in app.dataframe]
    return next(frame for frame in frames if column in getattr(frame, "columns", []))


def _apply_key_weights(app: AppTest) -> None:
    # Each settings form has an "Apply" button; the key-client form's is the second.
    [button for button in app.button if button.label == "Apply"][1].click().run()


def _no_exception(app: AppTest) -> None:
    assert [e.value for e in app.exception] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_in_both_languages(demo_copy, lang):
    app = _open(lang)

    _no_exception(app)
    assert app.title[0].value == {"en": "Client network", "zh": "客户关系网络"}[lang]
    shown = {"en": "Showing 300 of 625 nodes", "zh": "625 个节点中的 300 个"}[lang]
    assert shown in _texts(app)
    assert len(app.get("iframe")) == 1
    assert len(_frame(app, "net_node_table")) > 0
    assert len(_frame(app, "net_edge_table")) > 0


def test_page_runs_through_router(demo_copy):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["lang"] = "zh"
    app.run()
    app.switch_page("pages/models/network.py")
    app.run()

    _no_exception(app)
    assert app.title[0].value == "客户关系网络"


@pytest.mark.parametrize("view", ["top", "ego", "communities"])
def test_each_view_draws(demo_copy, view):
    app = _open()

    app.radio(key="net_view").set_value(view).run()

    _no_exception(app)
    assert len(app.get("iframe")) == 1
    if view == "communities":
        assert "communities of 600 clients" in _texts(app)
        assert len(_frame(app, "net_communities_table")) > 1


def test_ego_view_shows_chosen_client(demo_copy):
    clients = Store(demo_copy).read_table("clients").set_index("client_id")
    client_id = clients.index[10]
    app = _open()

    app.radio(key="net_view").set_value("ego").run()
    app.selectbox(key="net_ego_client").set_value(client_id).run()

    _no_exception(app)
    selected = app.table[0].value
    assert selected.iloc[0, 0] == client_id
    assert selected.iloc[0, 1] == clients.at[client_id, "name"]
    drawn = _frame(app, "net_node_table")
    assert client_id in set(drawn["client_id"])


def test_ego_view_from_query_parameters(demo_copy):
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["view"] = "ego"
    app.query_params["client"] = "C-0042"
    app.run()

    _no_exception(app)
    assert app.radio(key="net_view").value == "ego"
    assert app.selectbox(key="net_ego_client").value == "C-0042"


def test_filters_limit_the_picture(demo_copy):
    app = _open()

    app.slider(key="net_min_strength").set_value(60).run()
    app.number_input(key="net_max_nodes").set_value(50).run()

    _no_exception(app)
    edges = _frame(app, "net_edge_table")
    assert (edges["strength"] >= 60).all()
    assert len(_frame(app, "net_node_table")) <= 50


def test_warm_path_for_target(demo_copy):
    app = _open()
    target = "C-0271"
    name = Store(demo_copy).read_table("clients").set_index("client_id").at[target,
                                                                           "name"]

    app.selectbox(key="net_warm_target").set_value(target).run()

    _no_exception(app)
    # Tables come in page order: the warm paths, then the Method tab's validation.
    paths = [table.value for table in app.table][:-1]
    assert 1 <= len(paths) <= 3
    for hops in paths:
        assert hops.iloc[-1, 2] == name
        assert all(0 <= float(s) <= 100 for s in hops.iloc[:, 3])


def test_why_this_score_lists_top_interactions(demo_copy):
    interactions = Store(demo_copy).read_table("interactions")
    client = sorted(interactions["client_id"].unique())[5]
    app = _open("zh")

    app.selectbox(key="net_why_client").set_value(client).run()

    _no_exception(app)
    reasons = _frame(app, "net_why_table")
    assert 1 <= len(reasons) <= 5
    assert reasons["contribution"].is_monotonic_decreasing


def test_strength_formula_shows_s0(demo_copy):
    app = _open()

    assert "S0 = **15.87**" in _texts(app)
    assert any("2^{-" in latex.value for latex in app.latex)


def test_key_client_weights_change_ranking(demo_copy):
    app = _open()

    app.number_input(key="net_key_clv").set_value(0.0)
    app.number_input(key="net_key_exposure").set_value(0.0)
    _apply_key_weights(app)

    _no_exception(app)
    table = _frame(app, "net_key_table")
    assert table["key_score"].sub(table["network_pct"]).abs().max() < 1e-9


def test_zero_key_weights_fall_back_to_equal(demo_copy):
    app = _open()

    for part in ("network", "clv", "exposure"):
        app.number_input(key=f"net_key_{part}").set_value(0.0)
    _apply_key_weights(app)

    _no_exception(app)
    assert "All three weights were 0" in _texts(app)


def test_method_validation_matches_published_values(demo_copy):
    app = _open()

    validation = app.table[-1].value
    assert len(validation) == 5
    assert set(validation.iloc[:, 3]) == {"matches"}


def test_colour_by_segment(demo_copy):
    app = _open()

    app.selectbox(key="net_colour_by").set_value("segment").run()

    _no_exception(app)
    legend = _frame(app, "net_legend")
    assert legend["label"].str.startswith("S1").any()


def test_empty_database_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open("zh")

    _no_exception(app)
    assert "尚无客户数据" in _texts(app)


def test_clients_without_ties_say_so(tmp_path, monkeypatch):
    path = tmp_path / "three.duckdb"
    clients = pd.DataFrame({"client_id": ["A-1", "A-2", "A-3"],
                            "name": ["Alpha Bank", "Beta Fund", "Gamma Sponsor"],
                            "client_type": ["bank", "investor", "sponsor"]})
    Store(path).replace_all({"clients": clients}, label="three clients")
    monkeypatch.setenv("PFCRM_DB", str(path))

    app = _open()

    _no_exception(app)
    assert "The 3 clients have no ties yet" in _texts(app)
