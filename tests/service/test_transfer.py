"""Backup and restore (JSON Lines), and V1's layout written back: round trips."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings

from idolq.domain.errors import Conflict, InvalidValue
from idolq.domain.sla import DEFAULT_RULES
from idolq.services import queries
from idolq.services.setup import init_database
from idolq.services.tasks import add_dependency, cancel_task, start_task
from idolq.services.transfer import dump, restore
from idolq.services.v1_export import export_v1
from idolq.services.v1_import import import_v1
from idolq.store.connection import open_database
from idolq.store.dialect import POSTGRESQL, dialect_of

from conftest import postgresql_database, table_snapshot
from helpers import approve_all_rounds, create, submit, task, v1_fixtures

ACTOR = "human:restorer"
HEADER = '{"format": "idolq-export", "version": 1, "tables": ["agents", "tasks"]}'
TASK_FIELDS = ("code", "title", "description", "status", "priority", "assigned_agent",
               "deadline", "created_at", "completed_at", "depends_on", "blocked_by")


def export_text(conn) -> str:
    buffer = io.StringIO()
    dump(conn, buffer.write)
    return buffer.getvalue()


def fresh(folder: Path, name: str):
    path = folder / name
    init_database(path)
    return open_database(path)


@pytest.fixture
def new_database(tmp_path, backend):
    """Opens new databases on the test's backend (closed at the end)."""
    opened = []

    def make(name: str):
        if backend == "postgresql":
            url = postgresql_database()
            init_database(url)
            opened.append(open_database(url))
        else:
            opened.append(fresh(tmp_path, name))
        return opened[-1]

    yield make
    for connection in opened:
        connection.close()


def lose_task_ids(conn, highest: int) -> None:
    """Task ids up to `highest` were given, and the last ones lost."""
    if dialect_of(conn) == POSTGRESQL:
        conn.execute("SELECT setval(pg_get_serial_sequence('tasks', 'id'), ?)", (highest,))
    else:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'tasks'", (highest,))


def some_work(conn) -> None:
    """Tasks in every state, reviews with a rating, dependencies, events, a webhook."""
    first = create(conn, title="Thread", task_type="content", review_tier=1, priority=0)
    submit(conn, first.id)
    approve_all_rounds(conn, first.id)
    blocked = create(conn, title="Waits", task_type="lore", depends_on=[
        create(conn, title="Before", task_type="asset").id])
    start_task(conn, create(conn, title="Going", task_type="analytics").id, ACTOR)
    cancel_task(conn, create(conn, title="Dropped", task_type="coordination").id, ACTOR)
    add_dependency(conn, blocked.id, ACTOR, on_ref=first.id)
    conn.execute("INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
                 " VALUES ('task.created', 'log', '{}')")


def test_export_then_import_into_a_new_database_gives_the_same_bytes(conn, new_database):
    some_work(conn)
    first = export_text(conn)
    target = new_database("restored.db")

    counts = restore(target, io.StringIO(first), ACTOR)

    assert export_text(target) == first
    assert counts["tasks"] == 5 and counts["event_log"] > 10
    assert json.loads(first.splitlines()[0])["format"] == "idolq-export"


def test_a_restored_database_goes_on_allocating_ids_and_codes_after_the_old_ones(
        conn, new_database):
    some_work(conn)
    lose_task_ids(conn, 50)
    target = new_database("restored.db")
    restore(target, io.StringIO(export_text(conn)), ACTOR)

    made = create(target, task_type="content")
    assert (made.id, made.code) == (51, "CONTENT-002")


def test_status_counts_are_rebuilt_not_copied(conn, new_database):
    some_work(conn)
    text = export_text(conn)
    target = new_database("restored.db")
    restore(target, io.StringIO(text), ACTOR)

    assert '"status_counts"' not in text
    assert queries.status(target).tasks == queries.status(conn).tasks


def test_importing_into_a_database_that_holds_work_is_refused(conn, db_path):
    some_work(conn)
    text = export_text(conn)
    before = table_snapshot(db_path)

    with pytest.raises(Conflict, match="already holds work"):
        restore(conn, io.StringIO(text), ACTOR)

    assert table_snapshot(db_path) == before


