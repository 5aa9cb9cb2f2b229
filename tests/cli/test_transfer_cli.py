"""`idolq import` and `idolq export`: every form of the commands, their JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from idolq.cli.app import app
from idolq.services.setup import init_database
from idolq.store.connection import open_database

from conftest import Cli, postgresql_database, run_idolq, table_snapshot
from helpers import v1_fixtures

QUEUE = str(v1_fixtures() / "task-queue-3a80aa2.md")


@pytest.fixture
def other(tmp_path, backend) -> Cli:
    """A second new database, on the same backend."""
    path = postgresql_database() if backend == "postgresql" else tmp_path / "other.db"
    init_database(path)
    return Cli(path)


def test_import_v1_prints_the_contract_document(cli):
    document = cli.json("import", "v1", QUEUE)

    assert list(document) == ["created", "updated", "unchanged", "skipped", "codes"]
    assert (document["created"], document["skipped"]) == (28, [])
    assert document["codes"][:2] == ["COORD-001", "COORD-002"]


def test_import_v1_takes_several_files_and_a_dry_run(cli, db_path):
    before = table_snapshot(db_path)
    later = str(v1_fixtures() / "task-queue-adc7d82.md")

    document = cli.json("import", "v1", QUEUE, later, "--dry-run")

    # adc7d82 changes 10 of the 28 rows of 3a80aa2 (read from a diff of the two files)
    assert (document["created"], document["updated"], document["unchanged"]) == (28, 10, 18)
    assert table_snapshot(db_path) == before


def test_import_v1_without_json_says_what_happened(cli):
    run = cli("import", "v1", QUEUE)

    assert run.exit_code == 0
    assert run.stdout.startswith("imported: 28 created, 0 updated, 0 unchanged, 0 skipped")


@pytest.mark.parametrize("name", ["master-calendar-35c7fb7.md", "missing.md"])
def test_import_v1_of_a_file_that_is_no_queue_is_bad_usage(cli, db_path, name):
    before = table_snapshot(db_path)

    run = cli("import", "v1", QUEUE, str(v1_fixtures() / name), "--json")

    assert run.exit_code == 2 and run.stdout == ""
    assert json.loads(run.stderr)["error"]["code"] == "invalid_value"
    assert table_snapshot(db_path) == before


def test_export_and_import_through_a_pipe_reproduce_the_database(cli, other):
    cli("import", "v1", QUEUE)
    exported = cli("export")
    assert exported.exit_code == 0 and exported.stderr == ""

    restored = other.runner.invoke(app, ["import", "-", "--db", str(other.db_path), "--json"],
                                   input=exported.stdout)

    assert restored.exit_code == 0, restored.stderr
    assert json.loads(restored.stdout)["tables"]["tasks"] == 28
    assert other("export").stdout == exported.stdout


def test_export_to_a_file_and_import_the_file(cli, other, tmp_path):
    cli("import", "v1", QUEUE)
    backup = tmp_path / "backup.jsonl"

    written = cli.json("export", "--output", str(backup))
    restored = other.json("import", str(backup))

    assert written == {"output": str(backup), "records": restored["records"]}
    assert backup.read_text(encoding="utf-8") == cli("export").stdout


def test_the_default_command_also_answers_to_its_name(cli, other, tmp_path):
    backup = tmp_path / "backup.jsonl"
    cli("export", "jsonl", "-o", str(backup))

    assert other.json("import", "jsonl", str(backup))["tables"]["agents"] == 10


def test_importing_into_a_database_with_work_is_refused(cli, tmp_path):
    cli("import", "v1", QUEUE)
    backup = tmp_path / "backup.jsonl"
    cli("export", "-o", str(backup))

    run = cli("import", str(backup))

    assert run.exit_code == 1 and run.stdout == ""
    assert run.stderr.startswith("idolq: error: this database already holds work")


def test_import_without_a_file_is_bad_usage(cli):
    run = cli("import")

    assert run.exit_code == 2
    assert "FILE" in run.stderr and "Traceback" not in run.stderr


def test_import_help_names_both_commands(cli):
    run = cli("import", "--help", db=False)

    assert run.exit_code == 0
    assert "v1" in run.stdout and "jsonl" in run.stdout


def test_export_v1_writes_the_layout_that_imports_back(cli, other, tmp_path):
    cli("import", "v1", QUEUE)
    queue = tmp_path / "task-queue.md"

    cli.json("export", "v1", "--output", str(queue))
    document = other.json("import", "v1", str(queue))

    text = queue.read_text(encoding="utf-8")
    assert "## Coordinator Queue (Agent 00)" in text
    assert "| ID | Priority | Task | Status | Created | Due | Notes |" in text
    assert "## Completed Tasks Archive" in text
    assert (document["created"], document["skipped"]) == (28, [])


def test_a_failed_export_leaves_no_partial_file(cli, tmp_path):
    run = cli("export", "--output", str(tmp_path / "missing" / "backup.jsonl"))

    assert run.exit_code == 2
    assert not (tmp_path / "missing").exists()


def _many_records(path) -> None:
    conn = open_database(path)
    conn.executemany("INSERT INTO event_log (event_type, payload, source, actor, timestamp)"
                     " VALUES ('note', '{}', 'test', 'tester', '2026-01-01T00:00:00+00:00')",
                     [()] * 500)
    conn.close()


def _stderr_on_a_terminal(*args: str) -> bytes:
    """Run idolq with stderr on a pseudo-terminal and stdout on a pipe; what stderr got."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80"}
    process = subprocess.run([sys.executable, "-m", "idolq", *args], stdout=subprocess.PIPE,
                             stderr=follower, env=env, timeout=60, check=True)
    os.close(follower)
    received = b""
    try:
        while chunk := os.read(leader, 65536):
            received += chunk
    except OSError:
        pass
    os.close(leader)
    assert process.stdout
    return received


