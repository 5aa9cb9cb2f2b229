"""The JSON documents of idolq's operations, as pydantic models: the SLA (`sla check`, its
policy and its stats), `init`, `doctor`, notifications, `daemon`, `demo`, `config`, import
and export (see contract.py, which names every document).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from idolq.contract_core import Document, EventType, ReviewDoc, ReviewType, TaskDoc


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


class SettingsDoc(Document):
    """`config`: the settings kept in the database."""

    lease: str  # the default lease of a claim, e.g. 2h


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
