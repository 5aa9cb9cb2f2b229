"""The tables both backends create, as SQLite DDL: store/schema.py's migrations run it,
store/pg_schema.py translates it. History is frozen: a migration's DDL never changes here,
a new migration brings new constants. No third-party import (PostgreSQL needs no sqlite-utils).
"""

from __future__ import annotations

# 0001_core
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


# 0003_sla_and_notifications
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


# 0005_lean_indexes
# Indexes that every status change had to rewrite, for reads the remaining ones serve as well:
# the open set (pending, in progress, review) is small, and idx_tasks_status / idx_reviews_status
# find it in id order; sorting it by priority or filtering it by agent costs less than writing
# two more index entries on every transition. Nothing in idolq reads task_history by task
# (`task show` reads the event log, indexed by task).
LEAN_DROPPED_INDEXES = ("idx_tasks_status_priority", "idx_tasks_agent_status",
                        "idx_reviews_status_reviewer", "idx_task_history_task")


# 0006_agents
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


# 0007_terminal
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


# 0008_calendar
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
