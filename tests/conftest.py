"""Shared fixtures: a fresh database per test, and a way to run real commands."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idolq.cli.app import app
from idolq.services.setup import init_database
from idolq.store.connection import open_database


@pytest.fixture(autouse=True, scope="session")
def _typer_fast_path():
    """What `main()` does for the idolq program, for the commands run through CliRunner."""
    from idolq.cli._typer_compat import install

    install()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test sees the developer's IDOLQ_* settings, a database above its folder, or their
    own configuration (the commands they allow to run)."""
    for name in ("IDOLQ_DB", "IDOLQ_ACTOR", "IDOLQ_DEBUG", "IDOLQ_TZ", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


# The backends the database fixtures run on: SQLite always; PostgreSQL too when
# IDOLQ_TEST_BACKENDS names it (CI always does), on the server IDOLQ_TEST_PG points to.
BACKENDS = [name.strip() for name in
            os.environ.get("IDOLQ_TEST_BACKENDS", "sqlite").split(",") if name.strip()]

# Test modules whose database tests run on PostgreSQL as well as on SQLite (a test about
# SQLite itself in one of them is marked sqlite_only). The others look at SQLite alone (its
# query plans, its WAL file).
POSTGRESQL_MODULES = {
    "test_bus", "test_default_tier", "test_event_log", "test_sla", "test_streaming",
    "test_transaction", "test_workflow", "test_properties", "test_notify",
    "test_cli", "test_daemon", "test_hostile",
    "test_listing_output", "test_terminal", "test_fast_path",
    "test_processes", "test_crash",
    "test_notify_commands", "test_notify_webhooks", "test_notify_security",
    "test_claims", "test_claims_race", "test_team", "test_prime", "test_authority_enforced",
    "test_agents_cli", "test_mcp",
    "test_batch", "test_completion", "test_editing", "test_rendering",
    "test_shell", "test_vocabulary", "test_deferral",
    "test_startup",
    "test_transfer", "test_transfer_cli", "test_contract",
    "test_calendar", "test_metrics", "test_claim_exits", "test_v1_import",
    "test_v1_calendar_import", "test_calendar_cli", "test_doctor", "test_report",
    "test_authority_paths", "test_hand_edited_rows", "test_reference", "test_schema",
    "test_typer_compat", "test_serve",
}


# Test modules about PostgreSQL alone (run when the backends include it).
POSTGRESQL_ONLY_MODULES = {"test_postgresql_backend", "test_postgresql_contention", "test_moving",
                           "test_doctor_postgresql"}


def pytest_collection_modifyitems(config, items):
    if "postgresql" in BACKENDS:
        return
    kept = [item for item in items if item.module.__name__.rsplit(".", 1)[-1]
            not in POSTGRESQL_ONLY_MODULES]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in POSTGRESQL_ONLY_MODULES and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", [pytest.param("postgresql", id="postgresql",
                                                      marks=pytest.mark.postgresql)],
                             indirect=True)
        return
    if "backend" not in metafunc.fixturenames:
        return
    sqlite_only = (module not in POSTGRESQL_MODULES
                   or metafunc.definition.get_closest_marker("sqlite_only") is not None)
    params = [pytest.param(name, marks=getattr(pytest.mark, name), id=name)
              for name in BACKENDS if name == "sqlite" or not sqlite_only]
    metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


_schemas = iter(range(1, 10**9))


def postgresql_database() -> str:
    """A fresh, empty schema on the test server, as a URL whose search_path is that schema."""
    server = os.environ.get("IDOLQ_TEST_PG")
    if not server:
        pytest.fail("IDOLQ_TEST_BACKENDS names postgresql but IDOLQ_TEST_PG is not set: give"
                    " the URL of a PostgreSQL server the tests may use (see .ci/run)")
    import psycopg

    name = f"t{os.getpid()}_{next(_schemas)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.execute(f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in server else "?"
    return f"{server}{joiner}options=-csearch_path%3D{name}"


def new_database(backend: str, folder: Path) -> Path | str:
    """An initialised database: a file in `folder` on SQLite, a URL on PostgreSQL."""
    if backend == "postgresql":
        url = postgresql_database()
        init_database(url)
        return url
    path = folder / "q.db"
    init_database(path)
    return path


def edit_by_hand(db_path: Path | str, *statements: str | tuple[str, tuple]) -> None:
    """What a user does with the database's own shell (sqlite3, psql), outside idolq: no
    checks of idolq's, no upgrade of the schema. A statement is SQL, or (SQL, parameters)."""
    pairs = [(s, ()) if isinstance(s, str) else s for s in statements]
    if str(db_path).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(db_path), autocommit=True) as raw:
            for sql, params in pairs:
                raw.execute(sql.replace("?", "%s"), params)
        return
    raw = sqlite3.connect(db_path)
    for sql, params in pairs:
        raw.execute(sql, params)
    raw.commit()
    raw.close()


@pytest.fixture
def db_path(tmp_path, backend) -> Path | str:
    """An initialised database: a file on SQLite, a URL on PostgreSQL."""
    return new_database(backend, tmp_path)


@pytest.fixture
def conn(db_path) -> sqlite3.Connection:
    connection = open_database(db_path)
    yield connection
    connection.close()


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


class Cli:
    """Runs idolq commands in-process, against one database unless told otherwise."""

    def __init__(self, db_path: Path | None) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, db: bool = True, env: dict | None = None,
                 input: str | None = None) -> Run:
        argv = [str(a) for a in args]
        if db and self.db_path is not None:
            argv += ["--db", str(self.db_path)]
        result = self.runner.invoke(app, argv, env=env, input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def json(self, *args: str, **kwargs) -> dict | list:
        run = self(*args, "--json", **kwargs)
        assert run.exit_code == 0, run.stderr
        assert run.stderr == ""
        return run.json


@pytest.fixture
def cli(db_path) -> Cli:
    return Cli(db_path)


def run_idolq(*args: str, env: dict | None = None, cwd: Path | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess:
    """idolq as a real process, the way shell scripts and cron run it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "idolq", *map(str, args)], env=full_env,
                          cwd=cwd, capture_output=True, text=True, timeout=timeout)


def table_snapshot(path: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table: to prove a refused operation changed nothing."""
    if str(path).startswith("postgresql://"):
        return _postgresql_snapshot(str(path))
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: connection.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}
    finally:
        connection.close()


def _postgresql_snapshot(url: str) -> dict[str, list[tuple]]:
    connection = open_database(url)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {name: [tuple(row) for row in connection.execute(
            f'SELECT * FROM "{name}" ORDER BY 1')] for name in names}
    finally:
        connection.close()
