"""The fast path (cli/fast.py) runs hot commands without Typer: it must read exactly the
options Typer declares, call the same bodies, and hand anything unusual to Typer."""

from __future__ import annotations

import inspect
import json
import sys
import types
from importlib import import_module
from typing import get_args, get_origin, get_type_hints

import pytest
from typer.main import get_command

from idolq.cli import fast, hot
from idolq.cli.app import app

from conftest import run_idolq

KINDS = {bool: fast.FLAG, int: fast.INT, float: fast.FLOAT, str: fast.TEXT}


def _typer_command(path: tuple[str, ...]):
    """The Click command Typer builds for `idolq PATH` (through Click's public API)."""
    command = get_command(app)
    for name in path:
        command = command.get_command(command.context_class(command), name)
    return command


def _declared_function(path: tuple[str, ...]):
    """The function the Typer command was declared with."""
    from idolq.cli.group import ROOT_COMMANDS, SUBGROUPS

    if len(path) == 1:
        typer_apps = [import_module(module).commands for module in ROOT_COMMANDS]
    else:
        typer_apps = [import_module(SUBGROUPS[path[0]]).app]
    for typer_app in typer_apps:
        for info in typer_app.registered_commands:
            if (info.name or info.callback.__name__) == path[-1]:
                return info.callback
    raise LookupError(path)


def _kind(annotation) -> str:
    """The fast path's kind for a declared type (`int | None` -> INT, `list[str]` -> TEXTS)."""
    if get_origin(annotation) in (types.UnionType,):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is list:
        assert get_args(annotation) == (str,)
        return fast.TEXTS
    return KINDS[annotation]


def _spec_from_typer(path: tuple[str, ...]) -> tuple[tuple[str, ...], dict, dict]:
    """What the fast path's table must say, read from the Typer declaration."""
    positional, options, negative = [], {}, {}
    hints = get_type_hints(_declared_function(path))
    for parameter in _typer_command(path).params:
        if parameter.param_type_name == "argument":
            # one value, or several ids (the fast path takes one; several go to Typer)
            assert parameter.required and parameter.nargs in (1, -1) and not parameter.multiple
            positional.append(parameter.name)
            continue
        default = fast.REQUIRED if parameter.required else parameter.default
        entry = (parameter.name, _kind(hints[parameter.name]), default, parameter.envvar)
        options.update({name: entry for name in parameter.opts})
        negative.update({name: parameter.opts[0] for name in parameter.secondary_opts})
    return tuple(positional), options, negative


@pytest.mark.parametrize("path", list(fast.COMMANDS), ids=" ".join)
def test_the_fast_path_reads_exactly_the_options_typer_declares(path):
    _, positional, options = fast.COMMANDS[path]
    typer_positional, typer_options, negative = _spec_from_typer(path)
    assert positional == typer_positional
    assert options == typer_options
    assert {k: v for k, v in fast.NEGATIVE.items() if v in options} == negative


@pytest.mark.parametrize("path", list(fast.COMMANDS), ids=" ".join)
def test_both_paths_call_one_body_with_the_same_parameters(path):
    body, positional, options = fast.COMMANDS[path]
    names = {*positional, *(entry[0] for entry in options.values())}
    assert set(inspect.signature(getattr(hot, body)).parameters) == names
    typer_names = {p.name for p in _typer_command(path).params}
    assert typer_names == names


def test_every_hot_command_has_a_fast_form():
    from tests.process.test_startup import HOT_COMMANDS

    for args in HOT_COMMANDS:
        assert fast.parse(args) is not None, args


@pytest.mark.parametrize("argv", [
    ["task", "create", "--help"], ["task", "list", "-h"], ["task", "start"],
    ["task", "start", "1", "2"], ["task", "create", "t"], ["task", "list", "--bogus"],
    ["task", "list", "--limit", "x"], ["task", "list", "--limit", "-1"],
    ["task", "list", "--limit=x"], ["task", "list", "--json=1"], ["task", "show", "1", "--db="],
    ["task", "list", "--agent", "1", "--agent", "2"], ["task", "list", "--limit", "5", "--limit=6"],
    ["task", "start", "-"], ["task", "start", "--", "7"], ["task", "list", "--limit"],
    ["review", "approve", "1", "--ds-rating", "1e3"], ["task", "cancel", "1"],
    ["task", "list", "--agent", "9" * 5000], ["task", "list", "--limit", "9" * 19],
    ["--db", "x.db", "--bogus", "task", "list"], ["--db", "x.db"], ["--version"],
    ["--db", "-x", "task", "list"], ["--db=", "task", "list"], ["--actor", "", "status"],
    ["status", "--db", "\udcff"], ["task"], [],
])
def test_anything_unusual_goes_to_typer(argv):
    assert fast.parse(argv) is None


def test_simple_forms_are_read_as_typer_reads_them(monkeypatch):
    monkeypatch.setenv("IDOLQ_ACTOR", "agent:03")
    body, arguments = fast.parse(["task", "create", "T", "--type", "lore", "--depends-on", "1",
                                  "--depends-on", "LORE-002", "--estimate", "1.5", "--json"])
    assert body == "task_create"
    assert arguments == {"title": "T", "task_type": "lore", "content_type": None,
                         "priority": "P2", "tier": None, "agent": None, "deadline": None,
                         "description": None, "depends_on": ["1", "LORE-002"],
                         "estimate": 1.5, "db": None, "actor": "agent:03", "json_": True}
    assert fast.parse(["sla", "check", "--no-notify"])[1]["notify"] is False
    assert fast.parse(["events", "tail", "-n", "5", "-f"])[1] | {"db": None} == {
        "count": 5, "event_type": None, "since": None, "follow": True, "db": None,
        "json_": False, "after": None, "everything": False}


