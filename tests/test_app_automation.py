"""The Automation & Prediction page under AppTest, run on its own, on real DuckDB files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import translate
from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "models" / "automation.py")
TIMEOUT = 120


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = [e.value for e in app.markdown] + [e.value for e in app.title]
    parts += [e.value for e in app.caption] + [e.value for e in app.info]
    # Messages escape Markdown punctuation; compare them as they read.
    parts += [e.value.replace("\\", "") for e in app.success]
    parts += [e.value for e in app.warning]
    parts += [e.value for e in app.error] + [e.value for e in app.subheader]
    return "\n".join(str(part) for part in parts)


def _assert_clean(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("lang, title", [("en", "Automation & Prediction"),
                                         ("zh", "自动化与预测")])
def test_page_runs_on_demo(demo_copy, lang, title):
    app = _open(lang)
    _assert_clean(app)
    assert app.title[0].value == title
    labels = [tab.label for tab in app.tabs]
    for key in ("rules", "tasks", "prediction", "method"):
        assert translate(f"automation_page.tab.{key}", lang) in labels
    assert "automation_run_rules" in [b.key for b in app.button]
    starter = translate("automation.starter.top_fifth_no_contact.name", lang)
    assert starter in str(app.dataframe[0].value)


def test_empty_database_shows_message(empty_db):
    app = _open()
    _assert_clean(app)
    assert "There are no clients in this database yet" in _texts(app)


def test_empty_database_in_chinese(empty_db):
    app = _open("zh")
    _assert_clean(app)
    assert "该数据库中还没有客户" in _texts(app)


def test_create_backtest_save_run_and_close(demo_copy):
    app = _open()
    app.text_input(key="automation_name").input("Quiet detractor")
    app.selectbox(key="automation_cond_fact_0").set_value("latest_nps").run()
    app.selectbox(key="automation_cond_op_0_number").set_value("<=").run()
    app.number_input(key="automation_cond_num_0").set_value(6).run()
    app.button(key="automation_add_condition").click().run()
    app.selectbox(key="automation_cond_fact_1").set_value("days_since_contact").run()
    app.selectbox(key="automation_cond_op_1_number").set_value(">=").run()
    app.number_input(key="automation_cond_num_1").set_value(30).run()
    app.radio(key="automation_owner_mode").set_value("person").run()
    app.text_input(key="automation_owner_name").input("Service desk")
    app.selectbox(key="automation_priority").set_value("high").run()
    _assert_clean(app)

    app.button(key="automation_backtest").click().run()
    _assert_clean(app)
    texts = _texts(app)
    assert "Backtest over the past 12 months" in texts
    assert "matched at least once" in texts
    assert len(app.get("plotly_chart")) >= 1
    assert Store(demo_copy).read_rules()["name"].tolist().count("Quiet detractor") == 0

    app.button(key="automation_save").click().run()
    _assert_clean(app)
    assert "Rule 'Quiet detractor' saved." in _texts(app)
    rules = Store(demo_copy).read_rules()
    saved = rules[rules["name"] == "Quiet detractor"].iloc[0]
    assert saved["owner"] == "Service desk"
    assert saved["conditions"] == [
        {"fact": "latest_nps", "operator": "<=", "value": 6.0},
        {"fact": "days_since_contact", "operator": ">=", "value": 30.0}]

    app.button(key="automation_run_rules").click().run()
    _assert_clean(app)
    assert "new tasks" in _texts(app)
    tasks = Store(demo_copy).read_tasks()
    mine = tasks[tasks["rule_name"] == "Quiet detractor"]
    assert len(mine) > 0
    assert set(mine["owner"]) == {"Service desk"}

    task_id = int(mine["task_id"].iloc[0])
    app.selectbox(key="automation_work_task").set_value(task_id).run()
    app.text_area(key=f"automation_work_note_{task_id}").input("Called, case opened")
    close = next(b for b in app.button if b.label == "Close task")
    close.click().run()
    _assert_clean(app)
    assert f"Task {task_id} closed." in _texts(app)

    fresh = _open()
    _assert_clean(fresh)
    fresh.multiselect(key="automation_filter_status").set_value(["done"]).run()
    shown = fresh.dataframe[1].value
    assert list(shown["task_id"]) == [task_id]
    assert Store(demo_copy).read_tasks(status="done")["note"].tolist() == \
        ["Called, case opened"]


def test_invalid_rule_shows_error(demo_copy):
    app = _open("zh")
    app.text_input(key="automation_name").input("")
    app.button(key="automation_save").click().run()
    assert not app.exception
    assert "规则名称" in app.error[0].value


def test_edit_disable_and_delete_rule(demo_copy):
    app = _open()
    app.selectbox(key="automation_rule_choice").set_value(2).run()
    assert app.text_input(key="automation_name").value == "Rating downgrade"
    app.checkbox(key="automation_enabled").uncheck().run()
    app.button(key="automation_save").click().run()
    _assert_clean(app)
    assert "press Save rule again" in app.warning[0].value
    assert bool(Store(demo_copy).read_rules().set_index("rule_id").loc[2, "enabled"])

    app.button(key="automation_save").click().run()
    _assert_clean(app)
    rules = Store(demo_copy).read_rules().set_index("rule_id")
    assert not bool(rules.loc[2, "enabled"])

    app.selectbox(key="automation_rule_choice").set_value(3).run()
    app.checkbox(key="automation_confirm_delete").check().run()
    app.button(key="automation_delete").click().run()
    _assert_clean(app)
    assert 3 not in set(Store(demo_copy).read_rules()["rule_id"])
    assert "deleted" in _texts(app)


def test_task_reason_is_shown_as_plain_text(demo_copy):
    reason = "![p](http://127.0.0.1:9/p.png) **bold** :red[red]"
    Store(demo_copy).create_tasks(pd.DataFrame({
        "rule_id": [99], "rule_name": ["Hostile"], "client_id": ["C-0243"],
        "title": ["Call"], "reason": [reason], "owner": ["Ann"],
        "due_at": [date(2026, 10, 14)], "priority": ["high"]}))
    task_id = int(Store(demo_copy).read_tasks(client_id="C-0243")["task_id"].iloc[0])
    app = _open()

    app.selectbox(key="automation_work_task").set_value(task_id).run()

    _assert_clean(app)
    assert reason in [element.value for element in app.text]
    assert not any(reason in str(element.value) for element in app.markdown)
    assert not any(reason in str(element.value) for element in app.caption)
