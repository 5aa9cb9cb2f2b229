"""Values at the edges: refused as invalid values, never an internal error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idolq.domain import sla, values
from idolq.domain.errors import InvalidValue


@pytest.mark.parametrize("text", [
    "0001-01-01", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
    "9999-12-31", "1899-12-31T23:59:59+00:00",
])
def test_times_at_the_ends_of_the_calendar_are_refused(text):
    with pytest.raises(InvalidValue, match="out of range"):
        values.parse_time(text)


def test_times_inside_the_range_are_accepted():
    assert values.parse_time("1900-01-01T00:00:00+00:00") == datetime(1900, 1, 1, tzinfo=UTC)
    assert values.parse_time("9998-12-31T23:59:59+00:00").year == 9998


@pytest.mark.parametrize("text", ["9" * 5000, "1" + "0" * 4300, "٣", "１"])
def test_task_and_review_numbers_of_any_length_or_script_are_refused(text):
    with pytest.raises(InvalidValue):
        values.parse_task_ref(text)
    with pytest.raises(InvalidValue):
        values.parse_review_ref(text)


@pytest.mark.parametrize("text", ["١h", "٣٠m", "１h", "99999999d", "99999999999d",
                                  "9" * 400 + "d", "36501d", "1e309m"])
def test_durations_with_other_digits_or_beyond_100_years_are_refused(text):
    with pytest.raises(InvalidValue):
        sla.parse_duration_minutes(text)


def test_a_duration_of_100_years_is_the_longest_accepted():
    assert sla.parse_duration_minutes("36500d") == sla.MAX_DURATION_MINUTES


@pytest.mark.parametrize("text", ["agent:" + "9" * 5000, "agent:٣", "٣"])
def test_escalation_targets_with_odd_numbers_are_refused(text):
    with pytest.raises(InvalidValue):
        sla.parse_escalate_to(text)


@pytest.mark.parametrize("actor", ["a" * 201, "agent:\x1b[31m02", "x\ny", "\u202ehuman", "  "])
def test_actors_that_are_too_long_or_hold_control_characters_are_refused(actor):
    with pytest.raises(InvalidValue):
        values.check_actor(actor)


def test_a_usual_actor_is_kept_stripped():
    assert values.check_actor("  agent:02 ") == "agent:02"
    assert values.check_actor("human:zoë") == "human:zoë"


@pytest.mark.parametrize("limit", [1e308, float("inf"), -5, 0, "abc", None])
def test_a_stored_rule_with_an_unusable_limit_is_a_problem(limit):
    rule = sla.task_rule(0, 60, sla.HUMAN)._replace(limit_minutes=limit)
    assert "task:P0" in sla.rule_problem(rule, agents={0, 1})


@pytest.mark.parametrize("target", ["agent:77", "nobody", "", "agent:٣", 3])
def test_a_stored_rule_escalating_to_an_unknown_target_is_a_problem(target):
    rule = sla.task_rule(0, 60, target)
    assert "escalates to" in sla.rule_problem(rule, agents={0, 1})


def test_a_valid_rule_has_no_problem():
    assert sla.rule_problem(sla.task_rule(0, 60, "agent:1"), agents={0, 1}) is None
    assert all(sla.rule_problem(rule, agents=set(range(10))) is None
               for rule in sla.DEFAULT_RULES)


def test_evaluating_a_limit_past_the_calendar_end_never_overflows():
    rule = sla.task_rule(0, sla.MAX_DURATION_MINUTES, sla.HUMAN)
    start = datetime(9998, 6, 1, tzinfo=UTC)
    standing = sla.evaluate(rule, start, start)
    assert not standing.breached and not standing.warning
