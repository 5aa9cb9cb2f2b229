"""The JSON that crosses idolq's boundary, as pydantic models.

The commands build their JSON from the domain's values with `domain/documents.py` (fast, and
no pydantic import at startup); these models are the same documents written down as types.
They give users JSON Schema (`idolq schema`), the tests validate every command's output
against them, and they validate data users hand in as JSON (notification targets).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from idolq.domain import events
from idolq.domain.errors import InvalidValue

TaskStatus = Literal["pending", "in_progress", "blocked", "review", "complete", "cancelled",
                     "deferred"]
ReviewStatus = Literal["pending", "approved", "rejected", "cancelled"]
ReviewType = Literal["canon", "cultural", "coordinator"]
EventType = Literal[events.ALL]  # type: ignore[valid-type]


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskDoc(Document):
    """A task (`task create`, `task show`, `task list`...)."""

    id: int
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*-\d{3,}$")
    title: str
    description: str | None
    task_type: str
    content_type: str | None
    status: TaskStatus
    priority: int = Field(ge=0, le=3)
    assigned_agent: int | None
    assigned_agent_name: str | None
    review_tier: Literal[1, 2, 3] | None
    review_round: int = Field(ge=0)
    created_at: AwareDatetime
    started_at: AwareDatetime | None
    completed_at: AwareDatetime | None
    deadline: AwareDatetime | None
    output_file: str | None
    estimated_hours: float | None
    depends_on: list[str]
    blocked_by: list[str]
    deferred_until: AwareDatetime | None


class ReviewDoc(Document):
    """A review (`review list`, `review approve`, `review reject`)."""

    id: int
    task_id: int
    task_code: str
    review_type: ReviewType
    reviewer_agent: int
    round: int = Field(ge=1)
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


class Breach(Document):
    rule: str
    threshold_hours: float = Field(ge=0)
    hours_over: float
    escalate_to: str
    due_at: AwareDatetime
    escalated_at: AwareDatetime | None


class ReviewViolationDoc(ReviewDoc, Breach):
    """A pending review past (or, as a warning, near) its limit."""


class TaskViolationDoc(TaskDoc, Breach):
    """An unfinished task past (or, as a warning, near) its limit."""


class ReviewWarningDoc(ReviewViolationDoc):
    kind: Literal["review"]


class TaskWarningDoc(TaskViolationDoc):
    kind: Literal["task"]


class SlaReportDoc(Document):
    """`sla check`."""

    checked_at: AwareDatetime
    review_violations: int
    task_violations: int
    new_escalations: int
    reviews: list[ReviewViolationDoc]
    tasks: list[TaskViolationDoc]
    warnings: list[Annotated[ReviewWarningDoc | TaskWarningDoc, Field(discriminator="kind")]]
    problems: list[str]  # stored rows (rules, times) that could not be applied, skipped


class StatusDoc(Document):
    """`status`."""

    tasks: dict[TaskStatus, int]
    reviews: dict[ReviewStatus, int]
    agents: list[AgentDoc]


class InitDoc(Document):
    """`init`."""

    db: str
    schema_version: int
    agents: int


class DoctorProblem(Document):
    check: str
    message: str


class DoctorDoc(Document):
    """`doctor`."""

    db: str
    backend: Literal["sqlite"]
    schema_version: int | None
    integrity: str
    journal_mode: str | None
    size_bytes: int
    problems: list[DoctorProblem]


class ErrorBody(Document):
    code: str
    message: str


class ErrorDoc(Document):
    """What stderr holds when a command run with --json fails."""

    error: ErrorBody


DOCUMENTS: dict[str, type[Document]] = {
    "task": TaskDoc, "task-detail": TaskDetailDoc, "review": ReviewDoc, "agent": AgentDoc,
    "review-detail": ReviewDetailDoc, "comment": CommentedDoc, "route": RouteDoc,
    "event": EventDoc, "status": StatusDoc, "sla-report": SlaReportDoc, "init": InitDoc,
    "doctor": DoctorDoc, "error": ErrorDoc,
}


def json_schema(name: str | None = None) -> dict:
    """The JSON Schema of one document, or of all of them by name."""
    if name is None:
        return {key: model.model_json_schema() for key, model in DOCUMENTS.items()}
    if name not in DOCUMENTS:
        raise InvalidValue(f"unknown document {name!r}: use one of {', '.join(DOCUMENTS)}")
    return DOCUMENTS[name].model_json_schema()


# --- What users hand in: notification targets ------------------------------------------------

Timeout = Annotated[float, Field(gt=0, le=300)]


class WebhookTarget(Document):
    """`action_config` of a webhook target in `webhook_triggers`."""

    url: AnyHttpUrl
    format: Literal["json", "slack", "discord", "raw"] = "json"
    timeout: Timeout = 10.0


class CommandTarget(Document):
    """`action_config` of a command target in `webhook_triggers`."""

    command: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    timeout: Timeout = 10.0


TARGETS: dict[str, type[Document]] = {"webhook": WebhookTarget, "command": CommandTarget}


def target_config(kind: str, config: dict) -> dict:
    """A target's configuration, checked; InvalidValue says what is wrong, in one line."""
    model = TARGETS.get(kind)
    if model is None:
        raise InvalidValue(f"unknown target kind {kind!r}: use webhook or command")
    try:
        return model.model_validate(config).model_dump(mode="json")
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or kind
        raise InvalidValue(f"invalid {kind} target: {where}: {first['msg']}") from None
