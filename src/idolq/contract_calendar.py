"""The calendar's and the metrics' JSON documents, as pydantic models (see contract.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

ReviewType = Literal["canon", "cultural", "coordinator"]


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngagementDoc(Document):
    likes: int | None = Field(ge=0)
    reposts: int | None = Field(ge=0)
    comments: int | None = Field(ge=0)
    impressions: int | None = Field(ge=0)
    updated_at: AwareDatetime | None


class CalendarItemDoc(Document):
    """A calendar item (`calendar schedule`, `calendar list`, `calendar publish`...)."""

    id: int
    task_id: int
    task_code: str
    title: str
    scheduled_at: AwareDatetime
    platform: str | None
    pillar: str | None
    status: Literal["scheduled", "published", "cancelled"]
    published_at: AwareDatetime | None
    post_id: str | None
    url: str | None
    content_type: str | None
    engagement: EngagementDoc


class HoursSummary(Document):
    count: int = Field(ge=0)
    avg: float | None
    median: float | None
    p90: float | None


class ReviewTimeDoc(HoursSummary):
    by_tier: dict[Literal["1", "2", "3"], HoursSummary]
    by_type: dict[ReviewType, HoursSummary]


class PeriodDoc(Document):
    since: AwareDatetime
    until: AwareDatetime
    days: float = Field(gt=0)
    zone: str


class TargetDoc(Document):
    v1_baseline: float
    target: str
    target_min: float | None
    target_max: float | None
    value: float | None
    met: bool | None


class DayDoc(Document):
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    created: int
    completed: int
    approved: int
    rejected: int
    published: int
    review_time_hours: float | None
    manual_intervention_pct: float | None
    agent_utilization_hours: float


class MetricsDoc(Document):
    """`metrics`: the four design measures from the event log (docs/metrics.md)."""

    period: PeriodDoc
    content_velocity_per_day: float
    review_time_hours: ReviewTimeDoc
    manual_intervention_pct: float | None
    agent_utilization_hours_per_day: dict[str, float]
    agent_utilization_avg_hours_per_day: float | None
    targets: dict[Literal["content_velocity_per_day", "review_time_hours",
                          "manual_intervention_pct", "agent_utilization_hours_per_day"],
                  TargetDoc]
    totals: dict[str, int]
    daily: list[DayDoc]


class WrittenFileDoc(Document):
    """`report --html FILE` and `calendar export --output FILE`: where the file went."""

    path: str


class DisplayZoneDoc(Document):
    """`calendar zone`: the zone times are shown in."""

    zone: str
    utc_offset: str = Field(pattern=r"^[+-]\d{2}:\d{2}$")
