"""Blank import templates: one header row per canonical table, as CSV or XLSX.

The XLSX template names columns in the analyst's language (the first Chinese
synonym for "zh"), explains each header in a cell comment, and offers the allowed
values of category columns as a drop-down list. Both templates import back
unchanged, because every header they use is a synonym of its column.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from pfcrm_core.i18n import translate
from pfcrm_core.schema import Column, get_table

# Data rows that carry the drop-down lists of category columns.
_VALIDATED_ROWS = 5000


def template_csv(table_name: str) -> bytes:
    """Return a CSV template: canonical column names, UTF-8 with a byte order mark
    so that Excel shows Chinese text correctly."""
    table = get_table(table_name)
    return ("\ufeff" + ",".join(table.column_names) + "\r\n").encode("utf-8")


def template_xlsx(table_name: str, lang: str = "en") -> bytes:
    """Return an XLSX template for ``table_name`` with headers in ``lang``."""
    table = get_table(table_name)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table.name
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")

    for position, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=position, value=template_header(column, lang))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        cell.comment = Comment(_describe(column, lang), "PF-CRM", width=320,
                               height=120)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(str(cell.value)) + 4)
        if column.allowed:
            _add_drop_down(sheet, letter, column.allowed)
        if column.kind == "date":
            for row in range(2, 202):
                sheet.cell(row=row, column=position).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_header(column: Column, lang: str) -> str:
    """Return the header used for ``column`` in a template in ``lang``."""
    if lang == "zh":
        for word in column.synonyms:
            if any("\u4e00" <= ch <= "\u9fff" for ch in word):
                return word
    return column.name


def _describe(column: Column, lang: str) -> str:
    """Return the comment text: kind, whether required, and allowed values."""
    lines = [translate(f"ingest.template.kind.{column.kind}", lang)]
    if column.required:
        lines.append(translate("ingest.template.required", lang))
    if column.allowed:
        lines.append(translate("ingest.template.allowed", lang,
                               values=", ".join(column.allowed)))
    if column.references:
        lines.append(translate("ingest.template.references", lang,
                               target=column.references))
    return "\n".join(lines)


def _add_drop_down(sheet, letter: str, allowed: tuple[str, ...]) -> None:
    """Offer ``allowed`` as a list in the column's data cells."""
    validation = DataValidation(type="list", formula1=f'"{",".join(allowed)}"',
                                allow_blank=True)
    validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS + 1}")
    sheet.add_data_validation(validation)
