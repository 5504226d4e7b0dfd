"""Convert cells to the value of a column's kind (see ``pfcrm_core.schema``).

Conversion is two steps. :func:`infer_format` looks at a whole column once to settle
what single cells cannot show: whether plain numbers in a share column are percents,
whether "03/04/2024" is day-first, whether commas are decimal marks. :func:`convert`
then reads each cell with that format.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Iterable

from pfcrm_core.ingest.categories import Vocabulary
from pfcrm_core.ingest.dates import (MONTH_FIRST, day_month_evidence, is_ambiguous,
                                     read_date)
from pfcrm_core.ingest.numbers import CellError, looks_decimal_comma, read_number
from pfcrm_core.ingest.vocabulary import (FALSE_WORDS, FORMULA_ERRORS, NULL_TOKENS,
                                          NUMERIC_NULL_TOKENS, TRUE_WORDS,
                                          clean_text, fold)
from pfcrm_core.schema import Column

# Plain numbers at or below this in a basis-point column are read as percents: a
# margin of 2.5 means 2.5 % (250 bp), since margins of a few bp do not occur in
# project finance lending.
BPS_PERCENT_LIMIT = 20.0

# Integers above 2**53 lose digits as Excel numbers, so an id stored that way may
# not be the one the analyst typed.
_EXACT_FLOAT_LIMIT = 2 ** 53
_SCIENTIFIC_ID = re.compile(r"^\d(\.\d+)?e[+-]?\d+$")
_SCORE_SUFFIX = re.compile(r"(分|星|points?|pts?)$")
_NUMERIC_KINDS = {"money", "number", "integer", "share", "bps", "date", "bool"}
# ASCII first letters of the null tokens, in either case. A cell that starts with
# another ASCII letter or digit is not null, whatever folding does to the rest.
_NULL_INITIALS = frozenset(
    letter for token in NUMERIC_NULL_TOKENS
    if token[:1].isascii() and token[:1].isalnum()
    for letter in (token[0], token[0].upper()))


@dataclass(frozen=True)
class ColumnFormat:
    """Reading rules for the cells of one column.

    Attributes
    ----------
    column : Column
        The canonical column.
    scale : float, default 1.0
        Multiplier for money cells without their own unit word, e.g. 1e4 when the
        header says "(万元)".
    percent : bool, default False
        For ``share`` and ``bps`` columns: plain numbers are percents, so 5 means
        0.05 (share) or 500 bp (bps).
    date_order : {"dmy", "mdy", "ymd"} or None
        Order for day/month/year text whose parts do not show it ("05/03/2024");
        None rejects such cells.
    decimal_comma : bool, default False
        Commas are decimal marks ("1.234,5").
    vocabulary : Vocabulary or None
        Canonical values of a category column and the names that map to them.
    """

    column: Column
    scale: float = 1.0
    percent: bool = False
    date_order: str | None = MONTH_FIRST
    decimal_comma: bool = False
    vocabulary: Vocabulary | None = None


@dataclass(frozen=True)
class Cell:
    """A converted cell: the value, a warning code or None, and a currency read
    from a money cell ("¥", "USD") or None.

    The warning ``category_new`` marks a category value outside the column's
    vocabulary, stored in its folded form."""

    value: object
    warning: str | None = None
    currency: str | None = None


def is_null(raw: object, kind: str) -> bool:
    """Return whether ``raw`` is an empty cell for a column of ``kind``."""
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if not isinstance(raw, str):
        return False
    if _starts_plainly(raw) and raw[0] not in _NULL_INITIALS:
        return False
    tokens = NUMERIC_NULL_TOKENS if kind in _NUMERIC_KINDS else NULL_TOKENS
    return fold(raw) in tokens


def _starts_plainly(text: str) -> bool:
    """Return whether ``text`` starts with an ASCII letter or digit, which folding
    keeps (lower-cased) at the start."""
    return text[:1].isascii() and text[:1].isalnum()


def is_formula_error(raw: object) -> bool:
    """Return whether ``raw`` is an Excel error value such as ``#DIV/0!``."""
    if not isinstance(raw, str) or _starts_plainly(raw):
        return False
    return fold(raw) in FORMULA_ERRORS


