"""Steps shared by operations and handlers: status changes and review requests."""

from __future__ import annotations

from idolq.domain import events
from idolq.domain.errors import NotFound
from idolq.domain.model import Review, Task
from idolq.domain.policy import REVIEWER_AGENTS
from idolq.services.uow import UnitOfWork
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store


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


def task_payload(task: Task, **extra) -> dict:
    return {"task_id": task.id, "task_code": task.code, **extra}


def review_payload(review: Review, **extra) -> dict:
    return {"review_id": review.id, "task_id": review.task_id, "task_code": review.task_code,
            "review_type": review.review_type, "reviewer_agent": review.reviewer_agent,
            "round": review.round, **extra}


def change_status(uow: UnitOfWork, task: Task, to_status: str, note: str | None = None,
                  **columns) -> None:
    """Set a task's status (and other columns) and record the change in its history."""
    task_store.update_task(uow.conn, task.id, status=to_status, updated_at=uow.now, **columns)
    task_store.add_history(uow.conn, task.id, task.status, to_status, uow.actor, uow.now, note)


def request_reviews(uow: UnitOfWork, task_id: int, task_code: str, round_: int,
                    review_types: tuple[str, ...]) -> None:
    for review_type in review_types:
        reviewer = REVIEWER_AGENTS[review_type]
        review_id = review_store.insert_review(uow.conn, task_id, review_type, reviewer, round_,
                                               uow.now)
        uow.publish(events.REVIEW_REQUESTED,
                    {"task_id": task_id, "task_code": task_code, "review_id": review_id,
                     "review_type": review_type, "reviewer_agent": reviewer, "round": round_},
                    source="workflow")
