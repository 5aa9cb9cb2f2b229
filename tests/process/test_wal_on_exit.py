"""A short-lived process leaves the WAL in place instead of checkpointing it on exit, and
nothing it committed is lost for any reader."""

from __future__ import annotations

import sqlite3

from idolq.store._sqlite_compat import keep_wal_on_close
from idolq.store.connection import connect

from conftest import run_idolq


def test_a_connection_is_asked_not_to_checkpoint_on_close(db_path):
    conn = connect(db_path)
    try:
        assert keep_wal_on_close(conn, str(db_path.resolve())) is True
    finally:
        conn.close()


def test_the_shim_touches_nothing_for_a_handle_naming_another_file(db_path, tmp_path):
    from idolq.store._sqlite_compat import _set_through_ctypes

    conn = connect(db_path)
    try:
        assert _set_through_ctypes(conn, str(tmp_path / "other.db")) is False
    finally:
        conn.close()


def test_what_a_process_committed_is_read_by_plain_sqlite_after_it_exits(db_path):
    created = run_idolq("task", "create", "Kept", "--type", "lore", "--db", str(db_path))
    assert created.returncode == 0, created.stderr
    assert db_path.with_name(db_path.name + "-wal").exists()  # not checkpointed and deleted
    reader = sqlite3.connect(db_path)
    try:
        assert reader.execute("SELECT title FROM tasks").fetchall() == [("Kept",)]
    finally:
        reader.close()


def test_the_wal_stays_bounded_when_every_process_leaves_it(db_path, monkeypatch):
    """Each open below is a process's first connection, as every `idolq` command's is: it
    rebuilds the WAL's index and forgets what was checkpointed, so without `bound_wal` the
    WAL would grow with every commit (about 50 KB a task) and every command would read it."""
    from idolq.services.tasks import NewTask, create_task
    from idolq.store import connection

    wal = db_path.with_name(db_path.name + "-wal")

    def create_many(count: int) -> int:
        largest = 0
        for n in range(count):
            conn = connection.open_database(db_path)
            create_task(conn, NewTask(f"T{n}", "lore"), "agent:00")
            conn.close()
            largest = max(largest, wal.stat().st_size)
        return largest

    assert create_many(150) <= connection.WAL_LIMIT_BYTES + 256 * 1024
    monkeypatch.setattr(connection, "bound_wal", lambda conn, path: None)
    assert create_many(150) > 2 * connection.WAL_LIMIT_BYTES  # what it guards against
