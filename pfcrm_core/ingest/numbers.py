"""Reading numbers as analysts type them: "1,234.5", "(1,200)", "¥3.5亿", "80bp".

The reader strips currency words and symbols, signs, accounting brackets, percent and
basis-point marks and unit words from both ends of the text, then reads what remains
as a decimal number with optional thousands separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pfcrm_core.ingest.vocabulary import (BPS_WORDS, CURRENCY_WORDS, PERCENT_WORDS,
                                          SCALE_WORDS, fold)

# Unit words that may follow a number in a cell. The "000" forms are left out
# because "1000" must not read as 1 thousand.
_SUFFIX_SCALES = {word: scale for word, scale in SCALE_WORDS.items()
                  if "000" not in word and word != "ths"}
_CURRENCIES = sorted(CURRENCY_WORDS, key=len, reverse=True)
_SCALES = sorted(_SUFFIX_SCALES, key=len, reverse=True)
_PERCENTS = sorted(PERCENT_WORDS | {"‰"}, key=len, reverse=True)
_BPS = sorted({word.replace(" ", "") for word in BPS_WORDS}, key=len,
              reverse=True)

_PLAIN = re.compile(r"^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_EURO_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")
_EURO_DECIMAL = re.compile(r"^\d+,\d+$")
_MINUS_SIGNS = "-−–—﹣－"
# Text that needs no mark stripping: digits with an optional sign, commas and point.
_SIMPLE = re.compile(r"^[0-9][0-9,]*(\.[0-9]*)?$")


class CellError(ValueError):
    """A cell value that cannot be read as the column's kind.

    ``code`` names the catalogue entry ``ingest.issue.<code>`` and ``params`` fills
    its placeholders.
    """

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class NumberText:
    """A number read from a cell, with the marks that were written around it.

    Attributes
    ----------
    value : float
        The number with sign applied and any unit word multiplied in.
    scaled : bool
        Whether the cell carried its own unit word ("万", "m", "bn").
    percent : float or None
        100 for a "%" mark, 1000 for "‰", None without one.
    bps : bool
        Whether the cell carried a basis-point mark ("bp", "基点").
    currency : str or None
        Lower-case ISO code of a currency word or symbol in the cell.
    """

    value: float
    scaled: bool = False
    percent: float | None = None
    bps: bool = False
    currency: str | None = None


def read_number(raw: object, decimal_comma: bool = False) -> NumberText:
    """Read a number from a cell.

    Parameters
    ----------
    raw : str, int or float
        The cell value. Booleans, dates and empty text are rejected.
    decimal_comma : bool, default False
        Read "1.234,5" as 1234.5 (the column was written with a European locale).

    Raises
    ------
    CellError
        ``invalid_number`` when the text is not a number after the marks around it
        are removed.
    """
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise CellError("invalid_number")
    if not isinstance(raw, str):
        return NumberText(float(raw))

    # Folding leaves ASCII digits, commas and points as they are, so such cells,
    # the most common, skip it.
    text = raw if _SIMPLE.match(raw) else fold(raw).replace(" ", "")
    if _SIMPLE.match(text):
        return NumberText(_read_digits(text, decimal_comma))
    negative, text = _strip_sign(text)
    marks: dict = {}
    for _ in range(4):
        before = text
        text = _strip_marks(text, marks)
        sign, text = _strip_sign(text)
        negative ^= sign
        if text == before:
            break

    value = _read_digits(text, decimal_comma)
    value *= marks.get("scale", 1.0)
    return NumberText(-value if negative else value, "scale" in marks,
                      marks.get("percent"), marks.get("bps", False),
                      marks.get("currency"))


def looks_decimal_comma(text: str) -> bool:
    """Return whether ``text`` can only be a number written with a decimal comma."""
    if not _SIMPLE.match(text):
        text = fold(text).replace(" ", "").lstrip(_MINUS_SIGNS + "+")
    if _EURO_GROUPED.match(text) and "," in text:
        return True
    return bool(_EURO_DECIMAL.match(text)) and not _GROUPED.match(text)


def _strip_sign(text: str) -> tuple[bool, str]:
    """Remove one sign or accounting brackets; return whether it was negative."""
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        return True, text[1:-1]
    if text[:1] in _MINUS_SIGNS and len(text) > 1:
        return True, text[1:]
    if text[-1:] in _MINUS_SIGNS and len(text) > 1:
        return True, text[:-1]
    if text[:1] == "+":
        return False, text[1:]
    return False, text


def _strip_marks(text: str, marks: dict) -> str:
    """Remove one layer of currency, percent, basis-point and unit marks."""
    for word in _CURRENCIES:
        if text.startswith(word) and len(text) > len(word):
            marks.setdefault("currency", CURRENCY_WORDS[word])
            text = text[len(word):]
        elif text.endswith(word) and len(text) > len(word):
            marks.setdefault("currency", CURRENCY_WORDS[word])
            text = text[:-len(word)]
    for word in _PERCENTS:
        if text.endswith(word) and len(text) > len(word):
            marks["percent"] = 1000.0 if word == "‰" else 100.0
            return text[:-len(word)]
    for word in _BPS:
        if text.endswith(word) and len(text) > len(word):
            marks["bps"] = True
            return text[:-len(word)]
    for word in _SCALES:
        if text.endswith(word) and len(text) > len(word) and "scale" not in marks:
            if not text[-len(word) - 1].isdigit() and text[-len(word) - 1] != ".":
                continue
            marks["scale"] = _SUFFIX_SCALES[word]
            return text[:-len(word)]
    return text


def _read_digits(text: str, decimal_comma: bool) -> float:
    """Read the bare digits left after the marks are removed."""
    text = text.replace("'", "").replace("_", "")
    if decimal_comma:
        if _EURO_GROUPED.match(text) or _EURO_DECIMAL.match(text) or _PLAIN.match(
                text.replace(",", ".")):
            text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if not _GROUPED.match(text):
            raise CellError("invalid_number")
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        raise CellError("invalid_number")
    return float(text)
