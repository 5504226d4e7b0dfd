"""Reading calendar dates from cells: Excel dates and serial numbers, ISO and Chinese
text ("2024年1月5日"), compact "20240105", day/month/year in either order, and
English month names.
"""

from __future__ import annotations

import datetime as dt
import re

from pfcrm_core.ingest.numbers import CellError
from pfcrm_core.ingest.vocabulary import fold

# Excel's 1900 date system counts days from 1899-12-30 (the offset absorbs Excel's
# fictitious 1900-02-29), which is right for every serial from 61 (1900-03-01) on.
EXCEL_EPOCH = dt.date(1899, 12, 30)

# Serial numbers accepted as dates: 1927-05-18 to 2201-02-26. Smaller whole numbers
# are more likely years, counts or codes than dates.
MIN_SERIAL = 10_000
MAX_SERIAL = 110_000

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july",
                "august", "september", "october", "november", "december")
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?" \
        r"(?: ?[ap]m)?)?"
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME + "$")
_D_MON_Y = re.compile(r"^(\d{1,2})[- .]?([a-z]{3,9})\.?[- ,.]*(\d{4}|\d{2})$")
_MON_D_Y = re.compile(r"^([a-z]{3,9})\.?[- ]?(\d{1,2})(?:st|nd|rd|th)?,?[- ]*(\d{4})$")
_MON_Y = re.compile(r"^([a-z]{3,9})\.?[- ,]*(\d{4}|\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_YEAR = re.compile(r"^\d{4}$")

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
YEAR_FIRST = "ymd"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST, YEAR_FIRST)


def read_date(raw: object,
              order: str | None = MONTH_FIRST) -> tuple[dt.date, str | None]:
    """Read a calendar date from a cell.

    Parameters
    ----------
    raw : date, datetime, int, float or str
        The cell value. A datetime loses its time of day.
    order : {"dmy", "mdy", "ymd"} or None, default "mdy"
        How to read text such as "03/04/2024" where both day and month are 12 or
        less. "ymd" reads two-digit triples such as "24/03/05" year first and
        rejects such text with a four-digit year last. None rejects such text as
        ambiguous. Text that fits one order only ("25/12/2023") is read that way.

    Returns
    -------
    date : datetime.date
    warning : str or None
        ``"date_month_only"`` when the cell gave only a year and month, so the first
        day of that month was used.

    Raises
    ------
    CellError
        ``invalid_date``, ``ambiguous_date``, ``date_order_mismatch`` or
        ``date_year_only``.
    """
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, bool):
        raise CellError("invalid_date")
    if isinstance(raw, (int, float)):
        return _from_number(float(raw)), None
    if isinstance(raw, dt.time):
        raise CellError("invalid_date")
    return _from_text(str(raw), order)


def day_month_evidence(text: str) -> str | None:
    """Return ``"dmy"`` or ``"mdy"`` when ``text`` shows which order it was written
    in (a first part above 12, or a second part above 12), else None."""
    match = _DMY.match(_normalise(text))
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def is_ambiguous(text: str) -> bool:
    """Return whether ``text`` is a d/m/y or m/d/y date whose order is unknown."""
    match = _DMY.match(_normalise(text))
    return bool(match) and int(match.group(1)) <= 12 and int(match.group(2)) <= 12 \
        and match.group(1) != match.group(2)


def _normalise(text: str) -> str:
    """Fold the text and turn Chinese date words into separators."""
    text = fold(text)
    text = re.sub(r"\s*(年|月)\s*", "-", text)
    text = re.sub(r"\s*(日|号)", "", text)
    text = re.sub(r"\s*(上午|下午|am|pm)\s*", " ", text)
    return re.sub(" +", " ", text).strip().rstrip("-").strip()


def _from_number(value: float) -> dt.date:
    """Read an Excel serial number or a compact yyyymmdd number."""
    if value.is_integer() and 1900 <= value <= 2200:
        raise CellError("date_year_only")
    if value.is_integer() and 10_000_000 <= value <= 99_999_999:
        return _from_text(str(int(value)), None)[0]
    if not MIN_SERIAL <= value <= MAX_SERIAL:
        raise CellError("invalid_date")
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def _from_text(raw: str, order: str | None) -> tuple[dt.date, str | None]:
    """Read a date written as text."""
    text = _normalise(raw)
    if _YEAR.match(text):
        raise CellError("date_year_only")
    if _SERIAL.match(text):
        return _from_number(float(text)), None

    for pattern, parts in ((_YMD, "ymd"), (_COMPACT, "ymd")):
        match = pattern.match(text)
        if match:
            return _build(match.groups()[:3], parts), None
    match = _YM.match(text)
    if match:
        return _build((match.group(1), match.group(2), "1"), "ymd"), "date_month_only"

    match = _DMY.match(text)
    if match:
        return _build(match.groups()[:3], _day_month_order(match, order)), None
    return _from_month_name(text)


def _day_month_order(match: re.Match, order: str | None) -> str:
    """Choose "dmy", "mdy" or "ymd" for a d/m/y-like match."""
    if order == YEAR_FIRST:
        if len(match.group(3)) == 2:
            return YEAR_FIRST
        raise CellError("date_order_mismatch")
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12:
        return DAY_FIRST
    if second > 12 or first == second:
        return MONTH_FIRST
    if order is None:
        raise CellError("ambiguous_date")
    return order


def _from_month_name(text: str) -> tuple[dt.date, str | None]:
    """Read "5 Jan 2024", "05-Jan-24", "Jan 5, 2024" and "Jan 2024"."""
    match = _D_MON_Y.match(text)
    if match and _month(match.group(2)):
        return _build((match.group(3), _month(match.group(2)), match.group(1)),
                      "ymd"), None
    match = _MON_D_Y.match(text)
    if match and _month(match.group(1)):
        return _build((match.group(3), _month(match.group(1)), match.group(2)),
                      "ymd"), None
    match = _MON_Y.match(text)
    if match and _month(match.group(1)):
        return _build((match.group(2), _month(match.group(1)), 1), "ymd"), \
            "date_month_only"
    raise CellError("invalid_date")


def _month(word: str) -> int | None:
    """Return the month number of an English month name or its abbreviation."""
    if word == "sept":
        return 9
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _build(parts, order: str) -> dt.date:
    """Build a date from three parts given in ``order`` ("ymd", "dmy" or "mdy")."""
    values = dict(zip(order, (int(p) for p in parts)))
    year = values["y"]
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return dt.date(year, values["m"], values["d"])
    except ValueError:
        raise CellError("invalid_date") from None
