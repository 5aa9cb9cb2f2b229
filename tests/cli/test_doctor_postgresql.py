"""`idolq doctor` on PostgreSQL: the server's health, beside the checks of idolq's rows."""

from __future__ import annotations

import json
import threading
import time

import psycopg
import pytest

from idolq import contract_operations
from idolq.services import doctor

from conftest import Cli, edit_by_hand, new_database, run_idolq

pytestmark = pytest.mark.postgresql


def test_doctor_reports_the_server_its_latency_and_its_connections(db_path, cli):
    document = cli.json("doctor")
    contract_operations.DoctorDoc.model_validate(document)
    server = document["server"]
    assert server["answers"] is True and server["version"][:2].isdigit()
    assert 0 < server["round_trip_ms"] < 5000
    assert 1 <= server["connections"] <= server["max_connections"]
    assert (server["long_lock_waits"], document["problems"]) == (0, [])
    assert (document["integrity"], document["journal_mode"]) == ("not checked", None)
    human = cli("doctor").stdout
    assert "Server version" in human and f"of {server['max_connections']}" in human


def test_a_server_that_does_not_answer_is_a_problem_not_a_crash():
    result = run_idolq("doctor", "--json", "--db", "postgresql://someone:s3cret@127.0.0.1:1/x")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    contract_operations.DoctorDoc.model_validate(document)
    assert document["server"]["answers"] is False and document["server"]["version"] is None
    assert [p["check"] for p in document["problems"]] == ["open"]
    assert "s3cret" not in result.stdout


def test_status_counts_that_drifted_from_the_tables_are_a_problem(db_path):
    edit_by_hand(db_path, "INSERT INTO status_count_shards VALUES ('tasks', 'pending', 0, 3)")
    result = run_idolq("doctor", "--json", "--db", db_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["problems"] == [{
        "check": "status_counts",
        "message": "status_counts says 3 tasks are pending, the table holds 0"}]


def test_a_server_short_of_connections_is_a_problem(db_path, cli, monkeypatch):
    monkeypatch.setattr(doctor, "CROWDED_CONNECTIONS", 0)
    run = cli("doctor", "--json")
    assert run.exit_code == 1
    assert [p["check"] for p in run.json["problems"]] == ["connections"]


def _wait_for_a_lock(db_path, task_id: int) -> tuple[psycopg.Connection, threading.Thread]:
    """A session holding a task's row in an open transaction, and one waiting for it."""
    holder = psycopg.connect(db_path)
    holder.execute("SELECT id FROM tasks WHERE id = %s FOR UPDATE", (task_id,))
    waiter_pid = []

    def wait() -> None:
        with psycopg.connect(db_path, autocommit=True) as waiter:
            waiter_pid.append(waiter.info.backend_pid)
            waiter.execute("UPDATE tasks SET title = 'waited' WHERE id = %s", (task_id,))

    thread = threading.Thread(target=wait)
    thread.start()
    with psycopg.connect(db_path, autocommit=True) as watcher:
        for _ in range(200):
            if waiter_pid and watcher.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                    (waiter_pid[0],)).fetchone()[0] == "Lock":
                return holder, thread
            time.sleep(0.05)
    raise AssertionError("the second session never waited for the lock")


def test_a_session_waiting_long_for_a_lock_on_idolq_s_tables_is_a_problem(
        db_path, cli, monkeypatch):
    task = cli.json("task", "create", "Held", "--type", "lore")
    before = cli.json("doctor")["server"]
    holder, waiter = _wait_for_a_lock(db_path, task["id"])
    try:
        monkeypatch.setattr(doctor, "LONG_LOCK_WAIT_SECONDS", 0.01)
        time.sleep(0.05)
        run = cli("doctor", "--json")
    finally:
        holder.rollback()
        holder.close()
        waiter.join(10)
    assert run.exit_code == 1
    assert [p["check"] for p in run.json["problems"]] == ["locks"]
    assert "1 session(s) have waited" in run.json["problems"][0]["message"]
    server = run.json["server"]
    assert server["long_lock_waits"] == 1 and server["longest_lock_wait_seconds"] >= 0
    assert before["long_lock_waits"] == 0
    assert cli.json("doctor")["server"]["long_lock_waits"] == 0  # the wait is over


def test_a_lock_waited_on_in_another_schema_is_not_idolq_s(db_path, cli, monkeypatch):
    elsewhere = new_database("postgresql", None)  # another team's queue on the same server
    task = Cli(elsewhere).json("task", "create", "Held there", "--type", "lore")
    holder, waiter = _wait_for_a_lock(elsewhere, task["id"])
    try:
        monkeypatch.setattr(doctor, "LONG_LOCK_WAIT_SECONDS", 0.01)
        time.sleep(0.05)
        here, there = cli.json("doctor")["server"], Cli(elsewhere)("doctor", "--json").json
    finally:
        holder.rollback()
        holder.close()
        waiter.join(10)
    assert here["long_lock_waits"] == 0
    assert there["server"]["long_lock_waits"] == 1
