"""SQL for backup and restore: every idolq table, row by row, in a fixed order.

The format is table-driven: a table added by a later migration is exported and restored
without a change here. Tables derived from others (kept by triggers) are left out and
rebuilt by those triggers as rows are restored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

# Tables in the order they are written: what others refer to comes first. Tables not named
# here follow in name order.
ORDER = ("agents", "routing_rules", "task_code_counters", "tasks", "task_dependencies",
         "reviews", "task_history", "event_log", "webhook_triggers", "sla_policy",
         "sla_escalations", "notifications")
DERIVED = frozenset({"status_counts"})  # kept by triggers on tasks and reviews
SEQUENCE_TABLE = "sqlite_sequence"  # AUTOINCREMENT counters: restored after the rows
# Tables whose rows mean the database holds work (a new database has none).
WORK_TABLES = ("tasks", "event_log")


def tables(conn: sqlite3.Connection) -> list[str]:
    """The tables an export holds, in order (not SQLite's own, migrations' log or derived)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    names = {name for name, sql in rows
             if not name.startswith(("sqlite_", "_")) and name not in DERIVED
             and not (sql or "").upper().startswith("CREATE VIRTUAL")}
    return [t for t in ORDER if t in names] + sorted(names.difference(ORDER))


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _order_by(conn: sqlite3.Connection, table: str) -> str:
    keys = sorted((row[5], row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')
                  if row[5])
    return ", ".join(f'"{name}"' for _, name in keys) if keys else "rowid"


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def iter_rows(conn: sqlite3.Connection, table: str) -> Iterator[dict]:
    """A table's rows in primary-key order, one at a time (a cursor, not a list)."""
    names = columns(conn, table)
    quoted = ", ".join(f'"{name}"' for name in names)
    cursor = conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {_order_by(conn, table)}')
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def sequences(conn: sqlite3.Connection) -> Iterator[dict]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        return
    for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
        yield {"name": name, "seq": seq}


def holds_work(conn: sqlite3.Connection) -> bool:
    return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in WORK_TABLES)


def clear(conn: sqlite3.Connection, names: Sequence[str]) -> None:
    """Empty the tables a restore fills (a new database's default agents, routing...)."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for table in reversed(names):
        conn.execute(f'DELETE FROM "{table}"')


def insert_rows(conn: sqlite3.Connection, table: str, names: Sequence[str],
                rows: Sequence[Sequence]) -> None:
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" * len(names))
    conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def set_sequence(conn: sqlite3.Connection, name: str, seq: int) -> None:
    updated = conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq, name))
    if updated.rowcount == 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))


def first_broken_reference(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """(table, the table it refers to) of a row whose foreign key points at nothing."""
    row = conn.execute("PRAGMA foreign_key_check").fetchone()
    return (row[0], row[2]) if row else None
