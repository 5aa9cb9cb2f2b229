"""The events of reviews, the SLA, the team and the calendar: review.*, sla.exceeded,
team.changed and content.* (see `events`, which names every event type); and the payload
functions every event class uses.

NamedTuples, not dataclasses, for startup; no `from __future__ import annotations` here:
NamedTuple would compile each string annotation.
"""

from typing import Any, NamedTuple


def _fields(event) -> dict[str, Any]:
    """The JSON object logged in `event_log.payload`: one key per field."""
    return event._asdict()


def _fields_with_override(event) -> dict[str, Any]:
    """One key per field; `override` only when a person overrode an authority rule."""
    payload = event._asdict()
    if not payload.get("override"):
        del payload["override"]
    return payload


class ReviewRequested(NamedTuple):
    type = "review.requested"
    task_id: int
    task_code: str
    review_id: int
    review_type: str
    reviewer_agent: int
    round: int

    payload = _fields


class ReviewDecided(NamedTuple):
    """The fields shared by a review's decision events."""

    review_id: int
    task_id: int
    task_code: str
    review_type: str
    reviewer_agent: int
    round: int
    status: str
    notes: str | None
    ds_rating: float | None
    review_time_minutes: float | None
    override: bool = False  # a person decided for the reviewer

    payload = _fields_with_override


class ReviewApproved(ReviewDecided):
    __slots__ = ()
    type = "review.approved"


class ReviewRejected(ReviewDecided):
    __slots__ = ()
    type = "review.rejected"


class ReviewCompleted(ReviewDecided):
    """Any decision (published after review.approved or review.rejected)."""

    __slots__ = ()
    type = "review.completed"


class SlaExceeded(NamedTuple):
    """A review past its SLA; `violation` is the review's document with the rule it broke."""

    type = "sla.exceeded"
    review_id: int
    violation: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"review_id": self.review_id, **self.violation}


class TeamChanged(NamedTuple):
    """The team changed: an agent, a review tier's stages, a reviewer or a setting.

    Logged as {"what": ..., <its subject's key>: subject, "changes": {field: [old, new]}}.
    """

    type = "team.changed"
    what: str  # agent, review_tier, reviewer, setting or route
    subject: Any  # the agent's number, the tier, the review type or the setting's name
    changes: dict[str, list[Any]]

    def payload(self) -> dict[str, Any]:
        if self.what == "route":  # subject: the rule's task_type and content_type
            return {"what": self.what, **self.subject, "changes": self.changes}
        key = {"agent": "agent", "review_tier": "tier", "reviewer": "review_type",
               "setting": "key"}[self.what]
        return {"what": self.what, key: self.subject, "changes": self.changes}


class ContentScheduled(NamedTuple):
    """A content task put on the calendar (`item_id` is the calendar item)."""

    type = "content.scheduled"
    task_id: int
    task_code: str
    item_id: int
    scheduled_at: str
    platform: str | None
    pillar: str | None

    payload = _fields


class ContentPublished(NamedTuple):
    type = "content.published"
    task_id: int
    task_code: str
    item_id: int
    scheduled_at: str
    published_at: str
    platform: str | None
    pillar: str | None
    post_id: str | None
    url: str | None

    payload = _fields


class ContentCancelled(NamedTuple):
    type = "content.cancelled"
    task_id: int
    task_code: str
    item_id: int
    scheduled_at: str
    reason: str | None

    payload = _fields
