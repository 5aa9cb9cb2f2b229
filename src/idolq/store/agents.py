"""SQL for agents and routing rules."""

from __future__ import annotations

import sqlite3

from idolq.domain.model import Agent
from idolq.store.dialect import lock_rows

AGENT_SELECT = """
SELECT a.agent_number AS number, a.agent_name AS name, a.role, a.max_concurrent_tasks,
       (SELECT COUNT(*) FROM tasks t
         WHERE t.assigned_agent = a.agent_number AND t.status = 'in_progress') AS active_tasks,
       (SELECT COUNT(*) FROM reviews r
         WHERE r.reviewer_agent = a.agent_number AND r.status = 'pending') AS pending_reviews,
       a.is_active
  FROM agents a
"""


def _agent(row: sqlite3.Row) -> Agent:
    values = dict(row)
    values["is_active"] = bool(values["is_active"])
    return Agent(**values)


def list_agents(conn: sqlite3.Connection) -> list[Agent]:
    return [_agent(row) for row in conn.execute(AGENT_SELECT + " ORDER BY a.agent_number")]


def agent_name(conn: sqlite3.Connection, number: int) -> str | None:
    row = conn.execute("SELECT agent_name FROM agents WHERE agent_number = ?",
                       (number,)).fetchone()
    return row[0] if row else None


def agent_numbers(conn: sqlite3.Connection) -> set[int]:
    return {row[0] for row in conn.execute("SELECT agent_number FROM agents")}


def agent_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM agents").fetchone()[0]


def routing_rules(conn: sqlite3.Connection) -> list[tuple[str, str | None, int]]:
    """(task_type, content_type or None for any, agent), by type then content type."""
    rows = conn.execute("SELECT task_type, content_type, agent_number FROM routing_rules"
                        " WHERE task_type IS NOT NULL"
                        " ORDER BY task_type, content_type IS NOT NULL, content_type")
    return [tuple(row) for row in rows]


def find_agent(conn: sqlite3.Connection, number: int) -> Agent | None:
    # In a write on PostgreSQL, claims and starts for one agent take turns (its capacity).
    row = conn.execute(AGENT_SELECT + f" WHERE a.agent_number = ?{lock_rows(conn, 'a')}",
                       (number,)).fetchone()
    return _agent(row) if row else None


def active_task_codes(conn: sqlite3.Connection, number: int) -> list[str]:
    rows = conn.execute("SELECT task_code FROM tasks WHERE assigned_agent = ?"
                        " AND status = 'in_progress' ORDER BY id", (number,))
    return [row[0] for row in rows]


def insert_agent(conn: sqlite3.Connection, number: int, name: str, role: str,
                 max_tasks: int) -> None:
    conn.execute("INSERT INTO agents (agent_number, agent_name, role, max_concurrent_tasks,"
                 " is_active) VALUES (?, ?, ?, ?, TRUE)", (number, name, role, max_tasks))


AGENT_COLUMNS = {"name": "agent_name", "role": "role",
                 "max_concurrent_tasks": "max_concurrent_tasks", "is_active": "is_active"}


def update_agent(conn: sqlite3.Connection, number: int, **values) -> None:
    assignments = ", ".join(f"{AGENT_COLUMNS[key]} = ?" for key in values)
    conn.execute(f"UPDATE agents SET {assignments} WHERE agent_number = ?",
                 [*values.values(), number])


def set_route(conn: sqlite3.Connection, task_type: str, content_type: str | None,
              agent: int) -> int | None:
    """Insert or change a rule; returns the agent it had before (None if new)."""
    before = _route_agent(conn, task_type, content_type)
    if before is None:
        conn.execute("INSERT INTO routing_rules (task_type, content_type, agent_number)"
                     " VALUES (?, ?, ?)", (task_type, content_type, agent))
    else:
        conn.execute("UPDATE routing_rules SET agent_number = ? WHERE task_type = ?"
                     " AND content_type IS ?", (agent, task_type, content_type))
    return before


def remove_route(conn: sqlite3.Connection, task_type: str, content_type: str | None
                 ) -> int | None:
    """Delete a rule; returns the agent it named (None if there was no such rule)."""
    before = _route_agent(conn, task_type, content_type)
    conn.execute("DELETE FROM routing_rules WHERE task_type = ? AND content_type IS ?",
                 (task_type, content_type))
    return before


def _route_agent(conn: sqlite3.Connection, task_type: str, content_type: str | None
                 ) -> int | None:
    row = conn.execute("SELECT agent_number FROM routing_rules WHERE task_type = ?"
                       " AND content_type IS ?", (task_type, content_type)).fetchone()
    return row[0] if row else None
