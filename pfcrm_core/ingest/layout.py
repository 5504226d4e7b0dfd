"""Finding the table in a sheet: its header row, which canonical table it is, and
which rows below it are data.

Real sheets put titles, dates and "单位：万元" lines above the header, split headers
over two rows with merged group cells, and end with totals and footnotes. The header
row is the row, among the first :data:`SCAN_ROWS` filled rows, whose cells match the
most synonyms of one table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pfcrm_core.ingest.headers import (ColumnMatch, HeaderIndex, HeaderUnit, read_unit,
                                       split_header, unit_label)
from pfcrm_core.ingest.headers import header_key
from pfcrm_core.ingest.sheet import RawSheet, filled
from pfcrm_core.ingest.vocabulary import TOTAL_LABELS, fold
from pfcrm_core.schema import LOAD_ORDER, TABLES, Table

SCAN_ROWS = 30
# A quick test on raw cell text before the exact check of :func:`_is_total`.
_TOTAL_START = re.compile(r"\s*(合|总|總|小|共|汇|匯|累|total|grand|sub|sum)", re.I)
_UNIT_LINE = re.compile(r"(?:单位|金额单位|units?|currency|币种)\s*[:：]\s*([^,;，；)）]+)")
_NOTE_START = ("注", "备注", "说明", "note", "source", "资料来源", "数据来源", "*", "※",
               "制表", "填表", "审核", "prepared by")
_INDEXES = {name: HeaderIndex(table) for name, table in TABLES.items()}


@dataclass
class SheetLayout:
    """Position of the table in a sheet, and the canonical table it fills.

    Attributes
    ----------
    sheet : RawSheet
    table : Table
        The canonical table the sheet fills.
    header_index : int
        Index in ``sheet.rows`` of the header row (the lower one of a two-row
        header).
    headers : list of str
        Header text at each column position, group cells of a two-row header filled
        in where the lower row is empty.
    matches : list of ColumnMatch
        Columns that map to canonical columns.
    unit : HeaderUnit
        A unit stated for the whole sheet, e.g. in a "单位：万元" line.
    score : float
        How well the header fits the table; higher is better.
    """

    sheet: RawSheet
    table: Table
    header_index: int
    headers: list[str]
    matches: list[ColumnMatch]
    unit: HeaderUnit = field(default_factory=HeaderUnit)
    score: float = 0.0

    @property
    def header_row(self) -> int:
        """Row number of the header as shown in Excel."""
        return self.sheet.row_numbers[self.header_index]

    @property
    def ignored_headers(self) -> list[str]:
        used = {m.index for m in self.matches}
        return [h for i, h in enumerate(self.headers) if h and i not in used]

    @property
    def missing_required(self) -> list[str]:
        """Required canonical columns the sheet lacks, except generated keys."""
        present = {m.column.name for m in self.matches}
        return [c.name for c in self.table.columns
                if c.required and c.name not in present
                and c.name != self.table.generated_key]


def detect_layout(sheet: RawSheet, table: str | None = None,
                  column_map: dict[str, str] | None = None,
                  header_row: int | None = None) -> SheetLayout | None:
    """Return the best layout of ``sheet``, or None when no table fits.

    Parameters
    ----------
    sheet : RawSheet
    table : str, optional
        Canonical table name to use instead of detecting it.
    column_map : dict, optional
        Header text to canonical column name, overriding synonyms.
    header_row : int, optional
        Row number (as shown in Excel) of the header, instead of searching for it.
    """
    names = [table] if table else list(LOAD_ORDER)
    minimum = 1 if table or column_map else 2
    candidates = _candidate_rows(sheet)
    if header_row is not None:
        candidates = [i for i, n in enumerate(sheet.row_numbers) if n == header_row]
        minimum = 0
    best = None
    for index in candidates:
        for variant in _header_variants(sheet, index):
            for name in names:
                layout = _score(sheet, TABLES[name], index, variant, column_map)
                if len(layout.matches) < minimum:
                    continue
                if best is None or layout.score > best.score:
                    best = layout
    if best is not None:
        best.unit = _sheet_unit(sheet, best)
    return best


def data_rows(layout: SheetLayout) -> tuple[list[tuple[int, list[object]]], dict]:
    """Return the data rows below the header and counts of the rows skipped.

    Returns
    -------
    rows : list of (row number, cells)
    skipped : dict
        Row numbers skipped, by reason: ``"total_row"``, ``"note_row"``,
        ``"repeated_header"``.
    """
    used = [m.index for m in layout.matches]
    classifier = _RowClassifier({header_key(layout.headers[i]) for i in used}, used)
    rows, skipped = [], {"total_row": [], "note_row": [], "repeated_header": []}
    sheet = layout.sheet
    for index in range(layout.header_index + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        values = [cells[i] if i < len(cells) else "" for i in used]
        if not any(map(filled, values)):
            continue
        number = sheet.row_numbers[index]
        reason = classifier.skip_reason(cells, values)
        if reason:
            skipped[reason].append(number)
            continue
        rows.append((number, cells))
    return rows, skipped


def _candidate_rows(sheet: RawSheet) -> list[int]:
    """Return indexes of the first filled rows, where a header can be."""
    found = []
    for index, row in enumerate(sheet.rows):
        if sum(1 for cell in row if isinstance(cell, str) and cell.strip()) >= 1:
            found.append(index)
        if len(found) >= SCAN_ROWS:
            break
    return found


def _header_variants(sheet: RawSheet, index: int) -> list[list[str]]:
    """Return the header text of row ``index`` alone and, when the row above has
    text, with that row's group cells filled into the empty positions."""
    own = _row_text(sheet, index)
    variants = [own]
    if index > 0:
        above = _row_text(sheet, index - 1)
        if any(above):
            width = max(len(own), len(above))
            own_padded = own + [""] * (width - len(own))
            above_padded = above + [""] * (width - len(above))
            variants.append([_combine(o, a) for o, a in zip(own_padded, above_padded)])
    return variants


