"""Problems and warnings found while importing, located by sheet, row and column.

An ``error`` rejects the row it is on (or the whole sheet when ``row`` is None). A
``warning`` reports a value that was read in a way the analyst should check, or a
row that was skipped on purpose (a totals row, an exact duplicate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pfcrm_core.errors import ImportFileError
from pfcrm_core.i18n import translate

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem or warning.

    Attributes
    ----------
    code : str
        Short name of the rule, e.g. ``"invalid_date"``. The message text is the
        catalogue entry ``ingest.issue.<code>``.
    severity : {"error", "warning"}
        An error rejects the row (or the sheet when ``row`` is None).
    sheet : str or None
        Sheet name, or the file name for a CSV file.
    row : int or None
        Row number as shown in Excel or a text editor (1-based).
    column : str or None
        Header text as written in the file.
    value : object or None
        The cell value received, as read from the file.
    params : dict
        Values for the placeholders of the message.
    """

    code: str
    severity: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    params: dict = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang``, prefixed with where the issue is."""
        values = {"value": _show(self.value), "column": self.column or ""}
        values.update({name: render(value, lang)
                       for name, value in self.params.items()})
        text = translate(f"ingest.issue.{self.code}", lang, **values)
        where = self.location(lang)
        return f"{where}: {text}" if where else text

    def location(self, lang: str = "en") -> str:
        """Return "sheet X, row 5, column Y" in ``lang``, leaving out unknown parts."""
        parts = []
        if self.sheet is not None:
            parts.append(translate("ingest.location.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(translate("ingest.location.row", lang, row=self.row))
        if self.column is not None:
            parts.append(translate("ingest.location.column", lang,
                                   column=self.column))
        separator = translate("ingest.location.separator", lang)
        return separator.join(parts)

    def to_dict(self, lang: str = "en") -> dict:
        """Return a JSON-serialisable form, with the message in ``lang``."""
        return {"code": self.code, "severity": self.severity, "sheet": self.sheet,
                "row": self.row, "column": self.column, "value": _show(self.value),
                "message": self.message(lang)}


@dataclass(frozen=True)
class Phrase:
    """A catalogue entry and its values, translated when a message is shown.

    An Issue's ``params`` may hold a Phrase, or a list of them, where part of the
    message itself needs translating (an order such as "month first", a list of
    columns with their units).
    """

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        return translate(self.key, lang,
                         **{name: render(value, lang) for name, value in self.values})


def phrase(key: str, **values: object) -> Phrase:
    """Return the Phrase of catalogue entry ``key`` with ``values``."""
    return Phrase(key, tuple(values.items()))


def render(value: object, lang: str) -> object:
    """Return a message parameter in ``lang``: a Phrase translated, a list of them
    joined with the language's separator, anything else unchanged."""
    if isinstance(value, Phrase):
        return value.text(lang)
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(item, Phrase) for item in value):
        separator = translate("ingest.list.separator", lang)
        return separator.join(item.text(lang) for item in value)
    return value


def sort_issues(issues: list[Issue], positions: dict[str, int]) -> list[Issue]:
    """Return ``issues`` in reading order: those about no row first, then by row
    number and by the column's position in the sheet.

    ``positions`` maps a header as written to its 0-based column position. An issue
    whose ``column`` lists several headers ("源客户, 目标客户") sorts by the first.
    Issues without a known position come last within their row, in their order.
    """
    def order(issue: Issue) -> tuple:
        column = issue.column or ""
        position = positions.get(column, positions.get(column.split(", ")[0]))
        return (issue.row is not None, issue.row or 0,
                position if position is not None else float("inf"))

    return sorted(issues, key=order)


def _show(value: object) -> str:
    """Return a short printable form of a cell value for messages."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def file_error(key: str, **params: object) -> ImportFileError:
    """Build an ImportFileError whose message is the catalogue entry
    ``ingest.file.<key>`` in English; :func:`error_message` translates it."""
    error = ImportFileError(translate(f"ingest.file.{key}", "en", **params))
    error.key = f"ingest.file.{key}"
    error.params = params
    return error


def error_message(error: Exception, lang: str = "en") -> str:
    """Return the message of an import error in ``lang``; other errors as is."""
    key = getattr(error, "key", None)
    if key is None:
        return str(error)
    return translate(key, lang, **getattr(error, "params", {}))
