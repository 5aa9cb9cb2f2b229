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
