"""Reading files of every format and encoding analysts upload."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from pfcrm_core.errors import ImportFileError
from pfcrm_core.ingest import error_message, import_file, read_source
from pfcrm_core.ingest.text_reader import sniff_delimiter

HEADER = "客户编号,客户名称,客户类型\n"
ROWS = "C001,国家开发银行,银行\nC002,中國銀行,銀行\n"


@pytest.mark.parametrize("encoding, guessed", [
    ("utf-8", False), ("utf-8-sig", False), ("gb18030", True), ("utf-16", False),
])
def test_csv_encodings(tmp_path, encoding, guessed):
    text = HEADER + "C001,国家开发银行,银行\nC002,华能国际电力,发起人\n"
    path = tmp_path / "clients.csv"
    path.write_bytes(text.encode(encoding))
    sheet = read_source(path).sheets[0]

    assert sheet.rows[1] == ["C001", "国家开发银行", "银行"]
    assert any(i.code == "encoding_guessed" for i in sheet.issues) is guessed


def test_csv_big5_traditional(tmp_path):
    text = "客戶編號,客戶名稱,類型\nC001,國家開發銀行,銀行\nC002,臺灣電力公司,發起人\n"
    path = tmp_path / "clients.csv"
    path.write_bytes(text.encode("big5"))
    sheet = read_source(path).sheets[0]

    assert sheet.rows[1][1] == "國家開發銀行"
    assert sheet.issues[0].params == {"encoding": "big5"}
    clients = import_file(path).accepted("clients")
    assert list(clients["client_type"]) == ["bank", "sponsor"]


def test_excel_unicode_text_is_utf16_tabs(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(HEADER.replace(",", "\t").encode("utf-16")
                     + "C001\t国家开发银行\t银行\n".encode("utf-16-le"))
    plan = import_file(path)

    assert plan.accepted("clients").loc[0, "name"] == "国家开发银行"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffed(delimiter):
    lines = [delimiter.join(["a", "b, c", "d"]) if delimiter != "," else
             'a,"b, c",d'] * 3
    assert sniff_delimiter(lines) == delimiter


def test_sep_line_and_multiline_cells(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('sep=;\nclient_id;name\nC1;"Line one\nline two"\nC2;Beta\n',
                    encoding="utf-8")
    plan = import_file(path)

    frame = plan.tables[0].frame
    assert list(frame.index) == [3, 5]
    assert frame.at[3, "name"] == "Line one\nline two"


def test_file_object_with_name(tmp_path):
    upload = io.BytesIO((HEADER + ROWS).encode("utf-8"))
    upload.name = "clients.csv"
    plan = import_file(upload)

    assert plan.source == "clients.csv"
    assert len(plan.accepted("clients")) == 2


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><th>客户编号</th><th>客户名称</th></tr>"
                    "<tr><td>C1</td><td>甲&amp;乙</td></tr></table></body></html>",
                    encoding="utf-8")
    plan = import_file(path)

    assert plan.format == "html"
    assert plan.accepted("clients").loc[0, "name"] == "甲&乙"


def test_csv_saved_as_xlsx_name(tmp_path):
    path = tmp_path / "clients.xlsx"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    assert import_file(path).format == "csv"


@pytest.mark.parametrize("content, pattern", [
    (b"", "is empty"),
    (b"   \r\n", "is empty"),
    (b"%PDF-1.7 ...", "is a PDF"),
    (b"PK\x03\x04broken", "is damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
     + "EncryptionInfo".encode("utf-16-le"), "password-protected"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG image"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
     b'spreadsheet">', "Excel 2003 XML"),
])
def test_unreadable_files_raise(tmp_path, content, pattern):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=pattern):
        read_source(path)


def test_file_error_translates(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match="e.csv is empty") as caught:
        read_source(path)
    assert error_message(caught.value, "zh") == "e.csv 是空文件；请从 Excel 重新导出"


def test_missing_path_raises(tmp_path):
    with pytest.raises(ImportFileError, match="file not found"):
        read_source(tmp_path / "nope.xlsx")


def test_invalid_utf16_raises(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(ImportFileError, match="invalid bytes"):
        read_source(path)


def test_zip_bomb_rejected(tmp_path, monkeypatch):
    from pfcrm_core.ingest import source
    monkeypatch.setattr(source, "MAX_UNZIPPED_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", "0" * 5000)
    with pytest.raises(ImportFileError, match="expands to"):
        read_source(buffer.getvalue(), "bomb.xlsx")


def test_uncached_formulas_and_error_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "credit"
    sheet.append(["client_id", "as_of", "ead", "pd"])
    sheet.append(["C1", "2024-03-31", "=1+1", 0.01])
    sheet.append(["C2", "2024-03-31", 100, "#DIV/0!"])
    sheet["D3"].data_type = "e"
    path = tmp_path / "credit.xlsx"
    book.save(path)
    plan = import_file(path)

    uncached = [i for i in plan.warnings if i.code == "formulas_uncached"]
    assert len(uncached) == 1
    assert uncached[0].params == {"count": 1, "cells": "C2"}
    errors = [(i.code, i.row, i.value) for i in plan.errors]
    assert errors == [("formula_error", 3, "#DIV/0!")]


def test_two_row_header_with_vertical_merge(xlsx):
    rows = [
        ["项目编号", "项目名称", "投资（亿元）", None, "融资关闭日"],
        [None, None, "总投资", "已到位资金", None],
        ["P1", "风电一期", 12.5, 3, "2023-06-30"],
    ]
    path = xlsx({"项目": rows}, merged={"项目": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]})
    plan = import_file(path)
    part = plan.tables[0]

    assert part.table.name == "projects"
    assert part.header_row == 2
    assert part.frame.at[3, "total_cost"] == pytest.approx(1.25e9)
    assert part.frame.at[3, "funded_amount"] == pytest.approx(3e8)


def _zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


# The first bytes of a 1x1 PNG, as in a picture renamed to .csv.
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x06" \
    + b"\x00" * 60


@pytest.mark.parametrize("content, pattern", [
    (_PNG, "image.csv is a PNG image, not a table; upload the Excel or CSV file"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "is a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00", "is a GIF image"),
    (b"%PDF-1.4\n", "is a PDF"),
    (_zip_with("word/document.xml"), "is a Word document, not a spreadsheet"),
    (_zip_with("ppt/presentation.xml"), "is a PowerPoint document"),
    (_zip_with("data/clients.csv"), "is a ZIP archive; extract it"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04", "is a 7z archive"),
    (b"Rar!\x1a\x07\x01\x00", "is a RAR archive"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "is a Windows program"),
    (b"\x7fELF\x02\x01\x01\x00", "is a Linux \\(ELF\\) program"),
    (b"client_id,name\nA,\x00\x00\x01Alpha\n", "binary file of an unknown type"),
])
def test_binary_content_named(tmp_path, content, pattern):
    path = tmp_path / "image.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=pattern):
        read_source(path)


def test_png_message_in_chinese(tmp_path):
    path = tmp_path / "图片.csv"
    path.write_bytes(_PNG)
    with pytest.raises(ImportFileError, match="PNG") as caught:
        read_source(path)
    assert error_message(caught.value, "zh").startswith("图片.csv 是 PNG 图片，不是表格")


@pytest.mark.parametrize("content", [
    "MZ-1,Mz Bank\nMZ-2,Other\n".encode(),
    "BM,name\n1,2\n".encode("utf-16"),
])
def test_text_with_binary_prefix_still_reads(tmp_path, content):
    path = tmp_path / "text.csv"
    path.write_bytes(content)
    assert read_source(path).format == "csv"
