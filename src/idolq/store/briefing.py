"""SQL for an agent's briefing (`idolq prime`): counts and the notes of work sent back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from idolq.domain.model import Review
from idolq.store.reviews import REVIEW_SELECT


def count_ready(conn: sqlite3.Connection, agent: int) -> int:
    return conn.execute("SELECT COUNT(*) FROM tasks WHERE status = 'pending'"
                        " AND assigned_agent = ?", (agent,)).fetchone()[0]


def count_pending_reviews(conn: sqlite3.Connection, agent: int) -> int:
    return conn.execute("SELECT COUNT(*) FROM reviews WHERE status = 'pending'"
                        " AND reviewer_agent = ?", (agent,)).fetchone()[0]


def rejections(conn: sqlite3.Connection, rounds: Sequence[tuple[int, int]]) -> list[Review]:
    """The rejected reviews of each (task_id, round)."""
    if not rounds:
        return []
    pairs = " OR ".join("(r.task_id = ? AND r.round = ?)" for _ in rounds)
    rows = conn.execute(f"{REVIEW_SELECT} WHERE r.status = 'rejected' AND ({pairs})"
                        " ORDER BY r.id", [value for pair in rounds for value in pair])
    return [Review(**dict(row)) for row in rows]
