"""Rules that compare two columns of the same row, such as a deal's maturity date
falling on or after its start date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pfcrm_core.ingest.issues import ERROR, Issue
from pfcrm_core.ingest.layout import SheetLayout

# Pairs of date columns, by table, where the second may not lie before the first.
DATE_ORDER_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "deals": (("start_date", "maturity_date"),),
}


def check_row_rules(layout: SheetLayout, frame: pd.DataFrame,
                    rejected: set[int]) -> list[Issue]:
    """Reject rows whose dates are in the wrong order; update ``rejected``.

    A rule is checked where the file has both columns and the row has both values.
    The issue is on the later column and names both columns and both values.
    """
    headers = {m.column.name: m.header for m in layout.matches}
    issues = []
    for earlier, later in DATE_ORDER_RULES.get(layout.table.name, ()):
        if earlier not in headers or later not in headers:
            continue
        for number, first, second in zip(frame.index, frame[earlier], frame[later]):
            if not _both_dates(first, second) or second >= first:
                continue
            issues.append(Issue("date_before", ERROR, layout.sheet.name, int(number),
                                headers[later], second.isoformat(), {
                                    "earlier_column": headers[earlier],
                                    "earlier_value": first.isoformat()}))
            rejected.add(int(number))
    return issues


def _both_dates(first: object, second: object) -> bool:
    return isinstance(first, dt.date) and isinstance(second, dt.date)
