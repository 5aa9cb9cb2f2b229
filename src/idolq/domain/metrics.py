"""The four measures the V2 design judges itself by, computed from the event log alone.

Definitions (docs/metrics.md explains them with examples):
- content velocity: `content.published` events per day of the period;
- review time: for each review round that ended in the period (final approval, or the
  rejection that sent the work back), the hours since the work was submitted for it;
- manual intervention: the share of workflow actions taken by `human:` actors;
- agent utilisation: hours per day each agent had work in progress (see utilization.py).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from idolq.domain.errors import InvalidValue
from idolq.domain.utilization import Interval, busy_hours, day_bounds

REVIEW_TIERS = ("1", "2", "3")
REVIEW_TYPES = ("canon", "cultural", "coordinator")
# Actions someone takes; the reactions the workflow adds (review.requested, task.approved,
# dependency.resolved...) are not actions.
ACTIONS = frozenset({
    "task.created", "task.started", "task.completed", "task.cancelled", "task.assigned",
    "task.updated", "task.commented", "task.claimed", "task.released", "task.deferred",
    "task.resumed", "review.approved", "review.rejected", "content.scheduled",
    "content.published", "content.cancelled"})
AUTOMATIC_SOURCES = frozenset({"workflow", "sla", "daemon", "import"})
HUMAN_PREFIX = "human:"
COUNTED = ("created", "completed", "approved", "rejected", "published")
WINDOW_TYPES = tuple(sorted(ACTIONS | {"task.approved"}))


class Target(NamedTuple):
    v1_baseline: float
    target_min: float | None
    target_max: float | None
    strict: bool = False  # "< 5": the maximum itself misses

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        if self.target_min is not None:  # more is better: the range's floor is the target
            return value >= self.target_min
        return value < self.target_max if self.strict else value <= self.target_max

    def label(self) -> str:
        if self.target_min is not None and self.target_max is not None:
            return f"{self.target_min:g}-{self.target_max:g}"
        if self.target_min is not None:
            return f">= {self.target_min:g}"
        return f"{'<' if self.strict else '<='} {self.target_max:g}"


TARGETS = {
    "content_velocity_per_day": Target(4, 15, 20),
    "review_time_hours": Target(4.5, None, 2.5),
    "manual_intervention_pct": Target(70, None, 5, strict=True),
    "agent_utilization_hours_per_day": Target(6, 16, None),
}


class LogEntry(NamedTuple):
    """An event as metrics read it from `event_log`."""

    id: int
    type: str
    payload: dict
    source: str
    actor: str
    timestamp: str
    task_id: int | None = None


class Period(NamedTuple):
    since: datetime
    until: datetime
    zone: tzinfo

    @property
    def days(self) -> float:
        return (self.until - self.since).total_seconds() / 86400

    def dates(self) -> list[date]:
        first = self.since.astimezone(self.zone).date()
        last = (self.until - timedelta(microseconds=1)).astimezone(self.zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def local_date(self, timestamp: str) -> date:
        return datetime.fromisoformat(timestamp).astimezone(self.zone).date()


def period(since: datetime, until: datetime, zone: tzinfo) -> Period:
    if until <= since:
        raise InvalidValue("invalid period: --until must be after --since")
    return Period(since, until, zone)


def summary(samples: Sequence[float]) -> dict:
    """count, avg, median and p90 (nearest rank) of hours, rounded to 0.01."""
    if not samples:
        return {"count": 0, "avg": None, "median": None, "p90": None}
    ordered = sorted(samples)
    return {"count": len(ordered), "avg": round(statistics.fmean(ordered), 2),
            "median": round(statistics.median(ordered), 2),
            "p90": round(ordered[math.ceil(0.9 * len(ordered)) - 1], 2)}


def counted_as(entry: LogEntry) -> str | None:
    """Which daily count an event adds to, if any."""
    if entry.type == "task.created":
        return "created"
    if entry.type == "task.approved" or (entry.type == "task.completed"
                                         and entry.payload.get("status") == "complete"):
        return "completed"
    return {"review.approved": "approved", "review.rejected": "rejected",
            "content.published": "published"}.get(entry.type)


def is_action(entry: LogEntry) -> bool:
    return entry.type in ACTIONS and entry.source not in AUTOMATIC_SOURCES


def manual_pct(entries: Iterable[LogEntry]) -> tuple[float | None, int, int]:
    """(percentage of actions by human: actors, actions, human actions)."""
    actions = [e for e in entries if is_action(e)]
    human = sum(1 for e in actions if e.actor.startswith(HUMAN_PREFIX))
    return (round(100 * human / len(actions), 1) if actions else None), len(actions), human


class Round(NamedTuple):
    tier: str
    hours: float
    ended: str  # timestamp


def review_rounds(window: Iterable[LogEntry], submissions: Iterable[LogEntry]) -> list[Round]:
    """Rounds that ended in the window, each timed from its submission (`task.completed`)."""
    submitted = {(e.task_id, e.payload.get("review_round")): e for e in submissions
                 if e.type == "task.completed" and e.payload.get("status") == "review"}
    rounds, seen = [], set()
    for entry in window:
        if entry.type not in ("task.approved", "review.rejected"):
            continue
        key = (entry.task_id, entry.payload.get("round"))
        start = submitted.get(key)
        if start is None or key in seen:
            continue
        seen.add(key)
        hours = (datetime.fromisoformat(entry.timestamp)
                 - datetime.fromisoformat(start.timestamp)).total_seconds() / 3600
        rounds.append(Round(str(start.payload.get("review_tier")), hours, entry.timestamp))
    return rounds


def review_decisions(window: Iterable[LogEntry]) -> dict[str, list[float]]:
    """Hours each decided review waited, by review type (from review_time_minutes)."""
    by_type: dict[str, list[float]] = {}
    for entry in window:
        if entry.type in ("review.approved", "review.rejected"):
            minutes = entry.payload.get("review_time_minutes")
            if isinstance(minutes, int | float):
                by_type.setdefault(entry.payload.get("review_type"), []).append(minutes / 60)
    return by_type


def daily_rows(span: Period, window: Sequence[LogEntry], rounds: Sequence[Round],
               intervals: Sequence[Interval], busy_agents: int) -> list[dict]:
    rows = {day: {"date": day.isoformat(), **dict.fromkeys(COUNTED, 0)} for day in span.dates()}
    actions: dict[date, list[LogEntry]] = {}
    for entry in window:
        day = span.local_date(entry.timestamp)
        if day not in rows:
            continue
        kind = counted_as(entry)
        if kind:
            rows[day][kind] += 1
        actions.setdefault(day, []).append(entry)
    hours_by_day: dict[date, list[float]] = {}
    for round_ in rounds:
        hours_by_day.setdefault(span.local_date(round_.ended), []).append(round_.hours)
    for day, row in rows.items():
        row["review_time_hours"] = summary(hours_by_day.get(day, []))["avg"]
        row["manual_intervention_pct"] = manual_pct(actions.get(day, []))[0]
        start, end = day_bounds(day, span.zone, span.since, span.until)
        busy = sum(busy_hours(intervals, start, end).values())
        row["agent_utilization_hours"] = round(busy / busy_agents, 2) if busy_agents else 0.0
    return list(rows.values())


def target_rows(values: dict[str, float | None]) -> dict:
    return {name: {"v1_baseline": target.v1_baseline, "target": target.label(),
                   "target_min": target.target_min, "target_max": target.target_max,
                   "value": values.get(name), "met": target.met(values.get(name))}
            for name, target in TARGETS.items()}


def utilization(span: Period, histories: dict[int, tuple[str, list[LogEntry]]]
                ) -> list[Interval]:
    from idolq.domain.utilization import task_intervals

    found: list[Interval] = []
    for fallback, entries in histories.values():
        found.extend(task_intervals(sorted(entries, key=lambda e: e.id), fallback, span.until))
    return found


def metrics_document(span: Period, window: Sequence[LogEntry], submissions: Sequence[LogEntry],
                     histories: dict[int, tuple[str, list[LogEntry]]],
                     agents: Sequence[str]) -> dict:
    """The `idolq metrics` document (see docs/metrics.md)."""
    rounds = review_rounds(window, submissions)
    intervals = utilization(span, histories)
    busy = busy_hours(intervals, span.since, span.until)
    per_agent = {agent: round(busy.get(agent, 0.0) / span.days, 2)
                 for agent in sorted({*agents, *busy}, key=_agent_order)}
    working = [hours for agent, hours in per_agent.items() if busy.get(agent)]
    counts = dict.fromkeys(COUNTED, 0)
    for entry in window:
        if kind := counted_as(entry):
            counts[kind] += 1
    manual, actions, human = manual_pct(window)
    review = summary([r.hours for r in rounds])
    review["by_tier"] = {tier: summary([r.hours for r in rounds if r.tier == tier])
                         for tier in REVIEW_TIERS}
    decided = review_decisions(window)
    review["by_type"] = {kind: summary(decided.get(kind, [])) for kind in REVIEW_TYPES}
    values = {"content_velocity_per_day": round(counts["published"] / span.days, 2),
              "review_time_hours": review["avg"], "manual_intervention_pct": manual,
              "agent_utilization_hours_per_day":
                  round(statistics.fmean(working), 2) if working else None}
    return {
        "period": {"since": _utc(span.since), "until": _utc(span.until),
                   "days": round(span.days, 4), "zone": getattr(span.zone, "key", str(span.zone))},
        "content_velocity_per_day": values["content_velocity_per_day"],
        "review_time_hours": review,
        "manual_intervention_pct": manual,
        "agent_utilization_hours_per_day": per_agent,
        "agent_utilization_avg_hours_per_day": values["agent_utilization_hours_per_day"],
        "targets": target_rows(values),
        "totals": {**counts, "actions": actions, "human_actions": human,
                   "review_rounds": len(rounds)},
        "daily": daily_rows(span, window, rounds, intervals, len(working)),
    }


def _agent_order(agent: str) -> tuple:
    return (0, int(agent), "") if agent.isdigit() else (1, 0, agent)


def _utc(moment: datetime) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
