"""Reactions to events, run by the bus inside the transaction that raised them.

HANDLERS is the one registry: event type -> handlers, in the order they run.
"""

from __future__ import annotations

from idolq.domain import events, policy
from idolq.domain.model import Event, TaskStatus
from idolq.services.notify import enqueue_notifications
from idolq.services.uow import UnitOfWork
from idolq.services.workflow import change_status, get_task, request_reviews, task_payload
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store


def request_first_review_stage(event: Event, uow: UnitOfWork) -> None:
    """Submitted work with a review tier gets its first stage of reviews for the new round."""
    payload = event.payload
    if payload.get("status") != TaskStatus.REVIEW:
        return
    request_reviews(uow, payload["task_id"], payload["task_code"], payload["review_round"],
                    policy.first_stage(payload["review_tier"]))


def advance_review_stage(event: Event, uow: UnitOfWork) -> None:
    """After an approval: request the next stage, or approve the task when all are approved."""
    task = get_task(uow, event.payload["task_id"])
    round_ = event.payload["round"]
    if task.status != TaskStatus.REVIEW or round_ != task.review_round:
        return
    decided = [(r.review_type, r.status) for r in review_store.round_reviews(uow.conn, task.id,
                                                                             round_)]
    if policy.round_is_approved(task.review_tier, decided):
        change_status(uow, task, TaskStatus.COMPLETE, completed_at=uow.now)
        uow.publish(events.TASK_APPROVED, task_payload(task, round=round_, status="complete"),
                    source="workflow")
        return
    next_types = policy.review_types_to_request(task.review_tier, decided)
    if next_types:
        request_reviews(uow, task.id, task.code, round_, next_types)


def return_task_for_rework(event: Event, uow: UnitOfWork) -> None:
    """A rejection sends the task back to in_progress and cancels the round's open reviews."""
    task = get_task(uow, event.payload["task_id"])
    if task.status != TaskStatus.REVIEW:
        return
    review_store.cancel_pending_reviews(uow.conn, task.id, uow.now)
    change_status(uow, task, TaskStatus.IN_PROGRESS,
                  note=f"review {event.payload['review_id']} rejected")


def cancel_open_reviews(event: Event, uow: UnitOfWork) -> None:
    review_store.cancel_pending_reviews(uow.conn, event.payload["task_id"], uow.now)


def resolve_dependents(event: Event, uow: UnitOfWork) -> None:
    """A complete task resolves the dependencies on it; fully unblocked tasks become pending."""
    if event.payload.get("status") != TaskStatus.COMPLETE:
        return
    task_id = event.payload["task_id"]
    dependents = task_store.resolve_dependencies_on(uow.conn, task_id, uow.now)
    unblocked = set(task_store.unblock_ready(uow.conn, dependents, uow.now))
    for dependent in task_store.tasks_by_ids(uow.conn, dependents) if dependents else ():
        if dependent.id in unblocked:
            task_store.add_history(uow.conn, dependent.id, TaskStatus.BLOCKED,
                                   TaskStatus.PENDING, uow.actor, uow.now,
                                   f"{event.payload['task_code']} complete")
        uow.publish(events.DEPENDENCY_RESOLVED, task_payload(
            dependent, resolved_task_id=task_id, resolved_task_code=event.payload["task_code"],
            unblocked=dependent.id in unblocked, status=dependent.status), source="workflow")


HANDLERS = {
    events.TASK_COMPLETED: [request_first_review_stage, resolve_dependents],
    events.TASK_APPROVED: [resolve_dependents],
    events.TASK_CANCELLED: [cancel_open_reviews],
    events.REVIEW_APPROVED: [advance_review_stage],
    events.REVIEW_REJECTED: [return_task_for_rework],
    "*": [enqueue_notifications],  # every event, after its own handlers
}
