"""What each event says to a person: its subject and the detail worth a glance."""

from __future__ import annotations

from idolq.domain.model import Event


def event_fields(event: dict) -> tuple[str, int, str, str, str, str]:
    """(timestamp, id, type, subject, actor, detail) of an event document."""
    payload = event["payload"]
    subject = payload.get("task_code") or ""
    if "review_id" in payload:
        subject = f"{subject} review {payload['review_id']}".strip()
    return (event["timestamp"] or "", event["id"] or 0, event["type"], subject,
            event["actor"] or "", event_detail(event["type"], payload))


def _changes(changes: dict) -> str:
    return "; ".join(f"{field}: {_short(old)} -> {_short(new)}"
                     for field, (old, new) in changes.items())


def _short(value) -> str:
    text = "none" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "\u2026"


DETAILS = {
    "task.updated": lambda p: _changes(p.get("changes", {})),
    "task.assigned": lambda p: f"agent {p.get('from_agent')} -> {p.get('assigned_agent')}",
    "task.commented": lambda p: p.get("comment") or "",
    "task.cancelled": lambda p: p.get("reason") or "",
    "task.deferred": lambda p: f"until {p['until']}" if p.get("until") else "",
    "task.resumed": lambda p: f"-> {p.get('status')}" + (f" ({p['reason']})"
                                                         if p.get("reason") else ""),
    "review.requested": lambda p: f"{p.get('review_type')} for agent {p.get('reviewer_agent')}",
    "review.approved": lambda p: p.get("notes") or "",
    "review.rejected": lambda p: p.get("notes") or "",
    "dependency.resolved": lambda p: f"{p.get('resolved_task_code')} done"
                                     + (", unblocked" if p.get("unblocked") else ""),
    "task.escalated": lambda p: f"{p.get('rule')} to {p.get('escalate_to')}",
    "sla.exceeded": lambda p: f"{p.get('rule')} to {p.get('escalate_to')}",
    "team.changed": lambda p: " ".join(str(p.get(k)) for k in ("change", "task_type",
                                                                "content_type", "agent")
                                       if p.get(k) is not None),
}


def event_detail(event_type: str, payload: dict) -> str:
    describe = DETAILS.get(event_type)
    return " ".join(describe(payload).split()) if describe else ""


def outcome_lines(happened: list[Event]) -> list[str]:
    """What an operation led to, from the events of its transaction."""
    lines = []
    for event in happened:
        p = event.payload
        code = p.get("task_code", "")
        if event.type == "review.requested":
            lines.append(f"review {p['review_id']} ({p['review_type']}) requested from agent "
                         f"{p['reviewer_agent']}")
        elif event.type == "task.approved":
            lines.append(f"{code} approved: complete")
        elif event.type == "task.completed" and p.get("status") == "complete":
            lines.append(f"{code} complete")
        elif event.type == "dependency.resolved" and p.get("unblocked"):
            lines.append(f"{code} unblocked: now {p.get('status', 'pending')}")
        elif event.type == "review.rejected":
            lines.append(f"{code} back to in_progress for another round")
        elif event.type == "task.cancelled" and p.get("blocked_dependents"):
            lines.append(f"still waiting on {code}: {', '.join(p['blocked_dependents'])} "
                         "(see `idolq task undepend`)")
        elif event.type == "task.resumed":
            lines.append(f"{code} resumed: now {p.get('status')}")
        elif event.type == "task.assigned" and p.get("status") == "pending":
            lines.append(f"{code} now with agent {p.get('assigned_agent')}")
    return lines
