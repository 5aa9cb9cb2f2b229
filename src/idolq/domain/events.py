"""Events: past tense, published inside the transaction of the change they describe.

Each event type is a small immutable class whose fields are its payload: a misspelt or
renamed field is a TypeError where the event is built and an AttributeError in a handler,
never a silent no-op. `type` is the name logged in `event_log`; `payload()` is the JSON
object logged with it, so the log's format is the event's fields (a contract with users).
The bus dispatches by class.

They are NamedTuples, like the values in `model`: two dozen frozen dataclasses cost over
20 ms to define, on every write command; these cost about 1.5 ms. (No `from __future__
import annotations` here: NamedTuple would compile each string annotation.)

This module is where every event type is named: the classes live by subject in
`events_tasks` (task.*, dependency.resolved) and `events_reviews` (review.*, sla.exceeded,
team.changed, content.*), and are imported here, so `events.TaskCreated` is how the code
refers to them. Adding an event type: a class in one of those (its `type`, its fields,
`payload = _fields`), its import below, and its name in ALL.
"""

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
)
from idolq.domain.events_tasks import (
    DependencyResolved,
    TaskApproved,
    TaskAssigned,
    TaskBlocked,
    TaskCancelled,
    TaskClaimed,
    TaskCommented,
    TaskCompleted,
    TaskCreated,
    TaskDeferred,
    TaskEscalated,
    TaskImported,  # noqa: F401 (logged as task.created, so not in ALL)
    TaskReleased,
    TaskResumed,
    TaskStarted,
    TaskUpdated,
)


def matches(pattern: str, event_type: str) -> bool:
    """Whether a subscription (`*`, a type, or a family such as `task.*`) takes this type."""
    if not isinstance(pattern, str):  # trigger_event as written with SQL
        return False
    if pattern in ("*", event_type):
        return True
    return pattern.endswith(".*") and event_type.startswith(pattern[:-1])


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
