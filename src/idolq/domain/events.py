"""Event names: past tense, published inside the transaction of the change they describe."""

TASK_CREATED = "task.created"
TASK_STARTED = "task.started"
TASK_COMPLETED = "task.completed"  # work submitted
TASK_BLOCKED = "task.blocked"
TASK_CANCELLED = "task.cancelled"
TASK_ESCALATED = "task.escalated"
TASK_APPROVED = "task.approved"  # final approval: the task is complete
REVIEW_REQUESTED = "review.requested"
REVIEW_APPROVED = "review.approved"
REVIEW_REJECTED = "review.rejected"
REVIEW_COMPLETED = "review.completed"  # any decision
DEPENDENCY_RESOLVED = "dependency.resolved"
SLA_EXCEEDED = "sla.exceeded"
CONTENT_SCHEDULED = "content.scheduled"
CONTENT_PUBLISHED = "content.published"

ALL = (
    TASK_CREATED, TASK_STARTED, TASK_COMPLETED, TASK_BLOCKED, TASK_CANCELLED, TASK_ESCALATED,
    TASK_APPROVED, REVIEW_REQUESTED, REVIEW_APPROVED, REVIEW_REJECTED, REVIEW_COMPLETED,
    DEPENDENCY_RESOLVED, SLA_EXCEEDED, CONTENT_SCHEDULED, CONTENT_PUBLISHED,
)
