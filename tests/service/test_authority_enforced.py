"""Every operation obeys the authority rules; a person's override is recorded as theirs."""

from __future__ import annotations

import json

import pytest

from idolq.domain.errors import Forbidden
from idolq.services.reviews import approve_review, reject_review
from idolq.services.tasks import complete_task, start_task

from helpers import create, pending_reviews, submit, task


def _payload(conn, event_type: str) -> dict:
    row = conn.execute("SELECT payload, actor FROM event_log WHERE event_type = ?"
                       " ORDER BY id DESC", (event_type,)).fetchone()
    return {**json.loads(row[0]), "_actor": row[1]}


def _rows(conn) -> tuple:
    return (conn.execute("SELECT * FROM tasks").fetchall(),
            conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0])


def test_an_agent_cannot_start_or_complete_another_agents_task(conn):
    created = create(conn)  # agent 2's
    before = _rows(conn)
    with pytest.raises(Forbidden, match="assigned to agent:02"):
        start_task(conn, created.id, "agent:05")
    assert _rows(conn) == before
    start_task(conn, created.id, "agent:02")
    with pytest.raises(Forbidden):
        complete_task(conn, created.id, "agent:05")
    assert task(conn, created.id).status == "in_progress"


def test_an_agent_at_capacity_cannot_start_but_a_person_may_and_it_is_recorded(conn):
    tasks = [create(conn) for _ in range(4)]
    for created in tasks[:3]:
        start_task(conn, created.id, "agent:02")
    with pytest.raises(Forbidden, match=r"\(CONTENT-001, CONTENT-002, CONTENT-003\)"):
        start_task(conn, tasks[3].id, "agent:02")
    start_task(conn, tasks[3].id, "human:lead")
    started = _payload(conn, "task.started")
    assert (started["override"], started["_actor"]) == (True, "human:lead")


def test_the_assignee_acting_records_no_override(conn):
    created = create(conn)
    start_task(conn, created.id, "agent:02")
    assert "override" not in _payload(conn, "task.started")


def test_only_the_reviewer_decides_and_a_person_may_override(conn):
    created = create(conn, review_tier=3)
    submit(conn, created.id)
    review_id = pending_reviews(conn, created.id)["coordinator"]
    for intruder in ("agent:02", "agent:08"):
        with pytest.raises(Forbidden):
            approve_review(conn, review_id, intruder)
        with pytest.raises(Forbidden):
            reject_review(conn, review_id, intruder, notes="no")
    assert task(conn, created.id).status == "review"
    approve_review(conn, review_id, "human:lead")
    approved = _payload(conn, "review.approved")
    assert (approved["override"], approved["_actor"]) == (True, "human:lead")
    assert task(conn, created.id).status == "complete"


def test_the_coordinator_cannot_approve_the_review_of_its_own_task(conn):
    created = create(conn, task_type="coordination", review_tier=3)  # routed to agent 0
    submit(conn, created.id)
    review_id = pending_reviews(conn, created.id)["coordinator"]
    with pytest.raises(Forbidden, match="its own task; only a human may decide it"):
        approve_review(conn, review_id, "agent:00")


def test_no_agent_can_complete_work_past_its_reviews(conn):
    """Whatever an agent does to its own task, reviews stand between it and `complete`."""
    created = create(conn, review_tier=1)
    start_task(conn, created.id, "agent:02")
    assert complete_task(conn, created.id, "agent:02").status == "review"
    for review_id in pending_reviews(conn, created.id).values():
        with pytest.raises(Forbidden):
            approve_review(conn, review_id, "agent:02")
    assert task(conn, created.id).status == "review"
