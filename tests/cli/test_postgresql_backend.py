"""What only PostgreSQL has: a server to reach, a schema version kept in a table."""

from __future__ import annotations

import json

import pytest

from idolq.store import pg, pg_schema
from idolq.store.connection import open_database
from idolq.store.schema_version import SCHEMA_VERSION

from conftest import postgresql_database, run_idolq

pytestmark = pytest.mark.postgresql


def test_init_again_on_postgresql_keeps_the_schema_and_its_seeds(cli):
    result = cli.json("init")
    assert (result["schema_version"], result["agents"]) == (SCHEMA_VERSION, 10)
    assert len(cli.json("sla", "policy")) > 0


def _set_version(url: str, version: int) -> None:
    conn = open_database(url)
    conn.execute("UPDATE idolq_schema SET version = ?", (version,))
    conn.close()


def test_an_older_postgresql_schema_is_upgraded_in_place_when_opened():
    url = postgresql_database()
    conn = pg.connect(url)
    assert pg_schema.migrate(conn, upto=3) == 3
    conn.execute("INSERT INTO tasks (task_code, title, task_type, status, priority, created_by,"
                 " created_at, updated_at) VALUES ('LORE-001', 'kept', 'lore', 'pending', 2,"
                 " 'me', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn.close()
    listed = run_idolq("task", "list", "--json", "--db", url)
    assert [t["title"] for t in json.loads(listed.stdout)] == ["kept"], listed.stderr
    conn = open_database(url)
    assert conn.execute("SELECT version FROM idolq_schema").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT to_regclass('idx_reviews_status')").fetchone()[0] is not None
    assert conn.execute("SELECT to_regclass('settings')").fetchone()[0] is not None


def test_a_postgresql_schema_from_a_newer_idolq_is_refused_in_one_line(db_path):
    _set_version(db_path, SCHEMA_VERSION + 1)
    result = run_idolq("task", "list", "--db", db_path)
    assert result.returncode == 1
    assert "newer than this idolq" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_server_that_cannot_be_reached_is_one_clear_line_without_the_password():
    url = "postgresql://someone:s3cret@127.0.0.1:1/nowhere"
    for args in (["status"], ["init"], ["task", "create", "x", "--type", "lore"]):
        result = run_idolq(*args, "--db", url)
        assert result.returncode == 1, result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert "cannot use the PostgreSQL database postgresql://someone@127.0.0.1:1/nowhere" \
            in result.stderr
        assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_a_postgresql_database_without_idolq_is_refused_until_init(db_path):
    empty = db_path.replace(db_path.rsplit("%3D", 1)[1], "public")
    result = run_idolq("task", "list", "--db", empty)
    assert result.returncode == 1
    assert "is not an idolq database" in result.stderr


def test_doctor_reports_the_postgresql_backend_and_its_health(db_path):
    result = run_idolq("doctor", "--json", "--db", db_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["backend"], report["schema_version"], report["problems"]) == (
        "postgresql", SCHEMA_VERSION, [])
    assert report["size_bytes"] > 0
    _set_version(db_path, 2)
    older = run_idolq("doctor", "--json", "--db", db_path)
    assert older.returncode == 1
    assert json.loads(older.stdout)["problems"][0]["check"] == "schema_version"


def test_status_counts_are_kept_by_triggers_across_concurrent_writers(db_path):
    """Counters sharded by server process: writers from several connections each add to rows
    of their own, and `status` (the sum) equals a fresh count of the tables."""
    import threading

    from idolq.services.reviews import approve_review
    from idolq.services.tasks import NewTask, complete_task, create_task, start_task
    from idolq.store.reviews import list_reviews

    failures = []

    def writer(n: int) -> None:
        conn = open_database(db_path)
        try:
            for i in range(4):
                new = NewTask(f"w{n} {i}", "content", review_tier=3)
                task = create_task(conn, new, "human:lead")
                start_task(conn, task.code, "human:lead")
                if i % 2:
                    complete_task(conn, task.code, "human:lead")
        except Exception as error:  # reported below: a thread's error must fail the test
            failures.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    conn = open_database(db_path)
    try:
        for review in list(list_reviews(conn, "pending"))[:3]:
            approve_review(conn, review.id, "agent:00")
        shards = conn.execute("SELECT COUNT(DISTINCT shard) FROM status_count_shards"
                              " WHERE entity = 'tasks'").fetchone()[0]
        assert shards > 1
        for table in ("tasks", "reviews"):
            kept = dict(conn.execute("SELECT status, n FROM status_counts WHERE entity = ?"
                                     " AND n != 0", (table,)).fetchall())
            fresh = dict(conn.execute(f"SELECT status, COUNT(*) FROM {table} GROUP BY status"))
            assert kept == fresh, table
        assert sum(dict(conn.execute("SELECT status, n FROM status_counts WHERE entity ="
                                     " 'tasks'").fetchall()).values()) == 16
        conn.execute("TRUNCATE tasks CASCADE")
        assert conn.execute("SELECT COUNT(*) FROM status_count_shards WHERE n != 0"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def _with_password(url: str) -> str:
    """The same database, with a password in the URL (the test server trusts its clients)."""
    return url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@", 1)


def test_demo_on_a_postgresql_url_never_prints_its_password(db_path):
    url = _with_password(db_path)
    assert url != db_path
    run_idolq("task", "create", "Mine", "--type", "lore", "--db", url)

    refused = run_idolq("demo", "--db", url)
    fresh = _with_password(postgresql_database())
    walked = run_idolq("demo", "--db", fresh)
    walked_json = run_idolq("demo", "--json", "--db", fresh.replace("s3cret", "s3cret2"))

    assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert "already holds 1 task(s)" in refused.stderr
    assert "postgresql://postgres@127.0.0.1" in refused.stderr
    assert walked.returncode == 0, walked.stderr
    for run in (refused, walked, walked_json):
        assert "s3cret" not in run.stdout + run.stderr


@pytest.mark.parametrize("url", [
    "postgresql://someone:p%zzs3cret@127.0.0.1:1/nowhere",  # libpq quotes the bad token
    "postgresql://someone:s3cret@127.0.0.1:1/nowhere?bogus=1",
    "postgresql://someone:s3cret@127.0.0.1:port/nowhere",
    "postgresql://someone:s3cret@127.0.0.1:1/nowhere?password=s3cret",
])
def test_a_url_the_client_cannot_use_is_one_line_without_the_password(url):
    for args in (["status"], ["demo"], ["doctor"], ["export"], ["import", "-"]):
        result = run_idolq(*args, "--db", url)
        assert result.returncode == 1, (args, result.stderr)
        assert "s3cret" not in result.stdout + result.stderr, args
        assert "Traceback" not in result.stderr
