"""The calendar as an iCalendar file (RFC 5545), through the icalendar library.

Each item is one VEVENT whose UID joins the item's id to the database's identity, so a
calendar subscribed to the exported file updates its events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from idolq import __version__, clock
from idolq.domain.calendar import CalendarItem, ItemStatus

PRODID = f"-//idolq//idolq {__version__} content calendar//EN"
SLOT = timedelta(minutes=15)
STATUS = {ItemStatus.SCHEDULED: "CONFIRMED", ItemStatus.PUBLISHED: "CONFIRMED",
          ItemStatus.CANCELLED: "CANCELLED"}


def item_uid(item_id: int, identity: str) -> str:
    return f"calendar-item-{item_id}@{identity}"


def calendar_ics(items: Sequence[CalendarItem], identity: str) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "idolq content calendar")
    stamp = clock.now()
    for item in items:
        calendar.add_component(_event(item, identity, stamp))
    return calendar.to_ical().decode("utf-8")


def _event(item: CalendarItem, identity: str, stamp: datetime) -> Event:
    start = datetime.fromisoformat(item.scheduled_at)
    event = Event()
    event.add("uid", item_uid(item.id, identity))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + SLOT)
    event.add("summary", f"{item.task_code}: {item.title}")
    event.add("status", STATUS[item.status])
    event.add("description", _description(item))
    if item.platform:
        event.add("location", item.platform)
    if item.pillar:
        event.add("categories", [item.pillar])
    if item.url:
        event.add("url", item.url)
    event.add("x-idolq-status", item.status)
    return event


def _description(item: CalendarItem) -> str:
    lines = [f"Task {item.task_code} ({item.task_status})", f"Calendar item {item.id}: "
             f"{item.status}"]
    if item.published_at:
        lines.append(f"Published {item.published_at}")
    if item.post_id:
        lines.append(f"Post {item.post_id}")
    return "\n".join(lines)
