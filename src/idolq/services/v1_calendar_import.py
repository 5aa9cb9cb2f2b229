"""`idolq import v1 --calendar FILE`: V1's Markdown content calendar, one transaction per file.

A row becomes a calendar item when it can be placed in time (a date, a time) and names a
content task that exists here; every other row is reported as skipped, never guessed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from idolq.domain import calendar, events
from idolq.domain import v1_calendar as cal
from idolq.domain.calendar import ItemStatus
from idolq.domain.errors import IdolqError, InvalidValue
from idolq.services.uow import UnitOfWork
from idolq.services.v1_import import SOURCE, ImportReport, _DryRun
from idolq.store import calendar as calendar_store
from idolq.store import tasks as task_store


def read_calendar(path: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The file's text and its schedule rows; bad usage (exit 2) if it is not a calendar."""
    from idolq.adapters.v1_markdown import NotACalendar, read_calendar_rows

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InvalidValue(f"cannot read {path}: {reason}") from None
    try:
        return text, read_calendar_rows(text, path)
    except NotACalendar as error:
        raise InvalidValue(str(error)) from None


def import_calendars(conn: sqlite3.Connection, paths: Sequence[str], actor: str,
                     dry_run: bool = False, year: int | None = None,
                     start: date | None = None) -> ImportReport:
    """Every file is read before anything changes; then each file is one transaction."""
    files = [(path, *read_calendar(path)) for path in paths]
    report = ImportReport()
    if dry_run:  # every file in one transaction, rolled back
        try:
            with UnitOfWork(conn, actor, source=SOURCE) as uow:
                for path, text, rows in files:
                    _import_file(uow, path, rows, year or cal.year_in(text), start, report)
                raise _DryRun
        except _DryRun:
            return report
    for path, text, rows in files:
        with UnitOfWork(conn, actor, source=SOURCE) as uow:
            _import_file(uow, path, rows, year or cal.year_in(text), start, report)
    return report


def _import_file(uow: UnitOfWork, path: str, rows: list[tuple[int, dict[str, str]]],
                 year: int | None, start: date | None, report: ImportReport) -> None:
    for line, values in rows:
        try:
            outcome, code = _import_row(uow, values, year, start)
        except (cal.Unplaceable, IdolqError) as error:
            reason = error.message if isinstance(error, IdolqError) else str(error)
            report.skipped.append({"file": path, "line": line, "reason": reason})
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.name(code)


def _import_row(uow: UnitOfWork, values: dict[str, str], year: int | None,
                start: date | None) -> tuple[str, str]:
    """Put one row on the calendar; returns (created|updated|unchanged, task code)."""
    time_key = next(key for key in values if key.startswith("time"))
    at = cal.scheduled_at(cal.day_of(values["day"], year, start), values[time_key], time_key)
    task = next((found for code in cal.codes_in(values)
                 if (found := task_store.find_task(uow.conn, code)) is not None), None)
    if task is None:
        named = ", ".join(cal.codes_in(values))
        raise cal.Unplaceable(f"no task {named} here (import or add it first)" if named else
                              "the row names no task code (add the content as a task and "
                              "name its code in the row)")
    calendar.check_can_schedule(task)
    platform = calendar.parse_label("platform", cal.label(values, "platform"))
    pillar = calendar.parse_label("pillar", cal.label(values, "pillar"))
    for item in calendar_store.scheduled_items_of_task(uow.conn, task.id):
        if item.scheduled_at == at:
            if (item.platform, item.pillar) == (platform, pillar):
                return "unchanged", task.code
            calendar_store.update_item(uow.conn, item.id, platform=platform, pillar=pillar,
                                       updated_at=uow.now)
            return "updated", task.code
    item_id = calendar_store.insert_item(uow.conn, {
        "content_id": task.code, "task_id": task.id, "scheduled_at": at,
        "platform": platform, "pillar": pillar, "status": ItemStatus.SCHEDULED,
        "created_by": uow.actor, "created_at": uow.now, "updated_at": uow.now})
    uow.publish(events.ContentScheduled(task.id, task.code, item_id, at, platform, pillar))
    return "created", task.code
