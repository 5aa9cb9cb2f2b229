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
