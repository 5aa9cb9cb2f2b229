"""The JSON shape of each kind of result: keys in the contract's order."""

from __future__ import annotations

from idolq.domain.model import Agent, Event, Review, Task

TASK_KEYS = ("id", "code", "title", "description", "task_type", "content_type", "status",
             "priority", "assigned_agent", "assigned_agent_name", "review_tier", "review_round",
             "created_at", "started_at", "completed_at", "deadline", "output_file",
             "estimated_hours", "depends_on", "blocked_by", "claimed_by", "lease_expires_at",
             "deferred_until")
REVIEW_KEYS = ("id", "task_id", "task_code", "review_type", "reviewer_agent", "round", "status",
               "requested_at", "completed_at", "review_time_minutes", "notes", "ds_rating")
AGENT_KEYS = ("number", "name", "role", "max_concurrent_tasks", "active_tasks",
              "pending_reviews", "available", "is_active")


def task_json(task: Task) -> dict:
    return {key: getattr(task, key) for key in TASK_KEYS}


def review_json(review: Review) -> dict:
    return {key: getattr(review, key) for key in REVIEW_KEYS}


def agent_json(agent: Agent) -> dict:
    return {key: getattr(agent, key) for key in AGENT_KEYS}


def event_json(event: Event) -> dict:
    return {"id": event.id, "type": event.type, "payload": event.payload, "source": event.source,
            "actor": event.actor, "timestamp": event.timestamp}


def task_detail_json(detail) -> dict:
    """`task show`: a queries.TaskDetail."""
    return {**task_json(detail.task), "reviews": [review_json(r) for r in detail.reviews],
            "history": [event_json(e) for e in detail.history],
            "comments": [comment_json(c) for c in detail.comments]}


def review_detail_json(detail) -> dict:
    """`review show`: a queries.ReviewDetail."""
    return {**review_json(detail.review), "task": task_json(detail.task)}


def comment_json(comment) -> dict:
    return {"id": comment.id, "text": comment.text, "actor": comment.actor,
            "timestamp": comment.timestamp}


def commented_json(result) -> dict:
    """`task comment`: a task_edits.Commented."""
    return {"task": task_json(result.task), "comment": comment_json(result.comment)}


def route_json(rule) -> dict:
    """A routing rule: (task_type, content_type or None for any, agent)."""
    task_type, content_type, agent = rule
    return {"task_type": task_type, "content_type": content_type, "agent": agent}


def init_json(result) -> dict:
    """`init`: a setup.InitResult."""
    return {"db": result.db, "schema_version": result.schema_version, "agents": result.agents}


def status_json(status) -> dict:
    """`status`: a queries.Status."""
    return {"tasks": status.tasks, "reviews": status.reviews,
            "agents": [agent_json(a) for a in status.agents]}


def sla_report_json(report) -> dict:
    """`sla check`: an SLA report (domain/sla.py findings)."""
    return {
        "checked_at": report.checked_at,
        "review_violations": len(report.reviews),
        "task_violations": len(report.tasks),
        "new_escalations": report.new_escalations,
        "reviews": [f.as_violation() for f in report.reviews],
        "tasks": [f.as_violation() for f in report.tasks],
        "warnings": [{"kind": f.subject, **f.as_violation()} for f in report.warnings],
        "problems": report.problems,
        "released_leases": report.released,
    }


RULE_KEYS = ("rule", "subject", "review_type", "review_tier", "priority", "limit_minutes",
             "limit_hours", "escalate_to")


def rule_json(rule) -> dict:
    """A rule of the SLA policy (a domain.sla.Rule)."""
    return {"rule": rule.key, **{key: getattr(rule, key) for key in RULE_KEYS[1:]}}


REVIEW_TIME_KEYS = ("review_type", "count", "average_minutes", "median_minutes", "p90_minutes",
                    "max_minutes", "met_limit", "with_limit", "met_percent")


def review_times_json(rows, since: str | None) -> dict:
    """`sla stats`: review times per review type."""
    return {"since": since,
            "review_types": [{key: getattr(row, key) for key in REVIEW_TIME_KEYS}
                             for row in rows]}


def delivery_json(report, requeued: list[int] | None = None) -> dict:
    """`notify send` (and `notify retry`, with the ids put back in the queue)."""
    counts = {key: getattr(report, key) if report else 0
              for key in ("sent", "retrying", "failed")}
    return counts if requeued is None else {"requeued": requeued, **counts}


def cycle_json(cycle) -> dict:
    """One `daemon` cycle (a services.daemon.Cycle)."""
    return {key: getattr(cycle, key) for key in ("at", "ok", "open_breaches", "new_escalations",
                                                 "sent", "retrying", "failed", "error",
                                                 "released")}


def demo_json(db: str | None, steps) -> dict:
    """`demo`: the steps it walked through."""
    return {"db": db, "steps": [{"actor": s.actor, "action": s.action, "outcome": s.outcome}
                                for s in steps]}


def diagnosis_json(diagnosis) -> dict:
    """`doctor`: a services.doctor.Diagnosis."""
    return {key: getattr(diagnosis, key) for key in ("db", "backend", "schema_version",
                                                     "expected_schema_version", "integrity",
                                                     "journal_mode", "size_bytes", "server",
                                                     "problems")}
