"""The content calendar: items, their statuses and the rules for changing them.

The workflow ends here: approved content is scheduled, then published. Publishing is
gated on the task being `complete` (its final review approved), so unreviewed content
can never go out.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.domain.model import Task, TaskStatus

SCHEDULABLE_TASK_TYPE = "content"
ENGAGEMENT_FIELDS = ("likes", "reposts", "comments", "impressions")
MAX_LABEL_LENGTH = 100
MAX_URL_LENGTH = 2048


class ItemStatus(StrEnum):
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class CalendarItem(NamedTuple):
    id: int
    task_id: int
    task_code: str
    title: str
    scheduled_at: str
    status: str
    platform: str | None = None
    pillar: str | None = None
    published_at: str | None = None
    post_id: str | None = None
    url: str | None = None
    content_type: str | None = None
    task_status: str | None = None
    likes: int | None = None
    reposts: int | None = None
    comments: int | None = None
    impressions: int | None = None
    stats_updated_at: str | None = None


def check_can_schedule(task: Task) -> None:
    """Only content can go on the calendar, and never cancelled content."""
    if task.task_type != SCHEDULABLE_TASK_TYPE:
        raise InvalidTransition(
            f"cannot schedule {task.code}: it is a {task.task_type} task; only content tasks "
            "go on the calendar")
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(f"cannot schedule {task.code}: it is cancelled")


def check_can_publish(item: CalendarItem, task: Task) -> None:
    """The publish gate: a scheduled item whose task is complete (approved)."""
    if item.status != ItemStatus.SCHEDULED:
        raise InvalidTransition(
            f"cannot publish calendar item {item.id} ({item.task_code}): it is {item.status}")
    if task.status != TaskStatus.COMPLETE:
        raise InvalidTransition(
            f"cannot publish calendar item {item.id}: {task.code} is {task.status}, not "
            "complete; only approved content can be published")


def check_can_cancel(item: CalendarItem) -> None:
    if item.status != ItemStatus.SCHEDULED:
        raise InvalidTransition(
            f"cannot cancel calendar item {item.id} ({item.task_code}): it is {item.status}; "
            "only a scheduled item can be cancelled")


def check_can_record_engagement(item: CalendarItem) -> None:
    if item.status != ItemStatus.PUBLISHED:
        raise InvalidTransition(
            f"cannot record engagement for calendar item {item.id} ({item.task_code}): it is "
            f"{item.status}; only a published item has engagement")


def parse_engagement(numbers: dict[str, int | None]) -> dict[str, int]:
    """The engagement numbers given (likes, reposts, comments, impressions), checked."""
    given = {name: value for name, value in numbers.items() if value is not None}
    if not given:
        raise InvalidValue("give at least one of --likes, --reposts, --comments, --impressions")
    for name, value in given.items():
        if name not in ENGAGEMENT_FIELDS:
            raise InvalidValue(f"unknown engagement number {name!r}")
        if value < 0:
            raise InvalidValue(f"invalid {name} {value}: it must be 0 or more")
    return given


def parse_label(name: str, text: str | None, limit: int = MAX_LABEL_LENGTH) -> str | None:
    """A platform, pillar or post id: short text on one line, or None."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        raise InvalidValue(f"invalid {name}: it is empty")
    if len(value) > limit:
        raise InvalidValue(f"invalid {name}: longer than {limit} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidValue(f"invalid {name}: it contains control characters")
    return value


def parse_url(text: str | None) -> str | None:
    value = parse_label("url", text, MAX_URL_LENGTH)
    if value is not None and not value.lower().startswith(("http://", "https://")):
        raise InvalidValue(f"invalid url {text!r}: use an http:// or https:// address")
    return value


def parse_item_ref(text: str) -> int:
    value = text.strip()
    if value.isdigit() and value.isascii() and int(value) < 2**63:
        return int(value)
    raise InvalidValue(f"invalid calendar item {text!r}: give its number")


def item_json(item: CalendarItem) -> dict:
    """A calendar item as the contract names its keys (plus content_type and engagement)."""
    return {
        "id": item.id, "task_id": item.task_id, "task_code": item.task_code,
        "title": item.title, "scheduled_at": item.scheduled_at, "platform": item.platform,
        "pillar": item.pillar, "status": item.status, "published_at": item.published_at,
        "post_id": item.post_id, "url": item.url, "content_type": item.content_type,
        "engagement": {**{name: getattr(item, name) for name in ENGAGEMENT_FIELDS},
                       "updated_at": item.stats_updated_at},
    }
