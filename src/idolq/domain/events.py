"""Events: past tense, published inside the transaction of the change they describe.

Each event type is a small immutable class whose fields are its payload: a misspelt or
renamed field is a TypeError where the event is built and an AttributeError in a handler,
never a silent no-op. `type` is the name logged in `event_log`; `payload()` is the JSON
object logged with it, so the log's format is the event's fields (a contract with users).
The bus dispatches by class.

They are NamedTuples, like the values in `model`: two dozen frozen dataclasses cost over
20 ms to define, on every write command; these cost about 1.5 ms. (No `from __future__
import annotations` here: NamedTuple would compile each string annotation.)

Every event type is named here: the task's events (task.*, dependency.resolved) below,
those of reviews, the SLA, the team and the calendar in `events_reviews`, imported here, so
`events.ReviewApproved` is how the code refers to them too. Adding an event type: a class
below or there (its `type`, its fields, `payload = _fields`) and its name in ALL.
"""

from typing import Any, NamedTuple

from idolq.domain.events_reviews import (
    ContentCancelled,
    ContentPublished,
    ContentScheduled,
    ReviewApproved,
    ReviewCompleted,
    ReviewRejected,
    ReviewRequested,
    SlaExceeded,
    TeamChanged,
    _fields,
    _fields_with_override,
)


def matches(pattern: str, event_type: str) -> bool:
    """Whether a subscription (`*`, a type, or a family such as `task.*`) takes this type."""
    if not isinstance(pattern, str):  # trigger_event as written with SQL
        return False
    if pattern in ("*", event_type):
        return True
    return pattern.endswith(".*") and event_type.startswith(pattern[:-1])


class TaskCreated(NamedTuple):
    type = "task.created"
    task_id: int
    task_code: str
    title: str
    task_type: str
    priority: int
    assigned_agent: int | None
    review_tier: int | None
    status: str

    payload = _fields


class TaskStarted(NamedTuple):
    type = "task.started"
    task_id: int
    task_code: str
    assigned_agent: int | None
    override: bool = False  # a person acted for the agent

    payload = _fields_with_override


class TaskCompleted(NamedTuple):
    """Work submitted: to review (status "review") or complete."""

    type = "task.completed"
    task_id: int
    task_code: str
    status: str
    review_tier: int | None
    review_round: int
    output_file: str | None
    override: bool = False

    payload = _fields_with_override


class TaskBlocked(NamedTuple):
    type = "task.blocked"
    task_id: int
    task_code: str
    blocked_by: list[str]

    payload = _fields


class TaskCancelled(NamedTuple):
    type = "task.cancelled"
    task_id: int
    task_code: str
    reason: str | None
    previous_status: str
    blocked_dependents: list[str]

    payload = _fields


class TaskEscalated(NamedTuple):
    """A task past its SLA; `violation` is the task's document with the rule it broke."""

    type = "task.escalated"
    task_id: int
    task_code: str
    violation: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "task_code": self.task_code, **self.violation}


class TaskApproved(NamedTuple):
    """Final approval: the task is complete."""

    type = "task.approved"
    task_id: int
    task_code: str
    round: int
    status: str = "complete"

    payload = _fields


class DependencyResolved(NamedTuple):
    """A dependency of task_id on resolved_task_id resolved (or `removed` by the user)."""

    type = "dependency.resolved"
    task_id: int
    task_code: str
    resolved_task_id: int
    resolved_task_code: str
    unblocked: bool
    status: str
    removed: bool = False

    def payload(self) -> dict[str, Any]:
        payload = self._asdict()
        if not self.removed:  # logged only for a dependency the user removed
            del payload["removed"]
        return payload


# Since the second version.

class TaskUpdated(NamedTuple):
    type = "task.updated"
    task_id: int
    task_code: str
    changes: dict[str, list[Any]]  # field -> [old, new]
    file: str | None = None  # where an import read the changes (logged only then)
    line: int | None = None

    def payload(self) -> dict[str, Any]:
        return _without_none(self._asdict(), "file", "line")


