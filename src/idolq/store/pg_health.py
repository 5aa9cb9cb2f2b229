"""SQL for `idolq doctor` on PostgreSQL: read-only questions about the server and about the
database (and schema) idolq is in. Each is one cheap query on the server's own views."""

from __future__ import annotations

import time

from idolq.store.pg import PgConnection


def server_version(conn: PgConnection) -> str:
    return conn.execute("SELECT current_setting('server_version')").fetchone()[0]


def round_trip_ms(conn: PgConnection) -> float:
    """How long the server takes to answer a statement that does nothing."""
    started = time.perf_counter()
    conn.execute("SELECT 1").fetchone()
    return round((time.perf_counter() - started) * 1000, 2)


def connections(conn: PgConnection) -> tuple[int, int, int]:
    """(client connections open on the whole server, max_connections, of which reserved for
    superusers): a connection beyond the rest is refused."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),"
        " current_setting('max_connections')::int,"
        " current_setting('superuser_reserved_connections')::int").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def lock_waits(conn: PgConnection) -> list[float]:
    """Seconds each session of this database has been waiting for a lock, for the sessions
    that use idolq's tables (those of the current schema). Sessions of other users are seen
    only by a member of pg_read_all_stats (or a superuser)."""
    rows = conn.execute(
        """SELECT EXTRACT(EPOCH FROM now() - a.query_start) FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'
              AND a.pid != pg_backend_pid()
              AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                           WHERE l.pid = a.pid
                             AND c.relnamespace = current_schema()::regnamespace)
            ORDER BY 1 DESC""")
    return [float(row[0]) for row in rows]