def infer_format(column: Column, cells: Iterable[object], scale: float = 1.0,
                 percent: bool | None = None, *, date_order: str | None = None,
                 default_date_order: str = MONTH_FIRST,
                 vocabulary: Vocabulary | None = None
                 ) -> tuple[ColumnFormat, list[str]]:
    """Settle how a column's cells are read, from all its non-empty cells.

    Parameters
    ----------
    column : Column
        The canonical column.
    cells : iterable
        The column's raw cell values; empty cells may be included.
    scale : float, default 1.0
        Unit multiplier from the header or a "单位：万元" line, for money columns.
    percent : bool or None
        True when the header marks the column as percent, False when it marks it as
        fractions or basis points, None to decide from the values.
    date_order : {"dmy", "mdy", "ymd"}, optional
        Order chosen by the analyst for dates such as "05/03/2024" in this column.
        It wins over the order the values show.
    default_date_order : {"dmy", "mdy", "ymd"}, default "mdy"
        Order for such dates when neither ``date_order`` nor the column's other
        values settle it.
    vocabulary : Vocabulary, optional
        For category columns: the canonical values and their names.

    Returns
    -------
    format : ColumnFormat
    warnings : list of str
        Codes of the assumptions made: ``percent_assumed``, ``date_order_assumed``
        (the default order was used), ``date_order_chosen`` (``date_order`` was
        used), ``date_order_mixed``, ``decimal_comma_assumed``.
    """
    distinct = {(type(c), c) for c in cells}
    texts = [c for _, c in distinct if isinstance(c, str)
             and not is_null(c, column.kind)]
    numbers = [c for _, c in distinct if isinstance(c, (int, float))
               and not isinstance(c, bool) and not math.isnan(c)]
    warnings: list[str] = []
    decimal_comma = _infer_decimal_comma(column, texts, warnings)
    order = _infer_date_order(column, texts, date_order, default_date_order,
                              warnings)
    if percent is None:
        percent = _infer_percent(column, texts, numbers, decimal_comma, warnings)
    return ColumnFormat(column, scale, percent, order, decimal_comma,
                        vocabulary), warnings


def convert(fmt: ColumnFormat, raw: object) -> Cell:
    """Convert one non-empty cell with ``fmt``.

    Raises
    ------
    CellError
        When the cell is not a valid value of the column's kind; ``code`` names the
        rule broken.
    """
    if is_formula_error(raw):
        raise CellError("formula_error")
    kind = fmt.column.kind
    if kind == "id":
        return _to_id(raw)
    if kind == "text":
        return Cell(_to_text(raw))
    if kind == "category":
        return _to_category(fmt, raw)
    if kind == "date":
        value, warning = read_date(raw, fmt.date_order)
        return Cell(value, warning)
    if kind == "bool":
        return Cell(_to_bool(raw))
    return _to_numeric(fmt, raw)


