"""Importing the team's real V1 task queues (read from ../shared/fixtures/v1, never copied)."""

from __future__ import annotations

import pytest

from idolq.domain.errors import InvalidValue
from idolq.services import queries
from idolq.services.v1_import import import_v1
from idolq.store.connection import open_database
from invariants import _check_counts_and_codes

from conftest import table_snapshot
from helpers import approve_review, create, task, v1_fixtures

FIXTURES = v1_fixtures()

# Counted by reading each file: distinct V1 ids in its queue and archive tables (an id in
# both is one task). Each file's DEFERRED row is at line 49.
DISTINCT_TASKS = {
    "task-queue-3a80aa2.md": 28, "task-queue-adc7d82.md": 28, "task-queue-f0e14ad.md": 28,
    "task-queue-6383217.md": 28, "task-queue-49fa418.md": 28, "task-queue-336cf82.md": 41,
    "task-queue-f634eb3.md": 41, "task-queue-ddb2a0a.md": 41, "task-queue-8be7a02.md": 41,
    "task-queue-d0bc707.md": 42, "task-queue-0e48c9e.md": 46, "task-queue-8bfebff.md": 34,
    "task-queue-b8d55f4.md": 34,
}
DEFERRED = ("task-queue-0e48c9e.md", "task-queue-8bfebff.md", "task-queue-b8d55f4.md")
ACTOR = "human:migrator"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def event_count(conn) -> int:
    return conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0]


def test_the_fixtures_hold_thirteen_task_queue_versions():
    assert sorted(p.name for p in FIXTURES.glob("task-queue-*.md")) == sorted(DISTINCT_TASKS)


@pytest.mark.parametrize("name", sorted(DISTINCT_TASKS))
def test_every_real_queue_imports_with_every_row_accounted_for(conn, name):
    report = import_v1(conn, [fixture(name)], ACTOR)

    assert report.skipped == []
    assert report.created == DISTINCT_TASKS[name]
    assert (report.updated, report.unchanged) == (0, 0)
    assert len(report.codes) == len(set(report.codes)) == report.created
    assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == report.created


@pytest.mark.parametrize("name", DEFERRED)
def test_deferred_v1_work_is_deferred_here(conn, name):
    import_v1(conn, [fixture(name)], ACTOR)

    deferred = task(conn, "COORD-VIB-002")
    assert (deferred.status, deferred.deferred_until) == ("deferred", None)


def test_reimporting_a_file_changes_nothing_and_logs_no_event(conn):
    import_v1(conn, [fixture("task-queue-0e48c9e.md")], ACTOR)
    events = event_count(conn)

    report = import_v1(conn, [fixture("task-queue-0e48c9e.md")], ACTOR)

    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == DISTINCT_TASKS["task-queue-0e48c9e.md"]
    assert event_count(conn) == events


def test_all_versions_in_order_then_the_last_again_is_unchanged(conn):
    names = sorted(DISTINCT_TASKS)
    first = import_v1(conn, [fixture(n) for n in names], ACTOR)
    assert first.updated > 0 and first.created > 0
    assert len(first.codes) == len(set(first.codes)) == first.created
    events = event_count(conn)

    again = import_v1(conn, [fixture(names[-1])], ACTOR)

    assert (again.created, again.updated) == (0, 0)
    assert event_count(conn) == events


def test_a_changed_file_updates_only_what_changed_with_the_file_in_the_event(conn, tmp_path):
    original = FIXTURES / "task-queue-3a80aa2.md"
    import_v1(conn, [str(original)], ACTOR)
    changed = tmp_path / "task-queue.md"
    changed.write_text(original.read_text(encoding="utf-8").replace(
        "| COMM-003 | P3 | First week community engagement strategy | PENDING |",
        "| COMM-003 | P1 | First week community engagement strategy | IN_PROGRESS |"),
        encoding="utf-8")

    report = import_v1(conn, [str(changed)], ACTOR)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 27)
    updated = [e for e in queries.show_task(conn, "COMM-003").history if e.type == "task.updated"]
    assert len(updated) == 1
    assert updated[0].payload["file"] == str(changed)
    assert updated[0].payload["changes"] == {"priority": [3, 1],
                                             "status": ["pending", "in_progress"]}


