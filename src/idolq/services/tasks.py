"""Operations on tasks: create, start, complete, cancel, depend."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from idolq.domain import events, model, policy, values, vocabulary
from idolq.domain.errors import Conflict, DependencyCycle, InvalidValue, NotFound
from idolq.domain.model import Task, TaskStatus
from idolq.services.authority import authorize_capacity, authorize_task
from idolq.services.uow import UnitOfWork, retried
from idolq.services.workflow import change_status, get_task, review_policy
from idolq.store import agents as agent_store
from idolq.store import tasks as task_store


class NewTask(NamedTuple):
    """What `task create` asks for, already parsed (a NamedTuple: a dataclass would cost
    the hot path the import of `dataclasses` and `inspect`)."""

    title: str
    task_type: str
    content_type: str | None = None
    priority: int = 2
    review_tier: int | None | policy.TierNotGiven = policy.TYPE_DEFAULT  # None: no review
    agent: int | None = None
    deadline: str | None = None
    description: str | None = None
    depends_on: Sequence[int | str] = ()
    estimated_hours: float | None = None


@retried
def create_task(conn: sqlite3.Connection, new: NewTask, actor: str) -> Task:
    with UnitOfWork(conn, actor) as uow:
        # The same task named twice (even as 7 and LORE-007) is one dependency.
        found = [get_task(uow, ref) for ref in dict.fromkeys(new.depends_on)]
        blockers = list({blocker.id: blocker for blocker in found}.values())
        for blocker in blockers:
            model.check_can_be_depended_on(blocker)
        agent, agent_name = _choose_agent(uow, new)
        tier = policy.check_tier(policy.review_tier(new.task_type, new.review_tier),
                                 review_policy(uow).stages)
        prefix = new.task_type.upper()
        code = values.task_code(prefix, task_store.next_task_number(conn, prefix))
        unresolved = [b for b in blockers if b.status != TaskStatus.COMPLETE]
        status = TaskStatus.BLOCKED if unresolved else TaskStatus.PENDING
        task_id = task_store.insert_task(conn, {
            "task_code": code, "title": new.title, "description": new.description,
            "task_type": new.task_type, "content_type": new.content_type, "status": status,
            "priority": new.priority, "assigned_agent": agent, "review_tier": tier,
            "estimated_hours": new.estimated_hours, "deadline": new.deadline,
            "created_by": actor, "created_at": uow.now, "updated_at": uow.now,
        })
        for blocker in blockers:
            task_store.add_dependency(conn, task_id, blocker.id,
                                      blocker.status == TaskStatus.COMPLETE, uow.now)
        task_store.add_history(conn, task_id, None, status, actor, uow.now)
        task = Task(
            id=task_id, code=code, title=new.title, description=new.description,
            task_type=new.task_type, content_type=new.content_type, status=status,
            priority=new.priority, assigned_agent=agent, assigned_agent_name=agent_name,
            review_tier=tier, created_at=uow.now, deadline=new.deadline,
            estimated_hours=new.estimated_hours, depends_on=sorted(b.code for b in blockers),
            blocked_by=sorted(b.code for b in unresolved))
        uow.publish(events.TaskCreated(
            task.id, task.code, title=task.title, task_type=task.task_type,
            priority=task.priority, assigned_agent=agent, review_tier=task.review_tier,
            status=status))
        if unresolved:
            uow.publish(events.TaskBlocked(task.id, task.code, blocked_by=task.blocked_by))
    return task


def _choose_agent(uow: UnitOfWork, new: NewTask) -> tuple[int, str]:
    """The agent's number and name: the one asked for, or the one routing picks."""
    rules = agent_store.routing_rules(uow.conn)
    vocabulary.check_types(rules, new.task_type, new.content_type)
    number = new.agent
    if number is None:
        number = policy.route(rules, new.task_type, new.content_type)
    return number, agent_named(uow, number)


def agent_named(uow: UnitOfWork, number: int) -> str:
    """The name of agent `number`; an unknown agent is bad usage."""
    name = agent_store.agent_name(uow.conn, number)
    if name is None:
        raise InvalidValue(f"invalid agent {number}: no such agent (see `idolq agent list`)")
    return name


@retried
def start_task(conn: sqlite3.Connection, ref: int | str, actor: str) -> Task:
    with UnitOfWork(conn, actor) as uow:
        _lock_agent_first(uow, ref)
        task = get_task(uow, ref)
        override = authorize_task(uow, task, "start")
        model.check_can_start(task)
        override = authorize_capacity(uow, task.assigned_agent) or override
        change_status(uow, task, TaskStatus.IN_PROGRESS, started_at=uow.now)
        uow.publish(events.TaskStarted(task.id, task.code, assigned_agent=task.assigned_agent,
                                       override=override))
    return task._replace(status=TaskStatus.IN_PROGRESS, started_at=uow.now)


