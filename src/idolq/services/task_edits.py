"""Changing what was said about a task: edit, assign, comment, defer, resume."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from idolq.domain import events, model, vocabulary
from idolq.domain.errors import InvalidValue
from idolq.domain.model import Comment, Task, TaskStatus
from idolq.services.authority import authorize_task
from idolq.services.tasks import agent_named
from idolq.services.uow import UnitOfWork, retried
from idolq.services.workflow import change_status, get_task
from idolq.store import agents as agent_store
from idolq.store import comments as comment_store
from idolq.store import tasks as task_store

EDITABLE = ("title", "description", "priority", "deadline", "content_type", "estimated_hours")


@retried
def edit_task(conn: sqlite3.Connection, ref: int | str, actor: str, **changes) -> Task:
    """Change a task's fields (among EDITABLE); `task.updated` names each [old, new]."""
    unknown = set(changes) - set(EDITABLE)
    if unknown or not changes:
        raise InvalidValue("nothing to change: give --title, --description, --priority, "
                           "--deadline, --content-type or --estimate")
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_edit(task, actor)
        authorize_task(uow, task, "edit")
        if changes.get("content_type") is not None:
            vocabulary.check_content_type(agent_store.routing_rules(conn), changes["content_type"])
        changed = {field: [getattr(task, field), value] for field, value in changes.items()
                   if getattr(task, field) != value}
        if not changed:
            return task
        task_store.update_task(conn, task.id, updated_at=uow.now,
                               **{field: new for field, (_, new) in changed.items()})
        uow.publish(events.TaskUpdated(task.id, task.code, changes=changed))
    return task._replace(**{field: new for field, (_, new) in changed.items()})


@retried
def assign_task(conn: sqlite3.Connection, ref: int | str, actor: str, agent: int) -> Task:
    """Give an unfinished task to another agent; work in progress goes back to pending."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_assign(task, actor, agent)
        authorize_task(uow, task, "reassign")
        name = agent_named(uow, agent)
        status = TaskStatus.PENDING if task.status == TaskStatus.IN_PROGRESS else task.status
        if status != task.status:
            change_status(uow, task, status, note=f"reassigned to agent {agent}",
                          assigned_agent=agent, started_at=None, claimed_by=None,
                          lease_expires_at=None)
        else:
            task_store.update_task(conn, task.id, assigned_agent=agent, updated_at=uow.now)
        uow.publish(events.TaskAssigned(task.id, task.code, from_agent=task.assigned_agent,
                                        assigned_agent=agent, status=status))
    if status != task.status:
        task = task._replace(started_at=None, claimed_by=None, lease_expires_at=None)
    return task._replace(assigned_agent=agent, assigned_agent_name=name, status=status)


class Commented(NamedTuple):
    task: Task
    comment: Comment


@retried
def comment_task(conn: sqlite3.Connection, ref: int | str, actor: str, text: str) -> Commented:
    if not text or not text.strip():
        raise InvalidValue("a comment needs some text")
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_comment(task, actor)
        comment = comment_store.add_comment(conn, task.id, text, actor, uow.now)
        uow.publish(events.TaskCommented(task.id, task.code, comment=text,
                                         comment_id=comment.id))
    return Commented(task, comment)


@retried
def defer_task(conn: sqlite3.Connection, ref: int | str, actor: str,
               until: str | None = None) -> Task:
    """Put a pending or blocked task aside (no SLA clock) until resumed, or until `until`."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_defer(task, actor)
        authorize_task(uow, task, "defer")
        change_status(uow, task, TaskStatus.DEFERRED, note=f"until {until}" if until else None,
                      deferred_until=until)
        uow.publish(events.TaskDeferred(task.id, task.code, until=until,
                                        previous_status=task.status))
    return task._replace(status=TaskStatus.DEFERRED, deferred_until=until)


@retried
def resume_task(conn: sqlite3.Connection, ref: int | str, actor: str) -> Task:
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, ref)
        model.check_can_resume(task, actor)
        authorize_task(uow, task, "resume")
        return resume(uow, task)


def resume(uow: UnitOfWork, task: Task, reason: str | None = None) -> Task:
    """Bring a deferred task back: blocked if a dependency is unresolved, else pending."""
    status = model.status_after_resuming(task)
    change_status(uow, task, status, note=reason, deferred_until=None)
    uow.publish(events.TaskResumed(task.id, task.code, status=status, reason=reason))
    return task._replace(status=status, deferred_until=None)


def resume_due(uow: UnitOfWork) -> list[Task]:
    """Resume the deferred tasks whose time has come (run by `sla check` and the daemon)."""
    return [resume(uow, task, reason="deferred until reached")
            for task in task_store.due_deferred(uow.conn, uow.now)]
