"""PostgreSQL through psycopg 3, behind what the store uses of sqlite3.Connection.

Imported only when `--db`/IDOLQ_DB is a postgresql:// URL, so SQLite's startup never loads
psycopg. Statements are translated once (store/dialect.py); psycopg's errors become the
sqlite3 error classes the services already map to one clear line (store/connection.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import count
from urllib.parse import unquote

import psycopg
from psycopg import pq

from idolq.store.connection import BackendError, TransientError, redact
from idolq.store.dialect import POSTGRESQL, translate

LOCK_TIMEOUT = "60s"  # as SQLite's busy timeout
STREAM_BATCH = 500  # rows a listing fetches from the server at a time
_IN_TRANSACTION = (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR,
                   pq.TransactionStatus.ACTIVE)


class Row:
    """Addressable by index and by column name, like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values, index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return tuple(self._values) == tuple(other)

    def __repr__(self) -> str:
        return f"Row({tuple(self._values)!r})"


def _row_factory(cursor):
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


class Cursor:
    def __init__(self, cursor, lastrowid: int | None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection in autocommit mode: transactions are begun explicitly."""

    dialect = POSTGRESQL

    def __init__(self, raw: psycopg.Connection, label: str) -> None:
        self.raw = raw
        self.label = label
        self.writing = False  # inside a write transaction: reads lock rows (dialect.lock_rows)
        self._trace = None

    def set_trace_callback(self, callback) -> None:
        """As sqlite3's: `callback(sql)` for every statement, as the store wrote it."""
        self._trace = callback

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in _IN_TRANSACTION

    def execute(self, sql: str, params=()) -> Cursor:
        text, wants_id = translate(sql)
        if self._trace is not None:
            self._trace(sql)
        if sql == "BEGIN IMMEDIATE":
            self.writing = True
        elif sql in ("COMMIT", "ROLLBACK"):
            self.writing = False
        try:
            cursor = self.raw.execute(text, list(params))
            lastrowid = cursor.fetchone()[0] if wants_id and cursor.rowcount == 1 else None
        except psycopg.Error as error:
            raise database_error(error, self.label) from None
        return Cursor(cursor, lastrowid)

    def stream(self, sql: str, params=()) -> Iterator:
        """Rows of a long read, fetched from the server in batches through a cursor there,
        so that the client never holds them all. Only inside a read snapshot: a write
        transaction reads short lists (and keeps the one round trip of `execute`); outside
        a transaction there is no cursor to keep."""
        if not self.in_transaction or self.writing:
            return iter(self.execute(sql, params))
        text, _ = translate(sql)
        if self._trace is not None:
            self._trace(sql)
        cursor = self.raw.cursor(f"idolq_rows_{next(_cursor_names)}", scrollable=False)
        cursor.itersize = STREAM_BATCH
        try:
            cursor.execute(text, list(params))
        except psycopg.Error as error:
            cursor.close()
            raise database_error(error, self.label) from None
        return _batches(cursor, self.label)

    def executemany(self, sql: str, rows) -> None:
        text, _ = translate(sql)
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(text, [list(row) for row in rows])
        except psycopg.Error as error:
            raise database_error(error, self.label) from None

    def commit(self) -> None:
        """As sqlite3's in autocommit mode: ends an open transaction, else does nothing."""
        if self.in_transaction:
            self.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


_cursor_names = count(1)


def _batches(cursor, where: str) -> Iterator:
    """A server-side cursor's rows; closed when done or abandoned (the snapshot's end
    closes it on the server anyway)."""
    try:
        yield from cursor
    except psycopg.Error as error:
        raise database_error(error, where) from None
    finally:
        cursor.close()


def label(url: str) -> str:
    """The URL without its password, to name the database in messages."""
    return redact(url)


def database_error(error: psycopg.Error, where: str) -> sqlite3.Error:
    """psycopg's error as the sqlite3 class the services map, with one clear message."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.errors.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(error, psycopg.errors.DataError):  # a value the column's type refuses
        return sqlite3.DataError(text)
    if isinstance(error, (psycopg.errors.DeadlockDetected,
                          psycopg.errors.SerializationFailure)):
        return TransientError(f"{where}: other processes kept changing the same rows at the"
                              f" same time ({text}); try again")
    if isinstance(error, (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled)):
        return BackendError(f"{where} stayed locked by another process; try again")
    if isinstance(error, psycopg.OperationalError):
        return BackendError(f"cannot use the PostgreSQL database {where}: {text}")
    return sqlite3.OperationalError(text)


def connect(url: str) -> PgConnection:
    where = label(url)
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10,
                              row_factory=_row_factory,  # named in pg_stat_activity:
                              fallback_application_name="idolq")
        raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    except psycopg.Error as error:
        problem = database_error(error, where)
        if not isinstance(problem, BackendError):  # the URL itself: a bad port, query...
            problem = BackendError(f"cannot use the PostgreSQL database {where}: {problem}")
        raise BackendError(_without_password(str(problem), url)) from None
    return PgConnection(raw, where)


def _without_password(text: str, url: str) -> str:
    """What the client library said about a URL may quote its password: never print it."""
    userinfo = url.partition("://")[2].rpartition("@")[0]
    password = userinfo.partition(":")[2]
    for secret in sorted({password, unquote(password)}, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text
