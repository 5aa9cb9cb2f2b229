"""`idolq doctor`: is this database whole, current, and what idolq relies on? Read only."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from idolq.domain.errors import IdolqError
from idolq.store import health
from idolq.store.connection import database_url, locate, redact
from idolq.store.schema_version import SCHEMA_VERSION

MAX_LISTED = 10  # per check: a damaged file can have thousands of bad rows
LONG_LOCK_WAIT_SECONDS = 10.0  # an idolq command holds its row locks for milliseconds
CROWDED_CONNECTIONS = 0.9  # of the connections a server gives to ordinary users


@dataclass
class Diagnosis:
    db: str
    size_bytes: int
    backend: str = "sqlite"
    schema_version: int | None = None
    expected_schema_version: int = SCHEMA_VERSION
    integrity: str = "not checked"
    journal_mode: str | None = None
    server: dict | None = None  # a database server's health (PostgreSQL); None for a file
    problems: list[dict] = field(default_factory=list)

    def problem(self, check: str, message: str) -> None:
        self.problems.append({"check": check, "message": message})


def diagnose(explicit: str | os.PathLike | None = None) -> Diagnosis:
    """Every check that applies; a file that cannot be read is a problem, not an error."""
    url = database_url(explicit)
    if url is not None:
        return _diagnose_postgresql(url)
    path = locate(explicit)
    found = Diagnosis(str(path.resolve()), path.stat().st_size)
    if not _is_sqlite(path, found):
        return found
    try:
        conn = health.open_for_reading(path)
    except sqlite3.Error as error:
        found.problem("open", f"SQLite cannot open it: {error}")
        return found
    try:
        _check(conn, path, found)
    finally:
        conn.close()
    return found


def _diagnose_postgresql(url: str) -> Diagnosis:
    """On PostgreSQL: does the server answer, how busy is it, which schema version, and the
    checks of rows idolq relies on. The server keeps its own files whole (no integrity
    check here)."""
    try:
        from idolq.store import pg, pg_schema
    except ImportError:
        found = Diagnosis(redact(url), 0, backend="postgresql")
        found.problem("open", "PostgreSQL needs psycopg: pip install 'idolq[postgres]'")
        return found
    found = Diagnosis(pg.label(url), 0, backend="postgresql", server=dict.fromkeys(
        ("version", "answers", "round_trip_ms", "connections", "max_connections",
         "long_lock_waits", "longest_lock_wait_seconds")) | {"answers": False})
    try:
        conn = pg.connect(url)
    except sqlite3.Error as error:
        found.problem("open", str(error))
        return found
    try:
        found.server["answers"] = True
        _server(conn, found)
        found.size_bytes = pg_schema.database_size(conn)
        found.schema_version = pg_schema.schema_version(conn)
        current = found.schema_version == SCHEMA_VERSION  # else other tables to check
        if _schema_version_problems(found.schema_version, found) and current:
            for check in (_status_counts, _sla_policy, _notification_targets):
                check(conn, found.db, found)
    except sqlite3.Error as error:
        found.problem("server", f"PostgreSQL cannot answer: {error}")
    finally:
        conn.close()
    return found


def _server(conn, found: Diagnosis) -> None:
    """The server's version and latency, its connections in use, and long waits for locks
    on idolq's tables."""
    from idolq.store import pg_health

    in_use, most, reserved = pg_health.connections(conn)
    waits = pg_health.lock_waits(conn)
    long_waits = [wait for wait in waits if wait >= LONG_LOCK_WAIT_SECONDS]
    found.server.update(version=pg_health.server_version(conn),
                        round_trip_ms=pg_health.round_trip_ms(conn), connections=in_use,
                        max_connections=most, long_lock_waits=len(long_waits),
                        longest_lock_wait_seconds=round(max(waits, default=0.0), 1))
    usable = most - reserved
    if in_use >= CROWDED_CONNECTIONS * usable:
        found.problem("connections", f"{in_use} connections are open and the server takes "
                      f"{usable} from ordinary users: more clients will be refused; close "
                      "idle ones or raise max_connections")
    if long_waits:
        found.problem("locks", f"{len(long_waits)} session(s) have waited over "
                      f"{LONG_LOCK_WAIT_SECONDS:g} s for a lock on idolq's tables (longest "
                      f"{max(long_waits):.0f} s): a transaction holds it open; see "
                      "pg_stat_activity")


