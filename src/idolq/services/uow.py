"""The unit of work: one operation, one transaction, with a synchronous event bus inside it."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from idolq import clock
from idolq.domain.model import Event
from idolq.domain.values import format_time
from idolq.store import events as event_store
from idolq.store.connection import describe_error

Handler = Callable[[Event, "UnitOfWork"], None]


class UnitOfWork:
    """`BEGIN IMMEDIATE` on entry; COMMIT on success, ROLLBACK on any error.

    Events published inside are appended to `event_log` and handed, in order, to
    their handlers, all within the same transaction: if a handler fails, the
    whole operation rolls back.
    """

    def __init__(self, conn: sqlite3.Connection, actor: str, source: str = "cli",
                 handlers: Mapping[str, Sequence[Handler]] | None = None) -> None:
        if handlers is None:
            from idolq.services.handlers import HANDLERS as handlers
        self.conn = conn
        self.actor = actor
        self.source = source
        self.handlers = handlers
        self.events: list[Event] = []
        self.memo: dict = {}  # for handlers: what they looked up once in this transaction
        self.now = ""
        self._queue: deque[Event] = deque()
        self._dispatching = False

    def __enter__(self) -> UnitOfWork:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise describe_error(error, _db_path(self.conn)) from None
        self.now = format_time(clock.now())
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._queue.clear()
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise describe_error(exc, _db_path(self.conn)) from exc
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise describe_error(error, _db_path(self.conn)) from None

    def publish(self, event_type: str, payload: dict, source: str | None = None) -> None:
        self.publish_all([(event_type, payload)], source)

    def publish_all(self, items: Sequence[tuple[str, dict]], source: str | None = None) -> None:
        """Queue events in order; they are logged before any of their handlers run."""
        self._queue.extend(Event(kind, payload, source or self.source) for kind, payload in items)
        if not self._dispatching:
            self._dispatch()

    def _dispatch(self) -> None:
        self._dispatching = True
        try:
            while self._queue:
                event = self._queue.popleft()
                event_id = event_store.append_event(self.conn, event, self.actor, self.now)
                logged = event._replace(id=event_id, actor=self.actor, timestamp=self.now)
                self.events.append(logged)
                for handler in (*self.handlers.get(event.type, ()), *self.handlers.get("*", ())):
                    handler(logged, self)
        finally:
            self._dispatching = False


def _db_path(conn: sqlite3.Connection) -> str:
    try:
        return conn.execute("PRAGMA database_list").fetchone()[2] or "the database"
    except sqlite3.Error:
        return "the database"

