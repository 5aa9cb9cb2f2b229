"""`idolq daemon`: the SLA check and notification delivery on an interval."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from idolq import clock
from idolq.domain.values import format_time


@dataclass
class Cycle:
    at: str
    ok: bool
    open_breaches: int = 0
    new_escalations: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    error: str | None = None
    released: int = 0  # claims whose lease expired

    def line(self) -> str:
        if not self.ok:
            return f"{self.at} cycle failed: {self.error}; trying again next cycle"
        return (f"{self.at} sla: {self.open_breaches} open breach(es), {self.new_escalations} "
                f"new escalation(s), {self.released} expired lease(s) released; "
                f"notifications: {self.sent} sent, {self.retrying} to retry,"
                f" {self.failed} failed")


def run_cycle(db: str | None, actor: str, stop: threading.Event) -> Cycle:
    """One SLA check and one delivery round; a failure is reported, never raised."""
    from idolq.services.notify import deliver_due
    from idolq.services.sla import check_sla
    from idolq.store.connection import open_database

    at = format_time(clock.now())
    try:
        conn = open_database(db)
        try:
            report = check_sla(conn, actor)
            delivered = deliver_due(conn, should_stop=stop.is_set)
        finally:
            conn.close()
    except Exception as error:  # the daemon must outlive a bad cycle
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        return Cycle(at, ok=False, error=message)
    return Cycle(at, True, len(report.reviews) + len(report.tasks), report.new_escalations,
                 delivered.sent, delivered.retrying, delivered.failed,
                 released=len(report.released))


def run_daemon(db: str | None, actor: str, interval_seconds: float, once: bool,
               log: Callable[[Cycle], None], stop: threading.Event) -> bool:
    """Run cycles until `stop` is set (or once); returns whether the last cycle succeeded."""
    while True:
        cycle = run_cycle(db, actor, stop)
        log(cycle)
        if once or stop.wait(interval_seconds):
            return cycle.ok
