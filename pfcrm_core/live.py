"""The live view of the book: latest activity, latest imports and headline KPIs.

A snapshot is read from the database file in one pass and never writes to it. It
carries three times, because they answer different questions:

- ``data_as_of``: the latest revenue or deal start date in the data, the date the
  KPIs are computed at (``overview.default_as_of``);
- ``read_at``: the wall-clock time the snapshot was read;
- ``file_modified_at``: the last time any process wrote the database file (its
  modification time, or that of its write-ahead log when later).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from .overview import Kpis, compute_kpis, default_as_of
from .store import Store

DEFAULT_ACTIVITY_LIMIT = 50
DEFAULT_IMPORT_LIMIT = 10
DETAIL_MAX_CHARS = 120

ACTIVITY_KINDS = ("interaction", "deal", "feedback", "revenue", "case")
ACTIVITY_COLUMNS = ("date", "kind", "client_id", "name", "reference", "category",
                    "detail", "amount", "currency", "score")


@dataclass(frozen=True)
class LiveSnapshot:
    """The contents of the store at one moment, as the Live page shows them.

    Attributes
    ----------
    activity : pandas.DataFrame
        The latest events across interactions, deals, feedback, revenue and
        follow-up cases, newest first, with the columns ``ACTIVITY_COLUMNS``.
        ``kind`` is one of ``ACTIVITY_KINDS`` and ``reference`` is the row's id.
        ``category`` is the channel, deal role, revenue kind or case status.
        ``detail`` is the row's free text (notes, comment, project or triggers),
        cut to ``DETAIL_MAX_CHARS``. ``score`` is the NPS of a feedback row.
    imports : pandas.DataFrame
        The latest entries of the import log, newest first.
    kpis : Kpis or None
        Headline KPIs at ``data_as_of``; None when the store has no clients.
    data_as_of : pandas.Timestamp or None
        The latest revenue date or deal start date; None when both tables are
        empty.
    read_at : datetime
        Local, timezone-aware time at which the snapshot was read.
    file_modified_at : datetime or None
        Local, timezone-aware time of the last write to the database file; None
        when the file does not exist.
    row_counts : dict of str to int
        Rows in each canonical table.
    """

    activity: pd.DataFrame
    imports: pd.DataFrame
    kpis: Kpis | None
    data_as_of: pd.Timestamp | None
    read_at: datetime
    file_modified_at: datetime | None
    row_counts: dict[str, int]


def live_snapshot(store: Store, *, activity_limit: int = DEFAULT_ACTIVITY_LIMIT,
                  import_limit: int = DEFAULT_IMPORT_LIMIT) -> LiveSnapshot:
    """Read the latest activity, imports and KPIs from ``store``.

    Parameters
    ----------
    store : Store
        The database to read. Nothing is written to it (opening a file of an
        older schema version migrates it, as every read does).
    activity_limit : int, default 50
        Maximum number of activity rows returned; must be at least 1.
    import_limit : int, default 10
        Maximum number of import log entries returned; must be at least 1.

    Returns
    -------
    LiveSnapshot

    Raises
    ------
    ValueError
        When a limit is below 1.
    StoreBusyError
        When another process keeps the file locked.
    """
    for name, value in (("activity_limit", activity_limit),
                        ("import_limit", import_limit)):
        if int(value) < 1:
            raise ValueError(f"{name} must be at least 1; got {value!r}. Pass the "
                             f"number of rows to show.")

    read_at = datetime.now().astimezone()
    tables = {name: store.read_table(name) for name in
              ("clients", "deals", "revenue", "interactions", "feedback")}
    cases = store.read_cases()
    imports = store.import_history().head(int(import_limit)).reset_index(drop=True)

    activity = latest_activity(tables, cases, limit=int(activity_limit))
    data_as_of, kpis = _kpis(tables)
    return LiveSnapshot(
        activity=activity,
        imports=imports,
        kpis=kpis,
        data_as_of=data_as_of,
        read_at=read_at,
        file_modified_at=file_modified_at(store.path),
        row_counts=store.row_counts(),
    )


def file_modified_at(path: str | Path) -> datetime | None:
    """Return the local time of the last write to a DuckDB file and its WAL, or None."""
    times = []
    for candidate in (Path(path), Path(f"{path}.wal")):
        try:
            times.append(candidate.stat().st_mtime)
        except FileNotFoundError:
            continue
    if not times:
        return None
    return datetime.fromtimestamp(max(times)).astimezone()


def _kpis(tables: dict[str, pd.DataFrame]) -> tuple[pd.Timestamp | None, Kpis | None]:
    revenue, deals = tables["revenue"], tables["deals"]
    if revenue.empty and deals.empty:
        data_as_of = None
    else:
        data_as_of = default_as_of(revenue, deals)
    if tables["clients"].empty:
        return data_as_of, None
    as_of = data_as_of if data_as_of is not None else pd.Timestamp.today().normalize()
    return data_as_of, compute_kpis(tables["clients"], deals, revenue, as_of)


# Activity ---------------------------------------------------------------------


def latest_activity(tables: dict[str, pd.DataFrame], cases: pd.DataFrame | None = None,
                    *, limit: int = DEFAULT_ACTIVITY_LIMIT) -> pd.DataFrame:
    """Return the latest ``limit`` events of the book, newest first.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Canonical tables ``clients``, ``deals``, ``revenue``, ``interactions`` and
        ``feedback``; a missing table counts as empty.
    cases : DataFrame, optional
        The follow-up cases (``Store.read_cases``).
    limit : int, default 50

    Returns
    -------
    pandas.DataFrame
        Columns ``ACTIVITY_COLUMNS``. Ties on the date are ordered by kind (in
        ``ACTIVITY_KINDS`` order) and then by reference, so the order is stable.
    """
    parts = [
        _interactions(tables.get("interactions")),
        _deals(tables.get("deals")),
        _feedback(tables.get("feedback")),
        _revenue(tables.get("revenue")),
        _cases(cases),
    ]
    parts = [part for part in parts if part is not None and not part.empty]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype=object)
                             for column in ACTIVITY_COLUMNS})

    # Sort the newest ``limit`` rows, with a stable tie-break on kind and reference.
    frame = pd.concat(parts, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["kind_order"] = frame["kind"].map(
        {kind: i for i, kind in enumerate(ACTIVITY_KINDS)})
    frame = frame.dropna(subset=["date"]).sort_values(
        ["date", "kind_order", "reference"], ascending=[False, True, True],
        kind="mergesort").head(limit)

    # Client names come from the clients table; an unknown id keeps no name.
    clients = tables.get("clients")
    names = {} if clients is None or clients.empty else dict(
        zip(clients["client_id"].astype(str), clients["name"]))
    frame["name"] = frame["client_id"].astype(str).map(names)
    return frame.reindex(columns=list(ACTIVITY_COLUMNS)).reset_index(drop=True)


def _short(text: pd.Series) -> pd.Series:
    def cut(value):
        if value is None or value != value:
            return None
        value = " ".join(str(value).split())
        if len(value) <= DETAIL_MAX_CHARS:
            return value
        return value[:DETAIL_MAX_CHARS - 1] + "…"

    return text.map(cut)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _events(frame: pd.DataFrame | None, kind: str, date: str, reference: str,
            category: str | None = None, detail: str | None = None,
            amount: str | None = None, score: str | None = None) -> pd.DataFrame | None:
    if frame is None or frame.empty:
        return None
    return pd.DataFrame({
        "date": frame[date],
        "kind": kind,
        "client_id": frame["client_id"].astype(str),
        "reference": frame[reference].astype(str),
        "category": _column(frame, category) if category else None,
        "detail": _short(_column(frame, detail)) if detail else None,
        "amount": _column(frame, amount) if amount else None,
        "currency": _column(frame, "currency") if amount else None,
        "score": _column(frame, score) if score else None,
    })


def _interactions(frame):
    if frame is None or frame.empty:
        return None
    # The detail names the member of staff, so the feed shows who met the client.
    staff = _column(frame, "staff").fillna("").astype(str)
    notes = _column(frame, "notes").fillna("").astype(str)
    text = (staff + ": " + notes).where(staff != "", notes).str.strip(": ")
    return _events(frame.assign(detail=text.where(text != "", None)), "interaction",
                   "date", "interaction_id", category="channel", detail="detail")


def _deals(frame):
    return _events(frame, "deal", "start_date", "deal_id", category="role",
                   detail="project_id", amount="amount")


def _feedback(frame):
    return _events(frame, "feedback", "date", "response_id", detail="comment",
                   score="nps")


def _revenue(frame):
    return _events(frame, "revenue", "date", "txn_id", category="kind", amount="amount")


def _cases(frame):
    if frame is None or frame.empty:
        return None
    return _events(frame.assign(reference=frame["case_id"]), "case", "opened_at",
                   "reference", category="status", detail="triggers")
