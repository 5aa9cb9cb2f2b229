"""Startup stays cheap: the commands agents run most never load the heavy libraries.

Timings live in benchmarks/; this checks what is loaded, which does not depend on the
machine and fails the moment a change drags a heavy import onto the hot path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "rich", "sqlite_utils", "urllib.request", "http.client")
# The hot path parses without Typer (cli/fast.py): neither Typer nor Click may load, nor the
# standard modules that only they would bring in.
HOT_PATH_HEAVY = (*HEAVY, "typer", "click", "idolq.cli.options", "idolq.cli.group",
                  "inspect", "dataclasses", "argparse", "gettext")
HOT_COMMANDS = [
    ["task", "create", "Startup check", "--type", "content", "--json"],
    ["task", "start", "1", "--json"],
    ["task", "complete", "1", "--json"],
    ["task", "show", "1", "--json"],
    ["task", "list", "--json"],
    ["task", "list"],
    ["task", "ready", "--json"],
    ["status", "--json"],
    ["sla", "check", "--json"],
    ["review", "list", "--json"],
    ["review", "approve", "1", "--actor", "agent:00", "--json"],
    ["review", "reject", "1", "--notes", "no", "--json"],
    ["events", "tail", "--json"],
    ["task", "edit", "1", "--title", "Edited", "-p", "P1", "--json"],
    ["task", "comment", "1", "A note", "--json"],
    ["task", "assign", "1", "--agent", "3", "--json"],
    ["task", "defer", "1", "--until", "2030-01-01", "--json"],
    ["task", "resume", "1", "--json"],
    ["--json", "--actor", "agent:02", "task", "show", "1"],  # options before the command
]


PROBE = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["MODULES_OUT"], "w").write(json.dumps(list(sys.modules))))
sys.argv = ["idolq", *sys.argv[1:]]
from idolq.cli.app import main
main()
"""


def _imported_modules(args: list[str], db, tmp_path) -> set[str]:
    """Every module loaded by a real run of the command, read from sys.modules at exit."""
    out = tmp_path / "modules.json"
    if args[0] == "__complete":
        args = ["__complete", "--db", str(db), *args[1:]]
    else:
        args = [*args, "--db", str(db)]
    result = subprocess.run([sys.executable, "-c", PROBE, *args],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MODULES_OUT": str(out)})
    assert result.returncode in (0, 1, 3), result.stderr[-500:]
    assert "Traceback" not in result.stderr
    return set(json.loads(out.read_text()))


def _heavy(modules: set[str], heavy: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in heavy or m in heavy)


# On PostgreSQL psycopg brings standard modules of its own (dataclasses, inspect...); the
# libraries idolq itself could drag in stay out (sqlite-utils is for migrations only).
PG_HOT_PATH_HEAVY = (*HEAVY, "typer", "click", "idolq.cli.options", "idolq.cli.group",
                     "idolq.store.pg_schema", "numpy")


@pytest.mark.parametrize("args", HOT_COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_hot_commands_load_neither_typer_nor_heavy_libraries(db_path, tmp_path, args, backend):
    modules = _imported_modules(args, db_path, tmp_path)
    assert "idolq.cli.hot" in modules, sorted(m for m in modules if "idolq" in m)
    assert _heavy(modules, _hot_path_heavy(backend)) == []


def _hot_path_heavy(backend: str) -> tuple[str, ...]:
    if backend == "postgresql":
        return PG_HOT_PATH_HEAVY
    return (*HOT_PATH_HEAVY, "psycopg", "psycopg_binary")  # never for an SQLite file


def test_completion_loads_neither_typer_nor_heavy_libraries(db_path, tmp_path, backend):
    """`idolq __complete` runs on every Tab."""
    modules = _imported_modules(["__complete", "task", "show", ""], db_path, tmp_path)
    assert "idolq.cli.complete" in modules
    assert _heavy(modules, _hot_path_heavy(backend)) == []


def test_the_guard_notices_typer_on_the_hot_path(db_path, tmp_path):
    modules = _imported_modules(["task", "list", "--limit", "5", "--limit", "6", "--json"],
                                db_path, tmp_path)  # a repeated option: Typer decides
    assert "typer" in _heavy(modules, HOT_PATH_HEAVY)


def test_other_commands_still_skip_heavy_libraries_and_load_only_their_group(db_path, tmp_path):
    modules = _imported_modules(["task", "cancel", "1", "--json"], db_path, tmp_path)
    assert "idolq.cli.task" in modules
    assert _heavy(modules, HEAVY) == []
    assert not {"idolq.cli.review", "idolq.cli.sla", "idolq.cli.notify", "idolq.cli.root"} \
        & modules


def test_human_output_to_a_pipe_does_not_load_rich(db_path, tmp_path):
    assert not {m for m in _imported_modules(["task", "list"], db_path, tmp_path)
                if m.split(".")[0] == "rich"}
