"""The schema version of a PostgreSQL database, checked by every command.

Kept apart from store/pg_schema.py, whose migrations need SQLite's DDL (and sqlite-utils):
a command on an up-to-date database reads one row here and imports none of that.
"""

from __future__ import annotations

from idolq.domain.errors import DatabaseUnavailable
from idolq.store.schema_version import SCHEMA_VERSION

VERSION_TABLE = "idolq_schema"


def schema_version(conn) -> int:
    """0 for a database (or schema) without idolq's tables."""
    found = conn.execute("SELECT to_regclass(?)", (VERSION_TABLE,)).fetchone()[0]
    if found is None:
        return 0
    return conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()[0]


def ensure_current_schema(conn) -> None:
    version = schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise DatabaseUnavailable(
            f"{conn.label} has schema version {version}, newer than this idolq knows "
            f"({SCHEMA_VERSION}); upgrade idolq")
    if version == 0:
        raise DatabaseUnavailable(f"{conn.label} is not an idolq database; run `idolq init"
                                  f" --db {conn.label}` to make one")
    from idolq.store.pg_schema import migrate

    migrate(conn)
