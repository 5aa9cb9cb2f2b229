"""Agent utilisation from the event log: when each agent had work in progress.

A task is in progress from `task.started` (or `task.claimed`, or a `review.rejected` that
sends it back for rework) until `task.completed`, `task.cancelled`, `task.released`,
`task.assigned` or `task.deferred`. An agent is busy while at least one of its tasks is in
progress: overlapping tasks count once (the union of their intervals).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

STARTS = frozenset({"task.started", "task.claimed", "review.rejected"})
ENDS = frozenset({"task.completed", "task.cancelled", "task.released", "task.assigned",
                  "task.deferred"})
AGENT_KEYS = ("assigned_agent", "agent", "to_agent")
HISTORY_TYPES = tuple(sorted(STARTS | ENDS | {"task.created"}))


class Interval(NamedTuple):
    agent: str
    start: datetime
    end: datetime


def _agent_in(payload: dict) -> str | None:
    for key in AGENT_KEYS:
        if isinstance(payload.get(key), int):
            return str(payload[key])
    return None


def task_intervals(events: Iterable, fallback_agent: str, until: datetime) -> list[Interval]:
    """One task's in-progress intervals, from its events in order (`until` closes the last)."""
    agent, opened, found = fallback_agent, None, []
    for event in events:
        moment = datetime.fromisoformat(event.timestamp)
        named = _agent_in(event.payload)
        if event.type in ENDS and opened is not None:
            found.append(Interval(agent, opened, moment))
            opened = None
        if named is not None:
            agent = named
        if event.type in STARTS and opened is None:
            opened = moment
    if opened is not None and opened < until:
        found.append(Interval(agent, opened, until))
    return found


def _merged(intervals: list[Interval]) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[datetime, datetime]] = []
    for start, end in sorted((i.start, i.end) for i in intervals):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def busy_hours(intervals: Iterable[Interval], start: datetime, end: datetime) -> dict[str, float]:
    """Hours each agent had work in progress within [start, end)."""
    by_agent: dict[str, list[Interval]] = {}
    for interval in intervals:
        by_agent.setdefault(interval.agent, []).append(interval)
    hours = {}
    for agent, own in by_agent.items():
        seconds = sum(max(0.0, (min(e, end) - max(s, start)).total_seconds())
                      for s, e in _merged(own))
        if seconds:
            hours[agent] = seconds / 3600
    return hours


def day_bounds(day: date, zone: tzinfo, since: datetime, until: datetime
               ) -> tuple[datetime, datetime]:
    """A local day as an instant range, clipped to the period."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return max(start, since), min(end, until)
