"""The Risk & return page under AppTest, run standalone on real DuckDB files."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from pfcrm_core.store import Store

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "models" / "risk.py"
GERMAN = ROOT / "tests" / "data" / "germancredit.csv"
TIMEOUT = 120


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _texts(app: AppTest) -> str:
    parts = []
    for elements in (app.markdown, app.title, app.caption, app.info, app.success,
                     app.warning, app.error):
        parts += [str(element.value) for element in elements]
    return "\n".join(parts)


def _frame_with(app: AppTest, column: str) -> pd.DataFrame:
    """Return the first table shown with ``column``."""
    return next(f.value for f in app.dataframe if column in f.value.columns)


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def _upload(app: AppTest, name: str, content: bytes, mime: str = "text/csv") -> None:
    app.radio(key="risk_source").set_value("upload").run()
    app.file_uploader(key="risk_upload").upload(name, content, mime).run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_on_demo_data(demo_copy, lang):
    app = _open(lang)

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title
    assert len(app.tabs) == 4


def test_page_in_chinese_is_translated(demo_copy):
    app = _open("zh")

    assert app.title[0].value == "风险与回报"
    assert "测试集 AUC" in [m.label for m in app.metric]
    assert re.search(r"[\u4e00-\u9fff]{4}", app.caption[0].value)


def test_store_scorecard_metrics(demo_copy):
    app = _open()

    test_auc = float(_metric(app, "Test AUC"))
    test_gini = float(_metric(app, "Test Gini"))

    assert 0.5 < test_auc <= 1.0
    assert test_gini == pytest.approx(2 * test_auc - 1, abs=2e-3)
    assert float(_metric(app, "Training KS")) > 0


def test_iv_table_has_translated_bands(demo_copy):
    app = _open()

    iv_table = _frame_with(app, "strength_label")
    bands = set(iv_table["strength_label"])

    assert bands <= {"Useless (< 0.02)", "Weak (0.02–0.1)", "Medium (0.1–0.3)",
                     "Strong (0.3–0.5)", "Suspicious (> 0.5, check for leakage)"}
    assert "Rating (notch, 0 = AAA)" in set(iv_table["variable"])


def test_psi_per_variable_is_shown(demo_copy):
    app = _open()

    psi = _frame_with(app, "band_label")

    assert "Rating (notch, 0 = AAA)" in set(psi["variable"])
    assert (psi["psi"] >= 0).all()


def test_every_client_has_pd_source(demo_copy):
    app = _open()

    table = _frame_with(app, "pd_source_label")

    assert table["pd_source_label"].isin(
        ["Scorecard", "Rating (no history)", "In default", "None"]).all()
    assert (table.loc[table["pd_source_label"] == "In default", "pd"] == 1.0).all()


def test_irb_check_shown_live(demo_copy):
    app = _open()

    assert _metric(app, "K (capital per unit of EAD)") == "0.073853"
    assert _metric(app, "Risk weight") == "92.32%"


def test_german_check_shown_live(demo_copy):
    app = _open()

    assert _metric(app, "IV of checking-account status") == "0.666012"
    assert float(_metric(app, "Test AUC, German credit")) >= 0.78


def test_slotting_changes_capital(demo_copy):
    app = _open()
    irb_capital = _metric(app, "Capital")

    app.radio(key="risk_approach").set_value("slotting").run()

    assert not app.exception
    assert _metric(app, "Capital") != irb_capital
    table = _frame_with(app, "basis")
    assert table["basis"].str.startswith("Slotting").any()


def test_hurdle_moves_clients_below_it(demo_copy):
    app = _open()
    below = int(_metric(app, "Clients below the hurdle").replace(",", ""))

    app.number_input(key="risk_hurdle").set_value(30.0).run()

    assert int(_metric(app, "Clients below the hurdle").replace(",", "")) > below


def test_stress_lgd_shock_changes_el(demo_copy):
    app = _open()
    stressed = _metric(app, "Stressed expected loss")

    app.number_input(key="risk_lgd_shock").set_value(30.0).run()

    assert not app.exception
    assert _metric(app, "Stressed expected loss") != stressed
    delta = next(m.delta for m in app.metric if m.label == "Stressed expected loss")
    assert not delta.startswith("-")


def test_migration_and_watchlist_shown(demo_copy):
    app = _open()

    watch = _frame_with(app, "reason_text")

    assert len(watch) > 0
    assert watch["reason_text"].str.len().gt(0).all()


def test_upload_german_credit_reaches_auc(demo_copy):
    app = _open()

    _upload(app, "germancredit.csv", GERMAN.read_bytes())
    app.selectbox(key="risk_target").select("creditability").run()
    app.selectbox(key="risk_bad_value_creditability").select("bad").run()

    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert float(_metric(app, "Test AUC")) >= 0.78
    iv_table = _frame_with(app, "strength_label")
    checking = iv_table.set_index("variable").loc["status_of_existing_checking_account"]
    assert checking["strength_label"] == "Suspicious (> 0.5, check for leakage)"


def test_upload_xlsx_with_title_row(empty_db, tmp_path):
    frame = pd.read_csv(GERMAN)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["German credit applications (UCI Statlog)"])
    sheet.append([])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    path = tmp_path / "german.xlsx"
    workbook.save(path)
    app = _open()

    _upload(app, "german.xlsx", path.read_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    assert not app.exception, app.exception
    assert app.selectbox(key="risk_target").value == "creditability"
    assert float(_metric(app, "Test AUC")) >= 0.78
    riskiest = _frame_with(app, "target_value")
    assert riskiest["row"].between(4, 1003).all()
    assert set(riskiest["target_value"]) <= {"good", "bad"}


def test_upload_target_with_one_class(empty_db):
    content = ("amount,sector,outcome\n"
               + "".join(f"{i},energy,good\n" for i in range(40))).encode()
    app = _open()

    _upload(app, "one_class.csv", content)
    app.selectbox(key="risk_target").select("outcome").run()

    assert not app.exception
    assert app.error
    assert "only one value" in app.error[0].value


def test_upload_one_class_in_chinese(empty_db):
    content = ("amount,outcome\n" + "".join(f"{i},good\n" for i in range(40))).encode()
    app = _open("zh")

    _upload(app, "one_class.csv", content)
    app.selectbox(key="risk_target").select("outcome").run()

    assert not app.exception
    assert "只有一个取值" in app.error[0].value


def test_upload_empty_file_gets_message(empty_db):
    app = _open()

    _upload(app, "empty.csv", b"")

    assert not app.exception
    assert app.error
    assert "empty.csv" in app.error[0].value


def test_empty_database_explains(empty_db):
    app = _open()

    assert not app.exception
    assert not app.error
    assert "no credit history yet" in _texts(app)


def test_empty_database_in_chinese(empty_db):
    app = _open("zh")

    assert not app.exception
    assert "暂无信用历史" in _texts(app)


def test_tiny_database_falls_back_to_ratings(empty_db):
    clients = pd.DataFrame({"client_id": ["A", "B", "C"], "name": ["Alpha", "Beta",
                                                                     "Gamma"],
                            "client_type": ["bank", "sponsor", "investor"],
                            "sector": ["financial services", "energy",
                                       "financial services"],
                            "region": ["europe", "europe", "americas"]})
    credit = pd.DataFrame({"client_id": ["A", "B", "C", "A", "B", "C"],
                           "as_of": pd.to_datetime(["2024-12-31"] * 3
                                                   + ["2025-12-31"] * 3),
                           "rating": ["BBB", "BB", "A", "BBB-", "B", "A"],
                           "pd": [0.002, 0.014, 0.0007, 0.0035, 0.075, 0.0007],
                           "lgd": [0.45] * 6, "ead": [1e6, 2e6, 3e6] * 2,
                           "defaulted": [False] * 6})
    Store(empty_db).replace_all({"clients": clients, "credit": credit}, label="tiny")

    app = _open()

    assert not app.exception, app.exception
    assert "only one value" in _texts(app)
    table = _frame_with(app, "pd_source_label")
    assert set(table["pd_source_label"]) == {"Rating (no history)"}