def test_a_long_export_shows_progress_on_a_terminal_only(db_path):
    _many_records(db_path)

    assert b"export" in _stderr_on_a_terminal("export", "--db", str(db_path))
    assert _stderr_on_a_terminal("export", "--db", str(db_path), "--json") == b""
    piped = run_idolq("export", "--db", str(db_path))
    assert piped.returncode == 0 and piped.stderr == ""


def test_the_documents_match_the_contract_models(cli, other, tmp_path):
    from idolq.contract_core import TaskDetailDoc
    from idolq.contract_operations import ExportDoc, ImportDoc, ImportV1Doc

    ImportV1Doc.model_validate(cli.json("import", "v1", QUEUE))
    later = cli.json("import", "v1", str(v1_fixtures() / "task-queue-0e48c9e.md"))
    ImportV1Doc.model_validate(later)
    for code in later["codes"]:
        TaskDetailDoc.model_validate(cli.json("task", "show", code))
    backup = tmp_path / "backup.jsonl"
    ExportDoc.model_validate(cli.json("export", "-o", str(backup)))
    ExportDoc.model_validate(cli.json("export", "v1", "-o", str(tmp_path / "q.md")))
    ImportDoc.model_validate(other.json("import", str(backup)))


def test_importing_a_file_that_is_not_an_export_is_bad_usage(cli, db_path):
    before = table_snapshot(db_path)

    run = cli("import", QUEUE, "--json")

    assert run.exit_code == 2 and run.stdout == ""
    assert "not an idolq export" in json.loads(run.stderr)["error"]["message"]
    assert table_snapshot(db_path) == before


def test_exports_are_utf8_whatever_the_locale(cli, db_path):
    cli("import", "v1", str(v1_fixtures() / "task-queue-0e48c9e.md"))
    ascii_env = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C"}

    backup = run_idolq("export", "--db", str(db_path), env=ascii_env)
    queue = run_idolq("export", "v1", "--db", str(db_path), env=ascii_env)

    assert backup.returncode == 0 and queue.returncode == 0, backup.stderr + queue.stderr
    assert "✅" in queue.stdout
    assert backup.stdout == run_idolq("export", "--db", str(db_path)).stdout


def test_a_real_pipe_moves_a_database(cli, db_path, tmp_path):
    cli("import", "v1", QUEUE)
    target = tmp_path / "moved.db"
    init_database(target)
    idolq = f"{sys.executable} -m idolq"

    piped = subprocess.run(f"{idolq} export --db {db_path} | {idolq} import - --db {target}",
                           shell=True, capture_output=True, text=True, timeout=60)

    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    assert run_idolq("export", "--db", target).stdout == run_idolq("export", "--db", db_path).stdout


CALENDAR = str(v1_fixtures() / "master-calendar-b8d55f4.md")


def test_import_v1_calendar_reports_rows_it_cannot_place_in_time(cli):
    document = cli.json("import", "v1", "--calendar", CALENDAR)

    assert list(document) == ["created", "updated", "unchanged", "skipped", "codes"]
    assert (document["created"], len(document["skipped"]), document["codes"]) == (0, 33, [])
    assert document["skipped"][0] == {
        "file": CALENDAR, "line": 36,
        "reason": "'Day 1' is relative to a start date (give --start DATE)"}


def test_import_v1_calendar_with_a_start_schedules_the_content_tasks_it_names(cli, db_path):
    code = cli.json("task", "create", "Foundation tweet", "--type", "content")["code"]
    conn = open_database(db_path)
    conn.execute("UPDATE tasks SET task_code = 'W1-001' WHERE task_code = ?", (code,))
    conn.close()

    document = cli.json("import", "v1", "--calendar", CALENDAR, "--start", "2026-01-20")

    assert (document["created"], len(document["skipped"]), document["codes"]) == (
        1, 32, ["W1-001"])
    assert [item["scheduled_at"] for item in cli.json(
        "calendar", "list", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z")] == [
        "2026-01-20T00:00:00+00:00"]


@pytest.mark.parametrize("args", [
    ["--calendar", CALENDAR, QUEUE], [], [QUEUE, "--year", "2025"],
    ["--calendar", CALENDAR, "--start", "20 Jan"], ["--calendar", QUEUE]])
def test_import_v1_calendar_misuse_is_bad_usage_and_changes_nothing(cli, db_path, args):
    before = table_snapshot(db_path)

    run = cli("import", "v1", *args)

    assert run.exit_code == 2 and run.stderr.count("\n") == 1, run.stderr
    assert table_snapshot(db_path) == before
