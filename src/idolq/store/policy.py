"""SQL for the team's policies: review tiers and reviewers, and settings."""

from __future__ import annotations

import sqlite3

from idolq.domain.policy import ReviewPolicy


def review_policy(conn: sqlite3.Connection) -> ReviewPolicy:
    reviewers = dict(conn.execute(
        "SELECT review_type, reviewer_agent FROM review_types ORDER BY review_type"))
    stages: dict[int, list[list[str]]] = {}
    for tier, stage, name in conn.execute(
            "SELECT tier, stage, review_type FROM review_stages ORDER BY tier, stage, rowid"):
        tier_stages = stages.setdefault(tier, [])
        while len(tier_stages) < stage:
            tier_stages.append([])
        tier_stages[stage - 1].append(name)
    return ReviewPolicy(
        {tier: tuple(tuple(s) for s in tier_stages if s) for tier, tier_stages in stages.items()},
        reviewers)


def replace_tier_stages(conn: sqlite3.Connection, tier: int,
                        stages: tuple[tuple[str, ...], ...]) -> None:
    conn.execute("DELETE FROM review_stages WHERE tier = ?", (tier,))
    conn.executemany(
        "INSERT INTO review_stages (tier, stage, review_type) VALUES (?, ?, ?)",
        [(tier, number, name) for number, stage in enumerate(stages, 1) for name in stage])


def delete_tier(conn: sqlite3.Connection, tier: int) -> bool:
    return conn.execute("DELETE FROM review_stages WHERE tier = ?", (tier,)).rowcount > 0


def open_tasks_with_tier(conn: sqlite3.Connection, tier: int) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM tasks WHERE review_tier = ?"
        " AND status NOT IN ('complete', 'cancelled')", (tier,)).fetchone()[0]


def set_reviewer(conn: sqlite3.Connection, review_type: str, agent: int, now: str) -> None:
    conn.execute(
        "INSERT INTO review_types (review_type, reviewer_agent, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (review_type) DO UPDATE SET reviewer_agent = excluded.reviewer_agent,"
        " updated_at = excluded.updated_at", (review_type, agent, now))


def setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_setting(conn: sqlite3.Connection, key: str, value: str, now: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key)"
        " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, value, now))
