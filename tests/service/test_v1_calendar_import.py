"""Importing the team's real V1 content calendars (read from ../shared/fixtures/v1)."""

from __future__ import annotations

from datetime import date

import pytest

from idolq.domain.errors import InvalidValue
from idolq.services.v1_calendar_import import import_calendars

from conftest import table_snapshot
from helpers import create, v1_fixtures

FIXTURES = v1_fixtures()
ACTOR = "human:migrator"
# Counted by reading master-calendar-b8d55f4.md: Week 1 (lines 36-51) and Week 2 (69-85).
RELATIVE_CODES = [f"W1-{n:03d}" for n in range(1, 16)] + ["THREAD-1"] + [
    f"W2-{n:03d}" for n in (1, 2, 3, 4, 5, 6)] + ["THREAD-2"] + [
    f"W2-{n:03d}" for n in range(13, 23)]


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def content_tasks(conn, codes, task_type="content") -> None:
    """Tasks carrying the codes a calendar names (as an earlier queue import would)."""
    for code in codes:
        task = create(conn, title=f"Post {code}", task_type=task_type)
        conn.execute("UPDATE tasks SET task_code = ? WHERE id = ?", (code, task.id))
    conn.commit()


def items(conn) -> list[tuple]:
    rows = conn.execute("SELECT t.task_code, c.scheduled_at, c.pillar, c.status FROM "
                        "calendar_items c JOIN tasks t ON t.id = c.task_id "
                        "ORDER BY c.scheduled_at")
    return [tuple(row) for row in rows]


def reasons(report) -> list[str]:
    return [entry["reason"] for entry in report.skipped]


def test_a_weekday_template_places_nothing_and_reports_its_twelve_rows(conn):
    report = import_calendars(conn, [fixture("master-calendar-35c7fb7.md")], ACTOR)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert [entry["line"] for entry in report.skipped] == list(range(67, 79))
    assert reasons(report)[0] == "'Monday' is a weekday, not a date"
    assert items(conn) == []


def test_dated_rows_are_checked_against_their_weekday_in_the_last_updated_year(conn):
    # Last Updated 2026-01-09, but "Mon 1/13" is a Monday in 2025 only: never guessed.
    report = import_calendars(conn, [fixture("master-calendar-e8dad62.md")], ACTOR)
    assert len(report.skipped) == 12 and report.created == 0
    assert reasons(report)[0] == "'Mon 1/13' is a Tuesday in 2026 (give the right --year)"


def test_dated_rows_that_name_no_task_are_skipped_with_the_reason(conn):
    report = import_calendars(conn, [fixture("master-calendar-e8dad62.md")], ACTOR, year=2025)
    assert [entry["line"] for entry in report.skipped] == list(range(66, 78))
    assert all("names no task code" in reason for reason in reasons(report))


def test_day_n_rows_need_a_start_date(conn):
    content_tasks(conn, RELATIVE_CODES)
    report = import_calendars(conn, [fixture("master-calendar-b8d55f4.md")], ACTOR)
    assert len(report.skipped) == 33 and report.created == 0
    assert reasons(report)[1] == "'Day 1' is relative to a start date (give --start DATE)"


def test_day_n_rows_with_a_start_become_items_in_utc_continuing_blank_day_cells(conn):
    content_tasks(conn, RELATIVE_CODES)
    report = import_calendars(conn, [fixture("master-calendar-b8d55f4.md")], ACTOR,
                              start=date(2026, 1, 20))
    assert (report.created, report.updated, report.unchanged) == (33, 0, 0)
    assert report.skipped == [] and report.codes == RELATIVE_CODES
    rows = items(conn)
    assert rows[0] == ("W1-001", "2026-01-20T00:00:00+00:00", "Lore", "scheduled")  # 9AM JST
    assert rows[1] == ("W1-002", "2026-01-20T09:00:00+00:00", "Lore", "scheduled")  # 6PM
    assert rows[-1] == ("W2-022", "2026-02-02T12:00:00+00:00", "Ika", "scheduled")  # Day 14


def test_reimporting_a_calendar_changes_nothing(conn, db_path):
    content_tasks(conn, RELATIVE_CODES)
    path = [fixture("master-calendar-b8d55f4.md")]
    import_calendars(conn, path, ACTOR, start=date(2026, 1, 20))
    before = table_snapshot(db_path)
    report = import_calendars(conn, path, ACTOR, start=date(2026, 1, 20))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 33)
    assert table_snapshot(db_path) == before


def test_a_dry_run_reports_and_changes_nothing(conn, db_path):
    content_tasks(conn, RELATIVE_CODES)
    before = table_snapshot(db_path)
    report = import_calendars(conn, [fixture("master-calendar-b8d55f4.md")], ACTOR,
                              dry_run=True, start=date(2026, 1, 20))
    assert report.created == 33
    assert table_snapshot(db_path) == before


def test_a_file_that_is_not_a_calendar_changes_nothing(conn, db_path, tmp_path):
    content_tasks(conn, RELATIVE_CODES)
    bad = tmp_path / "notes.md"
    bad.write_text("# Notes\n\nNo schedule here.\n", encoding="utf-8")
    before = table_snapshot(db_path)
    with pytest.raises(InvalidValue, match="not a V1 content calendar"):
        import_calendars(conn, [fixture("master-calendar-b8d55f4.md"), str(bad)], ACTOR,
                         start=date(2026, 1, 20))
    assert table_snapshot(db_path) == before


def test_times_marked_in_another_zone_and_pillars_are_kept(conn, tmp_path):
    content_tasks(conn, ["CONTENT-001", "CONTENT-002"])
    content_tasks(conn, ["LORE-001"], task_type="lore")
    path = tmp_path / "calendar.md"
    path.write_text(
        "> **Last Updated:** 2025-01-08\n\n"
        "| Day | Time (JST) | Content | Pillar | Platform |\n|---|---|---|---|---|\n"
        "| **Mon 1/13** | 9:00 AM | CONTENT-001 intro | Ika Voice | twitter |\n"
        "| | 11:30 PM UTC | CONTENT-002 late | | |\n"
        "| Tue 1/14 | 9:00 AM | LORE-001 thread | Lore | |\n"
        "| Wed 1/15 | 25:00 | CONTENT-001 again | | |\n", encoding="utf-8")
    report = import_calendars(conn, [str(path)], ACTOR)
    assert items(conn) == [("CONTENT-001", "2025-01-13T00:00:00+00:00", "Ika Voice",
                            "scheduled"),
                           ("CONTENT-002", "2025-01-13T23:30:00+00:00", None, "scheduled")]
    assert [entry["line"] for entry in report.skipped] == [7, 8]
    assert "only content tasks go on the calendar" in reasons(report)[0]
    assert reasons(report)[1] == "time '25:00' is not a time"
