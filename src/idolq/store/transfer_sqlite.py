"""Backup and restore on SQLite: its catalogue, sqlite_sequence and deferred foreign keys
(see store/transfer.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


def table_names(conn: sqlite3.Connection) -> set[str]:
    """Not SQLite's own tables, the migrations' log (`_...`) or full-text indexes."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    return {name for name, sql in rows
            if not name.startswith(("sqlite_", "_"))
            and not (sql or "").upper().startswith("CREATE VIRTUAL")}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _order_by(conn: sqlite3.Connection, table: str) -> str:
    keys = sorted((row[5], row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')
                  if row[5])
    return ", ".join(f'"{name}"' for _, name in keys) if keys else "rowid"


def iter_rows(conn: sqlite3.Connection, table: str, names: Sequence[str]) -> Iterator[tuple]:
    quoted = ", ".join(f'"{name}"' for name in names)
    yield from conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {_order_by(conn, table)}')


def insert_rows(conn: sqlite3.Connection, table: str, names: Sequence[str],
                rows: Sequence[Sequence]) -> None:
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" * len(names))
    conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def sequences(conn: sqlite3.Connection) -> Iterator[dict]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        return
    for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
        yield {"name": name, "seq": seq}


def set_sequence(conn: sqlite3.Connection, name: str, seq: int) -> None:
    updated = conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq, name))
    if updated.rowcount == 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))


def reset_sequences(conn: sqlite3.Connection) -> None:
    """Nothing to do: AUTOINCREMENT reads sqlite_sequence and the largest id, other tables
    take the largest id."""


@contextmanager
def references_checked_at_end(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("PRAGMA defer_foreign_keys = ON")  # until the transaction ends
    yield


def first_broken_reference(conn: sqlite3.Connection) -> tuple[str, str] | None:
    row = conn.execute("PRAGMA foreign_key_check").fetchone()
    return (row[0], row[2]) if row else None
