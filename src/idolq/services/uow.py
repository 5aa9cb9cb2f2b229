"""The unit of work: one operation, one transaction, with a synchronous event bus inside it."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from idolq import clock
from idolq.domain.errors import DatabaseContended
from idolq.domain.model import Event
from idolq.domain.values import format_time
from idolq.services import bus
from idolq.store import events as event_store
from idolq.store.connection import database_label, describe_error
from idolq.store.transaction import Transaction

ATTEMPTS = 5  # of an operation the database keeps breaking off (deadlocks): then reported
FIRST_PAUSE = 0.02  # seconds before the second attempt; doubled each time, jittered

Operation = TypeVar("Operation", bound=Callable[..., Any])

_recorder: ContextVar[list[Event] | None] = ContextVar("idolq_recorder", default=None)


@contextmanager
def recording() -> Iterator[list[Event]]:
    """Collect the events of the units of work committed inside: what an operation led to
    (reviews requested, tasks unblocked...), for the front ends to tell their users."""
    committed: list[Event] = []
    token = _recorder.set(committed)
    try:
        yield committed
    finally:
        _recorder.reset(token)


class UnitOfWork:
    """`BEGIN IMMEDIATE` on entry; COMMIT on success, ROLLBACK on any error.

    Events published inside (instances of the classes in `domain.events`) are appended
    to `event_log` and handed, in order, to their handlers, all within the same
    transaction: if a handler fails, the whole operation rolls back. A unit of work
    begun inside another one's transaction is a savepoint of it: its events are logged
    in the outer transaction, which commits or rolls back everything.
    """

    def __init__(self, conn: sqlite3.Connection, actor: str, source: str = "cli",
                 handlers: bus.Registry | None = None) -> None:
        self.conn = conn
        self.actor = actor
        self.source = source
        self.handlers = bus.registry() if handlers is None else handlers
        self.events: list[Event] = []  # as logged
        self.memo: dict = {}  # for handlers: what they looked up once in this transaction
        self.now = ""
        self._transaction = Transaction(conn)
        self._queue: deque[tuple[Any, str]] = deque()
        self._dispatching = False

    def __enter__(self) -> UnitOfWork:
        try:
            self._transaction.__enter__()
        except sqlite3.Error as error:
            raise describe_error(error, _db_path(self.conn)) from None
        self.now = format_time(clock.now())
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._queue.clear()
        try:
            self._transaction.__exit__(exc_type, exc, tb)
        except sqlite3.Error as error:
            raise describe_error(error, _db_path(self.conn)) from None
        if isinstance(exc, sqlite3.Error):
            raise describe_error(exc, _db_path(self.conn)) from exc
        recorder = _recorder.get()
        if recorder is not None and exc_type is None:
            recorder.extend(self.events)

    def publish(self, event: Any, source: str | None = None) -> None:
        self.publish_all([event], source)

    def publish_all(self, events: Iterable[Any], source: str | None = None) -> None:
        """Queue events in order; they are logged before any of their handlers run."""
        self._queue.extend((event, source or self.source) for event in events)
        if not self._dispatching:
            self._dispatch()

    def _dispatch(self) -> None:
        self._dispatching = True
        try:
            while self._queue:
                event, source = self._queue.popleft()
                record = Event(event.type, event.payload(), source)
                event_id = event_store.append_event(self.conn, record, self.actor, self.now)
                logged = record._replace(id=event_id, actor=self.actor, timestamp=self.now)
                self.events.append(logged)
                bus.handle(event, logged, self, self.handlers)
        finally:
            self._dispatching = False


def _db_path(conn: sqlite3.Connection) -> str:
    return database_label(conn)


def retried(operation: Operation) -> Operation:
    """A write operation (`operation(conn, ...)`, one unit of work) that runs again from the
    start when the database broke its transaction off so that another could go on: a
    deadlock, a serialization failure. A few attempts after short random pauses (two
    processes that collided do not collide again in step), then the error is reported.

    The attempt that failed rolled back whole: its events were not recorded (`recording`
    keeps those of committed units of work only) and its notifications, queued in the same
    transaction, went with it. Inside a transaction already (`idolq batch`, an operation
    run by another), the error goes up: only the outermost transaction can start over.
    """

    @wraps(operation)
    def run(conn: sqlite3.Connection, *args, **kwargs):
        if conn.in_transaction:
            return operation(conn, *args, **kwargs)
        for attempt in range(1, ATTEMPTS):
            try:
                return operation(conn, *args, **kwargs)
            except DatabaseContended:
                if conn.in_transaction:
                    raise
                _pause(attempt)
        return operation(conn, *args, **kwargs)

    return run  # type: ignore[return-value]


def _pause(attempt: int) -> None:
    import random
    import time

    time.sleep(FIRST_PAUSE * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
