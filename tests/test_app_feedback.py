"""The Feedback loop page under Streamlit's AppTest, standalone, on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "models" / "feedback.py"
TIMEOUT = 300
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def script_comment_db(tmp_path, demo_frames, monkeypatch) -> Path:
    """The demo book plus a detractor answer whose comment is a script tag."""
    frames = {name: frame.copy() for name, frame in demo_frames.items()}
    feedback = frames["feedback"]
    latest = pd.to_datetime(feedback["date"]).max()
    extra = pd.DataFrame([{"response_id": "S-XSS", "client_id": "C-0001",
                           "date": latest, "nps": 2, "csat": 1, "comment": SCRIPT,
                           "follow_up_status": "none"}])
    frames["feedback"] = pd.concat([feedback, extra], ignore_index=True)
    path = tmp_path / "script.duckdb"
    Store(path).replace_all(frames, label="demo with a script comment")
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


def _run_rules(app: AppTest) -> None:
    app.button(key="fb_run_rules").click().run()


def _pick(app: AppTest, case_id: int) -> None:
    app.multiselect(key="fb_filter_status").set_value(
        ["open", "in progress", "closed"]).run()
    app.selectbox(key="fb_case").set_value(case_id).run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_on_demo_data(demo_copy, lang):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == ("Feedback loop" if lang == "en" else "反馈闭环")
    assert any(m.label in ("Accuracy on held-out Chinese texts", "预留中文文本上的准确率")
               for m in app.metric)


def test_run_rules_opens_cases_once(demo_copy):
    app = _open()

    _run_rules(app)
    first = Store(demo_copy).read_cases()
    _run_rules(app)
    second = Store(demo_copy).read_cases()

    assert not app.exception, app.exception
    assert len(first) > 0
    assert set(first["status"]) == {"open"}
    assert len(second) == len(first)
    assert "No new cases" in _texts(app)
    assert first["response_id"].is_unique


def test_rules_open_in_chinese(demo_copy):
    app = _open("zh")

    _run_rules(app)

    assert not app.exception, app.exception
    opened = len(Store(demo_copy).read_cases())
    assert f"新开立 {opened} 个案例" in _texts(app)


def test_work_and_close_case_survives_restart(demo_copy):
    app = _open()
    _run_rules(app)
    case_id = int(Store(demo_copy).read_cases()["case_id"].min())
    _pick(app, case_id)

    # Values typed into a form count only when its submit button is pressed in the
    # same run, as in a browser.
    app.text_area(key=f"fb_note_text_{case_id}").input("Called the CFO's office")
    app.button(key=f"fb_add_note_{case_id}").click().run()
    app.text_area(key=f"fb_contact_text_{case_id}").input("Spoke with the CFO")
    app.button(key=f"fb_record_contact_{case_id}").click().run()
    app.selectbox(key=f"fb_new_status_{case_id}").set_value("in progress")
    app.button(key=f"fb_change_status_{case_id}").click().run()
    app.selectbox(key=f"fb_root_cause_{case_id}").set_value("credit_process")
    app.radio(key=f"fb_resolved_{case_id}").set_value(True)
    app.checkbox(key=f"fb_informed_{case_id}").check()
    app.text_area(key=f"fb_action_{case_id}").input("Cut approval steps from 5 to 3")
    app.button(key=f"fb_close_{case_id}").click().run()

    assert not app.exception, app.exception
    kinds = Store(demo_copy).read_case_events(case_id)["kind"].tolist()
    assert kinds == ["opened", "note", "contact", "status", "closed"]

    restarted = _open()
    _pick(restarted, case_id)

    assert not restarted.exception, restarted.exception
    assert "**Root cause** Credit approval process" in _texts(restarted)
    assert "Cut approval steps from 5 to 3" in [t.value for t in restarted.text]
    case = Store(demo_copy).read_cases().set_index("case_id").loc[case_id]
    assert case["status"] == "closed"
    assert bool(case["resolved"])
    assert pd.notna(case["first_contact_at"])


def test_note_on_closed_case_is_not_offered(demo_copy):
    app = _open()
    _run_rules(app)
    store = Store(demo_copy)
    case_id = int(store.read_cases()["case_id"].min())
    store.close_case(case_id, root_cause="pricing", resolved=False)

    _pick(app, case_id)

    assert not app.exception, app.exception
    assert not [b for b in app.button if b.key == "fb_add_note"]


def test_escalate_overdue_once(demo_copy):
    store = Store(demo_copy)
    store.open_cases(pd.DataFrame({"client_id": ["C-0001"], "response_id": ["S-00001"],
                                   "due_at": [pd.Timestamp("2020-01-06")],
                                   "owner": ["Lucas Moreau"], "triggers": ["nps"]}))
    app = _open()

    app.button(key="fb_escalate").click().run()
    escalated = store.read_cases()["escalated_at"]

    assert not app.exception, app.exception
    assert escalated.notna().all()
    assert "Escalated 1 overdue cases." in _texts(app)
    assert store.read_case_events(1)["kind"].tolist().count("escalated") == 1
    assert not [b for b in app.button if b.key == "fb_escalate"]


def test_you_said_we_did_export(demo_copy, monkeypatch):
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep_bytes(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if filename:
            stored[filename] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep_bytes)
    app = _open()
    _run_rules(app)
    store = Store(demo_copy)
    cases = store.read_cases()
    case_id = int(cases["case_id"].min())
    store.close_case(case_id, root_cause="fees", resolved=True,
                     action_taken="=HYPERLINK(\"x\") refunded the fee",
                     client_informed=True)

    app.run()
    data = stored["you_said_we_did.csv"]

    assert not app.exception, app.exception
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    response_id = cases.set_index("case_id").loc[case_id, "response_id"]
    feedback = store.read_table("feedback").set_index("response_id")
    comment = feedback.loc[response_id, "comment"]
    if isinstance(comment, str):
        assert comment in text


def test_script_comment_shown_as_text(script_comment_db):
    app = _open()
    _run_rules(app)
    cases = Store(script_comment_db).read_cases()
    case_id = int(cases.loc[cases["response_id"] == "S-XSS", "case_id"].iloc[0])

    _pick(app, case_id)

    assert not app.exception, app.exception
    assert SCRIPT in [element.value for element in app.text]
    assert SCRIPT not in _texts(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_database_explains(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open(lang)

    assert not app.exception, app.exception
    expected = "no survey responses yet" if lang == "en" else "尚无调查回复"
    assert expected in _texts(app)
