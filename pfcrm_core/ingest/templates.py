"""Blank import templates: one header row per canonical table, as CSV or XLSX.

The XLSX template names columns in the analyst's language (the first Chinese
synonym for "zh") and explains each header in a cell comment. A second sheet
explains every column: kind, unit, whether required, allowed or known values,
references and an example. Category columns offer their allowed or known values as
a drop-down list.
Both templates import back unchanged, because every header they use is a synonym
of its column, and the import skips the explanation sheet, whose header matches no
table.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from pfcrm_core.i18n import translate
from pfcrm_core.ingest.categories import Vocabulary, column_vocabulary
from pfcrm_core.schema import Column, Table, get_table

# Data rows that carry the drop-down lists of category columns.
_VALIDATED_ROWS = 5000
# Characters that make Excel read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@")

# Example values of the explanation sheet, by column name; kinds fill the rest.
_EXAMPLES = {
    "client_id": "C-0001", "project_id": "P-0001", "deal_id": "D-0001",
    "txn_id": "T-0001", "interaction_id": "I-0001", "response_id": "R-0001",
    "source_id": "C-0001", "target_id": "C-0002", "country": "China",
    "credit_rating": "BBB+", "rating": "BBB+", "relationship_manager": "王丽",
    "staff": "王丽", "margin_bps": "125", "nps": "9", "csat": "4", "pd": "0.02",
    "lgd": "0.45", "weight": "3", "defaulted": "no",
}
_KIND_EXAMPLES = {
    "text": "…", "money": "1250000", "number": "1.5", "integer": "1",
    "share": "0.05", "bps": "125", "date": "2024-01-31", "bool": "yes", "id": "X-1",
}
# Kinds whose values have a unit worth stating.
_UNIT_KINDS = ("money", "share", "bps", "date")
_GUIDE_FIELDS = ("header", "name", "kind", "unit", "required", "values",
                 "references", "example")


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
        cell.comment = Comment(_describe(table, column, lang), "PF-CRM", width=320,
                               height=120)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(str(cell.value)) + 4)
        vocabulary = column_vocabulary(table.name, column.name)
        if column.allowed:
            _add_drop_down(sheet, letter, column.allowed)
        elif vocabulary is not None:
            _add_drop_down(sheet, letter, vocabulary.known, strict=False)
        if column.kind == "date":
            for row in range(2, 202):
                sheet.cell(row=row, column=position).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    _add_guide(book, table, lang)

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


def _describe(table: Table, column: Column, lang: str) -> str:
    """Return the comment text: kind, whether required, allowed or known values,
    and the referenced table."""
    lines = [translate(f"ingest.template.kind.{column.kind}", lang)]
    if column.required:
        lines.append(translate("ingest.template.required", lang))
    values = allowed_values_text(table, column, lang)
    if values:
        lines.append(values)
    if column.references:
        lines.append(translate("ingest.template.references", lang,
                               target=column.references))
    return "\n".join(lines)


def allowed_values_text(table: Table, column: Column, lang: str) -> str:
    """Return the sentence on a column's values: the allowed values of a strict
    category, the known values of an open one, the range of a number, or ""."""
    vocabulary: Vocabulary | None = column_vocabulary(table.name, column.name)
    if column.allowed:
        return translate("ingest.template.allowed", lang,
                         values=", ".join(column.allowed))
    if vocabulary is not None:
        return translate("ingest.template.known", lang,
                         values=", ".join(vocabulary.known))
    if column.minimum is not None and column.maximum is not None:
        return translate("ingest.template.range", lang, minimum=_plain(column.minimum),
                         maximum=_plain(column.maximum))
    if column.minimum is not None:
        return translate("ingest.template.minimum", lang,
                         minimum=_plain(column.minimum))
    return ""


def _add_guide(book, table: Table, lang: str) -> None:
    """Add the sheet that explains every column of ``table`` in ``lang``."""
    guide = book.create_sheet(translate("ingest.template.guide.sheet", lang))
    guide.append([translate(f"ingest.template.guide.{field}", lang)
                  for field in _GUIDE_FIELDS])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in table.columns:
        guide.append([_cell_text(text) for text in _guide_row(table, column, lang)])
    widths = (18, 22, 40, 26, 10, 48, 26, 18)
    for letter, width in zip("ABCDEFGH", widths):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"


def _guide_row(table: Table, column: Column, lang: str) -> list[str]:
    """Return the explanation of one column, in the order of ``_GUIDE_FIELDS``."""
    yes_no = "yes" if column.required else "no"
    references = ""
    if column.references:
        references = translate("ingest.template.references", lang,
                               target=column.references)
    return [
        template_header(column, lang),
        column.name,
        translate(f"ingest.template.kind.{column.kind}", lang),
        translate(f"ingest.template.unit.{column.kind}", lang)
        if column.kind in _UNIT_KINDS else "",
        translate(f"ingest.template.guide.{yes_no}", lang),
        allowed_values_text(table, column, lang),
        references,
        _example(table, column),
    ]


def _example(table: Table, column: Column) -> str:
    """Return an example value that the import accepts for ``column``."""
    vocabulary = column_vocabulary(table.name, column.name)
    if column.allowed:
        return column.allowed[0]
    if vocabulary is not None:
        return vocabulary.known[0]
    return _EXAMPLES.get(column.name, _KIND_EXAMPLES.get(column.kind, ""))


def _cell_text(text: str) -> str:
    """Return ``text`` so that Excel shows it as text, never as a formula."""
    return f"\u2019{text}" if text.startswith(_FORMULA_START) else text


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _add_drop_down(sheet, letter: str, values: tuple[str, ...],
                   strict: bool = True) -> None:
    """Offer ``values`` as a list in the column's data cells. With ``strict``
    False, Excel accepts other values too, without a warning."""
    validation = DataValidation(type="list", formula1=f'"{",".join(values)}"',
                                allow_blank=True, showErrorMessage=strict)
    validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS + 1}")
    sheet.add_data_validation(validation)
