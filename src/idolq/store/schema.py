"""The schema, as sqlite-utils migrations; PRAGMA user_version counts those applied.

The tables they create are defined in store/tables.py (shared with PostgreSQL)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from idolq.domain import policy
from idolq.domain.sla import DEFAULT_RULES
from idolq.store.schema_version import SCHEMA_VERSION
from idolq.store.tables import (
    AGENT_TABLES,
    CALENDAR_TABLES,
    CORE_INDEXES,
    CORE_TABLES,
    DEFAULT_LEASE_MINUTES,
    LEAN_DROPPED_INDEXES,
    SLA_TABLES,
    TERMINAL_TABLES,
)
from idolq.store.transaction import transaction

migrations = Migrations("idolq")


@migrations(name="0001_core")
def create_core(db: Database) -> None:
    for statement in (*CORE_TABLES, *CORE_INDEXES):
        db.execute(statement)
    db["agents"].insert_all(
        {
            "agent_number": number,
            "agent_name": name,
            "role": role,
            "max_concurrent_tasks": policy.DEFAULT_MAX_CONCURRENT_TASKS,
            "is_active": True,
        }
        for number, name, role in policy.DEFAULT_AGENTS
    )
    db["routing_rules"].insert_all(
        {"task_type": task_type, "content_type": content_type, "agent_number": agent}
        for task_type, content_type, agent in policy.DEFAULT_ROUTING
    )


def _count_triggers(table: str) -> tuple[str, ...]:
    """Triggers keeping status_counts equal to `SELECT status, COUNT(*) ... GROUP BY status`."""
    bump = (f"INSERT INTO status_counts (entity, status, n) VALUES ('{table}', NEW.status, 1)"
            " ON CONFLICT (entity, status) DO UPDATE SET n = n + 1;")
    drop = f"UPDATE status_counts SET n = n - 1 WHERE entity = '{table}' AND status = OLD.status;"
    return (
        f"CREATE TRIGGER {table}_count_insert AFTER INSERT ON {table} BEGIN {bump} END",
        f"CREATE TRIGGER {table}_count_update AFTER UPDATE OF status ON {table}"
        f" WHEN OLD.status IS NOT NEW.status BEGIN {drop} {bump} END",
        f"CREATE TRIGGER {table}_count_delete AFTER DELETE ON {table} BEGIN {drop} END",
    )


@migrations(name="0002_status_counts")
def add_status_counts(db: Database) -> None:
    """`status` must not count all history on every call: counts kept by triggers."""
    db.execute("""CREATE TABLE status_counts (
        entity TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (entity, status)
    ) WITHOUT ROWID""")
    for table in ("tasks", "reviews"):
        db.execute(f"INSERT INTO status_counts SELECT '{table}', status, COUNT(*) FROM {table}"
                   " GROUP BY status")
        for statement in _count_triggers(table):
            db.execute(statement)
    db.execute("CREATE INDEX idx_tasks_status ON tasks (status)")


@migrations(name="0003_sla_and_notifications")
def add_sla_and_notifications(db: Database) -> None:
    for statement in SLA_TABLES:
        db.execute(statement)
    db["sla_policy"].insert_all(
        {"rule": rule.key, "subject": rule.subject, "review_type": rule.review_type,
         "review_tier": rule.review_tier, "priority": rule.priority,
         "limit_minutes": rule.limit_minutes, "escalate_to": rule.escalate_to}
        for rule in DEFAULT_RULES
    )


@migrations(name="0004_review_status_index")
def add_review_status_index(db: Database) -> None:
    """Pending reviews by id without walking every review ever decided (`sla check`)."""
    db.execute("CREATE INDEX idx_reviews_status ON reviews (status)")


@migrations(name="0005_lean_indexes")
def drop_redundant_indexes(db: Database) -> None:
    """Fewer pages written per commit (see docs/performance.md)."""
    for name in LEAN_DROPPED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")


@migrations(name="0006_agents")
def add_claims_and_team_policy(db: Database) -> None:
    """Claims with leases; review tiers, stages and reviewers as data (tiers beyond 1-3)."""
    for statement in AGENT_TABLES:
        db.execute(statement)
    db["settings"].insert({"key": "lease_minutes", "value": str(DEFAULT_LEASE_MINUTES)})
    db["review_types"].insert_all({"review_type": name, "reviewer_agent": agent}
                                  for name, agent in policy.REVIEWER_AGENTS.items())
    db["review_stages"].insert_all(
        {"tier": tier, "stage": number, "review_type": name}
        for tier, stages in policy.TIER_STAGES.items()
        for number, stage in enumerate(stages, 1) for name in stage)
    relax_check(db, "tasks", "CHECK (review_tier IN (1, 2, 3))", "CHECK (review_tier >= 0)")
    relax_check(db, "reviews",
                "CHECK (review_type IN ('canon', 'cultural', 'coordinator'))",
                "REFERENCES review_types(review_type)")
    relax_check(db, "sla_policy", "CHECK (review_type IN ('canon', 'cultural', 'coordinator'))",
                "CHECK (review_type IS NULL OR length(review_type) > 0)")
    relax_check(db, "sla_policy", "CHECK (review_tier IN (1, 2, 3))", "CHECK (review_tier >= 0)")


def relax_check(db: Database, table: str, old: str, new: str) -> None:
    """Loosen a column's constraint in place (SQLite's documented writable_schema procedure
    for dropping a CHECK: no rows change, every existing row satisfies the new rule)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                     [table]).fetchone()[0]
    if old not in sql:
        raise RuntimeError(f"schema of {table} is not as expected: {old!r} not found")
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                   [sql.replace(old, new), table])
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


