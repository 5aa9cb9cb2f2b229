"""`idolq metrics`: the design's four measures over a period, from the event log."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, tzinfo

from idolq import clock
from idolq.domain import metrics
from idolq.domain.utilization import HISTORY_TYPES
from idolq.domain.values import format_time
from idolq.services.queries import snapshot
from idolq.store import metrics as metrics_store

DEFAULT_DAYS = 30


def measure(conn: sqlite3.Connection, zone: tzinfo, since: datetime | None = None,
            until: datetime | None = None) -> dict:
    """The metrics document for [since, until) (default: the 30 days up to now, this second
    included: what was just logged counts)."""
    end = until or clock.now() + timedelta(seconds=1)
    span = metrics.period(since or end - timedelta(days=DEFAULT_DAYS), end, zone)
    start_text, end_text = format_time(span.since), format_time(span.until)
    with snapshot(conn):
        window = metrics_store.window_events(conn, start_text, end_text, metrics.WINDOW_TYPES)
        submitted = metrics_store.submissions(conn, start_text, end_text)
        histories = metrics_store.task_histories(conn, start_text, HISTORY_TYPES)
        agents = metrics_store.agent_numbers(conn)
    return metrics.metrics_document(span, window, submitted, histories, agents)