def _is_sqlite(path: Path, found: Diagnosis) -> bool:
    if found.size_bytes == 0:
        found.problem("file", "the file is empty: it holds no database (`idolq init` makes one)")
        return False
    if not health.has_sqlite_header(path):
        found.problem("file", "the file is not an SQLite database")
        return False
    return True


def _check(conn: sqlite3.Connection, path: Path, found: Diagnosis) -> None:
    checks = (_integrity, _schema_version, _journal_mode, _foreign_keys, _schema_objects,
              _status_counts, _sla_policy, _notification_targets)
    for check in checks:
        try:
            if check(conn, path, found) is False:
                return  # what follows needs what this one found missing
        except sqlite3.Error as error:  # the rest would only say the same again
            found.problem(check.__name__.strip("_"), f"SQLite cannot read it: {error}")
            return


def _integrity(conn, path, found) -> bool:
    try:
        messages = health.integrity_messages(conn, full=found.size_bytes
                                             <= health.FULL_CHECK_MAX_BYTES)
    except sqlite3.DatabaseError as error:
        messages = [str(error)]
    found.integrity = messages[0] if messages else "ok"
    for message in messages[:MAX_LISTED]:
        found.problem("integrity", message)
    _more(found, "integrity", len(messages))
    return True


def _schema_version(conn, path, found) -> bool:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    found.schema_version = version
    return _schema_version_problems(version, found)


def _schema_version_problems(version: int, found: Diagnosis) -> bool:
    """False when there is no idolq schema to check further."""
    if version == 0:
        found.problem("schema_version", "this is not an idolq database (schema version 0); "
                      "`idolq init` makes one in an empty file")
        return False
    if version < SCHEMA_VERSION:
        found.problem("schema_version", f"schema version {version} is older than this idolq's "
                      f"({SCHEMA_VERSION}): `idolq init` upgrades it")
    elif version > SCHEMA_VERSION:
        found.problem("schema_version", f"schema version {version} is newer than this idolq "
                      f"knows ({SCHEMA_VERSION}): upgrade idolq")
    return True


def _journal_mode(conn, path, found) -> None:
    found.journal_mode = health.journal_mode(conn)
    if found.journal_mode != "wal":
        found.problem("journal_mode", f"journal mode is {found.journal_mode}, not wal: other "
                      "processes wait on each other; `idolq init` switches it back")


def _foreign_keys(conn, path, found) -> None:
    violations = health.foreign_key_violations(conn)
    for table, rowid, parent in violations[:MAX_LISTED]:
        found.problem("foreign_keys", f"{table} row {rowid} refers to a missing {parent} row")
    _more(found, "foreign_keys", len(violations))


def _schema_objects(conn, path, found) -> bool:
    if found.schema_version != SCHEMA_VERSION:
        return False  # an older or newer schema has other objects: nothing to compare
    missing = sorted(health.expected_schema_objects() - health.schema_objects(conn))
    for kind, name in missing:
        found.problem("schema", f"{kind} {name} is missing")
    return not any(kind == "table" for kind, _ in missing)


def _status_counts(conn, path, found) -> None:
    for entity, status, kept, real in health.status_count_mismatches(conn):
        found.problem("status_counts", f"status_counts says {kept} {entity} are {status}, "
                      f"the table holds {real}")


def _sla_policy(conn, path, found) -> None:
    from idolq.services.sla_policy import usable_rules

    for problem in usable_rules(conn)[1]:
        found.problem("sla_policy", problem)


def _notification_targets(conn, path, found) -> None:
    from idolq.contract_targets import target_config

    for target_id, kind, config in health.notification_targets(conn):
        try:
            document = json.loads(config)
            if not isinstance(document, dict):
                raise ValueError("it is not a JSON object")
            target_config(kind, document)
        except (ValueError, TypeError, IdolqError) as error:
            reason = getattr(error, "message", None) or str(error)
            found.problem("notification_targets",
                          f"notification target {target_id}: action_config is unusable "
                          f"({reason})")


def _more(found: Diagnosis, check: str, count: int) -> None:
    if count > MAX_LISTED:
        found.problem(check, f"... and {count - MAX_LISTED} more")
