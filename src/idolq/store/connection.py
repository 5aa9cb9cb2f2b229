"""Finding the database, opening it, and keeping its schema current."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from idolq.domain.errors import DatabaseContended, DatabaseNotFound, DatabaseUnavailable
from idolq.store._sqlite_compat import keep_wal_on_close
from idolq.store.dialect import POSTGRESQL, dialect_of

DB_DIR = ".idolq"
DB_FILE = "idolq.db"
BUSY_TIMEOUT_MS = 60_000


class BackendError(sqlite3.OperationalError):
    """A database server's error, already worded for the user (see store/pg.py)."""


class TransientError(BackendError):
    """The server broke a transaction off so that another could go on (a deadlock, a
    serialization failure): running the whole operation again may succeed."""


POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def database_url(explicit: str | os.PathLike | None = None) -> str | None:
    """The PostgreSQL URL that `--db` or IDOLQ_DB gives, if it gives one."""
    chosen = str(explicit or os.environ.get("IDOLQ_DB") or "")
    return chosen if chosen.startswith(POSTGRESQL_SCHEMES) else None


def redact(url: str) -> str:
    """A database URL as messages name it: without its password, its query (which may hold
    one) or its fragment. Never fails, whatever the URL looks like."""
    scheme, separator, rest = url.partition("://")
    if "@" in rest:
        userinfo, _, rest = rest.rpartition("@")
        user = re.split(r"[:?#/]", userinfo, maxsplit=1)[0]
        rest = f"{user}@{rest}" if user else rest
    return scheme + separator + re.split(r"[?#]", rest, maxsplit=1)[0]


def database_name(explicit: str | os.PathLike) -> str:
    """How messages name the database that `--db`/IDOLQ_DB gives (a URL without its
    password, or the path)."""
    return redact(str(explicit)) if database_url(explicit) else str(explicit)


def locate(explicit: str | os.PathLike | None = None) -> Path | str:
    """`--db`, else IDOLQ_DB, else the nearest .idolq/idolq.db upwards from the cwd."""
    url = database_url(explicit)
    if url is not None:
        return url  # a server's database: whether it is there is known on connecting
    chosen = explicit or os.environ.get("IDOLQ_DB")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise DatabaseNotFound(f"no idolq database at {path}; run `idolq init --db {path}`")
        return path
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / DB_DIR / DB_FILE
        if candidate.is_file():
            return candidate
    raise DatabaseNotFound(
        "no idolq database in this directory or any parent; run `idolq init` to create one"
    )


def shadowed_database() -> Path | None:
    """A database above the current folder that `idolq init` here would hide."""
    here = Path.cwd()
    if (here / DB_DIR / DB_FILE).exists() or os.environ.get("IDOLQ_DB"):
        return None
    for folder in here.parents:
        candidate = folder / DB_DIR / DB_FILE
        if candidate.is_file():
            return candidate
    return None


def init_path(explicit: str | os.PathLike | None = None) -> Path:
    """Where `idolq init` creates the database."""
    chosen = explicit or os.environ.get("IDOLQ_DB")
    if chosen:
        return Path(chosen).expanduser()
    return Path.cwd() / DB_DIR / DB_FILE


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are begun explicitly."""
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        resolved = str(Path(path).resolve())
        keep_wal_on_close(conn, resolved)
        bound_wal(conn, resolved)
        return conn
    except sqlite3.Error as error:
        if conn is not None:
            conn.close()
        raise describe_error(error, path) from None


WAL_LIMIT_BYTES = 1 << 20
WAL_CHECKPOINT_WAIT_MS = 200


def bound_wal(conn: sqlite3.Connection, path: str) -> None:
    """Keep the WAL from growing without end.

    Connections close without checkpointing (store/_sqlite_compat.py), and the first
    connection of a process rebuilds the WAL's index, which forgets what was checkpointed: so
    SQLite never starts the WAL over, every commit past `wal_autocheckpoint` copies it all
    again, and every process reads all of it on opening. Once the WAL passes
    WAL_LIMIT_BYTES, the process opening the database checkpoints it and truncates it to
    nothing, waiting briefly for other processes' transactions; if they hold it longer, a
    later process does it."""
    try:
        size = os.stat(path + "-wal").st_size
    except OSError:
        return
    if size <= WAL_LIMIT_BYTES:
        return
    conn.execute(f"PRAGMA busy_timeout = {WAL_CHECKPOINT_WAIT_MS}")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.OperationalError:
        pass  # busy (another process's turn) or read-only: nothing lost either way
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


_shared: ContextVar[sqlite3.Connection | None] = ContextVar("idolq_shared", default=None)


@contextmanager
def sharing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Every command run inside uses `conn` (`idolq batch`: one transaction for them all)."""
    token = _shared.set(conn)
    try:
        yield conn
    finally:
        _shared.reset(token)


