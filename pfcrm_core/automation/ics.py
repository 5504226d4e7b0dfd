"""Tasks as an iCalendar file (RFC 5545), one all-day event on each task's due date.

Events (VEVENT) rather than to-dos (VTODO) are written because the common calendar
clients (Outlook, Google Calendar, Apple Calendar) import events but show to-dos
inconsistently or not at all. Text is escaped as RFC 5545 section 3.3.11 requires,
lines are folded at 75 octets (section 3.1) without splitting a UTF-8 character,
and every line ends with CRLF.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from ..i18n import catalogue, translate
from ..store.sql import now

PRODUCT_ID = "-//PF-CRM//Automation tasks//EN"
MAX_LINE_OCTETS = 75


def escape_text(value: object) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) \
        else str(value)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line into CRLF-joined parts of at most 75 octets each.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def tasks_to_ics(tasks: pd.DataFrame, *, stamp: datetime | None = None,
                 uid_domain: str = "pfcrm.local", lang: str = "en") -> bytes:
    """Return the tasks as an iCalendar file in UTF-8.

    Parameters
    ----------
    tasks : DataFrame
        Columns task_id, title, reason, owner, due_at, priority and status, as
        ``Store.read_tasks`` returns them; rows without a due date are skipped.
    stamp : datetime, optional
        DTSTAMP in UTC; default now.
    uid_domain : str, default "pfcrm.local"
        Right-hand side of each UID, ``task-<task_id>@<uid_domain>``, so that a
        re-import updates the events instead of duplicating them.
    lang : {"en", "zh"}, default "en"
        Language of the owner, priority and status lines of each description.
    """
    stamp = stamp or now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for task in tasks.to_dict(orient="records"):
        if task.get("due_at") is None or pd.isna(task.get("due_at")):
            continue
        lines += _event_lines(task, stamp, uid_domain, lang)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold_line(line) for line in lines) + "\r\n").encode("utf-8")


def _event_lines(task: dict, stamp: datetime, uid_domain: str,
                 lang: str) -> list[str]:
    due = pd.Timestamp(task["due_at"]).date()
    description = "\n".join(part for part in (
        task.get("reason"),
        translate("automation.ics.owner", lang, owner=task.get("owner") or ""),
        translate("automation.ics.priority", lang,
                  priority=_label("automation.priority", task.get("priority"), lang)),
        translate("automation.ics.status", lang,
                  status=_label("automation.status", task.get("status"), lang)),
    ) if isinstance(part, str) and part)
    return [
        "BEGIN:VEVENT",
        f"UID:task-{int(task['task_id'])}@{uid_domain}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(task.get('title'))}",
        f"DESCRIPTION:{escape_text(description)}",
        f"PRIORITY:{_ics_priority(task.get('priority'))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _label(prefix: str, value: object, lang: str) -> str:
    key = f"{prefix}.{value}"
    return translate(key, lang) if key in catalogue() else str(value or "")


def _ics_priority(priority: object) -> int:
    # RFC 5545 section 3.8.1.9: 1-4 high, 5 medium, 6-9 low, 0 undefined.
    return {"high": 1, "medium": 5, "low": 9}.get(str(priority), 0)
