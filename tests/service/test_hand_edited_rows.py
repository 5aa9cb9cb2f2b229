"""Values at the edges in the services: stored rows edited by hand, repeated references."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.domain.errors import InvalidValue
from idolq.services import queries
from idolq.services.sla import check_sla
from idolq.services.sla_policy import review_time_stats, set_rule, show_policy

from conftest import edit_by_hand
from helpers import create

START = "2026-01-09T10:00:00+00:00"


def _edit(db_path, sql: str, *params) -> None:
    """What a user does with the database's shell (on SQLite, with checks off, as the sqlite3
    shell allows)."""
    checks_off = () if str(db_path).startswith("postgresql://") else (
        "PRAGMA ignore_check_constraints = ON",)
    edit_by_hand(db_path, *checks_off, (sql, params))


def _a_bad_stored_rule_is_one_problem(conn, db_path, column, value) -> None:
    with freeze_time(START):
        urgent = create(conn, title="urgent", task_type="lore", priority=0)
        high = create(conn, title="high", task_type="lore", priority=1)
    _edit(db_path, f"UPDATE sla_policy SET {column} = ? WHERE rule = 'task:P0'", value)
    with freeze_time("2026-01-30T10:00:00+00:00"):
        report = check_sla(conn, "cron")
    assert [f.subject_id for f in report.tasks] == [high.id]
    assert urgent.id not in [f.subject_id for f in report.tasks]
    assert len(report.problems) == 1 and "task:P0" in report.problems[0]
    assert review_time_stats(conn, None) == []
    assert len(show_policy(conn)) == 8


@pytest.mark.parametrize(("column", "value"), [
    ("limit_minutes", 1e308), ("escalate_to", "agent:77"), ("escalate_to", "nobody"),
])
def test_a_bad_stored_rule_is_one_problem_and_the_other_rules_still_apply(
        conn, db_path, column, value):
    _a_bad_stored_rule_is_one_problem(conn, db_path, column, value)


# SQLite's shell can switch CHECKs off and store text in a REAL column; PostgreSQL cannot.
@pytest.mark.sqlite_only
@pytest.mark.parametrize("value", [-5, "abc"])
def test_a_stored_limit_only_sqlite_lets_a_hand_edit_write_is_one_problem(conn, db_path, value):
    _a_bad_stored_rule_is_one_problem(conn, db_path, "limit_minutes", value)


def test_setting_a_rule_that_escalates_to_an_unknown_agent_is_refused(conn):
    before = show_policy(conn)
    with pytest.raises(InvalidValue, match="agent list"):
        set_rule(conn, "P0", None, 60, "agent:77", "tester")
    assert show_policy(conn) == before


@pytest.mark.parametrize("limit", [float("inf"), 1e308, -1.0])
def test_setting_a_rule_with_an_unusable_limit_is_refused_by_the_service(conn, limit):
    with pytest.raises(InvalidValue):
        set_rule(conn, "P0", None, limit, None, "tester")


def test_the_same_task_named_twice_in_depends_on_is_one_dependency(conn):
    blocker = create(conn, title="first", task_type="lore")
    task = create(conn, title="second", task_type="lore",
                  depends_on=[blocker.id, blocker.code, blocker.code.lower().upper()])
    assert task.depends_on == [blocker.code]
    assert queries.show_task(conn, task.id).task.depends_on == [blocker.code]


@pytest.mark.parametrize("created_at", ["yesterday", "2026-01-09T10:00:00", "", 12])
def test_a_task_whose_time_was_edited_into_nonsense_is_one_problem(conn, db_path, created_at):
    with freeze_time(START):
        broken = create(conn, title="broken", task_type="lore", priority=0)
        kept = create(conn, title="kept", task_type="lore", priority=0)
    _edit(db_path, "UPDATE tasks SET created_at = ? WHERE id = ?", created_at, broken.id)
    with freeze_time("2026-01-30T10:00:00+00:00"):
        report = check_sla(conn, "cron")
    assert [f.subject_id for f in report.tasks] == [kept.id]
    assert len(report.problems) == 1 and broken.code in report.problems[0]


@pytest.mark.parametrize("query", [
    lambda conn: queries.list_tasks(conn, agent=77),
    lambda conn: queries.ready_tasks(conn, agent=77),
    lambda conn: queries.list_reviews(conn, agent=77),
])
def test_a_filter_naming_an_agent_that_does_not_exist_is_refused(conn, query):
    with pytest.raises(InvalidValue, match="idolq agent list"):
        query(conn)
