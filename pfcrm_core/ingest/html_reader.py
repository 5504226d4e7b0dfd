"""Reading HTML tables, which some banking systems export with an .xls name."""

from __future__ import annotations

from html.parser import HTMLParser

from pfcrm_core.ingest.sheet import RawSheet


class _TableParser(HTMLParser):
    """Collect the cells of every ``<table>``; nested tables become their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack:
            text = "".join(self._cell).strip()
            row = self._stack[-1][-1]
            row.append(text)
            row.extend([""] * (min(self._span, 100) - 1))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_html_tables(text: str, name: str) -> list[RawSheet]:
    """Return one RawSheet per non-empty HTML table, named "<file> #n"."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    sheets = []
    for number, rows in enumerate(t for t in parser.tables if t):
        label = name if number == 0 else f"{name} #{number + 1}"
        sheets.append(RawSheet(label, rows, list(range(1, len(rows) + 1))))
    return sheets
