"""The Live page under AppTest: demo data in both languages, an empty database, and
rows imported by another process between two runs of the same session.

AppTest has no browser, so ``run_every`` never ticks by itself. Each ``run()``
executes the whole script with the fragment, as a tick executes the fragment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "dashboard" / "live.py")
TIMEOUT = 120


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _tables(app: AppTest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the activity and the imports tables, in the order the page draws them.

    AppTest does not expose a dataframe's ``key``, so the tables are found by order.
    """
    activity, imports = (element.value for element in app.dataframe)
    return activity, imports


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.parametrize(("lang", "as_of", "clients"), [
    ("en", "Data as of", "Clients"), ("zh", "数据截至", "客户数")])
def test_live_on_demo(demo_copy, lang, as_of, clients):
    app = _open(lang)

    assert not app.exception
    metrics = _metrics(app)
    assert metrics[as_of] == "2026-09-30"
    assert metrics[clients] == "600"
    activity, imports = _tables(app)
    assert len(activity) == 50
    assert activity["date"].is_monotonic_decreasing
    assert imports["import_id"].tolist() == [0]


def test_live_kind_labels_translated(demo_copy):
    app = _open("zh")

    activity, _ = _tables(app)
    kinds = set(activity["kind"])
    assert kinds <= {"互动", "交易", "调查反馈", "收入", "跟进事项"}


def test_live_on_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open("en")

    assert not app.exception
    assert any("no clients yet" in info.value for info in app.info)
    assert any(info.value == "No activity recorded yet." for info in app.info)
    assert any(info.value == "No imports yet." for info in app.info)
    assert _metrics(app)["Data as of"] == "–"


def test_live_shows_import_from_other_process(demo_copy, tmp_path):
    app = _open("en")
    assert _tables(app)[1]["import_id"].tolist() == [0]

    csv = tmp_path / "late.csv"
    pd.DataFrame({"interaction_id": ["I-LATE-1"], "client_id": ["C-0003"],
                  "date": ["2026-10-20"], "channel": ["meeting"],
                  "staff": ["Li Wei"], "notes": ["Signing of the toll road loan"]}
                 ).to_csv(csv, index=False)
    completed = subprocess.run(
        [sys.executable, "-m", "pfcrm_core", "--db", str(demo_copy), "import", str(csv),
         "--table", "interactions"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert completed.returncode == 0, completed.stderr

    app.run()

    assert not app.exception
    activity, imports = _tables(app)
    assert activity["reference"].iloc[0] == "I-LATE-1"
    assert activity["detail"].iloc[0] == "Li Wei: Signing of the toll road loan"
    assert imports["import_id"].tolist() == [1, 0]
    assert imports["rows_added"].iloc[0] == 1


def test_live_interval_and_refresh(demo_copy):
    app = _open("en")
    interval = app.selectbox(key="live_interval")
    assert interval.value == 30
    assert interval.options == ["Off", "10 s", "30 s", "60 s"]

    interval.set_value(0).run()
    assert not app.exception
    app.button(key="live_refresh").click().run()

    assert not app.exception
    assert app.selectbox(key="live_interval").value == 0
    assert len(_tables(app)[0]) == 50
