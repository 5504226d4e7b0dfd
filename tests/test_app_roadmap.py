"""The Implementation roadmap page under Streamlit's AppTest, standalone, on real
DuckDB files: stored ticks, overrides, the data-quality tab, thin data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.quality import measure_quality
from pfcrm_core.roadmap import ITEM_KEYS, reference_date
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "adoption" / "roadmap.py"
TIMEOUT = 300


@pytest.fixture
def tiny_db(tmp_path, monkeypatch) -> Path:
    """Three clients and two revenue lines, nothing else."""
    path = tmp_path / "tiny.duckdb"
    Store(path).replace_all({
        "clients": pd.DataFrame({"client_id": ["C1", "C2", "C3"],
                                 "name": ["Acme Bank", "Harbour Capital", None],
                                 "client_type": ["bank", "investor", "sponsor"]}),
        "revenue": pd.DataFrame({"txn_id": ["T1", "T2"], "client_id": ["C1", "C9"],
                                 "date": pd.to_datetime(["2026-01-05", "2026-03-05"]),
                                 "amount": [1000.0, 2500.0]}),
    }, label="tiny")
    monkeypatch.setenv("PFCRM_DB", str(path))
    return path


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def _frame_with(app: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if column in d.value.columns)


def _checkbox(app: AppTest, item_key: str):
    return app.checkbox(key=f"roadmap_item_{item_key}")


@pytest.mark.parametrize("lang, title", [("en", "Implementation roadmap"),
                                         ("zh", "实施路线图")])
def test_page_runs_on_demo(demo_copy, lang, title):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == title
    assert len(app.checkbox) == len(ITEM_KEYS)


def test_tick_survives_new_session(demo_copy):
    app = _open()
    app.sidebar.text_input(key="roadmap_owner").input("Li Wei")
    _checkbox(app, "goals.objectives").check()
    app.run()

    reopened = _open()

    assert _checkbox(reopened, "goals.objectives").value
    stored = Store(demo_copy).read_checklist().set_index("item_key")
    assert stored.loc["goals.objectives", "owner"] == "Li Wei"
    captions = [c.value for c in reopened.caption]
    assert any(c.startswith("Ticked by Li Wei on") for c in captions)


def test_untick_is_stored(demo_copy):
    Store(demo_copy).set_checklist_item("goals.sponsor", True)
    app = _open()

    _checkbox(app, "goals.sponsor").uncheck()
    app.run()

    assert not _checkbox(_open(), "goals.sponsor").value


def test_tick_raises_progress(demo_copy):
    app = _open()
    before = _metric(app, "Items done")

    _checkbox(app, "goals.objectives").check()
    app.run()

    done_before = int(before.split()[0])
    assert _metric(app, "Items done").split()[0] == str(done_before + 1)


def test_measured_item_checkbox_disabled(demo_copy):
    app = _open()

    measured = _checkbox(app, "data.quality_score")

    assert measured.disabled
    assert measured.value


def test_override_needs_a_note(demo_copy):
    app = _open()

    app.button(key="roadmap_override_training.contact_coverage").click()
    app.run()

    assert "needs a note" not in str(app.error)
    assert any("add a note" in e.value for e in app.error)
    assert not _checkbox(app, "training.contact_coverage").value


def test_override_with_note_ticks_item(demo_copy):
    app = _open()
    note = "Contacts before 2026 are logged in the **old** CRM"

    app.text_input(key="roadmap_note_training.contact_coverage").input(note)
    app.button(key="roadmap_override_training.contact_coverage").click()
    app.run()

    reopened = _open()
    assert _checkbox(reopened, "training.contact_coverage").value
    assert note in [element.value for element in reopened.text]
    reopened.button(key="roadmap_unset_training.contact_coverage").click()
    reopened.run()
    assert not _checkbox(reopened, "training.contact_coverage").value


def test_quality_tab_matches_measure_quality(demo_copy):
    store = Store(demo_copy)
    frames = {name: store.read_table(name) for name in
              ("revenue", "interactions", "feedback", "credit")}
    report = measure_quality(store, as_of=reference_date(frames))

    app = _open()

    scores = [m.value for m in app.metric if m.label == "Data-quality score"]
    assert scores == [f"{report.overall:.1%}"] * 2
    table = _frame_with(app, "completeness")
    assert table["score"].tolist() == [f"{s:.1%}" for s in report.tables["score"]]
    assert table.set_index("table").loc["Clients", "timeliness"] == "n/a"


def test_worst_fields_show_examples_as_text(demo_copy):
    app = _open()

    worst = _frame_with(app, "examples")

    assert worst.iloc[0]["table"] == "Deals"
    assert worst.iloc[0]["examples"].startswith("D-00001: (missing)")
    assert (worst["share_failing"].diff().dropna() <= 0).all()


def test_next_action_is_first_open_item(demo_copy):
    app = _open()

    assert app.info[0].value.startswith("Suggested next action (step 1, Goals and "
                                         "scope): Business objectives agreed")


def test_empty_database(empty_db):
    app = _open()

    assert not app.exception, app.exception
    assert _metric(app, "Overall progress") == "0%"
    assert _metric(app, "Data-quality score") == "–"
    assert any("no data to measure" in i.value for i in app.info)


def test_empty_database_in_chinese(empty_db):
    app = _open("zh")

    assert not app.exception, app.exception
    assert _metric(app, "总体进度") == "0%"


def test_tiny_database(tiny_db):
    app = _open()

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    captions = "\n".join(c.value for c in app.caption)
    assert "Not measurable yet: Credit history has no rows." in captions
    assert "Lowest referential integrity: 50.0% in Revenue" in captions
    quality = _frame_with(app, "completeness").set_index("table")
    assert quality.loc["Deals", "score"] == "n/a"
