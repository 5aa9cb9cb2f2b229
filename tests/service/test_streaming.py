"""Listings stream from the cursor inside one snapshot, and give what a full read gives."""

from __future__ import annotations

import pytest

from idolq.domain.errors import InvalidValue
from idolq.services import queries

from helpers import create, submit


@pytest.fixture
def busy(conn):
    for n in range(12):
        task = create(conn, title=f"t{n}", review_tier=3 if n % 3 else None)
        if n % 2:
            submit(conn, task.id)
    return conn


def _naive_last(conn, count, event_type=None, since=None):
    def matches(event):
        if event_type and event_type.endswith("*"):
            if not event.type.startswith(event_type.rstrip("*")):
                return False
        elif event_type and event.type != event_type:
            return False
        return since is None or event.timestamp >= since

    everything = list(queries.iter_last_events(conn, 10**9))
    return [e for e in everything if matches(e)][-count:] if count else []


@pytest.mark.parametrize("count", [0, 1, 5, 1000])
@pytest.mark.parametrize("event_type", [None, "task.created", "task.*", "review.requested",
                                        "sla.exceeded"])
def test_events_tail_gives_the_last_matching_events_oldest_first(busy, count, event_type):
    got = queries.last_events(busy, count, event_type)
    assert got == _naive_last(busy, count, event_type)
    assert [e.id for e in got] == sorted(e.id for e in got)


def test_events_tail_since_a_time_filters_as_well(busy):
    since = queries.last_events(busy, 3)[0].timestamp
    assert queries.last_events(busy, 1000, None, since) == _naive_last(busy, 1000, None, since)


def test_a_negative_count_is_refused_before_reading():
    with pytest.raises(InvalidValue):
        queries.iter_last_events(None, -1)


def test_a_listing_reads_one_snapshot_and_ends_it_when_done(busy):
    rows = queries.iter_tasks(busy)
    first = next(rows)
    assert busy.in_transaction  # the read is still open while rows come
    assert [first, *rows] == queries.list_tasks(busy)
    assert not busy.in_transaction


def test_a_listing_stopped_early_ends_its_snapshot(busy):
    rows = queries.iter_reviews(busy)
    next(rows)
    rows.close()
    assert not busy.in_transaction


def test_the_outbox_lists_its_last_notifications_oldest_first(conn):
    from idolq.services import notify

    conn.execute("BEGIN")
    conn.execute("INSERT INTO webhook_triggers (id, trigger_event, action_type) VALUES (1, 'x',"
                 " 'command')")
    for n in range(1, 8):
        conn.execute("INSERT INTO event_log (id, event_type, payload, source, actor, timestamp)"
                     " VALUES (?, 'x', '{}', 's', 'a', 't')", (n,))
        conn.execute("INSERT INTO notifications (event_id, trigger_id, status, next_attempt_at,"
                     " created_at) VALUES (?, 1, ?, 't', 't')",
                     (n, "sent" if n % 2 else "failed"))
    conn.execute("COMMIT")
    ids = lambda rows: [row["id"] for row in rows]  # noqa: E731
    assert ids(notify.list_notifications(conn)) == [1, 2, 3, 4, 5, 6, 7]
    assert ids(notify.list_notifications(conn, limit=3)) == [5, 6, 7]
    assert ids(notify.list_notifications(conn, "sent", 2)) == [5, 7]
    assert ids(notify.list_notifications(conn, "failed", 10)) == [2, 4, 6]
    assert ids(notify.list_notifications(conn, "sending")) == []


def _add_tasks(conn, first: int, count: int) -> None:
    from idolq.store.transaction import transaction

    with transaction(conn):
        conn.executemany(
            "INSERT INTO tasks (task_code, title, task_type, status, priority, created_at,"
            " updated_at, created_by) VALUES (?, ?, 'lore', 'pending', 2, ?, ?, 'tester')",
            [(f"LORE-{n:06d}", f"a task with a title of some length, number {n}",
              "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
             for n in range(first, first + count)])


def _peak_bytes_listing(conn) -> tuple[int, int]:
    """(rows seen, peak memory allocated while reading them one at a time)."""
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        seen = sum(1 for _ in queries.iter_tasks(conn))
        return seen, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_listing_holds_a_bounded_number_of_rows_however_many_it_reads(conn):
    _add_tasks(conn, 1, 1_000)
    small = _peak_bytes_listing(conn)
    _add_tasks(conn, 1_001, 5_000)
    large = _peak_bytes_listing(conn)
    assert (small[0], large[0]) == (1_000, 6_000)
    assert large[1] < 1.5 * small[1], (small, large)
