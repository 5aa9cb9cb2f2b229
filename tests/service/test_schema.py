"""Creating, discovering and upgrading the database."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils.migrations import Migrations

from idolq.domain.errors import DatabaseNotFound, DatabaseUnavailable
from idolq.services.setup import init_database
from idolq.store import schema
from idolq.store.connection import connect, locate, open_database
from idolq.store.schema_version import SCHEMA_VERSION

from conftest import edit_by_hand


def test_init_creates_a_wal_database_with_a_version_agents_and_routing(tmp_path):
    result = init_database(tmp_path / "new.db")
    assert (result.schema_version, result.agents, result.created) == (SCHEMA_VERSION, 10, True)
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT COUNT(*) FROM routing_rules").fetchone()[0] > 10
    names = dict(conn.execute("SELECT agent_number, agent_name FROM agents"))
    assert (names[0], names[8], names[9]) == ("Coordinator", "Lore Guardian", "Resident Degen")
    assert {row[0] for row in conn.execute("SELECT max_concurrent_tasks FROM agents")} == {3}


def test_init_twice_keeps_the_data(tmp_path):
    path = tmp_path / "q.db"
    init_database(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE agents SET agent_name = 'Renamed' WHERE agent_number = 1")
    conn.commit()
    again = init_database(path)
    assert again.created is False
    assert conn.execute("SELECT agent_name FROM agents WHERE agent_number = 1").fetchone()[0] == \
        "Renamed"


@pytest.mark.parametrize("query", [
    "SELECT * FROM tasks WHERE assigned_agent = 2 AND status = 'pending' "
    "ORDER BY priority, deadline",
    "SELECT reviewer_agent, COUNT(*) AS pending FROM reviews WHERE status = 'pending' "
    "GROUP BY reviewer_agent",
    "SELECT t.task_code, td.depends_on_task_id FROM tasks t JOIN task_dependencies td "
    "ON t.id = td.task_id WHERE t.status = 'blocked' AND td.is_resolved = FALSE",
    "SELECT * FROM event_log ORDER BY timestamp DESC LIMIT 50",
    "SELECT * FROM webhook_triggers WHERE is_active = TRUE",
    "SELECT task_code, status, priority, assigned_agent, review_tier, created_at FROM tasks",
    "SELECT review_type, reviewer_agent, status, ds_rating, requested_at, review_time_minutes "
    "FROM reviews",
    "SELECT task_id, depends_on_task_id, is_resolved, resolved_at FROM task_dependencies",
    "SELECT agent_number, agent_name, max_concurrent_tasks FROM agents",
    "SELECT event_type, payload, source, timestamp FROM event_log",
    "SELECT trigger_event, action_type, action_config, is_active, last_triggered "
    "FROM webhook_triggers",
    "SELECT task_id, from_status, to_status, actor, changed_at FROM task_history",
])
def test_the_documented_queries_run_unchanged(db_path, query):
    edit_by_hand(db_path, query)  # as typed in the database's own shell (sqlite3, psql)


@pytest.mark.sqlite_only  # SQLite's migrations (PostgreSQL's: test_postgresql_backend)
def test_an_older_database_is_upgraded_in_place_when_opened(db_path, monkeypatch):
    from idolq.store import schema_version

    from helpers import create

    with open_database(db_path) as conn:
        create(conn)
    newer = Migrations("idolq")
    newer._migrations = list(schema.migrations._migrations)

    @newer(name="9999_test_column")
    def add_column(db):
        db.execute("ALTER TABLE tasks ADD COLUMN upgraded_marker TEXT DEFAULT 'yes'")

    monkeypatch.setattr(schema, "migrations", newer)
    monkeypatch.setattr(schema_version, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    upgraded = open_database(db_path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    row = upgraded.execute("SELECT task_code, upgraded_marker FROM tasks").fetchone()
    assert tuple(row) == ("CONTENT-001", "yes")


@pytest.mark.sqlite_only  # the version in the file's header (see test_postgresql_backend)
def test_a_database_from_a_newer_idolq_is_refused(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(DatabaseUnavailable, match="newer"):
        open_database(db_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite, just some text " * 100)
    with pytest.raises(DatabaseUnavailable, match="not a usable idolq database"):
        open_database(path)


def test_a_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE stuff (x)")
    other.close()
    with pytest.raises(DatabaseUnavailable, match="not an idolq database"):
        open_database(path)
    with pytest.raises(DatabaseUnavailable, match="not an idolq one"):
        init_database(path)


def test_discovery_prefers_the_flag_then_the_environment_then_the_nearest_folder(
        tmp_path, monkeypatch):
    outer = tmp_path / "project"
    nested = outer / "a" / "b"
    nested.mkdir(parents=True)
    init_database(outer / ".idolq" / "idolq.db")
    monkeypatch.chdir(nested)
    assert locate() == outer / ".idolq" / "idolq.db"
    other = tmp_path / "other.db"
    init_database(other)
    monkeypatch.setenv("IDOLQ_DB", str(other))
    assert locate() == other
    flagged = tmp_path / "flag.db"
    init_database(flagged)
    assert locate(flagged) == flagged


def test_no_database_is_reported_and_none_is_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseNotFound, match="idolq init"):
        open_database()
    with pytest.raises(DatabaseNotFound, match="idolq init"):
        open_database(tmp_path / "missing.db")
    assert list(tmp_path.iterdir()) == []


def test_a_version_one_database_with_work_in_it_upgrades_with_correct_status_counts(tmp_path):
    from helpers import create, submit

    path = tmp_path / "v1.db"
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, path, stop_before="0002_status_counts")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    from idolq.services.tasks import NewTask, create_task

    # Work written by idolq 0.1 (schema 1): no status_counts table yet.
    conn.execute("BEGIN")
    for n in range(3):
        conn.execute(
            "INSERT INTO tasks (task_code, title, task_type, status, priority, created_by,"
            " created_at, updated_at) VALUES (?, 't', 'lore', ?, 2, 'x', 'now', 'now')",
            (f"OLD-00{n + 1}", "complete" if n else "pending"))
    conn.execute("COMMIT")
    conn.close()
    upgraded = open_database(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    from idolq.services.queries import status

    assert status(upgraded).tasks["complete"] == 2
    create_task(upgraded, NewTask("new", "lore"), "agent:01")
    submit(upgraded, create(upgraded, task_type="lore").id)
    assert status(upgraded).tasks == {"pending": 2, "in_progress": 0, "blocked": 0,
                                      "review": 0, "complete": 3, "cancelled": 0, "deferred": 0}


def test_a_version_five_database_with_reviews_upgrades_to_policy_as_data(tmp_path):
    from idolq.services.team import set_reviewer, set_tier_stages

    from helpers import approve_review, create, pending_reviews, reviewer, submit

    path = tmp_path / "v5.db"
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, path, stop_before="0006_agents")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.execute("BEGIN")
    conn.execute("INSERT INTO tasks (task_code, title, task_type, status, priority,"
                 " assigned_agent, review_tier, review_round, created_by, created_at,"
                 " updated_at) VALUES ('OLD-001', 't', 'content', 'review', 2, 2, 3, 1, 'x',"
                 " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO reviews (task_id, review_type, reviewer_agent, round, status,"
                 " requested_at) VALUES (1, 'coordinator', 0, 1, 'pending',"
                 " '2026-01-01T00:00:00+00:00')")
    conn.execute("COMMIT")
    conn.close()
    upgraded = open_database(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
    approve_review(upgraded, 1, "agent:00")  # work from before the upgrade finishes
    assert upgraded.execute("SELECT status FROM tasks WHERE id = 1").fetchone()[0] == "complete"
    set_reviewer(upgraded, "legal", 5, "human:lead")
    set_tier_stages(upgraded, 0, "legal", "human:lead")
    task = create(upgraded, review_tier=0)
    submit(upgraded, task.id)
    review_id = pending_reviews(upgraded, task.id)["legal"]
    approve_review(upgraded, review_id, reviewer(upgraded, review_id))
    with pytest.raises(sqlite3.IntegrityError):
        upgraded.execute("UPDATE tasks SET review_tier = -1 WHERE id = 1")


def test_the_terminal_migration_keeps_work_drops_the_catch_all_and_allows_deferred(tmp_path):
    """A schema-6 database: its tasks, their dependencies, reviews,
    escalations, indexes and counting triggers survive the rebuild of `tasks`."""
    from idolq.services.queries import status
    from idolq.services.task_edits import defer_task

    from helpers import create, submit

    path = tmp_path / "v4.db"
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, path, stop_before="0007_terminal")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO tasks (task_code, title, task_type, status, priority, created_by,"
                 " created_at, updated_at) VALUES ('OLD-001', 't', 'lore', 'pending', 2, 'x',"
                 " 'now', 'now')")
    conn.execute("INSERT INTO tasks (task_code, title, task_type, status, priority, created_by,"
                 " created_at, updated_at) VALUES ('OLD-002', 't', 'lore', 'blocked', 2, 'x',"
                 " 'now', 'now')")
    conn.execute("INSERT INTO task_dependencies (task_id, depends_on_task_id, created_at)"
                 " VALUES (2, 1, 'now')")
    conn.execute("INSERT INTO sla_escalations (subject, subject_id, rule, escalate_to,"
                 " hours_over, escalated_at) VALUES ('task', 1, 'task:P2', 'human', 1, 'now')")
    conn.execute("INSERT INTO routing_rules (task_type, content_type, agent_number)"
                 " VALUES (NULL, NULL, 0)")  # the first version's catch-all
    conn.execute("COMMIT")
    indexes_before = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'tasks' AND sql IS NOT NULL")}
    conn.close()

    upgraded = open_database(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert upgraded.execute("SELECT COUNT(*) FROM routing_rules WHERE task_type IS NULL"
                            ).fetchone()[0] == 0
    after = {row[0] for row in upgraded.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'tasks' AND sql IS NOT NULL")}
    assert indexes_before <= after
    assert upgraded.execute("SELECT COUNT(*) FROM sla_escalations").fetchone()[0] == 1
    assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
    defer_task(upgraded, "OLD-002", "human:lead")
    submit(upgraded, create(upgraded, task_type="lore").id)
    assert status(upgraded).tasks == {"pending": 1, "in_progress": 0, "blocked": 0,
                                      "review": 0, "complete": 1, "cancelled": 0,
                                      "deferred": 1}
    assert create(upgraded, task_type="lore").id == 4  # ids keep counting
