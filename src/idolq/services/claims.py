"""Claims: an agent takes its most urgent ready task with a lease, extends it, gives it back."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from idolq.domain import events
from idolq.domain.authority import check_claim_for
from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.domain.model import Task, TaskStatus
from idolq.domain.values import format_time
from idolq.services.authority import actor_of, authorize_capacity, authorize_task, get_agent
from idolq.services.settings import lease_minutes
from idolq.services.uow import UnitOfWork, retried
from idolq.services.workflow import change_status, get_task
from idolq.store import tasks as task_store

CANDIDATES = 20  # ready tasks tried in order when others win the race for the first ones


@retried
def claim_task(conn: sqlite3.Connection, actor: str, agent: int | None = None,
               lease: float | None = None) -> Task | None:
    """Take and start the agent's most urgent ready task; None when there is none."""
    with UnitOfWork(conn, actor) as uow:
        who = actor_of(uow)
        number = agent if agent is not None else who.agent
        if number is None:
            raise InvalidValue("say whose work to claim: --agent N (a person claims for an agent)")
        override = check_claim_for(who, number)
        get_agent(uow, number)
        override = authorize_capacity(uow, number) or override
        minutes = lease or lease_minutes(uow.conn)
        expires = _lease_end(uow.now, minutes)
        for task in list(task_store.ready_tasks(conn, number, CANDIDATES)):  # read, then write
            if task_store.take_pending(conn, task.id, actor, expires, uow.now):
                task_store.add_history(conn, task.id, task.status, TaskStatus.IN_PROGRESS,
                                       actor, uow.now, f"claimed until {expires}")
                uow.publish_all([
                    events.TaskClaimed(task.id, task.code, number, claimed_by=actor,
                                       lease_expires_at=expires, lease_minutes=minutes,
                                       override=override),
                    events.TaskStarted(task.id, task.code, number, override=override)])
                return task._replace(status=TaskStatus.IN_PROGRESS, started_at=uow.now,
                                     claimed_by=actor, lease_expires_at=expires)
    return None


@retried
def heartbeat_task(conn: sqlite3.Connection, ref: int | str, actor: str,
                   lease: float | None = None) -> Task:
    """Extend a claimed task's lease from now (a heartbeat logs no event)."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        authorize_task(uow, task, "heartbeat")
        if task.status != TaskStatus.IN_PROGRESS or task.lease_expires_at is None:
            raise InvalidTransition(
                f"cannot heartbeat {task.code}: it is {task.status} without a lease; only a "
                "task taken with `task claim` has one")
        expires = _lease_end(uow.now, lease or lease_minutes(uow.conn))
        task_store.update_task(conn, task.id, lease_expires_at=expires, updated_at=uow.now)
    return task._replace(lease_expires_at=expires)


@retried
def release_task(conn: sqlite3.Connection, ref: int | str, actor: str) -> Task:
    """Give an in-progress task back: pending again, for its agent to claim later."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        override = authorize_task(uow, task, "release")
        if task.status != TaskStatus.IN_PROGRESS:
            raise InvalidTransition(f"cannot release {task.code}: it is {task.status}; only an "
                                    "in_progress task can be released")
        return _release(uow, task, "released", override=override)


def release_expired_leases(uow: UnitOfWork) -> list[Task]:
    """Claims whose lease ran out (their agent died or forgot) go back to pending."""
    return [_release(uow, task, "lease expired", source="workflow")
            for task in task_store.tasks_with_expired_leases(uow.conn, uow.now)]


def _release(uow: UnitOfWork, task: Task, reason: str, source: str | None = None,
             override: bool = False) -> Task:
    change_status(uow, task, TaskStatus.PENDING, note=reason, started_at=None, claimed_by=None,
                  lease_expires_at=None)
    uow.publish(events.TaskReleased(task.id, task.code, reason, task.assigned_agent,
                                    task.claimed_by, task.lease_expires_at, override),
                source=source)
    return task._replace(status=TaskStatus.PENDING, started_at=None, claimed_by=None,
                         lease_expires_at=None)


def _lease_end(now: str, minutes: float) -> str:
    return format_time(datetime.fromisoformat(now) + timedelta(minutes=minutes))
