"""Tasks, reviews and agents, and the rules for changing their status.

Values are immutable NamedTuples: cheap to define, which matters to a CLI's startup.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from idolq.domain.errors import InvalidTransition


class TaskStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    REVIEW = "review"
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    DEFERRED = "deferred"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


FINISHED_TASK_STATUSES = frozenset({TaskStatus.COMPLETE, TaskStatus.CANCELLED})


class Task(NamedTuple):
    id: int
    code: str
    title: str
    task_type: str
    status: str
    priority: int
    assigned_agent: int | None
    review_tier: int | None
    created_at: str
    description: str | None = None
    content_type: str | None = None
    assigned_agent_name: str | None = None
    review_round: int = 0
    started_at: str | None = None
    completed_at: str | None = None
    deadline: str | None = None
    output_file: str | None = None
    estimated_hours: float | None = None
    depends_on: list[str] = []  # never mutated: operations build new lists
    blocked_by: list[str] = []
    claimed_by: str | None = None
    lease_expires_at: str | None = None
    deferred_until: str | None = None


class Review(NamedTuple):
    id: int
    task_id: int
    task_code: str
    review_type: str
    reviewer_agent: int
    round: int
    status: str
    requested_at: str
    completed_at: str | None = None
    review_time_minutes: float | None = None
    notes: str | None = None
    ds_rating: float | None = None


class Agent(NamedTuple):
    number: int
    name: str
    role: str
    max_concurrent_tasks: int
    active_tasks: int
    pending_reviews: int
    is_active: bool

    @property
    def available(self) -> bool:
        return self.is_active and self.active_tasks < self.max_concurrent_tasks


class Comment(NamedTuple):
    id: int
    task_id: int
    text: str
    actor: str
    timestamp: str


class Event(NamedTuple):
    """Something that happened; `id`, `actor` and `timestamp` are set when it is logged."""

    type: str
    payload: dict
    source: str = "cli"
    id: int | None = None
    actor: str | None = None
    timestamp: str | None = None


def _refuse(task: Task, action: str, allowed: str) -> InvalidTransition:
    return InvalidTransition(f"cannot {action} {task.code}: it is {task.status}; {allowed}")


def check_can_start(task: Task) -> None:
    if task.status == TaskStatus.BLOCKED:
        raise InvalidTransition(
            f"cannot start {task.code}: it is blocked by {', '.join(task.blocked_by)}"
        )
    if task.status != TaskStatus.PENDING:
        raise _refuse(task, "start", "only a pending task can be started")


def check_can_complete(task: Task) -> None:
    if task.status != TaskStatus.IN_PROGRESS:
        raise _refuse(task, "complete", "only an in_progress task can be completed")


def check_can_cancel(task: Task) -> None:
    if task.status in FINISHED_TASK_STATUSES:
        raise _refuse(task, "cancel", "only an unfinished task can be cancelled")


def check_can_gain_dependency(task: Task) -> None:
    if task.status not in (TaskStatus.PENDING, TaskStatus.BLOCKED, TaskStatus.DEFERRED):
        raise _refuse(task, "add a dependency to",
                      "only a pending, blocked or deferred task can gain one")


def check_can_be_depended_on(task: Task) -> None:
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(f"cannot depend on {task.code}: it is cancelled")


def status_after_submission(task: Task) -> TaskStatus:
    """Submitted work goes to review when the task has a review tier, else it is complete."""
    return TaskStatus.REVIEW if task.review_tier is not None else TaskStatus.COMPLETE


def check_can_decide(review: Review) -> None:
    if review.status != ReviewStatus.PENDING:
        raise InvalidTransition(
            f"cannot decide review {review.id}: it is already {review.status}"
        )


# Changing what was said. Each action has one check, given who acts: the place where rules
# about who may do what apply.

def check_can_edit(task: Task, actor: str) -> None:
    if task.status == TaskStatus.CANCELLED:
        raise _refuse(task, "edit", "a cancelled task is kept as it was")


def check_can_assign(task: Task, actor: str, agent: int) -> None:
    if task.status in FINISHED_TASK_STATUSES:
        raise _refuse(task, "assign", "only an unfinished task can be reassigned")
    if task.assigned_agent == agent:
        raise InvalidTransition(f"{task.code} is already assigned to agent {agent}")


def check_can_comment(task: Task, actor: str) -> None:
    """Any task can be commented on, finished or not."""


def check_can_defer(task: Task, actor: str) -> None:
    if task.status not in (TaskStatus.PENDING, TaskStatus.BLOCKED):
        raise _refuse(task, "defer", "only a pending or blocked task can be deferred")


def check_can_resume(task: Task, actor: str) -> None:
    if task.status != TaskStatus.DEFERRED:
        raise _refuse(task, "resume", "only a deferred task can be resumed")


def status_after_resuming(task: Task) -> TaskStatus:
    return TaskStatus.BLOCKED if task.blocked_by else TaskStatus.PENDING
