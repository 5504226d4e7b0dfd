"""The executive report: its tables, and formula and HTML injection in its exports."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from pfcrm_core.i18n import translate
from pfcrm_core.report import (
    executive_tables,
    report_html,
    report_xlsx,
    sheet_name,
)

FORMULA_NAME = '=HYPERLINK("http://x","y")'
SCRIPT_NAME = "<img src=x onerror=alert(1)>"
SHEET_KEYS = ["report.sheet.kpis", "report.sheet.clients_by_type",
              "report.sheet.exposure_by_type", "report.sheet.revenue_by_quarter",
              "report.sheet.top_clients"]


@pytest.fixture(scope="module")
def book():
    """Three clients (two with hostile names), two live deals, four quarters of revenue."""
    clients = pd.DataFrame({
        "client_id": ["C1", "C2", "C3"],
        "name": [FORMULA_NAME, SCRIPT_NAME, "Harbour Bank"],
        "client_type": ["bank", "sponsor", "bank"],
        "sector": ["energy", "transport", "water"],
        "region": ["europe", "americas", "europe"],
    })
    deals = pd.DataFrame({
        "deal_id": ["D1", "D2"],
        "client_id": ["C1", "C2"],
        "amount": [1_000_000.0, 3_000_000.0],
        "currency": ["USD", "USD"],
        "start_date": pd.to_datetime(["2024-01-15", "2024-03-01"]),
        "maturity_date": pd.to_datetime(["2030-01-15", "2031-03-01"]),
    })
    revenue = pd.DataFrame({
        "client_id": ["C1", "C2", "C3", "C1"],
        "date": pd.to_datetime(["2024-02-10", "2024-05-20", "2024-08-01", "2024-11-30"]),
        "amount": [10_000.0, 20_000.0, 5_000.0, 7_500.0],
        "currency": ["USD", "USD", "USD", "USD"],
        "kind": ["fee", "interest", "fee", "advisory"],
    })
    clv_clients = pd.DataFrame({
        "client_id": ["C1", "C2", "C3"],
        "p_alive": [0.9, 0.8, 0.5],
        "expected_transactions": [2.5, 1.5, 0.4],
        "clv": [50_000.0, 40_000.0, float("nan")],
    })
    return clients, deals, revenue, clv_clients


def _tables(book, lang):
    clients, deals, revenue, clv_clients = book
    return executive_tables(clients, deals, revenue, clv_clients=clv_clients,
                            as_of=pd.Timestamp("2024-12-31"), lang=lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sheets_are_translated(book, lang):
    tables = _tables(book, lang)

    assert list(tables) == [translate(key, lang) for key in SHEET_KEYS]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headers_are_translated(book, lang):
    tables = list(_tables(book, lang).values())
    kpis, mix, exposure, quarters, top = tables

    assert list(kpis.columns) == [translate("report.col.indicator", lang),
                                  translate("report.col.value", lang),
                                  translate("report.col.unit", lang)]
    assert list(mix.columns) == [translate("col.client_type", lang),
                                 translate("report.col.clients", lang),
                                 translate("report.col.share", lang)]
    assert list(exposure.columns)[1] == translate("report.col.exposure_usd", lang)
    assert quarters.columns[0] == translate("report.col.quarter", lang)
    assert quarters.columns[-1] == translate("report.col.total_usd", lang)
    assert translate("revenue_kind.fee", lang) in quarters.columns
    assert list(top.columns) == [translate(f"col.{column}", lang) for column in
                                 ("client_id", "name", "client_type", "sector", "region",
                                  "p_alive", "expected_transactions", "clv")]


def test_chinese_labels_categories(book):
    mix = list(_tables(book, "zh").values())[1]

    assert mix.iloc[0, 0] == translate("client_type.bank", "zh")
    assert mix.iloc[0, 1] == 2


def test_figures_match_the_book(book):
    kpis, mix, exposure, quarters, top = _tables(book, "en").values()
    values = dict(zip(kpis.iloc[:, 0], kpis.iloc[:, 1]))

    assert values["Clients"] == 3
    assert values["Live exposure"] == pytest.approx(4_000_000.0)
    assert values["Live deals"] == 2
    assert values["Revenue, last 12 months"] == pytest.approx(42_500.0)
    assert exposure.iloc[0, 2] == pytest.approx(75.0)
    assert list(quarters["Quarter"]) == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    assert quarters["Total (USD)"].sum() == pytest.approx(42_500.0)
    assert list(top["Client id"]) == ["C1", "C2"]


def test_top_clients_absent_without_clv(book):
    clients, deals, revenue, _ = book

    tables = executive_tables(clients, deals, revenue, lang="en")

    assert "Top clients by CLV" not in tables
    assert len(tables) == 4


def test_unknown_language_rejected(book):
    clients, deals, revenue, _ = book

    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        executive_tables(clients, deals, revenue, lang="fr")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_neutralises_formulas(book, lang):
    tables = _tables(book, lang)

    workbook = load_workbook(io.BytesIO(report_xlsx(tables, lang)))

    assert workbook.sheetnames == list(tables)
    sheet = workbook[translate("report.sheet.top_clients", lang)]
    names = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    cell = names["'" + FORMULA_NAME]
    assert cell.data_type == "s"
    assert cell.value.startswith("'")
    assert SCRIPT_NAME in names


def test_xlsx_keeps_numbers_numeric(book):
    workbook = load_workbook(io.BytesIO(report_xlsx(_tables(book, "en"), "en")))

    sheet = workbook["Exposure by type"]
    assert sheet["B2"].data_type == "n"
    assert sheet["B2"].value == pytest.approx(3_000_000.0)


def test_xlsx_rejects_duplicate_sheet_names():
    frame = pd.DataFrame({"a": [1]})
    tables = {"x" * 40: frame, "x" * 41: frame}

    with pytest.raises(ValueError, match="also maps to the sheet name"):
        report_xlsx(tables, "en")


def test_sheet_name_removes_forbidden_characters():
    assert sheet_name("Q1/Q2 [draft]: *?") == "Q1 Q2  draft"
    assert len(sheet_name("y" * 50)) == 31


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_escapes_every_value(book, lang):
    page = report_html(_tables(book, lang), lang, "Report <b>&</b>")

    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert "<title>Report &lt;b&gt;&amp;&lt;/b&gt;</title>" in page
    assert "<script" not in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_loads_nothing_external(book, lang):
    page = report_html(_tables(book, lang), lang, "Report")

    assert re.search(r"""(src|href)\s*=\s*["']?\s*https?:""", page, re.I) is None
    assert "<link" not in page
    assert "@import" not in page
    assert "url(" not in page


def test_html_has_print_styles_and_language(book):
    page = report_html(_tables(book, "zh"), "zh", "报告")

    assert '<html lang="zh-Hans">' in page
    assert "@media print" in page
    assert '<meta charset="utf-8">' in page
    assert translate("report.sheet.kpis", "zh") in page
