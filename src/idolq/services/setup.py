"""Creating a database: `idolq init`."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from idolq.domain.errors import DatabaseUnavailable
from idolq.store import agents as agent_store
from idolq.store.connection import (
    checkpoint,
    connect,
    database_url,
    describe_error,
    ensure_current_schema,
    has_tables,
    init_path,
    schema_version,
    use_wal,
)


@dataclass
class InitResult:
    db: str
    schema_version: int
    agents: int
    created: bool


def init_database(explicit: str | os.PathLike | None = None) -> InitResult:
    """Create the database (WAL mode, current schema, default agents and routing).

    On an existing idolq database it only brings the schema up to date.
    """
    url = database_url(explicit)
    if url is not None:
        return _init_postgresql(url)
    path = init_path(explicit)
    created = not path.exists()
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a directory, not a database file")
    if not created and not path.is_file():  # /dev/null, a pipe, a socket: SQLite would
        raise DatabaseUnavailable(  # write a journal beside it
            f"{path} is not a regular file: give the path of a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnavailable(f"cannot create {path.parent}: {error.strerror}") from None
    conn = connect(path)
    try:
        return _initialise(conn, path, created)
    except sqlite3.Error as error:
        raise describe_error(error, path) from None
    finally:
        conn.close()


def _init_postgresql(url: str) -> InitResult:
    """On PostgreSQL the database exists already (the server's): init creates the schema."""
    from idolq.store.connection import open_postgresql

    try:
        from idolq.store import pg, pg_schema, pg_version
    except ImportError:
        return open_postgresql(url)  # says what to install
    conn = pg.connect(url)
    try:
        created = pg_schema.schema_version(conn) == 0
        version = pg_schema.migrate(conn) if created else None
        if version is None:
            pg_version.ensure_current_schema(conn)
        return InitResult(conn.label, pg_schema.schema_version(conn),
                          agent_store.agent_count(conn), created)
    except sqlite3.Error as error:
        raise describe_error(error, conn.label) from None
    finally:
        conn.close()


def _initialise(conn: sqlite3.Connection, path: Path, created: bool) -> InitResult:
    if not created:
        _check_before_writing(conn, path)
    use_wal(conn)
    if schema_version(conn) == 0:
        from idolq.store.schema import migrate

        migrate(conn, path)
    else:
        ensure_current_schema(conn, path)
    checkpoint(conn)  # the schema in the database file itself, not only in the WAL
    return InitResult(str(path.resolve()), schema_version(conn), agent_store.agent_count(conn),
                      created)


def _check_before_writing(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an existing file idolq must not touch, before anything is written to it."""
    from idolq.store import health
    from idolq.store.schema_version import SCHEMA_VERSION

    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise DatabaseUnavailable(
            f"{path} has schema version {version}, newer than this idolq knows "
            f"({SCHEMA_VERSION}); upgrade idolq")
    if version == 0 and has_tables(conn):
        raise DatabaseUnavailable(f"{path} is a database, but not an idolq one")
    try:
        damaged = bool(health.integrity_messages(conn, full=False))
    except sqlite3.DatabaseError:
        damaged = True
    if damaged:
        raise DatabaseUnavailable(
            f"{path} is damaged: it fails SQLite's integrity check; run `idolq doctor --db "
            f"{path}` for details")
