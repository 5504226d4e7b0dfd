"""Automation rules and the tasks they raise.

A rule's conditions are stored as JSON text (a list of ``{"fact", "operator",
"value"}`` objects), validated by ``pfcrm_core.automation.rules`` before saving. A
task belongs to one rule and one client. At most one task per rule and client is
not done, so running the rules again creates nothing new for a client that still
has an open task. Statuses are ``open``, ``in progress`` and ``done``. Every change
of a task is written to ``task_events``, its history.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd

from ..errors import KeyedError
from .sql import now, run, scalar

TASK_STATUSES = ("open", "in progress", "done")
OPEN_STATUSES = ("open", "in progress")
TASK_COLUMNS = ["task_id", "rule_id", "rule_name", "client_id", "title", "reason",
                "owner", "due_at", "priority", "status", "created_at", "closed_at",
                "note"]
# Key in schema_meta recording that the starter rules were written once.
SEEDED_KEY = "starter_rules_seeded"

AUTOMATION_DDL = (
    """
    CREATE TABLE IF NOT EXISTS automation_rules (
        rule_id BIGINT PRIMARY KEY,
        name VARCHAR NOT NULL,
        conditions VARCHAR NOT NULL,
        owner VARCHAR NOT NULL,
        due_days INTEGER NOT NULL,
        priority VARCHAR NOT NULL,
        reason VARCHAR,
        enabled BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS tasks (
        task_id BIGINT PRIMARY KEY,
        rule_id BIGINT,
        rule_name VARCHAR,
        client_id VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        reason VARCHAR,
        owner VARCHAR,
        due_at DATE,
        priority VARCHAR,
        status VARCHAR NOT NULL,
        as_of DATE,
        created_at TIMESTAMP NOT NULL,
        closed_at TIMESTAMP,
        note VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS task_events (
        event_id BIGINT PRIMARY KEY,
        task_id BIGINT NOT NULL,
        happened_at TIMESTAMP NOT NULL,
        status VARCHAR,
        owner VARCHAR,
        note VARCHAR,
        author VARCHAR
    )
    """,
)


class TaskError(KeyedError):
    """A rule or task operation is not possible; the message is translatable."""


class AutomationMixin:
    """Rule and task methods of ``Store``; they rely on its ``connect`` method."""

    # -- rules -----------------------------------------------------------------

    def save_rule(self, rule: dict, *, at: datetime | None = None) -> int:
        """Insert a rule, or update it when ``rule["rule_id"]`` is set, and return its id.

        ``rule`` has the keys of ``Rule.to_dict``; validate it with
        ``automation.validate_rule`` first, because the store checks only that
        the name is unique and the id exists.

        Raises
        ------
        TaskError
            When another rule has the same name, or the rule id is not found.
        """
        at = at or now()
        rule_id = rule.get("rule_id")
        values = [rule["name"], json.dumps(rule["conditions"], ensure_ascii=False),
                  rule["owner"], int(rule["due_days"]), rule["priority"],
                  rule.get("reason") or "", bool(rule.get("enabled", True))]
        with self.connect() as con:
            self._check_unique_name(con, rule["name"], rule_id)
            if rule_id is None:
                rule_id = scalar(con, "SELECT coalesce(max(rule_id), 0) + 1 "
                                      "FROM automation_rules")
                run(con, "INSERT INTO automation_rules VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [rule_id, *values, at, at])
                return int(rule_id)
            self._existing_rule(con, rule_id)
            run(con, "UPDATE automation_rules SET name = ?, conditions = ?, owner = ?, "
                     "due_days = ?, priority = ?, reason = ?, enabled = ?, "
                     "updated_at = ? WHERE rule_id = ?", [*values, at, int(rule_id)])
        return int(rule_id)

    def _check_unique_name(self, con, name: str, rule_id: int | None) -> None:
        other = scalar(con, "SELECT rule_id FROM automation_rules WHERE "
                            "lower(name) = lower(?) AND rule_id IS DISTINCT FROM ?",
                       [name, None if rule_id is None else int(rule_id)])
        if other is not None:
            raise TaskError("automation.error.duplicate_name", name=name)

    def _existing_rule(self, con, rule_id: int) -> None:
        if scalar(con, "SELECT count(*) FROM automation_rules WHERE rule_id = ?",
                  [int(rule_id)]) == 0:
            raise TaskError("automation.error.rule_not_found", rule_id=rule_id)

    def set_rule_enabled(self, rule_id: int, enabled: bool) -> None:
        """Enable or disable a rule; a disabled rule is kept but not run."""
        with self.connect() as con:
            self._existing_rule(con, rule_id)
            run(con, "UPDATE automation_rules SET enabled = ?, updated_at = ? "
                     "WHERE rule_id = ?", [bool(enabled), now(), int(rule_id)])

    def delete_rule(self, rule_id: int) -> None:
        """Delete a rule. Its tasks stay, with the rule's name as it was."""
        with self.connect() as con:
            self._existing_rule(con, rule_id)
            run(con, "DELETE FROM automation_rules WHERE rule_id = ?", [int(rule_id)])

    def read_rules(self) -> pd.DataFrame:
        """Return every rule in id order, ``conditions`` decoded to a list of dicts."""
        with self.connect() as con:
            rules = con.execute("SELECT * FROM automation_rules ORDER BY rule_id").df()
        rules["conditions"] = rules["conditions"].map(json.loads)
        return rules

    def seed_rules(self, rules: list[dict]) -> int:
        """Insert ``rules`` once per database; return how many were inserted.

        A flag in ``schema_meta`` records the first call, so later calls insert
        nothing even after the user deleted every rule.
        """
        with self.connect() as con:
            if scalar(con, "SELECT value FROM schema_meta WHERE key = ?",
                      [SEEDED_KEY]) is not None:
                return 0
        inserted = 0
        for rule in rules:
            try:
                self.save_rule({**rule, "rule_id": None})
                inserted += 1
            except TaskError:
                continue
        with self.connect() as con:
            run(con, "INSERT INTO schema_meta VALUES (?, ?) ON CONFLICT DO NOTHING",
                [SEEDED_KEY, now().isoformat()])
        return inserted

    # -- tasks -----------------------------------------------------------------

    def create_tasks(self, proposals: pd.DataFrame, *, as_of: date | None = None,
                     dry_run: bool = False, at: datetime | None = None) -> pd.DataFrame:
        """Create a task for each proposal whose rule and client have no open task.

        Parameters
        ----------
        proposals : DataFrame
            Columns rule_id, rule_name, client_id, title, reason, owner, due_at and
            priority, as ``automation.propose_tasks`` returns them.
        as_of : date, optional
            The evaluation date, stored with each task.
        dry_run : bool, default False
            Decide which tasks would be created without writing them.
        at : datetime, optional
            Creation time; default now (UTC).

        Returns
        -------
        DataFrame
            The proposals with a boolean column ``created``: False where the rule
            and client already have an open or in-progress task, or where the
            proposal repeats an earlier row.
        """
        result = proposals.copy()
        result["created"] = pd.Series(dtype=bool)
        if proposals.empty:
            return result
        at = at or now()
        with self.connect() as con:
            run(con, "BEGIN TRANSACTION")
            try:
                result["created"] = self._insert_new_tasks(con, proposals, as_of, at,
                                                           dry_run)
                run(con, "ROLLBACK" if dry_run else "COMMIT")
            except BaseException:
                run(con, "ROLLBACK")
                raise
        return result

    def _insert_new_tasks(self, con, proposals: pd.DataFrame, as_of: date | None,
                          at: datetime, dry_run: bool) -> list[bool]:
        placeholders = ", ".join("?" for _ in OPEN_STATUSES)
        taken = {(int(rule_id), str(client)) for rule_id, client in con.execute(
            f"SELECT rule_id, client_id FROM tasks WHERE rule_id IS NOT NULL "
            f"AND status IN ({placeholders})", list(OPEN_STATUSES)).fetchall()}
        task_id = scalar(con, "SELECT coalesce(max(task_id), 0) FROM tasks")
        created = []
        for row in proposals.to_dict(orient="records"):
            pair = (int(row["rule_id"]), str(row["client_id"]))
            if pair in taken:
                created.append(False)
                continue
            taken.add(pair)
            created.append(True)
            if dry_run:
                continue
            task_id += 1
            run(con, "INSERT INTO tasks (task_id, rule_id, rule_name, client_id, "
                     "title, reason, owner, due_at, priority, status, as_of, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                [task_id, pair[0], row.get("rule_name"), pair[1], row["title"],
                 row.get("reason"), row.get("owner"), _as_date(row.get("due_at")),
                 row.get("priority"), _as_date(as_of), at])
            self._append_task_event(con, task_id, "open", row.get("owner"),
                                    row.get("reason"), "rules", at)
        return created

    def read_tasks(self, client_id: str | None = None,
                   status: str | None = None) -> pd.DataFrame:
        """Return tasks, most urgent first, optionally of one client or one status.

        Columns: task_id, rule_id, rule_name (the rule's current name, or its name
        when the task was created if the rule was deleted), client_id, title,
        reason, owner, due_at, priority, status, created_at, closed_at and note.

        Raises
        ------
        TaskError
            When ``status`` is not one of open, in progress, done.
        """
        if status is not None and status not in TASK_STATUSES:
            raise TaskError("automation.error.status", value=status,
                            allowed=", ".join(TASK_STATUSES))
        sql = ("SELECT t.task_id, t.rule_id, "
               "coalesce(r.name, t.rule_name) AS rule_name, t.client_id, t.title, "
               "t.reason, t.owner, t.due_at, t.priority, t.status, t.created_at, t.closed_at, t.note FROM tasks t "
               "LEFT JOIN automation_rules r ON r.rule_id = t.rule_id WHERE 1 = 1")
        params = []
        if client_id is not None:
            sql += " AND t.client_id = ?"
            params.append(str(client_id))
        if status is not None:
            sql += " AND t.status = ?"
            params.append(status)
        sql += " ORDER BY t.status = 'done', t.due_at, t.task_id"
        with self.connect() as con:
            return con.execute(sql, params).df()[TASK_COLUMNS]

    def read_task_events(self, task_id: int | None = None) -> pd.DataFrame:
        """Return the history of one task, or of all tasks, in the order recorded."""
        with self.connect() as con:
            if task_id is None:
                return con.execute("SELECT * FROM task_events "
                                   "ORDER BY task_id, event_id").df()
            return con.execute("SELECT * FROM task_events WHERE task_id = ? "
                               "ORDER BY event_id", [int(task_id)]).df()

    def update_task(self, task_id: int, *, status: str | None = None,
                    note: str | None = None, owner: str | None = None,
                    author: str | None = None, at: datetime | None = None) -> None:
        """Change a task's status, owner or note, and record the change.

        Setting the status to ``done`` closes the task, as ``close_task`` does.

        Raises
        ------
        TaskError
            When the task does not exist or is done, or the status is unknown.
        """
        if status is not None and status not in TASK_STATUSES:
            raise TaskError("automation.error.status", value=status,
                            allowed=", ".join(TASK_STATUSES))
        at = at or now()
        with self.connect() as con:
            current_status, current_owner = self._open_task(con, task_id)
            new_status = status or current_status
            new_owner = owner if owner else current_owner
            run(con, "BEGIN TRANSACTION")
            try:
                run(con, "UPDATE tasks SET status = ?, owner = ?, "
                         "note = coalesce(?, note), closed_at = ? WHERE task_id = ?",
                    [new_status, new_owner, note or None,
                     at if new_status == "done" else None, int(task_id)])
                self._append_task_event(con, task_id, new_status, new_owner, note,
                                        author, at)
                run(con, "COMMIT")
            except BaseException:
                run(con, "ROLLBACK")
                raise

    def close_task(self, task_id: int, *, note: str | None = None,
                   author: str | None = None, at: datetime | None = None) -> None:
        """Mark a task done with an optional closing note.

        Raises
        ------
        TaskError
            When the task does not exist or is already done.
        """
        self.update_task(task_id, status="done", note=note, author=author, at=at)

    def _open_task(self, con, task_id: int) -> tuple[str, str | None]:
        rows = con.execute("SELECT status, owner FROM tasks WHERE task_id = ?",
                           [int(task_id)]).fetchall()
        if not rows:
            raise TaskError("automation.error.task_not_found", task_id=task_id)
        if rows[0][0] == "done":
            raise TaskError("automation.error.task_done", task_id=task_id)
        return rows[0][0], rows[0][1]

    def _append_task_event(self, con, task_id: int, status: str, owner: str | None,
                           note: str | None, author: str | None, at: datetime) -> None:
        event_id = scalar(con, "SELECT coalesce(max(event_id), 0) + 1 FROM task_events")
        run(con, "INSERT INTO task_events VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event_id, int(task_id), at, status, owner, note, author])


def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, (date, datetime)) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()
