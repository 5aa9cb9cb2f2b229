"""Domain rules: no database, no third-party packages."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from idolq.domain import model, policy, values
from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.domain.model import Task


def make_task(**overrides) -> Task:
    base = dict(id=1, code="CONTENT-001", title="t", task_type="content", status="pending",
                priority=2, assigned_agent=2, review_tier=1, created_at="2026-01-09T00:00:00+00:00")
    return Task(**{**base, **overrides})


@pytest.mark.parametrize(("task_type", "content_type", "agent"), [
    ("content", "tweet", 2), ("content", "thread", 2), ("content", "discord", 3),
    ("content", "event", 3), ("content", "community", 3), ("content", "banner", 4),
    ("content", "gacha", 4), ("content", "seasonal", 4), ("content", "novel", 7),
    ("content", "chapter", 7), ("content", "story", 7), ("content", "meme", 2),
    ("content", None, 2), ("asset", None, 6), ("asset", "banner", 6), ("lore", None, 1),
    ("analytics", None, 5), ("coordination", None, 0),
])
def test_default_routing_sends_each_type_to_its_agent(task_type, content_type, agent):
    assert policy.route(policy.DEFAULT_ROUTING, task_type, content_type) == agent


def test_the_default_rules_have_no_catch_all_so_unknown_types_are_refused():
    with pytest.raises(InvalidValue):
        policy.route(policy.DEFAULT_ROUTING, "research", None)


def test_an_unknown_type_is_refused_with_the_nearest_known_names():
    from idolq.domain import vocabulary

    with pytest.raises(InvalidValue, match="did you mean content"):
        vocabulary.check_types(policy.DEFAULT_ROUTING, "contnet", None)
    with pytest.raises(InvalidValue, match="did you mean thread"):
        vocabulary.check_types(policy.DEFAULT_ROUTING, "content", "thred")
    vocabulary.check_types(policy.DEFAULT_ROUTING, "content", "tweet")


def test_routing_without_a_catch_all_refuses_unknown_types():
    with pytest.raises(InvalidValue):
        policy.route([("lore", None, 1)], "content", None)


def test_tier_one_requests_canon_and_cultural_together_then_the_coordinator():
    assert policy.first_stage(1) == ("canon", "cultural")
    assert policy.review_types_to_request(1, [("canon", "approved"), ("cultural", "pending")]) == ()
    after_both = [("canon", "approved"), ("cultural", "approved")]
    assert policy.review_types_to_request(1, after_both) == ("coordinator",)
    assert not policy.round_is_approved(1, after_both)
    assert policy.round_is_approved(1, [*after_both, ("coordinator", "approved")])


def test_tier_two_is_cultural_then_coordinator_and_tier_three_coordinator_only():
    assert policy.first_stage(2) == ("cultural",)
    assert policy.review_types_to_request(2, [("cultural", "approved")]) == ("coordinator",)
    assert policy.first_stage(3) == ("coordinator",)
    assert policy.round_is_approved(3, [("coordinator", "approved")])


def test_reviewers_by_review_type():
    assert policy.REVIEWER_AGENTS == {"canon": 8, "cultural": 9, "coordinator": 0}


def test_a_blocked_task_cannot_start_and_the_error_names_its_blockers():
    task = make_task(status="blocked", blocked_by=["LORE-001", "LORE-002"])
    with pytest.raises(InvalidTransition, match="LORE-001, LORE-002"):
        model.check_can_start(task)


@pytest.mark.parametrize("status", ["in_progress", "review", "complete", "cancelled"])
def test_only_a_pending_task_can_start(status):
    with pytest.raises(InvalidTransition):
        model.check_can_start(make_task(status=status))


@pytest.mark.parametrize("status", ["pending", "blocked", "review", "complete", "cancelled"])
def test_only_an_in_progress_task_can_be_completed(status):
    with pytest.raises(InvalidTransition):
        model.check_can_complete(make_task(status=status))


def test_submitted_work_goes_to_review_only_when_the_task_has_a_tier():
    assert model.status_after_submission(make_task(review_tier=3)) == "review"
    assert model.status_after_submission(make_task(review_tier=None)) == "complete"
    assert model.status_after_submission(make_task(review_tier=0)) == "review"  # tier 0 too


def test_finished_tasks_cannot_be_cancelled():
    for status in ("complete", "cancelled"):
        with pytest.raises(InvalidTransition):
            model.check_can_cancel(make_task(status=status))
    model.check_can_cancel(make_task(status="review"))


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("P0", 0), ("p3", 3), (" 2 ", 2)])
def test_priorities_accept_numbers_and_p_names(text, expected):
    assert values.parse_priority(text) == expected


@pytest.mark.parametrize("text", ["4", "P4", "-1", "high", "", "P"])
def test_invalid_priorities_are_refused(text):
    with pytest.raises(InvalidValue):
        values.parse_priority(text)


def test_tiers_are_numbers_or_none_and_must_be_defined_by_the_policy():
    assert [values.parse_tier(t) for t in ("1", "2", "3", "none", "NONE")] == [1, 2, 3, None, None]
    for text in ("-1", "high", "1.5"):
        with pytest.raises(InvalidValue):
            values.parse_tier(text)
    assert policy.check_tier(3, policy.TIER_STAGES) == 3
    assert policy.check_tier(None, policy.TIER_STAGES) is None
    with pytest.raises(InvalidValue, match="use 1, 2, 3 or none"):
        policy.check_tier(4, policy.TIER_STAGES)


def test_a_time_with_an_offset_is_honoured():
    parsed = values.parse_time("2026-01-09T17:00:00+02:00")
    assert values.format_time(parsed) == "2026-01-09T15:00:00+00:00"


def test_a_time_without_an_offset_is_local_and_a_bare_date_is_midnight(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert values.format_time(values.parse_time("2026-01-09T10:00")) == \
            "2026-01-09T15:00:00+00:00"
        assert values.format_time(values.parse_time("2026-01-09")) == "2026-01-09T05:00:00+00:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "09/01/2026", "", "2026-01-09T25:00"])
def test_unparseable_times_are_refused(text):
    with pytest.raises(InvalidValue):
        values.parse_time(text)


def test_now_is_a_time_when_the_caller_gives_one():
    moment = datetime(2026, 1, 9, tzinfo=UTC)
    assert values.parse_time("now", now=moment) == moment


def test_task_refs_are_numbers_or_codes_in_any_case():
    assert values.parse_task_ref("7") == 7
    assert values.parse_task_ref("content-007") == "CONTENT-007"
    for bad in ("", "seven", "CONTENT-", "'; DROP TABLE tasks; --"):
        with pytest.raises(InvalidValue):
            values.parse_task_ref(bad)


def test_task_codes_are_the_type_and_a_three_digit_number():
    assert values.task_code("content", 1) == "CONTENT-001"
    assert values.task_code("lore", 1234) == "LORE-1234"


def test_ds_rating_is_zero_to_four():
    assert values.parse_ds_rating(0) == 0.0
    assert values.parse_ds_rating(4) == 4.0
    for bad in (-0.5, 4.5):
        with pytest.raises(InvalidValue):
            values.parse_ds_rating(bad)


def test_titles_must_have_text_and_no_nul():
    with pytest.raises(InvalidValue):
        values.check_title("   ")
    with pytest.raises(InvalidValue):
        values.check_title("a\x00b")
    assert values.check_title("  Write a thread ✨ ") == "Write a thread ✨"


def test_the_domain_imports_no_third_party_package():
    code = ("import sys; import idolq.domain.model, idolq.domain.policy, idolq.domain.values, "
            "idolq.domain.events; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('typer', 'rich', 'pydantic', 'sqlite_utils', 'sqlite3', 'click')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
