"""SQL for comments on tasks."""

from __future__ import annotations

import sqlite3

from idolq.domain.model import Comment


def add_comment(conn: sqlite3.Connection, task_id: int, text: str, actor: str,
                now: str) -> Comment:
    cursor = conn.execute("INSERT INTO task_comments (task_id, text, actor, created_at)"
                          " VALUES (?, ?, ?, ?)", (task_id, text, actor, now))
    return Comment(cursor.lastrowid, task_id, text, actor, now)


def task_comments(conn: sqlite3.Connection, task_id: int) -> list[Comment]:
    rows = conn.execute("SELECT id, task_id, text, actor, created_at FROM task_comments"
                        " WHERE task_id = ? ORDER BY id", (task_id,))
    return [Comment(*row) for row in rows]
