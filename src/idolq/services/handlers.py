"""Reactions to events, run by the bus inside the transaction that raised them.

HANDLERS is the one registry: event class -> handlers, in the order they run. Handlers
take the typed event (`domain.events`); those keyed by `model.Event` run for every event,
after its own handlers, and take the record as logged (with its id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from idolq.domain import events, policy
from idolq.domain.model import Event, TaskStatus
from idolq.services.workflow import change_status, get_task, request_reviews, review_policy
from idolq.store import notifications as notification_store
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store

if TYPE_CHECKING:
    from idolq.services.uow import UnitOfWork


def request_first_review_stage(event: events.TaskCompleted, uow: UnitOfWork) -> None:
    """Submitted work with a review tier gets its first stage of reviews for the new round."""
    if event.status != TaskStatus.REVIEW:
        return
    request_reviews(uow, event.task_id, event.task_code, event.review_round,
                    policy.first_stage(event.review_tier, review_policy(uow).stages))


def advance_review_stage(event: events.ReviewApproved, uow: UnitOfWork) -> None:
    """After an approval: request the next stage, or approve the task when all are approved."""
    task = get_task(uow, event.task_id)
    round_ = event.round
    if task.status != TaskStatus.REVIEW or round_ != task.review_round:
        return
    decided = [(r.review_type, r.status) for r in review_store.round_reviews(uow.conn, task.id,
                                                                             round_)]
    stages = review_policy(uow).stages
    if policy.round_is_approved(task.review_tier, decided, stages):
        change_status(uow, task, TaskStatus.COMPLETE, completed_at=uow.now)
        uow.publish(events.TaskApproved(task.id, task.code, round=round_), source="workflow")
        return
    next_types = policy.review_types_to_request(task.review_tier, decided, stages)
    if next_types:
        request_reviews(uow, task.id, task.code, round_, next_types)


def return_task_for_rework(event: events.ReviewRejected, uow: UnitOfWork) -> None:
    """A rejection sends the task back to in_progress and cancels the round's open reviews."""
    task = get_task(uow, event.task_id)
    if task.status != TaskStatus.REVIEW:
        return
    review_store.cancel_pending_reviews(uow.conn, task.id, uow.now)
    change_status(uow, task, TaskStatus.IN_PROGRESS, note=f"review {event.review_id} rejected")


def cancel_open_reviews(event: events.TaskCancelled, uow: UnitOfWork) -> None:
    review_store.cancel_pending_reviews(uow.conn, event.task_id, uow.now)


def take_cancelled_content_off_calendar(event: events.TaskCancelled, uow: UnitOfWork) -> None:
    """A cancelled task's scheduled calendar items are cancelled with it."""
    from idolq.services.calendar import cancel_item
    from idolq.store.calendar import scheduled_items_of_task

    for item in scheduled_items_of_task(uow.conn, event.task_id):
        cancel_item(uow, item, reason=f"{event.task_code} cancelled", source="workflow")


def resolve_dependents(event: events.TaskCompleted | events.TaskApproved,
                       uow: UnitOfWork) -> None:
    """A complete task resolves the dependencies on it; fully unblocked tasks become pending."""
    if event.status != TaskStatus.COMPLETE:
        return
    dependents = task_store.resolve_dependencies_on(uow.conn, event.task_id, uow.now)
    unblocked = set(task_store.unblock_ready(uow.conn, dependents, uow.now))
    for dependent in task_store.tasks_by_ids(uow.conn, dependents) if dependents else ():
        if dependent.id in unblocked:
            task_store.add_history(uow.conn, dependent.id, TaskStatus.BLOCKED,
                                   TaskStatus.PENDING, uow.actor, uow.now,
                                   f"{event.task_code} complete")
        uow.publish(events.DependencyResolved(
            dependent.id, dependent.code, resolved_task_id=event.task_id,
            resolved_task_code=event.task_code, unblocked=dependent.id in unblocked,
            status=dependent.status), source="workflow")


def enqueue_notifications(logged: Event, uow: UnitOfWork) -> None:
    """One outbox row per target subscribed to the event (delivered after commit)."""
    targets = uow.memo.get("notification_targets")
    if targets is None:
        targets = uow.memo["notification_targets"] = notification_store.active_targets(uow.conn)
    for target_id, pattern in targets:
        if events.matches(pattern, logged.type):
            notification_store.enqueue(uow.conn, logged.id, target_id, uow.now)


HANDLERS = {
    events.TaskCompleted: [request_first_review_stage, resolve_dependents],
    events.TaskApproved: [resolve_dependents],
    events.TaskCancelled: [cancel_open_reviews, take_cancelled_content_off_calendar],
    events.ReviewApproved: [advance_review_stage],
    events.ReviewRejected: [return_task_for_rework],
    Event: [enqueue_notifications],  # every event, as logged, after its own handlers
}
