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


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "q.db"
    init_database(path)
    return path


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


def table_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: to prove a refused operation changed nothing."""
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: connection.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}
    finally:
        connection.close()
