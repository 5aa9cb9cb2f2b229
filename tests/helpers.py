"""Small helpers for driving the service layer in tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from idolq.services import queries
from idolq.services.reviews import approve_review, reject_review
from idolq.services.tasks import NewTask, complete_task, create_task, start_task

ACTOR = "agent:02"


def new(title: str = "Write a thread", task_type: str = "content", **kwargs) -> NewTask:
    """A task with no review unless a review_tier is given (not its type's default)."""
    kwargs.setdefault("review_tier", None)
    return NewTask(title=title, task_type=task_type, **kwargs)


def create(conn: sqlite3.Connection, **kwargs):
    return create_task(conn, new(**kwargs), ACTOR)


def assignee(task) -> str:
    """The actor that may work on a task: its assigned agent."""
    return f"agent:{task.assigned_agent:02d}"


def reviewer(conn: sqlite3.Connection, review_id: int) -> str:
    """The actor that may decide a review: its reviewer, or a person when that reviewer is
    the task's own agent."""
    review = queries.show_review(conn, review_id)
    if review.task.assigned_agent == review.review.reviewer_agent:
        return "human:lead"
    return f"agent:{review.review.reviewer_agent:02d}"


def submit(conn: sqlite3.Connection, task_id: int):
    """Start (if pending) and complete a task, as its agent."""
    task = queries.show_task(conn, task_id).task
    if task.status == "pending":
        start_task(conn, task_id, assignee(task))
    return complete_task(conn, task_id, assignee(task))


def pending_reviews(conn: sqlite3.Connection, task_id: int) -> dict[str, int]:
    """review_type -> review id, for the task's pending reviews."""
    return {r.review_type: r.id
            for r in queries.list_reviews(conn, status="pending", task_ref=task_id)}


def approve_all_rounds(conn: sqlite3.Connection, task_id: int) -> None:
    while reviews := pending_reviews(conn, task_id):
        for review_id in reviews.values():
            approve_review(conn, review_id, reviewer(conn, review_id))


def task(conn: sqlite3.Connection, ref):
    return queries.show_task(conn, ref).task


def event_types(conn: sqlite3.Connection, task_id: int) -> list[str]:
    return [e.type for e in queries.show_task(conn, task_id).history]


__all__ = ["approve_review", "reject_review", "create", "submit", "pending_reviews", "task"]


def v1_fixtures() -> Path:
    """The real V1 files, kept beside the repository (`../shared/fixtures/v1`), never in it."""
    root = Path(__file__).resolve().parents[1]
    for folder in (root, *root.parents):
        candidate = folder.parent / "shared" / "fixtures" / "v1"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no shared/fixtures/v1 beside {root} or its parents")
