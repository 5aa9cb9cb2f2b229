"""What the HTML report shows, gathered from the same services as the commands."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from idolq import clock
from idolq.domain.agents_load import AgentLoad, agent_loads
from idolq.domain.calendar import CalendarItem
from idolq.domain.values import format_time
from idolq.services import calendar, queries
from idolq.services.metrics import measure
from idolq.services.sla import SlaReport, check_sla

CALENDAR_WEEKS = 4


class ReportData(NamedTuple):
    generated_at: str
    zone: tzinfo
    metrics: dict
    calendar_from: str
    calendar_to: str
    items: list[CalendarItem]
    sla: SlaReport
    agents: list[AgentLoad]


def gather(conn: sqlite3.Connection, since: datetime | None = None) -> ReportData:
    """Metrics since `since` (default 30 days), the calendar from today for four weeks,
    open SLA breaches (a dry run: nothing is escalated) and each agent's load, all read
    from one snapshot of the database."""
    now = clock.now()
    with queries.snapshot(conn):
        zone = calendar.display_zone(conn)
        today = now.astimezone(zone).replace(hour=0, minute=0, second=0)
        start, end = format_time(today), format_time(today + timedelta(weeks=CALENDAR_WEEKS))
        document = measure(conn, zone, since)
        return ReportData(
            generated_at=format_time(now), zone=zone, metrics=document, calendar_from=start,
            calendar_to=end, items=calendar.list_items(conn, start, end),
            sla=check_sla(conn, "idolq:report", now, dry_run=True),
            agents=agent_loads(queries.list_agents(conn),
                               document["agent_utilization_hours_per_day"]))
