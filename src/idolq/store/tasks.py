"""SQL for tasks, their dependencies and their history."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from idolq.domain.model import Task
from idolq.store.dialect import lock_rows, stream_rows

TASK_SELECT = """
SELECT t.id, t.task_code AS code, t.title, t.description, t.task_type, t.content_type,
       t.status, t.priority, t.assigned_agent, a.agent_name AS assigned_agent_name,
       t.review_tier, t.review_round, t.created_at, t.started_at, t.completed_at,
       t.deadline, t.output_file, t.estimated_hours, t.claimed_by, t.lease_expires_at,
       (SELECT group_concat(d.task_code, ' ') FROM task_dependencies td
          JOIN tasks d ON d.id = td.depends_on_task_id WHERE td.task_id = t.id) AS depends_on,
       (SELECT group_concat(d.task_code, ' ') FROM task_dependencies td
          JOIN tasks d ON d.id = td.depends_on_task_id
         WHERE td.task_id = t.id AND NOT td.is_resolved) AS blocked_by,
       t.deferred_until
  FROM tasks t LEFT JOIN agents a ON a.agent_number = t.assigned_agent
"""


def _task(row: sqlite3.Row) -> Task:
    values = dict(row)
    values["depends_on"] = sorted((values["depends_on"] or "").split())
    values["blocked_by"] = sorted((values["blocked_by"] or "").split())
    return Task(**values)


def find_task(conn: sqlite3.Connection, ref: int | str) -> Task | None:
    column = "t.id" if isinstance(ref, int) else "t.task_code"
    row = conn.execute(f"{TASK_SELECT} WHERE {column} = ?{lock_rows(conn, 't')}",
                       (ref,)).fetchone()
    return _task(row) if row else None


def assigned_agent_of(conn: sqlite3.Connection, ref: int | str) -> int | None:
    """A task's agent, read without locking the task."""
    column = "id" if isinstance(ref, int) else "task_code"
    row = conn.execute(f"SELECT assigned_agent FROM tasks WHERE {column} = ?", (ref,)).fetchone()
    return row[0] if row else None


def tasks_by_ids(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Task]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"{TASK_SELECT} WHERE t.id IN ({marks}) ORDER BY t.id", list(ids))
    return [_task(row) for row in rows]


def list_tasks(
    conn: sqlite3.Connection,
    statuses: Sequence[str] = (),
    agent: int | None = None,
    task_type: str | None = None,
    limit: int | None = None,
) -> Iterator[Task]:
    """Tasks in id order, one row at a time from the cursor (memory stays flat)."""
    where, params = [], []
    if statuses:
        where.append(f"t.status IN ({','.join('?' * len(statuses))})")
        params.extend(statuses)
    if agent is not None:
        where.append("t.assigned_agent = ?")
        params.append(agent)
    if task_type is not None:
        where.append("t.task_type = ?")
        params.append(task_type)
    sql = TASK_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return map(_task, stream_rows(conn, sql, params))


def ready_tasks(conn: sqlite3.Connection, agent: int | None,
                limit: int | None) -> Iterator[Task]:
    sql = TASK_SELECT + " WHERE t.status = 'pending'"
    params: list = []
    if agent is not None:
        sql += " AND t.assigned_agent = ?"
        params.append(agent)
    sql += " ORDER BY t.priority, t.deadline IS NULL, t.deadline, t.created_at, t.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return map(_task, stream_rows(conn, sql, params))


def next_task_number(conn: sqlite3.Connection, prefix: str) -> int:
    """The next number for a code prefix; numbers are never reused."""
    return conn.execute(
        "INSERT INTO task_code_counters (prefix, last_number) VALUES (?, 1)"
        " ON CONFLICT (prefix) DO UPDATE SET last_number = task_code_counters.last_number + 1"
        " RETURNING last_number",
        (prefix,),
    ).fetchone()[0]


def insert_task(conn: sqlite3.Connection, values: dict) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = conn.execute(f"INSERT INTO tasks ({columns}) VALUES ({marks})", list(values.values()))
    return cursor.lastrowid


def update_task(conn: sqlite3.Connection, task_id: int, **values) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE tasks SET {assignments} WHERE id = ?", [*values.values(), task_id])


