"""Tasks as iCalendar: escaping, folding at 75 octets, CRLF, and a parse back."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from pfcrm_core.automation import tasks_to_ics
from pfcrm_core.automation.ics import escape_text, fold_line

TASKS = pd.DataFrame({
    "task_id": [1, 2, 3],
    "title": ["Call; Alpha, Bank", "回访客户：湛恒资本" * 6, "No due date"],
    "reason": ["Line one\nline two \\ done", "原因" * 40, None],
    "owner": ["Ann", "何俊", "Bob"],
    "due_at": [pd.Timestamp("2026-10-14"), pd.Timestamp("2026-12-31"), pd.NaT],
    "priority": ["high", "low", "medium"],
    "status": ["open", "in progress", "open"],
})
STAMP = datetime(2026, 10, 1, 8, 30, 0)


def _unfold(text: str) -> list[str]:
    """Parse content lines as RFC 5545 section 3.1 defines them: CRLF + space continues."""
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def _events(data: bytes) -> list[dict[str, str]]:
    events, current = [], None
    for line in _unfold(data.decode("utf-8")):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return events


def test_calendar_structure_and_line_endings():
    data = tasks_to_ics(TASKS, stamp=STAMP)
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "PRODID:" in text
    assert text.count("\r\n") == text.count("\n")


def test_lines_fold_at_75_octets():
    data = tasks_to_ics(TASKS, stamp=STAMP)
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # no multi-byte character is split by a fold


def test_events_parse_back():
    events = _events(tasks_to_ics(TASKS, stamp=STAMP))
    assert len(events) == 2  # the task without a due date is skipped
    first, second = events
    assert first["UID"] == "task-1@pfcrm.local"
    assert first["DTSTAMP"] == "20261001T083000Z"
    assert first["DTSTART;VALUE=DATE"] == "20261014"
    assert first["DTEND;VALUE=DATE"] == "20261015"
    assert _unescape(first["SUMMARY"]) == "Call; Alpha, Bank"
    assert _unescape(first["DESCRIPTION"]).startswith("Line one\nline two \\ done\n")
    assert first["PRIORITY"] == "1"
    assert _unescape(second["SUMMARY"]) == "回访客户：湛恒资本" * 6
    assert second["PRIORITY"] == "9"


def test_escape_text_rules():
    assert escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert escape_text(None) == ""


def test_fold_keeps_short_lines():
    assert fold_line("SUMMARY:short") == "SUMMARY:short"
    folded = fold_line("X:" + "é" * 80)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == \
        "X:" + "é" * 80


def test_description_fields_follow_the_language():
    english = _events(tasks_to_ics(TASKS, stamp=STAMP))[0]
    chinese = _events(tasks_to_ics(TASKS, stamp=STAMP, lang="zh"))[1]

    assert _unescape(english["DESCRIPTION"]).endswith(
        "Owner: Ann\nPriority: High\nStatus: Open")
    assert _unescape(chinese["DESCRIPTION"]).endswith(
        "负责人：何俊\n优先级：低\n状态：处理中")