def _lock_agent_first(uow: UnitOfWork, ref: int | str) -> None:
    """Lock the task's agent before the task, in the order a claim takes them (the agent,
    for its capacity, then a task of its), so that the two never wait on each other."""
    number = task_store.assigned_agent_of(uow.conn, ref)
    if number is not None:
        agent_store.find_agent(uow.conn, number)


@retried
def complete_task(conn: sqlite3.Connection, ref: int | str, actor: str,
                  output_file: str | None = None) -> Task:
    """Submit the work: to review when the task has a tier (a new round), else complete."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        override = authorize_task(uow, task, "complete")
        model.check_can_complete(task)
        to_status = model.status_after_submission(task)
        columns: dict = {"output_file": output_file or task.output_file, "claimed_by": None,
                         "lease_expires_at": None}
        if to_status == TaskStatus.REVIEW:
            columns["review_round"] = task.review_round + 1
        else:
            columns["completed_at"] = uow.now
        change_status(uow, task, to_status, **columns)
        uow.publish(events.TaskCompleted(
            task.id, task.code, status=to_status, review_tier=task.review_tier,
            review_round=columns.get("review_round", task.review_round),
            output_file=columns["output_file"], override=override))
    return task._replace(status=to_status, **columns)


@retried
def cancel_task(conn: sqlite3.Connection, ref: int | str, actor: str,
                reason: str | None = None) -> Task:
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_cancel(task)
        change_status(uow, task, TaskStatus.CANCELLED, note=reason, claimed_by=None,
                      lease_expires_at=None)
        waiting = task_store.open_dependents(conn, task.id)
        uow.publish(events.TaskCancelled(task.id, task.code, reason=reason,
                                         previous_status=task.status,
                                         blocked_dependents=waiting))
    return task._replace(status=TaskStatus.CANCELLED, claimed_by=None, lease_expires_at=None)


@retried
def add_dependency(conn: sqlite3.Connection, ref: int | str, actor: str, *,
                   on_ref: int | str) -> Task:
    with UnitOfWork(conn, actor) as uow:
        blocker, task = _blocker_and_task(uow, on_ref, ref)
        model.check_can_gain_dependency(task)
        model.check_can_be_depended_on(blocker)
        if task.id == blocker.id or task_store.depends_transitively(conn, blocker.id, task.id):
            raise DependencyCycle(
                f"{task.code} cannot depend on {blocker.code}: that would close a cycle")
        if blocker.code in task.depends_on:
            raise Conflict(f"{task.code} already depends on {blocker.code}")
        resolved = blocker.status == TaskStatus.COMPLETE
        task_store.add_dependency(conn, task.id, blocker.id, resolved, uow.now)
        if not resolved and task.status == TaskStatus.PENDING:
            change_status(uow, task, TaskStatus.BLOCKED, note=f"depends on {blocker.code}")
            uow.publish(events.TaskBlocked(task.id, task.code, blocked_by=[blocker.code]))
        return get_task(uow, task.id)


def _blocker_and_task(uow: UnitOfWork, on_ref: int | str, ref: int | str) -> tuple[Task, Task]:
    """Both tasks, locked blocker first as completing a task does (it locks the task, then
    the tasks waiting on it); an unknown `ref` is reported before an unknown `on_ref`."""
    blocker = task_store.find_task(uow.conn, on_ref)
    task = get_task(uow, ref)
    return blocker or get_task(uow, on_ref), task


@retried
def remove_dependency(conn: sqlite3.Connection, ref: int | str, actor: str, *,
                      on_ref: int | str) -> Task:
    """Drop a dependency (say, on cancelled work); a task left with none open is pending."""
    with UnitOfWork(conn, actor) as uow:
        blocker, task = _blocker_and_task(uow, on_ref, ref)
        if blocker.code not in task.depends_on:
            raise NotFound(f"{task.code} does not depend on {blocker.code}")
        model.check_can_gain_dependency(task)
        task_store.delete_dependency(conn, task.id, blocker.id)
        blocked_by = [code for code in task.blocked_by if code != blocker.code]
        status = task.status
        if task.status == TaskStatus.BLOCKED and not blocked_by:
            status = TaskStatus.PENDING
            change_status(uow, task, status, note=f"no longer depends on {blocker.code}")
        uow.publish(events.DependencyResolved(
            task.id, task.code, resolved_task_id=blocker.id, resolved_task_code=blocker.code,
            unblocked=status != task.status, status=status, removed=True))
    return task._replace(status=status, blocked_by=blocked_by,
                         depends_on=[c for c in task.depends_on if c != blocker.code])
