"""Notifications: an outbox written with the event, delivered after commit, retried."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from idolq import clock
from idolq.domain.documents import event_json
from idolq.domain.errors import InvalidTransition, NotFound
from idolq.domain.messages import describe
from idolq.domain.model import Event
from idolq.domain.values import format_time
from idolq.services.uow import UnitOfWork, retried
from idolq.store import notifications as store
from idolq.store.events import events_by_ids

if TYPE_CHECKING:
    from idolq.services.notify_targets import TargetChecker

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
STALE_CLAIM = timedelta(minutes=5)
MAX_ERROR_LENGTH = 500


def backoff_seconds(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed tries: 30s, 1m, 2m, ... up to 1h."""
    return min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1))


class DeliveryReport:
    """What one delivery round did (a plain class: this module loads on every write)."""

    def __init__(self) -> None:
        self.sent = self.retrying = self.failed = self.not_allowed = 0


class NotAllowedHere(Exception):
    """A command target this user has not allowed: its notification waits, untried."""


def deliver_due(conn: sqlite3.Connection, limit: int = 100,
                should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """Send what is due. Claims are made and outcomes recorded in short transactions;
    nothing is held open while a target is being reached. Notifications for commands the
    user running this has not allowed are left queued, untried; a broken target fails its
    own notifications only."""
    from idolq.services.notify_targets import TargetChecker

    report = DeliveryReport()
    checker = TargetChecker()
    with UnitOfWork(conn, "idolq:notify", source="notify") as uow:
        stale_before = format_time(clock.now() - STALE_CLAIM)
        if not store.any_due(conn, uow.now, stale_before):
            return report
        waiting = _not_allowed_here(conn, checker)
        if waiting:
            report.not_allowed = store.count_due_for(conn, uow.now, stale_before, waiting)
        ids = store.claim_due(conn, uow.now, stale_before, limit, waiting)
        rows = store.notification_rows(conn, ids) if ids else []
        events = {e.id: e for e in _events(conn, rows)}
    if not rows:
        return report
    from idolq.adapters.delivery import DeliveryFailed

    for row in rows:
        if should_stop():
            _release(conn, row)
            continue
        try:
            send(row, events[row["event_id"]], checker)
        except NotAllowedHere:
            _release(conn, row)
            report.not_allowed += 1
        except DeliveryFailed as error:
            gave_up = _record_failure(conn, row, str(error))
            report.failed += gave_up
            report.retrying += not gave_up
        else:
            with UnitOfWork(conn, "idolq:notify", source="notify") as uow:
                store.record_sent(conn, row["id"], row["trigger_id"], uow.now)
            report.sent += 1
    return report


def _not_allowed_here(conn: sqlite3.Connection, checker: TargetChecker) -> list[int]:
    """Command targets whose notifications this user must leave queued."""
    from idolq.services.notify_targets import NOT_ALLOWED

    return [target_id for target_id, stored in store.active_command_configs(conn)
            if checker.check(target_id, "command", stored)[1] == NOT_ALLOWED]


def _events(conn: sqlite3.Connection, rows: list[dict]) -> list[Event]:
    return events_by_ids(conn, sorted({row["event_id"] for row in rows}))


@retried
def _release(conn: sqlite3.Connection, row: dict) -> None:
    """Give a claimed notification back, untried (the sender is stopping)."""
    with UnitOfWork(conn, "idolq:notify", source="notify"):
        store.release_claim(conn, row["id"])


@retried
def _record_failure(conn: sqlite3.Connection, row: dict, error: str) -> bool:
    from idolq.domain.targets import redact_text

    attempts = row["attempts"] + 1
    with UnitOfWork(conn, "idolq:notify", source="notify"):
        gave_up = attempts >= MAX_ATTEMPTS
        retry_at = None if gave_up else format_time(
            clock.now() + timedelta(seconds=backoff_seconds(attempts)))
        store.record_failure(conn, row["id"], redact_text(error)[:MAX_ERROR_LENGTH], retry_at)
    return gave_up


def send(row: dict, event: Event, checker: TargetChecker) -> None:
    """Deliver one notification with its target's configuration exactly as read with it."""
    from idolq.adapters import delivery
    from idolq.domain.targets import chat_body
    from idolq.services.notify_targets import BROKEN, NOT_ALLOWED

    config, status, problem = checker.check(row["trigger_id"], row["action_type"],
                                            row["action_config"])
    if status == BROKEN:
        raise delivery.DeliveryFailed(f"target {row['trigger_id']} is broken: {problem}")
    if status == NOT_ALLOWED:
        raise NotAllowedHere(problem)
    document = event_json(event)
    if row["action_type"] == "command":
        delivery.run_command(config["command"], document, config["timeout"])
        return
    try:
        text = f"[idolq] {describe(event.type, event.payload)}"
    except (TypeError, ValueError, AttributeError) as error:  # a payload edited with SQL
        raise delivery.DeliveryFailed(f"event {event.id} cannot be described: {error}") from None
    body = chat_body(config.get("format", "json"), text, document)
    delivery.post_json(config["url"], body, config["timeout"])


def __getattr__(name: str):
    """Target management lives in notify_targets (loaded only when targets are managed)."""
    if name in ("add_target", "remove_target", "list_targets", "allow_target"):
        from idolq.services import notify_targets

        return getattr(notify_targets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def iter_notifications(conn: sqlite3.Connection, status: str | None = None,
                       limit: int | None = None) -> Iterator[dict]:
    """The outbox, oldest first, streamed within one snapshot (see queries.streamed), each
    with how its target stands for this user."""
    from idolq.services.notify_targets import TargetChecker, notification_document
    from idolq.services.queries import streamed

    checker = TargetChecker()
    rows = streamed(conn, lambda: store.list_notifications(conn, status, limit))
    return (notification_document(row, checker) for row in rows)


def list_notifications(conn: sqlite3.Connection, status: str | None = None,
                       limit: int | None = None) -> list[dict]:
    return list(iter_notifications(conn, status, limit))


@retried
def retry(conn: sqlite3.Connection, ids: list[int] | None, actor: str) -> list[int]:
    """Give failed notifications (all, or these) a fresh set of attempts, due now."""
    with UnitOfWork(conn, actor, source="notify") as uow:
        for notification_id in ids or ():
            status = store.notification_status(conn, notification_id)
            if status is None:
                raise NotFound(f"no notification {notification_id}")
            if status != "failed":
                raise InvalidTransition(
                    f"notification {notification_id} is {status}; only failed ones are retried")
        return store.requeue(conn, ids, uow.now)
