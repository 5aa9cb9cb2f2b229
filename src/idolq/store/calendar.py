"""SQL for the content calendar and the settings table."""

from __future__ import annotations

import sqlite3

from idolq.domain.calendar import CalendarItem

ITEM_SELECT = """
SELECT c.id, c.task_id, t.task_code, t.title, c.scheduled_at, c.status, c.platform, c.pillar,
       c.published_at, c.platform_post_id AS post_id, c.url, t.content_type,
       t.status AS task_status, c.likes, c.reposts, c.comments, c.impressions,
       c.stats_updated_at
  FROM calendar_items c JOIN tasks t ON t.id = c.task_id
"""


def _item(row: sqlite3.Row) -> CalendarItem:
    return CalendarItem(**dict(row))


def find_item(conn: sqlite3.Connection, item_id: int) -> CalendarItem | None:
    row = conn.execute(f"{ITEM_SELECT} WHERE c.id = ?", (item_id,)).fetchone()
    return _item(row) if row else None


def list_items(conn: sqlite3.Connection, start: str | None, end: str | None,
               statuses: tuple[str, ...] = ()) -> list[CalendarItem]:
    """Items scheduled in [start, end), in time order (by the scheduled_at index)."""
    where, params = [], []
    if start is not None:
        where.append("c.scheduled_at >= ?")
        params.append(start)
    if end is not None:
        where.append("c.scheduled_at < ?")
        params.append(end)
    if statuses:
        where.append(f"c.status IN ({','.join('?' * len(statuses))})")
        params.extend(statuses)
    sql = ITEM_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return [_item(row) for row in conn.execute(sql + " ORDER BY c.scheduled_at, c.id", params)]


def scheduled_items_of_task(conn: sqlite3.Connection, task_id: int) -> list[CalendarItem]:
    rows = conn.execute(f"{ITEM_SELECT} WHERE c.task_id = ? AND c.status = 'scheduled'"
                        " ORDER BY c.id", (task_id,))
    return [_item(row) for row in rows]


def insert_item(conn: sqlite3.Connection, values: dict) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    return conn.execute(f"INSERT INTO calendar_items ({columns}) VALUES ({marks})",
                        list(values.values())).lastrowid


def update_item(conn: sqlite3.Connection, item_id: int, **values) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE calendar_items SET {assignments} WHERE id = ?",
                 [*values.values(), item_id])


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_setting(conn: sqlite3.Connection, key: str, value: str | None, now: str) -> None:
    """Store a setting (None removes it)."""
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        return
    conn.execute("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                 " updated_at = excluded.updated_at", (key, value, now))
