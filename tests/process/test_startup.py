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
HOT_COMMANDS = [
    ["task", "create", "Startup check", "--type", "content", "--json"],
    ["task", "list", "--json"],
    ["task", "ready", "--json"],
    ["status", "--json"],
    ["sla", "check", "--json"],
    ["review", "list", "--json"],
    ["events", "tail", "--json"],
    ["task", "show", "1", "--json"],
    ["task", "edit", "1", "--title", "Edited", "--json"],
    ["task", "comment", "1", "A note", "--json"],
    ["task", "assign", "1", "--agent", "3", "--json"],
    ["task", "list"],
    ["__complete", "task", "show", ""],
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
    subprocess.run([sys.executable, "-m", "idolq", "task", "create", "Seed", "--type", "lore",
                    "--db", str(db)], capture_output=True, timeout=60)
    result = subprocess.run([sys.executable, "-c", PROBE, *args],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MODULES_OUT": str(out)})
    assert result.returncode in (0, 3), result.stderr[-500:]
    return set(json.loads(out.read_text()))


@pytest.mark.parametrize("args", HOT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_hot_commands_do_not_import_heavy_libraries(db_path, tmp_path, args):
    modules = _imported_modules(args, db_path, tmp_path)
    assert "idolq.cli.app" in modules  # the measurement itself works
    if args[0] == "__complete":  # runs on every Tab: not even Typer
        assert not {m for m in modules if m.split(".")[0] in ("typer", "click")}
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert loaded == []


def test_a_command_loads_only_its_own_group(db_path, tmp_path):
    modules = _imported_modules(["task", "list", "--json"], db_path, tmp_path)
    assert "idolq.cli.task" in modules
    assert not {"idolq.cli.review", "idolq.cli.sla", "idolq.cli.notify", "idolq.cli.root"} \
        & modules


def test_human_output_to_a_pipe_does_not_load_rich(db_path, tmp_path):
    assert not {m for m in _imported_modules(["task", "list"], db_path, tmp_path)
                if m.split(".")[0] == "rich"}