@migrations(name="0007_terminal")
def add_deferred_comments_and_vocabulary(db: Database) -> None:
    """`deferred` tasks, comments, and routing rules as the vocabulary of types.

    The catch-all rule (any type -> agent 0) goes: an unknown type is now refused.
    """
    _allow_task_status(db, "deferred")
    db.execute("ALTER TABLE tasks ADD COLUMN deferred_until TEXT")
    db.execute("DELETE FROM routing_rules WHERE task_type IS NULL")
    db.execute("DELETE FROM routing_rules WHERE id NOT IN (SELECT MAX(id) FROM routing_rules"
               " GROUP BY task_type, COALESCE(content_type, ''))")
    for statement in TERMINAL_TABLES:
        db.execute(statement)
    _rebuild_escalations_per_rule(db)


def _allow_task_status(db: Database, status: str) -> None:
    """Rebuild `tasks` with `status` in its CHECK (SQLite cannot alter a CHECK in place),
    keeping every column, row, index, trigger and the AUTOINCREMENT sequence."""
    conn = db.conn
    table_sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"
                             " AND name = 'tasks'").fetchone()[0]
    extras = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'tasks' AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL")]
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'tasks'").fetchone()
    new_sql, count = re.subn(r"'cancelled'\s*\)", f"'cancelled', '{status}')", table_sql, count=1)
    assert count == 1, "the tasks table has an unexpected status CHECK"
    conn.execute(new_sql.replace("CREATE TABLE tasks", "CREATE TABLE tasks_rebuilt", 1))
    conn.execute("INSERT INTO tasks_rebuilt SELECT * FROM tasks")
    conn.execute("DROP TABLE tasks")
    conn.execute("ALTER TABLE tasks_rebuilt RENAME TO tasks")
    for statement in extras:
        conn.execute(statement)
    if sequence is not None:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'tasks'", (sequence[0],))


def _rebuild_escalations_per_rule(db: Database) -> None:
    """A task may breach two rules (its priority's and its deadline): escalate each once."""
    db.execute("ALTER TABLE sla_escalations RENAME TO sla_escalations_old")
    db.execute("""CREATE TABLE sla_escalations (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL CHECK (subject IN ('review', 'task')),
        subject_id INTEGER NOT NULL,
        rule TEXT NOT NULL,
        escalate_to TEXT NOT NULL,
        hours_over REAL NOT NULL,
        escalated_at TEXT NOT NULL,
        UNIQUE (subject, subject_id, rule)
    )""")
    db.execute("INSERT INTO sla_escalations SELECT * FROM sla_escalations_old")
    db.execute("DROP TABLE sla_escalations_old")


@migrations(name="0008_calendar")
def add_calendar(db: Database) -> None:
    """The content calendar, and settings (the database's identity, the display zone)."""
    import uuid

    for statement in CALENDAR_TABLES:
        db.execute(statement)
    db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('database_uuid', ?)",
               [str(uuid.uuid4())])


assert len(migrations._migrations) == SCHEMA_VERSION, "bump schema_version.SCHEMA_VERSION"


def migrate(conn: sqlite3.Connection, path: Path | str, stop_before: str | None = None) -> int:
    """Apply pending migrations under the write lock; returns the schema version reached."""
    db = Database(conn)
    # Tables are rebuilt while rows point at them: foreign keys are checked once, at the end
    # (the pragma only takes effect outside a transaction).
    outermost = not conn.in_transaction
    if outermost:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(conn):
            migrations.apply(db, stop_before=stop_before)
            version = len(migrations.applied(db))
            conn.execute(f"PRAGMA user_version = {version}")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("FOREIGN KEY constraint failed after migrating")
    finally:
        if outermost:
            conn.execute("PRAGMA foreign_keys = ON")
    return version
