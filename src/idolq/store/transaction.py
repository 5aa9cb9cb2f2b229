"""The one way idolq opens a transaction: units of work, read snapshots and migrations.

Connections are in autocommit mode (see `connection.connect`); a transaction is begun here
and ends here. Inside a transaction already, it is a savepoint instead: the inner block
rolls back alone on error and otherwise becomes part of the outer transaction, which
commits or rolls back everything (like sqlite-utils' `db.atomic()`).
"""

from __future__ import annotations

import sqlite3
from itertools import count

_savepoints = count(1)


class Transaction:
    """`with transaction(conn):` COMMIT on success, ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection, immediate: bool = True) -> None:
        self.conn = conn
        self.immediate = immediate
        self.savepoint: str | None = None

    @property
    def nested(self) -> bool:
        return self.savepoint is not None

    def __enter__(self) -> sqlite3.Connection:
        if self.conn.in_transaction:
            self.savepoint = f"idolq_{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {self.savepoint}")
        else:
            # IMMEDIATE takes the write lock now: a writer never fails half-way on a lock.
            self.conn.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._roll_back()
            return
        try:
            self.conn.execute(f"RELEASE {self.savepoint}" if self.nested else "COMMIT")
        except BaseException:
            self._roll_back()
            raise

    def _roll_back(self) -> None:
        # An error can end the whole transaction (savepoints included): then there is
        # nothing left to roll back, and the original error must not be masked.
        if not self.conn.in_transaction:
            return
        if self.nested:
            self.conn.execute(f"ROLLBACK TO {self.savepoint}")
            self.conn.execute(f"RELEASE {self.savepoint}")
        else:
            self.conn.execute("ROLLBACK")


def transaction(conn: sqlite3.Connection, immediate: bool = True) -> Transaction:
    """A transaction (BEGIN IMMEDIATE, or BEGIN for a read), or a savepoint when nested."""
    return Transaction(conn, immediate)
