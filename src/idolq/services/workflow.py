"""Steps shared by operations and handlers: status changes and review requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idolq.domain import events
from idolq.domain.errors import NotFound
from idolq.domain.model import Review, Task
from idolq.domain.policy import ReviewPolicy
from idolq.store import policy as policy_store
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store

if TYPE_CHECKING:
    from idolq.services.uow import UnitOfWork


def get_task(uow: UnitOfWork, ref: int | str) -> Task:
    task = task_store.find_task(uow.conn, ref)
    if task is None:
        raise NotFound(f"no task {ref}")
    return task


def get_review(uow: UnitOfWork, review_id: int) -> Review:
    review = review_store.find_review(uow.conn, review_id)
    if review is None:
        raise NotFound(f"no review {review_id}")
    return review


def get_review_and_task(uow: UnitOfWork, review_id: int) -> tuple[Review, Task]:
    """A review and its task, locked in the order every operation takes them: a task
    before its reviews (cancelling a task locks it, then cancels its reviews), so that two
    operations never wait for each other in a circle."""
    task_id = review_store.task_of_review(uow.conn, review_id)
    if task_id is None:
        raise NotFound(f"no review {review_id}")
    task = get_task(uow, task_id)
    return get_review(uow, review_id), task


def review_policy(uow: UnitOfWork) -> ReviewPolicy:
    """The team's review policy, read once per transaction."""
    if "review_policy" not in uow.memo:
        uow.memo["review_policy"] = policy_store.review_policy(uow.conn)
    return uow.memo["review_policy"]


def change_status(uow: UnitOfWork, task: Task, to_status: str, note: str | None = None,
                  **columns) -> None:
    """Set a task's status (and other columns) and record the change in its history."""
    task_store.update_task(uow.conn, task.id, status=to_status, updated_at=uow.now, **columns)
    task_store.add_history(uow.conn, task.id, task.status, to_status, uow.actor, uow.now, note)


def request_reviews(uow: UnitOfWork, task_id: int, task_code: str, round_: int,
                    review_types: tuple[str, ...]) -> None:
    for review_type in review_types:
        reviewer = review_policy(uow).reviewer(review_type)
        review_id = review_store.insert_review(uow.conn, task_id, review_type, reviewer, round_,
                                               uow.now)
        uow.publish(events.ReviewRequested(task_id, task_code, review_id, review_type, reviewer,
                                           round_), source="workflow")
