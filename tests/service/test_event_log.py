"""The event log's format is a contract: typed events log the payloads they always did."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.domain import events
from idolq.domain.documents import REVIEW_KEYS, TASK_KEYS
from idolq.services import handlers
from idolq.services.sla import check_sla
from idolq.services.tasks import add_dependency, cancel_task, remove_dependency
from idolq.store.events import last_events

from helpers import approve_review, create, pending_reviews, reject_review, reviewer, submit

TASK = {"task_id", "task_code"}
DECISION = {"review_id", "task_id", "task_code", "review_type", "reviewer_agent", "round",
            "status", "notes", "ds_rating", "review_time_minutes"}
VIOLATION = {"rule", "threshold_hours", "hours_over", "escalate_to", "due_at", "escalated_at"}
RESOLVED = TASK | {"resolved_task_id", "resolved_task_code", "unblocked", "status"}

# The keys each event type's payload had when payloads were dicts built at each publish site.
LOGGED_KEYS = {
    "task.created": [TASK | {"title", "task_type", "priority", "assigned_agent", "review_tier",
                             "status"}],
    "task.blocked": [TASK | {"blocked_by"}],
    "task.started": [TASK | {"assigned_agent"}],
    "task.completed": [TASK | {"status", "review_tier", "review_round", "output_file"}],
    "task.cancelled": [TASK | {"reason", "previous_status", "blocked_dependents"}],
    "task.approved": [TASK | {"round", "status"}],
    "task.escalated": [TASK | set(TASK_KEYS) | VIOLATION],
    "review.requested": [TASK | {"review_id", "review_type", "reviewer_agent", "round"}],
    "review.approved": [DECISION],
    "review.rejected": [DECISION],
    "review.completed": [DECISION],
    "dependency.resolved": [RESOLVED | {"removed"}, RESOLVED],  # by removal, by completion
    "sla.exceeded": [{"review_id"} | set(REVIEW_KEYS) | VIOLATION],
}


def _every_kind_of_event(conn) -> None:
    with freeze_time("2026-01-09T10:00:00+00:00"):
        chapter = create(conn, review_tier=1, priority=0)
        promo = create(conn, title="Promo", depends_on=[chapter.id])
        spare = create(conn, title="Spare")
        other = create(conn, title="Other")
        add_dependency(conn, spare.id, "agent:02", on_ref=other.id)
        remove_dependency(conn, spare.id, "agent:02", on_ref=other.id)
        cancel_task(conn, other.id, "agent:02", reason="not needed")
        submit(conn, chapter.id)
        reviews = pending_reviews(conn, chapter.id)
        reject_review(conn, reviews["cultural"], "agent:09", notes="again", ds_rating=1.5)
        submit(conn, chapter.id)
    with freeze_time("2026-01-12T10:00:00+00:00"):
        check_sla(conn, "idolq:sla")
        while reviews := pending_reviews(conn, chapter.id):
            for review_id in reviews.values():
                approve_review(conn, review_id, reviewer(conn, review_id))
    assert promo.status == "blocked"


def test_every_event_logs_the_payload_keys_it_always_did(conn):
    _every_kind_of_event(conn)
    logged: dict[str, list[set[str]]] = {}
    for event in last_events(conn, 1000):
        keys = set(event.payload)
        if keys not in logged.setdefault(event.type, []):
            logged[event.type].append(keys)
    assert logged == LOGGED_KEYS


def test_the_log_keeps_the_values_of_a_payload(conn):
    _every_kind_of_event(conn)
    by_type = {e.type: e for e in last_events(conn, 1000)}
    assert by_type["task.approved"].payload == {"task_id": 1, "task_code": "CONTENT-001",
                                                "round": 2, "status": "complete"}
    assert by_type["task.cancelled"].payload == {
        "task_id": 4, "task_code": "CONTENT-004", "reason": "not needed",
        "previous_status": "pending", "blocked_dependents": []}
    escalated = by_type["task.escalated"].payload
    assert (escalated["task_id"], escalated["code"], escalated["rule"]) == (1, "CONTENT-001",
                                                                            "task:P0")


def test_an_event_built_with_a_misnamed_field_is_refused_where_it_is_published():
    with pytest.raises(TypeError):
        events.TaskCompleted(task_id=1, task_code="X-001", state="review", review_tier=2,
                             review_round=1, output_file=None)


def test_a_handler_reading_a_renamed_field_fails_loudly():
    """Were `status` renamed, the handler that reads it would fail, not quietly do nothing."""
    from typing import NamedTuple

    class RenamedTaskCompleted(NamedTuple):
        task_id: int
        task_code: str
        state: str
        review_tier: int | None
        review_round: int
        output_file: str | None

    event = RenamedTaskCompleted(1, "X-001", "review", 2, 1, None)
    for handler in handlers.HANDLERS[events.TaskCompleted]:
        with pytest.raises(AttributeError):
            handler(event, None)


def test_every_handler_is_registered_under_an_event_class():
    from idolq.domain.model import Event

    for key in handlers.HANDLERS:
        assert key is Event or key.type in events.ALL


def test_every_event_class_logs_its_fields_under_a_known_type():
    classes = [c for c in vars(events).values() if isinstance(c, type) and hasattr(c, "type")]
    assert {c.type for c in classes} <= set(events.ALL)
    assert {c.type for c in classes} >= set(LOGGED_KEYS)
    for cls in classes:
        if cls.type in LOGGED_KEYS and cls.payload is events.TaskCreated.payload:
            assert set(cls._fields) in LOGGED_KEYS[cls.type]