def _to_id(raw: object) -> Cell:
    """Read an identifier: NFKC text, trimmed; whole numbers lose their ".0"."""
    if isinstance(raw, bool):
        raise CellError("invalid_id")
    if isinstance(raw, float):
        if not raw.is_integer():
            return Cell(repr(raw))
        warning = "id_precision" if abs(raw) >= _EXACT_FLOAT_LIMIT else None
        return Cell(str(int(raw)), warning)
    if isinstance(raw, int):
        return Cell(str(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        raise CellError("invalid_id")
    text = clean_text(str(raw))
    if _SCIENTIFIC_ID.match(text.lower()):
        raise CellError("id_scientific")
    return Cell(text)


def _to_text(raw: object) -> str:
    """Return free text as written, without surrounding spaces."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()
    return str(raw).strip()


def _to_category(fmt: ColumnFormat, raw: object) -> Cell:
    """Map a category cell to its canonical lower-case value.

    A value outside an open vocabulary is kept in its folded form with the warning
    ``category_new``. Outside a strict vocabulary or the column's ``allowed``
    values, it is rejected.
    """
    text = _to_text(raw)
    vocabulary = fmt.vocabulary
    value = vocabulary.lookup(text) if vocabulary is not None else None
    if value is not None:
        return Cell(value)
    value = fold(text)
    allowed = fmt.column.allowed
    if allowed is not None:
        if value in allowed:
            return Cell(value)
        raise CellError("not_allowed", allowed=", ".join(allowed))
    if vocabulary is not None and vocabulary.strict:
        raise CellError("not_allowed", allowed=", ".join(vocabulary.known))
    return Cell(value, "category_new" if vocabulary is not None else None)


def _to_bool(raw: object) -> bool:
    """Read yes/no, true/false, 1/0, 是/否 and check marks."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    key = fold(str(raw))
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError("invalid_bool")


def _to_numeric(fmt: ColumnFormat, raw: object) -> Cell:
    """Read money, number, integer, share and bps cells."""
    kind = fmt.column.kind
    if isinstance(raw, str) and kind == "integer":
        raw = _SCORE_SUFFIX.sub("", fold(raw)).strip()
    if isinstance(raw, (dt.date, dt.datetime)):
        raise CellError("invalid_number")
    number = read_number(raw, fmt.decimal_comma)
    value = number.value

    if kind == "share":
        if number.bps:
            value /= 10_000
        elif number.percent:
            value /= number.percent
        elif fmt.percent:
            value /= 100
    elif kind == "bps":
        if number.percent:
            value *= 10_000 / number.percent
        elif fmt.percent and not number.bps:
            value *= 100
    elif number.percent or number.bps:
        raise CellError("unexpected_percent")
    elif kind == "money" and not number.scaled:
        value *= fmt.scale

    if kind == "integer":
        if not float(value).is_integer():
            raise CellError("invalid_integer")
        value = int(value)
    if not math.isfinite(value):
        raise CellError("invalid_number")
    return Cell(value, None, number.currency)


def _infer_decimal_comma(column: Column, texts: list[str],
                         warnings: list[str]) -> bool:
    """Decide that commas are decimal marks when some cell can only mean that."""
    if column.kind not in {"money", "number", "integer", "share", "bps"}:
        return False
    if not any(looks_decimal_comma(t) for t in texts):
        return False
    if any(re.search(r",\d{3}\.\d", t) for t in texts):
        return False
    warnings.append("decimal_comma_assumed")
    return True


def _infer_date_order(column: Column, texts: list[str], chosen: str | None,
                      default: str, warnings: list[str]) -> str | None:
    """Decide the order of day/month/year text: the analyst's choice, else the order
    that cells such as "25/12/2023" show, else ``default``."""
    if column.kind != "date":
        return MONTH_FIRST
    ambiguous = any(is_ambiguous(t) for t in texts)
    if chosen is not None:
        if ambiguous:
            warnings.append("date_order_chosen")
        return chosen
    orders = {day_month_evidence(t) for t in texts} - {None}
    if len(orders) == 1:
        return orders.pop()
    if len(orders) == 2:
        warnings.append("date_order_mixed")
        return None
    if ambiguous:
        warnings.append("date_order_assumed")
    return default


def _infer_percent(column: Column, texts: list[str], numbers: list[float],
                   decimal_comma: bool, warnings: list[str]) -> bool:
    """Decide whether plain numbers in a share or bps column are percents."""
    if column.kind not in {"share", "bps"}:
        return False
    plain = list(numbers)
    for text in texts:
        try:
            number = read_number(text, decimal_comma)
        except CellError:
            continue
        if number.percent is None and not number.bps:
            plain.append(number.value)
    if not plain:
        return False
    largest = max(abs(v) for v in plain)
    if column.kind == "share":
        assumed = largest > 1
    else:
        assumed = 0 < largest <= BPS_PERCENT_LIMIT
    if assumed:
        warnings.append("percent_assumed")
    return assumed
