"""The JSON that crosses idolq's boundary, as pydantic models.

The commands build their JSON from the domain's values with `domain/documents.py` (fast, and
no pydantic import at startup); these models are the same documents written down as types.
They give users JSON Schema (`idolq schema`), the tests validate every command's output
against them, and they validate data users hand in as JSON (notification targets).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
)

from idolq.contract_calendar import (
    CalendarItemDoc,
    DisplayZoneDoc,
    MetricsDoc,
    WrittenFileDoc,
)
from idolq.domain import events
from idolq.domain.errors import InvalidValue

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
    released_leases: list[str]  # tasks whose claim's lease had expired, given back


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


class DoctorServer(Document):
    """A database server's health, in `doctor` (PostgreSQL)."""

    version: str | None
    answers: bool
    round_trip_ms: float | None
    connections: int | None
    max_connections: int | None
    long_lock_waits: int | None
    longest_lock_wait_seconds: float | None


class DoctorDoc(Document):
    """`doctor`."""

    db: str
    backend: Literal["sqlite", "postgresql"]
    schema_version: int | None
    expected_schema_version: int
    integrity: str
    journal_mode: str | None
    size_bytes: int
    server: DoctorServer | None
    problems: list[DoctorProblem]


class RuleDoc(Document):
    """A rule of the SLA policy (`sla policy`, `sla policy set`, `sla policy reset`)."""

    rule: str
    subject: Literal["review", "task"]
    review_type: ReviewType | None
    review_tier: int | None = Field(ge=0)
    priority: int | None = Field(ge=0, le=3)
    limit_minutes: float = Field(gt=0)
    limit_hours: float = Field(gt=0)
    escalate_to: str


class RuleRemovedDoc(Document):
    """`sla policy remove`: the rule that was removed."""

    removed: str


class ReviewTimeDoc(Document):
    """Review times of one review type, in minutes."""

    review_type: ReviewType
    count: int = Field(ge=1)
    average_minutes: float
    median_minutes: float
    p90_minutes: float
    max_minutes: float
    met_limit: int = Field(ge=0)
    with_limit: int = Field(ge=0)
    met_percent: float | None = Field(ge=0, le=100)


class ReviewTimesDoc(Document):
    """`sla stats`."""

    since: AwareDatetime | None
    review_types: list[ReviewTimeDoc]


# How a target stands for the user running idolq: `not_allowed_here` is a command this user
# has not allowed (its notifications wait); `broken` is an action_config that is not usable.
TargetStatus = Literal["ok", "not_allowed_here", "broken"]


class TargetDoc(Document):
    """A notification target (`notify add`, `notify targets`): a row of webhook_triggers."""

    id: int
    trigger_event: str
    action_type: str
    action_config: dict[str, Any] | None  # null when broken; URLs without their secrets
    is_active: bool
    last_triggered: AwareDatetime | None
    status: TargetStatus
    problem: str | None


class TargetRemovedDoc(Document):
    """`notify remove`: the target that was removed."""

    removed: int


class NotificationDoc(Document):
    """A notification in the outbox (`notify list`)."""

    id: int
    event_id: int
    trigger_id: int
    status: Literal["pending", "sending", "sent", "failed"]
    attempts: int = Field(ge=0)
    next_attempt_at: AwareDatetime
    last_error: str | None
    created_at: AwareDatetime
    sent_at: AwareDatetime | None
    event_type: EventType
    action_type: str
    action_config: dict[str, Any] | None
    target_status: TargetStatus


class DeliveryDoc(Document):
    """`notify send`: how many notifications were sent, will be retried, gave up."""

    sent: int = Field(ge=0)
    retrying: int = Field(ge=0)
    failed: int = Field(ge=0)


class RetryDoc(DeliveryDoc):
    """`notify retry`: the notifications put back in the queue, then the delivery."""

    requeued: list[int]


class DaemonCycleDoc(Document):
    """One line of `idolq daemon --json`: one cycle."""

    at: AwareDatetime
    ok: bool
    open_breaches: int = Field(ge=0)
    new_escalations: int = Field(ge=0)
    sent: int = Field(ge=0)
    retrying: int = Field(ge=0)
    failed: int = Field(ge=0)
    error: str | None
    released: int = Field(ge=0)  # claims whose lease had expired, given back


class DemoStepDoc(Document):
    actor: str
    action: str
    outcome: str


class DemoDoc(Document):
    """`demo`: the steps walked through; `db` is where the database is kept, if it is."""

    db: str | None
    steps: list[DemoStepDoc]


class VersionDoc(Document):
    """`version`."""

    version: str


class JsonSchemaDoc(RootModel[dict[str, Any]]):
    """`schema NAME`: the JSON Schema of one document."""


class SchemaListingDoc(RootModel[dict[str, dict[str, Any]]]):
    """`schema`: the JSON Schema of every document, by document name."""


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


class SettingsDoc(Document):
    """`config`: the settings kept in the database."""

    lease: str  # the default lease of a claim, e.g. 2h
class BatchDoc(Document):
    """`batch`: each line's document (or, for a stream, its list of documents), in order."""

    ok: Literal[True]
    results: list[Any]


class ErrorBody(Document):
    code: str
    message: str


class ErrorDoc(Document):
    """What stderr holds when a command run with --json fails."""

    error: ErrorBody


class SkippedRowDoc(Document):
    file: str
    line: int = Field(ge=1)
    reason: str


