"""SQL for metrics: events of a time window, read through the timestamp index.

`+event_type` keeps SQLite from reading the window through the event-type index instead
(which would walk every event of those types ever logged).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from idolq.domain.metrics import LogEntry

COLUMNS = "e.id, e.event_type, e.payload, e.source, e.actor, e.timestamp, e.task_id"


def _marks(values: Sequence[str]) -> str:
    return ",".join("?" * len(values))


def _entry(row: sqlite3.Row) -> LogEntry | None:
    """An event as metrics read it; None for a row edited by hand into something that is
    not an event (a payload that is not a JSON object, a timestamp that is not a time)."""
    try:
        payload = json.loads(row[2])
        datetime.fromisoformat(row[5]).utcoffset().total_seconds()
    except (TypeError, ValueError, AttributeError):
        return None
    if not isinstance(payload, dict):
        return None
    return LogEntry(row[0], row[1], payload, row[3], row[4], row[5], row[6])


def _entries(rows) -> list[LogEntry]:
    return [entry for entry in map(_entry, rows) if entry is not None]


def window_events(conn: sqlite3.Connection, since: str, until: str,
                  types: Sequence[str]) -> list[LogEntry]:
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM event_log e WHERE e.timestamp >= ? AND e.timestamp < ?"
        f" AND +e.event_type IN ({_marks(types)})", [since, until, *types])
    return sorted(_entries(rows), key=lambda e: e.id)


def submissions(conn: sqlite3.Connection, since: str, until: str) -> list[LogEntry]:
    """`task.completed` events of the tasks whose review round ended in the window."""
    rows = conn.execute(
        f"""SELECT {COLUMNS} FROM event_log e
             WHERE e.task_id IN (SELECT w.task_id FROM event_log w
                                  WHERE w.timestamp >= ? AND w.timestamp < ?
                                    AND +w.event_type IN ('task.approved', 'review.rejected'))
               AND +e.event_type = 'task.completed'""", (since, until))
    return _entries(rows)


def task_histories(conn: sqlite3.Connection, since: str, types: Sequence[str]
                   ) -> dict[int, tuple[str, list[LogEntry]]]:
    """task id -> (its assigned agent now, its events of `types`), for every task with such
    an event since `since` or in progress now."""
    rows = conn.execute(
        f"""SELECT {COLUMNS}, t.assigned_agent FROM event_log e JOIN tasks t ON t.id = e.task_id
             WHERE e.task_id IN (SELECT w.task_id FROM event_log w
                                  WHERE w.timestamp >= ? AND +w.event_type IN ({_marks(types)})
                                 UNION SELECT id FROM tasks WHERE status = 'in_progress')
               AND +e.event_type IN ({_marks(types)})""", [since, *types, *types])
    histories: dict[int, tuple[str, list[LogEntry]]] = {}
    for row in rows:
        entry = _entry(row)
        if entry is not None:
            agent = str(row[7]) if row[7] is not None else "unassigned"
            histories.setdefault(row[6], (agent, []))[1].append(entry)
    return histories


def agent_numbers(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT agent_number FROM agents WHERE is_active ORDER BY agent_number")
    return [str(row[0]) for row in rows]
