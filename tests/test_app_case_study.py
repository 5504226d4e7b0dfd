"""The Case study page under AppTest, run standalone, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.casestudy import STEP_PAGES
from pfcrm_core.demo.projects import TOLL_ROAD_ID
from pfcrm_core.i18n import translate
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "adoption" / "case_study.py"
TIMEOUT = 120
STEPS = len(STEP_PAGES)


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = [element.value for element in app.markdown]
    for elements in (app.title, app.subheader, app.caption, app.info, app.warning,
                     app.error):
        parts += [element.value for element in elements]
    return "\n".join(str(part) for part in parts)


def _assert_clean(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_case_study_runs_on_demo(demo_copy, lang):
    app = _open(lang)

    _assert_clean(app)
    texts = _texts(app)
    assert app.title[0].value == translate("case_study.title", lang)
    assert translate("case_study.sim.banner", lang) in texts
    assert app.selectbox(key="case_project").value == TOLL_ROAD_ID
    labels = {metric.label for metric in app.metric}
    assert translate("case_study.card.rate", lang) in labels
    assert translate("case_study.funding.gap", lang) in labels
    assert len(app.dataframe) >= 4


def test_case_study_funding_rate_shown(demo_copy):
    app = _open()

    rate = next(m for m in app.metric
                if m.label == translate("case_study.card.rate", "en"))
    assert rate.value == "35.7%"


def test_outreach_list_links_profiles(demo_copy):
    app = _open()

    links = [m.value for m in app.markdown if "profile?client=" in m.value]
    assert len(links) == 5
    assert links[0].startswith("[\\#1 ")
    for link in links:
        assert "lang=en" in link, link


def test_workshop_walks_to_last_step_and_back(demo_copy):
    app = _open()
    app.toggle(key="case_workshop").set_value(True).run()

    _assert_clean(app)
    assert app.button(key="case_prev").disabled
    question = translate("case_study.step.intro.question", "en")
    assert question in _texts(app)

    for step in range(1, STEPS):
        app.button(key="case_next").click().run()
        _assert_clean(app)
        assert app.session_state["case_step"] == step
    assert app.button(key="case_next").disabled
    assert translate("case_study.step.wrap_up.question", "en") in _texts(app)
    progress = translate("case_study.workshop.progress", "en", step=STEPS, total=STEPS)
    assert app.get("progress")[0].proto.text == progress
    assert app.get("progress")[0].proto.value == 100

    for step in range(STEPS - 2, -1, -1):
        app.button(key="case_prev").click().run()
        assert app.session_state["case_step"] == step
    assert question in _texts(app)


def test_workshop_step_links_to_model_page(demo_copy):
    app = _open("zh")
    app.toggle(key="case_workshop").set_value(True).run()
    app.button(key="case_next").click().run()

    _assert_clean(app)
    assert translate("case_study.step.clv.question", "zh") in _texts(app)
    assert any("(clv)" in m.value for m in app.markdown)


def test_weights_change_the_top_candidate(demo_copy):
    app = _open()
    first = next(m.value for m in app.markdown if m.value.startswith("[\\#1 "))

    for name in ("value", "credit", "fit", "ticket"):
        app.number_input(key=f"case_weight_{name}").set_value(0)
    app.number_input(key="case_weight_relationship").set_value(100)
    next(b for b in app.button if b.label == "Apply").click().run()

    _assert_clean(app)
    changed = next(m.value for m in app.markdown if m.value.startswith("[\\#1 "))
    assert changed != first


def test_zero_weights_show_warning(demo_copy):
    app = _open()
    for name in ("value", "credit", "fit", "ticket", "relationship"):
        app.number_input(key=f"case_weight_{name}").set_value(0)
    next(b for b in app.button if b.label == "Apply").click().run()

    _assert_clean(app)
    assert translate("case_study.settings.zero_weights", "en") in _texts(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_database_shows_message(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open(lang)

    _assert_clean(app)
    assert translate("case_study.empty", lang) in _texts(app)


def test_tiny_database_without_credit(tmp_path, monkeypatch, demo_frames):
    # Only the toll road, its participants and ten other banks; no credit rows.
    deals = demo_frames["deals"]
    deals = deals[deals["project_id"] == TOLL_ROAD_ID]
    clients = demo_frames["clients"]
    banks = clients[clients["client_type"] == "bank"].head(10)
    clients = clients[clients["client_id"].isin(deals["client_id"])
                      | clients["client_id"].isin(banks["client_id"])]
    projects = demo_frames["projects"]
    frames = {"clients": clients, "deals": deals,
              "projects": projects[projects["project_id"] == TOLL_ROAD_ID]}
    path = tmp_path / "tiny.duckdb"
    Store(path).replace_all(frames, label="tiny case")
    monkeypatch.setenv("PFCRM_DB", str(path))

    app = _open()

    _assert_clean(app)
    texts = _texts(app)
    assert translate("case_study.note.no_credit", "en") in texts
    assert translate("case_study.outreach.none", "en") in texts


def test_project_without_target_shows_warning(tmp_path, monkeypatch, demo_frames):
    projects = demo_frames["projects"].copy()
    projects.loc[projects["project_id"] == TOLL_ROAD_ID, "target_funding"] = None
    frames = dict(demo_frames, projects=projects)
    path = tmp_path / "no_target.duckdb"
    Store(path).replace_all(frames, label="no target")
    monkeypatch.setenv("PFCRM_DB", str(path))

    app = _open()

    _assert_clean(app)
    assert "no positive funding target" in _texts(app)
