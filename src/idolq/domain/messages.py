"""One line of text saying what an event means to a person (for chat notifications)."""

from __future__ import annotations


def describe(event_type: str, payload: dict) -> str:
    subject = payload.get("task_code") or payload.get("code") or ""
    if event_type == "sla.exceeded":
        return (f"SLA exceeded: {payload.get('review_type')} review {payload.get('review_id')} "
                f"of {subject} is {payload.get('hours_over', 0):.1f}h over its "
                f"{payload.get('threshold_hours', 0):g}h limit; escalated to "
                f"{payload.get('escalate_to')}")
    if event_type == "task.escalated":
        return (f"Task escalated: {subject} (P{payload.get('priority')}) "
                f"\u201c{payload.get('title', '')}\u201d is {payload.get('hours_over', 0):.1f}h "
                f"over its {payload.get('threshold_hours', 0):g}h limit; escalated to "
                f"{payload.get('escalate_to')}")
    detail = payload.get("title") or payload.get("review_type") or ""
    return " ".join(part for part in (f"{event_type}:", subject, str(detail)) if part)