class ImportV1Doc(Document):
    """`import v1`: counts of distinct tasks, and the rows that could not be read."""

    created: int = Field(ge=0)
    updated: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    skipped: list[SkippedRowDoc]
    codes: list[str]


class ImportDoc(Document):
    """`import FILE|-`: the rows restored, by table."""

    records: int = Field(ge=0)
    tables: dict[str, int]


class ExportDoc(Document):
    """`export --output FILE` and `export v1 --output FILE` (without --output, stdout holds
    the export itself)."""

    output: str
    records: int = Field(ge=0)


DOCUMENTS: dict[str, type[BaseModel]] = {
    "task": TaskDoc, "task-detail": TaskDetailDoc, "review": ReviewDoc, "agent": AgentDoc,
    "review-detail": ReviewDetailDoc, "comment": CommentedDoc, "route": RouteDoc,
    "event": EventDoc, "status": StatusDoc, "sla-report": SlaReportDoc, "init": InitDoc,
    "doctor": DoctorDoc, "import-v1": ImportV1Doc, "import": ImportDoc, "export": ExportDoc,
    "sla-rule": RuleDoc, "sla-rule-removed": RuleRemovedDoc, "sla-stats": ReviewTimesDoc,
    "notify-target": TargetDoc, "notify-target-removed": TargetRemovedDoc,
    "notification": NotificationDoc, "notify-delivery": DeliveryDoc, "notify-retry": RetryDoc,
    "daemon-cycle": DaemonCycleDoc, "demo": DemoDoc, "version": VersionDoc,
    "prime": PrimeDoc, "review-policy": ReviewPolicyDoc, "config": SettingsDoc,
    "schema": JsonSchemaDoc, "schema-listing": SchemaListingDoc, "batch": BatchDoc,
    "error": ErrorDoc,
    "calendar-item": CalendarItemDoc, "metrics": MetricsDoc, "written-file": WrittenFileDoc,
    "display-zone": DisplayZoneDoc,
}

ONE, ARRAY, LINES = "one", "array", "lines"

# What each command prints with --json: (document, shape). `one` is one document, `array` a
# JSON array of them, `lines` one document per line. The reference (docs/reference.md) and
# the tests are checked against this table.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", ONE), "doctor": ("doctor", ONE), "status": ("status", ONE),
    "demo": ("demo", ONE),
    "daemon": ("daemon-cycle", LINES), "version": ("version", ONE),
    "schema": ("schema-listing", ONE),  # `schema NAME` prints one "schema"
    "task create": ("task", ONE), "task start": ("task", ONE), "task complete": ("task", ONE),
    "task cancel": ("task", ONE), "task depend": ("task", ONE), "task undepend": ("task", ONE),
    "task show": ("task-detail", ONE), "task list": ("task", ARRAY),
    "task ready": ("task", ARRAY),
    "review list": ("review", ARRAY), "review approve": ("review", ONE),
    "review reject": ("review", ONE),
    "agent list": ("agent", ARRAY), "events tail": ("event", LINES),
    "sla check": ("sla-report", ONE), "sla policy": ("sla-rule", ARRAY),
    "sla policy set": ("sla-rule", ONE), "sla policy remove": ("sla-rule-removed", ONE),
    "sla policy reset": ("sla-rule", ARRAY), "sla stats": ("sla-stats", ONE),
    "notify add": ("notify-target", ONE), "notify targets": ("notify-target", ARRAY),
    "notify remove": ("notify-target-removed", ONE),
    "notify allow": ("notify-target", ONE), "notify disallow": ("notify-target", ONE),
    "notify list": ("notification", ARRAY),
    "notify send": ("notify-delivery", ONE), "notify retry": ("notify-retry", ONE),
    "task claim": ("task", ONE),  # or null, exit 4, when there is nothing to claim
    "task heartbeat": ("task", ONE), "task release": ("task", ONE),
    "agent add": ("agent", ONE), "agent edit": ("agent", ONE), "agent show": ("agent", ONE),
    "review policy": ("review-policy", ONE), "review policy set": ("review-policy", ONE),
    "review policy remove": ("review-policy", ONE),
    "review policy reviewer": ("review-policy", ONE),
    "config show": ("config", ONE), "config set": ("config", ONE), "prime": ("prime", ONE),
    "task edit": ("task", ONE), "task assign": ("task", ONE), "task defer": ("task", ONE),
    "task resume": ("task", ONE), "task comment": ("comment", ONE),
    "review show": ("review-detail", ONE),
    "route list": ("route", ARRAY), "route set": ("route", ARRAY),
    "route remove": ("route", ARRAY), "batch": ("batch", ONE),
    "import jsonl": ("import", ONE), "import v1": ("import-v1", ONE),
    # with --output; without it, stdout holds the export itself (JSON Lines or Markdown)
    "export jsonl": ("export", ONE), "export v1": ("export", ONE),
    "calendar schedule": ("calendar-item", ONE), "calendar list": ("calendar-item", ARRAY),
    "calendar publish": ("calendar-item", ONE), "calendar cancel": ("calendar-item", ONE),
    "calendar stats": ("calendar-item", ONE), "calendar zone": ("display-zone", ONE),
    "calendar export": ("written-file", ONE),  # with --output; else the iCalendar text
    "metrics": ("metrics", ONE), "report": ("written-file", ONE),
}


# Commands that print no JSON document: what they speak instead.
NOT_JSON: dict[str, str] = {"mcp": "the Model Context Protocol, on stdio",
                            "completion": "a shell completion script",
                            "shell": "an interactive prompt"}


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
