"""SQL the V1 import needs beyond tasks' own: code counters, routing, dependencies, ratings."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from idolq.domain.model import Task
from idolq.store.tasks import TASK_SELECT, _task

# A DS rating recorded in V1 is kept as an approved review of round 0: before idolq's rounds.
V1_REVIEW_ROUND = 0
V1_RATING_REVIEW_TYPE = "cultural"

_CODE_NUMBER = re.compile(r"^(.+)-(\d+)[A-Z]?$")


def reserve_code(conn: sqlite3.Connection, code: str) -> None:
    """Codes allocated later never collide with `code`: its prefix's counter reaches it."""
    match = _CODE_NUMBER.match(code)
    if match is None:
        return
    conn.execute(
        "INSERT INTO task_code_counters (prefix, last_number) VALUES (?, ?)"
        " ON CONFLICT (prefix) DO UPDATE SET last_number = CASE WHEN excluded.last_number >"
        " task_code_counters.last_number THEN excluded.last_number"
        " ELSE task_code_counters.last_number END",
        (match.group(1), int(match.group(2))),
    )


def routed_task_types(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT DISTINCT task_type FROM routing_rules WHERE task_type IS NOT NULL")
    return {row[0] for row in rows}


def add_routing_rule(conn: sqlite3.Connection, task_type: str, agent: int) -> None:
    conn.execute("INSERT INTO routing_rules (task_type, content_type, agent_number)"
                 " VALUES (?, NULL, ?)", (task_type, agent))


def agent_numbers(conn: sqlite3.Connection) -> set[int]:
    return {row[0] for row in conn.execute("SELECT agent_number FROM agents")}


def dependency_codes(conn: sqlite3.Connection, task_id: int) -> dict[str, tuple[int, bool]]:
    """code -> (task id, is_resolved) of what `task_id` depends on."""
    rows = conn.execute(
        "SELECT d.task_code, d.id, td.is_resolved FROM task_dependencies td"
        " JOIN tasks d ON d.id = td.depends_on_task_id WHERE td.task_id = ?", (task_id,))
    return {code: (on_id, bool(resolved)) for code, on_id, resolved in rows}


def set_dependency_resolved(conn: sqlite3.Connection, task_id: int, on_id: int, resolved: bool,
                            now: str) -> None:
    conn.execute("UPDATE task_dependencies SET is_resolved = ?, resolved_at = ?"
                 " WHERE task_id = ? AND depends_on_task_id = ?",
                 (resolved, now if resolved else None, task_id, on_id))


def v1_rating(conn: sqlite3.Connection, task_id: int) -> float | None:
    row = conn.execute("SELECT ds_rating FROM reviews WHERE task_id = ? AND round = ?"
                       " AND review_type = ?",
                       (task_id, V1_REVIEW_ROUND, V1_RATING_REVIEW_TYPE)).fetchone()
    return row[0] if row else None


def set_v1_rating(conn: sqlite3.Connection, task_id: int, rating: float | None, reviewer: int,
                  at: str, actor: str) -> None:
    """The task's V1 DS rating as an approved review of round 0 (removed when None)."""
    conn.execute("DELETE FROM reviews WHERE task_id = ? AND round = ? AND review_type = ?",
                 (task_id, V1_REVIEW_ROUND, V1_RATING_REVIEW_TYPE))
    if rating is None:
        return
    conn.execute(
        "INSERT INTO reviews (task_id, review_type, reviewer_agent, round, status, requested_at,"
        " completed_at, notes, ds_rating, decided_by)"
        " VALUES (?, ?, ?, ?, 'approved', ?, ?, 'DS rating recorded in V1', ?, ?)",
        (task_id, V1_RATING_REVIEW_TYPE, reviewer, V1_REVIEW_ROUND, at, at, rating, actor),
    )


def assigned_agents(conn: sqlite3.Connection) -> list[int | None]:
    """The agents that have tasks, in number order (None, for unassigned tasks, last)."""
    rows = conn.execute("SELECT assigned_agent FROM tasks GROUP BY assigned_agent"
                        " ORDER BY assigned_agent IS NULL, assigned_agent")
    return [row[0] for row in rows]


def tasks_of_agent(conn: sqlite3.Connection, agent: int | None) -> Iterator[Task]:
    """An agent's tasks (or the unassigned ones) in id order, from the cursor."""
    if agent is None:
        rows = conn.execute(f"{TASK_SELECT} WHERE t.assigned_agent IS NULL ORDER BY t.id")
    else:
        rows = conn.execute(f"{TASK_SELECT} WHERE t.assigned_agent = ? ORDER BY t.id", (agent,))
    return map(_task, rows)
