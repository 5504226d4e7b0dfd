"""Matching header cells to canonical columns, and reading units written in headers.

Headers are compared in a folded form: NFKC, lower case, without spaces,
underscores, hyphens, dots, asterisks (required-field marks) and leading item
numbers, so "Client ID *", "client_id" and "客户编号" all match their synonym. Text
in brackets is read as a unit ("金额（万元）", "Margin (%)", "Amount (USD m)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pfcrm_core.ingest.vocabulary import (BPS_WORDS, CURRENCY_WORDS, PERCENT_WORDS,
                                          SCALE_WORDS, fold)
from pfcrm_core.schema import TABLES, Column, Table

_SEPARATORS = re.compile(r"[\s_\-.·:：*#\"'`]+")
_ITEM_NUMBER = re.compile(r"^(\d{1,2}[.、)]|\(\d{1,2}\)|[①-⑳])\s*")
_BRACKETS = re.compile(r"[(\[{【〔《<]([^)\]}】〕》>]*)[)\]}】〕》>]")
_UNIT_PREFIX = re.compile(r"^(单位|unit|units|in|金额单位|币种单位)\s*[:：]?\s*")
_UNIT_SUFFIXES = sorted(
    [w for w in SCALE_WORDS if not w.isascii()] + ["%", "bp", "bps", "基点"],
    key=len, reverse=True)


@dataclass(frozen=True)
class HeaderUnit:
    """A unit written in a header or in a "单位：万元" line.

    Attributes
    ----------
    scale : float or None
        Multiplier to units, e.g. 1e4 for 万元, 1e6 for "USD m".
    percent : bool or None
        True for "%", False for basis points, None when not stated.
    currency : str or None
        Lower-case ISO code named in the unit, e.g. "usd" for "美元".
    """

    scale: float | None = None
    percent: bool | None = None
    currency: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.scale, self.percent, self.currency))


@dataclass(frozen=True)
class ColumnMatch:
    """A file column matched to a canonical column.

    Attributes
    ----------
    index : int
        Position of the column in the sheet's rows (0-based).
    header : str
        The header as written in the file.
    column : Column
        The canonical column it fills.
    unit : HeaderUnit
        The unit read from the header.
    by_name : bool
        The file column holds names of the referenced rows (e.g. client names in a
        deals sheet), which the import resolves to ids.
    exact : bool
        The whole header matched a synonym, not only its text before a unit.
    """

    index: int
    header: str
    column: Column
    unit: HeaderUnit = field(default_factory=HeaderUnit)
    by_name: bool = False
    exact: bool = True


def header_key(text: object) -> str:
    """Return the folded form of a header used for matching."""
    key = fold(str(text or ""))
    key = _ITEM_NUMBER.sub("", key)
    return _SEPARATORS.sub("", key)


def split_header(text: object) -> tuple[str, HeaderUnit]:
    """Split a header into its matching key without units, and the unit it names.

    Examples
    --------
    >>> split_header("金额（万元）")
    ('金额', HeaderUnit(scale=10000.0, percent=None, currency=None))
    >>> split_header("Margin (%)")[1].percent
    True
    """
    folded = fold(str(text or ""))
    fragments = _BRACKETS.findall(folded)
    base = _BRACKETS.sub(" ", folded)
    if "/" in base and not fragments:
        head, _, tail = base.rpartition("/")
        if read_unit(tail):
            base, fragments = head, [tail]
    unit = HeaderUnit()
    for fragment in fragments:
        unit = _merge(unit, read_unit(fragment))
    key = header_key(base)
    for suffix in _UNIT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            unit = _merge(unit, read_unit(suffix))
            key = key[:-len(suffix)]
            break
    return key, unit


def unit_label(text: object) -> str:
    """Return the part of a header that names a unit ("亿元" of "投资（亿元）"), or ""."""
    folded = fold(str(text or ""))
    for fragment in _BRACKETS.findall(folded):
        if read_unit(fragment):
            return fragment
    key = header_key(_BRACKETS.sub(" ", folded))
    for suffix in _UNIT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return suffix
    return ""


def read_unit(text: str) -> HeaderUnit:
    """Read a unit such as "万元", "USD m", "'000", "%" or "bp"; empty if none."""
    text = _UNIT_PREFIX.sub("", fold(text)).strip()
    currency = None
    for word in sorted(CURRENCY_WORDS, key=len, reverse=True):
        if word in text and (not word.isascii() or re.search(
                rf"(^|[^a-z]){re.escape(word)}($|[^a-z])", text)):
            currency = CURRENCY_WORDS[word]
            text = text.replace(word, " ")
            break
    rest = _SEPARATORS.sub("", text.replace("in", "", 1) if text.startswith("in ")
                           else text)
    if rest in PERCENT_WORDS:
        return HeaderUnit(percent=True, currency=currency)
    if rest in {w.replace(" ", "") for w in BPS_WORDS}:
        return HeaderUnit(percent=False, currency=currency)
    if rest in SCALE_WORDS:
        return HeaderUnit(scale=SCALE_WORDS[rest], currency=currency)
    if rest in {"", "元"} and currency:
        return HeaderUnit(scale=1.0 if rest else None, currency=currency)
    return HeaderUnit()


def _merge(first: HeaderUnit, second: HeaderUnit) -> HeaderUnit:
    return HeaderUnit(
        second.scale if second.scale is not None else first.scale,
        second.percent if second.percent is not None else first.percent,
        second.currency or first.currency)


class HeaderIndex:
    """The folded synonyms of one table's columns, for matching a header row."""

    def __init__(self, table: Table):
        self.table = table
        self.exact: dict[str, Column] = {}
        self.by_name: dict[str, Column] = {}
        for column in table.columns:
            for word in (column.name, *column.synonyms):
                self.exact.setdefault(header_key(word), column)
        for column in table.columns:
            for word in _name_synonyms(column):
                key = header_key(word)
                if key not in self.exact:
                    self.by_name.setdefault(key, column)

    def match(self, headers: list[object],
              overrides: dict[str, str] | None = None) -> list[ColumnMatch]:
        """Match a header row; each canonical column is filled at most once.

        ``overrides`` maps header text (as written) to a canonical column name and
        wins over synonyms; an override to "" ignores that header.
        """
        overrides = {header_key(k): v for k, v in (overrides or {}).items()}
        found: list[ColumnMatch] = []
        for index, header in enumerate(headers):
            match = self._match_one(index, header, overrides)
            if match is not None:
                found.append(match)
        return _one_per_column(found)

    def _match_one(self, index: int, header: object,
                   overrides: dict[str, str]) -> ColumnMatch | None:
        text = str(header).strip() if header is not None else ""
        if not text:
            return None
        key = header_key(text)
        base, unit = split_header(text)
        if key in overrides or base in overrides:
            name = overrides.get(key, overrides.get(base))
            if not name:
                return None
            return ColumnMatch(index, text, self.table.column(name), unit)
        if key in self.exact:
            return ColumnMatch(index, text, self.exact[key], unit)
        if base in self.exact:
            return ColumnMatch(index, text, self.exact[base], unit, exact=False)
        for candidate in (key, base):
            if candidate in self.by_name:
                return ColumnMatch(index, text, self.by_name[candidate], unit,
                                   by_name=True)
        return None


def _name_synonyms(column: Column) -> tuple[str, ...]:
    """Return headers that name the rows ``column`` refers to: the referenced
    table's name headers ("客户名称") and its own names ("client", "客户")."""
    if not column.references:
        return ()
    table_name, _ = column.references.split(".")
    target = TABLES[table_name]
    words = target.synonyms
    if "name" in target.column_names:
        words += target.column("name").synonyms
    return tuple(w for w in words if w not in {"name", "名称"})


def _one_per_column(found: list[ColumnMatch]) -> list[ColumnMatch]:
    """Keep one match per canonical column: ids over names, exact over partial,
    then the leftmost."""
    best: dict[str, ColumnMatch] = {}
    for match in found:
        current = best.get(match.column.name)
        rank = (not match.by_name, match.exact)
        if current is None or rank > (not current.by_name, current.exact):
            best[match.column.name] = match
    return sorted(best.values(), key=lambda m: m.index)
