"""idolq as real processes: many at once, hostile files, streams and signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from idolq.store.connection import open_database
from idolq.store.transaction import transaction

from conftest import run_idolq, table_snapshot

WORKER = Path(__file__).with_name("concurrency_worker.py")
PROCESSES = 8


def test_eight_processes_running_full_workflows_lose_nothing(db_path):
    per_process = 25
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(db_path), f"{n:02d}",
                               str(per_process)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for n in range(PROCESSES)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "locked" not in err
        results.append(json.loads(out))
    assert [r["errors"] for r in results] == [[]] * PROCESSES
    codes = [code for r in results for code in r["codes"]]
    total = PROCESSES * per_process
    assert len(codes) == len(set(codes)) == total
    conn = open_database(db_path)
    assert conn.execute("SELECT COUNT(*) FROM tasks WHERE status = 'complete'").fetchone()[0] \
        == total
    events = Counter(dict(conn.execute("SELECT event_type, COUNT(*) FROM event_log "
                                       "GROUP BY event_type")))
    for kind in ("task.created", "task.started", "task.completed", "review.requested",
                 "review.approved", "review.completed", "task.approved"):
        assert events[kind] == total, kind
    assert sorted(codes) == [f"CONTENT-{n:03d}" for n in range(1, total + 1)]


def test_concurrent_cli_creations_never_hand_out_a_code_twice(db_path):
    rounds = 3
    codes = []
    for _ in range(rounds):
        procs = [subprocess.Popen([sys.executable, "-m", "idolq", "task", "create", f"t{n}",
                                   "--type", "content", "--db", str(db_path), "--json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(PROCESSES)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert (proc.returncode, err) == (0, "")
            codes.append(json.loads(out)["code"])
    assert sorted(codes) == [f"CONTENT-{n:03d}" for n in range(1, PROCESSES * rounds + 1)]


def test_exactly_one_of_several_racing_approvals_wins(cli):
    cli.json("task", "create", "t", "--type", "content", "--tier", "3")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    procs = [subprocess.Popen([sys.executable, "-m", "idolq", "review", "approve", "1",
                               "--db", str(cli.db_path), "--json", "--actor",
                               "agent:00" if n % 2 else f"human:lead{n}"],  # all may decide
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(PROCESSES)]
    outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    winners = [o for o in outcomes if o[0] == 0]
    losers = [o for o in outcomes if o[0] != 0]
    assert len(winners) == 1
    assert json.loads(winners[0][1])["status"] == "approved"
    for code, out, err in losers:
        assert (code, out) == (1, "")
        assert json.loads(err)["error"]["code"] == "invalid_transition"
    events = cli.json("task", "show", "1")["history"]
    assert [e["type"] for e in events].count("review.approved") == 1


def test_python_dash_m_and_no_traceback_for_a_missing_database(tmp_path):
    result = run_idolq("task", "list", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == ("idolq: error: no idolq database in this directory or any "
                                     "parent; run `idolq init` to create one")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_gets_one_clear_line(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 1000)
    result = run_idolq("task", "list", "--db", path, "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "database_error" and "not a usable idolq database" in error["message"]
    assert path.read_bytes() == b"\x00garbage" * 1000


def _make_read_only(path: Path) -> None:
    """Root ignores file modes, so as root the file is made immutable instead."""
    if os.getuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)


def _make_writable(path: Path) -> None:
    if os.getuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    path.chmod(0o644)


def test_a_read_only_database_refuses_writes_cleanly(tmp_path):
    db = tmp_path / "q.db"
    assert run_idolq("init", "--db", db).returncode == 0
    assert run_idolq("task", "create", "kept", "--type", "lore", "--db", db).returncode == 0
    before = table_snapshot(db)
    _make_read_only(db)
    try:
        for args in (["task", "create", "x", "--type", "lore"], ["task", "start", "1"]):
            result = run_idolq(*args, "--db", db)
            assert result.returncode == 1
            assert result.stdout == ""
            assert result.stderr == f"idolq: error: {db} is read-only: idolq cannot write to it\n"
        assert json.loads(run_idolq("task", "list", "--db", db, "--json").stdout)[0]["title"] \
            == "kept"
    finally:
        _make_writable(db)
    assert table_snapshot(db) == before


def test_events_follow_prints_what_other_processes_write_and_stops_on_sigint(db_path):
    run_idolq("task", "create", "first", "--type", "lore", "--db", db_path)
    tail = subprocess.Popen([sys.executable, "-m", "idolq", "events", "tail", "--follow",
                             "--json", "--db", str(db_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(tail.stdout.readline())
        assert first["payload"]["task_code"] == "LORE-001"
        assert run_idolq("task", "create", "second", "--type", "lore", "--db",
                         db_path).returncode == 0
        second = json.loads(tail.stdout.readline())
        assert (second["type"], second["payload"]["task_code"]) == ("task.created", "LORE-002")
        assert second["id"] > first["id"]
    finally:
        tail.send_signal(signal.SIGINT)
        _, err = tail.communicate(timeout=10)
    assert tail.returncode == 0
    assert err == ""


def test_events_follow_stops_cleanly_on_sigterm(db_path):
    tail = subprocess.Popen([sys.executable, "-m", "idolq", "events", "tail", "-f", "--db",
                             str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(1.0)
    tail.terminate()
    _, err = tail.communicate(timeout=10)
    assert (tail.returncode, err) == (0, "")


@pytest.mark.parametrize("args", [["task", "list"], ["events", "tail", "-n", "50"]])
def test_a_closed_pipe_is_not_a_traceback(db_path, args):
    for n in range(40):
        run_idolq("task", "create", f"t{n}", "--type", "lore", "--db", db_path) if n < 3 else None
    conn = open_database(db_path)
    with transaction(conn):
        conn.executemany("INSERT INTO event_log (event_type, payload, source, actor, timestamp)"
                         " VALUES ('task.created', '{}', 'test', 'test',"
                         " '2026-01-01T00:00:00+00:00')", [()] * 5000)
    conn.close()
    shell = f"{sys.executable} -m idolq {' '.join(args)} --db {db_path} | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True,
                            text=True, timeout=60)
    assert "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1
