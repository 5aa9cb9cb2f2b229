"""`idolq prime`: what an agent needs to know when its session starts, bounded in size."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import NamedTuple

from idolq import clock
from idolq.domain.authority import agent_name, parse_actor
from idolq.domain.errors import InvalidValue, NotFound
from idolq.domain.model import Agent, Review, Task, TaskStatus
from idolq.domain.values import format_time
from idolq.services.queries import snapshot
from idolq.services.sla import find_breaches
from idolq.store import agents as agent_store
from idolq.store import briefing as briefing_store
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store

DEFAULT_LIMIT = 10  # items per list: a briefing must fit an agent's context
LEASE_WARNING = timedelta(minutes=15)


class Notice(NamedTuple):
    kind: str  # lease, capacity, inactive, sla
    message: str
    task_code: str | None = None
    review_id: int | None = None


class Briefing(NamedTuple):
    agent: Agent
    claimed: list[Task]
    ready: list[Task]
    reviews: list[Review]
    returned: list[tuple[Task, list[Review]]]  # work sent back, with its rejections
    warnings: list[Notice]
    totals: dict[str, int]  # how many of each list there are in all
    at: str


def briefing_agent(actor: str, agent: int | None) -> int:
    """--agent, else the actor's own number; a person must say whose briefing."""
    number = agent if agent is not None else parse_actor(actor).agent
    if number is None:
        raise InvalidValue("say whose briefing: --agent N (or act as agent:N)")
    return number


def prime(conn: sqlite3.Connection, agent: int, limit: int = DEFAULT_LIMIT) -> Briefing:
    now = clock.now()
    with snapshot(conn):
        found = agent_store.find_agent(conn, agent)
        if found is None:
            raise NotFound(f"no agent {agent} (see `idolq agent list`)")
        working = list(task_store.list_tasks(conn, [TaskStatus.IN_PROGRESS], agent))
        rounds = [(t.id, t.review_round) for t in working if t.review_round > 0]
        rejected = briefing_store.rejections(conn, rounds)
        returned = [(t, [r for r in rejected if r.task_id == t.id]) for t in working]
        returned = [(t, notes) for t, notes in returned if notes]
        sent_back = {t.id for t, _ in returned}
        claimed = [t for t in working if t.id not in sent_back]
        reviews = list(review_store.list_reviews(conn, "pending", agent, None, limit))
        totals = {"claimed": len(claimed), "ready": briefing_store.count_ready(conn, agent),
                  "reviews": briefing_store.count_pending_reviews(conn, agent),
                  "returned": len(returned)}
        warnings = [*_capacity_warnings(found), *_lease_warnings(working, now),
                    *_sla_warnings(conn, agent, now)]
        ready = list(task_store.ready_tasks(conn, agent, limit))
        return Briefing(found, claimed[:limit], ready,
                        reviews, returned[:limit], warnings[:limit], totals, format_time(now))


def _capacity_warnings(agent: Agent) -> list[Notice]:
    if not agent.is_active:
        return [Notice("inactive", f"{agent_name(agent.number)} is inactive: it takes no work")]
    if agent.active_tasks >= agent.max_concurrent_tasks:
        return [Notice("capacity", f"at capacity: {agent.active_tasks} of "
                        f"{agent.max_concurrent_tasks} tasks in progress; finish or release one "
                        "before claiming another")]
    return []


def _lease_warnings(tasks: list[Task], now: datetime) -> list[Notice]:
    found = []
    for task in tasks:
        if task.lease_expires_at is None:
            continue
        left = datetime.fromisoformat(task.lease_expires_at) - now
        if left <= LEASE_WARNING:
            state = "has expired" if left.total_seconds() <= 0 else \
                f"ends in {int(left.total_seconds() // 60)} min"
            found.append(Notice("lease", f"the lease on {task.code} {state}: run `idolq task "
                                 f"heartbeat {task.code}`", task_code=task.code))
    return found


def _sla_warnings(conn: sqlite3.Connection, agent: int, now: datetime) -> list[Notice]:
    report = find_breaches(conn, now)
    found = []
    for finding in (*report.reviews, *report.tasks, *report.warnings):
        doc = finding.document
        mine = doc.get("reviewer_agent") if finding.subject == "review" else \
            doc.get("assigned_agent")
        if mine != agent:
            continue
        hours = finding.standing.hours_over
        when = f"{hours:.1f}h over" if finding.standing.breached else f"due in {-hours:.1f}h"
        if finding.subject == "review":
            found.append(Notice("sla", f"review {doc['id']} ({doc['review_type']} of "
                                 f"{doc['task_code']}) is {when} its SLA",
                                 task_code=doc["task_code"], review_id=doc["id"]))
        else:
            found.append(Notice("sla", f"{doc['code']} (P{doc['priority']}) is {when} its SLA",
                                 task_code=doc["code"]))
    return found
