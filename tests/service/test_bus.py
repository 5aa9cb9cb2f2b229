"""The unit of work and its bus: events logged and handled inside one transaction."""

from __future__ import annotations

import pytest

from idolq.domain import events
from idolq.domain.model import Event
from idolq.services import handlers as real_handlers
from idolq.services import reviews as review_service
from idolq.services.uow import UnitOfWork
from idolq.store.events import last_events

from conftest import table_snapshot
from helpers import create, pending_reviews, submit


def test_events_raised_by_handlers_are_logged_in_order_in_the_same_transaction(conn):
    seen = []

    def echo(event, uow):
        seen.append(event.type)
        if isinstance(event, events.TaskCreated):
            uow.publish(events.TaskBlocked(1, "X-001", blocked_by=["X-000"]))

    created = events.TaskCreated(1, "X-001", "t", "lore", 2, 1, None, "pending")
    with UnitOfWork(conn, "agent:01", handlers={events.TaskCreated: [echo],
                                                 events.TaskBlocked: [echo]}) as uow:
        uow.publish(created)
        assert conn.in_transaction
    assert seen == ["task.created", "task.blocked"]
    logged = list(last_events(conn, 10))
    assert [(e.type, e.actor) for e in logged] == [("task.created", "agent:01"),
                                                   ("task.blocked", "agent:01")]
    assert logged[0].id < logged[1].id


def test_handlers_of_every_event_get_the_logged_record_after_the_events_own_handlers(conn):
    seen = []
    registry = {events.TaskStarted: [lambda event, uow: seen.append(("own", event))],
                Event: [lambda logged, uow: seen.append(("every", logged))]}
    started = events.TaskStarted(1, "X-001", assigned_agent=2)
    with UnitOfWork(conn, "agent:02", handlers=registry) as uow:
        uow.publish(started)
    (own, typed), (every, logged) = seen
    assert (own, typed, every) == ("own", started, "every")
    assert logged == next(last_events(conn, 1))
    assert (logged.type, logged.payload) == ("task.started", started.payload())


def test_a_failing_handler_rolls_back_the_whole_operation(conn, db_path, monkeypatch):
    thread = create(conn, review_tier=3)
    submit(conn, thread.id)
    review_id = pending_reviews(conn, thread.id)["coordinator"]
    before = table_snapshot(db_path)

    def explode(event, uow):
        raise RuntimeError("handler failed")

    broken = {**real_handlers.HANDLERS, events.TaskApproved: [explode]}
    monkeypatch.setattr(real_handlers, "HANDLERS", broken)
    with pytest.raises(RuntimeError):
        review_service.approve_review(conn, review_id, "agent:00")
    assert not conn.in_transaction
    assert table_snapshot(db_path) == before


def test_write_transactions_begin_immediate(conn):
    statements = []
    conn.set_trace_callback(statements.append)
    create(conn)
    conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"