def add_history(
    conn: sqlite3.Connection, task_id: int, from_status: str | None, to_status: str,
    actor: str, changed_at: str, note: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO task_history (task_id, from_status, to_status, actor, changed_at, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (task_id, from_status, to_status, actor, changed_at, note),
    )


def add_dependency(conn: sqlite3.Connection, task_id: int, on_id: int, resolved: bool,
                   now: str) -> None:
    conn.execute(
        "INSERT INTO task_dependencies (task_id, depends_on_task_id, is_resolved, created_at,"
        " resolved_at) VALUES (?, ?, ?, ?, ?)",
        (task_id, on_id, resolved, now, now if resolved else None),
    )


def delete_dependency(conn: sqlite3.Connection, task_id: int, on_id: int) -> None:
    conn.execute("DELETE FROM task_dependencies WHERE task_id = ? AND depends_on_task_id = ?",
                 (task_id, on_id))


def open_dependents(conn: sqlite3.Connection, task_id: int) -> list[str]:
    """Codes of the tasks still waiting on `task_id`."""
    rows = conn.execute(
        "SELECT t.task_code FROM task_dependencies td JOIN tasks t ON t.id = td.task_id"
        " WHERE td.depends_on_task_id = ? AND NOT td.is_resolved ORDER BY t.id", (task_id,))
    return [row[0] for row in rows]


def depends_transitively(conn: sqlite3.Connection, task_id: int, on_id: int) -> bool:
    """Whether `task_id` already depends, directly or not, on `on_id`."""
    row = conn.execute(
        """WITH RECURSIVE upstream(id) AS (
             SELECT depends_on_task_id FROM task_dependencies WHERE task_id = ?
             UNION SELECT td.depends_on_task_id FROM task_dependencies td
                     JOIN upstream u ON td.task_id = u.id)
           SELECT 1 FROM upstream WHERE id = ? LIMIT 1""",
        (task_id, on_id),
    ).fetchone()
    return row is not None


def resolve_dependencies_on(conn: sqlite3.Connection, on_id: int, now: str) -> list[int]:
    """Mark every open dependency on `on_id` resolved; returns the dependent task ids."""
    rows = conn.execute(
        "UPDATE task_dependencies SET is_resolved = TRUE, resolved_at = ?"
        " WHERE depends_on_task_id = ? AND NOT is_resolved RETURNING task_id",
        (now, on_id),
    ).fetchall()
    return sorted(row[0] for row in rows)


def unblock_ready(conn: sqlite3.Connection, task_ids: Iterable[int], now: str) -> list[int]:
    """Blocked tasks among `task_ids` with no open dependency become pending; returns them."""
    ids = list(task_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"""UPDATE tasks SET status = 'pending', updated_at = ?
             WHERE id IN ({marks}) AND status = 'blocked' AND NOT EXISTS (
               SELECT 1 FROM task_dependencies td WHERE td.task_id = tasks.id
                AND NOT td.is_resolved)
            RETURNING id""",
        [now, *ids],
    ).fetchall()
    return sorted(row[0] for row in rows)


def count_by_status(conn: sqlite3.Connection) -> dict[str, int]:
    """Kept by triggers (see store/schema.py), so history is not counted on every call."""
    rows = conn.execute("SELECT status, n FROM status_counts WHERE entity = 'tasks'")
    return {status: count for status, count in rows}


def due_deferred(conn: sqlite3.Connection, at: str) -> list[Task]:
    """Deferred tasks whose `deferred_until` has come."""
    rows = conn.execute(f"{TASK_SELECT} WHERE t.deferred_until IS NOT NULL"
                        " AND t.deferred_until <= ? AND t.status = 'deferred' ORDER BY t.id",
                        (at,))
    return [_task(row) for row in rows]


def take_pending(conn: sqlite3.Connection, task_id: int, claimed_by: str, lease_expires_at: str,
                 now: str) -> bool:
    """Start a task for a claimer if it is still pending; False if another got it first.

    A conditional UPDATE: correct under SQLite's write lock and on row-locking databases.
    """
    cursor = conn.execute(
        "UPDATE tasks SET status = 'in_progress', started_at = ?, claimed_by = ?,"
        " lease_expires_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
        (now, claimed_by, lease_expires_at, now, task_id))
    return cursor.rowcount == 1


def tasks_with_expired_leases(conn: sqlite3.Connection, now: str) -> list[Task]:
    rows = conn.execute(f"{TASK_SELECT} WHERE t.lease_expires_at < ?"
                        " AND t.status = 'in_progress' ORDER BY t.lease_expires_at, t.id", (now,))
    return [_task(row) for row in rows]
