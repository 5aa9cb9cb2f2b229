"""Calendar items as JSON (UTC) and as human output (in the display zone); a week view."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from idolq import clock
from idolq.cli import output
from idolq.domain.calendar import CalendarItem, item_json
from idolq.domain.values import format_time
from idolq.domain.zones import format_local, to_zone, zone_name

LIST_COLUMNS = (("id", "Item"), ("when", "When"), ("task_code", "Task"), ("status", "Status"),
                ("platform", "Platform"), ("pillar", "Pillar"), ("title", "Title"))
STATUS_MARKS = {"scheduled": "", "published": "\u2713", "cancelled": "\u2717"}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def shown(text: str | None) -> str:
    """User text for a terminal: control characters shown escaped (see output.visible)."""
    return "-" if text is None else output.visible(text)


def start_of_today(zone: tzinfo) -> str:
    local = clock.now().astimezone(zone)
    return format_time(local.replace(hour=0, minute=0, second=0))


def _row(item: CalendarItem, zone: tzinfo) -> dict:
    return {**item_json(item), "when": format_local(item.scheduled_at, zone)}


def show_item(item: CalendarItem, zone: tzinfo, json_mode: bool) -> None:
    output.emit(item_json(item), json_mode, lambda _: _render_item(item, zone))


def _render_item(item: CalendarItem, zone: tzinfo) -> None:
    record = {**_row(item, zone), "published": format_local(item.published_at, zone),
              "engagement": _engagement(item)}
    fields = [("id", "item"), ("task_code", "task"), ("when", "scheduled"),
              ("status", "status"), ("platform", "platform"), ("pillar", "pillar"),
              ("published", "published"), ("post_id", "post id"), ("url", "url"),
              ("engagement", "engagement")]
    output.print_record(record, fields, title=f"Calendar item {item.id}: {item.title}")


def _engagement(item: CalendarItem) -> str:
    parts = [f"{getattr(item, name)} {name}" for name in
             ("likes", "reposts", "comments", "impressions") if getattr(item, name) is not None]
    return ", ".join(parts) or "-"


def show_items(items: Sequence[CalendarItem], zone: tzinfo, json_mode: bool) -> None:
    output.emit([item_json(item) for item in items], json_mode,
                lambda _: _render_items(items, zone))


def _render_items(items: Sequence[CalendarItem], zone: tzinfo) -> None:
    if not output.use_rich():
        output.print_table([_row(item, zone) for item in items], LIST_COLUMNS,
                           title=f"Times in {zone_name(zone)}")
        return
    _week_view(items, zone)


def _weeks(items: Sequence[CalendarItem], zone: tzinfo) -> dict:
    """Monday of each week -> day index -> items of that day."""
    weeks: dict = {}
    for item in items:
        local = to_zone(item.scheduled_at, zone)
        monday = (local - timedelta(days=local.weekday())).date()
        weeks.setdefault(monday, {}).setdefault(local.weekday(), []).append((local, item))
    return weeks


def _week_view(items: Sequence[CalendarItem], zone: tzinfo) -> None:
    from rich.console import Console, Group

    if not items:
        output.print_line(f"No calendar items (times in {zone_name(zone)}).")
        return
    widest = max(9, *(len(item.task_code) for item in items)) + 3  # padding and a border
    grid = Console().width >= 7 * widest + 1
    tables = []
    for monday, days in sorted(_weeks(items, zone).items()):
        title = f"Week of {monday:%Y-%m-%d} ({zone_name(zone)})"
        tables.append(_grid(monday, days, title, widest) if grid else _agenda(days, title))
    output._print_rich(Group(*tables))


def _status_style(status: str) -> str:
    return {"published": "green", "cancelled": "dim strike"}.get(status, "")


def _grid(monday, days: dict, title: str, width: int):
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=True, header_style="bold cyan",
                  caption="\u2713 published  \u2717 cancelled")
    for index, name in enumerate(DAY_NAMES):
        day = monday + timedelta(days=index)
        table.add_column(f"{name} {day:%m-%d}", min_width=width - 3, vertical="top")
    cells = []
    for index in range(7):
        text = Text()
        for local, item in days.get(index, []):
            text.append(f"{local:%H:%M}", style="bold")
            text.append(f" {STATUS_MARKS[item.status]}\n", style=_status_style(item.status))
            text.append(f"{item.task_code}\n", style=_status_style(item.status))
            text.append(f"{shown(item.title)}\n")
        text.rstrip()
        cells.append(text)
    table.add_row(*cells)
    return table


def _agenda(days: dict, title: str):
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, header_style="bold cyan")
    table.add_column("Day", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Task", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Title")
    for index in sorted(days):
        for local, item in days[index]:
            table.add_row(f"{local:%a %m-%d}", f"{local:%H:%M}",
                          Text(item.task_code, style=_status_style(item.status)),
                          item.status, Text(shown(item.title)))
    return table


def write_export(text: str, path: str | None, json_mode: bool) -> None:
    """An export to a file (then `{"path": FILE}` with --json) or to stdout."""
    from idolq.domain.errors import InvalidValue

    if path is None:
        if json_mode:
            raise InvalidValue("--json needs --output FILE: the export itself is not JSON")
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidValue(f"cannot write {path}: {error.strerror}") from None
    output.emit({"path": path}, json_mode, lambda doc: output.print_line(f"Wrote {doc['path']}"))


def show_zone(zone: tzinfo, json_mode: bool) -> None:
    offset = datetime.now(zone).strftime("%z")
    document = {"zone": zone_name(zone), "utc_offset": f"{offset[:3]}:{offset[3:]}"}
    output.emit(document, json_mode, lambda doc: output.print_line(
        f"Display zone: {doc['zone']} (UTC{doc['utc_offset']})"))
