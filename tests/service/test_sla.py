"""SLA checks: every threshold, escalation once, policy edits and statistics."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from idolq.domain.errors import InvalidValue, NotFound
from idolq.domain.sla import parse_duration_minutes, parse_escalate_to
from idolq.services.sla import check_sla
from idolq.services.sla_policy import (
    remove_rule,
    reset_policy,
    review_time_stats,
    set_rule,
    show_policy,
)

from helpers import approve_review, create, pending_reviews, reviewer, submit

START = "2026-01-09T10:00:00+00:00"


def _review_waiting(conn, tier: int, review_type: str) -> int:
    """A task of `tier` whose `review_type` review was requested at START."""
    with freeze_time(START):
        task = create(conn, review_tier=tier)
        submit(conn, task.id)
        reviews = pending_reviews(conn, task.id)
        while review_type not in reviews:
            for review_id in reviews.values():
                approve_review(conn, review_id, reviewer(conn, review_id))
            reviews = pending_reviews(conn, task.id)
    return reviews[review_type]


@pytest.mark.parametrize(("tier", "review_type", "limit_minutes", "escalate_to"), [
    (1, "canon", 120, "coordinator"),
    (1, "cultural", 120, "coordinator"),
    (2, "cultural", 60, "coordinator"),
    (1, "coordinator", 30, "human"),
    (2, "coordinator", 30, "human"),
    (3, "coordinator", 15, "human"),
])
def test_each_review_limit_is_breached_just_after_it_and_not_before(
        conn, tier, review_type, limit_minutes, escalate_to):
    review_id = _review_waiting(conn, tier, review_type)
    with freeze_time("2026-01-09T10:00:00Z") as frozen:
        frozen.tick(limit_minutes * 60)
        at_limit = check_sla(conn, "cron")
        assert review_id not in [f.subject_id for f in at_limit.reviews]
        frozen.tick(1)
        over = check_sla(conn, "cron")
    breach = next(f.as_violation() for f in over.reviews if f.subject_id == review_id)
    assert breach["threshold_hours"] == limit_minutes / 60
    assert breach["escalate_to"] == escalate_to
    assert breach["hours_over"] > 0


@pytest.mark.parametrize(("priority", "hours", "escalate_to"), [(0, 24, "human"),
                                                                 (1, 72, "coordinator")])
def test_urgent_tasks_are_breached_after_their_limit_from_creation(conn, priority, hours,
                                                                    escalate_to):
    with freeze_time(START):
        task = create(conn, task_type="lore", priority=priority)
    with freeze_time("2026-01-09T10:00:00Z") as frozen:
        frozen.tick(hours * 3600)
        assert check_sla(conn, "cron").tasks == []
        frozen.tick(60)
        report = check_sla(conn, "cron")
    assert [f.subject_id for f in report.tasks] == [task.id]
    assert report.tasks[0].as_violation()["escalate_to"] == escalate_to


def test_p2_and_p3_tasks_and_finished_tasks_have_no_limit(conn):
    with freeze_time(START):
        create(conn, task_type="lore", priority=2)
        done = create(conn, task_type="lore", priority=0)
        submit(conn, done.id)
    with freeze_time("2026-03-01T00:00:00Z"):
        assert check_sla(conn, "cron").tasks == []


def test_a_breach_is_escalated_once_however_often_the_check_runs(conn):
    review_id = _review_waiting(conn, 3, "coordinator")
    with freeze_time(START):
        task = create(conn, task_type="lore", priority=0)
    reports = []
    for hour in range(11, 15):  # hourly from 25 hours after creation
        with freeze_time(f"2026-01-10T{hour:02d}:00:00Z"):
            reports.append(check_sla(conn, "cron"))
    assert [r.new_escalations for r in reports] == [2, 0, 0, 0]
    assert all(len(r.reviews) == 1 and len(r.tasks) == 1 for r in reports)
    assert {r.reviews[0].escalated_at for r in reports} == {"2026-01-10T11:00:00+00:00"}
    counts = dict(conn.execute("SELECT event_type, COUNT(*) FROM event_log WHERE event_type IN"
                               " ('sla.exceeded', 'task.escalated') GROUP BY event_type"))
    assert counts == {"sla.exceeded": 1, "task.escalated": 1}
    payload = json.loads(conn.execute("SELECT payload FROM event_log WHERE event_type ="
                                      " 'sla.exceeded'").fetchone()[0])
    assert (payload["review_id"], payload["task_code"]) == (review_id, "CONTENT-001")
    task_payload = json.loads(conn.execute("SELECT payload FROM event_log WHERE event_type ="
                                           " 'task.escalated'").fetchone()[0])
    assert (task_payload["task_id"], task_payload["escalate_to"]) == (task.id, "human")


def test_a_review_approved_after_its_breach_leaves_the_report(conn):
    review_id = _review_waiting(conn, 3, "coordinator")
    with freeze_time("2026-01-09T11:00:00Z"):
        assert len(check_sla(conn, "cron").reviews) == 1
        approve_review(conn, review_id, "agent:00")
        after = check_sla(conn, "cron")
    assert after.reviews == [] and not after.breached


def test_a_new_review_round_can_be_escalated_again(conn):
    from idolq.services.tasks import complete_task

    from helpers import reject_review

    review_id = _review_waiting(conn, 3, "coordinator")
    with freeze_time("2026-01-09T11:00:00Z"):
        assert check_sla(conn, "cron").new_escalations == 1
        reject_review(conn, review_id, "agent:00", notes="again")
        complete_task(conn, 1, "agent:02")
    with freeze_time("2026-01-09T12:00:00Z"):
        assert check_sla(conn, "cron").new_escalations == 1


def test_a_dry_run_reports_without_escalating(conn):
    _review_waiting(conn, 3, "coordinator")
    with freeze_time("2026-01-09T11:00:00Z"):
        report = check_sla(conn, "cron", dry_run=True)
    assert len(report.reviews) == 1 and report.new_escalations == 0
    assert report.reviews[0].escalated_at is None


def test_warnings_come_at_eighty_percent_of_a_limit_without_a_breach(conn):
    _review_waiting(conn, 2, "cultural")
    with freeze_time("2026-01-09T10:50:00Z"):
        report = check_sla(conn, "cron")
    assert not report.breached
    assert [f.subject for f in report.warnings] == ["review"]


def test_breaches_are_sorted_worst_first(conn):
    _review_waiting(conn, 3, "coordinator")
    with freeze_time("2026-01-09T10:30:00Z"):
        later = create(conn, review_tier=3)
        submit(conn, later.id)
    with freeze_time("2026-01-09T12:00:00Z"):
        report = check_sla(conn, "cron")
    assert [f.document["task_code"] for f in report.reviews] == ["CONTENT-001", "CONTENT-002"]


def test_the_policy_is_the_users_to_change(conn):
    assert {r.key for r in show_policy(conn)} >= {"review:canon:tier1", "task:P0"}
    rule = set_rule(conn, "cultural", 2, 45, None, "human:lead")
    assert (rule.limit_minutes, rule.escalate_to) == (45, "coordinator")
    set_rule(conn, "P2", None, 7 * 1440, "agent:5", "human:lead")
    _review_waiting(conn, 2, "cultural")
    with freeze_time("2026-01-09T10:46:00Z"):
        assert len(check_sla(conn, "cron").reviews) == 1
    remove_rule(conn, "cultural", 2, "human:lead")
    with pytest.raises(NotFound):
        remove_rule(conn, "cultural", 2, "human:lead")
    assert "review:cultural:tier2" not in {r.key for r in show_policy(conn)}
    assert len(reset_policy(conn, "human:lead")) == 8


@pytest.mark.parametrize(("item", "tier"), [("canon", None), ("canon", 2), ("editor", 1),
                                             ("P4", None), ("P1", 1)])
def test_unknown_review_types_and_tiers_are_refused(conn, item, tier):
    with pytest.raises(InvalidValue):
        set_rule(conn, item, tier, 60, None, "human:lead")


@pytest.mark.parametrize("text", ["0m", "-1h", "soon", "", "2x", "1h-5m"])
def test_non_positive_or_unparseable_limits_are_refused(text):
    with pytest.raises(InvalidValue):
        parse_duration_minutes(text)


def test_durations_and_escalation_targets_parse():
    assert parse_duration_minutes("1h30m") == 90
    assert parse_duration_minutes("1.5d") == 2160
    assert parse_escalate_to("agent:00") == "coordinator"
    assert parse_escalate_to("agent:3") == "agent:3"
    assert parse_escalate_to("HUMAN") == "human"


def test_review_time_stats_per_type_with_limits_met(conn):
    for minutes in (10, 20, 40):
        with freeze_time("2026-01-09T10:00:00Z") as frozen:
            task = create(conn, review_tier=3)
            submit(conn, task.id)
            frozen.tick(minutes * 60)
            approve_review(conn, pending_reviews(conn, task.id)["coordinator"], "agent:00")
    (stats,) = review_time_stats(conn, None)
    assert (stats.review_type, stats.count, stats.max_minutes) == ("coordinator", 3, 40)
    assert (stats.average_minutes, stats.median_minutes, stats.p90_minutes) == (
        pytest.approx(70 / 3, abs=0.01), 20, 40)
    assert (stats.met_limit, stats.with_limit, stats.met_percent) == (1, 3, 33.3)
    assert review_time_stats(conn, "2026-02-01T00:00:00+00:00") == []
