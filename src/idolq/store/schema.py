"""The schema, as sqlite-utils migrations; PRAGMA user_version counts those applied."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from idolq.domain import policy
from idolq.domain.sla import DEFAULT_RULES
from idolq.store.schema_version import SCHEMA_VERSION
from idolq.store.transaction import transaction

migrations = Migrations("idolq")

CORE_TABLES = (
    """CREATE TABLE agents (
        agent_number INTEGER PRIMARY KEY,
        agent_name TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        max_concurrent_tasks INTEGER NOT NULL DEFAULT 3 CHECK (max_concurrent_tasks >= 0),
        is_active BOOLEAN NOT NULL DEFAULT TRUE
    )""",
    """CREATE TABLE routing_rules (
        id INTEGER PRIMARY KEY,
        task_type TEXT,
        content_type TEXT,
        agent_number INTEGER NOT NULL REFERENCES agents(agent_number)
    )""",
    """CREATE TABLE task_code_counters (
        prefix TEXT PRIMARY KEY,
        last_number INTEGER NOT NULL
    )""",
    """CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_code TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT,
        task_type TEXT NOT NULL,
        content_type TEXT,
        status TEXT NOT NULL CHECK (status IN
            ('pending', 'in_progress', 'blocked', 'review', 'complete', 'cancelled')),
        priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
        assigned_agent INTEGER REFERENCES agents(agent_number),
        review_tier INTEGER CHECK (review_tier IN (1, 2, 3)),
        review_round INTEGER NOT NULL DEFAULT 0,
        estimated_hours REAL,
        output_file TEXT,
        deadline TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        completed_at TEXT,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE task_dependencies (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id),
        depends_on_task_id INTEGER NOT NULL REFERENCES tasks(id),
        is_resolved BOOLEAN NOT NULL DEFAULT FALSE,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (task_id, depends_on_task_id),
        CHECK (task_id != depends_on_task_id)
    )""",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES tasks(id),
        review_type TEXT NOT NULL CHECK (review_type IN ('canon', 'cultural', 'coordinator')),
        reviewer_agent INTEGER REFERENCES agents(agent_number),
        round INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
        requested_at TEXT NOT NULL,
        completed_at TEXT,
        review_time_minutes REAL,
        notes TEXT,
        ds_rating REAL CHECK (ds_rating BETWEEN 0 AND 4),
        decided_by TEXT,
        UNIQUE (task_id, round, review_type)
    )""",
    """CREATE TABLE task_history (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id),
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        note TEXT
    )""",
    # Append-only: rowids only grow, so ids increase without AUTOINCREMENT's extra write.
    """CREATE TABLE event_log (
        id INTEGER PRIMARY KEY,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        source TEXT NOT NULL,
        actor TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        task_id INTEGER,
        review_id INTEGER
    )""",
    """CREATE TABLE webhook_triggers (
        id INTEGER PRIMARY KEY,
        trigger_event TEXT NOT NULL,
        action_type TEXT NOT NULL,
        action_config TEXT NOT NULL DEFAULT '{}',
        is_active BOOLEAN NOT NULL DEFAULT TRUE,
        last_triggered TEXT,
        created_at TEXT
    )""",
)

CORE_INDEXES = (
    "CREATE INDEX idx_tasks_status_priority ON tasks (status, priority, deadline, created_at)",
    "CREATE INDEX idx_tasks_agent_status ON tasks (assigned_agent, status)",
    "CREATE INDEX idx_tasks_type ON tasks (task_type)",
    "CREATE INDEX idx_task_dependencies_on ON task_dependencies (depends_on_task_id, is_resolved)",
    "CREATE INDEX idx_reviews_status_reviewer ON reviews (status, reviewer_agent)",
    "CREATE INDEX idx_reviews_task ON reviews (task_id, round)",
    "CREATE INDEX idx_task_history_task ON task_history (task_id)",
    "CREATE INDEX idx_event_log_task ON event_log (task_id)",
    "CREATE INDEX idx_event_log_type ON event_log (event_type)",
    "CREATE INDEX idx_event_log_timestamp ON event_log (timestamp)",
    "CREATE INDEX idx_webhook_triggers_event ON webhook_triggers (trigger_event, is_active)",
)


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


