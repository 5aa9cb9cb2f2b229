"""Moving a queue between SQLite and PostgreSQL with `idolq export | idolq import -`:
nothing lost, the same bytes after a round trip, ids and codes going on after the old ones."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest
from freezegun import freeze_time

from idolq.domain.errors import Conflict
from idolq.services.setup import init_database
from idolq.services.transfer import dump, restore
from idolq.store.connection import open_database

from conftest import Cli, postgresql_database, run_idolq, table_snapshot

pytestmark = pytest.mark.postgresql

ACTOR = "human:mover"
ODD_TITLE = "Ünï \"çødé\" 🎤 'it''s' 100% ? \\ \t end"


def sqlite_database(tmp_path, name: str) -> str:
    path = tmp_path / name
    init_database(path)
    return str(path)


def new_postgresql() -> str:
    url = postgresql_database()
    init_database(url)
    return url


def export_of(db: str) -> str:
    conn = open_database(db)
    try:
        buffer = io.StringIO()
        dump(conn, buffer.write)
        return buffer.getvalue()
    finally:
        conn.close()


def load(db: str, text: str) -> dict[str, int]:
    conn = open_database(db)
    try:
        return restore(conn, io.StringIO(text), ACTOR)
    finally:
        conn.close()


def real_work(db: str) -> None:
    """Tasks in every status, reviews rejected and approved with ratings, dependencies,
    comments, calendar items, SLA escalations, notifications, odd values."""
    cli = Cli(db)

    def run(*args: str) -> dict | list:
        return cli.json(*args)

    with freeze_time("2026-01-09T10:00:00Z"):
        chapter = run("task", "create", "Chapter", "--type", "content", "--content-type",
                      "chapter", "--tier", "1", "--deadline", "2026-01-20")["code"]
        run("task", "create", "Promo", "--type", "content", "--depends-on", chapter,
            "--estimate", "0.1")  # blocked
        run("task", "create", ODD_TITLE, "--type", "lore", "--priority", "P0", "--estimate",
            str(1 / 3))  # pending
        run("task", "create", "Dropped", "--type", "lore")
        run("task", "cancel", "LORE-002", "--reason", "not needed")
        run("task", "create", "Later", "--type", "asset")
        run("task", "defer", "ASSET-001", "--until", "2030-01-01")
        run("task", "create", "Going", "--type", "analytics")
        run("task", "start", "ANALYTICS-001")  # in_progress
        run("task", "comment", "ANALYTICS-001", "Ünïcode ✅ note")
        run("notify", "add", "--on", "task.*", "--webhook", "http://127.0.0.1:9/hook")
        run("task", "start", chapter)
        run("task", "complete", chapter)  # review
        reviews = run("review", "list")
    with freeze_time("2026-01-10T12:00:00Z"):
        run_sla = cli("sla", "check", "--no-notify", "--json")
        assert run_sla.exit_code == 3, run_sla.stderr  # escalations recorded
        run("review", "approve", str(reviews[0]["id"]))
        cli("review", "reject", str(reviews[1]["id"]), "--notes", "rework", "--rating", "1.5",
            "--json", env={"IDOLQ_ACTOR": "agent:09"})
        run("task", "create", "Post", "--type", "content", "--tier", "none")
        run("task", "start", "CONTENT-003")
        run("task", "complete", "CONTENT-003")  # complete
        item = run("calendar", "schedule", "CONTENT-003", "--at", "2026-01-13T09:00+09:00")
        run("calendar", "schedule", "CONTENT-003", "--at", "2026-01-14")
        run("calendar", "publish", str(item["id"]), "--url", "https://x.com/ika/1")
        run("calendar", "stats", str(item["id"]), "--likes", "5")
        run("agent", "edit", "9", "--inactive")
        run("sla", "policy", "set", "canon", "--tier", "1", "--limit", "2.5h")


def statuses(db: str) -> set[str]:
    return {task["status"] for task in Cli(db).json("task", "list")}


def test_work_moved_from_sqlite_to_postgresql_and_back_keeps_every_byte(tmp_path):
    source = sqlite_database(tmp_path, "source.db")
    real_work(source)
    original = export_of(source)
    assert statuses(source) == {"pending", "in_progress", "blocked", "review", "complete",
                                "cancelled", "deferred"}
    for table in ("reviews", "task_history", "task_dependencies", "task_comments",
                  "calendar_items", "sla_escalations", "notifications", "sqlite_sequence"):
        assert f'{{"table": "{table}", ' in original, table
    assert ODD_TITLE.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") in original

    moved = new_postgresql()
    load(moved, original)
    assert export_of(moved) == original
    back = sqlite_database(tmp_path, "back.db")
    load(back, export_of(moved))

    assert export_of(back) == original
    assert Cli(moved).json("status") == Cli(source).json("status")


def test_work_done_on_postgresql_moved_to_sqlite_and_back_keeps_every_byte(tmp_path):
    source = new_postgresql()
    real_work(source)
    original = export_of(source)
    assert '"table": "sqlite_sequence"' in original

    copy = sqlite_database(tmp_path, "copy.db")
    load(copy, original)
    assert export_of(copy) == original
    back = new_postgresql()
    load(back, export_of(copy))

    assert export_of(back) == original
    assert Cli(copy).json("task", "list") == Cli(source).json("task", "list")


def _highest_ids(db: str) -> dict[str, int]:
    conn = open_database(db)
    try:
        return {table: conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] for table in
                ("tasks", "reviews", "event_log", "task_history", "calendar_items",
                 "notifications", "task_comments")}
    finally:
        conn.close()


def test_after_a_move_to_postgresql_new_work_gets_the_next_codes_and_fresh_ids(tmp_path):
    source = sqlite_database(tmp_path, "source.db")
    real_work(source)
    with sqlite3.connect(source) as conn:  # ids given, then lost: never given again
        conn.execute("UPDATE sqlite_sequence SET seq = 50 WHERE name = 'tasks'")
    moved = new_postgresql()
    load(moved, export_of(source))
    before = _highest_ids(moved)
    cli = Cli(moved)

    made = cli.json("task", "create", "After", "--type", "content", "--tier", "1")
    cli.json("task", "comment", made["code"], "moved")
    cli.json("task", "start", made["code"])
    cli.json("task", "complete", made["code"])
    cli.json("calendar", "schedule", "CONTENT-003", "--at", "2026-02-01")

    assert made["code"] == "CONTENT-004"
    assert made["id"] == 51
    after = _highest_ids(moved)
    assert all(after[table] > before[table] for table in before), (before, after)


def test_ids_postgresql_gave_are_not_given_again_after_a_move_to_sqlite(tmp_path):
    source = new_postgresql()
    real_work(source)
    conn = open_database(source)
    conn.execute("SELECT setval(pg_get_serial_sequence('tasks', 'id'), 50)")  # some were lost
    conn.close()
    copy = sqlite_database(tmp_path, "copy.db")
    load(copy, export_of(source))

    assert Cli(copy).json("task", "create", "Next", "--type", "lore")["id"] == 51


def test_importing_into_a_postgresql_database_with_work_is_refused_as_on_sqlite(tmp_path):
    source = sqlite_database(tmp_path, "source.db")
    real_work(source)
    text = export_of(source)
    busy = new_postgresql()
    Cli(busy).json("task", "create", "Mine", "--type", "lore")
    before = table_snapshot(busy)

    with pytest.raises(Conflict) as on_postgresql:
        load(busy, text)
    with pytest.raises(Conflict) as on_sqlite:
        load(source, text)

    assert str(on_postgresql.value) == str(on_sqlite.value)
    assert "already holds work" in str(on_postgresql.value)
    assert table_snapshot(busy) == before


def test_a_broken_reference_is_refused_on_postgresql_and_the_keys_stay_immediate(tmp_path):
    text = export_of(sqlite_database(tmp_path, "source.db")).replace(
        '"agent_number": 0}', '"agent_number": 42}', 1)
    target = new_postgresql()

    with pytest.raises(Exception, match="refers to a missing row of agents"):
        load(target, text)
    load(target, export_of(sqlite_database(tmp_path, "good.db")))

    conn = open_database(target)
    try:
        keys = conn.execute("SELECT condeferrable FROM pg_constraint WHERE contype = 'f'"
                            " AND connamespace = current_schema()::regnamespace").fetchall()
        assert len(keys) > 5 and not any(deferrable for (deferrable,) in keys)
    finally:
        conn.close()


def test_a_real_pipe_moves_a_database_to_postgresql_and_back(tmp_path):
    source = sqlite_database(tmp_path, "source.db")
    real_work(source)
    moved, back = new_postgresql(), sqlite_database(tmp_path, "back.db")
    idolq = f"{sys.executable} -m idolq"

    there = subprocess.run(f"{idolq} export --db {source} | {idolq} --db '{moved}' import -",
                           shell=True, capture_output=True, text=True, timeout=120)
    assert there.returncode == 0 and there.stderr == "", there.stderr
    home = subprocess.run(f"{idolq} --db '{moved}' export | {idolq} --db {back} import -",
                          shell=True, capture_output=True, text=True, timeout=120)
    assert home.returncode == 0 and home.stderr == "", home.stderr

    original = run_idolq("export", "--db", source).stdout
    assert run_idolq("export", "--db", moved).stdout == original
    assert run_idolq("export", "--db", back).stdout == original
