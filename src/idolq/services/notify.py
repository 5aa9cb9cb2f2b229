"""Notifications: an outbox written with the event, delivered after commit, retried."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta

from idolq import clock
from idolq.domain.documents import event_json
from idolq.domain.errors import InvalidTransition, InvalidValue, NotFound
from idolq.domain.messages import describe
from idolq.domain.model import Event
from idolq.domain.values import format_time
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork
from idolq.store import notifications as store
from idolq.store.events import events_by_ids

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
STALE_CLAIM = timedelta(minutes=5)


def backoff_seconds(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed tries: 30s, 1m, 2m, ... up to 1h."""
    return min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1))


class DeliveryReport:
    """What one delivery round did (a plain class: this module loads on every write)."""

    def __init__(self) -> None:
        self.sent = self.retrying = self.failed = 0


def deliver_due(conn: sqlite3.Connection, limit: int = 100,
                should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """Send what is due. Claims are made and outcomes recorded in short transactions;
    nothing is held open while a target is being reached."""
    report = DeliveryReport()
    with UnitOfWork(conn, "idolq:notify", source="notify") as uow:
        ids = store.claim_due(conn, uow.now, format_time(clock.now() - STALE_CLAIM), limit)
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
            send(row, events[row["event_id"]])
        except DeliveryFailed as error:
            gave_up = _record_failure(conn, row, str(error))
            report.failed += gave_up
            report.retrying += not gave_up
        else:
            with UnitOfWork(conn, "idolq:notify", source="notify") as uow:
                store.record_sent(conn, row["id"], row["trigger_id"], uow.now)
            report.sent += 1
    return report


def _events(conn: sqlite3.Connection, rows: list[dict]) -> list[Event]:
    return events_by_ids(conn, sorted({row["event_id"] for row in rows}))


def _release(conn: sqlite3.Connection, row: dict) -> None:
    """Give a claimed notification back, untried (the sender is stopping)."""
    with UnitOfWork(conn, "idolq:notify", source="notify"):
        store.release_claim(conn, row["id"])


def _record_failure(conn: sqlite3.Connection, row: dict, error: str) -> bool:
    attempts = row["attempts"] + 1
    with UnitOfWork(conn, "idolq:notify", source="notify"):
        gave_up = attempts >= MAX_ATTEMPTS
        retry_at = None if gave_up else format_time(
            clock.now() + timedelta(seconds=backoff_seconds(attempts)))
        store.record_failure(conn, row["id"], error, retry_at)
    return gave_up


def send(row: dict, event: Event) -> None:
    from idolq.adapters import delivery

    config = _checked_config(row)
    document = event_json(event)
    timeout = config["timeout"]
    if row["action_type"] == "command":
        delivery.run_command(config["command"], document, timeout)
        return
    text = f"[idolq] {describe(event.type, event.payload)}"
    body = {"json": {"text": text, "content": text, "event": document},
            "slack": {"text": text}, "discord": {"content": text},
            "raw": document}[config.get("format", "json")]
    delivery.post_json(config["url"], body, timeout)


def _checked_config(row: dict) -> dict:
    """The target's configuration as stored (users may edit webhook_triggers with SQL)."""
    from idolq.adapters.delivery import DeliveryFailed
    from idolq.contract import target_config

    try:
        return target_config(row["action_type"], row["action_config"])
    except InvalidValue as error:
        raise DeliveryFailed(f"target {row['trigger_id']}: {error.message}") from None


def add_target(conn: sqlite3.Connection, on: str, actor: str, url: str | None = None,
               command: list[str] | None = None, fmt: str = "json",
               timeout: float = 10.0) -> dict:
    """Subscribe a webhook (url) or a command to an event type or family."""
    from idolq.contract import target_config

    if (url is None) == (command is None):
        raise InvalidValue("give exactly one of --webhook URL or --command CMD")
    kind = "webhook" if url is not None else "command"
    given = {"url": url, "format": fmt} if url is not None else {"command": command}
    config = target_config(kind, {**given, "timeout": timeout})
    with UnitOfWork(conn, actor, source="notify") as uow:
        return store.insert_target(conn, on, kind, config, uow.now)


def remove_target(conn: sqlite3.Connection, target_id: int, actor: str) -> None:
    with UnitOfWork(conn, actor, source="notify"):
        if not store.delete_target(conn, target_id):
            raise NotFound(f"no active notification target {target_id}")


def list_targets(conn: sqlite3.Connection) -> list[dict]:
    with snapshot(conn):
        return store.targets(conn)


def iter_notifications(conn: sqlite3.Connection, status: str | None = None,
                       limit: int | None = None) -> Iterator[dict]:
    """The outbox, oldest first, streamed within one snapshot (see queries.streamed)."""
    from idolq.services.queries import streamed

    return streamed(conn, lambda: store.list_notifications(conn, status, limit))


def list_notifications(conn: sqlite3.Connection, status: str | None = None,
                       limit: int | None = None) -> list[dict]:
    return list(iter_notifications(conn, status, limit))


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
