"""Hostile command lines: a clean one-line error, the right exit status, nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import run_idolq, table_snapshot
from helpers import create, start_task

BIG = "99999999999999999999999"
HUGE = "9" * 5000  # past Python's int-string conversion limit

# (arguments, exit status, error code)
CORPUS = [
    (["task", "create", "x", "--type", "lore", "--priority", "1e9"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--priority", ""], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--priority", "P-1"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--tier", "1.5"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--agent", "-1"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--agent", BIG], 2, "usage"),
    (["task", "create", "x", "--type", "lore", "--agent", "٣"], 2, "usage"),
    (["task", "create", "x", "--type", "lore", "--estimate", "nan"], 2, "usage"),
    (["task", "create", "x", "--type", "lore", "--estimate", "inf"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--estimate", "0"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--deadline", "2026-02-30"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--deadline", "'; DROP TABLE tasks;--"], 2,
     "invalid_value"),
    (["task", "create", "x", "--type", "lore'; DROP TABLE tasks;--"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "ÇONTENT"], 2, "invalid_value"),
    (["task", "create", "x" * 501, "--type", "lore"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--description", "d" * 20_001], 2,
     "invalid_value"),
    (["task", "create", "a\x01b\u202e", "--type", "lore", "--depends-on", "1 OR 1=1"], 2,
     "invalid_value"),
    (["task", "show", "1 OR 1=1"], 2, "invalid_value"),
    (["task", "show", BIG], 2, "invalid_value"),
    (["task", "show", "-1"], 2, "usage"),  # read as an unknown option
    (["task", "show", "LORE-00000000000000000000000000009"], 1, "not_found"),
    (["task", "show", "99"], 1, "not_found"),
    (["task", "start", "LORE-001"], 1, "invalid_transition"),
    (["task", "list", "--status", "pending' OR '1'='1"], 2, "invalid_value"),
    (["task", "list", "--limit", BIG], 2, "usage"),
    (["task", "list", "--limit", "-3"], 2, "invalid_value"),
    (["task", "list", "--agent", "two"], 2, "usage"),
    (["task", "depend", "1", "--on", "1"], 1, "invalid_transition"),  # 1 is in progress
    (["review", "approve", "1; DELETE FROM reviews"], 2, "invalid_value"),
    (["review", "approve", "0"], 1, "not_found"),
    (["review", "approve", "1", "--ds-rating", "nan"], 2, "usage"),
    (["review", "reject", "1", "--notes", ""], 2, "invalid_value"),
    (["events", "tail", "-n", "-5"], 2, "invalid_value"),
    (["events", "tail", "-n", BIG], 2, "usage"),
    (["events", "tail", "--type", "task.created' OR 1=1"], 2, "invalid_value"),
    (["sla", "check", "--at", "13:61"], 2, "invalid_value"),
    (["sla", "policy", "set", "P0", "--limit", "0s"], 2, "invalid_value"),
    (["sla", "policy", "set", "canon", "--tier", "9", "--limit", "1h"], 2, "invalid_value"),
    (["notify", "add", "--on", "sla.exceeded", "--webhook", "file:///etc/passwd"], 2,
     "invalid_value"),
    (["notify", "retry", "77"], 1, "not_found"),
    # values at the edges of what Python and SQLite can hold
    (["task", "create", "x", "--type", "lore", "--deadline", "0001-01-01"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--deadline", "9999-12-31T23:00:00-05:00"], 2,
     "invalid_value"),
    (["sla", "check", "--at", "0001-01-01"], 2, "invalid_value"),
    (["sla", "check", "--at", "0001-01-01T00:00:00+05:00"], 2, "invalid_value"),
    (["task", "show", HUGE], 2, "invalid_value"),
    (["review", "approve", HUGE], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--agent", HUGE], 2, "usage"),
    (["task", "list", "--limit", HUGE], 2, "usage"),
    (["sla", "policy", "set", "P0", "--limit", "١h"], 2, "invalid_value"),
    (["sla", "policy", "set", "P0", "--limit", "99999999d"], 2, "invalid_value"),
    (["sla", "policy", "set", "P0", "--limit", "9" * 400 + "d"], 2, "invalid_value"),
    (["sla", "policy", "set", "P0", "--limit", "1h", "--escalate-to", "agent:" + HUGE], 2,
     "invalid_value"),
    (["sla", "policy", "set", "P0", "--limit", "1h", "--escalate-to", "agent:77"], 2,
     "invalid_value"),
    (["daemon", "--once", "--interval", "99999999999d"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--agent", "77"], 2, "invalid_value"),
    (["task", "ready", "--agent", "77"], 2, "invalid_value"),
    (["review", "list", "--agent", "77"], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--actor", "a" * 201], 2, "invalid_value"),
    (["task", "create", "x", "--type", "lore", "--actor", "agent:\x1b[31m02"], 2,
     "invalid_value"),
    (["notify", "add", "--on", "task.created", "--command", 'a "b'], 2, "invalid_value"),
    (["task"], 2, "usage"),
    (["task", "create"], 2, "usage"),
    (["--no-such-flag"], 2, "usage"),
    # changing what was said, routing, several ids, batch
    (["task", "edit", "1", "--priority", "P9"], 2, "invalid_value"),
    (["task", "edit", "1", "--title", "   "], 2, "invalid_value"),
    (["task", "edit", "1", "--content-type", "twet"], 2, "invalid_value"),
    (["task", "edit", "1", "--deadline", "when pigs fly"], 2, "invalid_value"),
    (["task", "edit", "1"], 2, "invalid_value"),
    (["task", "assign", "1", "--agent", HUGE], 2, "usage"),
    (["task", "assign", "1", "--agent", "1"], 1, "invalid_transition"),  # already theirs
    (["task", "comment", "1", ""], 2, "invalid_value"),
    (["task", "comment", "1", "c" * 20_001], 2, "invalid_value"),
    (["task", "defer", "1"], 1, "invalid_transition"),  # in progress
    (["task", "resume", "1"], 1, "invalid_transition"),
    (["review", "show", "x"], 2, "invalid_value"),
    (["route", "set", "lore'; DROP TABLE routing_rules;--", "--agent", "1"], 2,
     "invalid_value"),
    (["route", "set", "lore", "--agent", "77"], 2, "invalid_value"),
    (["route", "remove", "nothing"], 1, "not_found"),
    (["batch", "/no/such/file"], 2, "invalid_value"),
    (["tsk", "list"], 2, "usage"),
]


@pytest.fixture
def seeded(conn, db_path):
    """A database with one task in progress, to be left exactly as it is (made in-process:
    the commands under test are the ones that run as processes)."""
    start_task(conn, create(conn, title="kept", task_type="lore").id, "agent:01")  # its agent
    return db_path


def _assert_clean_refusal(result, exit_status: int, code: str) -> None:
    assert result.returncode == exit_status, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert len(lines[0]) < 1000, "the message quotes a whole hostile value"
    assert "Traceback" not in result.stderr
    assert json.loads(lines[0])["error"]["code"] == code


@pytest.mark.parametrize(("args", "exit_status", "code"), CORPUS,
                         ids=[" ".join(a)[:40] for a, _, _ in CORPUS])
def test_hostile_command_lines_are_refused_cleanly(seeded, args, exit_status, code):
    before = table_snapshot(seeded)
    _assert_clean_refusal(run_idolq(*args, "--db", seeded, "--json"), exit_status, code)
    assert table_snapshot(seeded) == before


def test_bytes_that_are_not_utf8_are_refused_cleanly(seeded):
    before = table_snapshot(seeded)
    argv = [sys.executable.encode(), b"-m", b"idolq", b"task", b"create", b"bad\xff\xfe",
            b"--type", b"lore", b"--db", os.fsencode(seeded), b"--json"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    _assert_clean_refusal(result, 2, "usage")
    assert table_snapshot(seeded) == before


@pytest.mark.parametrize("title", [
    "🎤 アイドル ✨ مرحبا שלום e\u0301 \u200d👩‍🎤",
    "'); DROP TABLE tasks; --",
    "%s %d {0} ${HOME} $(rm -rf /) `id`",
    "tab\there, new\nline, \\backslash\\ \"quotes\"",
    "x" * 500,
])
def test_unusual_but_valid_text_is_stored_exactly(seeded, title):
    created = run_idolq("task", "create", title, "--type", "lore", "--description", title,
                        "--db", seeded, "--json")
    assert created.returncode == 0, created.stderr
    task = json.loads(created.stdout)
    shown = json.loads(run_idolq("task", "show", task["code"], "--db", seeded, "--json").stdout)
    assert (shown["title"], shown["description"]) == (title.strip(), title)
    assert run_idolq("status", "--db", seeded, "--json").returncode == 0


@pytest.mark.parametrize("args", [["task", "list"], ["task", "create", "x", "--type", "lore"],
                                  ["status"], ["sla", "check"]])
def test_a_missing_database_is_named_with_idolq_init(tmp_path, args):
    result = run_idolq(*args, "--db", tmp_path / "nowhere" / "q.db", "--json")
    _assert_clean_refusal(result, 1, "database_not_found")
    assert "idolq init" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_directory_given_as_the_database_is_refused(tmp_path):
    _assert_clean_refusal(run_idolq("task", "list", "--db", tmp_path, "--json"), 1,
                          "database_not_found")
    _assert_clean_refusal(run_idolq("init", "--db", tmp_path, "--json"), 1, "database_error")


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\xff" * 200,
                                     b"\x89PNG\r\n\x1a\n" + b"\x00" * 100])
def test_files_that_are_not_idolq_databases_are_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "odd.db"
    path.write_bytes(content)
    result = run_idolq("task", "list", "--db", path, "--json")
    _assert_clean_refusal(result, 1, "database_error")
    assert path.read_bytes() == content
