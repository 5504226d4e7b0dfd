"""Client tables: selecting a row opens the client's profile, on real DuckDB files.

AppTest cannot click a row of the data grid, so these tests set the selection
through session state (``{"selection": {"rows": [n]}}``). Streamlit accepts that
for a keyed ``st.dataframe`` with ``on_select``. The real click is tested in
``tests/browser/test_profile_in_chromium.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pfcrm_core.i18n import translate
from pfcrm_core.store import Store
from pfcrm_core.ui.client_table import client_table, selected_client_id

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180
# Page script and the key of one client table it draws with default settings.
CLIENT_TABLES = [
    ("pages/dashboard/overview.py", "overview_top_clients"),
    ("pages/models/clv.py", "clv_table"),
    ("pages/models/satisfaction.py", "sat_attrition_clients"),
    ("pages/models/satisfaction.py", "sat_loyalty_members"),
    ("pages/models/segments.py", "seg_quadrant_clients"),
    ("pages/models/segments.py", "seg_warning_clients"),
    ("pages/models/risk.py", "risk_table"),
    ("pages/models/risk.py", "risk_rank_raroc"),
    ("pages/models/risk.py", "risk_watchlist"),
    ("pages/models/risk.py", "risk_riskiest"),
    ("pages/models/network.py", "net_key_table"),
    ("pages/models/network.py", "net_gaps"),
    ("pages/models/network.py", "net_pairs_table"),
    ("pages/models/network.py", "net_risk_clients"),
    ("pages/models/network.py", "net_bridges"),
    ("pages/models/automation.py", "prediction_ranking"),
    ("pages/adoption/case_study.py", "case_outreach_table"),
    ("pages/adoption/case_study.py", "case_funding_timeline"),
    ("pages/adoption/case_study.py", "case_excluded"),
]
# Tables that the demo database fills only after a button: page, button, table.
CLIENT_TABLES_AFTER_BUTTON = [
    ("pages/models/automation.py", "automation_run_rules", "automation_tasks_table"),
    ("pages/models/feedback.py", "fb_run_rules", "fb_cases_table"),
]
# Tables that keep the client id in the frame but leave it out of the columns shown.
HIDDEN_ID_TABLES = ["prediction_ranking", "automation_tasks_table",
                    "case_outreach_table"]


def _open(page: str, lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    app.switch_page(page)
    app.run()
    return app


def _table(app: AppTest, key: str):
    return next(frame for frame in app.dataframe if frame.key == key)


def _select(app: AppTest, key: str, row: int) -> None:
    app.session_state[key] = {"selection": {"rows": [row]}}
    app.run()


def _client_name(path: Path, client_id: str) -> str:
    clients = Store(path).read_table("clients").set_index("client_id")
    return str(clients.loc[client_id, "name"])


def _event(rows: list) -> dict:
    return {"selection": {"rows": rows, "columns": [], "cells": []}}


# -- the selection handling on its own -----------------------------------------


def test_selected_client_id_reads_row_position():
    frame = pd.DataFrame({"client_id": ["C-1", "C-2", "C-3"]}, index=[10, 5, 7])

    assert selected_client_id(_event([1]), frame) == "C-2"
    assert selected_client_id(_event([0]), frame) == "C-1"


def test_selected_client_id_without_selection():
    frame = pd.DataFrame({"client_id": ["C-1"]})

    assert selected_client_id(_event([]), frame) is None
    assert selected_client_id(None, frame) is None
    assert selected_client_id({}, frame) is None


def test_selected_client_id_row_outside_table():
    frame = pd.DataFrame({"client_id": ["C-1", "C-2"]})

    assert selected_client_id(_event([2]), frame) is None
    assert selected_client_id(_event([-1]), frame) is None


def test_selected_client_id_missing_id():
    frame = pd.DataFrame({"client_id": [None, np.nan, "  ", "C-4"]})

    for row in range(3):
        assert selected_client_id(_event([row]), frame) is None, row
    assert selected_client_id(_event([3]), frame) == "C-4"


def test_selected_client_id_other_column():
    frame = pd.DataFrame({"group": ["C-7 · Bank", "x"], "client_id": [" C-7 ", "C-8"]})

    assert selected_client_id(_event([0]), frame, "client_id") == "C-7"
    assert selected_client_id(_event([1]), frame, "group") == "x"


def test_client_table_without_id_column():
    frame = pd.DataFrame({"name": ["A"]})

    with pytest.raises(ValueError, match=r"column 'client_id' is missing.*\['name'\]"):
        client_table(frame, key="missing_id")


# -- every page's client tables, through the router ----------------------------


@pytest.mark.parametrize(("page", "key"), CLIENT_TABLES,
                         ids=[f"{Path(p).stem}-{k}" for p, k in CLIENT_TABLES])
def test_selected_row_opens_profile(demo_copy, page, key):
    app = _open(page)
    table = _table(app, key)
    # The second row where the table has one, so a default of row 0 cannot pass.
    row = min(1, len(table.value) - 1)
    client_id = str(table.value["client_id"].iloc[row])

    _select(app, key, row)

    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["client"] == client_id
    assert app.query_params["lang"] == "en"
    assert app.title[0].value == translate("profile.title", "en")
    assert app.header[0].value == _client_name(demo_copy, client_id)


@pytest.mark.parametrize(("page", "button", "key"), CLIENT_TABLES_AFTER_BUTTON,
                         ids=[f"{Path(p).stem}-{k}" for p, _, k in
                              CLIENT_TABLES_AFTER_BUTTON])
def test_selected_row_opens_profile_after_button(demo_copy, page, button, key):
    app = _open(page)
    app.button(key=button).click().run()
    assert not app.exception, [e.value for e in app.exception]
    table = _table(app, key)
    assert len(table.value) >= 2, f"{button} left {len(table.value)} rows in {key}"
    client_id = str(table.value["client_id"].iloc[1])
    if key in HIDDEN_ID_TABLES:
        assert "client_id" not in table.proto.column_order

    _select(app, key, 1)

    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["client"] == client_id
    assert app.query_params["lang"] == "en"
    assert app.header[0].value == _client_name(demo_copy, client_id)


@pytest.mark.parametrize("key", ["prediction_ranking", "case_outreach_table"])
def test_client_id_hidden_but_kept(demo_copy, key):
    page = dict((k, p) for p, k in CLIENT_TABLES)[key]
    app = _open(page)
    table = _table(app, key)

    assert "client_id" in table.value.columns
    assert list(table.proto.column_order), key
    assert "client_id" not in table.proto.column_order
    assert "name" in table.proto.column_order


def test_case_study_outreach_keeps_chinese(demo_copy):
    # The row opens the profile in the same session with ?lang=zh, so a Chinese
    # user stays in Chinese. A link that opens a new tab would lose the language.
    app = _open("pages/adoption/case_study.py", "zh")
    table = _table(app, "case_outreach_table")
    assert "profile" not in table.value.columns
    client_id = str(table.value["client_id"].iloc[0])

    _select(app, "case_outreach_table", 0)

    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["client"] == client_id
    assert app.query_params["lang"] == "zh"
    assert app.title[0].value == translate("profile.title", "zh")


def test_selected_row_keeps_chinese(demo_copy):
    app = _open("pages/dashboard/overview.py", "zh")
    assert translate("client_table.hint", "zh") in [c.value for c in app.caption]
    client_id = str(_table(app, "overview_top_clients").value["client_id"].iloc[2])

    _select(app, "overview_top_clients", 2)

    assert not app.exception
    assert app.query_params["client"] == client_id
    assert app.query_params["lang"] == "zh"
    assert app.title[0].value == translate("profile.title", "zh")
    assert app.header[0].value == _client_name(demo_copy, client_id)


def test_return_to_page_after_profile(demo_copy):
    app = _open("pages/models/clv.py")
    _select(app, "clv_table", 0)
    assert app.title[0].value == translate("profile.title", "en")

    app.switch_page("pages/models/clv.py")
    app.run()

    # The old selection is gone, so the page stays and can open another client.
    assert not app.exception
    assert app.title[0].value != translate("profile.title", "en")
    second = str(_table(app, "clv_table").value["client_id"].iloc[1])
    _select(app, "clv_table", 1)
    assert app.query_params["client"] == second


def test_satisfaction_grouped_by_client(demo_copy):
    app = _open("pages/models/satisfaction.py")
    app.selectbox(key="sat_group").set_value("client").run()
    table = _table(app, "sat_client_table")
    client_id = str(table.value["client_id"].iloc[1])
    assert table.value["group"].iloc[1].startswith(client_id)

    _select(app, "sat_client_table", 1)

    assert not app.exception
    assert app.query_params["client"] == client_id
    assert app.header[0].value == _client_name(demo_copy, client_id)


def test_page_run_alone_sets_client_parameter(demo_copy):
    # Without the router the profile page is not registered. The page stays, and
    # only ?client= is set, with no rerun loop.
    app = AppTest.from_file(str(ROOT / "pages" / "models" / "segments.py"),
                            default_timeout=TIMEOUT)
    app.run()
    key = "seg_quadrant_clients"
    client_id = str(_table(app, key).value["client_id"].iloc[0])

    _select(app, key, 0)

    assert not app.exception
    assert app.query_params["client"] == client_id
    assert app.title[0].value == translate("segments.title", "en")
    assert translate("client_table.hint", "en") in [c.value for c in app.caption]
