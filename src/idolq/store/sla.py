"""SQL for SLA policy, open items to check, escalations and review statistics."""

from __future__ import annotations

import sqlite3

from idolq.domain.model import Review, Task
from idolq.domain.sla import Rule
from idolq.store.reviews import REVIEW_SELECT
from idolq.store.tasks import tasks_by_ids

RULE_COLUMNS = "rule, subject, limit_minutes, escalate_to, review_type, review_tier, priority"


def rules(conn: sqlite3.Connection) -> list[Rule]:
    rows = conn.execute(f"SELECT {RULE_COLUMNS} FROM sla_policy ORDER BY subject, rule")
    return [Rule(*row) for row in rows]


def upsert_rule(conn: sqlite3.Connection, rule: Rule, now: str) -> None:
    conn.execute(
        f"INSERT INTO sla_policy ({RULE_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (rule) DO UPDATE SET limit_minutes = excluded.limit_minutes,"
        " escalate_to = excluded.escalate_to, updated_at = excluded.updated_at",
        (rule.key, rule.subject, rule.limit_minutes, rule.escalate_to, rule.review_type,
         rule.review_tier, rule.priority, now),
    )


def delete_rule(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("DELETE FROM sla_policy WHERE rule = ?", (key,)).rowcount == 1


def delete_all_rules(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM sla_policy")


def pending_reviews_with_tier(conn: sqlite3.Connection
                              ) -> list[tuple[Review, int, str | None]]:
    """(review, its task's tier, escalated_at) for every pending review."""
    rows = conn.execute(
        f"""SELECT q.*, t.review_tier AS tier, e.escalated_at
              FROM ({REVIEW_SELECT} WHERE r.status = 'pending') q
              JOIN tasks t ON t.id = q.task_id
              LEFT JOIN sla_escalations e ON e.subject = 'review' AND e.subject_id = q.id
             ORDER BY q.id""")
    found = []
    for row in rows:
        values = dict(row)
        tier, escalated_at = values.pop("tier"), values.pop("escalated_at")
        found.append((Review(**values), tier, escalated_at))
    return found


def open_tasks_with_priorities(conn: sqlite3.Connection,
                               priorities: list[int]) -> list[tuple[Task, str | None]]:
    """(task, escalated_at) for unfinished tasks of the given priorities."""
    if not priorities:
        return []
    marks = ",".join("?" * len(priorities))
    rows = conn.execute(
        # The open set by status, even where statistics say most tasks share a few statuses.
        f"""SELECT t.id, e.escalated_at FROM tasks t INDEXED BY idx_tasks_status
              LEFT JOIN sla_escalations e ON e.subject = 'task' AND e.subject_id = t.id
                    AND e.rule = 'task:P' || t.priority
             WHERE t.status IN {OPEN_TASK_STATUSES}
               AND t.priority IN ({marks})""", priorities).fetchall()
    return _with_escalations(conn, rows)


OPEN_TASK_STATUSES = "('pending', 'in_progress', 'blocked', 'review')"  # deferred: no clock


def open_tasks_with_deadlines(conn: sqlite3.Connection,
                              before: str) -> list[tuple[Task, str | None]]:
    """(task, escalated_at) for unfinished tasks whose deadline is before `before`."""
    rows = conn.execute(
        f"""SELECT t.id, e.escalated_at FROM tasks t
              LEFT JOIN sla_escalations e ON e.subject = 'task' AND e.subject_id = t.id
                    AND e.rule = 'deadline'
             WHERE t.deadline IS NOT NULL AND t.deadline < ?
               AND t.status IN {OPEN_TASK_STATUSES}""", (before,)).fetchall()
    return _with_escalations(conn, rows)


def _with_escalations(conn: sqlite3.Connection, rows) -> list[tuple[Task, str | None]]:
    escalated = dict(rows)
    tasks = tasks_by_ids(conn, list(escalated)) if escalated else []
    return [(task, escalated[task.id]) for task in tasks]


def record_escalation(conn: sqlite3.Connection, subject: str, subject_id: int, rule: str,
                      escalate_to: str, hours_over: float, at: str) -> bool:
    """Record an escalation once; False if it was already recorded (by anyone)."""
    cursor = conn.execute(
        "INSERT INTO sla_escalations (subject, subject_id, rule, escalate_to, hours_over,"
        " escalated_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (subject, subject_id, rule) DO NOTHING",
        (subject, subject_id, rule, escalate_to, hours_over, at),
    )
    return cursor.rowcount == 1


def decided_reviews_since(conn: sqlite3.Connection, since: str | None):
    """(review_type, tier, review_time_minutes) of decided reviews."""
    sql = ("SELECT r.review_type, t.review_tier, r.review_time_minutes FROM reviews r"
           " JOIN tasks t ON t.id = r.task_id"
           " WHERE r.status IN ('approved', 'rejected') AND r.review_time_minutes IS NOT NULL")
    params: list = []
    if since is not None:
        sql += " AND r.completed_at >= ?"
        params.append(since)
    return conn.execute(sql, params).fetchall()
