"""The XLSX template's second sheet, which explains every column."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pfcrm_core.ingest import import_file, prepare_import, template_xlsx
from pfcrm_core.ingest.categories import column_vocabulary
from pfcrm_core.schema import LOAD_ORDER, get_table
from pfcrm_core.store import Store

GUIDE_HEADERS = {
    "en": ["Column header", "Canonical name", "Type of value", "Unit", "Required?",
           "Allowed or known values", "Refers to", "Example"],
    "zh": ["列标题", "标准列名", "数据类型", "单位", "是否必填", "可选或已知取值", "引用",
           "示例"],
}


def _guide(name: str, lang: str):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(name, lang)))
    return book, book.worksheets[1]


@pytest.mark.parametrize("lang, title", [("en", "Column guide"), ("zh", "列说明")])
def test_guide_sheet_lists_every_column(lang, title):
    book, guide = _guide("deals", lang)
    rows = [list(row) for row in guide.iter_rows(values_only=True)]

    assert book.sheetnames == ["deals", title]
    assert rows[0] == GUIDE_HEADERS[lang]
    assert [row[1] for row in rows[1:]] == get_table("deals").column_names
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert [row[0] for row in rows[1:]] == headers
    assert all(row[7] for row in rows[1:])


def test_guide_content_english():
    _, guide = _guide("deals", "en")
    by_name = {row[1]: row for row in guide.iter_rows(min_row=2, values_only=True)}

    assert by_name["deal_id"][4] == "Yes"
    assert by_name["role"][5].startswith("Known values: lender, arranger")
    assert by_name["client_id"][6] == "Must exist in clients.client_id"
    assert by_name["margin_bps"][5] == "From 0 to 5000"
    assert by_name["amount"][3] == "Units of the row's currency (not thousands)"
    assert by_name["currency"][7] == "usd"


def test_guide_content_chinese():
    _, guide = _guide("clients", "zh")
    by_name = {row[1]: row for row in guide.iter_rows(min_row=2, values_only=True)}

    assert by_name["client_id"][0] == "客户编号"
    assert by_name["client_id"][4] == "是"
    assert by_name["client_type"][5].startswith("可选值：bank, investor")
    assert by_name["sector"][5].startswith("已知取值：energy, transport")
    assert by_name["relationship_since"][3] == "日历日期"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", LOAD_ORDER)
def test_no_cell_starts_like_a_formula(name, lang):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(name, lang)))
    starts = [cell.value for sheet in book.worksheets for row in sheet.iter_rows()
              for cell in row if isinstance(cell.value, str)
              and cell.value.startswith(("=", "+", "-", "@"))]
    assert starts == []


@pytest.mark.parametrize("name", LOAD_ORDER)
def test_known_values_in_sync_with_vocabulary(name):
    _, guide = _guide(name, "en")
    table = get_table(name)
    by_name = {row[1]: row for row in guide.iter_rows(min_row=2, values_only=True)}
    for column in table.columns:
        vocabulary = column_vocabulary(name, column.name)
        if vocabulary is None or column.allowed:
            continue
        assert ", ".join(vocabulary.known) in by_name[column.name][5]


def test_filled_template_imports_with_guide_sheet(tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("clients", "zh")))
    book.worksheets[0].append(["K-1", "甲银行", "银行", "能源"])
    path = tmp_path / "clients.xlsx"
    book.save(path)

    plan = prepare_import(path, "clients", Store(tmp_path / "s.duckdb"))
    assert plan.sheet == "clients"
    assert plan.accepted["client_type"].tolist() == ["bank"]
    assert plan.accepted["sector"].tolist() == ["energy"]
    detected = import_file(path)
    assert [p.sheet for p in detected.tables] == ["clients"]
    assert detected.errors == []
