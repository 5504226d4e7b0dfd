"""Exports neutralise text that a spreadsheet would run as a formula."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from pfcrm_core.export import neutralise_text, to_csv_bytes, to_xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "  =HYPERLINK(1)",
                                  "\t=1", "\r=1"])
def test_formula_text_gets_apostrophe(text):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Acme Bank", "中国银行", "", 3.5, -2.0, None])
def test_plain_values_unchanged(value):
    assert neutralise_text(value) == value


def test_csv_keeps_negative_numbers_and_bom():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0"], "amount": [-5.0]})

    data = to_csv_bytes(frame)

    assert data.startswith(b"\xef\xbb\xbf")
    parsed = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert parsed.at[0, "name"] == "'=cmd|' /C calc'!A0"
    assert parsed.at[0, "amount"] == -5.0


def test_csv_without_bom():
    assert not to_csv_bytes(pd.DataFrame({"a": [1]}), bom=False).startswith(b"\xef")


def test_xlsx_cells_are_text_not_formulas():
    frame = pd.DataFrame({"name": ["=1+1", "@SUM(A1)"], "amount": [1.0, -1.0]})

    workbook = load_workbook(io.BytesIO(to_xlsx_bytes({"Clients": frame})))
    sheet = workbook["Clients"]

    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@SUM(A1)"
    assert sheet["B3"].value == -1.0
