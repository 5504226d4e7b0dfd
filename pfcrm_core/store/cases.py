"""Follow-up cases of the feedback loop: opened from bad feedback, worked, closed.

A case belongs to one client and usually to the survey response that opened it.
Every change is also written to ``case_events``, which is the case's history and
the source of the "you said, we did" log. Statuses are ``open``, ``in progress``
and ``closed``; an escalation is an event and a timestamp, not a status, so an
escalated case is still being worked.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..errors import KeyedError
from .sql import now, run, scalar

CASE_STATUSES = ("open", "in progress", "closed")
EVENT_KINDS = ("opened", "note", "contact", "status", "escalated", "closed")

CASES_DDL = (
    """
    CREATE TABLE IF NOT EXISTS cases (
        case_id BIGINT PRIMARY KEY,
        client_id VARCHAR NOT NULL,
        response_id VARCHAR,
        triggers VARCHAR,
        opened_at TIMESTAMP NOT NULL,
        due_at DATE NOT NULL,
        owner VARCHAR,
        status VARCHAR NOT NULL,
        first_contact_at TIMESTAMP,
        escalated_at TIMESTAMP,
        closed_at TIMESTAMP,
        root_cause VARCHAR,
        resolved BOOLEAN,
        action_taken VARCHAR,
        client_informed BOOLEAN
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS case_events (
        event_id BIGINT PRIMARY KEY,
        case_id BIGINT NOT NULL,
        happened_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL,
        status VARCHAR,
        note VARCHAR,
        author VARCHAR
    )
    """,
)


class CaseError(KeyedError):
    """A case operation is not possible: unknown case, closed case, bad status."""


class CaseBookMixin:
    """Case methods of ``Store``; they rely on its ``connect`` method."""

    def open_cases(self, proposals: pd.DataFrame, *, author: str = "rules",
                   at: datetime | None = None) -> int:
        """Open a case for each proposal whose response has no case yet.

        Parameters
        ----------
        proposals : DataFrame
            Columns client_id, response_id, due_at and optionally owner and
            triggers, as ``feedback.rules.propose_cases`` returns them.
        author : str, default "rules"
            Who opened the cases, written to the opening event.
        at : datetime, optional
            Opening time; default now (UTC).

        Returns
        -------
        int
            Number of cases opened. A response that already has a case is skipped,
            so running the rules twice opens nothing new.
        """
        if proposals.empty:
            return 0
        at = at or now()
        with self.connect() as con:
            run(con, "BEGIN TRANSACTION")
            try:
                opened = self._insert_new_cases(con, proposals, author, at)
                run(con, "COMMIT")
            except BaseException:
                run(con, "ROLLBACK")
                raise
        return opened

    def _insert_new_cases(self, con, proposals: pd.DataFrame, author: str,
                          at: datetime) -> int:
        existing = {row[0] for row in con.execute(
            "SELECT response_id FROM cases WHERE response_id IS NOT NULL").fetchall()}
        case_id = scalar(con, "SELECT coalesce(max(case_id), 0) FROM cases")
        event_id = scalar(con, "SELECT coalesce(max(event_id), 0) FROM case_events")
        opened = 0
        for row in proposals.to_dict(orient="records"):
            response_id = row.get("response_id")
            if response_id is not None and str(response_id) in existing:
                continue
            case_id += 1
            event_id += 1
            run(con, "INSERT INTO cases (case_id, client_id, response_id, triggers, "
                     "opened_at, due_at, owner, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                [case_id, str(row["client_id"]),
                 None if response_id is None else str(response_id),
                 row.get("triggers"), at, _as_date(row["due_at"]), row.get("owner")])
            run(con, "INSERT INTO case_events VALUES (?, ?, ?, 'opened', 'open', ?, ?)",
                [event_id, case_id, at, row.get("triggers"), author])
            opened += 1
        return opened

    def read_cases(self) -> pd.DataFrame:
        """Return every case, newest first."""
        with self.connect() as con:
            return con.execute("SELECT * FROM cases ORDER BY case_id DESC").df()

    def read_case_events(self, case_id: int | None = None) -> pd.DataFrame:
        """Return the events of one case, or of all cases, in time order."""
        with self.connect() as con:
            if case_id is None:
                return con.execute("SELECT * FROM case_events "
                                   "ORDER BY case_id, happened_at, event_id").df()
            return con.execute("SELECT * FROM case_events WHERE case_id = ? "
                               "ORDER BY happened_at, event_id", [int(case_id)]).df()

    def record_case_event(self, case_id: int, kind: str, *, note: str | None = None,
                          status: str | None = None, author: str | None = None,
                          at: datetime | None = None) -> None:
        """Add a note, a contact, a status change or an escalation to an open case.

        A ``contact`` sets the case's first contact time when it has none, an
        ``escalated`` event its escalation time, and ``status`` its status.

        Raises
        ------
        CaseError
            When the case does not exist or is closed, the kind is ``closed`` or
            ``opened`` (use ``close_case``), or the status is unknown.
        """
        if kind not in EVENT_KINDS or kind in ("opened", "closed"):
            raise CaseError("cases.error.event_kind", kind=kind)
        if status is not None and status not in CASE_STATUSES[:-1]:
            raise CaseError("cases.error.status", status=status)
        at = at or now()
        with self.connect() as con:
            current = self._open_case_status(con, case_id)
            run(con, "BEGIN TRANSACTION")
            try:
                self._apply_event(con, case_id, kind, status or current, at)
                self._append_event(con, case_id, kind, status or current, note, author, at)
                run(con, "COMMIT")
            except BaseException:
                run(con, "ROLLBACK")
                raise

    def close_case(self, case_id: int, *, root_cause: str, resolved: bool,
                   action_taken: str | None = None, client_informed: bool = False,
                   note: str | None = None, author: str | None = None,
                   at: datetime | None = None) -> None:
        """Close a case with its root cause, whether it was resolved and what was done.

        Raises
        ------
        CaseError
            When the case does not exist or is already closed, or no root cause is
            given.
        """
        if not root_cause:
            raise CaseError("cases.error.root_cause", case_id=case_id)
        at = at or now()
        with self.connect() as con:
            self._open_case_status(con, case_id)
            run(con, "BEGIN TRANSACTION")
            try:
                run(con, "UPDATE cases SET status = 'closed', closed_at = ?, root_cause = ?, "
                         "resolved = ?, action_taken = ?, client_informed = ?, "
                         "first_contact_at = coalesce(first_contact_at, ?) "
                         "WHERE case_id = ?",
                    [at, root_cause, bool(resolved), action_taken, bool(client_informed),
                     at if client_informed else None, int(case_id)])
                self._append_event(con, case_id, "closed", "closed", note or action_taken,
                                   author, at)
                run(con, "COMMIT")
            except BaseException:
                run(con, "ROLLBACK")
                raise

    def _open_case_status(self, con, case_id: int) -> str:
        status = scalar(con, "SELECT status FROM cases WHERE case_id = ?", [int(case_id)])
        if status is None:
            raise CaseError("cases.error.unknown", case_id=case_id)
        if status == "closed":
            raise CaseError("cases.error.closed", case_id=case_id)
        return status

    def _apply_event(self, con, case_id: int, kind: str, status: str,
                     at: datetime) -> None:
        run(con, "UPDATE cases SET status = ? WHERE case_id = ?", [status, int(case_id)])
        if kind == "contact":
            run(con, "UPDATE cases SET first_contact_at = coalesce(first_contact_at, ?) "
                     "WHERE case_id = ?", [at, int(case_id)])
        if kind == "escalated":
            run(con, "UPDATE cases SET escalated_at = coalesce(escalated_at, ?) "
                     "WHERE case_id = ?", [at, int(case_id)])

    def _append_event(self, con, case_id: int, kind: str, status: str,
                      note: str | None, author: str | None, at: datetime) -> None:
        event_id = scalar(con, "SELECT coalesce(max(event_id), 0) + 1 FROM case_events")
        run(con, "INSERT INTO case_events VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event_id, int(case_id), at, kind, status, note, author])


def _as_date(value) -> date:
    return pd.Timestamp(value).date()
