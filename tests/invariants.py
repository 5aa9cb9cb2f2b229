"""Checks that the state and the event log agree, whatever happened to the process."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

from idolq.store.connection import open_database


def check_invariants(path: Path | str) -> None:
    """On PostgreSQL the server keeps its files whole and enforces foreign keys itself."""
    on_sqlite = not str(path).startswith("postgresql://")
    conn = sqlite3.connect(path) if on_sqlite else open_database(path)
    try:
        if on_sqlite:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        _check_events_match_state(conn)
        _check_counts_and_codes(conn)
    finally:
        conn.close()


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


def _check_events_match_state(conn: sqlite3.Connection) -> None:
    events = Counter(dict(conn.execute(
        "SELECT event_type, COUNT(*) FROM event_log GROUP BY event_type")))
    completions = Counter(json.loads(p)["status"] for (p,) in conn.execute(
        "SELECT payload FROM event_log WHERE event_type = 'task.completed'"))
    assert events["task.created"] == _count(conn, "SELECT COUNT(*) FROM tasks")
    assert events["review.requested"] == _count(conn, "SELECT COUNT(*) FROM reviews")
    assert events["review.approved"] == _count(
        conn, "SELECT COUNT(*) FROM reviews WHERE status = 'approved'")
    assert events["review.rejected"] == _count(
        conn, "SELECT COUNT(*) FROM reviews WHERE status = 'rejected'")
    assert events["review.completed"] == events["review.approved"] + events["review.rejected"]
    assert events["task.cancelled"] == _count(
        conn, "SELECT COUNT(*) FROM tasks WHERE status = 'cancelled'")
    assert events["task.approved"] + completions["complete"] == _count(
        conn, "SELECT COUNT(*) FROM tasks WHERE status = 'complete'")
    assert completions["review"] == _count(conn, "SELECT COALESCE(SUM(review_round), 0) FROM tasks")
    assert events["task.started"] == _count(
        conn, "SELECT COUNT(*) FROM tasks WHERE started_at IS NOT NULL")
    per_task = conn.execute(
        "SELECT t.id, t.status, (SELECT to_status FROM task_history h WHERE h.task_id = t.id"
        " ORDER BY h.id DESC LIMIT 1) FROM tasks t").fetchall()
    assert all(status == last for _, status, last in per_task), "history ends at the status"
    blocked_ok = _count(conn, "SELECT COUNT(*) FROM tasks t WHERE t.status = 'blocked' AND NOT"
                              " EXISTS (SELECT 1 FROM task_dependencies td WHERE"
                              " td.task_id = t.id AND NOT td.is_resolved)")
    assert blocked_ok == 0, "a blocked task has an open dependency"


def _check_counts_and_codes(conn: sqlite3.Connection) -> None:
    for table in ("tasks", "reviews"):
        kept = dict(conn.execute("SELECT status, n FROM status_counts WHERE entity = ? AND n != 0",
                                 (table,)).fetchall())
        fresh = dict(conn.execute(f"SELECT status, COUNT(*) FROM {table} GROUP BY status"))
        assert kept == fresh, table
    codes = [row[0] for row in conn.execute("SELECT task_code FROM tasks")]
    assert len(codes) == len(set(codes))
    for prefix, last in conn.execute("SELECT prefix, last_number FROM task_code_counters"):
        own = re.compile(rf"^{re.escape(prefix)}-(\d+)[A-Z]?$")  # V1 codes: COORD-VIB-001B
        numbers = [int(m.group(1)) for c in codes if (m := own.match(c))]
        assert max(numbers, default=0) <= last
