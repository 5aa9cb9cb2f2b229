"""Nothing a hot command runs scans all history: checked on the query plans themselves.

The benchmarks time this at a million tasks; this test fails as soon as a query's plan
would walk a history table, whatever the machine.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC

import pytest

from idolq.services import calendar, notify, queries
from idolq.services.metrics import measure
from idolq.services.sla import check_sla

from helpers import create, submit

HISTORY_TABLES = ("tasks", "reviews", "event_log", "task_dependencies", "task_history",
                  "notifications", "calendar_items")
# Plans name a table by its alias in the query: t and d are tasks, r reviews, td dependencies,
# e and w events, c calendar items.
HISTORY_NAMES = (*HISTORY_TABLES, "t", "d", "r", "td", "h", "n", "e", "w", "c")


@pytest.fixture
def history(conn):
    """Thousands of finished tasks and decided reviews, a few open ones, and statistics."""
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO tasks (task_code, title, task_type, status, priority, review_tier,"
        " created_by, created_at, updated_at) VALUES (?, 't', 'content', 'complete', 1, 3, 'x',"
        " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
        [(f"OLD-{n}",) for n in range(3000)])
    conn.execute("INSERT INTO reviews (task_id, review_type, reviewer_agent, round, status,"
                 " requested_at) SELECT id, 'coordinator', 0, 1, 'approved', created_at"
                 " FROM tasks")
    conn.execute("INSERT INTO calendar_items (content_id, task_id, scheduled_at, status,"
                 " published_at, created_by, created_at, updated_at) SELECT task_code, id,"
                 " created_at, 'published', created_at, 'x', created_at, created_at FROM tasks")
    conn.execute("INSERT INTO event_log (event_type, payload, source, actor, timestamp,"
                 " task_id) SELECT 'task.created', '{}', 'x', 'x', created_at, id FROM tasks")
    conn.execute("COMMIT")
    for _ in range(3):
        submit(conn, create(conn, review_tier=3, priority=0).id)
    conn.execute("ANALYZE")
    return conn


def _statements(conn: sqlite3.Connection, operation) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        operation()
    finally:
        conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def _scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """Plan steps that walk a history table, except a walk in id order that a LIMIT stops
    (`ORDER BY id DESC LIMIT 20` with no filter reads 20 rows)."""
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    bounded = ("LIMIT" in sql.upper() and not any("TEMP B-TREE" in step for step in plan)
               and (" WHERE " not in sql.upper() or " WHERE 1 " in sql.upper()))
    scans = [step for step in plan if step.startswith("SCAN ")
             and step.split()[1] in HISTORY_NAMES
             and not (bounded and step.split()[1:] in (["event_log"], ["tasks"], ["t"]))]
    return scans


def _report():
    from idolq.cli.report_page import render_page
    from idolq.services.report import gather

    return lambda conn: render_page(gather(conn))


@pytest.mark.parametrize("name", ["status", "ready", "pending list", "events tail",
                                  "sla check", "pending reviews", "agents", "task show",
                                  "metrics", "report", "calendar list"])
def test_hot_reads_use_indexes_not_history_scans(history, name):
    operation = {
        "status": lambda: queries.status(history),
        "ready": lambda: queries.ready_tasks(history),
        "pending list": lambda: queries.list_tasks(history, ["pending"], limit=50),
        "events tail": lambda: queries.last_events(history, 20),
        "sla check": lambda: check_sla(history, "cron", dry_run=True),
        "pending reviews": lambda: queries.list_reviews(history, status="pending"),
        "agents": lambda: queries.list_agents(history),
        "task show": lambda: queries.show_task(history, "CONTENT-001"),
        "metrics": lambda: measure(history, UTC),
        "report": lambda: _report()(history),
        "calendar list": lambda: calendar.list_items(history, "2026-11-01T00:00:00+00:00"),
    }[name]
    statements = _statements(history, operation)
    assert statements, "the trace saw the queries"
    for sql in statements:
        assert _scans(history, sql) == [], sql


def test_the_plan_check_notices_a_scan(history):
    assert _scans(history, "SELECT * FROM reviews WHERE notes = 'x'") != []


def test_the_plan_check_notices_pending_reviews_read_without_their_index(history):
    history.execute("DROP INDEX idx_reviews_status")
    statements = _statements(history, lambda: check_sla(history, "cron", dry_run=True))
    assert any(_scans(history, sql) for sql in statements)


def _plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


LISTINGS = {
    "task list": lambda c: queries.iter_tasks(c),
    "task list --status complete": lambda c: queries.iter_tasks(c, ["complete"]),
    "task list --status pending --status review":
        lambda c: queries.iter_tasks(c, ["pending", "review"]),
    "task list --type content": lambda c: queries.iter_tasks(c, task_type="content"),
    "task list --agent 2": lambda c: queries.iter_tasks(c, agent=2),
    "task ready": lambda c: queries.iter_ready_tasks(c),
    "review list": lambda c: queries.iter_reviews(c),
    "review list --status approved": lambda c: queries.iter_reviews(c, status="approved"),
    "review list --agent 0": lambda c: queries.iter_reviews(c, agent=0),
    "review list --task OLD-7": lambda c: queries.iter_reviews(c, task_ref="OLD-7"),
    "events tail -n 100000": lambda c: queries.iter_last_events(c, 100_000),
    "events tail --type task.created": lambda c: queries.iter_last_events(c, 50, "task.created"),
    "events tail --type task.*": lambda c: queries.iter_last_events(c, 50, "task.*"),
    "events tail --since": lambda c: queries.iter_last_events(c, 50, None,
                                                             "2026-01-01T00:00:00+00:00"),
    "notify list": lambda c: notify.iter_notifications(c),
    "notify list --status sent --limit 50": lambda c: notify.iter_notifications(c, "sent", 50),
}
# These sort a set bounded by the open work, not by history: the pending tasks by urgency,
# one task's reviews by id.
SORTS_A_SMALL_SET = {"task ready", "review list --task OLD-7"}


@pytest.mark.parametrize("name", LISTINGS)
def test_every_listing_streams_in_order_with_indexed_subqueries(history, name):
    """No listing sorts its whole result before the first row (it streams from the cursor),
    and the per-row subqueries (depends_on, blocked_by) look rows up by index."""
    statements = _statements(history, lambda: list(LISTINGS[name](history)))
    assert statements, "the trace saw the queries"
    for sql in statements:
        plan = _plan(history, sql)
        bounded = " LIMIT " in sql.upper()  # a sort under LIMIT keeps only LIMIT rows
        if name not in SORTS_A_SMALL_SET and not bounded:
            assert not [step for step in plan if "TEMP B-TREE" in step], (sql, plan)
        per_row = [step for step in plan if step.split()[:2] in (["SCAN", "td"], ["SCAN", "d"])]
        assert per_row == [], (sql, plan)


def test_the_listing_check_notices_a_sort_of_the_whole_result(history):
    plan = _plan(history, "SELECT * FROM tasks ORDER BY title")
    assert [step for step in plan if "TEMP B-TREE" in step]


def test_metrics_read_events_by_time_or_task_never_by_type(history):
    """The type index would walk every event of a type ever logged: a window must not."""
    statements = _statements(history, lambda: measure(history, UTC))
    reads = [step for sql in statements if "event_log" in sql
             for step in (row[3] for row in history.execute(f"EXPLAIN QUERY PLAN {sql}"))
             if step.split()[1:2] in (["e"], ["w"])]
    assert reads and all("idx_event_log_timestamp" in step or "idx_event_log_task" in step
                         for step in reads), reads


def test_the_plan_check_notices_metrics_read_without_the_timestamp_index(history):
    history.execute("DROP INDEX idx_event_log_timestamp")
    statements = _statements(history, lambda: measure(history, UTC))
    assert any(_scans(history, sql) for sql in statements)
