"""Every page under Streamlit's AppTest harness, in both languages, on real DuckDB files."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
PAGES = ["pages/dashboard/overview.py", "pages/dashboard/profile.py",
         "pages/data/manage.py", "pages/models/clv.py", "pages/models/satisfaction.py",
         "pages/models/segments.py", "pages/models/risk.py", "pages/models/feedback.py"]
TIMEOUT = 120


def _open(page: str | None = None, lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    if page is not None:
        app.switch_page(page)
        app.run()
    return app


def _submit(app: AppTest) -> None:
    """Press the settings form's submit button and rerun."""
    next(b for b in app.button if b.label in ("Fit", "拟合")).click().run()


def _texts(app: AppTest) -> str:
    parts = [element.value for element in app.markdown]
    parts += [element.value for element in app.title]
    parts += [element.value for element in app.header]
    parts += [element.value for element in app.subheader]
    parts += [element.value for element in app.caption]
    parts += [element.value for element in app.info]
    parts += [element.value for element in app.success]
    parts += [element.value for element in app.warning]
    parts += [element.value for element in app.error]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_data(demo_copy, page, lang):
    app = _open(page, lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title


def test_overview_shows_kpis(demo_copy):
    app = _open("pages/dashboard/overview.py")

    labels = [metric.label for metric in app.metric]

    assert "Clients" in labels
    clients = next(m for m in app.metric if m.label == "Clients")
    assert clients.value == "600"


def test_overview_in_chinese(demo_copy):
    app = _open("pages/dashboard/overview.py", "zh")

    assert app.title[0].value == "总览"
    assert any(metric.label == "客户数" for metric in app.metric)


def test_language_switch_in_sidebar(demo_copy):
    app = _open("pages/dashboard/overview.py")

    app.selectbox(key="lang").select("zh").run()

    assert app.title[0].value == "总览"


def test_empty_database_points_to_data_page(empty_db):
    app = _open("pages/dashboard/overview.py")

    assert not app.exception
    assert "no clients yet" in _texts(app)


def test_clv_page_on_empty_database_explains(empty_db):
    app = _open("pages/models/clv.py")

    assert not app.exception
    assert "no revenue" in _texts(app)


def test_clv_page_shows_parameters(demo_copy):
    app = _open("pages/models/clv.py")

    frames = [frame.value for frame in app.dataframe]
    parameter_tables = [f for f in frames if "Parameter" in f.columns]

    assert parameter_tables
    assert set(parameter_tables[0]["Parameter"]) == {"r", "alpha", "a", "b", "p", "q",
                                                     "gamma"}


def test_clv_page_validates_by_default(demo_copy):
    app = _open("pages/models/clv.py")

    assert not app.exception
    assert any(metric.label == "Mean absolute error per client" for metric in app.metric)


def test_clv_page_without_validation(demo_copy):
    app = _open("pages/models/clv.py")

    app.checkbox(key="clv_validate").uncheck()
    _submit(app)

    assert not app.exception
    assert "Tick" in _texts(app)


def test_clv_page_warns_on_thin_data(empty_db):
    store = Store(empty_db)
    clients = pd.DataFrame({"client_id": ["A", "B", "C"]})
    revenue = pd.DataFrame({"txn_id": ["1", "2", "3"], "client_id": ["A", "B", "C"],
                            "date": pd.to_datetime(["2024-01-01", "2024-02-01",
                                                    "2024-03-01"]),
                            "amount": [10.0, 20.0, 30.0]})
    store.replace_all({"clients": clients, "revenue": revenue}, label="thin")

    app = _open("pages/models/clv.py")

    assert not app.exception
    assert "at least 30 clients" in _texts(app)


def test_busy_database_gives_sentence(demo_copy):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time
            con = duckdb.connect({str(demo_copy)!r})
            print("locked", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        app = _open("pages/dashboard/overview.py")
    finally:
        holder.kill()
        holder.wait()

    assert not app.exception
    assert "is in use by process" in app.error[0].value


def test_xlsx_with_cover_sheet_uses_data_sheet(empty_db, tmp_path):
    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    cover["A1"] = "2024年客户清单"
    data = workbook.create_sheet("客户")
    data.append(["2024年客户清单"])
    data.append([])
    data.append(["客户编号", "客户名称", "客户类型", "信用评级"])
    data.append(["X-1", "华南水务集团", "政府", "AA"])
    path = tmp_path / "clients.xlsx"
    workbook.save(path)
    app = _open("pages/data/manage.py")

    app.file_uploader(key="upload_file_0").upload(
        "clients.xlsx", path.read_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    app.button(key="commit_import").click().run()

    assert not app.exception
    stored = Store(empty_db).read_table("clients")
    assert stored["client_id"].tolist() == ["X-1"]
    assert stored["client_type"].tolist() == ["government"]


def test_upload_commits_clients(empty_db):
    app = _open("pages/data/manage.py")
    content = ("client_id,name,client_type,credit_rating\n"
               "K-1,Kestrel Bank,bank,A\nK-2,Harbour Fund,investor,BBB\n").encode()

    app.file_uploader(key="upload_file_0").upload("clients.csv", content, "text/csv").run()
    app.button(key="commit_import").click().run()

    assert not app.exception
    assert "Imported into Clients" in _texts(app)
    stored = Store(empty_db).read_table("clients")
    assert stored["client_id"].tolist() == ["K-1", "K-2"]


def test_upload_with_problem_is_rejected_whole(empty_db):
    app = _open("pages/data/manage.py")
    content = ("client_id,name,client_type\n"
               "K-1,Kestrel Bank,bank\nK-2,Harbour Fund,spaceship\n").encode()

    app.file_uploader(key="upload_file_0").upload("bad.csv", content, "text/csv").run()
    problems = [f.value for f in app.dataframe if "spaceship" in f.value.to_string()]
    app.button(key="commit_import").click().run()

    assert problems
    assert app.error
    assert Store(empty_db).row_counts()["clients"] == 0


def test_cdnow_upload_reproduces_published_fit(empty_db):
    app = _open("pages/data/manage.py")

    uploader = app.file_uploader(key="upload_file_0")
    uploader.upload("cdnow_clients.csv", (SAMPLES / "cdnow_clients.csv").read_bytes(),
                    "text/csv").run()
    app.button(key="commit_import").click().run()
    app.selectbox(key="upload_table").select("revenue").run()
    app.file_uploader(key="upload_file_1").upload(
        "cdnow_revenue.csv", (SAMPLES / "cdnow_revenue.csv").read_bytes(),
        "text/csv").run()
    app.button(key="commit_import").click().run()
    assert Store(empty_db).row_counts()["revenue"] == 6919

    app.switch_page("pages/models/clv.py").run()
    app.date_input(key="clv_end").set_value(date(1997, 9, 30))
    _submit(app)

    assert not app.exception
    table = next(f.value for f in app.dataframe if "Parameter" in f.value.columns)
    estimates = dict(zip(table["Parameter"], table["Estimate"]))
    assert estimates["r"] == pytest.approx(0.243, abs=5e-4)
    assert estimates["alpha"] == pytest.approx(4.414, abs=5e-4)
    assert estimates["a"] == pytest.approx(0.793, abs=5e-4)
    assert estimates["b"] == pytest.approx(2.426, abs=5e-4)
    assert estimates["p"] == pytest.approx(6.25, abs=5e-3)
    assert estimates["q"] == pytest.approx(3.74, abs=5e-3)
    assert estimates["gamma"] == pytest.approx(15.44, abs=5e-3)


def test_empty_file_gets_translated_message(empty_db):
    app = _open("pages/data/manage.py", "zh")

    app.file_uploader(key="upload_file_0").upload("空文件.csv", b"", "text/csv").run()

    assert not app.exception
    assert app.error
    assert "空文件.csv" in app.error[0].value
    assert re.search(r"[\u4e00-\u9fff]{4}", app.error[0].value)


def test_uploader_is_cleared_after_import(empty_db):
    app = _open("pages/data/manage.py")
    content = b"client_id,name\nK-1,Kestrel Bank\n"

    app.file_uploader(key="upload_file_0").upload("c.csv", content, "text/csv").run()
    app.button(key="commit_import").click().run()

    assert app.file_uploader(key="upload_file_1").value is None


def test_upload_date_order_choice(empty_db):
    app = _open("pages/data/manage.py")
    content = ("client_id,name,relationship_since\n"
               "K-1,Kestrel Bank,05/03/2020\nK-2,Harbour Fund,2019-01-01\n").encode()

    app.file_uploader(key="upload_file_0").upload("c.csv", content, "text/csv").run()
    choices = [s for s in app.selectbox if s.label.startswith("Date order of")]
    assert [s.label for s in choices] == ["Date order of relationship_since"]
    assert "05/03/2020 read as 2020-05-03" in _texts(app)
    choices[0].select("dmy").run()
    assert "05/03/2020 read as 2020-03-05" in _texts(app)
    app.button(key="commit_import").click().run()

    assert not app.exception
    stored = Store(empty_db).read_table("clients")
    assert str(stored["relationship_since"].iloc[0].date()) == "2020-03-05"


def test_upload_date_order_label_in_chinese(empty_db):
    app = _open("pages/data/manage.py", "zh")
    content = "客户编号,建立关系日期\nK-1,05/03/2020\n".encode()

    app.file_uploader(key="upload_file_0").upload("c.csv", content, "text/csv").run()

    labels = [s.label for s in app.selectbox if "日期顺序" in s.label]
    assert labels == ["建立关系日期 的日期顺序"]
    assert not app.exception


def test_changed_records_rejection_names_keys(empty_db):
    Store(empty_db).replace_all({"clients": pd.DataFrame(
        {"client_id": ["K-1"], "name": ["Kestrel Bank"]})}, label="test")
    app = _open("pages/data/manage.py")
    content = b"client_id,name\nK-1,Kestrel Capital\n"

    app.file_uploader(key="upload_file_0").upload("c.csv", content, "text/csv").run()
    app.button(key="commit_import").click().run()

    assert not app.exception
    assert "(1: K-1)" in app.error[0].value
    assert "tick the box “Apply the changes" in app.error[0].value


def test_sidebar_search_opens_profile(demo_copy):
    app = _open()

    app.text_input[0].input("ｈｅｒｏｎｒｅａｃｈ").run()
    next(b for b in app.button if "C\\-0243" in b.label or "C-0243" in b.label).click().run()

    assert not app.exception
    assert app.query_params.get("client") in ("C-0243", ["C-0243"])
    assert "Heronreach Pension Fund" in _texts(app)