class TaskImported(NamedTuple):
    """A task created by an import: logged as task.created, with the file and line it
    came from."""

    type = "task.created"
    task_id: int
    task_code: str
    title: str
    task_type: str
    priority: int
    assigned_agent: int | None
    review_tier: int | None
    status: str
    file: str
    line: int

    def payload(self) -> dict[str, Any]:
        return self._asdict()


def _without_none(payload: dict[str, Any], *optional: str) -> dict[str, Any]:
    for key in optional:
        if payload[key] is None:
            del payload[key]
    return payload


class TaskCommented(NamedTuple):
    type = "task.commented"
    task_id: int
    task_code: str
    comment: str
    comment_id: int | None = None

    payload = _fields


class TaskAssigned(NamedTuple):
    """Reassigned; work in progress goes back to pending (`status`)."""

    type = "task.assigned"
    task_id: int
    task_code: str
    from_agent: int | None
    assigned_agent: int
    status: str

    payload = _fields


class TaskDeferred(NamedTuple):
    type = "task.deferred"
    task_id: int
    task_code: str
    until: str | None
    previous_status: str

    payload = _fields


class TaskClaimed(NamedTuple):
    """An agent took its most urgent ready task with a lease (task.started follows)."""

    type = "task.claimed"
    task_id: int
    task_code: str
    assigned_agent: int
    claimed_by: str
    lease_expires_at: str
    lease_minutes: float
    override: bool = False  # a person claimed for the agent

    payload = _fields_with_override


class TaskReleased(NamedTuple):
    """An in-progress task given back (pending): by its agent, or its lease expired."""

    type = "task.released"
    task_id: int
    task_code: str
    reason: str | None
    assigned_agent: int | None = None
    claimed_by: str | None = None
    lease_expires_at: str | None = None
    override: bool = False

    payload = _fields_with_override


class TaskResumed(NamedTuple):
    type = "task.resumed"
    task_id: int
    task_code: str
    status: str
    reason: str | None = None

    payload = _fields


TASK_CREATED = TaskCreated.type
TASK_STARTED = TaskStarted.type
TASK_COMPLETED = TaskCompleted.type
TASK_BLOCKED = TaskBlocked.type
TASK_CANCELLED = TaskCancelled.type
TASK_ESCALATED = TaskEscalated.type
TASK_APPROVED = TaskApproved.type
REVIEW_REQUESTED = ReviewRequested.type
REVIEW_APPROVED = ReviewApproved.type
REVIEW_REJECTED = ReviewRejected.type
REVIEW_COMPLETED = ReviewCompleted.type
DEPENDENCY_RESOLVED = DependencyResolved.type
SLA_EXCEEDED = SlaExceeded.type
CONTENT_SCHEDULED = ContentScheduled.type
CONTENT_PUBLISHED = ContentPublished.type
TASK_UPDATED = TaskUpdated.type
TASK_ASSIGNED = TaskAssigned.type
TASK_COMMENTED = TaskCommented.type
TASK_CLAIMED = TaskClaimed.type
TASK_RELEASED = TaskReleased.type
TASK_DEFERRED = TaskDeferred.type
TASK_RESUMED = TaskResumed.type
CONTENT_CANCELLED = ContentCancelled.type
TEAM_CHANGED = TeamChanged.type

ALL = (
    TASK_CREATED, TASK_STARTED, TASK_COMPLETED, TASK_BLOCKED, TASK_CANCELLED, TASK_ESCALATED,
    TASK_APPROVED, REVIEW_REQUESTED, REVIEW_APPROVED, REVIEW_REJECTED, REVIEW_COMPLETED,
    DEPENDENCY_RESOLVED, SLA_EXCEEDED, CONTENT_SCHEDULED, CONTENT_PUBLISHED,
    TASK_UPDATED, TASK_ASSIGNED, TASK_COMMENTED, TASK_CLAIMED, TASK_RELEASED, TASK_DEFERRED,
    TASK_RESUMED, CONTENT_CANCELLED, TEAM_CHANGED,
)