SLA_TABLES = (
    """CREATE TABLE sla_policy (
        rule TEXT PRIMARY KEY,
        subject TEXT NOT NULL CHECK (subject IN ('review', 'task')),
        review_type TEXT CHECK (review_type IN ('canon', 'cultural', 'coordinator')),
        review_tier INTEGER CHECK (review_tier IN (1, 2, 3)),
        priority INTEGER CHECK (priority BETWEEN 0 AND 3),
        limit_minutes REAL NOT NULL CHECK (limit_minutes > 0),
        escalate_to TEXT NOT NULL,
        updated_at TEXT
    )""",
    """CREATE TABLE sla_escalations (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL CHECK (subject IN ('review', 'task')),
        subject_id INTEGER NOT NULL,
        rule TEXT NOT NULL,
        escalate_to TEXT NOT NULL,
        hours_over REAL NOT NULL,
        escalated_at TEXT NOT NULL,
        UNIQUE (subject, subject_id)
    )""",
    """CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES event_log(id),
        trigger_id INTEGER NOT NULL REFERENCES webhook_triggers(id),
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    )""",
    "CREATE INDEX idx_notifications_status ON notifications (status, next_attempt_at)",
)


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


# Indexes that every status change had to rewrite, for reads the remaining ones serve as well:
# the open set (pending, in progress, review) is small, and idx_tasks_status / idx_reviews_status
# find it in id order; sorting it by priority or filtering it by agent costs less than writing
# two more index entries on every transition. Nothing in idolq reads task_history by task
# (`task show` reads the event log, indexed by task).
LEAN_DROPPED_INDEXES = ("idx_tasks_status_priority", "idx_tasks_agent_status",
                        "idx_reviews_status_reviewer", "idx_task_history_task")


@migrations(name="0005_lean_indexes")
def drop_redundant_indexes(db: Database) -> None:
    """Fewer pages written per commit (see docs/performance.md)."""
    for name in LEAN_DROPPED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")


AGENT_TABLES = (
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT
    )""",
    """CREATE TABLE review_types (
        review_type TEXT PRIMARY KEY,
        reviewer_agent INTEGER NOT NULL REFERENCES agents(agent_number),
        updated_at TEXT
    )""",
    """CREATE TABLE review_stages (
        tier INTEGER NOT NULL CHECK (tier >= 0),
        stage INTEGER NOT NULL CHECK (stage >= 1),
        review_type TEXT NOT NULL REFERENCES review_types(review_type),
        PRIMARY KEY (tier, review_type)
    )""",
    "ALTER TABLE tasks ADD COLUMN claimed_by TEXT",
    "ALTER TABLE tasks ADD COLUMN lease_expires_at TEXT",
    "CREATE INDEX idx_tasks_lease ON tasks (lease_expires_at) WHERE lease_expires_at IS NOT NULL",
)
DEFAULT_LEASE_MINUTES = 120


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


TERMINAL_TABLES = (
    """CREATE TABLE task_comments (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id),
        text TEXT NOT NULL,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX idx_task_comments_task ON task_comments (task_id)",
    # One rule per (task type, content type); NULL content type means "any".
    "CREATE UNIQUE INDEX idx_routing_rules_types ON routing_rules"
    " (task_type, COALESCE(content_type, ''))",
    "CREATE INDEX idx_tasks_deferred_until ON tasks (deferred_until)"
    " WHERE deferred_until IS NOT NULL",
    "CREATE INDEX idx_tasks_deadline ON tasks (deadline) WHERE deadline IS NOT NULL",
)


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


CALENDAR_TABLES = (
    """CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE calendar_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        content_id TEXT,
        task_id INTEGER NOT NULL REFERENCES tasks(id),
        scheduled_at TEXT NOT NULL,
        platform TEXT,
        pillar TEXT,
        status TEXT NOT NULL CHECK (status IN ('scheduled', 'published', 'cancelled')),
        published_at TEXT,
        platform_post_id TEXT,
        url TEXT,
        likes INTEGER CHECK (likes >= 0),
        reposts INTEGER CHECK (reposts >= 0),
        comments INTEGER CHECK (comments >= 0),
        impressions INTEGER CHECK (impressions >= 0),
        stats_updated_at TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX idx_calendar_items_scheduled ON calendar_items (scheduled_at)",
    "CREATE INDEX idx_calendar_items_task ON calendar_items (task_id, status)",
)


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
