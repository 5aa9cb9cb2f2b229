"""The core JSON documents, as pydantic models: tasks, reviews, agents, events, comments,
routes, `status`, `prime` and the review policy (see contract.py, which names every document).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from idolq.domain import events

TaskStatus = Literal["pending", "in_progress", "blocked", "review", "complete", "cancelled",
                     "deferred"]
ReviewStatus = Literal["pending", "approved", "rejected", "cancelled"]
ReviewType = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")]  # the policy's types
EventType = Literal[events.ALL]  # type: ignore[valid-type]


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskDoc(Document):
    """A task (`task create`, `task show`, `task list`...)."""

    id: int
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*(-[A-Z0-9_]+)*-\d+[A-Z]?$")
    title: str
    description: str | None
    task_type: str
    content_type: str | None
    status: TaskStatus
    priority: int = Field(ge=0, le=3)
    assigned_agent: int | None
    assigned_agent_name: str | None
    review_tier: int | None = Field(ge=0)
    review_round: int = Field(ge=0)
    created_at: AwareDatetime
    started_at: AwareDatetime | None
    completed_at: AwareDatetime | None
    deadline: AwareDatetime | None
    output_file: str | None
    estimated_hours: float | None
    depends_on: list[str]
    blocked_by: list[str]
    claimed_by: str | None
    lease_expires_at: AwareDatetime | None
    deferred_until: AwareDatetime | None


class ReviewDoc(Document):
    """A review (`review list`, `review approve`, `review reject`)."""

    id: int
    task_id: int
    task_code: str
    review_type: ReviewType
    reviewer_agent: int
    round: int = Field(ge=0)  # 0: a DS rating recorded in V1, before idolq's rounds
    status: ReviewStatus
    requested_at: AwareDatetime
    completed_at: AwareDatetime | None
    review_time_minutes: float | None
    notes: str | None
    ds_rating: float | None = Field(ge=0, le=4)


class AgentDoc(Document):
    """An agent and its workload (`agent list`, `status`)."""

    number: int
    name: str
    role: str
    max_concurrent_tasks: int
    active_tasks: int
    pending_reviews: int
    available: bool
    is_active: bool


class EventDoc(Document):
    """An event (`events tail`, `task show`'s history, notification bodies)."""

    id: int
    type: EventType
    payload: dict[str, Any]
    source: str
    actor: str
    timestamp: AwareDatetime


class CommentDoc(Document):
    id: int
    text: str
    actor: str
    timestamp: AwareDatetime


class TaskDetailDoc(TaskDoc):
    """`task show`: the task, its reviews, its history and its comments."""

    reviews: list[ReviewDoc]
    history: list[EventDoc]
    comments: list[CommentDoc]


class CommentedDoc(Document):
    """`task comment`."""

    task: TaskDoc
    comment: CommentDoc


class ReviewDetailDoc(ReviewDoc):
    """`review show`: the review and its task."""

    task: TaskDoc


class RouteDoc(Document):
    """A routing rule (`route list|set|remove` print an array of them)."""

    task_type: str
    content_type: str | None
    agent: int


class StatusDoc(Document):
    """`status`."""

    tasks: dict[TaskStatus, int]
    reviews: dict[ReviewStatus, int]
    agents: list[AgentDoc]


class RejectionDoc(Document):
    review_id: int
    review_type: ReviewType
    reviewer_agent: int
    notes: str | None
    completed_at: AwareDatetime | None


class ReturnedTaskDoc(TaskDoc):
    """A task sent back for rework, with the rejections of its last round."""

    rejections: list[RejectionDoc]


class BriefingWarningDoc(Document):
    kind: Literal["lease", "capacity", "inactive", "sla"]
    message: str
    task_code: str | None
    review_id: int | None


class PrimeDoc(Document):
    """`prime`: an agent's briefing; lists are capped, `totals` says how long they are."""

    agent: AgentDoc
    claimed: list[TaskDoc]
    ready: list[TaskDoc]
    reviews: list[ReviewDoc]
    returned: list[ReturnedTaskDoc]
    warnings: list[BriefingWarningDoc]
    totals: dict[Literal["claimed", "ready", "reviews", "returned"], int]


class TierDoc(Document):
    tier: int = Field(ge=0)
    stages: list[list[ReviewType]]


class ReviewerDoc(Document):
    review_type: ReviewType
    reviewer_agent: int


class ReviewPolicyDoc(Document):
    """`review policy`: each tier's stages of review types, and each type's reviewer."""

    tiers: list[TierDoc]
    reviewers: list[ReviewerDoc]
