"""SQL for notification targets (webhook_triggers) and the notification outbox."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from idolq.store.dialect import stream_rows

TARGET_COLUMNS = "id, trigger_event, action_type, action_config, is_active, last_triggered"


def active_targets(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT id, trigger_event FROM webhook_triggers WHERE is_active"
                        " AND action_type IN ('webhook', 'command')").fetchall()


def active_command_configs(conn: sqlite3.Connection) -> list[tuple[int, object]]:
    """(id, action_config as stored) of every active command target."""
    return conn.execute("SELECT id, action_config FROM webhook_triggers WHERE is_active"
                        " AND action_type = 'command'").fetchall()


def targets(conn: sqlite3.Connection) -> list[dict]:
    """Every target; `action_config` as stored (users may have written anything there)."""
    rows = conn.execute(f"SELECT {TARGET_COLUMNS} FROM webhook_triggers ORDER BY id")
    return [_target(row) for row in rows]


def target(conn: sqlite3.Connection, target_id: int) -> dict | None:
    row = conn.execute(f"SELECT {TARGET_COLUMNS} FROM webhook_triggers WHERE id = ?",
                       (target_id,)).fetchone()
    return _target(row) if row else None


def _target(row: sqlite3.Row) -> dict:
    values = dict(row)
    values["is_active"] = bool(values["is_active"])
    return values


def insert_target(conn: sqlite3.Connection, event: str, kind: str, config: dict,
                  now: str) -> dict:
    cursor = conn.execute(
        "INSERT INTO webhook_triggers (trigger_event, action_type, action_config, is_active,"
        " created_at) VALUES (?, ?, ?, TRUE, ?)", (event, kind, json.dumps(config), now))
    row = conn.execute(f"SELECT {TARGET_COLUMNS} FROM webhook_triggers WHERE id = ?",
                       (cursor.lastrowid,)).fetchone()
    return _target(row)


def delete_target(conn: sqlite3.Connection, target_id: int) -> bool:
    conn.execute("DELETE FROM notifications WHERE trigger_id = ? AND status != 'sent'",
                 (target_id,))
    return conn.execute("UPDATE webhook_triggers SET is_active = FALSE WHERE id = ?"
                        " AND is_active", (target_id,)).rowcount == 1


def enqueue(conn: sqlite3.Connection, event_id: int, target_id: int, now: str) -> None:
    conn.execute("INSERT INTO notifications (event_id, trigger_id, status, next_attempt_at,"
                 " created_at) VALUES (?, ?, 'pending', ?, ?)", (event_id, target_id, now, now))


DUE = "((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?))"


def any_due(conn: sqlite3.Connection, now: str, stale_before: str) -> bool:
    return conn.execute(f"SELECT EXISTS (SELECT 1 FROM notifications WHERE {DUE})",
                        (now, stale_before)).fetchone()[0] == 1


def count_due_for(conn: sqlite3.Connection, now: str, stale_before: str,
                  target_ids: list[int]) -> int:
    marks = ",".join("?" * len(target_ids))
    return conn.execute(f"SELECT COUNT(*) FROM notifications WHERE {DUE} AND trigger_id IN"
                        f" ({marks})", (now, stale_before, *target_ids)).fetchone()[0]


def claim_due(conn: sqlite3.Connection, now: str, stale_before: str, limit: int,
              skip_targets: list[int] = ()) -> list[int]:
    """Mark due notifications (except those for `skip_targets`) as being sent by this
    process; returns their ids."""
    rows = conn.execute(
        f"""UPDATE notifications SET status = 'sending', claimed_at = ?
            WHERE id IN (SELECT id FROM notifications
                          WHERE {DUE}
                            AND trigger_id NOT IN ({','.join('?' * len(skip_targets))})
                          ORDER BY id LIMIT ?)
           RETURNING id""", (now, now, stale_before, *skip_targets, limit)).fetchall()
    return sorted(row[0] for row in rows)


NOTIFICATION_SELECT = """
SELECT n.id, n.event_id, n.trigger_id, n.status, n.attempts, n.next_attempt_at, n.last_error,
       n.created_at, n.sent_at, e.event_type, w.action_type, w.action_config
  FROM notifications n JOIN event_log e ON e.id = n.event_id
  JOIN webhook_triggers w ON w.id = n.trigger_id
"""


def notification_rows(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"{NOTIFICATION_SELECT} WHERE n.id IN ({marks}) ORDER BY n.id", ids)
    return [dict(row) for row in rows]


def list_notifications(conn: sqlite3.Connection, status: str | None,
                       limit: int | None) -> Iterator[dict]:
    """The last `limit` (or all) notifications, oldest first, streamed from the cursor: the
    first of them is found walking back by id, then the ids from there are read in order.
    `action_config` as stored (users may have written anything there)."""
    where, params = (" WHERE n.status = ?", [status]) if status is not None else ("", [])
    start = 0
    if limit is not None:
        first = conn.execute(f"SELECT n.id FROM notifications n{where} ORDER BY n.id DESC"
                             " LIMIT 1 OFFSET ?", [*params, limit - 1]).fetchone()
        start = first[0] if first else 0
    walk = " AND +n.status = ?" if status is not None else ""  # ids in order, not a sort
    rows = stream_rows(conn, f"{NOTIFICATION_SELECT} WHERE n.id >= ?{walk} ORDER BY n.id",
                       [start, *params])
    return map(dict, rows)


def record_sent(conn: sqlite3.Connection, notification_id: int, trigger_id: int,
                now: str) -> None:
    conn.execute("UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
                 " last_error = NULL, claimed_at = NULL WHERE id = ?", (now, notification_id))
    conn.execute("UPDATE webhook_triggers SET last_triggered = ? WHERE id = ?", (now, trigger_id))


def record_failure(conn: sqlite3.Connection, notification_id: int, error: str,
                   next_attempt_at: str | None) -> None:
    """Back to pending for another attempt at `next_attempt_at`, or failed if None."""
    conn.execute(
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?, claimed_at = NULL,"
        " status = CASE WHEN CAST(? AS TEXT) IS NULL THEN 'failed' ELSE 'pending' END,"
        " next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
        (error, next_attempt_at, next_attempt_at, notification_id))


def release_claim(conn: sqlite3.Connection, notification_id: int) -> None:
    conn.execute("UPDATE notifications SET status = 'pending', claimed_at = NULL"
                 " WHERE id = ? AND status = 'sending'", (notification_id,))


def requeue(conn: sqlite3.Connection, ids: list[int] | None, now: str) -> list[int]:
    """Failed notifications (all, or the given ones) back to pending, due now."""
    sql = ("UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = ?"
           " WHERE status = 'failed'")
    params: list = [now]
    if ids is not None:
        sql += f" AND id IN ({','.join('?' * len(ids))})"
        params.extend(ids)
    return sorted(row[0] for row in conn.execute(sql + " RETURNING id", params))


def notification_status(conn: sqlite3.Connection, notification_id: int) -> str | None:
    row = conn.execute("SELECT status FROM notifications WHERE id = ?",
                       (notification_id,)).fetchone()
    return row[0] if row else None