def _combine(lower: str, group: str) -> str:
    """Return the header of a column under a group cell: the lower cell, with the
    group's unit when only the group names one ("投资（亿元）" over "总投资")."""
    if not lower:
        return group
    unit = unit_label(group)
    if unit and not unit_label(lower):
        return f"{lower} ({unit})"
    return lower


def _row_text(sheet: RawSheet, index: int) -> list[str]:
    """Return a row's cells as header text, with horizontal merges filled."""
    row = sheet.rows[index]
    text = [_as_text(cell) for cell in row]
    for top, left, bottom, right in sheet.merged:
        if top <= index <= bottom and left < len(text):
            for column in range(left + 1, min(right + 1, len(text))):
                if not text[column]:
                    text[column] = _as_text(sheet.rows[top][left]) \
                        if left < len(sheet.rows[top]) else ""
    return text


def _as_text(cell: object) -> str:
    if cell is None or isinstance(cell, bool):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.datetime)):
        return ""
    return str(cell).strip()


def _score(sheet: RawSheet, table: Table, index: int, headers: list[str],
           column_map: dict[str, str] | None) -> SheetLayout:
    """Score ``headers`` as the header of ``table``."""
    matches = _INDEXES[table.name].match(headers, column_map)
    score = sum(0.5 if m.by_name else 1.0 for m in matches)
    present = {m.column.name for m in matches}
    if all(k in present for k in table.key if k != table.generated_key):
        score += 1.0
    missing = [c for c in table.columns if c.required and c.name not in present
               and c.name != table.generated_key]
    score -= 0.5 * len(missing)
    sheet_name = fold(sheet.name)
    if any(fold(word) in sheet_name for word in (table.name, *table.synonyms)):
        score += 0.5
    filled_cells = sum(1 for h in headers if h)
    score -= 0.01 * (filled_cells - len(matches))
    return SheetLayout(sheet, table, index, headers, matches, score=score)


def _sheet_unit(sheet: RawSheet, layout: SheetLayout) -> HeaderUnit:
    """Read a unit stated above the header or in an unmatched header cell."""
    texts = [_as_text(c) for row in sheet.rows[:layout.header_index] for c in row]
    texts += layout.ignored_headers
    for text in texts:
        match = _UNIT_LINE.search(fold(text))
        if match:
            unit = read_unit(match.group(1))
            if unit:
                return unit
    return HeaderUnit()


class _RowClassifier:
    """Decide whether rows below the header are data, remembering what it found
    for each distinct cell text, since data columns repeat their values."""

    # Cells that may label a totals row: the first few, and the columns imported.
    LABEL_CELLS = 4

    def __init__(self, header_keys: set[str], used: list[int]) -> None:
        self.header_keys = header_keys
        self._later_used = [i for i in used if i >= self.LABEL_CELLS]
        self._totals: dict[str, bool] = {}
        self._is_header: dict[str, bool] = {}

    def skip_reason(self, cells: list[object], values: list[object]) -> str | None:
        """Return why a row below the header is not data, or None for a data row."""
        labels = cells[:self.LABEL_CELLS]
        labels += [cells[i] for i in self._later_used if i < len(cells)]
        for cell in labels:
            if isinstance(cell, str) and self._labels_total(cell):
                return "total_row"
        first = values[0]
        if isinstance(first, str) and self._in_header(first):
            keys = {header_key(v) for v in values if isinstance(v, str)}
            if len(keys & self.header_keys) >= max(2, len(self.header_keys) // 2):
                return "repeated_header"
        only = _only_filled_cell(cells)
        if isinstance(only, str) and fold(only).startswith(_NOTE_START):
            return "note_row"
        return None

    def _labels_total(self, text: str) -> bool:
        found = self._totals.get(text)
        if found is None:
            found = bool(_TOTAL_START.match(text)) and _is_total(text)
            self._totals[text] = found
        return found

    def _in_header(self, text: str) -> bool:
        found = self._is_header.get(text)
        if found is None:
            found = header_key(text) in self.header_keys
            self._is_header[text] = found
        return found


def _only_filled_cell(cells: list[object]) -> object:
    """Return the row's one filled cell, or None when it has none or several."""
    found = None
    for cell in cells:
        if filled(cell):
            if found is not None:
                return None
            found = cell
    return found


def _is_total(text: str) -> bool:
    """Return whether a cell labels a totals row ("合计", "Total:", "总计（万元）")."""
    label = fold(text).rstrip(":：").replace(" ", "")
    return label in TOTAL_LABELS or label.startswith(("合计", "总计", "grandtotal"))


def remap_layout(layout: SheetLayout, mapping: dict[int, str | None]) -> SheetLayout:
    """Return ``layout`` with its columns set by position.

    ``mapping`` maps a column position (0-based) to a canonical column name, or to
    None to ignore that column. Positions not in ``mapping`` are ignored.

    Raises
    ------
    KeyError
        When a name is not a column of the layout's table.
    """
    matches = []
    for index, name in sorted(mapping.items()):
        if not name or index >= len(layout.headers):
            continue
        header = layout.headers[index] or f"#{index + 1}"
        matches.append(ColumnMatch(index, header, layout.table.column(name),
                                   split_header(header)[1]))
    return SheetLayout(layout.sheet, layout.table, layout.header_index,
                       layout.headers, matches, layout.unit, layout.score)