def test_rows_merge_queue_and_archive_and_keep_what_is_not_a_time(conn):
    import_v1(conn, [fixture("task-queue-0e48c9e.md")], ACTOR)

    vib = task(conn, "COORD-VIB-001B")
    assert (vib.status, vib.priority, vib.assigned_agent) == ("complete", 0, 0)
    assert task(conn, "COORD-VIB-003").description.endswith("\nDue: TBD")
    assert task(conn, "COORD-VIB-003").deadline is None
    guardian = task(conn, "GUARDIAN-VIB-001")  # in the queue and the archive: one task
    assert guardian.title == "Vibing: Canon violation documentation"
    assert guardian.completed_at.startswith("2026-01-0")
    assert "fading.js resurrection" in guardian.description
    lore = task(conn, "LORE-001")  # archive only: its agent from "By"
    assert (lore.status, lore.assigned_agent, lore.priority) == ("complete", 1, 2)


def test_notes_naming_a_blocker_become_dependencies(conn):
    import_v1(conn, [fixture("task-queue-3a80aa2.md")], ACTOR)

    assert task(conn, "CONTENT-003").blocked_by == ["LORE-001"]
    assert task(conn, "DEGEN-001").blocked_by == ["GUARDIAN-001"]
    statuses = [t.status for t in queries.list_tasks(conn)]
    assert statuses.count("blocked") == 2 and statuses.count("pending") == 26


def test_review_tasks_stay_tasks_and_their_ds_ratings_are_approved_reviews(conn):
    import_v1(conn, [fixture("task-queue-0e48c9e.md")], ACTOR)

    detail = queries.show_task(conn, "DEGEN-001")
    assert detail.task.title == "Cultural review: CONTENT-001"
    assert [(r.review_type, r.status, r.ds_rating) for r in detail.reviews] == [
        ("cultural", "approved", 3.0)]
    assert [r.ds_rating for r in queries.show_task(conn, "LORE-001").reviews] == [2.5]
    assert queries.show_task(conn, "DEGEN-002").reviews == []  # in progress: no rating


def test_v1_types_map_to_task_types_and_unknown_ones_are_routed_to_their_queue(conn):
    import_v1(conn, [fixture("task-queue-3a80aa2.md")], ACTOR)

    assert task(conn, "COORD-001").task_type == "coordination"
    assert (task(conn, "COMM-001").task_type, task(conn, "COMM-001").content_type) == (
        "content", "community")
    assert task(conn, "GUARDIAN-001").task_type == "guardian"
    rules = conn.execute("SELECT task_type, agent_number FROM routing_rules"
                         " WHERE task_type IN ('guardian', 'degen') ORDER BY 1").fetchall()
    assert [tuple(r) for r in rules] == [("degen", 9), ("guardian", 8)]
    changed = [e.payload for e in queries.last_events(conn, 100, "team.changed")]
    assert {"what": "route", "task_type": "guardian", "content_type": None,
            "changes": {"agent": [None, 8]}} in changed
    assert import_v1(conn, [fixture("task-queue-3a80aa2.md")], ACTOR).unchanged == 28


def test_codes_allocated_later_never_collide_with_imported_ones(conn):
    import_v1(conn, [fixture("task-queue-3a80aa2.md")], ACTOR)

    assert create(conn, task_type="content").code == "CONTENT-004"


def test_a_blocked_task_waiting_on_nothing_idolq_knows_is_not_ready(conn):
    import_v1(conn, [fixture("task-queue-336cf82.md")], ACTOR)

    assert task(conn, "COORD-VIB-003").status == "deferred"


def test_a_dry_run_reports_the_same_counts_and_changes_nothing(conn, db_path):
    before = table_snapshot(db_path)

    report = import_v1(conn, [fixture("task-queue-8be7a02.md")], ACTOR, dry_run=True)

    assert report.created == 41
    assert table_snapshot(db_path) == before


