"""PostgreSQL's row locks: operations that collide are run again, and lock in one order."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from idolq.services import queries
from idolq.services.uow import ATTEMPTS

from conftest import run_idolq, table_snapshot
from helpers import ACTOR, create, pending_reviews, reviewer, submit

pytestmark = pytest.mark.postgresql

# Two `task start`s that each lock their own task, wait until both have, then lock the
# other's: a deadlock the server breaks by refusing one of them. `arrivals` counts the
# attempts (a sequence: it is not rolled back with them).
COLLIDE = """
CREATE SEQUENCE arrivals;
CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'in_progress' AND OLD.status = 'pending' THEN
    PERFORM nextval('arrivals');
    FOR i IN 1..200 LOOP
      EXIT WHEN (SELECT last_value FROM arrivals) >= 2;
      PERFORM pg_sleep(0.05);
    END LOOP;
    PERFORM 1 FROM tasks WHERE id = 3 - NEW.id FOR UPDATE;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER collide BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION collide();
"""

# Every attempt to start a task is broken off as a serialization failure.
ALWAYS_BROKEN = """
CREATE SEQUENCE arrivals;
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('arrivals');
  RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';
END $$;
CREATE TRIGGER refuse BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION refuse();
"""


def _install(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql)


def _arrivals(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as admin:
        return admin.execute("SELECT last_value FROM arrivals").fetchone()[0]


def test_two_operations_that_deadlock_both_commit_after_a_retry(conn, db_path):
    # Two agents' tasks: starts for one agent take turns on the agent (its capacity).
    first, second = create(conn, title="one", agent=2), create(conn, title="two", agent=3)
    assert (first.id, second.id) == (1, 2)
    _install(db_path, COLLIDE)
    procs = [subprocess.Popen([sys.executable, "-m", "idolq", "task", "start", str(task.id),
                               "--json", "--db", db_path, "--actor", f"agent:{task.id + 1:02d}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for task in (first, second)]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, err) == (0, "")
        assert json.loads(out)["status"] == "in_progress"
    assert _arrivals(db_path) == 3  # both first attempts, and the retry of the one refused
    for task in (first, second):
        assert [e.type for e in queries.show_task(conn, task.id).history] == [
            "task.created", "task.started"]
    history = conn.execute("SELECT task_id FROM task_history WHERE to_status = 'in_progress'"
                           " ORDER BY task_id").fetchall()
    assert [row[0] for row in history] == [1, 2]


def test_an_operation_the_server_keeps_breaking_off_is_reported_once(conn, db_path):
    task = create(conn, title="unlucky")
    _install(db_path, ALWAYS_BROKEN)
    before = table_snapshot(db_path)
    result = run_idolq("task", "start", str(task.id), "--json", "--db", db_path,
                       "--actor", ACTOR)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert error["code"] == "database_error"
    assert "try again" in error["message"]
    assert _arrivals(db_path) == ATTEMPTS
    assert table_snapshot(db_path) == before


def test_in_a_batch_a_broken_off_line_fails_the_batch_whole(conn, db_path):
    task = create(conn, title="unlucky")
    _install(db_path, ALWAYS_BROKEN)
    before = table_snapshot(db_path)
    result = subprocess.run([sys.executable, "-m", "idolq", "batch", "--db", db_path],
                            input=f"task create other --type lore\ntask start {task.id}\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "line 2" in result.stderr and "try again" in result.stderr
    assert _arrivals(db_path) == 1  # the batch's transaction is the one to start over
    assert table_snapshot(db_path) == before


def _locked_tables(conn, operation) -> list[str]:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        operation()
    finally:
        conn.set_trace_callback(None)
    return [s.rsplit("FOR UPDATE OF ", 1)[1].split()[0] for s in statements
            if "FOR UPDATE OF" in s]


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_deciding_a_review_locks_its_task_before_it_as_cancelling_does(conn, decision):
    from idolq.services.reviews import approve_review, reject_review
    from idolq.services.tasks import cancel_task

    task = create(conn, title="reviewed", review_tier=2)
    submit(conn, task.id)
    review_id = next(iter(pending_reviews(conn, task.id).values()))
    who = reviewer(conn, review_id)
    decide = (lambda: approve_review(conn, review_id, who)) if decision == "approve" else \
        (lambda: reject_review(conn, review_id, who, notes="again"))
    assert _locked_tables(conn, decide)[:2] == ["t", "r"]
    other = create(conn, title="cancelled", review_tier=2)
    submit(conn, other.id)
    assert _locked_tables(conn, lambda: cancel_task(conn, other.id, ACTOR))[0] == "t"


def test_adding_a_dependency_locks_the_blocker_first_as_completing_it_does(conn):
    from idolq.services.tasks import add_dependency

    blocker, waiting = create(conn, title="first"), create(conn, title="then")
    locked: list[int] = []
    execute = conn.execute

    def tracing(sql, params=()):
        if "FOR UPDATE OF t" in sql:
            locked.append(params[0])
        return execute(sql, params)

    conn.execute = tracing
    try:
        add_dependency(conn, waiting.id, ACTOR, on_ref=blocker.id)
    finally:
        del conn.execute
    assert locked[:2] == [blocker.id, waiting.id]


def test_starting_a_task_locks_its_agent_before_it_as_a_claim_does(conn):
    from idolq.services.tasks import start_task

    task = create(conn, title="started", agent=2)
    assert _locked_tables(conn, lambda: start_task(conn, task.id, "agent:02"))[:2] == ["a", "t"]
