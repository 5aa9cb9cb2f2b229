"""SQL for reviews."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from idolq.domain.model import Review
from idolq.store.dialect import lock_rows, stream_rows

REVIEW_SELECT = """
SELECT r.id, r.task_id, t.task_code, r.review_type, r.reviewer_agent, r.round, r.status,
       r.requested_at, r.completed_at, r.review_time_minutes, r.notes, r.ds_rating
  FROM reviews r JOIN tasks t ON t.id = r.task_id
"""


def _review(row: sqlite3.Row) -> Review:
    return Review(**dict(row))


def find_review(conn: sqlite3.Connection, review_id: int) -> Review | None:
    row = conn.execute(f"{REVIEW_SELECT} WHERE r.id = ?{lock_rows(conn, 'r')}",
                       (review_id,)).fetchone()
    return _review(row) if row else None


def task_of_review(conn: sqlite3.Connection, review_id: int) -> int | None:
    """The id of a review's task, read without locking anything."""
    row = conn.execute("SELECT task_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
    return row[0] if row else None


def list_reviews(
    conn: sqlite3.Connection,
    status: str | Sequence[str] | None = None,
    agent: int | None = None,
    task_id: int | None = None,
    limit: int | None = None,
) -> Iterator[Review]:
    """Reviews in id order, one row at a time from the cursor."""
    where, params = [], []
    statuses = [status] if isinstance(status, str) else list(status or ())
    if statuses:
        where.append(f"r.status IN ({','.join('?' * len(statuses))})")
        params.extend(statuses)
    for clause, value in (("r.reviewer_agent = ?", agent), ("r.task_id = ?", task_id)):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = REVIEW_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return map(_review, stream_rows(conn, sql, params))


def round_reviews(conn: sqlite3.Connection, task_id: int, round_: int) -> list[Review]:
    rows = conn.execute(f"{REVIEW_SELECT} WHERE r.task_id = ? AND r.round = ? ORDER BY r.id",
                        (task_id, round_))
    return [_review(row) for row in rows]


def insert_review(conn: sqlite3.Connection, task_id: int, review_type: str, reviewer: int,
                  round_: int, now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO reviews (task_id, review_type, reviewer_agent, round, status, requested_at)"
        " VALUES (?, ?, ?, ?, 'pending', ?)",
        (task_id, review_type, reviewer, round_, now),
    )
    return cursor.lastrowid


def decide_review(conn: sqlite3.Connection, review_id: int, *, status: str, now: str,
                  minutes: float, notes: str | None, ds_rating: float | None,
                  actor: str) -> bool:
    """Record a decision on a pending review; False if it was no longer pending."""
    cursor = conn.execute(
        "UPDATE reviews SET status = ?, completed_at = ?, review_time_minutes = ?, notes = ?,"
        " ds_rating = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
        (status, now, minutes, notes, ds_rating, actor, review_id),
    )
    return cursor.rowcount == 1


def cancel_pending_reviews(conn: sqlite3.Connection, task_id: int, now: str) -> list[int]:
    rows = conn.execute(
        "UPDATE reviews SET status = 'cancelled', completed_at = ?"
        " WHERE task_id = ? AND status = 'pending' RETURNING id",
        (now, task_id),
    ).fetchall()
    return sorted(row[0] for row in rows)


def count_by_status(conn: sqlite3.Connection) -> dict[str, int]:
    """Kept by triggers (see store/schema.py), so history is not counted on every call."""
    rows = conn.execute("SELECT status, n FROM status_counts WHERE entity = 'reviews'")
    return {status: count for status, count in rows}
