"""The calendar's rules, without a database: the publish gate, cancelling, engagement, zones."""

from __future__ import annotations

from datetime import UTC

import pytest

from idolq.domain import calendar, zones
from idolq.domain.calendar import CalendarItem
from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.domain.model import Task


def _task(status: str = "complete", task_type: str = "content") -> Task:
    return Task(id=1, code="CONTENT-001", title="t", task_type=task_type, status=status,
                priority=2, assigned_agent=2, review_tier=2,
                created_at="2026-01-09T00:00:00+00:00")


def _item(status: str = "scheduled") -> CalendarItem:
    return CalendarItem(id=7, task_id=1, task_code="CONTENT-001", title="t",
                        scheduled_at="2026-01-13T00:00:00+00:00", status=status)


@pytest.mark.parametrize("status", ["pending", "in_progress", "blocked", "review", "cancelled"])
def test_an_item_whose_task_is_not_complete_cannot_be_published(status):
    with pytest.raises(InvalidTransition, match="only approved content can be published"):
        calendar.check_can_publish(_item(), _task(status))


def test_a_scheduled_item_of_complete_content_can_be_published():
    calendar.check_can_publish(_item(), _task("complete"))


@pytest.mark.parametrize("status", ["published", "cancelled"])
def test_an_item_is_published_once_and_never_after_being_cancelled(status):
    with pytest.raises(InvalidTransition, match=f"it is {status}"):
        calendar.check_can_publish(_item(status), _task("complete"))


def test_only_scheduled_items_can_be_cancelled():
    calendar.check_can_cancel(_item())
    for status in ("published", "cancelled"):
        with pytest.raises(InvalidTransition):
            calendar.check_can_cancel(_item(status))


def test_only_content_tasks_that_are_not_cancelled_can_be_scheduled():
    calendar.check_can_schedule(_task("pending"))
    with pytest.raises(InvalidTransition, match="only content tasks"):
        calendar.check_can_schedule(_task("pending", task_type="lore"))
    with pytest.raises(InvalidTransition, match="cancelled"):
        calendar.check_can_schedule(_task("cancelled"))


def test_engagement_needs_a_published_item_and_counts_of_zero_or_more():
    calendar.check_can_record_engagement(_item("published"))
    with pytest.raises(InvalidTransition):
        calendar.check_can_record_engagement(_item("scheduled"))
    assert calendar.parse_engagement({"likes": 3, "reposts": None}) == {"likes": 3}
    with pytest.raises(InvalidValue):
        calendar.parse_engagement({"likes": -1})
    with pytest.raises(InvalidValue):
        calendar.parse_engagement({"likes": None})


def test_labels_and_urls_are_checked():
    assert calendar.parse_label("pillar", " Ika Voice ") == "Ika Voice"
    for bad in ("", "a\x1bb", "x" * 101):
        with pytest.raises(InvalidValue):
            calendar.parse_label("pillar", bad)
    with pytest.raises(InvalidValue):
        calendar.parse_url("javascript:alert(1)")


def test_the_display_zone_prefers_the_environment_then_the_setting_then_the_machine():
    assert zones.zone_name(zones.display_zone("Asia/Tokyo", "UTC", UTC)) == "Asia/Tokyo"
    assert zones.zone_name(zones.display_zone(None, "Europe/Paris", UTC)) == "Europe/Paris"
    assert zones.display_zone("", None, UTC) is UTC
    for bad in ("Mars/Olympus", "../etc/passwd", ""):
        with pytest.raises(InvalidValue):
            zones.parse_zone(bad)


def test_a_utc_time_is_shown_in_the_display_zone():
    tokyo = zones.parse_zone("Asia/Tokyo")
    assert zones.format_local("2026-01-13T00:00:00+00:00", tokyo) == "2026-01-13 09:00 JST"
    assert zones.format_local("2026-01-12T15:30:00+00:00", tokyo, "%a %H:%M") == "Tue 00:30"
