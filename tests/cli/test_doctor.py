"""`idolq doctor` reports what is wrong with a database; `init` refuses before it writes."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from idolq import contract_operations
from idolq.store.schema_version import SCHEMA_VERSION

from conftest import edit_by_hand, run_idolq, table_snapshot

REFUSE = 1


def _damage(db_path, tmp_path, name: str, how) -> os.PathLike:
    """A copy of a database with some rows (checkpointed into the file), damaged by `how`."""
    raw = sqlite3.connect(db_path)
    for _ in range(300):
        raw.execute("INSERT INTO event_log (event_type, payload, source, actor, timestamp)"
                    " VALUES ('x', ?, 's', 'a', 't')", ("p" * 500,))
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = bytearray(db_path.read_bytes())
    path = tmp_path / name
    path.write_bytes(how(data))
    return path


def _scribble(data: bytearray) -> bytes:
    data[4096 * 20:4096 * 20 + 3000] = b"A" * 3000
    return bytes(data)


def _truncate(data: bytearray) -> bytes:
    return bytes(data[:len(data) // 2])


def _doctor(path, *args):
    result = run_idolq("doctor", "--db", path, "--json", *args)
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    contract_operations.DoctorDoc.model_validate(document)
    return result.returncode, document


def _edit(path, *statements: str) -> None:
    edit_by_hand(path, *statements)


def _set_schema_version(path, version: int) -> None:
    """Where each backend keeps the version: SQLite's header, PostgreSQL's idolq_schema."""
    on_server = str(path).startswith("postgresql://")
    _edit(path, f"UPDATE idolq_schema SET version = {version}" if on_server
          else f"PRAGMA user_version = {version}")


def _file_bytes(path) -> bytes | None:
    return None if str(path).startswith("postgresql://") else path.read_bytes()


def test_a_healthy_database_has_no_problem(db_path, cli, backend):
    document = cli.json("doctor")
    contract_operations.DoctorDoc.model_validate(document)
    assert (document["backend"], document["problems"]) == (backend, [])
    assert document["schema_version"] == document["expected_schema_version"] == SCHEMA_VERSION
    assert document["size_bytes"] > 0
    human = cli("doctor")
    assert human.exit_code == 0 and "No problems found." in human.stdout


@pytest.mark.sqlite_only  # the file's own checks: integrity, journal mode, size
def test_a_healthy_file_is_whole_in_wal_mode(db_path, cli):
    document = cli.json("doctor")
    assert (document["integrity"], document["journal_mode"]) == ("ok", "wal")
    assert document["size_bytes"] == db_path.stat().st_size
    assert document["server"] is None


def test_doctor_changes_nothing(db_path):
    before = (table_snapshot(db_path), _file_bytes(db_path))
    assert run_idolq("doctor", "--db", db_path).returncode == 0
    assert (table_snapshot(db_path), _file_bytes(db_path)) == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.db", b"", "empty"),
    ("garbage.db", b"\x00garbage" * 1000, "not an SQLite database"),
    ("text.db", b"hello, world\n" * 40, "not an SQLite database"),
])
def test_a_file_that_is_no_database_is_reported_not_crashed_on(tmp_path, name, content,
                                                                 message):
    path = tmp_path / name
    path.write_bytes(content)
    code, document = _doctor(path)
    assert code == REFUSE
    assert message in document["problems"][0]["message"]
    assert path.read_bytes() == content


@pytest.mark.sqlite_only  # damage to the bytes of the file
@pytest.mark.parametrize("how", [_scribble, _truncate])
def test_a_damaged_file_is_reported_and_init_refuses_it(db_path, tmp_path, how):
    path = _damage(db_path, tmp_path, "damaged.db", how)
    damaged = path.read_bytes()
    code, document = _doctor(path)
    assert code == REFUSE and document["integrity"] != "ok"
    assert document["problems"]
    human = run_idolq("doctor", "--db", path)
    assert human.returncode == REFUSE and "problem" in human.stdout
    init = run_idolq("init", "--db", path)
    assert init.returncode == REFUSE, init.stdout
    assert "Up to date" not in init.stdout and "idolq doctor" in init.stderr
    assert path.read_bytes() == damaged


def test_an_older_or_newer_schema_version_is_a_problem_saying_what_to_do(db_path):
    _set_schema_version(db_path, 3)
    code, document = _doctor(db_path)
    assert code == REFUSE and "idolq init" in document["problems"][0]["message"]
    assert (document["schema_version"], document["expected_schema_version"]) == (
        3, SCHEMA_VERSION)
    _set_schema_version(db_path, 99)
    code, document = _doctor(db_path)
    assert code == REFUSE and "upgrade idolq" in document["problems"][0]["message"]


@pytest.mark.sqlite_only  # journal mode, foreign key check, triggers and kept counts
def test_what_idolq_relies_on_is_checked(db_path):
    _edit(db_path,
          "PRAGMA journal_mode = DELETE",
          "INSERT INTO task_history (task_id, to_status, actor, changed_at)"
          " VALUES (999, 'pending', 'a', 't')",
          "INSERT INTO status_counts VALUES ('tasks', 'pending', 3)",
          "DROP TRIGGER tasks_count_insert",
          "DROP INDEX idx_tasks_type",
          "UPDATE sla_policy SET limit_minutes = 'abc' WHERE rule = 'task:P0'",
          "INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
          " VALUES ('task.created', 'command', '{nope')")
    code, document = _doctor(db_path)
    assert code == REFUSE
    checks = [problem["check"] for problem in document["problems"]]
    assert checks == ["journal_mode", "foreign_keys", "schema", "schema", "status_counts",
                      "sla_policy", "notification_targets"]
    assert document["journal_mode"] == "delete"


def test_the_rules_and_targets_idolq_relies_on_are_checked(db_path):
    _edit(db_path,
          "UPDATE sla_policy SET escalate_to = 'nobody' WHERE rule = 'task:P0'",
          "INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
          " VALUES ('task.created', 'command', '{nope')")
    code, document = _doctor(db_path)
    assert code == REFUSE
    assert [p["check"] for p in document["problems"]] == ["sla_policy", "notification_targets"]


def test_a_missing_database_is_named_with_idolq_init(tmp_path):
    result = run_idolq("doctor", "--db", tmp_path / "nowhere.db", "--json")
    assert result.returncode == 1 and "idolq init" in result.stderr


@pytest.mark.sqlite_only  # the journal mode of the file
def test_init_refuses_a_newer_database_before_switching_its_journal_mode(db_path):
    _edit(db_path, "PRAGMA journal_mode = DELETE", "PRAGMA user_version = 99")
    result = run_idolq("init", "--db", db_path, "--json")
    assert result.returncode == REFUSE and "upgrade idolq" in result.stderr
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    raw.close()


def test_init_refuses_a_file_that_is_not_a_regular_file_and_leaves_nothing(tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    result = run_idolq("init", "--db", fifo, "--json")
    assert result.returncode == REFUSE and "not a regular file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]


def test_init_on_dev_null_is_refused_without_a_journal_beside_it():
    existed = os.path.exists("/dev/null-journal")
    result = run_idolq("init", "--db", "/dev/null", "--json")
    assert result.returncode == REFUSE and "not a regular file" in result.stderr
    assert os.path.exists("/dev/null-journal") == existed
    assert not os.path.exists("/dev/null-wal")


def test_an_older_schema_is_not_also_reported_for_what_its_upgrade_adds(db_path):
    _edit(db_path, "DROP TABLE sla_policy")  # migration 3 adds it
    _set_schema_version(db_path, 1)
    code, document = _doctor(db_path)
    assert code == REFUSE
    assert [p["check"] for p in document["problems"]] == ["schema_version"]
