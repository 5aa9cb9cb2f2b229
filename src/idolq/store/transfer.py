"""SQL for backup and restore: every idolq table, row by row, in a fixed order.

The format is table-driven: a table added by a later migration is exported and restored
without a change here. Tables derived from others (kept by triggers, or a view) are left out
and rebuilt as rows are restored.

What a database says about itself (its tables, columns and keys, the counters that keep ids
from being reused, how foreign keys are checked) differs between SQLite and PostgreSQL: each
concern is one function of `transfer_sqlite` or `transfer_pg`, chosen by the connection's
dialect. The rows and their bytes are the same on both, so an export from one loads into the
other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from types import ModuleType

from idolq.store.dialect import POSTGRESQL, dialect_of

# Tables in the order they are written: what others refer to comes first. Tables not named
# here follow in name order.
ORDER = ("agents", "routing_rules", "task_code_counters", "tasks", "task_dependencies",
         "reviews", "task_history", "event_log", "webhook_triggers", "sla_policy",
         "sla_escalations", "notifications")
# Kept by triggers on tasks and reviews: SQLite's table of counts, PostgreSQL's shards of them.
DERIVED = frozenset({"status_counts", "status_count_shards"})
SEQUENCE_TABLE = "sqlite_sequence"  # id counters that are never reused: restored after rows
# The tables SQLite declares AUTOINCREMENT (ids never reused): the ones whose counters an
# export records, whichever database it comes from.
AUTOINCREMENT = ("calendar_items", "reviews", "tasks")
# Tables whose rows mean the database holds work (a new database has none).
WORK_TABLES = ("tasks", "event_log")


def _backend(conn) -> ModuleType:
    if dialect_of(conn) == POSTGRESQL:
        from idolq.store import transfer_pg

        return transfer_pg
    from idolq.store import transfer_sqlite

    return transfer_sqlite


def tables(conn: sqlite3.Connection) -> list[str]:
    """The tables an export holds, in order (not the database's own, the migrations' log or
    derived ones)."""
    names = _backend(conn).table_names(conn).difference(DERIVED)
    return [t for t in ORDER if t in names] + sorted(names.difference(ORDER))


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return _backend(conn).columns(conn, table)


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def iter_rows(conn: sqlite3.Connection, table: str) -> Iterator[dict]:
    """A table's rows in primary-key order, one at a time (a cursor, not a list)."""
    names = columns(conn, table)
    for row in _backend(conn).iter_rows(conn, table, names):
        yield dict(zip(names, row, strict=True))


def sequences(conn: sqlite3.Connection) -> Iterator[dict]:
    """{"name": table, "seq": the highest id it ever gave}, by table name."""
    return _backend(conn).sequences(conn)


def holds_work(conn: sqlite3.Connection) -> bool:
    return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in WORK_TABLES)


def references_checked_at_end(conn: sqlite3.Connection) -> AbstractContextManager:
    """Inside: rows may refer to rows restored later; `first_broken_reference` checks."""
    return _backend(conn).references_checked_at_end(conn)


def clear(conn: sqlite3.Connection, names: Sequence[str]) -> None:
    """Empty the tables a restore fills (a new database's default agents, routing...)."""
    for table in reversed(names):
        conn.execute(f'DELETE FROM "{table}"')


def insert_rows(conn: sqlite3.Connection, table: str, names: Sequence[str],
                rows: Sequence[Sequence]) -> None:
    _backend(conn).insert_rows(conn, table, names, rows)


def set_sequence(conn: sqlite3.Connection, name: str, seq: int) -> None:
    _backend(conn).set_sequence(conn, name, seq)


def reset_sequences(conn: sqlite3.Connection) -> None:
    """After the rows: new rows get ids above every restored one."""
    _backend(conn).reset_sequences(conn)


def first_broken_reference(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """(table, the table it refers to) of a row whose foreign key points at nothing."""
    return _backend(conn).first_broken_reference(conn)