def test_options_before_the_command_are_read_as_typer_reads_them(monkeypatch):
    """The contract accepts --db, --actor and --json before the command: the fast path reads
    them there as the root group does (the environment they default from, for this run)."""
    monkeypatch.delenv("IDOLQ_DB", raising=False)
    monkeypatch.setenv("IDOLQ_ACTOR", "agent:03")
    after = fast.parse(["task", "start", "7", "--db", "x.db", "--actor", "agent:02", "--json"])
    assert after[1] == {"tasks": "7", "db": "x.db", "actor": "agent:02", "json_": True}
    for before in (["--db", "x.db", "--actor", "agent:02", "--json", "task", "start", "7"],
                   ["--json", "--db=x.db", "--actor=agent:02", "task", "start", "7"],
                   ["--db", "x.db", "task", "start", "7", "--actor", "agent:02", "--json"]):
        assert fast.parse(before) == after, before
    assert fast.parse(["--db", "x.db", "status"])[1] == {"db": "x.db", "json_": False}
    assert fast.parse(["task", "list", "--limit=5", "--db=x.db", "--status=pending"]) == \
        fast.parse(["task", "list", "--limit", "5", "--db", "x.db", "--status", "pending"])
    # given on both sides, the option after the command wins over its environment default
    assert fast.parse(["--db", "x.db", "status", "--db", "y.db"])[1]["db"] == "y.db"
    import os

    assert "IDOLQ_DB" not in os.environ  # read for the parse, never left behind


def _fast(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        fast.run(list(argv))
    out, err = capsys.readouterr()
    return done.value.code, out, err


READS = [("task", "list", "--json"), ("task", "ready", "--json"), ("task", "show", "1", "--json"),
         ("review", "list", "--json"), ("status", "--json"), ("events", "tail", "-n", "50"),
         ("task", "list"), ("review", "list", "--status", "pending"), ("task", "show", "99"),
         ("task", "list", "--limit=1", "--status=review", "--json")]


def test_the_fast_path_prints_what_typer_prints(cli, capsys, db_path):
    cli.json("task", "create", "One", "--type", "content")
    cli.json("task", "create", "Two", "--type", "lore", "--depends-on", "1")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    for argv in READS:
        typer_run = cli(*argv)
        assert _fast(capsys, *argv, "--db", str(db_path)) == (
            typer_run.exit_code, typer_run.stdout, typer_run.stderr), argv


def test_options_before_the_command_print_what_typer_prints(cli, capsys, db_path):
    cli.json("task", "create", "One", "--type", "content")
    assert _fast(capsys, "--db", str(db_path), "--actor", "agent:02", "--json",
                 "task", "start", "1")[0] == 0
    for argv in [("task", "show", "1"), ("status",), ("task", "start", "1")]:  # a refusal
        before = ("--db", str(db_path), "--actor", "agent:02", "--json", *argv)
        typer_run = cli(*before, db=False)
        assert _fast(capsys, *before) == (
            typer_run.exit_code, typer_run.stdout, typer_run.stderr), argv
    assert json.loads(cli("task", "show", "1", "--json").stdout)["status"] == "in_progress"


def test_the_fast_path_refuses_and_reports_like_typer(cli, capsys, db_path):
    for argv in [("task", "start", "99", "--json"), ("task", "list", "--status", "nope"),
                 ("review", "reject", "1"),
                 ("task", "create", "x", "--type", "lore", "--priority", "P9")]:
        typer_run = cli(*argv)
        assert typer_run.exit_code in (1, 2)
        assert _fast(capsys, *argv, "--db", str(db_path)) == (
            typer_run.exit_code, typer_run.stdout, typer_run.stderr), argv


def test_a_workflow_runs_through_whole_processes_on_the_fast_path(db_path):
    def idolq(*args: str) -> dict:
        result = run_idolq(*args, "--db", str(db_path), "--json")
        assert result.returncode == 0 and result.stderr == "", result.stderr
        return json.loads(result.stdout)

    task = idolq("task", "create", "Ship it", "--type", "content", "--tier", "3")
    idolq("task", "start", task["code"])
    assert idolq("task", "complete", str(task["id"]))["status"] == "review"
    review = idolq("review", "list", "--status", "pending")[0]
    assert idolq("review", "approve", str(review["id"]), "--actor", "agent:00")["status"] == \
        "approved"
    assert idolq("task", "show", task["code"])["status"] == "complete"


def test_help_and_usage_errors_still_come_from_typer(db_path):
    helped = run_idolq("task", "create", "--help")
    assert helped.returncode == 0 and "--depends-on" in helped.stdout
    bad = run_idolq("task", "list", "--limit", "lots", "--db", str(db_path))
    assert bad.returncode == 2 and "lots" in bad.stderr and "Traceback" not in bad.stderr
    assert sys.modules.get("idolq.cli.fast") is fast
