"""The content calendar on a real database: the publish gate, cancelling, events."""

from __future__ import annotations

import pytest

from idolq.domain.errors import InvalidTransition, NotFound
from idolq.services import calendar, queries
from idolq.services.tasks import cancel_task

from conftest import table_snapshot
from helpers import ACTOR, approve_all_rounds, create, submit

AT = "2026-01-13T00:00:00+00:00"


def _calendar_events(conn) -> list[tuple[str, dict]]:
    return [(e.type, e.payload) for e in queries.last_events(conn, 100, "content.*")]


def test_scheduling_then_publishing_approved_content_logs_both_events(conn):
    task = create(conn, review_tier=3)
    item = calendar.schedule(conn, task.code, AT, ACTOR, platform="twitter", pillar="Ika Voice")
    assert (item.status, item.task_code, item.scheduled_at) == ("scheduled", task.code, AT)
    submit(conn, task.id)
    approve_all_rounds(conn, task.id)
    published = calendar.publish(conn, item.id, ACTOR, post_id="123", url="https://x.com/1")
    assert (published.status, published.post_id) == ("published", "123")
    assert published.published_at is not None
    events = _calendar_events(conn)
    assert [kind for kind, _ in events] == ["content.scheduled", "content.published"]
    for _, payload in events:
        assert (payload["task_id"], payload["task_code"], payload["item_id"]) == \
            (task.id, task.code, item.id)


def test_unreviewed_content_is_never_published_and_nothing_changes(conn, db_path):
    task = create(conn, review_tier=2)
    item = calendar.schedule(conn, task.id, AT, ACTOR)
    for step in ("pending", "review"):
        if step == "review":
            submit(conn, task.id)
        before = table_snapshot(db_path)
        with pytest.raises(InvalidTransition, match="only approved content"):
            calendar.publish(conn, item.id, ACTOR)
        assert table_snapshot(db_path) == before


def test_a_published_item_cannot_be_published_again_or_cancelled(conn):
    task = create(conn, review_tier=None)
    submit(conn, task.id)
    item = calendar.schedule(conn, task.id, AT, ACTOR)
    calendar.publish(conn, item.id, ACTOR)
    with pytest.raises(InvalidTransition, match="it is published"):
        calendar.publish(conn, item.id, ACTOR)
    with pytest.raises(InvalidTransition, match="only a scheduled item"):
        calendar.cancel(conn, item.id, ACTOR)


def test_a_cancelled_item_cannot_be_published(conn):
    task = create(conn, review_tier=None)
    submit(conn, task.id)
    item = calendar.schedule(conn, task.id, AT, ACTOR)
    assert calendar.cancel(conn, item.id, ACTOR, reason="moved").status == "cancelled"
    with pytest.raises(InvalidTransition, match="it is cancelled"):
        calendar.publish(conn, item.id, ACTOR)
    (_, cancelled), = _calendar_events(conn)[1:]
    assert (cancelled["item_id"], cancelled["reason"]) == (item.id, "moved")


def test_cancelling_a_task_takes_its_scheduled_items_off_the_calendar(conn):
    task = create(conn)
    first = calendar.schedule(conn, task.id, AT, ACTOR)
    second = calendar.schedule(conn, task.id, "2026-01-14T00:00:00+00:00", ACTOR)
    cancel_task(conn, task.id, ACTOR)
    assert [i.status for i in calendar.list_items(conn)] == ["cancelled", "cancelled"]
    cancelled = [e for e in queries.last_events(conn, 100, "content.cancelled")]
    assert [e.payload["item_id"] for e in cancelled] == [first.id, second.id]
    assert {e.source for e in cancelled} == {"workflow"}  # not an action of its own


def test_only_content_can_be_scheduled_and_unknown_items_are_not_found(conn):
    lore = create(conn, task_type="lore")
    with pytest.raises(InvalidTransition, match="only content tasks"):
        calendar.schedule(conn, lore.id, AT, ACTOR)
    with pytest.raises(NotFound):
        calendar.publish(conn, 99, ACTOR)
    assert calendar.list_items(conn) == []


def test_engagement_is_recorded_on_a_published_item_only(conn):
    task = create(conn, review_tier=None)
    submit(conn, task.id)
    item = calendar.schedule(conn, task.id, AT, ACTOR)
    with pytest.raises(InvalidTransition, match="only a published item"):
        calendar.record_engagement(conn, item.id, ACTOR, {"likes": 1})
    calendar.publish(conn, item.id, ACTOR)
    calendar.record_engagement(conn, item.id, ACTOR, {"likes": 40, "impressions": 900})
    calendar.record_engagement(conn, item.id, ACTOR, {"likes": 41})
    (stored,) = calendar.list_items(conn)
    assert (stored.likes, stored.impressions, stored.reposts) == (41, 900, None)


def test_items_are_listed_in_time_order_within_the_range(conn):
    task = create(conn)
    for at in ("2026-01-15T00:00:00+00:00", "2026-01-13T00:00:00+00:00",
               "2026-01-20T00:00:00+00:00"):
        calendar.schedule(conn, task.id, at, ACTOR)
    listed = calendar.list_items(conn, "2026-01-13T00:00:00+00:00", "2026-01-20T00:00:00+00:00")
    assert [i.scheduled_at[:10] for i in listed] == ["2026-01-13", "2026-01-15"]


def test_the_display_zone_setting_is_kept_in_the_database(conn, monkeypatch):
    monkeypatch.delenv("IDOLQ_TZ", raising=False)
    calendar.set_display_zone(conn, "Asia/Tokyo", "human:lead")
    assert calendar.display_zone(conn).key == "Asia/Tokyo"
    monkeypatch.setenv("IDOLQ_TZ", "Europe/Paris")
    assert calendar.display_zone(conn).key == "Europe/Paris"
