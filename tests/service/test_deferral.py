"""Deferred tasks, edits and assignments at the service level."""

from __future__ import annotations

import pytest

from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.services.task_edits import (
    assign_task,
    comment_task,
    defer_task,
    edit_task,
    resume_task,
)
from idolq.services.uow import recording

from helpers import approve_all_rounds, create, submit, task


def test_a_deferred_dependent_stays_deferred_when_its_blocker_completes(conn):
    blocker = create(conn, task_type="lore")
    waiting = create(conn, task_type="lore", depends_on=[blocker.id])
    defer_task(conn, waiting.id, "agent:01")
    submit(conn, blocker.id)
    assert task(conn, waiting.id).status == "deferred"
    assert resume_task(conn, waiting.id, "agent:01").status == "pending"


def test_a_resumed_task_with_an_open_dependency_is_blocked(conn):
    blocker = create(conn, task_type="lore")
    waiting = create(conn, task_type="lore", depends_on=[blocker.id])
    defer_task(conn, waiting.id, "agent:01")
    assert resume_task(conn, waiting.id, "agent:01").status == "blocked"


def test_only_pending_or_blocked_work_can_be_deferred(conn):
    started = create(conn, task_type="lore")
    submit(conn, started.id)
    with pytest.raises(InvalidTransition, match="only a pending or blocked task"):
        defer_task(conn, started.id, "agent:01")


def test_edit_returns_the_task_as_stored_and_logs_only_real_changes(conn):
    made = create(conn, task_type="content", content_type="tweet")
    with recording() as happened:
        edited = edit_task(conn, made.id, "agent:02", title=made.title, priority=0)
    assert edited == task(conn, made.id)
    assert [e.payload["changes"] for e in happened] == [{"priority": [2, 0]}]
    with recording() as nothing:
        edit_task(conn, made.id, "agent:02", priority=0)
    assert nothing == []


def test_a_cancelled_task_cannot_be_edited_and_a_finished_one_not_reassigned(conn):
    from idolq.services.tasks import cancel_task

    gone = create(conn, task_type="lore")
    cancel_task(conn, gone.id, "agent:01")
    with pytest.raises(InvalidTransition):
        edit_task(conn, gone.id, "agent:01", title="new")
    done = create(conn, task_type="content", review_tier=3)
    submit(conn, done.id)
    approve_all_rounds(conn, done.id)
    with pytest.raises(InvalidTransition):
        assign_task(conn, done.id, "agent:00", agent=3)
    assert comment_task(conn, done.id, "agent:00", "Shipped").comment.text == "Shipped"


def test_reassigning_keeps_what_is_stored_and_what_is_returned_equal(conn):
    made = create(conn, task_type="lore")
    assigned = assign_task(conn, made.id, "human:lead", agent=5)
    assert assigned == task(conn, made.id)
    with pytest.raises(InvalidValue):
        assign_task(conn, made.id, "human:lead", agent=99)
