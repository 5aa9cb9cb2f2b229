"""The workflow through the service layer, against a temporary database."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.domain.errors import (
    Conflict,
    DependencyCycle,
    InvalidTransition,
    InvalidValue,
    NotFound,
)
from idolq.services import queries
from idolq.services.tasks import add_dependency, cancel_task, complete_task, start_task

from helpers import (
    approve_all_rounds,
    approve_review,
    create,
    event_types,
    pending_reviews,
    reject_review,
    submit,
    task,
)


def test_a_new_task_is_routed_coded_and_pending(conn):
    created = create(conn, content_type="chapter", priority=1)
    assert (created.code, created.status, created.assigned_agent) == ("CONTENT-001", "pending", 7)
    assert created.assigned_agent_name == "Light Novel Writer"
    assert create(conn, task_type="lore").code == "LORE-001"
    assert create(conn).code == "CONTENT-002"


def test_an_explicit_agent_overrides_routing_and_an_unknown_agent_is_refused(conn):
    assert create(conn, agent=5).assigned_agent == 5
    with pytest.raises(InvalidValue):
        create(conn, agent=42)


def test_task_codes_are_never_reused_after_a_refused_creation(conn):
    create(conn)
    with pytest.raises(NotFound):
        create(conn, depends_on=[999])
    assert create(conn).code == "CONTENT-002"


def test_a_task_depending_on_unfinished_work_is_created_blocked(conn):
    first = create(conn)
    second = create(conn, depends_on=[first.id])
    assert second.status == "blocked"
    assert second.blocked_by == [first.code]
    assert event_types(conn, second.id) == ["task.created", "task.blocked"]


def test_a_blocked_task_cannot_start_and_the_error_names_its_blocker(conn):
    first = create(conn)
    second = create(conn, depends_on=[first.code])
    with pytest.raises(InvalidTransition, match=first.code):
        start_task(conn, second.id, "agent:02")


def test_a_task_without_a_tier_completes_on_submission_and_unblocks_dependents(conn):
    first = create(conn, task_type="lore")
    second = create(conn, depends_on=[first.id])
    assert submit(conn, first.id).status == "complete"
    assert task(conn, second.id).status == "pending"
    assert task(conn, second.id).blocked_by == []


def test_tier_one_requests_canon_and_cultural_in_parallel_then_the_coordinator(conn):
    chapter = create(conn, content_type="chapter", review_tier=1)
    submitted = submit(conn, chapter.id)
    assert (submitted.status, submitted.review_round) == ("review", 1)
    reviews = pending_reviews(conn, chapter.id)
    assert set(reviews) == {"canon", "cultural"}
    approve_review(conn, reviews["canon"], "agent:08")
    assert set(pending_reviews(conn, chapter.id)) == {"cultural"}
    approve_review(conn, reviews["cultural"], "agent:09")
    assert set(pending_reviews(conn, chapter.id)) == {"coordinator"}
    assert task(conn, chapter.id).status == "review"
    approve_review(conn, pending_reviews(conn, chapter.id)["coordinator"], "agent:00")
    assert task(conn, chapter.id).status == "complete"


def test_reviewers_are_the_canon_cultural_and_coordinator_agents(conn):
    chapter = create(conn, review_tier=1)
    submit(conn, chapter.id)
    agents = {r.review_type: r.reviewer_agent for r in queries.list_reviews(conn)}
    assert agents == {"canon": 8, "cultural": 9}


def test_tier_two_is_cultural_then_coordinator(conn):
    thread = create(conn, review_tier=2)
    submit(conn, thread.id)
    assert set(pending_reviews(conn, thread.id)) == {"cultural"}
    approve_review(conn, pending_reviews(conn, thread.id)["cultural"], "agent:09")
    assert set(pending_reviews(conn, thread.id)) == {"coordinator"}
    approve_review(conn, pending_reviews(conn, thread.id)["coordinator"], "agent:00")
    assert task(conn, thread.id).status == "complete"


def test_tier_three_is_the_coordinator_only(conn):
    tweet = create(conn, review_tier=3)
    submit(conn, tweet.id)
    assert set(pending_reviews(conn, tweet.id)) == {"coordinator"}
    approve_review(conn, pending_reviews(conn, tweet.id)["coordinator"], "agent:00")
    assert task(conn, tweet.id).status == "complete"


def test_reviewed_work_is_not_complete_before_its_coordinator_approval(conn):
    thread = create(conn, review_tier=2)
    dependent = create(conn, depends_on=[thread.id])
    submit(conn, thread.id)
    approve_review(conn, pending_reviews(conn, thread.id)["cultural"], "agent:09")
    assert task(conn, thread.id).status == "review"
    assert task(conn, dependent.id).status == "blocked"


def test_rejecting_a_review_reopens_the_task_and_cancels_the_rounds_other_reviews(conn):
    chapter = create(conn, review_tier=1)
    submit(conn, chapter.id)
    reviews = pending_reviews(conn, chapter.id)
    rejected = reject_review(conn, reviews["canon"], "agent:08", notes="Contradicts canon")
    assert rejected.status == "rejected"
    assert task(conn, chapter.id).status == "in_progress"
    statuses = {r.review_type: r.status for r in queries.list_reviews(conn, task_ref=chapter.id)}
    assert statuses == {"canon": "rejected", "cultural": "cancelled"}
    with pytest.raises(InvalidTransition):
        approve_review(conn, reviews["cultural"], "agent:09")


def test_resubmission_after_a_rejection_opens_a_new_round_from_the_first_stage(conn):
    chapter = create(conn, review_tier=1)
    submit(conn, chapter.id)
    reviews = pending_reviews(conn, chapter.id)
    approve_review(conn, reviews["canon"], "agent:08")
    reject_review(conn, reviews["cultural"], "agent:09", notes="Rework the slang")
    resubmitted = complete_task(conn, chapter.id, "agent:02")  # its assignee
    assert resubmitted.review_round == 2
    second_round = [r for r in queries.list_reviews(conn, task_ref=chapter.id) if r.round == 2]
    assert sorted(r.review_type for r in second_round) == ["canon", "cultural"]
    approve_all_rounds(conn, chapter.id)
    assert task(conn, chapter.id).status == "complete"


def test_a_rejection_needs_notes(conn):
    thread = create(conn, review_tier=3)
    submit(conn, thread.id)
    review_id = pending_reviews(conn, thread.id)["coordinator"]
    for notes in ("", "   ", None):
        with pytest.raises(InvalidValue):
            reject_review(conn, review_id, "agent:00", notes=notes)
    assert task(conn, thread.id).status == "review"


def test_actions_cannot_be_taken_twice(conn):
    tweet = create(conn, review_tier=3)
    submit(conn, tweet.id)
    with pytest.raises(InvalidTransition):
        complete_task(conn, tweet.id, "agent:02")
    review_id = pending_reviews(conn, tweet.id)["coordinator"]
    approve_review(conn, review_id, "agent:00")
    with pytest.raises(InvalidTransition):
        approve_review(conn, review_id, "agent:00")
    with pytest.raises(InvalidTransition):
        reject_review(conn, review_id, "agent:00", notes="too late")
    with pytest.raises(InvalidTransition):
        complete_task(conn, tweet.id, "agent:02")
    with pytest.raises(InvalidTransition):
        start_task(conn, tweet.id, "agent:02")
    with pytest.raises(InvalidTransition):
        cancel_task(conn, tweet.id, "agent:02")


def test_approval_unblocks_only_tasks_with_no_open_dependency_left(conn):
    first, second = create(conn, task_type="lore"), create(conn, task_type="lore")
    waiting = create(conn, depends_on=[first.id, second.id])
    submit(conn, first.id)
    assert task(conn, waiting.id).status == "blocked"
    assert task(conn, waiting.id).blocked_by == [second.code]
    submit(conn, second.id)
    assert task(conn, waiting.id).status == "pending"
    assert "dependency.resolved" in event_types(conn, waiting.id)


def test_dependencies_that_would_close_a_cycle_are_refused(conn):
    a, b, c = (create(conn, task_type="lore") for _ in range(3))
    add_dependency(conn, b.id, "agent:00", on_ref=a.id)
    add_dependency(conn, c.id, "agent:00", on_ref=b.id)
    with pytest.raises(DependencyCycle):
        add_dependency(conn, a.id, "agent:00", on_ref=c.id)
    with pytest.raises(DependencyCycle):
        add_dependency(conn, a.id, "agent:00", on_ref=a.id)
    assert task(conn, a.id).depends_on == []


def test_depending_on_work_makes_a_pending_task_blocked_and_twice_is_refused(conn):
    a, b = create(conn, task_type="lore"), create(conn, task_type="lore")
    changed = add_dependency(conn, b.id, "agent:00", on_ref=a.code)
    assert (changed.status, changed.blocked_by) == ("blocked", [a.code])
    with pytest.raises(Conflict):
        add_dependency(conn, b.id, "agent:00", on_ref=a.id)


def test_depending_on_complete_work_is_resolved_at_once(conn):
    a, b = create(conn, task_type="lore"), create(conn, task_type="lore")
    submit(conn, a.id)
    changed = add_dependency(conn, b.id, "agent:00", on_ref=a.id)
    assert (changed.status, changed.depends_on, changed.blocked_by) == ("pending", [a.code], [])


def test_cancelling_a_task_in_review_cancels_its_open_reviews(conn):
    chapter = create(conn, review_tier=1)
    submit(conn, chapter.id)
    cancelled = cancel_task(conn, chapter.id, "human:lead", reason="dropped")
    assert cancelled.status == "cancelled"
    assert {r.status for r in queries.list_reviews(conn, task_ref=chapter.id)} == {"cancelled"}
    with pytest.raises(InvalidTransition):
        create(conn, depends_on=[chapter.id])


def test_ds_rating_is_accepted_on_cultural_reviews_only(conn):
    chapter = create(conn, review_tier=1)
    submit(conn, chapter.id)
    reviews = pending_reviews(conn, chapter.id)
    with pytest.raises(InvalidValue):
        approve_review(conn, reviews["canon"], "agent:08", ds_rating=3)
    assert approve_review(conn, reviews["cultural"], "agent:09", ds_rating=3.5).ds_rating == 3.5


def test_review_time_is_recorded_in_minutes_on_decision(conn):
    with freeze_time("2026-01-09T10:00:00Z"):
        thread = create(conn, review_tier=3)
        submit(conn, thread.id)
    with freeze_time("2026-01-09T10:42:30Z"):
        review = approve_review(conn, pending_reviews(conn, thread.id)["coordinator"], "agent:00")
    assert review.requested_at == "2026-01-09T10:00:00+00:00"
    assert review.completed_at == "2026-01-09T10:42:30+00:00"
    assert review.review_time_minutes == 42.5


def test_unknown_tasks_and_reviews_are_not_found(conn):
    with pytest.raises(NotFound):
        start_task(conn, "CONTENT-404", "agent:02")
    with pytest.raises(NotFound):
        approve_review(conn, 404, "agent:00")


def test_every_change_is_logged_with_its_actor_and_history(conn):
    thread = create(conn, review_tier=3)
    submit(conn, thread.id)
    approve_review(conn, pending_reviews(conn, thread.id)["coordinator"], "agent:00")
    detail = queries.show_task(conn, thread.id)
    assert [e.type for e in detail.history] == [
        "task.created", "task.started", "task.completed", "review.requested",
        "review.approved", "review.completed", "task.approved"]
    assert {e.actor for e in detail.history} == {"agent:02", "agent:00"}
    assert all(e.payload["task_code"] == thread.code for e in detail.history)
    rows = conn.execute("SELECT from_status, to_status, actor FROM task_history "
                        "WHERE task_id = ? ORDER BY id", (thread.id,)).fetchall()
    assert [tuple(r) for r in rows] == [
        (None, "pending", "agent:02"), ("pending", "in_progress", "agent:02"),
        ("in_progress", "review", "agent:02"), ("review", "complete", "agent:00")]


def test_status_counts_every_status_and_agent_workload_is_derived(conn):
    create(conn, content_type="tweet")
    started = create(conn, content_type="tweet")
    start_task(conn, started.id, "agent:02")
    summary = queries.status(conn)
    assert summary.tasks == {"pending": 1, "in_progress": 1, "blocked": 0, "review": 0,
                             "complete": 0, "cancelled": 0, "deferred": 0}
    strategist = next(a for a in summary.agents if a.number == 2)
    assert (strategist.active_tasks, strategist.available) == (1, True)


def test_ready_lists_pending_tasks_by_priority_then_deadline_then_age(conn):
    late = create(conn, title="late", priority=2)
    urgent = create(conn, title="urgent", priority=0)
    soon = create(conn, title="soon", priority=2, deadline="2026-01-10T00:00:00+00:00")
    later = create(conn, title="later", priority=2, deadline="2026-02-10T00:00:00+00:00")
    started = create(conn, title="started", priority=0)
    start_task(conn, started.id, "agent:02")
    order = [t.title for t in queries.ready_tasks(conn)]
    assert order == [urgent.title, soon.title, later.title, late.title]


def test_status_counts_always_equal_a_fresh_count_of_every_row(conn):
    chapter = create(conn, review_tier=1)
    other = create(conn, depends_on=[chapter.id])
    submit(conn, chapter.id)
    reviews = pending_reviews(conn, chapter.id)
    reject_review(conn, reviews["canon"], "agent:08", notes="no")
    submit(conn, chapter.id)
    approve_all_rounds(conn, chapter.id)
    cancel_task(conn, other.id, "agent:00")
    for table in ("tasks", "reviews"):
        kept = dict(conn.execute("SELECT status, n FROM status_counts WHERE entity = ? AND n > 0",
                                 (table,)).fetchall())
        fresh = dict(conn.execute(f"SELECT status, COUNT(*) FROM {table} GROUP BY status"))
        assert kept == fresh


def test_what_an_operation_returns_is_what_is_stored(conn):
    first = create(conn, task_type="lore")
    created = create(conn, title="Chapter", content_type="chapter", review_tier=1, priority=0,
                     deadline="2026-02-01T00:00:00+00:00", estimated_hours=2.5,
                     description="d", depends_on=[first.id])
    assert created == task(conn, created.id)
    started = start_task(conn, first.id, "agent:01")
    assert started == task(conn, first.id)
    completed = complete_task(conn, first.id, "agent:01", output_file="out.md")
    assert completed == task(conn, first.id)
    cancelled = cancel_task(conn, created.id, "agent:00")
    assert cancelled == task(conn, created.id)


def test_dependents_of_cancelled_work_are_named_and_can_be_released(conn):
    from idolq.services.tasks import remove_dependency

    upstream, other = create(conn, task_type="lore"), create(conn, task_type="lore")
    waiting = create(conn, depends_on=[upstream.id, other.id])
    cancel_task(conn, upstream.id, "agent:00", reason="dropped")
    cancelled = [e for e in queries.show_task(conn, upstream.id).history
                 if e.type == "task.cancelled"][0]
    assert cancelled.payload["blocked_dependents"] == [waiting.code]
    released = remove_dependency(conn, waiting.id, "agent:00", on_ref=upstream.code)
    assert (released.status, released.blocked_by) == ("blocked", [other.code])
    assert released == task(conn, waiting.id)
    submit(conn, other.id)
    assert task(conn, waiting.id).status == "pending"
    with pytest.raises(NotFound):
        remove_dependency(conn, waiting.id, "agent:00", on_ref=upstream.id)


def test_removing_the_last_open_dependency_makes_a_blocked_task_pending(conn):
    from idolq.services.tasks import remove_dependency

    upstream = create(conn, task_type="lore")
    waiting = create(conn, depends_on=[upstream.id])
    released = remove_dependency(conn, waiting.code, "agent:00", on_ref=upstream.id)
    assert (released.status, released.depends_on, released.blocked_by) == ("pending", [], [])
    assert released == task(conn, waiting.id)
    last = queries.show_task(conn, waiting.id).history[-1]
    assert (last.type, last.payload["removed"], last.payload["unblocked"]) == (
        "dependency.resolved", True, True)