def test_unreadable_rows_are_skipped_with_file_line_and_reason(conn, tmp_path):
    path = tmp_path / "queue.md"
    path.write_text(
        "## Coordinator Queue (Agent 00)\n\n"
        "| ID | Priority | Task | Status | Created | Due | Notes |\n"
        "|----|----|----|----|----|----|----|\n"
        "| COORD-001 | P1 | Fine | PENDING | 2026-01-09 | Daily | ok |\n"
        "| COORD-002 | P1 | Odd | ESCALATED | 2026-01-09 | | |\n"
        "| | P1 | No id | PENDING | 2026-01-09 | | |\n"
        "| COORD-003 | P9 | Bad priority | PENDING | 2026-01-09 | | |\n"
        "| COORD-004 | P1 | Bad date | PENDING | yesterday | | |\n"
        "| WIDGET-001 | P1 | New type, bad date | PENDING | soon | | |\n", encoding="utf-8")

    report = import_v1(conn, [str(path)], ACTOR)

    assert report.created == 1
    assert [(s["line"], s["reason"]) for s in report.skipped] == [
        (6, "unknown V1 status 'ESCALATED'"), (7, "no V1 id"),
        (8, "unknown V1 priority 'P9'"), (9, "COORD-004: Created 'yesterday' is not a date"),
        (10, "WIDGET-001: Created 'soon' is not a date")]
    assert all(s["file"] == str(path) for s in report.skipped)
    assert not conn.execute("SELECT 1 FROM routing_rules WHERE task_type = 'widget'").fetchone()


@pytest.mark.parametrize("text", ["", "# Notes\n\nNo tables here.\n",
                                  "| a | b |\n|---|---|\n| 1 | 2 |\n"])
def test_a_file_that_is_not_a_task_queue_is_bad_usage_and_changes_nothing(conn, db_path,
                                                                           tmp_path, text):
    path = tmp_path / "other.md"
    path.write_text(text, encoding="utf-8")
    before = table_snapshot(db_path)

    with pytest.raises(InvalidValue):
        import_v1(conn, [fixture("task-queue-3a80aa2.md"), str(path)], ACTOR)

    assert table_snapshot(db_path) == before


def test_a_calendar_file_is_not_a_task_queue(conn):
    with pytest.raises(InvalidValue, match="not a V1 task queue"):
        import_v1(conn, [fixture("master-calendar-e8dad62.md")], ACTOR)


def test_imported_codes_keep_the_code_counters_ahead(conn, db_path):
    import_v1(conn, [fixture(n) for n in sorted(DISTINCT_TASKS)], ACTOR)

    made = create(conn, task_type="lore")

    assert made.code == "LORE-004"  # LORE-001..003 came from V1
    checked = open_database(db_path)
    try:
        _check_counts_and_codes(checked)
    finally:
        checked.close()


def test_a_task_v1_left_in_review_can_be_approved_here(conn):
    import_v1(conn, [fixture("task-queue-adc7d82.md")], ACTOR)
    reviews = queries.list_reviews(conn, status="pending", task_ref="CONTENT-003")
    assert [(r.review_type, r.reviewer_agent, r.round) for r in reviews] == [
        ("coordinator", 0, 1)]
    assert import_v1(conn, [fixture("task-queue-adc7d82.md")], ACTOR).updated == 0

    approve_review(conn, reviews[0].id, "agent:00")

    assert task(conn, "CONTENT-003").status == "complete"


def test_a_task_that_leaves_review_in_a_later_file_has_its_review_cancelled(conn):
    import_v1(conn, [fixture("task-queue-6383217.md")], ACTOR)  # CONTENT-002 in REVIEW
    import_v1(conn, [fixture("task-queue-adc7d82.md")], ACTOR)  # ... and COMPLETE here

    assert task(conn, "CONTENT-002").status == "complete"
    assert [r.status for r in queries.show_task(conn, "CONTENT-002").reviews] == ["cancelled"]


def test_a_claimed_task_the_file_moves_on_loses_its_claim(conn, tmp_path):
    from idolq.services.claims import claim_task

    original = FIXTURES / "task-queue-3a80aa2.md"
    import_v1(conn, [str(original)], ACTOR)
    claimed = claim_task(conn, "human:lead", agent=6)
    assert claimed.code == "ASSET-001" and claimed.claimed_by
    changed = tmp_path / "task-queue.md"
    changed.write_text(original.read_text(encoding="utf-8").replace(
        "| ASSET-001 | P1 | Ika character Midjourney prompt | PENDING |",
        "| ASSET-001 | P1 | Ika character Midjourney prompt | REVIEW |"), encoding="utf-8")

    import_v1(conn, [str(changed)], ACTOR)

    moved = task(conn, "ASSET-001")
    assert (moved.status, moved.claimed_by, moved.lease_expires_at) == ("review", None, None)
