"""Operations on the content calendar: schedule, publish, cancel, engagement, zone."""

from __future__ import annotations

import os
import sqlite3
from datetime import tzinfo

from idolq import clock
from idolq.domain import calendar, events, zones
from idolq.domain.authority import check_team_change, parse_actor
from idolq.domain.calendar import CalendarItem, ItemStatus
from idolq.domain.errors import NotFound
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork, retried
from idolq.services.workflow import get_task
from idolq.store import calendar as calendar_store

ZONE_ENV = "IDOLQ_TZ"


def _get_item(uow: UnitOfWork, item_id: int) -> CalendarItem:
    item = calendar_store.find_item(uow.conn, item_id)
    if item is None:
        raise NotFound(f"no calendar item {item_id}")
    return item


@retried
def schedule(conn: sqlite3.Connection, task_ref: int | str, at: str, actor: str,
             platform: str | None = None, pillar: str | None = None) -> CalendarItem:
    """Put a content task on the calendar at `at` (UTC ISO 8601)."""
    with UnitOfWork(conn, actor) as uow:
        task = get_task(uow, task_ref)
        calendar.check_can_schedule(task)
        item_id = calendar_store.insert_item(conn, {
            "content_id": task.code, "task_id": task.id, "scheduled_at": at,
            "platform": platform, "pillar": pillar, "status": ItemStatus.SCHEDULED,
            "created_by": actor, "created_at": uow.now, "updated_at": uow.now})
        item = _get_item(uow, item_id)
        uow.publish(events.ContentScheduled(task.id, task.code, item.id, at, platform, pillar))
    return item


@retried
def publish(conn: sqlite3.Connection, item_id: int, actor: str, post_id: str | None = None,
            url: str | None = None) -> CalendarItem:
    """Mark an item published: refused unless its task is complete (approved)."""
    with UnitOfWork(conn, actor) as uow:
        item = _get_item(uow, item_id)
        calendar.check_can_publish(item, get_task(uow, item.task_id))
        calendar_store.update_item(conn, item.id, status=ItemStatus.PUBLISHED,
                                   published_at=uow.now, platform_post_id=post_id, url=url,
                                   updated_at=uow.now)
        uow.publish(events.ContentPublished(
            item.task_id, item.task_code, item.id, item.scheduled_at, published_at=uow.now,
            platform=item.platform, pillar=item.pillar, post_id=post_id, url=url))
    return item._replace(status=ItemStatus.PUBLISHED, published_at=uow.now, post_id=post_id,
                         url=url)


@retried
def cancel(conn: sqlite3.Connection, item_id: int, actor: str,
           reason: str | None = None) -> CalendarItem:
    with UnitOfWork(conn, actor) as uow:
        item = _get_item(uow, item_id)
        calendar.check_can_cancel(item)
        cancel_item(uow, item, reason)
    return item._replace(status=ItemStatus.CANCELLED)


def cancel_item(uow: UnitOfWork, item: CalendarItem, reason: str | None,
                source: str | None = None) -> None:
    """Take a scheduled item off the calendar (also when its task is cancelled: then the
    workflow is the source)."""
    calendar_store.update_item(uow.conn, item.id, status=ItemStatus.CANCELLED,
                               updated_at=uow.now)
    uow.publish(events.ContentCancelled(item.task_id, item.task_code, item.id,
                                        item.scheduled_at, reason), source=source)


@retried
def record_engagement(conn: sqlite3.Connection, item_id: int, actor: str,
                      numbers: dict[str, int]) -> CalendarItem:
    """Set engagement numbers (likes, reposts, comments, impressions) of a published item."""
    with UnitOfWork(conn, actor) as uow:
        item = _get_item(uow, item_id)
        calendar.check_can_record_engagement(item)
        calendar_store.update_item(conn, item.id, **numbers, stats_updated_at=uow.now,
                                   updated_at=uow.now)
    return item._replace(**numbers, stats_updated_at=uow.now)


def list_items(conn: sqlite3.Connection, start: str | None = None,
               end: str | None = None) -> list[CalendarItem]:
    with snapshot(conn):
        return calendar_store.list_items(conn, start, end)


def all_items(conn: sqlite3.Connection) -> tuple[list[CalendarItem], str]:
    """Every item, and the database's identity (for stable iCalendar UIDs)."""
    with snapshot(conn):
        return (calendar_store.list_items(conn, None, None),
                calendar_store.get_setting(conn, "database_uuid") or "idolq")


def display_zone(conn: sqlite3.Connection) -> tzinfo:
    """IDOLQ_TZ, else the database's display_timezone setting, else the machine's zone."""
    with snapshot(conn):
        setting = calendar_store.get_setting(conn, zones.SETTING)
    return zones.display_zone(os.environ.get(ZONE_ENV), setting, clock.local_zone())


@retried
def set_display_zone(conn: sqlite3.Connection, name: str | None, actor: str) -> tzinfo:
    """Record the team's zone in the database (None: back to the machine's zone)."""
    zone = zones.parse_zone(name) if name is not None else None
    new = zones.zone_name(zone) if zone else None
    with UnitOfWork(conn, actor) as uow:
        check_team_change(parse_actor(actor), "the display zone")
        old = calendar_store.get_setting(conn, zones.SETTING)
        calendar_store.set_setting(conn, zones.SETTING, new, uow.now)
        if old != new:
            uow.publish(events.TeamChanged("setting", "zone", {"zone": [old, new]}))
    return zone or clock.local_zone()