@pytest.mark.parametrize("text", [
    "", "not json\n", '{"format": "other", "version": 1}\n',
    '{"format": "idolq-export", "version": 99}\n',
    '{"format": "idolq-export", "version": 1}\n',
    f'{HEADER}\n{{"table": "nope", "row": {{}}}}\n',
    HEADER.replace('"agents"', '"nope"') + "\n",
    f'{HEADER}\n{{"table": "tasks", "row": {{"bad": 1}}}}\n',
    f'{HEADER}\n{{"table": "agents", "row": {{"agent_number": 1, "agent_name": "A"}}}}\n'
    '{"table": "agents", "row": {"agent_number": 1, "agent_name": "B"}}\n',
    f'{HEADER}\n{{"table": "agents", "row": {{"agent_number": 1, "agent_name": "A"}}}}\n'
    '[1, 2]\n',
    f'{HEADER}\n{{"table": "agents", "row": {{"agent_number": 1, "agent_name": ["A"]}}}}\n',
    HEADER.replace('"tasks"', '"routing_rules"') + '\n{"table": "routing_rules", "row": '
    '{"id": 1, "task_type": "x", "content_type": null, "agent_number": 42}}\n',
])
def test_a_malformed_export_is_bad_usage_and_changes_nothing(conn, db_path, text):
    before = table_snapshot(db_path)

    with pytest.raises(InvalidValue):
        restore(conn, io.StringIO(text), ACTOR)

    assert table_snapshot(db_path) == before


@freeze_time("2026-02-01T12:00:00+00:00")
def test_v1_export_imports_back_to_the_same_tasks(conn, tmp_path, new_database):
    import_v1(conn, [str(v1_fixtures() / "task-queue-0e48c9e.md")], ACTOR)
    some_work(conn)
    path = tmp_path / "task-queue.md"
    with path.open("w", encoding="utf-8") as handle:
        export_v1(conn, handle.write)
    target = new_database("v1.db")

    report = import_v1(target, [str(path)], ACTOR)

    assert report.skipped == [] and report.created == len(queries.list_tasks(conn))
    for original in queries.list_tasks(conn):
        copy = task(target, original.code)
        assert [getattr(copy, f) for f in TASK_FIELDS] == [
            getattr(original, f) for f in TASK_FIELDS], original.code
    assert import_v1(target, [str(path)], ACTOR).unchanged == report.created


texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)
new_tasks = st.lists(st.fixed_dictionaries({
    "title": texts.filter(lambda t: t.strip()), "description": st.none() | texts,
    "task_type": st.sampled_from(["content", "lore", "asset", "analytics", "coordination"]),
    "priority": st.integers(0, 3), "review_tier": st.sampled_from([None, 1, 2, 3]),
    "estimated_hours": st.none() | st.floats(0.1, 1e6),
    "depend": st.booleans(), "start": st.booleans(),
}), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(new_tasks)
def test_random_task_sets_survive_export_and_import_unchanged(specs):
    with tempfile.TemporaryDirectory(prefix="idolq-transfer-") as folder:
        source = fresh(Path(folder), "a.db")
        made = []
        for spec in specs:
            spec = dict(spec)
            depend, start = spec.pop("depend"), spec.pop("start")
            depends_on = [made[-1].id] if depend and made else []
            made.append(create(source, depends_on=depends_on, **spec))
            if start and made[-1].status == "pending":
                start_task(source, made[-1].id, ACTOR)
        text = export_text(source)
        target = fresh(Path(folder), "b.db")
        restore(target, io.StringIO(text), ACTOR)

        assert queries.list_tasks(target) == queries.list_tasks(source)
        assert export_text(target) == text
        source.close()
        target.close()


def test_a_table_emptied_by_the_user_is_restored_empty(conn, new_database):
    conn.execute("DELETE FROM sla_policy")
    text = export_text(conn)
    target = new_database("restored.db")

    restore(target, io.StringIO(text), ACTOR)

    assert target.execute("SELECT COUNT(*) FROM sla_policy").fetchone()[0] == 0
    assert export_text(target) == text


def test_a_table_an_older_export_does_not_name_keeps_its_defaults(conn, new_database):
    lines = export_text(conn).splitlines(keepends=True)
    header = json.loads(lines[0])
    header["tables"].remove("sla_policy")
    older = [json.dumps(header) + "\n",
             *(line for line in lines[1:] if '"table": "sla_policy"' not in line)]
    target = new_database("restored.db")

    restore(target, iter(older), ACTOR)

    assert target.execute("SELECT COUNT(*) FROM sla_policy").fetchone()[0] == len(DEFAULT_RULES)


def test_the_tables_whose_counters_an_export_records_are_sqlites_autoincrement_ones(tmp_path):
    from idolq.store.transfer import AUTOINCREMENT

    conn = fresh(tmp_path, "q.db")
    declared = {name for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if "AUTOINCREMENT" in (sql or "").upper()}
    conn.close()

    assert declared == set(AUTOINCREMENT)