_opened: ContextVar[list | None] = ContextVar("idolq_opened", default=None)


@contextmanager
def closing_opened() -> Iterator[None]:
    """Every database opened inside is closed on the way out. A command leaves its connection
    to the end of its process; a long-lived process running commands (`idolq serve`) must
    not: an SQLite connection left open is freed only by a full garbage collection (its
    statement cache refers back to it), a PostgreSQL one holds a server connection."""
    opened: list = []
    token = _opened.set(opened)
    try:
        yield
    finally:
        _opened.reset(token)
        for conn in opened:
            with suppress(Exception):
                conn.close()


def open_database(explicit: str | os.PathLike | None = None) -> sqlite3.Connection:
    """Open an existing idolq database, upgrading its schema if it is older than this idolq."""
    shared = _shared.get()
    if shared is not None:
        return shared
    url = database_url(explicit)
    if url is not None:
        conn = open_postgresql(url)
    else:
        path = locate(explicit)
        conn = connect(path)
        try:
            ensure_current_schema(conn, path)
        except BaseException:
            conn.close()
            raise
    opened = _opened.get()
    if opened is not None:
        opened.append(conn)
    return conn


def open_postgresql(url: str):
    """The same, on PostgreSQL (psycopg is imported here, never for an SQLite file)."""
    try:
        from idolq.store import pg
    except ImportError:
        raise DatabaseUnavailable("PostgreSQL needs psycopg: pip install 'idolq[postgres]'"
                                  ) from None
    conn = pg.connect(url)
    try:
        from idolq.store.pg_version import ensure_current_schema

        ensure_current_schema(conn)
    except sqlite3.Error as error:
        conn.close()
        raise describe_error(error, conn.label) from None
    except BaseException:
        conn.close()
        raise
    return conn


def database_label(conn) -> str:
    """How messages name the database a connection is on."""
    label = getattr(conn, "label", None)
    if label is not None:
        return label
    try:
        return conn.execute("PRAGMA database_list").fetchone()[2] or "the database"
    except sqlite3.Error:
        return "the database"


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied (0 for a new or foreign database)."""
    if dialect_of(conn) == POSTGRESQL:
        from idolq.store.pg_version import schema_version as pg_schema_version

        return pg_schema_version(conn)
    return conn.execute("PRAGMA user_version").fetchone()[0]


def has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0


def use_wal(conn: sqlite3.Connection) -> None:
    """WAL is a property of the file: set once, at init, for every later connection."""
    conn.execute("PRAGMA journal_mode = WAL")


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the WAL into the database file and empty it (connections close without doing so:
    see store/_sqlite_compat.py)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_current_schema(conn: sqlite3.Connection, path: Path) -> None:
    from idolq.store.schema_version import SCHEMA_VERSION

    try:
        version = schema_version(conn)
    except sqlite3.Error as error:
        raise describe_error(error, path) from None
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise DatabaseUnavailable(
            f"{path} has schema version {version}, newer than this idolq knows "
            f"({SCHEMA_VERSION}); upgrade idolq"
        )
    if version == 0 and not _has_idolq_tables(conn):
        raise DatabaseUnavailable(f"{path} is not an idolq database; run `idolq init` to make one")
    from idolq.store.schema import migrate

    migrate(conn, path)


def _has_idolq_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tasks'").fetchone()
    return row is not None


def describe_error(error: sqlite3.Error, path: Path | str) -> DatabaseUnavailable:
    """One clear line for what SQLite says about a file it cannot use."""
    if isinstance(error, TransientError):
        return DatabaseContended(str(error))
    if isinstance(error, BackendError):
        return DatabaseUnavailable(str(error))
    text = str(error)
    if "malformed" in text:
        return DatabaseUnavailable(f"{path} is damaged ({text}); run `idolq doctor --db {path}`"
                                   " for details")
    if "not a database" in text:
        return DatabaseUnavailable(f"{path} is not a usable idolq database ({text})")
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(f"{path} is read-only: idolq cannot write to it")
    if "unable to open" in text:
        return DatabaseUnavailable(f"cannot open {path}: check that it and its folder are writable")
    if "locked" in text or "busy" in text:
        return DatabaseUnavailable(f"{path} stayed locked by another process; try again")
    return DatabaseUnavailable(f"database error on {path}: {text}")
