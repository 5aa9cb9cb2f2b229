"""Busy hours from task events: intervals, rework, reassignment, overlaps counted once."""

from __future__ import annotations

from datetime import UTC, datetime

from idolq.domain.metrics import LogEntry
from idolq.domain.utilization import Interval, busy_hours, task_intervals

END = datetime(2026, 1, 11, tzinfo=UTC)


def _events(*steps: tuple[str, str, dict]) -> list[LogEntry]:
    return [LogEntry(n, kind, payload, "cli", "agent:02", f"2026-01-10T{hour}:00:00+00:00", 1)
            for n, (kind, hour, payload) in enumerate(steps, 1)]


def _hours(intervals: list[Interval]) -> list[tuple[str, float]]:
    return [(i.agent, (i.end - i.start).total_seconds() / 3600) for i in intervals]


def test_rework_after_a_rejection_is_busy_time_again():
    intervals = task_intervals(_events(
        ("task.created", "00", {"assigned_agent": 2}), ("task.started", "01", {}),
        ("task.completed", "03", {}), ("review.rejected", "05", {"reviewer_agent": 9}),
        ("task.completed", "06", {})), "0", END)
    assert _hours(intervals) == [("2", 2.0), ("2", 1.0)]


def test_reassigning_work_in_progress_ends_it_and_the_new_agent_starts_over():
    intervals = task_intervals(_events(
        ("task.started", "01", {"assigned_agent": 2}),
        ("task.assigned", "02", {"from_agent": 2, "assigned_agent": 3}),
        ("task.started", "04", {"assigned_agent": 3})), "0", END)
    assert _hours(intervals) == [("2", 1.0), ("3", 20.0)]  # still in progress at the end


def test_overlapping_tasks_count_once_and_hours_are_clipped_to_the_period():
    start = datetime(2026, 1, 10, 2, tzinfo=UTC)
    intervals = [Interval("2", datetime(2026, 1, 10, 0, tzinfo=UTC), datetime(2026, 1, 10, 4,
                                                                              tzinfo=UTC)),
                 Interval("2", datetime(2026, 1, 10, 3, tzinfo=UTC), datetime(2026, 1, 10, 6,
                                                                              tzinfo=UTC)),
                 Interval("5", datetime(2026, 1, 9, tzinfo=UTC), datetime(2026, 1, 10, 1,
                                                                          tzinfo=UTC))]
    assert busy_hours(intervals, start, END) == {"2": 4.0}  # 02:00-06:00; agent 5 before
