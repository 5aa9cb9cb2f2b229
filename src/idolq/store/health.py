"""SQL for `idolq doctor` and for init's look before it writes: read-only questions about
a database file."""

from __future__ import annotations

import sqlite3

SQLITE_HEADER = b"SQLite format 3\x00"
FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024  # larger files get PRAGMA quick_check


def has_sqlite_header(path) -> bool:
    with open(path, "rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def open_for_reading(path) -> sqlite3.Connection:
    """A plain connection: none of the settings that write (journal mode, synchronous)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def integrity_messages(conn: sqlite3.Connection, full: bool = True) -> list[str]:
    """What SQLite's integrity check says: [] when it says "ok"."""
    pragma = "integrity_check" if full else "quick_check"
    messages = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if messages == ["ok"] else messages


def journal_mode(conn: sqlite3.Connection) -> str:
    return conn.execute("PRAGMA journal_mode").fetchone()[0].lower()


def foreign_key_violations(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """(table, rowid, parent table) of each row whose reference leads nowhere."""
    return [(row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")]


def schema_objects(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(type, name) of the tables, indexes and triggers idolq created (not SQLite's own)."""
    rows = conn.execute("SELECT type, name FROM sqlite_master"
                        " WHERE type IN ('table', 'index', 'trigger')"
                        " AND name NOT LIKE 'sqlite_%'")
    return {(row[0], row[1]) for row in rows}


def status_count_mismatches(conn: sqlite3.Connection) -> list[tuple[str, str, int, int]]:
    """(table, status, kept count, real count) wherever status_counts has drifted."""
    rows = conn.execute(
        """WITH real AS (SELECT 'tasks' AS entity, status, COUNT(*) AS n FROM tasks
                          GROUP BY status
                         UNION ALL
                         SELECT 'reviews', status, COUNT(*) FROM reviews GROUP BY status),
                keys AS (SELECT entity, status FROM real
                         UNION SELECT entity, status FROM status_counts)
           SELECT k.entity, k.status, COALESCE(c.n, 0), COALESCE(r.n, 0) FROM keys k
             LEFT JOIN status_counts c ON c.entity = k.entity AND c.status = k.status
             LEFT JOIN real r ON r.entity = k.entity AND r.status = k.status
            WHERE COALESCE(c.n, 0) != COALESCE(r.n, 0)
            ORDER BY k.entity, k.status""")
    return [tuple(row) for row in rows]


def notification_targets(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, action_type, action_config) of every notification target."""
    rows = conn.execute("SELECT id, action_type, action_config FROM webhook_triggers"
                        " ORDER BY id")
    return [tuple(row) for row in rows]


def expected_schema_objects() -> set[tuple[str, str]]:
    """The objects a database of this idolq's schema holds: migrate an empty one and look."""
    from idolq.store.schema import migrate

    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(scratch, ":memory:")
        return schema_objects(scratch)
    finally:
        scratch.close()
