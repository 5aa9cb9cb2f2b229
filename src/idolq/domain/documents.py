"""The JSON shape of each kind of result: keys in the contract's order."""

from __future__ import annotations

from idolq.domain.model import Agent, Event, Review, Task

TASK_KEYS = ("id", "code", "title", "description", "task_type", "content_type", "status",
             "priority", "assigned_agent", "assigned_agent_name", "review_tier", "review_round",
             "created_at", "started_at", "completed_at", "deadline", "output_file",
             "estimated_hours", "depends_on", "blocked_by", "deferred_until")
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


def comment_json(comment) -> dict:
    return {"id": comment.id, "text": comment.text, "actor": comment.actor,
            "timestamp": comment.timestamp}


def route_json(rule) -> dict:
    task_type, content_type, agent = rule
    return {"task_type": task_type, "content_type": content_type, "agent": agent}
