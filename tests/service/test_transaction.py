"""One transaction helper: units of work, snapshots and migrations; savepoints when nested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from idolq.services import queries
from idolq.services.tasks import create_task
from idolq.store.schema import migrate
from idolq.store.transaction import transaction

from helpers import ACTOR, create, new


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_operations_inside_a_failing_outer_transaction_leave_nothing_behind(conn):
    before = _count(conn, "event_log")
    with pytest.raises(RuntimeError), transaction(conn):
        create_task(conn, new("first"), ACTOR)
        create_task(conn, new("second"), ACTOR)
        assert _count(conn, "tasks") == 2
        raise RuntimeError("the third command of the batch failed")
    assert not conn.in_transaction
    assert (_count(conn, "tasks"), _count(conn, "event_log")) == (0, before)


def test_operations_inside_an_outer_transaction_commit_with_it_and_log_their_events(conn):
    statements = []
    conn.set_trace_callback(statements.append)
    with transaction(conn):
        first = create_task(conn, new("first"), ACTOR)
        second = create_task(conn, new("second", depends_on=[first.id]), ACTOR)
    conn.set_trace_callback(None)
    assert [s.split()[0] for s in statements if s.split()[0] in
            ("BEGIN", "COMMIT", "ROLLBACK")] == ["BEGIN", "COMMIT"]
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 2
    assert queries.show_task(conn, second.id).task.blocked_by == [first.code]
    assert [e.type for e in queries.last_events(conn)] == ["task.created", "task.created",
                                                          "task.blocked"]


def test_a_failing_inner_operation_rolls_back_alone(conn):
    with transaction(conn):
        create(conn, title="kept")
        with pytest.raises(Exception, match="no task"):
            create(conn, title="refused", depends_on=["CONTENT-999"])
        assert conn.in_transaction
    assert [t.title for t in queries.list_tasks(conn)] == ["kept"]
    assert [e.type for e in queries.last_events(conn)] == ["task.created"]


def test_reads_begin_a_deferred_transaction(conn):
    statements = []
    conn.set_trace_callback(statements.append)
    queries.list_tasks(conn)
    conn.set_trace_callback(None)
    assert (statements[0], statements[-1]) == ("BEGIN", "COMMIT")


@pytest.mark.sqlite_only
def test_a_failing_migration_leaves_the_schema_as_it_was(conn, monkeypatch):
    from idolq.store import schema

    version = conn.execute("PRAGMA user_version").fetchone()[0]

    @schema.migrations(name="9999_broken")
    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration failed")

    try:
        with pytest.raises(RuntimeError):
            migrate(conn, "q.db")
    finally:
        schema.migrations._migrations.pop()
    assert not conn.in_transaction
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone() is None


@pytest.mark.parametrize("module", ["uow", "handlers", "notify", "tasks", "bus"])
def test_the_services_import_in_any_order(module):
    """No import cycle between the unit of work, the bus and the handlers."""
    import idolq

    source = str(Path(idolq.__file__).parents[1])
    result = subprocess.run([sys.executable, "-c", f"import idolq.services.{module}"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": source})
    assert result.returncode == 0, result.stderr[-500:]


def _broken_off(monkeypatch, times: int) -> list[int]:
    """The database breaks the next `times` transactions off (as it does to end a deadlock)
    after the task's row was changed; returns the attempts seen."""
    from idolq.services import workflow
    from idolq.store.connection import TransientError

    attempts, real = [], workflow.task_store.add_history

    def add_history(*args, **kwargs):
        attempts.append(1)
        if len(attempts) <= times:
            raise TransientError("deadlock detected; try again")
        return real(*args, **kwargs)

    monkeypatch.setattr(workflow.task_store, "add_history", add_history)
    monkeypatch.setattr("idolq.services.uow.FIRST_PAUSE", 0)
    return attempts


def test_an_operation_broken_off_by_the_database_runs_again_and_records_its_events_once(
        conn, monkeypatch):
    from idolq.services.tasks import start_task
    from idolq.services.uow import recording

    task = create(conn, title="raced")
    attempts = _broken_off(monkeypatch, times=2)
    with recording() as happened:
        started = start_task(conn, task.id, ACTOR)
    assert (started.status, len(attempts)) == ("in_progress", 3)
    assert [e.type for e in happened] == ["task.started"]
    assert [e.type for e in queries.last_events(conn)] == ["task.created", "task.started"]
    assert _count(conn, "task_history") == 2  # created, started: once


def test_an_operation_broken_off_every_time_is_refused_once_and_changes_nothing(
        conn, monkeypatch):
    from idolq.domain.errors import DatabaseContended
    from idolq.services.tasks import start_task
    from idolq.services.uow import ATTEMPTS

    task = create(conn, title="raced")
    attempts = _broken_off(monkeypatch, times=100)
    with pytest.raises(DatabaseContended, match="try again"):
        start_task(conn, task.id, ACTOR)
    assert len(attempts) == ATTEMPTS
    assert queries.show_task(conn, task.id).task.status == "pending"
    assert [e.type for e in queries.last_events(conn)] == ["task.created"]


def test_inside_an_outer_transaction_only_the_outer_one_can_start_over(conn, monkeypatch):
    from idolq.domain.errors import DatabaseContended
    from idolq.services.tasks import start_task

    task = create(conn, title="raced")
    attempts = _broken_off(monkeypatch, times=1)
    with pytest.raises(DatabaseContended), transaction(conn):
        start_task(conn, task.id, ACTOR)
    assert len(attempts) == 1
    assert queries.show_task(conn, task.id).task.status == "pending"
