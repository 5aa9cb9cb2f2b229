"""SQL for the append-only event log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from idolq.domain.model import Event
from idolq.store.dialect import prefix_match, stream_rows


def append_event(conn: sqlite3.Connection, event: Event, actor: str, timestamp: str) -> int:
    payload = event.payload
    cursor = conn.execute(
        "INSERT INTO event_log (event_type, payload, source, actor, timestamp, task_id, review_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (event.type, json.dumps(payload, ensure_ascii=False, sort_keys=True), event.source,
         actor, timestamp, payload.get("task_id"), payload.get("review_id")),
    )
    return cursor.lastrowid


def _event(row: sqlite3.Row) -> Event:
    return Event(id=row["id"], type=row["event_type"], payload=json.loads(row["payload"]),
                 source=row["source"], actor=row["actor"], timestamp=row["timestamp"])


EVENT_COLUMNS = "id, event_type, payload, source, actor, timestamp"


def _type_filter(conn, event_type: str | None, column: str = "event_type"
                 ) -> tuple[str, list]:
    if event_type is None:
        return "", []
    if event_type.endswith(".*") or event_type.endswith("."):
        sql, pattern = prefix_match(conn, column, event_type.rstrip("*").rstrip(".") + ".")
        return f" AND {sql}", [pattern]
    return f" AND {column} = ?", [event_type]


def _filters(conn, event_type: str | None, since: str | None,
             walk: bool = False) -> tuple[str, list]:
    """SQL conditions; with `walk`, written so that no index serves them (`+column`): the
    query then walks a range of ids in order instead of sorting what an index found."""
    plus = "+" if walk else ""
    sql, params = _type_filter(conn, event_type, f"{plus}event_type")
    if since is not None:
        sql += f" AND {plus}timestamp >= ?"
        params.append(since)
    return sql, params


def last_events(conn: sqlite3.Connection, count: int | None, event_type: str | None = None,
                since: str | None = None) -> Iterator[Event]:
    """The last `count` matching events, oldest first, streamed from the cursor: the first
    of them is found walking back (no rows kept), then the ids from there are read in order."""
    if count == 0:
        return iter(())
    where, params = _filters(conn, event_type, since)
    first = None
    if count is not None:  # None: all of them
        first = conn.execute(
            f"SELECT id FROM event_log WHERE 1{where} ORDER BY id DESC LIMIT 1 OFFSET ?",
            [*params, count - 1],
        ).fetchone()
    if first is None:  # fewer than `count` match: from the first that does
        first = conn.execute(f"SELECT MIN(id) FROM event_log WHERE 1{where}", params).fetchone()
    if first[0] is None:
        return iter(())
    where, params = _filters(conn, event_type, since, walk=True)
    rows = stream_rows(
        conn, f"SELECT {EVENT_COLUMNS} FROM event_log WHERE id >= ?{where} ORDER BY id",
        [first[0], *params],
    )
    return map(_event, rows)


def events_after(conn: sqlite3.Connection, after_id: int, event_type: str | None = None,
                 limit: int = 1000) -> list[Event]:
    type_sql, params = _type_filter(conn, event_type)
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE id > ?{type_sql} ORDER BY id LIMIT ?",
        [after_id, *params, limit],
    )
    return [_event(row) for row in rows]


def events_by_ids(conn: sqlite3.Connection, ids: list[int]) -> list[Event]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT {EVENT_COLUMNS} FROM event_log WHERE id IN ({marks})"
                        " ORDER BY id", ids)
    return [_event(row) for row in rows]


def last_event_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM event_log").fetchone()[0]


def task_events(conn: sqlite3.Connection, task_id: int) -> list[Event]:
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE task_id = ? ORDER BY id", (task_id,)
    )
    return [_event(row) for row in rows]
