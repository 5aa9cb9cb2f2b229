"""What differs between SQLite and PostgreSQL, one function per concern.

A connection carries its dialect (`conn.dialect`; a plain sqlite3.Connection has none and is
SQLite). The store's SQL is written for SQLite; on PostgreSQL `translate` rewrites the few
constructs that differ, once per statement text. Services never ask which database they are on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

# Tables whose rows have an `id` the inserting code reads back (SQLite's lastrowid).
ID_TABLES = ("tasks", "reviews", "task_history", "event_log", "webhook_triggers",
             "notifications", "task_dependencies", "routing_rules", "sla_escalations",
             "task_comments", "calendar_items")


def dialect_of(conn) -> str:
    return getattr(conn, "dialect", SQLITE)


def lock_rows(conn, alias: str) -> str:
    """Locking: SQLite's writer holds the whole database (BEGIN IMMEDIATE); on PostgreSQL a
    write transaction locks the rows it reads to decide (SELECT ... FOR UPDATE), so that
    writers on other rows go on in parallel."""
    if dialect_of(conn) == POSTGRESQL and getattr(conn, "writing", False):
        return f" FOR UPDATE OF {alias}"
    return ""


def stream_rows(conn, sql: str, params=()) -> Iterable:
    """The rows of a listing, to iterate once, without holding them all: SQLite's cursor
    steps through them; PostgreSQL's client would read a whole result first, so there a
    server-side cursor fetches them in batches (pg.PgConnection.stream)."""
    if dialect_of(conn) == POSTGRESQL:
        return conn.stream(sql, params)
    return conn.execute(sql, params)


def prefix_match(conn, column: str, prefix: str) -> tuple[str, str]:
    """`column` starts with `prefix`: GLOB on SQLite, LIKE (escaped) on PostgreSQL."""
    if dialect_of(conn) == POSTGRESQL:
        escaped = re.sub(r"([\\%_])", r"\\\1", prefix)
        return f"{column} LIKE ? ESCAPE '\\'", escaped + "%"
    escaped = re.sub(r"([*?\[])", r"[\1]", prefix)
    return f"{column} GLOB ?", escaped + "*"


_REWRITES = (
    # A write: each statement sees what others committed; rows it decides on are locked.
    (re.compile(r"^\s*BEGIN IMMEDIATE\s*$"), "BEGIN ISOLATION LEVEL READ COMMITTED"),
    # A read snapshot: one consistent view for every statement of the read.
    (re.compile(r"^\s*BEGIN\s*$"), "BEGIN ISOLATION LEVEL REPEATABLE READ"),
    (re.compile(r"\bgroup_concat\(", re.I), "string_agg("),
    (re.compile(r"\s+INDEXED BY \w+"), ""),
    (re.compile(r"\bWHERE 1\b"), "WHERE TRUE"),
    (re.compile(r"^\s*INSERT OR IGNORE INTO (\w+ \([^)]*\) VALUES \([^)]*\))", re.S),
     r"INSERT INTO \1 ON CONFLICT DO NOTHING"),
    # SQLite's IS / IS NOT compare values, NULL included.
    (re.compile(r"\bIS NOT \?"), "IS DISTINCT FROM ?"),
    (re.compile(r"\bIS \?"), "IS NOT DISTINCT FROM ?"),
    # Insertion order of a table without an id (review_stages, never updated in place).
    (re.compile(r"\browid\b"), "ctid"),
    # SQLite allows an empty list: nothing is in it, everything is not in it.
    (re.compile(r"([\w.]+) NOT IN \(\)"), r"(\1 IS NULL OR TRUE)"),
    (re.compile(r"\bIN \(\)"), "IN (NULL)"),
    # SQLite's `+column` keeps an index from serving a condition; PostgreSQL plans alone.
    (re.compile(r"(?<=[\s(])\+(?=[a-z_])"), ""),
)
_INSERT = re.compile(r"^\s*INSERT INTO (\w+)", re.I)
_QUOTED = re.compile(r"('(?:[^']|'')*')")


@lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, bool]:
    """SQLite's SQL for PostgreSQL (psycopg's `%s` placeholders); and whether an INSERT was
    given `RETURNING id` so that the caller can read the new row's id."""
    for pattern, replacement in _REWRITES:
        sql = pattern.sub(replacement, sql)
    parts = _QUOTED.split(sql)  # placeholders outside string literals only
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%").replace("?", "%s")
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%")
    sql = "".join(parts)
    insert = _INSERT.match(sql)
    wants_id = bool(insert and insert.group(1) in ID_TABLES and "RETURNING" not in sql.upper())
    return (sql + " RETURNING id" if wants_id else sql), wants_id
